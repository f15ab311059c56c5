using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CapsBuilder;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>36協定 caps, work-rules.md B-3 … B-5 with Ex B-1 … B-4, and C-1 (安衛法).</summary>
public class CapsAgreementTests
{
    private static readonly LaborAgreement Plain = new(D(2020, 4, 1), null, StartMonth: 4, Workplace: "上水道課");
    private static readonly LaborAgreement Special = Plain with { SpecialClause = true };

    private static CapsInput Covered(LaborAgreement agreement, IEnumerable<MonthWork> months) =>
        new() { Months = months.ToList(), Agreements = [agreement] };

    private static IReadOnlyList<Finding> In(CapsInput input, int y, int m) => Caps.ForMonths(input, D(y, m, 1), D(y, m, 1));

    // ---- B-3 原則: 45h a month, 360h a year (時間外労働 only) ----

    [Fact]
    public void B3_Ex1_NoSpecialClause_46hInAMonth_Violates()
    {
        var f = Assert.Single(In(Covered(Plain, Labor(2025, 6, (46, 0))), 2025, 6));

        AssertFinding(f, "B-3", FindingSeverity.Violation, D(2025, 6, 1), D(2025, 6, 30), ("hours", 46), ("limit", 45));
        Assert.StartsWith("6月の時間外労働（36協定）が45時間を超えました（46時間）", f.MessageJa, StringComparison.Ordinal);
        Assert.False(f.Exempt);
    }

    [Fact]
    public void B3_Ex2_45hPlus20hOnTheLegalRestDay_IsWithinB3_AndB5()
    {
        // 休日労働 does not count toward 45h; B-5 sees 65h < 100h.
        Assert.Empty(In(Covered(Plain, Labor(2025, 6, (45, 20))), 2025, 6));
    }

    [Fact]
    public void B3_Ex3_AgreementStartingOctober_YearIsOctoberToSeptember()
    {
        // 31h a month from October: 11 months = 341h, the 12th (September) passes 360h. Under the 年度 the year
        // would have restarted in April.
        var october = Plain with { StartMonth = 10 };
        var input = Covered(october, Labor(2025, 10, Enumerable.Repeat((31.0, 0.0), 12).ToArray()));

        var f = Assert.Single(Caps.ForAgreementPeriod(input, october, 2025));

        AssertFinding(f, "B-3", FindingSeverity.Violation, D(2025, 10, 1), D(2026, 9, 30), ("hours", 372), ("limit", 360));
        Assert.Contains("2025年10月〜2026年9月の対象期間", f.MessageJa, StringComparison.Ordinal);
        Assert.DoesNotContain(Caps.ForAgreementPeriod(Covered(Plain, input.Months), Plain, 2025), x => x.Rule == "B-3");
    }

    [Fact]
    public void B3_OneYearVariableHours_Uses42hAnd320h()
    {
        var variable = Plain with { YearlyVariableHours = true };

        var f = Assert.Single(In(Covered(variable, Labor(2025, 6, (43, 0))), 2025, 6));

        AssertFinding(f, "B-3", FindingSeverity.Violation, D(2025, 6, 1), D(2025, 6, 30), ("hours", 43), ("limit", 42));
    }

    [Fact]
    public void AMonthUnderA36Agreement_IsJudgedByBInsteadOfA()
    {
        // 条例 counting says 50h (an A-1 breach in an office), 労基法 counting 40h: within B-3.
        var input = Covered(Plain, [Month(2025, 6, 50, labor: 40)]);

        Assert.Empty(In(input, 2025, 6));
    }

    [Fact]
    public void AnAgreementEndingInSeptember_SendsOctoberBackToTheARules()
    {
        var input = Covered(Plain with { To = D(2025, 9, 30) }, [Month(2025, 9, 50, labor: 40), Month(2025, 10, 50, labor: 40)]);

        var findings = Caps.ForMonths(input, D(2025, 9, 1), D(2025, 10, 1));

        AssertFinding(Assert.Single(findings), "A-1", FindingSeverity.Violation, D(2025, 10, 1), D(2025, 10, 31), ("hours", 50));
    }

    // ---- B-4 特別条項: 720h, at most 6 months over 45h ----

    [Fact]
    public void B4_Ex1_SeventhMonthOver45h_Violates()
    {
        var input = Covered(Special, Labor(2025, 4, Enumerable.Repeat((46.0, 0.0), 7).ToArray()));

        var f = Assert.Single(Caps.ForAgreementPeriod(input, Special, 2025));

        AssertFinding(f, "B-4", FindingSeverity.Violation, D(2025, 4, 1), D(2025, 10, 31), ("months", 7), ("limit", 6), ("hours", 46));
    }

    [Fact]
    public void B4_Ex2_44hPlus30hRestDay_DoesNotCountAsAMonthOver45h()
    {
        var months = Labor(2025, 4, [.. Enumerable.Repeat((46.0, 0.0), 6), (44, 30)]);

        Assert.Empty(Caps.ForAgreementPeriod(Covered(Special, months), Special, 2025));
    }

    [Fact]
    public void B4_Ex3_720hReachedInMonth11_Month12MustHaveNoOvertime()
    {
        // 10 × 66h + 60h = 720h by February; March may only hold 法定休日労働.
        (double, double)[] upToFebruary = [.. Enumerable.Repeat((66.0, 0.0), 10), (60, 0)];
        var restOnly = Caps.ForAgreementPeriod(Covered(Special, Labor(2025, 4, [.. upToFebruary, (0, 20)])), Special, 2025);
        var oneHour = Caps.ForAgreementPeriod(Covered(Special, Labor(2025, 4, [.. upToFebruary, (1, 0)])), Special, 2025);

        Assert.DoesNotContain(restOnly, f => f.Figure("limit") == 720m);
        var f = Assert.Single(oneHour, f => f.Figure("limit") == 720m);
        AssertFinding(f, "B-4", FindingSeverity.Violation, D(2025, 4, 1), D(2026, 3, 31), ("hours", 721), ("limit", 720));
    }

    [Fact]
    public void ExB4_TwelveMonthsOf60h_Is720Within_ButTwelveMonthsOver45hViolate()
    {
        var findings = Caps.ForAgreementPeriod(Covered(Special, Labor(2025, 4, Enumerable.Repeat((60.0, 0.0), 12).ToArray())), Special, 2025);

        Assert.DoesNotContain(findings, f => f.Figure("limit") == 720m);
        Assert.Equal(6, findings.Count);   // months 7 … 12, each one more month over 45h
        Assert.All(findings, f => Assert.Equal("B-4", f.Rule));
        AssertFinding(findings[0], "B-4", FindingSeverity.Violation, D(2025, 4, 1), D(2025, 10, 31), ("months", 7), ("limit", 6));
        AssertFinding(findings[5], "B-4", FindingSeverity.Violation, D(2025, 4, 1), D(2026, 3, 31), ("months", 12), ("limit", 6));
    }

    // ---- B-5 always: 時間外 + 休日 < 100h, 2–6 month averages ≤ 80h ----

    [Fact]
    public void ExB1_JuneJulyAugust_TwoMonthAverageViolates_ThreeMonthDoesNot()
    {
        // Jun 50+10 = 60, Jul 60+16 = 76, Aug 55+30 = 85 → Aug: 85 < 100 OK; Jul–Aug 80.5 ✗; Jun–Aug 73.67 OK.
        // Three months over 45h so far: within B-4's six.
        var input = Covered(Special, Labor(2025, 6, (50, 10), (60, 16), (55, 30)));

        var f = Assert.Single(In(input, 2025, 8));

        AssertFinding(f, "B-5", FindingSeverity.Violation, D(2025, 7, 1), D(2025, 8, 31), ("average", 80.5), ("months", 2), ("limit", 80));
        Assert.StartsWith("7月〜8月の2か月平均の時間外労働と休日労働が80時間を超えました（平均80.5時間）", f.MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void ExB2_60hOvertimePlus40hRestDay_Is100_Violates()
    {
        var findings = In(Covered(Special, Labor(2025, 6, (60, 40))), 2025, 6);

        AssertFinding(Assert.Single(findings), "B-5", FindingSeverity.Violation, D(2025, 6, 1), D(2025, 6, 30),
            ("hours", 100), ("limit", 100), ("overtime", 60), ("restDay", 40));
    }

    [Fact]
    public void ExB3_42hOvertimePlus58hRestDay_Is100_ViolatesEvenWithoutSpecialClause()
    {
        var findings = In(Covered(Plain, Labor(2025, 6, (42, 58))), 2025, 6);

        AssertFinding(Assert.Single(findings), "B-5", FindingSeverity.Violation, D(2025, 6, 1), D(2025, 6, 30), ("hours", 100), ("limit", 100));
    }

    [Theory]
    [InlineData(99 + 59 / 60.0, false)]
    [InlineData(100.0, true)]
    public void B5_MonthlyCeiling_IsStrict(double overtime, bool fires)
    {
        var findings = In(Covered(Special, Labor(2025, 6, (overtime - 30, 30))), 2025, 6);

        Assert.Equal(fires, findings.Any(f => f.Rule == "B-5"));
    }

    [Fact]
    public void B5_AveragesCrossTheAgreementsStart_WhateverTheTownsASetting()
    {
        // March 85h, April 80h (a new 対象期間): 82.5 ✗ even where A-5 windows stay inside the year.
        var input = Covered(Special, Labor(2026, 3, (85, 0), (80, 0))) with { Settings = new CapSettings { AveragesCrossYearStart = false } };

        AssertFinding(Assert.Single(In(input, 2026, 4)), "B-5", FindingSeverity.Violation, D(2026, 3, 1), D(2026, 4, 30), ("average", 82.5));
    }

    [Fact]
    public void B_SpecialDuty_DoesNotExemptThe36AgreementLimits()
    {
        var input = Covered(Plain, [Month(2025, 6, 0, labor: 50, special: true)]);

        var f = Assert.Single(In(input, 2025, 6));
        Assert.Equal("B-3", f.Rule);
        Assert.False(f.Exempt);
    }

    // ---- C-1 安衛法: total − days ÷ 7 × 40h > 80h ----

    [Theory]
    [InlineData(2025, 6, 250.0, false, 78.57)]  // 30-day month: 250 − 171.43 = 78.57 → no trigger
    [InlineData(2025, 7, 258.0, true, 80.86)]   // 31-day month: 258 − 177.14 = 80.86 → trigger
    [InlineData(2025, 2, 240.0, false, 80.0)]   // 28-day month: 240 − 160 = 80.00 → not > 80
    public void C1_Ex_HealthThreshold(int y, int m, double worked, bool fires, double excess)
    {
        var findings = Caps.ForMonths(new CapsInput { Months = [Month(y, m, 0, total: worked)] }, D(y, m, 1), D(y, m, 1));

        Assert.Equal(excess, Math.Round(worked - DateTime.DaysInMonth(y, m) / 7.0 * 40, 2));
        if (!fires)
        {
            Assert.Empty(findings);
            return;
        }

        var f = Assert.Single(findings);
        AssertFinding(f, "C-1", FindingSeverity.Warning, D(y, m, 1), D(y, m, DateTime.DaysInMonth(y, m)),
            ("hours", excess), ("limit", 80), ("worked", worked), ("days", 31));
        Assert.Contains("80.86時間", f.MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void C1_AppliesUnderA36AgreementToo()
    {
        var input = Covered(Plain, [Month(2025, 7, 0, labor: 30, total: 258)]);

        Assert.Equal("C-1", Assert.Single(In(input, 2025, 7)).Rule);
    }
}
