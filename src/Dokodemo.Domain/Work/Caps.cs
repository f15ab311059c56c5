namespace Dokodemo.Domain.Work;

/// <summary>
/// What the monthly and yearly caps need about one person: their months (several rows for one month are summed —
/// hours before and after a transfer are 通算), the designations of their unit, the 36協定 that cover them, and the
/// months of 特例業務. Give the months from at least 5 months before the period checked, so the 2–6 month averages
/// can reach back; a window that needs a month before the earliest month given is not checked.
/// </summary>
public sealed record CapsInput
{
    public required IReadOnlyList<MonthWork> Months { get; init; }
    public IReadOnlyList<Designation> Designations { get; init; } = [];
    public IReadOnlyList<LaborAgreement> Agreements { get; init; } = [];
    public IReadOnlyList<SpecialDutyMonth> SpecialDuty { get; init; } = [];
    public CapSettings Settings { get; init; } = CapSettings.Default;
}

/// <summary>
/// The monthly and yearly caps of the working-time rules (work-rules.md A-1 … A-9, B-3 … B-5, C-1). Pure: the
/// findings depend only on the input. A finding appears in the month the rule is broken (for a running total, the
/// month it passes the cap); a month covered by a 36協定 is judged by the B rules instead of the A rules.
/// </summary>
public static class Caps
{
    /// <summary>Findings for the year starting in <paramref name="year"/> at <see cref="CapSettings.YearStartMonth"/> (2025 → 令和7年度).</summary>
    public static IReadOnlyList<Finding> ForYear(CapsInput input, int year)
    {
        ArgumentNullException.ThrowIfNull(input);
        var start = CapsMath.Index(new DateOnly(year, CheckMonth(input.Settings.YearStartMonth), 1));
        return new CapsEngine(input, start, start + 11).Run();
    }

    /// <summary>Findings for the 対象期間 of a 36協定 starting in <paramref name="year"/> at its 起算日's month.</summary>
    public static IReadOnlyList<Finding> ForAgreementPeriod(CapsInput input, LaborAgreement agreement, int year)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(agreement);
        var start = CapsMath.Index(new DateOnly(year, CheckMonth(agreement.StartMonth), 1));
        return new CapsEngine(input, start, start + 11).Run();
    }

    /// <summary>Findings that appear in the months <paramref name="firstMonth"/> … <paramref name="lastMonth"/> (any day of each).</summary>
    public static IReadOnlyList<Finding> ForMonths(CapsInput input, DateOnly firstMonth, DateOnly lastMonth)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckMonth(input.Settings.YearStartMonth);
        var first = CapsMath.Index(firstMonth);
        var last = CapsMath.Index(lastMonth);
        if (last < first)
        {
            throw new ArgumentOutOfRangeException(nameof(lastMonth), "The last month is before the first.");
        }

        return new CapsEngine(input, first, last).Run();
    }

    /// <summary>The first day of the cap year (年度, or the town's 起算月) that <paramref name="date"/> falls in.</summary>
    public static DateOnly YearStart(DateOnly date, int startMonth = 4) =>
        CapsMath.FirstOf(CapsMath.StartOfYear(CapsMath.Index(date), CheckMonth(startMonth)));

    internal static int CheckMonth(int month) =>
        month is >= 1 and <= 12 ? month : throw new ArgumentOutOfRangeException(nameof(month), "A start month is 1 … 12.");
}

/// <summary>Months as consecutive integers (year × 12 + month − 1), so windows are plain arithmetic.</summary>
internal static class CapsMath
{
    public static int Index(DateOnly d) => d.Year * 12 + d.Month - 1;

    public static DateOnly FirstOf(int index) => new(index / 12, index % 12 + 1, 1);

    public static DateOnly LastOf(int index) => FirstOf(index + 1).AddDays(-1);

    public static int StartOfYear(int index, int startMonth) => index - ((index % 12 + 1 - startMonth + 12) % 12);

    /// <summary>Decimal hours to two places: 2715 min → 45.25.</summary>
    public static decimal Hours(long minutes) => Math.Round(minutes / 60m, 2, MidpointRounding.AwayFromZero);

    public static decimal Average(long minutes, int months) => Math.Round(minutes / (60m * months), 2, MidpointRounding.AwayFromZero);
}
