namespace Dokodemo.Domain.Work;

/// <summary>A break threshold: work of more than <see cref="OverMinutes"/> needs breaks of at least <see cref="BreakMinutes"/> in total.</summary>
public readonly record struct BreakThreshold(int OverMinutes, int BreakMinutes);

/// <summary>The day rules' settings (D-1, D-2, D-3, C-2); the defaults are 労基法 and the national model.</summary>
public sealed record DayRuleSettings
{
    public static readonly DayRuleSettings Default = new();

    /// <summary>D-1 (労基法34条): &gt; 6h → 45 min, &gt; 8h → 60 min. 福島県-style: add (465, 60).</summary>
    public IReadOnlyList<BreakThreshold> BreakThresholds { get; init; } = [new(6 * 60, 45), new(8 * 60, 60)];

    /// <summary>D-1-3: the regular break a split must add up to (60 min; 45 in towns with a 45-min lunch).</summary>
    public int RegularBreakMinutes { get; init; } = 60;

    /// <summary>D-1-3: whether breaks may be split at all (長与町: with the supervisor's approval).</summary>
    public bool SplitBreaksAllowed { get; init; } = true;

    /// <summary>D-2: most consecutive work days (利根町 12, 宇治市 24); null = not checked.</summary>
    public int? MaxConsecutiveWorkDays { get; init; } = 12;

    /// <summary>D-2: fewest 週休日 in each 4 weeks ("毎4週間につき4日以上"); null = not checked.</summary>
    public int? MinRestDaysPerFourWeeks { get; init; } = 4;

    /// <summary>D-2 (労基法35条): fewest days without work in each week; null = not checked (a 4-weeks-4-days 変形 instead).</summary>
    public int? MinRestDaysPerWeek { get; init; } = 1;

    /// <summary>D-2 週休日の振替: how far before the worked 週休日 the new rest day may lie (4 weeks).</summary>
    public int SwapWeeksBefore { get; init; } = 4;

    /// <summary>D-2 週休日の振替: how far after (national 8 weeks [U]; 宇治市 fewer).</summary>
    public int SwapWeeksAfter { get; init; } = 8;

    /// <summary>D-3 勤務間インターバル 目安: 11h.</summary>
    public int IntervalMinutes { get; init; } = 11 * 60;

    /// <summary>D-3 weekly target ("週3日以上確保"): days a week whose start keeps the interval; null = no target.</summary>
    public int? IntervalTargetDaysPerWeek { get; init; }

    /// <summary>The first day of the week for the weekly checks.</summary>
    public DayOfWeek WeekStart { get; init; } = DayOfWeek.Sunday;

    /// <summary>C-2: largest gap between self-reported and logged start or end that needs no review (15 min).</summary>
    public int RecordToleranceMinutes { get; init; } = 15;

    /// <summary>C-2: whether the self-reported times are compared with the objective record at all (on by default).</summary>
    public bool CheckRecords { get; init; } = true;
}

/// <summary>D-3: the rest between one day's actual end and the next day's actual start.</summary>
public readonly record struct IntervalResult(DateOnly Date, DateTime PreviousEnd, DateTime NextStart, int Minutes, bool Kept, DateTime SuggestedStart);

/// <summary>
/// The rules of a single day and of runs of days (work-rules D-1, D-2, D-3; C-2 in DayRules.Records.cs): breaks, 週休日,
/// 勤務間インターバル. Each returns findings with the spec's rule code and figures; an empty list means the rule is kept.
/// </summary>
public static partial class DayRules
{
    /// <summary>
    /// D-1: breaks taken within the day's working time against the thresholds. Overtime counts: it is total working
    /// time. Also D-1-3 when the breaks are split.
    /// </summary>
    public static IReadOnlyList<Finding> Breaks(WorkDay day, DayRuleSettings? settings = null)
    {
        var s = settings ?? DayRuleSettings.Default;
        var worked = day.WorkedMinutes;
        if (worked == 0)
        {
            return [];
        }

        var (first, last) = Span(day.Worked);
        var taken = 0;
        var parts = 0;
        foreach (var b in day.Breaks)
        {
            var inside = b.OverlapMinutes(new LocalInterval(first, last));
            if (inside > 0)
            {
                taken += inside;
                parts++;
            }
        }

        var required = 0;
        foreach (var t in s.BreakThresholds)
        {
            if (worked > t.OverMinutes && t.BreakMinutes > required)
            {
                required = t.BreakMinutes;
            }
        }

        var findings = new List<Finding>();
        if (taken < required)
        {
            var shortBy = required - taken;
            findings.Add(new Finding(
                "D-1", FindingSeverity.Violation, day.Date, day.Date,
                $"休憩不足: 勤務{CountingText.Ja(worked)}に対し休憩{taken}分（{required}分以上必要、{shortBy}分不足）。",
                $"Break too short: {CountingText.En(worked)} worked with {taken} min of breaks ({required} min needed, {shortBy} min short).",
                [new("workedHours", CountingText.Hours(worked)), new("breakMinutes", taken), new("requiredBreakMinutes", required), new("shortMinutes", shortBy)]));
        }

        if (parts > 1)
        {
            findings.AddRange(SplitBreaks(day, s));
        }

        return findings;
    }

    /// <summary>
    /// D-1-3: split breaks are allowed when the town allows them, the parts add up to the regular break, and no part
    /// touches the start or the end of the day's working time (a break at the edge is a shorter day, not a break).
    /// </summary>
    public static IReadOnlyList<Finding> SplitBreaks(WorkDay day, DayRuleSettings? settings = null)
    {
        var s = settings ?? DayRuleSettings.Default;
        if (day.Breaks.Count < 2)
        {
            return [];
        }

        var findings = new List<Finding>();
        if (!s.SplitBreaksAllowed)
        {
            findings.Add(new Finding("D-1", FindingSeverity.Violation, day.Date, day.Date,
                "休憩の分割はこの団体では認められていません。", "This town does not allow split breaks.",
                [new("parts", day.Breaks.Count)]));
            return findings;
        }

        var sum = 0;
        foreach (var b in day.Breaks)
        {
            sum += b.Minutes;
        }

        if (sum != s.RegularBreakMinutes)
        {
            findings.Add(new Finding("D-1", FindingSeverity.Violation, day.Date, day.Date,
                $"分割した休憩の合計{sum}分が正規の休憩{s.RegularBreakMinutes}分と一致しません。",
                $"The split breaks add up to {sum} min, not the regular {s.RegularBreakMinutes} min.",
                [new("breakMinutes", sum), new("regularBreakMinutes", s.RegularBreakMinutes)]));
        }

        // The working day's edges: the first and last minute of work or break, whichever is outermost.
        var (start, end) = Span(day.Worked);
        foreach (var b in day.Breaks)
        {
            start = b.Start < start ? b.Start : start;
            end = b.End > end ? b.End : end;
        }

        foreach (var b in day.Breaks)
        {
            if (b.Start <= start || b.End >= end)
            {
                var edgeJa = b.Start <= start ? "始業" : "終業";
                var edgeEn = b.Start <= start ? "start" : "end";
                findings.Add(new Finding("D-1", FindingSeverity.Violation, day.Date, day.Date,
                    $"分割した休憩 {CountingText.Clock(b.Start)}–{CountingText.Clock(b.End)} が{edgeJa}に接しています。",
                    $"The split break {CountingText.Clock(b.Start)}–{CountingText.Clock(b.End)} touches the {edgeEn} of the working day.",
                    [new("breakMinutes", b.Minutes)]));
            }
        }

        return findings;
    }

    /// <summary>
    /// D-1-4 (一関市): an overtime order may not cover the assigned break or the statutory break window: refused with
    /// the minutes it overlaps. <paramref name="breakWindows"/> are the day's assigned breaks and any statutory window.
    /// </summary>
    public static IReadOnlyList<Finding> OvertimeOrder(DateOnly date, LocalInterval order, IReadOnlyList<LocalInterval> breakWindows)
    {
        if (order.End <= order.Start)
        {
            return [new Finding("D-1", FindingSeverity.Violation, date, date,
                "時間外勤務命令の終了が開始より前です。", "The overtime order ends before it starts.", [])];
        }

        var findings = new List<Finding>();
        foreach (var w in breakWindows)
        {
            var overlap = order.OverlapMinutes(w);
            if (overlap > 0)
            {
                findings.Add(new Finding("D-1", FindingSeverity.Violation, date, date,
                    $"休憩時間 {CountingText.Clock(w.Start)}–{CountingText.Clock(w.End)} に{overlap}分重なる時間外勤務は命令できません。",
                    $"Overtime may not be ordered during the break {CountingText.Clock(w.Start)}–{CountingText.Clock(w.End)} ({overlap} min overlap).",
                    [new("overlapMinutes", overlap)]));
            }
        }

        return findings;
    }

    /// <summary>
    /// D-2: a run of days in date order (one per date, no gaps) against the consecutive-work-day limit, the 4-weeks
    /// rest-day minimum (counted in 28-day blocks from the first day) and 労基法35's weekly rest day (full weeks only).
    /// A day is worked when it has work, or is a 勤務日 with hours assigned and not wholly on leave.
    /// </summary>
    public static IReadOnlyList<Finding> WeeklyRest(IReadOnlyList<WorkDay> days, DayRuleSettings? settings = null)
    {
        var s = settings ?? DayRuleSettings.Default;
        var findings = new List<Finding>();
        for (var i = 1; i < days.Count; i++)
        {
            if (days[i].Date != days[i - 1].Date.AddDays(1))
            {
                throw new ArgumentException("Days must be consecutive dates in order.", nameof(days));
            }
        }

        if (s.MaxConsecutiveWorkDays is int max)
        {
            var run = 0;
            for (var i = 0; i <= days.Count; i++)
            {
                if (i < days.Count && IsWorked(days[i]))
                {
                    run++;
                    continue;
                }

                if (run > max)
                {
                    findings.Add(new Finding("D-2", FindingSeverity.Violation, days[i - run].Date, days[i - 1].Date,
                        $"連続勤務{run}日（上限{max}日）。", $"{run} consecutive work days (limit {max}).",
                        [new("consecutiveDays", run), new("limit", max)]));
                }

                run = 0;
            }
        }

        if (s.MinRestDaysPerFourWeeks is int min4)
        {
            for (var start = 0; start + 28 <= days.Count; start += 28)
            {
                var rest = 0;
                for (var i = start; i < start + 28; i++)
                {
                    if (days[i].Kind == StaffDayKind.WeeklyRest && days[i].WorkedMinutes == 0)
                    {
                        rest++;
                    }
                }

                if (rest < min4)
                {
                    findings.Add(new Finding("D-2", FindingSeverity.Violation, days[start].Date, days[start + 27].Date,
                        $"4週間の週休日が{rest}日（{min4}日以上必要）。", $"{rest} rest days in 4 weeks ({min4} needed).",
                        [new("restDays", rest), new("required", min4)]));
                }
            }
        }

        if (s.MinRestDaysPerWeek is int min1)
        {
            var i = 0;
            while (i < days.Count && days[i].Date.DayOfWeek != s.WeekStart)
            {
                i++;
            }

            for (; i + 7 <= days.Count; i += 7)
            {
                var rest = 0;
                for (var j = i; j < i + 7; j++)
                {
                    if (!IsWorked(days[j]))
                    {
                        rest++;
                    }
                }

                if (rest < min1)
                {
                    findings.Add(new Finding("D-2", FindingSeverity.Violation, days[i].Date, days[i + 6].Date,
                        $"週の休日が{rest}日（労基法35条: {min1}日以上）。", $"{rest} days off in the week (Labour Standards Act art. 35: {min1}).",
                        [new("restDays", rest), new("required", min1)]));
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// D-2 週休日の振替: <paramref name="workedRestDay"/> (a 週休日 the person must work) swaps with
    /// <paramref name="newRestDay"/>, decided on <paramref name="decidedOn"/>. The new rest day must lie within
    /// the window (4 weeks before to 8 weeks after, settings) and the swap must be decided before the worked day;
    /// otherwise it is refused and the work stays 時間外 on a 週休日 (135/100).
    /// </summary>
    public static IReadOnlyList<Finding> RestDaySwap(DateOnly workedRestDay, DateOnly newRestDay, DateOnly decidedOn, DayRuleSettings? settings = null)
    {
        var s = settings ?? DayRuleSettings.Default;
        var findings = new List<Finding>();
        var earliest = workedRestDay.AddDays(-7 * s.SwapWeeksBefore);
        var latest = workedRestDay.AddDays(7 * s.SwapWeeksAfter);
        var offset = newRestDay.DayNumber - workedRestDay.DayNumber;
        if (newRestDay == workedRestDay)
        {
            findings.Add(new Finding("D-2", FindingSeverity.Violation, workedRestDay, newRestDay,
                "振替先が同じ日です。", "The swap moves the rest day onto itself.", []));
        }
        else if (newRestDay < earliest || newRestDay > latest)
        {
            findings.Add(new Finding("D-2", FindingSeverity.Violation, workedRestDay, newRestDay,
                $"振替先 {CountingText.Date(newRestDay)} は期間外です（{CountingText.Date(earliest)}〜{CountingText.Date(latest)}）。",
                $"The new rest day {CountingText.Date(newRestDay)} is outside the window {CountingText.Date(earliest)} to {CountingText.Date(latest)}.",
                [new("weeksFromWorkedDay", Math.Round(offset / 7m, 2)), new("weeksBefore", s.SwapWeeksBefore), new("weeksAfter", s.SwapWeeksAfter)]));
        }

        if (decidedOn >= workedRestDay)
        {
            findings.Add(new Finding("D-2", FindingSeverity.Violation, workedRestDay, workedRestDay,
                "週休日の振替は勤務日より前に決めなければなりません。この日の勤務は週休日の時間外勤務（135/100）です。",
                "A rest-day swap must be decided before the day worked; this day's work stays overtime on a rest day (135/100).",
                [new("daysLate", decidedOn.DayNumber - workedRestDay.DayNumber)]));
        }

        return findings;
    }

    /// <summary>D-3: the interval between <paramref name="previous"/>'s last actual end and <paramref name="next"/>'s first actual start.</summary>
    public static IntervalResult? Interval(WorkDay previous, WorkDay next, DayRuleSettings? settings = null)
    {
        if (previous.Worked.Count == 0 || next.Worked.Count == 0)
        {
            return null;
        }

        var s = settings ?? DayRuleSettings.Default;
        var end = Span(previous.Worked).Last;
        var start = Span(next.Worked).First;
        var minutes = (int)Math.Round((start - end).TotalMinutes, MidpointRounding.AwayFromZero);
        var suggested = end.AddMinutes(s.IntervalMinutes);
        return new IntervalResult(next.Date, end, start, minutes, minutes >= s.IntervalMinutes, suggested > start ? suggested : start);
    }

    /// <summary>
    /// D-3 over a run of days in date order: a warning (never a violation: an effort duty, 努力義務) for each start
    /// that came less than the interval after the previous worked day's end, with the start that would have kept it;
    /// and, when a weekly target is set, a warning for each week with fewer kept days than the target.
    /// </summary>
    public static IReadOnlyList<Finding> Intervals(IReadOnlyList<WorkDay> days, DayRuleSettings? settings = null)
    {
        var s = settings ?? DayRuleSettings.Default;
        var findings = new List<Finding>();
        WorkDay? previous = null;
        DateOnly? week = null;
        int kept = 0, counted = 0;
        for (var i = 0; i <= days.Count; i++)
        {
            var day = i < days.Count ? days[i] : null;
            var dayWeek = day is null ? (DateOnly?)null : Counting.WeekStartOf(day.Date, s.WeekStart);
            if (s.IntervalTargetDaysPerWeek is int target && week is DateOnly w && dayWeek != week)
            {
                if (counted > 0 && kept < target)
                {
                    findings.Add(new Finding("D-3", FindingSeverity.Warning, w, w.AddDays(6),
                        $"勤務間インターバル{CountingText.Ja(s.IntervalMinutes)}を確保できた日が週{kept}日（目標{target}日）。",
                        $"The {CountingText.En(s.IntervalMinutes)} rest interval was kept on {kept} days this week (target {target}).",
                        [new("keptDays", kept), new("targetDays", target), new("shortDays", counted - kept)]));
                }

                kept = 0;
                counted = 0;
            }

            week = dayWeek;
            if (day is null || day.Worked.Count == 0)
            {
                continue;
            }

            if (previous is not null && Interval(previous, day, s) is IntervalResult r)
            {
                counted++;
                if (r.Kept)
                {
                    kept++;
                }
                else
                {
                    findings.Add(new Finding("D-3", FindingSeverity.Warning, previous.Date, day.Date,
                        $"勤務間インターバル{CountingText.Ja(r.Minutes)}（目安{CountingText.Ja(s.IntervalMinutes)}）。始業を{CountingText.Clock(r.SuggestedStart)}以降にしてください。",
                        $"Rest interval {CountingText.En(r.Minutes)} (target {CountingText.En(s.IntervalMinutes)}). Start at {CountingText.Clock(r.SuggestedStart)} or later.",
                        [new("intervalHours", CountingText.Hours(r.Minutes)), new("targetHours", CountingText.Hours(s.IntervalMinutes)),
                         new("suggestedStartHour", CountingText.Hours((int)r.SuggestedStart.TimeOfDay.TotalMinutes))]));
                }
            }
            else
            {
                counted++;
                kept++;
            }

            previous = day;
        }

        return findings;
    }

    /// <summary>Worked with hours, or a 勤務日 with hours assigned that leave does not fully cover (a planned day).</summary>
    private static bool IsWorked(WorkDay day) =>
        day.WorkedMinutes > 0 || (day.Kind == StaffDayKind.Workday && day.AssignedMinutes > 0 && day.LeaveMinutes < day.AssignedMinutes);

    internal static (DateTime First, DateTime Last) Span(IReadOnlyList<LocalInterval> intervals)
    {
        var first = DateTime.MaxValue;
        var last = DateTime.MinValue;
        foreach (var i in intervals)
        {
            first = i.Start < first ? i.Start : first;
            last = i.End > last ? i.End : last;
        }

        return (first, last);
    }
}
