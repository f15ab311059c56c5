namespace Dokodemo.Domain.Work;

/// <summary>
/// The per-town (or per-group) parameters of the caps, in minutes. Defaults are the national model and 労基法 as
/// work-rules.md states them; section J lists what to confirm with each town.
/// </summary>
public sealed record CapSettings
{
    public static CapSettings Default { get; } = new();

    /// <summary>A-1: 自律部署 monthly cap, inclusive (45h00m is within).</summary>
    public int MonthlyMinutes { get; init; } = 45 * 60;

    /// <summary>A-2: 自律部署 yearly cap, inclusive.</summary>
    public int AnnualMinutes { get; init; } = 360 * 60;

    /// <summary>A-3: 他律部署 monthly limit, strict (100h00m exceeds).</summary>
    public int OtherDirectedMonthlyMinutes { get; init; } = 100 * 60;

    /// <summary>A-4: 他律部署 yearly cap, inclusive.</summary>
    public int OtherDirectedAnnualMinutes { get; init; } = 720 * 60;

    /// <summary>A-5 / B-5: the 2–6 month average, inclusive (80.0 is within).</summary>
    public int AverageMinutes { get; init; } = 80 * 60;

    /// <summary>A-5 / B-5: the averaging windows run over 2 … this many months.</summary>
    public int AverageWindowMonths { get; init; } = 6;

    /// <summary>A-6 / B-4: months above <see cref="MonthlyMinutes"/> allowed per year.</summary>
    public int MonthsOverMonthlyMax { get; init; } = 6;

    /// <summary>A-7: after the 特定期間, the remainder of the year may total this many minutes per remaining month.</summary>
    public int TransitionRemainderMinutesPerMonth { get; init; } = 30 * 60;

    /// <summary>1年 starts on the first of this month (4 = 年度; 任命権者 may set another, e.g. 7 for a group).</summary>
    public int YearStartMonth { get; init; } = 4;

    /// <summary>J-2: A-5 windows reach back across the year start (36協定 windows (B-5) always do).</summary>
    public bool AveragesCrossYearStart { get; init; } = true;

    /// <summary>J-2: A-5 windows include months before the person's 他律 designation (the cap applies to the employee).</summary>
    public bool AveragesIncludeMonthsBeforeDesignation { get; init; } = true;

    /// <summary>A-9: 時間外 at or above this in a month → doctor interview without request (人事院規則10-4).</summary>
    public int InterviewWithoutRequestMinutes { get; init; } = 100 * 60;

    /// <summary>C-1: 安衛法 時間外・休日労働 above this in a month → notify; interview on request.</summary>
    public int HealthExcessMinutes { get; init; } = 80 * 60;

    /// <summary>B-3: 36協定 monthly and yearly limits (42h/320h under 1年単位変形; see <see cref="LaborAgreement"/>).</summary>
    public int AgreementMonthlyMinutes { get; init; } = 45 * 60;

    public int AgreementAnnualMinutes { get; init; } = 360 * 60;

    public int AgreementVariableMonthlyMinutes { get; init; } = 42 * 60;

    public int AgreementVariableAnnualMinutes { get; init; } = 320 * 60;

    /// <summary>B-4: yearly limit under a 特別条項.</summary>
    public int AgreementSpecialAnnualMinutes { get; init; } = 720 * 60;

    /// <summary>B-5: 時間外 + 休日 in a month must stay under this (strict).</summary>
    public int AgreementMonthlyCeilingMinutes { get; init; } = 100 * 60;

    /// <summary>Forecasts: warn once the month to date reaches this share (percent) of the month's cap.</summary>
    public int ForecastMarginPercent { get; init; } = 80;
}
