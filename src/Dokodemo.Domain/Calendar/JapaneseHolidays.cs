using System.Collections.Frozen;
using System.Globalization;

namespace Dokodemo.Domain.Calendar;

/// <summary>Why a day is a 休日 under 国民の祝日に関する法律 (祝日法).</summary>
public enum HolidayKind
{
    /// <summary>国民の祝日 (Art. 2), and the special-law days treated as one (e.g. 即位の日).</summary>
    NationalHoliday,

    /// <summary>振替休日 (Art. 3(2)): stands in for a 国民の祝日 that fell on a Sunday.</summary>
    Substitute,

    /// <summary>国民の休日 (Art. 3(3)): a day between two 国民の祝日.</summary>
    CitizensHoliday,
}

/// <summary>A 祝日法 holiday; <see cref="Name"/> is the Japanese name ("元日", "振替休日", "国民の休日").</summary>
public sealed record Holiday(DateOnly Date, string Name, HolidayKind Kind);

/// <summary>
/// Japanese national holidays computed from the rules of 祝日法 as amended (work-rules F-1..F-6), 1955–2150.
/// For published years the Cabinet Office list (<see cref="HolidayTable"/>) is the source of truth.
/// </summary>
public static class JapaneseHolidays
{
    public const int FirstYear = 1955;
    public const int LastYear = 2150;

    public const string SubstituteName = "振替休日";
    public const string CitizensHolidayName = "国民の休日";
    public const string VernalEquinoxName = "春分の日";
    public const string AutumnalEquinoxName = "秋分の日";

    /// <summary>
    /// The last year whose 春分日/秋分日 are officially fixed: 国立天文台's 暦要項 for year Y appears in the 官報
    /// in February of Y−1. Raise it each February.
    /// </summary>
    public static int LastOfficialYear => 2027;

    // 振替休日 began with the amendment in force 1973-04-12; 国民の休日 with the one of 1985-12-27.
    private static readonly DateOnly SubstituteStart = new(1973, 4, 12);
    private static readonly DateOnly CitizensHolidayStart = new(1985, 12, 27);

    // Before 2007 振替 was only the next day, and 国民の休日 excluded Sundays and 振替休日.
    private const int CurrentRulesFrom = 2007;

    private static readonly Lazy<HolidayYear>[] Years =
        Enumerable.Range(FirstYear, LastYear - FirstYear + 1)
            .Select(y => new Lazy<HolidayYear>(() => new HolidayYear(Compute(y))))
            .ToArray();

    /// <summary>The holidays of a year, sorted by date.</summary>
    public static IReadOnlyList<Holiday> For(int year) => Year(year).List;

    public static Holiday? Find(DateOnly date) => Year(date.Year).ByDate.GetValueOrDefault(date);

    /// <summary>True for any of the three kinds (祝日, 振替休日, 国民の休日).</summary>
    public static bool IsHoliday(DateOnly date) => Find(date) is not null;

    /// <summary>
    /// True when whether this date is a holiday rests on a 春分日/秋分日 not yet officially fixed: after
    /// <see cref="LastOfficialYear"/>, within two days of a computed equinox (the equinox itself, a 振替休日 or
    /// 国民の休日 it causes, or a day the real equinox might still fall on). Fixed-date and Monday holidays never are.
    /// </summary>
    public static bool IsProvisional(DateOnly date)
    {
        var year = Year(date.Year);
        if (date.Year <= LastOfficialYear)
        {
            return false;
        }

        if (year.ByDate.GetValueOrDefault(date) is { Kind: HolidayKind.NationalHoliday } h
            && h.Name is not (VernalEquinoxName or AutumnalEquinoxName))
        {
            return false;
        }

        return Math.Abs(date.DayNumber - VernalEquinox(date.Year).DayNumber) <= 2
            || Math.Abs(date.DayNumber - AutumnalEquinox(date.Year).DayNumber) <= 2;
    }

    /// <summary>春分日 by the 新こよみ便利帳 approximation (F-2).</summary>
    public static DateOnly VernalEquinox(int year)
    {
        CheckRange(year);
        return new DateOnly(year, 3, EquinoxDay(year, year switch { <= 1979 => 20.8357m, <= 2099 => 20.8431m, _ => 21.8510m }));
    }

    /// <summary>秋分日 by the 新こよみ便利帳 approximation (F-2).</summary>
    public static DateOnly AutumnalEquinox(int year)
    {
        CheckRange(year);
        return new DateOnly(year, 9, EquinoxDay(year, year switch { <= 1979 => 23.2588m, <= 2099 => 23.2488m, _ => 24.2488m }));
    }

    // Decimal keeps the constants exact; the leap-year term truncates toward zero as in the published formula.
    private static int EquinoxDay(int year, decimal constant)
    {
        var leapBase = year <= 1979 ? 1983 : 1980;
        return (int)decimal.Floor(constant + 0.242194m * (year - 1980) - (year - leapBase) / 4);
    }

    internal static void CheckRange(int year)
    {
        if (year is < FirstYear or > LastYear)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, string.Create(CultureInfo.InvariantCulture, $"Holidays are known for {FirstYear}–{LastYear}."));
        }
    }

    private static HolidayYear Year(int year)
    {
        CheckRange(year);
        return Years[year - FirstYear].Value;
    }

    private static List<Holiday> Compute(int y)
    {
        var days = new Dictionary<DateOnly, Holiday>();
        void Add(DateOnly date, string name) => days.Add(date, new Holiday(date, name, HolidayKind.NationalHoliday));
        void On(int month, int day, string name) => Add(new DateOnly(y, month, day), name);
        void Monday(int month, int nth, string name) => Add(NthMonday(y, month, nth), name);

        // F-1: 国民の祝日 (Art. 2) with the years each rule applied.
        On(1, 1, "元日");
        if (y <= 1999) { On(1, 15, "成人の日"); } else { Monday(1, 2, "成人の日"); }
        if (y >= 1967) { On(2, 11, "建国記念の日"); }
        if (y >= 2020) { On(2, 23, "天皇誕生日"); }
        Add(VernalEquinox(y), VernalEquinoxName);
        On(4, 29, y switch { <= 1988 => "天皇誕生日", <= 2006 => "みどりの日", _ => "昭和の日" });
        On(5, 3, "憲法記念日");
        if (y >= 2007) { On(5, 4, "みどりの日"); }
        On(5, 5, "こどもの日");
        switch (y)
        {
            // F-6: the Olympic moves.
            case 2020: On(7, 23, "海の日"); On(7, 24, "スポーツの日"); On(8, 10, "山の日"); break;
            case 2021: On(7, 22, "海の日"); On(7, 23, "スポーツの日"); On(8, 8, "山の日"); break;
            default:
                if (y is >= 1996 and <= 2002) { On(7, 20, "海の日"); } else if (y >= 2003) { Monday(7, 3, "海の日"); }
                if (y >= 2016) { On(8, 11, "山の日"); }
                if (y is >= 1966 and <= 1999) { On(10, 10, "体育の日"); }
                else if (y is >= 2000 and <= 2019) { Monday(10, 2, "体育の日"); }
                else if (y >= 2022) { Monday(10, 2, "スポーツの日"); }
                break;
        }

        if (y is >= 1966 and <= 2002) { On(9, 15, "敬老の日"); } else if (y >= 2003) { Monday(9, 3, "敬老の日"); }
        Add(AutumnalEquinox(y), AutumnalEquinoxName);
        On(11, 3, "文化の日");
        On(11, 23, "勤労感謝の日");
        if (y is >= 1989 and <= 2018) { On(12, 23, "天皇誕生日"); }

        // F-5: days made 休日 by special laws; the 2019 law counts its days as 国民の祝日 for Art. 3.
        switch (y)
        {
            case 1959: On(4, 10, "結婚の儀"); break;
            case 1989: On(2, 24, "大喪の礼"); break;
            case 1990: On(11, 12, "即位礼正殿の儀"); break;
            case 1993: On(6, 9, "結婚の儀"); break;
            case 2019: On(5, 1, "即位の日"); On(10, 22, "即位礼正殿の儀"); break;
            default: break;
        }

        var national = days.Keys.ToHashSet();

        // F-3: 振替休日.
        foreach (var sunday in national.Where(d => d.DayOfWeek == DayOfWeek.Sunday && d >= SubstituteStart))
        {
            var next = sunday.AddDays(1);
            if (y < CurrentRulesFrom)
            {
                if (national.Contains(next))
                {
                    continue;
                }
            }
            else
            {
                while (national.Contains(next))
                {
                    next = next.AddDays(1);
                }
            }

            days.TryAdd(next, new Holiday(next, SubstituteName, HolidayKind.Substitute));
        }

        // F-4: 国民の休日; a 振替休日 is not a 国民の祝日, so it neither makes nor breaks a sandwich.
        foreach (var before in national)
        {
            var day = before.AddDays(1);
            if (day < CitizensHolidayStart || national.Contains(day) || !national.Contains(day.AddDays(1)))
            {
                continue;
            }

            if (y < CurrentRulesFrom && day.DayOfWeek == DayOfWeek.Sunday)
            {
                continue;
            }

            days.TryAdd(day, new Holiday(day, CitizensHolidayName, HolidayKind.CitizensHoliday));
        }

        return [.. days.Values];
    }

    private static DateOnly NthMonday(int year, int month, int nth)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + 7 * (nth - 1));
    }
}

/// <summary>One year's holidays: sorted, read-only, and indexed by date.</summary>
internal sealed class HolidayYear
{
    public HolidayYear(IEnumerable<Holiday> holidays)
    {
        List = holidays.OrderBy(h => h.Date).ToList().AsReadOnly();
        ByDate = List.ToFrozenDictionary(h => h.Date);
    }

    public IReadOnlyList<Holiday> List { get; }

    public FrozenDictionary<DateOnly, Holiday> ByDate { get; }
}
