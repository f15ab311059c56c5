using System.Globalization;

namespace Dokodemo.Domain.Calendar;

/// <summary>A Japanese era (元号) with the first day it was in force.</summary>
public sealed record Era(string Name, string EnglishName, DateOnly Start);

/// <summary>和暦 and 年度 (fiscal year, April to March), computed without the OS calendar data.</summary>
public static class JapaneseDates
{
    // Newest first. 昭和 began 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
    private static readonly Era[] Eras =
    [
        new("令和", "Reiwa", new DateOnly(2019, 5, 1)),
        new("平成", "Heisei", new DateOnly(1989, 1, 8)),
        new("昭和", "Showa", new DateOnly(1926, 12, 25)),
        new("大正", "Taisho", new DateOnly(1912, 7, 30)),
        new("明治", "Meiji", new DateOnly(1873, 1, 1)),
    ];

    private static readonly string[] WeekdaysJa = ["日", "月", "火", "水", "木", "金", "土"];

    public static Era EraOf(DateOnly date) =>
        Eras.FirstOrDefault(e => date >= e.Start) ?? throw new ArgumentOutOfRangeException(nameof(date), "Before 1873.");

    /// <summary>The year within its era; the first year is 1 (元年).</summary>
    public static int EraYear(DateOnly date) => date.Year - EraOf(date).Start.Year + 1;

    /// <summary>The fiscal year (年度) a date falls in: April 2026 to March 2027 is 2026年度.</summary>
    public static int FiscalYear(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    /// <summary>"令和8年" — 元年 for the first year, as official documents write it.</summary>
    public static string WarekiYear(DateOnly date) => EraYearText(EraOf(date), EraYear(date));

    /// <summary>"令和8年11月22日".</summary>
    public static string WarekiDate(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{WarekiYear(date)}{date.Month}月{date.Day}日");

    /// <summary>"2026年11月22日（日）".</summary>
    public static string SeirekiDate(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日（{WeekdaysJa[(int)date.DayOfWeek]}）");

    /// <summary>
    /// "令和8年度". A fiscal year in which the era changed is named by the era in force on the date, as the
    /// government did for 2019 (平成31年度 in April, 令和元年度 from May); an era that began in the last months
    /// of a fiscal year (平成, January 1989) does not rename that year (昭和63年度).
    /// </summary>
    public static string WarekiFiscalYear(DateOnly date)
    {
        var fy = FiscalYear(date);
        var era = EraOf(date);
        if (fy < era.Start.Year)
        {
            era = EraOf(new DateOnly(fy, 4, 1));
        }

        return EraYearText(era, fy - era.Start.Year + 1) + "度";
    }


    private static string EraYearText(Era era, int year) =>
        year == 1 ? $"{era.Name}元年" : string.Create(CultureInfo.InvariantCulture, $"{era.Name}{year}年");
}
