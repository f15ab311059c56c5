using System.Globalization;
using Dokodemo.Domain.Work;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>Builders for the day-rule tests: intervals written as "8:30-12:00,13:00-17:15" (hours past 24 run into the next day).</summary>
internal static class CountingBuild
{
    public static DateOnly D(int y, int m, int d) => new(y, m, d);

    public static LocalInterval[] Iv(DateOnly date, string spec)
    {
        if (spec.Length == 0)
        {
            return [];
        }

        var parts = spec.Split(',');
        var result = new LocalInterval[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var ends = parts[i].Split('-');
            result[i] = new LocalInterval(At(date, ends[0]), At(date, ends[1]));
        }

        return result;
    }

    public static DateTime At(DateOnly date, string hm)
    {
        var bits = hm.Split(':');
        var h = int.Parse(bits[0], CultureInfo.InvariantCulture);
        var m = int.Parse(bits[1], CultureInfo.InvariantCulture);
        return date.ToDateTime(TimeOnly.MinValue).AddHours(h).AddMinutes(m);
    }

    /// <summary>A 勤務日 with the usual 8:30–17:15 and a 12:00–13:00 break; <paramref name="worked"/> breaks excluded.</summary>
    public static WorkDay Workday(DateOnly date, string worked, string assigned = "8:30-12:00,13:00-17:15", string breaks = "12:00-13:00") => new()
    {
        Date = date,
        Kind = StaffDayKind.Workday,
        Assigned = Iv(date, assigned),
        AssignedBreaks = Iv(date, breaks),
        Worked = Iv(date, worked),
        Breaks = Iv(date, breaks),
    };

    /// <summary>A 休日 (祝日法休日 / 年末年始): hours assigned but excused.</summary>
    public static WorkDay Holiday(DateOnly date, string worked) =>
        Workday(date, worked) with { Kind = StaffDayKind.Holiday };

    /// <summary>A 週休日; <paramref name="legal"/> marks the 法定休日.</summary>
    public static WorkDay Rest(DateOnly date, string worked = "", bool legal = false) => new()
    {
        Date = date,
        Kind = StaffDayKind.WeeklyRest,
        IsLegalRestDay = legal,
        Worked = Iv(date, worked),
    };

    /// <summary>The town's usual week from <paramref name="from"/> to <paramref name="to"/>: Sat/Sun 週休日 (Sunday 法定休日), weekdays worked 8:30–17:15.</summary>
    public static List<WorkDay> UsualDays(DateOnly from, DateOnly to, Func<DateOnly, WorkDay?>? custom = null)
    {
        var days = new List<WorkDay>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            var day = custom?.Invoke(d) ?? (d.DayOfWeek switch
            {
                DayOfWeek.Sunday => Rest(d, legal: true),
                DayOfWeek.Saturday => Rest(d),
                _ => Workday(d, "8:30-12:00,13:00-17:15"),
            });
            days.Add(day);
        }

        return days;
    }
}
