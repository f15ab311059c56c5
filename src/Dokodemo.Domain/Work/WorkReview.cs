namespace Dokodemo.Domain.Work;

/// <summary>
/// Everything the rules need about one person: their days (in date order; from at least five months and a week before
/// the period, so the averages and the first week have what they need), designations, 36協定, 特例業務 and settings.
/// </summary>
public sealed record WorkReviewInput
{
    public required IReadOnlyList<WorkDay> Days { get; init; }

    /// <summary>
    /// Months already counted (a locked month's kept totals). They stand for their months; <see cref="Days"/> then only
    /// needs the months after them (and a week before, for the 40h week and the interval).
    /// </summary>
    public IReadOnlyList<MonthWork> PriorMonths { get; init; } = [];
    public IReadOnlyList<Designation> Designations { get; init; } = [];
    public IReadOnlyList<LaborAgreement> Agreements { get; init; } = [];
    public IReadOnlyList<SpecialDutyMonth> SpecialDuty { get; init; } = [];
    public CapSettings Caps { get; init; } = CapSettings.Default;
    public DayRuleSettings DayRules { get; init; } = DayRuleSettings.Default;
    public CountingSettings Counting { get; init; } = CountingSettings.Default;

    /// <summary>
    /// C-2: the first day the town has any objective record (log); days before it are not compared, so a town whose
    /// history predates collection is not flooded. Null: no log at all, C-2 is not checked.
    /// </summary>
    public DateOnly? RecordsFrom { get; init; }
}

/// <summary>
/// The working-time rules engine as one call: counts each month (A-0, B-2), checks the caps (A, B, C-1), the day rules
/// (D-1 breaks, D-2 週休, D-3 interval, C-2 self-report against the logs) and, for the month in progress, forecasts at the current pace — so a manager sees
/// "this person will pass 45h this month" while there is still time. Pure: the app loads, this decides.
/// </summary>
public static class WorkReview
{
    /// <summary>The counted months from <paramref name="firstMonth"/> to <paramref name="lastMonth"/>.</summary>
    public static IReadOnlyList<MonthWork> Months(WorkReviewInput input, DateOnly firstMonth, DateOnly lastMonth)
    {
        ArgumentNullException.ThrowIfNull(input);
        var months = new List<MonthWork>();
        var labor = Counting.Labor(input.Days, input.Counting);
        for (var m = new DateOnly(firstMonth.Year, firstMonth.Month, 1); m <= lastMonth; m = m.AddMonths(1))
        {
            var kept = input.PriorMonths.FirstOrDefault(p => p.Month.Year == m.Year && p.Month.Month == m.Month);
            months.Add(kept ?? Counting.Month(m, input.Days, labor, input.Counting));
        }

        return months;
    }

    /// <summary>
    /// Findings for the months <paramref name="firstMonth"/>..<paramref name="lastMonth"/> as of <paramref name="today"/>:
    /// caps that appear in those months, day rules on the days worked in them, and forecasts for the month that
    /// contains <paramref name="today"/> when it is one of them.
    /// </summary>
    public static IReadOnlyList<Finding> For(WorkReviewInput input, DateOnly firstMonth, DateOnly lastMonth, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        var first = new DateOnly(firstMonth.Year, firstMonth.Month, 1);
        var last = new DateOnly(lastMonth.Year, lastMonth.Month, 1);
        var earliest = input.Days.Count > 0 ? input.Days[0].Date : first;
        if (input.PriorMonths.Count > 0 && input.PriorMonths.Min(p => p.Month) is var kept && kept < earliest)
        {
            earliest = kept;
        }

        var counted = Months(input, new DateOnly(earliest.Year, earliest.Month, 1) < first.AddMonths(-11) ? first.AddMonths(-11) : new DateOnly(earliest.Year, earliest.Month, 1), last);
        var current = new DateOnly(today.Year, today.Month, 1);
        var caps = new CapsInput
        {
            // The month in progress is judged by its forecast; its breaches so far are real and reported too.
            Months = counted,
            Designations = input.Designations,
            Agreements = input.Agreements,
            SpecialDuty = input.SpecialDuty,
            Settings = input.Caps,
        };
        var findings = new List<Finding>(Caps.ForMonths(caps, first, last));

        var periodEnd = last.AddMonths(1).AddDays(-1);
        var inPeriod = input.Days.Where(d => d.Date >= first && d.Date <= periodEnd).ToList();
        foreach (var day in inPeriod)
        {
            if (day.WorkedMinutes > 0)
            {
                findings.AddRange(DayRules.Breaks(day, input.DayRules));
            }

            findings.AddRange(DayRules.Records(day, input.RecordsFrom, today, input.DayRules));
        }

        // The interval and 週休 checks need the day before the period too.
        var withEdge = input.Days.Where(d => d.Date >= first.AddDays(-28) && d.Date <= periodEnd).ToList();
        findings.AddRange(DayRules.Intervals(withEdge, input.DayRules).Where(f => f.To >= first));
        findings.AddRange(DayRules.WeeklyRest(withEdge, input.DayRules).Where(f => f.To >= first));

        if (current >= first && current <= last)
        {
            var soFar = counted.Single(m => m.Month == current); // days not yet worked add nothing
            var monthDays = input.Days.Where(d => d.Date.Year == today.Year && d.Date.Month == today.Month && d.Kind == StaffDayKind.Workday).ToList();
            var elapsed = monthDays.Count(d => d.Date < today || (d.Date == today && d.WorkedMinutes > 0));
            var remaining = monthDays.Count - elapsed;
            findings.AddRange(Forecast.ForMonth(caps with { Months = [.. counted.Where(m => m.Month != current)] },
                new MonthToDate(soFar, elapsed, remaining)));
        }

        return findings.OrderBy(f => f.From).ThenBy(f => f.Rule, StringComparer.Ordinal).ToList();
    }

    /// <summary>Findings for a whole 年度 (or the configured year) as of <paramref name="today"/>.</summary>
    public static IReadOnlyList<Finding> ForYear(WorkReviewInput input, int year, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = new DateOnly(year, input.Caps.YearStartMonth, 1);
        var end = start.AddMonths(11);
        var current = new DateOnly(today.Year, today.Month, 1);
        return For(input, start, current < end ? (current < start ? start : current) : end, today);
    }
}
