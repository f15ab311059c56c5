namespace Dokodemo.Domain.Work;

/// <summary>
/// The month so far: its counted minutes to date, and how many of the person's working days of the month have passed
/// and remain (from the calendar and their 割振り; the caller counts them).
/// </summary>
public sealed record MonthToDate(MonthWork SoFar, int WorkdaysElapsed, int WorkdaysRemaining);

/// <summary>
/// Warnings before a breach: the month (and the year) projected at the current pace, judged by the same caps.
/// Every finding here is a <see cref="FindingSeverity.Warning"/> with <see cref="Finding.IsForecast"/> set; its
/// "projected" figure is the projection and "hours" the figure today.
/// </summary>
public static class Forecast
{
    /// <summary>The month's minutes scaled from the working days elapsed to all its working days.</summary>
    public static MonthWork Project(MonthToDate current)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfNegative(current.WorkdaysElapsed);
        ArgumentOutOfRangeException.ThrowIfNegative(current.WorkdaysRemaining);
        var w = current.SoFar;
        if (current.WorkdaysElapsed == 0 || current.WorkdaysRemaining == 0)
        {
            return w;
        }

        var days = current.WorkdaysElapsed + current.WorkdaysRemaining;
        return w with
        {
            OrdinanceOvertimeMinutes = Scale(w.OrdinanceOvertimeMinutes, current.WorkdaysElapsed, days),
            LaborOvertimeMinutes = Scale(w.LaborOvertimeMinutes, current.WorkdaysElapsed, days),
            LegalRestDayMinutes = Scale(w.LegalRestDayMinutes, current.WorkdaysElapsed, days),
            TotalWorkedMinutes = Scale(w.TotalWorkedMinutes, current.WorkdaysElapsed, days),
        };
    }

    /// <summary>
    /// Forecast findings for the month of <paramref name="current"/>: a cap its projection breaks (A-1, A-3, A-5,
    /// B-3 … B-5, and a year total passed this month), a monthly cap the month to date has already come
    /// within <see cref="CapSettings.ForecastMarginPercent"/> of, and a year total (A-2/A-4, B-3/B-4) the average
    /// pace so far would pass by the year end. Earlier months come from <paramref name="input"/>; a row there for
    /// the current month is ignored. 特例業務 months get no forecast.
    /// </summary>
    public static IReadOnlyList<Finding> ForMonth(CapsInput input, MonthToDate current)
    {
        ArgumentNullException.ThrowIfNull(input);
        var projected = Project(current);
        Caps.CheckMonth(input.Settings.YearStartMonth);
        var i = CapsMath.Index(current.SoFar.Month);
        return new CapsEngine(input, i, i, projected, current.SoFar).Run();
    }

    private static int Scale(int minutes, int elapsed, int days) =>
        (int)Math.Round((decimal)minutes * days / elapsed, MidpointRounding.AwayFromZero);
}
