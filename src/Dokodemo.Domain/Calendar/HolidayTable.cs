using System.Collections.Frozen;
using System.Globalization;

namespace Dokodemo.Domain.Calendar;

/// <summary>
/// The Cabinet Office's list of holidays (内閣府「国民の祝日について」 syukujitsu.csv, work-rules F-7). For the years it
/// covers it replaces the rules of <see cref="JapaneseHolidays"/>; other years fall back to them.
/// </summary>
public sealed class HolidayTable
{
    public const string Header = "国民の祝日・休日月日,国民の祝日・休日名称";

    // The CSV names both 振替休日 and 国民の休日 just "休日"; the 2019 special days are "休日（祝日扱い）".
    private const string PlainHoliday = "休日";
    private static readonly string[] TreatedAsNational = ["休日（祝日扱い）", "休日(祝日扱い)"];

    private readonly FrozenDictionary<int, HolidayYear> years;

    private HolidayTable(Dictionary<int, HolidayYear> years)
    {
        this.years = years.ToFrozenDictionary();
        Years = years.Keys.Order().ToList().AsReadOnly();
    }

    /// <summary>The years the list covers, ascending.</summary>
    public IReadOnlyCollection<int> Years { get; }

    /// <summary>The listed holidays of a covered year, otherwise the computed ones.</summary>
    public IReadOnlyList<Holiday> For(int year) =>
        years.TryGetValue(year, out var listed) ? listed.List : JapaneseHolidays.For(year);

    public Holiday? Find(DateOnly date) =>
        years.TryGetValue(date.Year, out var listed) ? listed.ByDate.GetValueOrDefault(date) : JapaneseHolidays.Find(date);

    /// <summary>
    /// Parses the CSV text (already decoded from CP932). A "休日" row becomes a 振替休日 when a run of 国民の祝日
    /// back to a Sunday precedes it, else a 国民の休日 when 国民の祝日 are on both sides; one that is neither is
    /// rejected, as it means the law changed in a way this code does not know.
    /// </summary>
    /// <exception cref="FormatException">A line is not a valid row; the message names the line number.</exception>
    public static HolidayTable ParseCabinetOfficeCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var rows = new List<(int Line, DateOnly Date, string Name)>();
        var lineOf = new Dictionary<DateOnly, int>();
        var sawHeader = false;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r').TrimStart('\uFEFF');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',').Select(Unquote).ToArray();
            if (!sawHeader)
            {
                if (string.Join(',', fields) != Header)
                {
                    throw Bad(number, line, $"expected the header \"{Header}\"");
                }

                sawHeader = true;
                continue;
            }

            if (fields.Length != 2)
            {
                throw Bad(number, line, string.Create(CultureInfo.InvariantCulture, $"expected 2 fields (date,name), found {fields.Length}"));
            }

            if (!DateOnly.TryParseExact(fields[0], "yyyy/M/d", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw Bad(number, line, "the date is not of the form yyyy/M/d");
            }

            if (date.Year is < JapaneseHolidays.FirstYear or > JapaneseHolidays.LastYear)
            {
                throw Bad(number, line, string.Create(CultureInfo.InvariantCulture, $"the date is outside {JapaneseHolidays.FirstYear}–{JapaneseHolidays.LastYear}"));
            }

            if (fields[1].Length == 0)
            {
                throw Bad(number, line, "the name is empty");
            }

            if (!lineOf.TryAdd(date, number))
            {
                throw Bad(number, line, string.Create(CultureInfo.InvariantCulture, $"the date is already on line {lineOf[date]}"));
            }

            rows.Add((number, date, fields[1]));
        }

        if (rows.Count == 0)
        {
            throw new FormatException(sawHeader ? "The holiday list has no rows." : $"The holiday list is empty; expected the header \"{Header}\".");
        }

        var national = rows.Where(r => !IsPlain(r.Name)).Select(r => r.Date).ToHashSet();
        var holidays = rows.Select(r => ToHoliday(r.Line, r.Date, r.Name, national));
        return new HolidayTable(holidays.GroupBy(h => h.Date.Year).ToDictionary(g => g.Key, g => new HolidayYear(g)));
    }

    private static bool IsPlain(string name) =>
        name is PlainHoliday or JapaneseHolidays.SubstituteName or JapaneseHolidays.CitizensHolidayName;

    private static Holiday ToHoliday(int line, DateOnly date, string name, HashSet<DateOnly> national)
    {
        switch (name)
        {
            case JapaneseHolidays.SubstituteName:
                return new Holiday(date, name, HolidayKind.Substitute);
            case JapaneseHolidays.CitizensHolidayName:
                return new Holiday(date, name, HolidayKind.CitizensHoliday);
            case PlainHoliday:
                if (FollowsSundayHoliday(date, national))
                {
                    return new Holiday(date, JapaneseHolidays.SubstituteName, HolidayKind.Substitute);
                }

                if (national.Contains(date.AddDays(-1)) && national.Contains(date.AddDays(1)))
                {
                    return new Holiday(date, JapaneseHolidays.CitizensHolidayName, HolidayKind.CitizensHoliday);
                }

                throw Bad(line, date.ToString("yyyy/M/d", CultureInfo.InvariantCulture) + "," + name, "this 休日 is neither a 振替休日 (after a Sunday 祝日) nor a 国民の休日 (between two 祝日)");
            default:
                // Keep the rules' name ("即位の日") where the list only says "休日（祝日扱い）".
                if (TreatedAsNational.Contains(name) && JapaneseHolidays.Find(date) is { Kind: HolidayKind.NationalHoliday } known)
                {
                    name = known.Name;
                }

                return new Holiday(date, name, HolidayKind.NationalHoliday);
        }
    }

    // 振替休日 is the nearest following day that is not a 国民の祝日 (since 2007; before, the Monday only).
    private static bool FollowsSundayHoliday(DateOnly date, HashSet<DateOnly> national)
    {
        for (var day = date.AddDays(-1); national.Contains(day); day = day.AddDays(-1))
        {
            if (day.DayOfWeek == DayOfWeek.Sunday)
            {
                return true;
            }
        }

        return false;
    }

    private static string Unquote(string field)
    {
        var f = field.Trim();
        return f.Length >= 2 && f[0] == '"' && f[^1] == '"' ? f[1..^1].Trim() : f;
    }

    private static FormatException Bad(int line, string text, string problem)
    {
        var shown = text.Length > 60 ? text[..60] + "…" : text;
        return new FormatException(string.Create(CultureInfo.InvariantCulture, $"Holiday list line {line}: {problem}: \"{shown}\"."));
    }
}
