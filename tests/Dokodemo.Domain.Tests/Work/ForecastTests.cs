using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CapsBuilder;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>Warnings before a breach: the month (and year) projected at the current pace.</summary>
public class ForecastTests
{
    private static readonly Designation OtherAllYear = OtherDirected(D(2024, 4, 1));

    private static MonthToDate SoFar(int y, int m, double overtime, int elapsed, int remaining, double labor = 0, double rest = 0) =>
        new(Month(y, m, overtime, labor, rest), elapsed, remaining);

    private static void AssertForecast(Finding f, string rule, DateOnly from, DateOnly to, params (string Name, double Value)[] figures)
    {
        AssertFinding(f, rule, FindingSeverity.Warning, from, to, figures);
        Assert.True(f.IsForecast);
        Assert.False(f.Exempt);
    }

    [Fact]
    public void Project_ScalesTheMonthToDateToAllItsWorkingDays()
    {
        var projected = Forecast.Project(new MonthToDate(Month(2025, 5, 27, labor: 20, rest: 4, total: 100), 10, 10));

        Assert.Equal(H(54), projected.OrdinanceOvertimeMinutes);
        Assert.Equal(H(40), projected.LaborOvertimeMinutes);
        Assert.Equal(H(8), projected.LegalRestDayMinutes);
        Assert.Equal(H(200), projected.TotalWorkedMinutes);
        Assert.Equal(H(27), Forecast.Project(SoFar(2025, 5, 27, 0, 20)).OrdinanceOvertimeMinutes);   // no pace yet
        Assert.Throws<ArgumentOutOfRangeException>(() => Forecast.Project(SoFar(2025, 5, 27, -1, 20)));
    }

    [Fact]
    public void SelfDirected_MidMonthPacePassing45h_Warns()
    {
        // 27h after 10 of 20 working days → 54h at month end.
        // (At 54h a month the year would pass 360h too: that is the separate A-2 forecast.)
        var f = Single(Forecast.ForMonth(Input([]), SoFar(2025, 5, 27, 10, 10)), "A-1");

        AssertForecast(f, "A-1", D(2025, 5, 1), D(2025, 5, 31), ("projected", 54), ("hours", 27), ("limit", 45));
        Assert.StartsWith("このままのペースでは5月の時間外勤務が45時間を超える見込みです（見込み54時間、現在27時間）", f.MessageJa, StringComparison.Ordinal);
        Assert.StartsWith("At the current pace, overtime in May 2025 will exceed 45h (projected 54h; 27h so far)", f.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void SelfDirected_PaceWellUnderTheCap_DoesNotWarn() =>
        Assert.Empty(Forecast.ForMonth(Input([]), SoFar(2025, 5, 15, 10, 10)));

    [Fact]
    public void SelfDirected_ProjectionExactly45h_DoesNotWarnAsABreach_ButTheMarginDoes()
    {
        // 22h30m after 10 of 20 days → 45h00m (within); the month to date is under 36h, so nothing at all.
        // An empty April keeps the year's pace under 360h.
        Assert.Empty(Forecast.ForMonth(Input([Month(2025, 4, 0)]), SoFar(2025, 5, 22.5, 10, 10)));

        // 37h after 19 of 20 days → 38h57m (within), but 37h ≥ 80 % of 45h (36h).
        var f = Assert.Single(Forecast.ForMonth(Input([Month(2025, 4, 0)]), SoFar(2025, 5, 37, 19, 1)));
        AssertForecast(f, "A-1", D(2025, 5, 1), D(2025, 5, 31), ("hours", 37), ("limit", 45), ("margin", 80));
        Assert.StartsWith("5月の時間外勤務が上限45時間の80%に達しています（現在37時間）", f.MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void Margin_IsASetting()
    {
        var input = Input([Month(2025, 4, 0)]) with { Settings = new CapSettings { ForecastMarginPercent = 90 } };

        Assert.Empty(Forecast.ForMonth(input, SoFar(2025, 5, 37, 19, 1)));
        Assert.Single(Forecast.ForMonth(input, SoFar(2025, 5, 40.5, 19, 1)));
    }

    [Fact]
    public void OtherDirected_PaceReaching100h_Warns()
    {
        var findings = Forecast.ForMonth(Input([], OtherAllYear), SoFar(2025, 6, 50, 10, 10));

        AssertForecast(Single(findings, "A-3"), "A-3", D(2025, 6, 1), D(2025, 6, 30), ("projected", 100), ("hours", 50), ("limit", 100));
    }

    [Fact]
    public void OtherDirected_PaceBreakingTheTwoMonthAverage_Warns()
    {
        // May 90h; June 40h after 10 of 20 days → 80h → May–June 85h.
        var findings = Forecast.ForMonth(Input([Month(2025, 5, 90)], OtherAllYear), SoFar(2025, 6, 40, 10, 10));

        AssertForecast(Single(findings, "A-5"), "A-5", D(2025, 5, 1), D(2025, 6, 30), ("projectedAverage", 85), ("months", 2), ("limit", 80));
    }

    [Fact]
    public void SelfDirected_YearPace_Passing360h_Warns()
    {
        // 40h a month April–August, September 20h after half its days: 240h in six months, 40h a month → 480h.
        var findings = Forecast.ForMonth(Input(Overtime(2025, 4, Repeat(40, 5))), SoFar(2025, 9, 20, 10, 10));

        var f = Assert.Single(findings);
        AssertForecast(f, "A-2", D(2025, 4, 1), D(2026, 3, 31), ("hours", 220), ("projected", 480), ("limit", 360));
        Assert.StartsWith("このままのペースでは令和7年度の時間外勤務の合計が360時間を超える見込みです", f.MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherDirected_YearPace_UsesTheYearCapOf720h()
    {
        // 60h a month is exactly 720h a year: no warning; 61h a month is 732h.
        Assert.Empty(Forecast.ForMonth(Input(Overtime(2025, 4, Repeat(60, 5)), OtherAllYear), SoFar(2025, 9, 30, 10, 10)));

        var f = Assert.Single(Forecast.ForMonth(Input(Overtime(2025, 4, Repeat(61, 5)), OtherAllYear), SoFar(2025, 9, 30.5, 10, 10)));
        AssertForecast(f, "A-4", D(2025, 4, 1), D(2026, 3, 31), ("projected", 732), ("limit", 720));
    }

    [Fact]
    public void AgreementWithoutSpecialClause_PacePassing45h_WarnsB3()
    {
        var input = new CapsInput { Months = [], Agreements = [new LaborAgreement(D(2020, 4, 1), null)] };

        var findings = Forecast.ForMonth(input, SoFar(2025, 6, 0, 10, 10, labor: 30));
        var f = Assert.Single(findings, x => x.From == D(2025, 6, 1) && x.To == D(2025, 6, 30));

        AssertForecast(f, "B-3", D(2025, 6, 1), D(2025, 6, 30), ("projected", 60), ("hours", 30), ("limit", 45));

        // And the 対象期間 at 60h a month (June is the first month known) would reach 600h > 360h.
        AssertForecast(Assert.Single(findings, x => x.To == D(2026, 3, 31)), "B-3", D(2025, 4, 1), D(2026, 3, 31),
            ("hours", 30), ("projected", 600), ("limit", 360));
    }

    [Fact]
    public void AgreementWithSpecialClause_PaceReaching100hWithRestDays_WarnsB5()
    {
        var input = new CapsInput { Months = [], Agreements = [new LaborAgreement(D(2020, 4, 1), null, SpecialClause: true)] };

        var f = Assert.Single(Forecast.ForMonth(input, SoFar(2025, 6, 0, 10, 10, labor: 30, rest: 20)));

        AssertForecast(f, "B-5", D(2025, 6, 1), D(2025, 6, 30), ("projected", 100), ("hours", 50), ("limit", 100));
    }

    [Fact]
    public void SpecialDutyMonth_GetsNoForecast()
    {
        var input = Input([]) with { SpecialDuty = [new SpecialDutyMonth(D(2025, 5, 1), "災害対応")] };

        Assert.Empty(Forecast.ForMonth(input, SoFar(2025, 5, 40, 10, 10)));
    }

    [Fact]
    public void ARowForTheCurrentMonth_IsReplacedByTheProjection()
    {
        // A stale 60h row for May must not double the month.
        var f = Single(Forecast.ForMonth(Input([Month(2025, 5, 60)]), SoFar(2025, 5, 27, 10, 10)), "A-1");

        Assert.Equal(54m, f.Figure("projected"));
    }

    [Fact]
    public void Forecasts_LeaveOutHealthFindings()
    {
        var findings = Forecast.ForMonth(Input([], OtherAllYear), SoFar(2025, 6, 60, 10, 10));

        Assert.All(findings, f => Assert.True(f.IsForecast));
        Assert.DoesNotContain(findings, f => f.Rule is "A-9" or "C-1");
    }
}
