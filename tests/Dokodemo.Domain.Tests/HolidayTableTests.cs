using Dokodemo.Domain.Calendar;

namespace Dokodemo.Domain.Tests;

public class HolidayTableTests
{
    // An excerpt of 内閣府 syukujitsu.csv as the caller hands it over after decoding CP932: CRLF, no zero padding,
    // both kinds of "休日", the 2019 "休日（祝日扱い）" days and the one-year name "体育の日（スポーツの日）".
    private const string Excerpt =
        "国民の祝日・休日月日,国民の祝日・休日名称\r\n" +
        "2019/1/1,元日\r\n2019/1/14,成人の日\r\n2019/2/11,建国記念の日\r\n2019/3/21,春分の日\r\n" +
        "2019/4/29,昭和の日\r\n2019/4/30,休日\r\n2019/5/1,休日（祝日扱い）\r\n2019/5/2,休日\r\n" +
        "2019/5/3,憲法記念日\r\n2019/5/4,みどりの日\r\n2019/5/5,こどもの日\r\n2019/5/6,休日\r\n" +
        "2019/7/15,海の日\r\n2019/8/11,山の日\r\n2019/8/12,休日\r\n2019/9/16,敬老の日\r\n" +
        "2019/9/23,秋分の日\r\n2019/10/14,体育の日（スポーツの日）\r\n2019/10/22,休日（祝日扱い）\r\n" +
        "2019/11/3,文化の日\r\n2019/11/4,休日\r\n2019/11/23,勤労感謝の日\r\n" +
        "2026/1/1,元日\r\n2026/1/12,成人の日\r\n2026/2/11,建国記念の日\r\n2026/2/23,天皇誕生日\r\n" +
        "2026/3/20,春分の日\r\n2026/4/29,昭和の日\r\n2026/5/3,憲法記念日\r\n2026/5/4,みどりの日\r\n" +
        "2026/5/5,こどもの日\r\n2026/5/6,休日\r\n2026/7/20,海の日\r\n2026/8/11,山の日\r\n" +
        "2026/9/21,敬老の日\r\n2026/9/22,休日\r\n2026/9/23,秋分の日\r\n2026/10/12,スポーツの日\r\n" +
        "2026/11/3,文化の日\r\n2026/11/23,勤労感謝の日\r\n";

    private static readonly HolidayTable Table = HolidayTable.ParseCabinetOfficeCsv(Excerpt);

    private static Holiday? Find(int y, int m, int d) => Table.For(y).SingleOrDefault(h => h.Date == new DateOnly(y, m, d));

    [Fact]
    public void Excerpt_CoversItsYears() => Assert.Equal([2019, 2026], Table.Years);

    // F-7 worked examples.
    [Fact]
    public void Rows_BecomeHolidaysOfTheRightKind()
    {
        Assert.Equal(new Holiday(new DateOnly(2026, 9, 21), "敬老の日", HolidayKind.NationalHoliday), Find(2026, 9, 21));
        Assert.Equal(new Holiday(new DateOnly(2026, 9, 22), "国民の休日", HolidayKind.CitizensHoliday), Find(2026, 9, 22));
        Assert.Equal(new Holiday(new DateOnly(2026, 5, 6), "振替休日", HolidayKind.Substitute), Find(2026, 5, 6));
        // "休日（祝日扱い）" is a 国民の祝日, so the days either side of 2019-05-01 are 国民の休日.
        Assert.Equal(new Holiday(new DateOnly(2019, 5, 1), "即位の日", HolidayKind.NationalHoliday), Find(2019, 5, 1));
        Assert.Equal(new Holiday(new DateOnly(2019, 10, 22), "即位礼正殿の儀", HolidayKind.NationalHoliday), Find(2019, 10, 22));
        Assert.Equal(HolidayKind.CitizensHoliday, Find(2019, 4, 30)?.Kind);
        Assert.Equal(HolidayKind.CitizensHoliday, Find(2019, 5, 2)?.Kind);
        Assert.Equal(HolidayKind.Substitute, Find(2019, 5, 6)?.Kind);
        Assert.Equal(HolidayKind.Substitute, Find(2019, 8, 12)?.Kind);
        Assert.Equal(HolidayKind.Substitute, Find(2019, 11, 4)?.Kind);
    }

    [Fact]
    public void ListedYears_AgreeWithTheRulesOnDatesAndKinds()
    {
        foreach (var year in Table.Years)
        {
            Assert.Equal(
                JapaneseHolidays.For(year).Select(h => (h.Date, h.Kind)),
                Table.For(year).Select(h => (h.Date, h.Kind)));
        }
    }

    [Fact]
    public void ListedYears_ReplaceTheRules()
    {
        // The list's own name wins for the years it covers; other years are computed.
        Assert.Equal("体育の日（スポーツの日）", Find(2019, 10, 14)?.Name);
        Assert.Equal("体育の日", JapaneseHolidays.Find(new DateOnly(2019, 10, 14))?.Name);
        Assert.Same(JapaneseHolidays.For(2025), Table.For(2025));
        Assert.Equal("振替休日", Table.Find(new DateOnly(2025, 2, 24))?.Name);
    }

    [Fact]
    public void ListedYear_WinsEvenWhereTheFormulaDiffers()
    {
        // A hypothetical list for 2030 with 春分の日 a day later than the formula's 3/20.
        var table = HolidayTable.ParseCabinetOfficeCsv(HolidayTable.Header + "\n2030/1/1,元日\n2030/3/21,春分の日\n");

        Assert.Equal([new Holiday(new DateOnly(2030, 1, 1), "元日", HolidayKind.NationalHoliday), new Holiday(new DateOnly(2030, 3, 21), "春分の日", HolidayKind.NationalHoliday)], table.For(2030));
        Assert.Equal(new DateOnly(2030, 3, 20), JapaneseHolidays.VernalEquinox(2030));

        var calendar = new TownCalendar(table);
        Assert.Equal(CalendarDay.Workday, calendar.Classify(new DateOnly(2030, 3, 20)));
        Assert.Equal(CalendarDay.NationalHoliday, calendar.Classify(new DateOnly(2030, 3, 21)));
        Assert.Equal(CalendarDay.NationalHoliday, new TownCalendar().Classify(new DateOnly(2030, 3, 20)));
    }

    [Fact]
    public void ByteOrderMarkQuotesAndBlankLines_AreTolerated()
    {
        var table = HolidayTable.ParseCabinetOfficeCsv("\uFEFF\"国民の祝日・休日月日\",\"国民の祝日・休日名称\"\n\n\"2026/09/21\",\"敬老の日\"\n\n");
        Assert.Equal(new Holiday(new DateOnly(2026, 9, 21), "敬老の日", HolidayKind.NationalHoliday), Assert.Single(table.For(2026)));
    }

    [Theory]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\n2026/1/1,元日\n2026/13/1,成人の日\n", 3, "yyyy/M/d")]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\n2026-01-01,元日\n", 2, "yyyy/M/d")]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\n2026/1/1,元日\n2026/1/12,成人の日,月曜\n", 3, "2 fields")]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\n2026/1/1\n", 2, "2 fields")]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\n2026/1/1,\n", 2, "name is empty")]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\n2026/1/1,元日\n2026/1/1,元日\n", 3, "already on line 2")]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\n1950/1/1,元日\n", 2, "outside 1955–2150")]
    [InlineData("日付,名称\n2026/1/1,元日\n", 1, "header")]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\n2026/6/1,元日\n2026/6/10,休日\n", 3, "neither a 振替休日")]
    public void BadLines_AreRejectedWithTheirLineNumber(string csv, int line, string problem)
    {
        var error = Assert.Throws<FormatException>(() => HolidayTable.ParseCabinetOfficeCsv(csv));
        Assert.Contains($"line {line}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("国民の祝日・休日月日,国民の祝日・休日名称\r\n")]
    public void EmptyLists_AreRejected(string csv) =>
        Assert.Throws<FormatException>(() => HolidayTable.ParseCabinetOfficeCsv(csv));
}
