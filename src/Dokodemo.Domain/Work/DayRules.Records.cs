namespace Dokodemo.Domain.Work;

public static partial class DayRules
{
    /// <summary>
    /// C-2 (労働時間の状況の把握, 安衛則52条の7の3): the self-reported start and end against the objective record (PC,
    /// VPN or terminal sessions). A start or end further apart than the tolerance is a warning for the supervisor to
    /// confirm (unordered work or an idle session) with the reason; a declared telework day with no log at all needs a
    /// 現認/confirmation note. Null <paramref name="reported"/> means nothing was self-reported.
    /// </summary>
    public static IReadOnlyList<Finding> Records(
        DateOnly date, LocalInterval? reported, IReadOnlyList<LocalInterval> logged, bool declaredTelework, DayRuleSettings? settings = null)
    {
        var s = settings ?? DayRuleSettings.Default;
        if (logged.Count == 0)
        {
            return declaredTelework || reported is not null
                ? [new Finding("C-2", FindingSeverity.Warning, date, date,
                    "客観的記録（ログ）がありません。上司の現認・確認記録が必要です。",
                    "No objective record (log) for this day: the supervisor must confirm and record a note.",
                    [new("loggedSessions", 0)])]
                : [];
        }

        if (reported is not LocalInterval r)
        {
            return [];
        }

        var (first, last) = Span(logged);
        var startGap = Gap(r.Start, first);
        var endGap = Gap(r.End, last);
        if (startGap <= s.RecordToleranceMinutes && endGap <= s.RecordToleranceMinutes)
        {
            return [];
        }

        var largest = Math.Max(startGap, endGap);
        return [new Finding("C-2", FindingSeverity.Warning, date, date,
            $"自己申告（{CountingText.Clock(r.Start)}–{CountingText.Clock(r.End)}）とログ（{CountingText.Clock(first)}–{CountingText.Clock(last)}）の差が{CountingText.Ja(largest)}あります。上司が確認し理由を記録してください。",
            $"Self-report ({CountingText.Clock(r.Start)}–{CountingText.Clock(r.End)}) and log ({CountingText.Clock(first)}–{CountingText.Clock(last)}) differ by {CountingText.En(largest)}: the supervisor must confirm and record the reason.",
            [new("startGapMinutes", startGap), new("endGapMinutes", endGap), new("toleranceMinutes", s.RecordToleranceMinutes)])];
    }

    /// <summary>
    /// C-2 for one day of the engine: compared only from <paramref name="recordsFrom"/> (the town's first log) and for days
    /// that are over (before <paramref name="today"/>), when the town checks records at all, and not once a supervisor
    /// has noted the day. The self-report is the day's worked span (first start to last end).
    /// </summary>
    public static IReadOnlyList<Finding> Records(WorkDay day, DateOnly? recordsFrom, DateOnly today, DayRuleSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(day);
        var s = settings ?? DayRuleSettings.Default;
        if (!s.CheckRecords || recordsFrom is not { } from || day.Date < from || day.Date >= today || day.RecordsNoted)
        {
            return [];
        }

        var reported = ReportedSpan(day);

        // A telework day taken wholly as leave has nothing to log.
        var onLeave = day.Worked.Count == 0 && day.AssignedMinutes > 0 && day.LeaveMinutes >= day.AssignedMinutes;
        return Records(day.Date, reported, day.Logged, day.Telework && !onLeave && day.Kind == StaffDayKind.Workday, s);
    }

    /// <summary>The span of a day's self-report (first start to last end), or null when nothing was reported.</summary>
    public static LocalInterval? ReportedSpan(WorkDay day)
    {
        ArgumentNullException.ThrowIfNull(day);
        return day.Worked.Count == 0 ? null : new LocalInterval(day.Worked.Min(w => w.Start), day.Worked.Max(w => w.End));
    }

    private static int Gap(DateTime a, DateTime b) => (int)Math.Round(Math.Abs((a - b).TotalMinutes), MidpointRounding.AwayFromZero);
}
