using System.Globalization;
using Dokodemo.Domain.Calendar;

namespace Dokodemo.Domain.Tests;

public class JapaneseHolidaysTests
{
    private const HolidayKind N = HolidayKind.NationalHoliday;
    private const HolidayKind S = HolidayKind.Substitute;
    private const HolidayKind C = HolidayKind.CitizensHoliday;

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void AssertHoliday(string iso, string name, HolidayKind kind) =>
        Assert.Equal(new Holiday(D(iso), name, kind), JapaneseHolidays.Find(D(iso)));

    private static void AssertYear(int year, params (string Date, string Name, HolidayKind Kind)[] expected)
    {
        var actual = JapaneseHolidays.For(year).Select(h => (h.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), h.Name, h.Kind));
        Assert.Equal(expected, actual);
    }

    // F-1: every holiday in its current form, and each historical change on both sides of it.
    [Theory]
    [InlineData("2026-01-01", "元日")]
    [InlineData("1999-01-15", "成人の日")]
    [InlineData("2000-01-10", "成人の日")]     // Happy Monday from 2000: 2nd Monday of January
    [InlineData("1967-02-11", "建国記念の日")]
    [InlineData("1988-04-29", "天皇誕生日")]
    [InlineData("1989-04-29", "みどりの日")]
    [InlineData("2006-04-29", "みどりの日")]
    [InlineData("2007-04-29", "昭和の日")]
    [InlineData("2007-05-04", "みどりの日")]
    [InlineData("1989-12-23", "天皇誕生日")]
    [InlineData("2018-12-23", "天皇誕生日")]
    [InlineData("2020-02-23", "天皇誕生日")]
    [InlineData("2026-05-03", "憲法記念日")]
    [InlineData("2026-05-05", "こどもの日")]
    [InlineData("1996-07-20", "海の日")]
    [InlineData("2002-07-20", "海の日")]
    [InlineData("2003-07-21", "海の日")]       // 3rd Monday of July from 2003
    [InlineData("2016-08-11", "山の日")]
    [InlineData("1966-09-15", "敬老の日")]
    [InlineData("2002-09-15", "敬老の日")]
    [InlineData("2004-09-20", "敬老の日")]     // 3rd Monday of September from 2003
    [InlineData("1966-10-10", "体育の日")]
    [InlineData("1999-10-10", "体育の日")]
    [InlineData("2000-10-09", "体育の日")]     // 2nd Monday of October from 2000
    [InlineData("2019-10-14", "体育の日")]
    [InlineData("2022-10-10", "スポーツの日")]
    [InlineData("2026-11-03", "文化の日")]
    [InlineData("2026-11-23", "勤労感謝の日")]
    public void NationalHolidays_FollowTheLawOfTheirYear(string date, string name) => AssertHoliday(date, name, N);

    [Theory]
    [InlineData("1966-02-11")]  // 建国記念の日 from 1967
    [InlineData("2000-01-17")]  // Jan 15 of 2000 was a Saturday; the Monday after is not a holiday
    [InlineData("1988-05-04")]  // (国民の休日, not a 祝日 — checked below)
    [InlineData("2006-05-04")]
    [InlineData("1995-07-20")]  // 海の日 from 1996
    [InlineData("2015-08-11")]  // 山の日 from 2016
    [InlineData("1965-09-15")]  // 敬老の日 and 体育の日 from 1966
    [InlineData("1965-10-10")]
    [InlineData("2019-02-23")]  // no 天皇誕生日 in 2019
    [InlineData("2019-12-23")]
    [InlineData("2020-10-12")]  // スポーツの日 moved to July in 2020 and 2021
    [InlineData("2021-10-11")]
    public void NoNationalHoliday_OutsideTheYearsOfItsRule(string date) =>
        Assert.NotEqual(N, JapaneseHolidays.Find(D(date))?.Kind);

    [Fact]
    public void Year2019_HasNoEmperorsBirthday() =>
        Assert.DoesNotContain(JapaneseHolidays.For(2019), h => h.Name == "天皇誕生日");

    // F-2: the worked examples, and the 1900–1979 constants for the early years.
    [Theory]
    [InlineData(2025, 20, 23)]
    [InlineData(2026, 20, 23)]
    [InlineData(2027, 21, 23)]
    [InlineData(2028, 20, 22)]
    [InlineData(2092, 19, 22)]
    [InlineData(2099, 20, 23)]
    [InlineData(1955, 21, 24)]
    [InlineData(1960, 20, 23)]
    [InlineData(1979, 21, 24)]
    [InlineData(1980, 20, 23)]
    [InlineData(2012, 20, 22)]
    public void Equinoxes_FollowTheFormula(int year, int march, int september)
    {
        Assert.Equal(new DateOnly(year, 3, march), JapaneseHolidays.VernalEquinox(year));
        Assert.Equal(new DateOnly(year, 9, september), JapaneseHolidays.AutumnalEquinox(year));
        AssertHoliday($"{year}-03-{march:00}", "春分の日", N);
        AssertHoliday($"{year}-09-{september:00}", "秋分の日", N);
    }

    [Fact]
    public void Equinoxes_After2099_UseTheLaterConstants()
    {
        // 21.8510 / 24.2488 with (Y−1980)/4: 2100 → Mar 20, Sep 23; 2150 → Mar 21, Sep 23.
        Assert.Equal(new DateOnly(2100, 3, 20), JapaneseHolidays.VernalEquinox(2100));
        Assert.Equal(new DateOnly(2100, 9, 23), JapaneseHolidays.AutumnalEquinox(2100));
        Assert.Equal(new DateOnly(2150, 3, 21), JapaneseHolidays.VernalEquinox(2150));
        Assert.Equal(new DateOnly(2150, 9, 23), JapaneseHolidays.AutumnalEquinox(2150));
    }

    // F-3: 振替休日.
    [Theory]
    [InlineData("2025-02-24")]  // 天皇誕生日 on Sunday 2/23
    [InlineData("2026-05-06")]  // 5/3 Sunday; 5/4 and 5/5 are 祝日 → Wednesday
    [InlineData("2008-05-06")]  // みどりの日 on Sunday 5/4 → Tuesday
    [InlineData("2021-08-09")]  // moved 山の日 on Sunday 8/8
    [InlineData("2027-03-22")]  // 春分の日 on Sunday 3/21
    [InlineData("1973-04-30")]  // the first 振替休日
    [InlineData("1992-05-04")]  // 1973–2006: the Monday after a Sunday 祝日
    [InlineData("2023-01-02")]
    public void Substitute_IsTheNearestFollowingNonHoliday(string date) => AssertHoliday(date, "振替休日", S);

    [Theory]
    [InlineData("2022-01-03")]  // 元日 on Saturday 2022-01-01: Saturdays never make a 振替
    [InlineData("1973-02-12")]  // 建国記念の日 on Sunday, before the 1973-04-12 amendment
    [InlineData("1967-01-16")]  // 成人の日 on Sunday 1967-01-15
    public void NoSubstitute_ForSaturdaysOrBeforeApril1973(string date) => Assert.False(JapaneseHolidays.IsHoliday(D(date)));

    // F-4: 国民の休日.
    [Theory]
    [InlineData("2026-09-22")]
    [InlineData("2032-09-21")]
    [InlineData("2037-09-22")]
    [InlineData("2015-09-22")]
    [InlineData("2009-09-22")]
    [InlineData("1988-05-04")]
    [InlineData("2006-05-04")]
    [InlineData("2019-04-30")]  // F-5: between 昭和の日 and 即位の日
    [InlineData("2019-05-02")]  // between 即位の日 and 憲法記念日
    public void CitizensHoliday_IsADayBetweenTwoNationalHolidays(string date) => AssertHoliday(date, "国民の休日", C);

    [Theory]
    [InlineData("1986-05-04")]  // a Sunday; before 2007 Sundays were excluded
    [InlineData("1997-05-04")]
    public void NoCitizensHoliday_OnASundayBefore2007(string date) => Assert.Null(JapaneseHolidays.Find(D(date)));

    [Fact]
    public void CitizensHoliday_OnlyBetweenTwoNationalHolidays_SubstitutesNeverCount()
    {
        for (var year = JapaneseHolidays.FirstYear; year <= JapaneseHolidays.LastYear; year++)
        {
            foreach (var h in JapaneseHolidays.For(year).Where(h => h.Kind == C))
            {
                Assert.Equal(N, JapaneseHolidays.Find(h.Date.AddDays(-1))?.Kind);
                Assert.Equal(N, JapaneseHolidays.Find(h.Date.AddDays(1))?.Kind);
                Assert.True(h.Date >= new DateOnly(1988, 1, 1), $"{h.Date} is before the first 国民の休日");
            }
        }
    }

    [Fact]
    public void Substitutes_AlwaysFollowASundayNationalHoliday()
    {
        for (var year = JapaneseHolidays.FirstYear; year <= JapaneseHolidays.LastYear; year++)
        {
            foreach (var h in JapaneseHolidays.For(year).Where(h => h.Kind == S))
            {
                var day = h.Date.AddDays(-1);
                while (day.DayOfWeek != DayOfWeek.Sunday)
                {
                    Assert.Equal(N, JapaneseHolidays.Find(day)?.Kind);
                    day = day.AddDays(-1);
                }

                Assert.Equal(N, JapaneseHolidays.Find(day)?.Kind);
                Assert.NotEqual(DayOfWeek.Sunday, h.Date.DayOfWeek);
            }
        }
    }

    // F-5: days made holidays by special laws.
    [Theory]
    [InlineData("1959-04-10", "結婚の儀")]
    [InlineData("1989-02-24", "大喪の礼")]
    [InlineData("1990-11-12", "即位礼正殿の儀")]
    [InlineData("1993-06-09", "結婚の儀")]
    [InlineData("2019-05-01", "即位の日")]
    [InlineData("2019-10-22", "即位礼正殿の儀")]
    public void OneOffDays_AreHolidays(string date, string name) => AssertHoliday(date, name, N);

    // F-6: the Olympic moves, and their usual dates are ordinary days those years.
    [Theory]
    [InlineData("2020-07-23", "海の日")]
    [InlineData("2020-07-24", "スポーツの日")]
    [InlineData("2020-08-10", "山の日")]
    [InlineData("2021-07-22", "海の日")]
    [InlineData("2021-07-23", "スポーツの日")]
    [InlineData("2021-08-08", "山の日")]
    public void OlympicYears_MoveThreeHolidays(string date, string name) => AssertHoliday(date, name, N);

    [Theory]
    [InlineData("2020-07-20")]
    [InlineData("2020-08-11")]
    [InlineData("2020-10-12")]
    [InlineData("2021-07-19")]
    [InlineData("2021-08-11")]
    [InlineData("2021-10-11")]
    public void OlympicYears_UsualDatesAreNotHolidays(string date) => Assert.False(JapaneseHolidays.IsHoliday(D(date)));

    // Full lists, checked against the Cabinet Office list.
    [Fact]
    public void Year2019_TenDayGoldenWeekAndTheEnthronement() => AssertYear(2019,
        ("2019-01-01", "元日", N), ("2019-01-14", "成人の日", N), ("2019-02-11", "建国記念の日", N),
        ("2019-03-21", "春分の日", N), ("2019-04-29", "昭和の日", N), ("2019-04-30", "国民の休日", C),
        ("2019-05-01", "即位の日", N), ("2019-05-02", "国民の休日", C), ("2019-05-03", "憲法記念日", N),
        ("2019-05-04", "みどりの日", N), ("2019-05-05", "こどもの日", N), ("2019-05-06", "振替休日", S),
        ("2019-07-15", "海の日", N), ("2019-08-11", "山の日", N), ("2019-08-12", "振替休日", S),
        ("2019-09-16", "敬老の日", N), ("2019-09-23", "秋分の日", N), ("2019-10-14", "体育の日", N),
        ("2019-10-22", "即位礼正殿の儀", N), ("2019-11-03", "文化の日", N), ("2019-11-04", "振替休日", S),
        ("2019-11-23", "勤労感謝の日", N));

    [Fact]
    public void Year2020_OlympicMoves() => AssertYear(2020,
        ("2020-01-01", "元日", N), ("2020-01-13", "成人の日", N), ("2020-02-11", "建国記念の日", N),
        ("2020-02-23", "天皇誕生日", N), ("2020-02-24", "振替休日", S), ("2020-03-20", "春分の日", N),
        ("2020-04-29", "昭和の日", N), ("2020-05-03", "憲法記念日", N), ("2020-05-04", "みどりの日", N),
        ("2020-05-05", "こどもの日", N), ("2020-05-06", "振替休日", S), ("2020-07-23", "海の日", N),
        ("2020-07-24", "スポーツの日", N), ("2020-08-10", "山の日", N), ("2020-09-21", "敬老の日", N),
        ("2020-09-22", "秋分の日", N), ("2020-11-03", "文化の日", N), ("2020-11-23", "勤労感謝の日", N));

    [Fact]
    public void Year2021_OlympicMovesWithSubstitute() => AssertYear(2021,
        ("2021-01-01", "元日", N), ("2021-01-11", "成人の日", N), ("2021-02-11", "建国記念の日", N),
        ("2021-02-23", "天皇誕生日", N), ("2021-03-20", "春分の日", N), ("2021-04-29", "昭和の日", N),
        ("2021-05-03", "憲法記念日", N), ("2021-05-04", "みどりの日", N), ("2021-05-05", "こどもの日", N),
        ("2021-07-22", "海の日", N), ("2021-07-23", "スポーツの日", N), ("2021-08-08", "山の日", N),
        ("2021-08-09", "振替休日", S), ("2021-09-20", "敬老の日", N), ("2021-09-23", "秋分の日", N),
        ("2021-11-03", "文化の日", N), ("2021-11-23", "勤労感謝の日", N));

    [Fact]
    public void Year2025() => AssertYear(2025,
        ("2025-01-01", "元日", N), ("2025-01-13", "成人の日", N), ("2025-02-11", "建国記念の日", N),
        ("2025-02-23", "天皇誕生日", N), ("2025-02-24", "振替休日", S), ("2025-03-20", "春分の日", N),
        ("2025-04-29", "昭和の日", N), ("2025-05-03", "憲法記念日", N), ("2025-05-04", "みどりの日", N),
        ("2025-05-05", "こどもの日", N), ("2025-05-06", "振替休日", S), ("2025-07-21", "海の日", N),
        ("2025-08-11", "山の日", N), ("2025-09-15", "敬老の日", N), ("2025-09-23", "秋分の日", N),
        ("2025-10-13", "スポーツの日", N), ("2025-11-03", "文化の日", N), ("2025-11-23", "勤労感謝の日", N),
        ("2025-11-24", "振替休日", S));

    [Fact]
    public void Year2026() => AssertYear(2026,
        ("2026-01-01", "元日", N), ("2026-01-12", "成人の日", N), ("2026-02-11", "建国記念の日", N),
        ("2026-02-23", "天皇誕生日", N), ("2026-03-20", "春分の日", N), ("2026-04-29", "昭和の日", N),
        ("2026-05-03", "憲法記念日", N), ("2026-05-04", "みどりの日", N), ("2026-05-05", "こどもの日", N),
        ("2026-05-06", "振替休日", S), ("2026-07-20", "海の日", N), ("2026-08-11", "山の日", N),
        ("2026-09-21", "敬老の日", N), ("2026-09-22", "国民の休日", C), ("2026-09-23", "秋分の日", N),
        ("2026-10-12", "スポーツの日", N), ("2026-11-03", "文化の日", N), ("2026-11-23", "勤労感謝の日", N));

    [Fact]
    public void EveryYear_IsComputedSortedWithinTheYearAndWithoutDuplicates()
    {
        for (var year = JapaneseHolidays.FirstYear; year <= JapaneseHolidays.LastYear; year++)
        {
            var list = JapaneseHolidays.For(year);
            Assert.InRange(list.Count, 9, 25);
            Assert.All(list, h => Assert.Equal(year, h.Date.Year));
            Assert.All(list.Zip(list.Skip(1)), pair => Assert.True(pair.First.Date < pair.Second.Date, $"{pair.First} then {pair.Second}"));
            Assert.All(list, h => Assert.Same(h, JapaneseHolidays.Find(h.Date)));
        }
    }

    [Fact]
    public void For_ReturnsAListCallersCannotChange()
    {
        var list = JapaneseHolidays.For(2026);
        var asList = Assert.IsAssignableFrom<IList<Holiday>>(list);
        Assert.Throws<NotSupportedException>(() => asList[0] = new Holiday(new DateOnly(2026, 1, 2), "x", N));
    }

    [Theory]
    [InlineData(1954)]
    [InlineData(2151)]
    public void YearsOutsideTheRange_AreRejected(int year)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JapaneseHolidays.For(year));
        Assert.Throws<ArgumentOutOfRangeException>(() => JapaneseHolidays.IsHoliday(new DateOnly(year, 6, 1)));
    }

    // F-2 policy: dates that rest on an unpublished equinox are provisional.
    [Theory]
    [InlineData("2026-09-22", false)]  // published
    [InlineData("2027-03-21", false)]  // published in February 2026
    [InlineData("2027-03-22", false)]
    [InlineData("2028-03-20", true)]   // the equinox itself
    [InlineData("2028-03-21", true)]   // the real equinox could still be the next day
    [InlineData("2028-09-22", true)]
    [InlineData("2032-09-21", true)]   // 国民の休日 made by 秋分の日
    [InlineData("2032-09-20", false)]  // 敬老の日 is a Monday rule
    [InlineData("2033-03-21", true)]   // 振替休日 for 春分の日 on Sunday 3/20
    [InlineData("2028-05-03", false)]
    [InlineData("2028-06-01", false)]
    public void IsProvisional_MarksDatesThatDependOnAnUnpublishedEquinox(string date, bool expected) =>
        Assert.Equal(expected, JapaneseHolidays.IsProvisional(D(date)));
}
