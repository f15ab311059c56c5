namespace Dokodemo.Domain.Work;

/// <summary>
/// The town's flex parameters (D-4, 中種子町規則第3条 as the default). Every town sets its own (J-6).
/// </summary>
public sealed record FlexSettings
{
    public static readonly FlexSettings Default = new();

    /// <summary>Hours per week the plan must add up to: 38h45m.</summary>
    public int WeeklyMinutes { get; init; } = 38 * 60 + 45;

    /// <summary>Longest 単位期間 in weeks (≤ 4).</summary>
    public int MaxWeeks { get; init; } = 4;

    /// <summary>Fewest hours on a planned day (4h), except on the 特例対象日.</summary>
    public int MinDailyMinutes { get; init; } = 4 * 60;

    /// <summary>What a fixed day (休日, whole-day 出張/研修/年休) counts for: 7h45m.</summary>
    public int FixedDayMinutes { get; init; } = 7 * 60 + 45;

    /// <summary>特例対象日 allowed per 単位期間 (may be under the daily minimum; core time waived).</summary>
    public int SpecialDaysPerPeriod { get; init; } = 1;

    /// <summary>The window the core time must lie in (9:00–16:00).</summary>
    public TimeOnly CoreWindowStart { get; init; } = new(9, 0);

    public TimeOnly CoreWindowEnd { get; init; } = new(16, 0);

    /// <summary>The shortest core time (a continuous 4h block; national 2h).</summary>
    public int MinCoreMinutes { get; init; } = 4 * 60;

    /// <summary>How much of the core time a break may take (the lunch break inside 10:00–14:00).</summary>
    public int CoreBreakMinutes { get; init; } = 60;

    /// <summary>The band hours may be planned in (日野町 7:00–22:00; national 5:00–22:00).</summary>
    public TimeOnly BandStart { get; init; } = new(7, 0);

    public TimeOnly BandEnd { get; init; } = new(22, 0);

    /// <summary>Hours may be planned Monday to Friday only.</summary>
    public bool WeekdaysOnly { get; init; } = true;
}

/// <summary>
/// One day of a flex 申告: the hours asked for (breaks excluded), or a fixed day (<paramref name="Fixed"/>: 休日 or a
/// whole-day 出張/研修/年休, counted at 7h45m), or the 特例対象日 (<paramref name="SpecialDay"/>).
/// </summary>
public sealed record FlexPlanDay(DateOnly Date, IReadOnlyList<LocalInterval> Assigned, bool Fixed = false, bool SpecialDay = false)
{
    public int Minutes
    {
        get
        {
            var total = 0;
            foreach (var i in Assigned)
            {
                total += i.Minutes;
            }

            return total;
        }
    }
}

/// <summary>A flex 申告 for one 単位期間 (<paramref name="From"/>..<paramref name="To"/>, whole weeks) with its core time, set in advance.</summary>
public sealed record FlexPlan(DateOnly From, DateOnly To, TimeOnly CoreStart, TimeOnly CoreEnd, IReadOnlyList<FlexPlanDay> Days);

/// <summary>
/// D-4: municipal flex is the 公務 割振り model (地公法58条 excludes 労基法32条の3): the employee 申告s a plan, the
/// 任命権者 assigns it, and there is no settlement afterwards. Work outside the assigned hours is 時間外 (D-4-4): give
/// the assigned plan to <see cref="WorkDay.Assigned"/> and <see cref="Counting"/> counts it like any other day.
/// </summary>
public static class Flex
{
    /// <summary>Every problem of a plan, each a D-4 violation with its figures; empty when the plan can be assigned.</summary>
    public static IReadOnlyList<Finding> Validate(FlexPlan plan, FlexSettings? settings = null)
    {
        var s = settings ?? FlexSettings.Default;
        var findings = new List<Finding>();
        var days = plan.To.DayNumber - plan.From.DayNumber + 1;
        if (days <= 0 || days % 7 != 0 || days / 7 > s.MaxWeeks)
        {
            findings.Add(Problem(plan.From, plan.To,
                $"単位期間は{s.MaxWeeks}週間以内の週単位でなければなりません（{days}日）。",
                $"The unit period must be whole weeks, at most {s.MaxWeeks} ({days} days).",
                new FindingFigure("days", days), new FindingFigure("maxWeeks", s.MaxWeeks)));
            return findings;
        }

        var weeks = days / 7;
        var required = s.WeeklyMinutes * weeks;
        var planned = 0;
        var special = 0;
        var coreMinutes = (int)(plan.CoreEnd - plan.CoreStart).TotalMinutes;
        if (plan.CoreEnd <= plan.CoreStart || coreMinutes < s.MinCoreMinutes || plan.CoreStart < s.CoreWindowStart || plan.CoreEnd > s.CoreWindowEnd)
        {
            findings.Add(Problem(plan.From, plan.To,
                $"コアタイム {CountingText.Clock(plan.CoreStart)}–{CountingText.Clock(plan.CoreEnd)} は {CountingText.Clock(s.CoreWindowStart)}–{CountingText.Clock(s.CoreWindowEnd)} の中の連続{CountingText.Ja(s.MinCoreMinutes)}以上でなければなりません。",
                $"Core time {CountingText.Clock(plan.CoreStart)}–{CountingText.Clock(plan.CoreEnd)} must be one block of at least {CountingText.En(s.MinCoreMinutes)} within {CountingText.Clock(s.CoreWindowStart)}–{CountingText.Clock(s.CoreWindowEnd)}.",
                new FindingFigure("coreHours", CountingText.Hours(Math.Max(0, coreMinutes))), new FindingFigure("minimumCoreHours", CountingText.Hours(s.MinCoreMinutes))));
        }

        DateOnly? previous = null;
        foreach (var day in plan.Days)
        {
            if (day.Date < plan.From || day.Date > plan.To || (previous is DateOnly p && day.Date <= p))
            {
                findings.Add(Problem(day.Date, day.Date,
                    $"{CountingText.Date(day.Date)} は単位期間外か重複しています。", $"{CountingText.Date(day.Date)} is outside the unit period or given twice.",
                    new FindingFigure("days", 1)));
                continue;
            }

            previous = day.Date;
            if (day.Fixed)
            {
                planned += s.FixedDayMinutes;
                continue;
            }

            var minutes = day.Minutes;
            planned += minutes;
            if (s.WeekdaysOnly && day.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && minutes > 0)
            {
                findings.Add(Problem(day.Date, day.Date,
                    $"{CountingText.Date(day.Date)} は土日です。勤務時間は月曜から金曜に割り振ります。",
                    $"{CountingText.Date(day.Date)} is a weekend day; hours are planned Monday to Friday only.",
                    new FindingFigure("hours", CountingText.Hours(minutes))));
            }

            foreach (var i in day.Assigned)
            {
                var bandStart = day.Date.ToDateTime(s.BandStart);
                var bandEnd = day.Date.ToDateTime(s.BandEnd);
                if (i.Start < bandStart || i.End > bandEnd || i.End <= i.Start)
                {
                    findings.Add(Problem(day.Date, day.Date,
                        $"{CountingText.Date(day.Date)} の {CountingText.Clock(i.Start)}–{CountingText.Clock(i.End)} はフレキシブルタイム {CountingText.Clock(s.BandStart)}–{CountingText.Clock(s.BandEnd)} の外です。",
                        $"{CountingText.Date(day.Date)} {CountingText.Clock(i.Start)}–{CountingText.Clock(i.End)} is outside the band {CountingText.Clock(s.BandStart)}–{CountingText.Clock(s.BandEnd)}.",
                        new FindingFigure("bandStartHour", CountingText.Hours(s.BandStart.Hour * 60 + s.BandStart.Minute)),
                        new FindingFigure("bandEndHour", CountingText.Hours(s.BandEnd.Hour * 60 + s.BandEnd.Minute))));
                }
            }

            if (day.SpecialDay)
            {
                special++;
                continue;
            }

            if (minutes < s.MinDailyMinutes)
            {
                findings.Add(Problem(day.Date, day.Date,
                    $"{CountingText.Date(day.Date)} は{CountingText.Ja(minutes)}です（{CountingText.Ja(s.MinDailyMinutes)}以上、特例対象日を除く）。",
                    $"{CountingText.Date(day.Date)} has {CountingText.En(minutes)} (at least {CountingText.En(s.MinDailyMinutes)} except on the special day).",
                    new FindingFigure("hours", CountingText.Hours(minutes)), new FindingFigure("minimumHours", CountingText.Hours(s.MinDailyMinutes))));
            }

            var core = new LocalInterval(day.Date.ToDateTime(plan.CoreStart), day.Date.ToDateTime(plan.CoreEnd));
            var covered = 0;
            foreach (var i in day.Assigned)
            {
                covered += i.OverlapMinutes(core);
            }

            var uncovered = core.Minutes - covered;
            if (core.Minutes > 0 && uncovered > s.CoreBreakMinutes)
            {
                findings.Add(Problem(day.Date, day.Date,
                    $"{CountingText.Date(day.Date)} はコアタイム {CountingText.Clock(plan.CoreStart)}–{CountingText.Clock(plan.CoreEnd)} を{CountingText.Ja(uncovered)}欠いています。",
                    $"{CountingText.Date(day.Date)} leaves {CountingText.En(uncovered)} of the core time {CountingText.Clock(plan.CoreStart)}–{CountingText.Clock(plan.CoreEnd)} uncovered.",
                    new FindingFigure("uncoveredHours", CountingText.Hours(uncovered)), new FindingFigure("allowedBreakHours", CountingText.Hours(s.CoreBreakMinutes))));
            }
        }

        if (special > s.SpecialDaysPerPeriod)
        {
            findings.Add(Problem(plan.From, plan.To,
                $"特例対象日が{special}日あります（{s.SpecialDaysPerPeriod}日まで）。",
                $"{special} special days in the period ({s.SpecialDaysPerPeriod} allowed).",
                new FindingFigure("specialDays", special), new FindingFigure("allowed", s.SpecialDaysPerPeriod)));
        }

        if (planned != required)
        {
            findings.Add(Problem(plan.From, plan.To,
                $"割振りの合計{CountingText.Hours(planned)}時間が{CountingText.Hours(required)}時間（{CountingText.Ja(s.WeeklyMinutes)} × {weeks}週）と一致しません。",
                $"The plan adds up to {CountingText.Hours(planned)}h, not {CountingText.Hours(required)}h ({CountingText.En(s.WeeklyMinutes)} × {weeks} weeks).",
                new FindingFigure("plannedHours", CountingText.Hours(planned)), new FindingFigure("requiredHours", CountingText.Hours(required)),
                new FindingFigure("differenceHours", CountingText.Hours(planned - required))));
        }

        return findings;
    }

    private static Finding Problem(DateOnly from, DateOnly to, string ja, string en, params FindingFigure[] figures) =>
        new Finding("D-4", FindingSeverity.Violation, from, to, ja, en, figures);
}
