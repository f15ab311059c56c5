using System.Globalization;

namespace Dokodemo.Domain.Work;

/// <summary>How the counting (A-0, B-2) is set up; the defaults are the national model.</summary>
public sealed record CountingSettings
{
    public static readonly CountingSettings Default = new();

    /// <summary>The first day of the 労基法 week (B-2). Sunday unless the 就業規則/36協定 says otherwise.</summary>
    public DayOfWeek WeekStart { get; init; } = DayOfWeek.Sunday;

    /// <summary>法定労働時間 per day (労基法32条2項): 8h.</summary>
    public int LaborDailyMinutes { get; init; } = 8 * 60;

    /// <summary>法定労働時間 per week (労基法32条1項): 40h.</summary>
    public int LaborWeeklyMinutes { get; init; } = 40 * 60;

    /// <summary>深夜 starts at this hour (22:00) …</summary>
    public int NightStartHour { get; init; } = 22;

    /// <summary>… and ends at this hour the next morning (5:00).</summary>
    public int NightEndHour { get; init; } = 5;
}

/// <summary>
/// One day counted (A-0, B-2's daily part, 深夜). Minutes, all of them belonging to the <see cref="WorkDay"/> they were
/// recorded under (a shift running past midnight stays with the day it started on: 継続勤務 is one 勤務).
/// </summary>
public readonly record struct DayCount(
    DateOnly Date,
    int WorkedMinutes,
    int OrdinanceOvertimeMinutes,
    int HolidayWorkMinutes,
    int NightMinutes,
    int NightOvertimeMinutes,
    int NightHolidayWorkMinutes)
{
    /// <summary>Worked inside 正規の勤務時間 on a 勤務日 (neither 時間外 nor 休日勤務).</summary>
    public int RegularMinutes => WorkedMinutes - OrdinanceOvertimeMinutes - HolidayWorkMinutes;
}

/// <summary>One day under 労基法 (B-2): 時間外労働 found on this day (daily excess, or the weekly excess that arose on it) and 法定休日労働.</summary>
public readonly record struct LaborDay(DateOnly Date, int OvertimeMinutes, int LegalRestDayMinutes);

/// <summary>
/// Counting of working time (work-rules A-0 and B-2). The same minutes are counted two ways: under the 条例/規則
/// (beyond 正規の勤務時間, all 週休日 work, 休日勤務 apart) and under 労基法 (beyond 8h a day, then 40h a week, 法定休日
/// apart). Pure and allocation-light: the app counts 1,000 staff × a month at once.
/// </summary>
public static class Counting
{
    /// <summary>A-0 and 深夜 for one day.</summary>
    public static DayCount Day(WorkDay day, CountingSettings? settings = null)
    {
        var sink = new DaySink();
        Walk(day, settings ?? CountingSettings.Default, ref sink);
        // On a 週休日 nothing is assigned (Walk ignores any assignment), so all of it is outside: 時間外.
        var overtime = sink.Outside;
        var nightOvertime = sink.NightOutside;
        var holiday = day.Kind == StaffDayKind.Holiday ? sink.Total - sink.Outside : 0;
        var nightHoliday = day.Kind == StaffDayKind.Holiday ? sink.Night - sink.NightOutside : 0;
        return new DayCount(day.Date, sink.Total, overtime, holiday, sink.Night, nightOvertime, nightHoliday);
    }

    /// <summary>
    /// B-2 for a run of days in date order (any span; weeks are cut at <see cref="CountingSettings.WeekStart"/>).
    /// A day's minutes beyond 8h are 時間外労働; the rest add up in the week, and what goes beyond 40h is 時間外労働 of the
    /// day on which it arises, so no minute is counted twice. 法定休日 work is 休日労働 and stays out of the 40h.
    /// The days of a week that began in the previous month must be passed too, or the 40h is reached too late.
    /// </summary>
    public static LaborDay[] Labor(IReadOnlyList<WorkDay> days, CountingSettings? settings = null)
    {
        var s = settings ?? CountingSettings.Default;
        var result = new LaborDay[days.Count];
        DateOnly? weekStart = null;
        var weekRegular = 0;
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            if (i > 0 && day.Date <= days[i - 1].Date)
            {
                throw new ArgumentException("Days must be in date order, one record per date.", nameof(days));
            }

            var start = WeekStartOf(day.Date, s.WeekStart);
            if (start != weekStart)
            {
                weekStart = start;
                weekRegular = 0;
            }

            var worked = day.WorkedMinutes;
            if (day.IsLegalRestDay)
            {
                result[i] = new LaborDay(day.Date, 0, worked);
                continue;
            }

            var daily = Math.Max(0, worked - s.LaborDailyMinutes);
            var regular = worked - daily;
            var weekly = Math.Max(0, weekRegular + regular - s.LaborWeeklyMinutes);
            weekly = Math.Min(weekly, regular);
            weekRegular += regular - weekly;
            result[i] = new LaborDay(day.Date, daily + weekly, 0);
        }

        return result;
    }

    /// <summary>
    /// A month of counted hours for the caps (A, B, C-1). <paramref name="days"/> are in date order and may start before the
    /// month (the beginning of a week that crosses into it) and end after it; only days dated inside the month are summed,
    /// each with what arose on it. So a week from 3/29 to 4/4 gives March what it worked up to 3/31 and April the rest,
    /// including the weekly 40h excess if it is reached in April.
    /// </summary>
    public static MonthWork Month(DateOnly month, IReadOnlyList<WorkDay> days, CountingSettings? settings = null)
    {
        var s = settings ?? CountingSettings.Default;
        return Month(month, days, Labor(days, s), s);
    }

    /// <summary>The same, with <see cref="Labor"/> already worked out for <paramref name="days"/> (one pass serves many months).</summary>
    public static MonthWork Month(DateOnly month, IReadOnlyList<WorkDay> days, LaborDay[] labor, CountingSettings s)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(labor);
        ArgumentNullException.ThrowIfNull(s);
        int ordinance = 0, laborOvertime = 0, legalRest = 0, total = 0;
        var special = false;
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            if (day.Date.Year != month.Year || day.Date.Month != month.Month)
            {
                continue;
            }

            var count = Day(day, s);
            ordinance += count.OrdinanceOvertimeMinutes;
            total += count.WorkedMinutes;
            laborOvertime += labor[i].OvertimeMinutes;
            legalRest += labor[i].LegalRestDayMinutes;
            special |= day.SpecialDuty;
        }

        return new MonthWork
        {
            Month = new DateOnly(month.Year, month.Month, 1),
            OrdinanceOvertimeMinutes = ordinance,
            LaborOvertimeMinutes = laborOvertime,
            LegalRestDayMinutes = legalRest,
            TotalWorkedMinutes = total,
            SpecialDuty = special,
        };
    }

    /// <summary>The first day of the week <paramref name="date"/> is in.</summary>
    public static DateOnly WeekStartOf(DateOnly date, DayOfWeek weekStart = DayOfWeek.Sunday) =>
        date.AddDays(-(((int)date.DayOfWeek - (int)weekStart + 7) % 7));

    /// <summary>Minutes of <paramref name="interval"/> in 深夜 (22:00–5:00 by default), across any number of midnights.</summary>
    public static int NightMinutes(LocalInterval interval, CountingSettings? settings = null)
    {
        var s = settings ?? CountingSettings.Default;
        var total = 0;
        for (var day = interval.Start.Date.AddDays(-1); day <= interval.End.Date; day = day.AddDays(1))
        {
            total += interval.OverlapMinutes(new LocalInterval(day.AddHours(s.NightStartHour), day.AddDays(1).AddHours(s.NightEndHour)));
        }

        return total;
    }

    /// <summary>A receiver of the pieces of a day's work, in time order (a struct, so walking allocates nothing).</summary>
    internal interface IPieceSink
    {
        void Piece(DateTime start, int minutes, bool insideAssigned, bool night);
    }

    /// <summary>
    /// Cuts each worked interval at the assigned hours and at the 深夜 boundaries and hands the pieces over in time
    /// order. Worked and Assigned intervals are expected in time order and not overlapping among themselves.
    /// </summary>
    internal static void Walk<TSink>(WorkDay day, CountingSettings s, ref TSink sink)
        where TSink : struct, IPieceSink
    {
        IReadOnlyList<LocalInterval> assigned = day.Kind == StaffDayKind.WeeklyRest ? [] : day.Assigned;
        foreach (var worked in day.Worked)
        {
            var cursor = worked.Start;
            while (cursor < worked.End)
            {
                // The next change: the edge of an assigned interval or of the night.
                var inside = false;
                var next = worked.End;
                foreach (var a in assigned)
                {
                    if (a.Start <= cursor && cursor < a.End)
                    {
                        inside = true;
                        next = Min(next, a.End);
                    }
                    else if (a.Start > cursor)
                    {
                        next = Min(next, a.Start);
                    }
                }

                var night = IsNight(cursor, s, out var nightEdge);
                next = Min(next, nightEdge);
                sink.Piece(cursor, (int)Math.Round((next - cursor).TotalMinutes, MidpointRounding.AwayFromZero), inside, night);
                cursor = next;
            }
        }
    }

    private static bool IsNight(DateTime t, CountingSettings s, out DateTime edge)
    {
        var date = t.Date;
        var morningEnd = date.AddHours(s.NightEndHour);
        var eveningStart = date.AddHours(s.NightStartHour);
        if (t < morningEnd)
        {
            edge = morningEnd;
            return true;
        }

        if (t >= eveningStart)
        {
            edge = date.AddDays(1).AddHours(s.NightEndHour);
            return true;
        }

        edge = eveningStart;
        return false;
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private struct DaySink : IPieceSink
    {
        public int Total;
        public int Outside;
        public int Night;
        public int NightOutside;

        public void Piece(DateTime start, int minutes, bool insideAssigned, bool night)
        {
            Total += minutes;
            if (!insideAssigned)
            {
                Outside += minutes;
            }

            if (night)
            {
                Night += minutes;
                if (!insideAssigned)
                {
                    NightOutside += minutes;
                }
            }
        }
    }
}

/// <summary>Figures and wording shared by the day rules' findings.</summary>
internal static class CountingText
{
    /// <summary>Decimal hours to two places, the unit of <see cref="FindingFigure"/>.</summary>
    public static decimal Hours(int minutes) => Math.Round(minutes / 60m, 2);

    /// <summary>"1時間45分".</summary>
    public static string Ja(int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{minutes / 60}時間{Math.Abs(minutes % 60):00}分");

    /// <summary>"1h45m".</summary>
    public static string En(int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{minutes / 60}h{Math.Abs(minutes % 60):00}m");

    /// <summary>"9:30".</summary>
    public static string Clock(DateTime t) => t.ToString("H:mm", CultureInfo.InvariantCulture);

    /// <summary>"9:30".</summary>
    public static string Clock(TimeOnly t) => t.ToString("H:mm", CultureInfo.InvariantCulture);

    /// <summary>"2025-06-14".</summary>
    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static FindingFigure Figure(string name, decimal value) => new(name, value);
}
