namespace Dokodemo.Domain.Work;

/// <summary>
/// An 早出遅出勤務 pattern (D-5): a fixed alternative start and end with one break, e.g. 養父市 No.1 7:30–16:15 with
/// 12:00–13:00.
/// </summary>
public sealed record ShiftPattern(string Name, TimeOnly Start, TimeOnly End, TimeOnly BreakStart, TimeOnly BreakEnd)
{
    public int BreakMinutes => (int)(BreakEnd - BreakStart).TotalMinutes;

    /// <summary>正規の勤務時間 of the pattern, break excluded.</summary>
    public int Minutes => (int)(End - Start).TotalMinutes - BreakMinutes;

    /// <summary>The pattern on a date, as a day's assigned hours and break (to build a <see cref="WorkDay"/>).</summary>
    public (LocalInterval[] Assigned, LocalInterval[] Breaks) On(DateOnly date) =>
        ([new(date.ToDateTime(Start), date.ToDateTime(BreakStart)), new(date.ToDateTime(BreakEnd), date.ToDateTime(End))],
         [new(date.ToDateTime(BreakStart), date.ToDateTime(BreakEnd))]);
}

/// <summary>The national notice's conditions for 早出遅出 patterns (職職-259) and the town's regular day.</summary>
public sealed record PatternSettings
{
    public static readonly PatternSettings Default = new();

    /// <summary>A pattern keeps the regular day: 7h45m.</summary>
    public int RegularMinutes { get; init; } = 7 * 60 + 45;

    /// <summary>Starts no earlier than 7:00 …</summary>
    public TimeOnly EarliestStart { get; init; } = new(7, 0);

    /// <summary>… and ends no later than 22:00.</summary>
    public TimeOnly LatestEnd { get; init; } = new(22, 0);

    /// <summary>The break (60 min) lies wholly within one of these windows: 11:30–13:30 or 17:00–19:00.</summary>
    public IReadOnlyList<(TimeOnly Start, TimeOnly End)> BreakWindows { get; init; } =
        [(new TimeOnly(11, 30), new TimeOnly(13, 30)), (new TimeOnly(17, 0), new TimeOnly(19, 0))];

    /// <summary>The break length the notice assumes (60 min).</summary>
    public int BreakMinutes { get; init; } = 60;

    /// <summary>No continuous stretch of regular hours longer than 6h30m on either side of the break.</summary>
    public int MaxContinuousMinutes { get; init; } = 6 * 60 + 30;
}

/// <summary>D-5: a pattern switch that restores the rest interval (福知山市).</summary>
public sealed record PatternSuggestion(ShiftPattern Pattern, DateTime Start, int IntervalMinutes);

/// <summary>D-5 早出遅出勤務: validating the town's patterns and choosing one that keeps the 勤務間インターバル.</summary>
public static class Patterns
{
    /// <summary>Every way a pattern misses the national notice's conditions, each a D-5 violation with its figures.</summary>
    public static IReadOnlyList<Finding> Validate(ShiftPattern pattern, DateOnly effectiveFrom, PatternSettings? settings = null)
    {
        var s = settings ?? PatternSettings.Default;
        var findings = new List<Finding>();
        var d = effectiveFrom;
        if (pattern.End <= pattern.Start || pattern.BreakStart < pattern.Start || pattern.BreakEnd > pattern.End || pattern.BreakEnd < pattern.BreakStart)
        {
            findings.Add(Problem(d, $"パターン「{pattern.Name}」の時刻の順序が正しくありません。", $"Pattern \"{pattern.Name}\" has its times out of order."));
            return findings;
        }

        if (pattern.Minutes != s.RegularMinutes)
        {
            findings.Add(Problem(d,
                $"パターン「{pattern.Name}」は{CountingText.Ja(pattern.Minutes)}です（{CountingText.Ja(s.RegularMinutes)}でなければなりません）。",
                $"Pattern \"{pattern.Name}\" has {CountingText.En(pattern.Minutes)} ({CountingText.En(s.RegularMinutes)} required).",
                new FindingFigure("hours", CountingText.Hours(pattern.Minutes)), new FindingFigure("requiredHours", CountingText.Hours(s.RegularMinutes))));
        }

        if (pattern.Start < s.EarliestStart)
        {
            findings.Add(Problem(d,
                $"始業 {CountingText.Clock(pattern.Start)} は {CountingText.Clock(s.EarliestStart)} より前です（国の通知の範囲外: 別途承認が必要）。",
                $"Start {CountingText.Clock(pattern.Start)} is before {CountingText.Clock(s.EarliestStart)} (outside the national notice: needs separate approval).",
                new FindingFigure("startHour", HourOf(pattern.Start)), new FindingFigure("earliestStartHour", HourOf(s.EarliestStart))));
        }

        if (pattern.End > s.LatestEnd)
        {
            findings.Add(Problem(d,
                $"終業 {CountingText.Clock(pattern.End)} は {CountingText.Clock(s.LatestEnd)} より後です。",
                $"End {CountingText.Clock(pattern.End)} is after {CountingText.Clock(s.LatestEnd)}.",
                new FindingFigure("endHour", HourOf(pattern.End)), new FindingFigure("latestEndHour", HourOf(s.LatestEnd))));
        }

        var inWindow = false;
        foreach (var (start, end) in s.BreakWindows)
        {
            inWindow |= pattern.BreakStart >= start && pattern.BreakEnd <= end;
        }

        if (!inWindow || pattern.BreakMinutes < s.BreakMinutes)
        {
            findings.Add(Problem(d,
                $"休憩 {CountingText.Clock(pattern.BreakStart)}–{CountingText.Clock(pattern.BreakEnd)} は 11:30–13:30 または 17:00–19:00 の中の{s.BreakMinutes}分でなければなりません。",
                $"The break {CountingText.Clock(pattern.BreakStart)}–{CountingText.Clock(pattern.BreakEnd)} must be {s.BreakMinutes} min within 11:30–13:30 or 17:00–19:00.",
                new FindingFigure("breakMinutes", pattern.BreakMinutes)));
        }

        var before = (int)(pattern.BreakStart - pattern.Start).TotalMinutes;
        var after = (int)(pattern.End - pattern.BreakEnd).TotalMinutes;
        var longest = Math.Max(before, after);
        if (longest > s.MaxContinuousMinutes)
        {
            findings.Add(Problem(d,
                $"休憩の前後の連続勤務が{CountingText.Ja(longest)}あります（{CountingText.Ja(s.MaxContinuousMinutes)}まで）。",
                $"A continuous stretch of {CountingText.En(longest)} around the break ({CountingText.En(s.MaxContinuousMinutes)} at most).",
                new FindingFigure("beforeBreakHours", CountingText.Hours(before)), new FindingFigure("afterBreakHours", CountingText.Hours(after)),
                new FindingFigure("maxContinuousHours", CountingText.Hours(s.MaxContinuousMinutes))));
        }

        return findings;
    }

    /// <summary>
    /// D-3/D-5 remedy: after work ending at <paramref name="previousEnd"/>, the earliest-starting pattern on
    /// <paramref name="date"/> that keeps the interval (11h), or null when none does (then leave, D-3).
    /// </summary>
    public static PatternSuggestion? ForInterval(DateTime previousEnd, DateOnly date, IReadOnlyList<ShiftPattern> patterns, int intervalMinutes = 11 * 60)
    {
        var earliest = previousEnd.AddMinutes(intervalMinutes);
        PatternSuggestion? best = null;
        foreach (var p in patterns)
        {
            var start = date.ToDateTime(p.Start);
            if (start >= earliest && (best is null || start < best.Start))
            {
                best = new PatternSuggestion(p, start, (int)Math.Round((start - previousEnd).TotalMinutes, MidpointRounding.AwayFromZero));
            }
        }

        return best;
    }

    private static decimal HourOf(TimeOnly t) => CountingText.Hours(t.Hour * 60 + t.Minute);

    private static Finding Problem(DateOnly d, string ja, string en, params FindingFigure[] figures) =>
        new("D-5", FindingSeverity.Violation, d, d, ja, en, figures);
}
