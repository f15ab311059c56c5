using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CapsBuilder;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>The 条例/規則 caps, work-rules.md A-1 … A-8: every worked example, then the edges.</summary>
public class CapsOrdinanceTests
{
    private static readonly Designation OtherAllYear = OtherDirected(D(2024, 4, 1));

    // ---- A-1 自律部署, 45h a month (inclusive) ----

    [Theory]
    [InlineData(44.5, false)]   // 44h30m → OK
    [InlineData(45.0, false)]   // 45h00m → OK ("45時間の範囲内")
    [InlineData(45.25, true)]   // 45h15m → exceeds
    public void A1_Ex_MayMonthlyCap(double hours, bool exceeds)
    {
        var findings = Caps.ForYear(Input([Month(2025, 5, hours)]), 2025);

        if (!exceeds)
        {
            Assert.Empty(findings);
            return;
        }

        var f = Assert.Single(findings);
        AssertFinding(f, "A-1", FindingSeverity.Violation, D(2025, 5, 1), D(2025, 5, 31), ("hours", 45.25), ("limit", 45));
        Assert.False(f.Exempt);
        Assert.False(f.IsForecast);
        Assert.StartsWith("5月の時間外勤務が45時間を超えました（45時間15分）", f.MessageJa, StringComparison.Ordinal);
        Assert.StartsWith("Overtime in May 2025 exceeded 45h (45h15m)", f.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void A1_JustOverByOneMinute_Exceeds() =>
        AssertFinding(Assert.Single(Caps.ForYear(Input([new MonthWork { Month = D(2025, 6, 1), OrdinanceOvertimeMinutes = 45 * 60 + 1 }]), 2025)),
            "A-1", FindingSeverity.Violation, D(2025, 6, 1), D(2025, 6, 30), ("hours", 45.02), ("limit", 45));

    // ---- A-2 自律部署, 360h a 年度 ----

    [Fact]
    public void A2_Ex1_TwelveMonthsOf30h_Is360_Within() =>
        Assert.Empty(Caps.ForYear(Input(Overtime(2025, 4, Repeat(30, 12))), 2025));

    [Fact]
    public void A2_Ex1_ElevenMonthsOf30hAnd31h_Is361_ExceedsInMarch()
    {
        var findings = Caps.ForYear(Input(Overtime(2025, 4, [.. Repeat(30, 11), 31])), 2025);

        var f = Assert.Single(findings);
        AssertFinding(f, "A-2", FindingSeverity.Violation, D(2025, 4, 1), D(2026, 3, 31), ("hours", 361), ("limit", 360));
        Assert.StartsWith("令和7年度の時間外勤務の合計が360時間を超えました（3月までに361時間）", f.MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void A2_RunningTotal_IsReportedOnceInTheMonthItPasses()
    {
        // 40h a month: 9 months = 360 (within), the 10th month (January) passes it; February and March add more
        // but the year was already over.
        var f = Assert.Single(Caps.ForYear(Input(Overtime(2025, 4, Repeat(40, 12))), 2025));

        AssertFinding(f, "A-2", FindingSeverity.Violation, D(2025, 4, 1), D(2026, 1, 31), ("hours", 400), ("limit", 360));
    }

    [Fact]
    public void A2_Ex2_TransferFromTaxToGeneralAffairs_IsSummed_350Within()
    {
        // 税務課 Apr–Sep 150h (25h a month), 総務課 Oct–Mar 200h (33h20m a month): 通算 350h.
        var months = Overtime(2025, 4, [.. Repeat(25, 6), .. Repeat(200.0 / 6, 6)]);
        var input = Input(months, SelfDirected(D(2024, 4, 1), D(2025, 9, 30)) with { Unit = "税務課" }, SelfDirected(D(2025, 10, 1)));

        Assert.Equal(350 * 60, months.Sum(m => m.OrdinanceOvertimeMinutes));
        Assert.Empty(Caps.ForYear(input, 2025));
    }

    [Fact]
    public void Transfer_TwoRowsForOneMonth_AreSummedForTheMonthlyCap()
    {
        // Transferred on 10/16: 20h in the old unit and 26h in the new one → October 46h (通算).
        var input = Input([Month(2025, 10, 20), Month(2025, 10, 26)],
            SelfDirected(D(2024, 4, 1), D(2025, 10, 15)), SelfDirected(D(2025, 10, 16)));

        var f = Assert.Single(Caps.ForYear(input, 2025));
        AssertFinding(f, "A-1", FindingSeverity.Violation, D(2025, 10, 1), D(2025, 10, 31), ("hours", 46));
    }

    [Fact]
    public void A2_Ex3_CustomYearStartJuly_CapWindowIsJulyToJune()
    {
        // 40h a month from July 2025: the July year passes 360h in its 10th month, April 2026.
        var months = Overtime(2025, 7, Repeat(40, 12));
        var july = Input(months) with { Settings = new CapSettings { YearStartMonth = 7 } };

        var f = Assert.Single(Caps.ForYear(july, 2025));
        AssertFinding(f, "A-2", FindingSeverity.Violation, D(2025, 7, 1), D(2026, 4, 30), ("hours", 400), ("limit", 360));
        Assert.Contains("2025年7月〜2026年6月の1年", f.MessageJa, StringComparison.Ordinal);

        // The same hours under the 年度 never pass 360h: Jul–Mar is 9 × 40 = 360, and April starts a new year.
        Assert.Empty(Caps.ForMonths(Input(months), D(2025, 7, 1), D(2026, 6, 1)));
    }

    // ---- A-3 他律部署, under 100h a month (strict) ----

    [Theory]
    [InlineData(99 + 59 / 60.0, false)]  // 99h59m → OK
    [InlineData(100.0, true)]            // 100h00m → exceeds
    [InlineData(45.0, false)]            // 45h → OK
    public void A3_Ex_OtherDirectedMonthlyLimit(double hours, bool exceeds)
    {
        var findings = Caps.ForMonths(Input([Month(2025, 8, hours)], OtherAllYear), D(2025, 8, 1), D(2025, 8, 1));

        var caps = findings.Where(f => f.Rule == "A-3").ToList();
        if (!exceeds)
        {
            Assert.Empty(caps);
            return;
        }

        var f = Assert.Single(caps);
        AssertFinding(f, "A-3", FindingSeverity.Violation, D(2025, 8, 1), D(2025, 8, 31), ("hours", 100), ("limit", 100));
        Assert.StartsWith("8月の時間外勤務が100時間以上になりました（100時間）", f.MessageJa, StringComparison.Ordinal);
    }

    // ---- A-4 他律部署, 720h a 年度 ----

    [Fact]
    public void A4_Ex1_TwelveMonthsOf60h_Is720_Within()
    {
        var findings = Caps.ForYear(Input(Overtime(2025, 4, Repeat(60, 12)), OtherAllYear), 2025);

        Assert.DoesNotContain(findings, f => f.Rule == "A-4");
    }

    [Fact]
    public void A4_Ex1_721_ExceedsInMarch()
    {
        var findings = Caps.ForYear(Input(Overtime(2025, 4, [.. Repeat(60, 11), 61]), OtherAllYear), 2025);

        AssertFinding(Single(findings, "A-4"), "A-4", FindingSeverity.Violation, D(2025, 4, 1), D(2026, 3, 31), ("hours", 721), ("limit", 720));
    }

    [Fact]
    public void A4_Ex2_SixMonthsOf80hAndSixOf40h_Is720_NoFindingAtAll()
    {
        // 720h, A-6 met (exactly 6 months over 45h), every average ≤ 80.
        Assert.Empty(Caps.ForYear(Input(Overtime(2025, 4, [.. Repeat(80, 6), .. Repeat(40, 6)]), OtherAllYear), 2025));
    }

    [Fact]
    public void A4_Ex3_SelfDirectedThenOtherDirectedFromOctober_YearTotalCountsEveryMonth()
    {
        // Spec: 自律 Apr–Sep 300h, 他律 from October with 70h a month (420h) → 720h OK; one more hour → 721h exceeds.
        // (300h in six months cannot keep each month ≤ 45h, so April–September carry 50h and A-1 flags them; the
        // point here is the year total, which counts the 自律 months too.)
        var designations = new[] { SelfDirected(D(2024, 4, 1), D(2025, 9, 30)), OtherDirected(D(2025, 10, 1)) };
        var at720 = Caps.ForYear(Input(Overtime(2025, 4, [.. Repeat(50, 6), .. Repeat(70, 6)]), designations), 2025);
        var at721 = Caps.ForYear(Input(Overtime(2025, 4, [.. Repeat(50, 6), .. Repeat(70, 5), 71]), designations), 2025);

        Assert.DoesNotContain(at720, f => f.Rule is "A-4" or "A-2");
        Assert.Equal(6, at720.Count(f => f.Rule == "A-1"));   // the 自律 months
        AssertFinding(Single(at721, "A-4"), "A-4", FindingSeverity.Violation, D(2025, 4, 1), D(2026, 3, 31), ("hours", 721), ("limit", 720));
    }

    // ---- A-5 他律部署, 2–6 month averages ≤ 80h ----

    [Fact]
    public void A5_Ex1_JuneJulyAugust_TwoAndThreeMonthAveragesViolate()
    {
        var input = Input(Overtime(2025, 6, 70, 90, 85), OtherAllYear);

        var findings = Caps.ForMonths(input, D(2025, 8, 1), D(2025, 8, 1));

        Assert.Equal(2, findings.Count);
        AssertFinding(findings[0], "A-5", FindingSeverity.Violation, D(2025, 7, 1), D(2025, 8, 31), ("average", 87.5), ("months", 2), ("limit", 80));
        AssertFinding(findings[1], "A-5", FindingSeverity.Violation, D(2025, 6, 1), D(2025, 8, 31), ("average", 81.67), ("months", 3), ("limit", 80));
        Assert.StartsWith("6月〜8月の3か月平均の時間外勤務が80時間を超えました（平均81.67時間）", findings[1].MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void A5_Ex2_ThreeMonthWindowAcrossFiscalYear()
    {
        // Nov 60, Dec 70, Jan 75, Feb 85, Mar 80, Apr 78 → April: 2-mo 79.0, 3-mo (Feb–Apr) 81.0 ✗, 4-mo 79.5,
        // 5-mo 77.6, 6-mo 74.67 — only the 3-month window breaks, although April starts a new 年度.
        var input = Input(Overtime(2025, 11, 60, 70, 75, 85, 80, 78), OtherAllYear);

        var f = Assert.Single(Caps.ForMonths(input, D(2026, 4, 1), D(2026, 4, 1)));

        AssertFinding(f, "A-5", FindingSeverity.Violation, D(2026, 2, 1), D(2026, 4, 30), ("average", 81), ("months", 3), ("limit", 80));
    }

    [Fact]
    public void A5_Ex2_WindowsKeptInsideTheYear_WhenTheTownSaysSo()
    {
        var input = Input(Overtime(2025, 11, 60, 70, 75, 85, 80, 78), OtherAllYear) with
        {
            Settings = new CapSettings { AveragesCrossYearStart = false },
        };

        Assert.Empty(Caps.ForMonths(input, D(2026, 4, 1), D(2026, 4, 1)));
    }

    [Fact]
    public void A5_Ex3_JulyAugust_Average80_IsWithin()
    {
        var input = Input(Overtime(2025, 7, 79, 81), OtherAllYear);

        Assert.Empty(Caps.ForMonths(input, D(2025, 8, 1), D(2025, 8, 1)));
    }

    [Fact]
    public void A5_AverageOverByOneMinute_Violates()
    {
        var input = Input([Month(2025, 7, 79), new MonthWork { Month = D(2025, 8, 1), OrdinanceOvertimeMinutes = 81 * 60 + 1 }], OtherAllYear);

        AssertFinding(Assert.Single(Caps.ForMonths(input, D(2025, 8, 1), D(2025, 8, 1))),
            "A-5", FindingSeverity.Violation, D(2025, 7, 1), D(2025, 8, 31), ("average", 80.01), ("months", 2));
    }

    [Fact]
    public void A5_MonthsBeforeTheDesignation_CountInTheAverage_UnlessTheTownSaysNot()
    {
        // 自律 until June (70h breaks A-1 there), 他律 from July with 91h: the 2-month average 80.5 includes June.
        var months = Overtime(2025, 6, 70, 91);
        var designations = new[] { OtherDirected(D(2025, 7, 1)) };
        var july = D(2025, 7, 1);

        AssertFinding(Assert.Single(Caps.ForMonths(Input(months, designations), july, july)),
            "A-5", FindingSeverity.Violation, D(2025, 6, 1), D(2025, 7, 31), ("average", 80.5));
        Assert.Empty(Caps.ForMonths(Input(months, designations) with
        {
            Settings = new CapSettings { AveragesIncludeMonthsBeforeDesignation = false },
        }, july, july));
    }

    [Fact]
    public void A5_WindowBeforeTheEarliestMonthGiven_IsNotChecked()
    {
        // Only August is known: no window can be formed, and 85h alone is not an A-5 breach.
        Assert.Empty(Caps.ForMonths(Input([Month(2025, 8, 85)], OtherAllYear), D(2025, 8, 1), D(2025, 8, 1)));
    }

    // ---- A-6 他律部署, at most 6 months over 45h a 年度 ----

    [Fact]
    public void A6_Ex1_SeventhMonthOver45h_ViolatesInThatMonth()
    {
        var findings = Caps.ForYear(Input(Overtime(2025, 4, Repeat(46, 7)), OtherAllYear), 2025);

        var f = Assert.Single(findings);
        AssertFinding(f, "A-6", FindingSeverity.Violation, D(2025, 4, 1), D(2025, 10, 31), ("months", 7), ("limit", 6), ("hours", 46));
        Assert.Contains("10月で7か月目", f.MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void A6_Ex2_Exactly45h_DoesNotCount()
    {
        Assert.Empty(Caps.ForYear(Input(Overtime(2025, 4, [.. Repeat(46, 6), 45, 45, 45]), OtherAllYear), 2025));
    }

    [Fact]
    public void A6_Ex3_SixMonthsAt46hThenAprilOfTheNextYear_IsANewYear()
    {
        var input = Input(Overtime(2025, 10, [.. Repeat(46, 6), 46]), OtherAllYear);

        Assert.Empty(Caps.ForMonths(input, D(2025, 10, 1), D(2026, 4, 1)));
    }

    // ---- A-7 他律 → 自律 during the year ----

    private static readonly Designation[] TransferOn1010 =
        [OtherDirected(D(2025, 4, 1), D(2025, 10, 9)), SelfDirected(D(2025, 10, 10))];

    [Fact]
    public void A7_Ex1_TransferOctober10_RemainderOver150h_ViolatesInMarch()
    {
        // Apr–Sep 40h (他律), October = 特定期間 90h (<100, averages fine), Nov–Mar 45+40+30+20+16 = 151h > 30h × 5.
        var input = Input(Overtime(2025, 4, [.. Repeat(40, 6), 90, 45, 40, 30, 20, 16]), TransferOn1010);

        var f = Assert.Single(Caps.ForYear(input, 2025));

        AssertFinding(f, "A-7", FindingSeverity.Violation, D(2025, 11, 1), D(2026, 3, 31), ("hours", 151), ("limit", 150), ("months", 5));
    }

    [Fact]
    public void A7_Ex2_RemainderExactly150h_IsWithin()
    {
        var input = Input(Overtime(2025, 4, [.. Repeat(40, 6), 90, 45, 40, 30, 20, 15]), TransferOn1010);

        Assert.Empty(Caps.ForYear(input, 2025));
    }

    [Fact]
    public void A7_Ex3_AnnualTotal700_IsWithinTheYearCap()
    {
        // Apr–Sep 80h, October 70h, Nov–Mar 30h: 480 + 70 + 150 = 700h ≤ 720h; the remainder is exactly 150h.
        var input = Input(Overtime(2025, 4, [.. Repeat(80, 6), 70, .. Repeat(30, 5)]), TransferOn1010);

        var findings = Caps.ForYear(input, 2025);

        Assert.DoesNotContain(findings, f => f.Rule is "A-4" or "A-2" or "A-7");
    }

    [Fact]
    public void A7_TransitionMonth_IsJudgedAsOtherDirected()
    {
        // The 特定期間 (10/10–10/31) takes the 他律 tests: 90h in October is not an A-1 breach, 100h is an A-3 one.
        var ok = Caps.ForMonths(Input(Overtime(2025, 9, 40, 90), TransferOn1010), D(2025, 10, 1), D(2025, 10, 1));
        var over = Caps.ForMonths(Input(Overtime(2025, 9, 40, 100), TransferOn1010), D(2025, 10, 1), D(2025, 10, 1));

        Assert.Empty(ok);
        Assert.Single(over, f => f.Rule == "A-3");
        Assert.DoesNotContain(over, f => f.Rule == "A-1");
    }

    [Fact]
    public void A7_RemainderMonths_KeepTheMonthlyCapOf45h()
    {
        var input = Input(Overtime(2025, 4, [.. Repeat(40, 6), 60, 46]), TransferOn1010);

        var f = Assert.Single(Caps.ForYear(input, 2025));
        AssertFinding(f, "A-1", FindingSeverity.Violation, D(2025, 11, 1), D(2025, 11, 30), ("hours", 46));
    }

    [Fact]
    public void A7_Reverse_SelfToOtherDirected_OtherDirectedCapsApplyFromTheDesignationMonth()
    {
        // 自律 until 10/9, 他律 from 10/10: October's 60h is not an A-1 breach, November's 100h is an A-3 one.
        var designations = new[] { SelfDirected(D(2025, 4, 1), D(2025, 10, 9)), OtherDirected(D(2025, 10, 10)) };
        var input = Input(Overtime(2025, 4, [.. Repeat(30, 6), 60, 100]), designations);

        var findings = Caps.ForYear(input, 2025);

        Assert.DoesNotContain(findings, f => f.Rule is "A-1" or "A-7");
        AssertFinding(Single(findings, "A-3"), "A-3", FindingSeverity.Violation, D(2025, 11, 1), D(2025, 11, 30), ("hours", 100));
    }

    [Fact]
    public void A7_OtherDirectedDesignationEndingOnSeptember30_MakesOctoberTheTransitionMonth()
    {
        // No row after 9/30 means 自律 from 10/1: October is the 特定期間 (他律 tests), Nov–Mar may total 150h.
        var input = Input(Overtime(2025, 4, [.. Repeat(40, 6), 60, 30, 30, 30, 30, 31]), OtherDirected(D(2024, 4, 1), D(2025, 9, 30)));

        var f = Assert.Single(Caps.ForYear(input, 2025));

        AssertFinding(f, "A-7", FindingSeverity.Violation, D(2025, 11, 1), D(2026, 3, 31), ("hours", 151), ("limit", 150), ("months", 5));
    }

    [Fact]
    public void A5_SixMonthWindow_IsTheLongestChecked()
    {
        // April 200h then 70h a month: in September only the 6-month window (Apr–Sep, 91.67) breaks.
        var six = Caps.ForMonths(Input(Overtime(2025, 4, [200, .. Repeat(70, 5)]), OtherAllYear), D(2025, 9, 1), D(2025, 9, 1));
        AssertFinding(Assert.Single(six), "A-5", FindingSeverity.Violation, D(2025, 4, 1), D(2025, 9, 30), ("average", 91.67), ("months", 6));

        // March 300h then six months of 70h: a 7-month window (102.86) is never looked at.
        Assert.Empty(Caps.ForMonths(Input(Overtime(2025, 3, [300, .. Repeat(70, 6)]), OtherAllYear), D(2025, 9, 1), D(2025, 9, 1)));
    }

    // ---- A-8 特例業務 ----

    [Fact]
    public void A8_Ex1_August120hOnDisasterDuty_IsExempt_AndAsksForTheAnalysis()
    {
        var months = Overtime(2025, 4, 40, 40, 40, 40);
        months.Add(Month(2025, 8, 120, special: true));
        var findings = Caps.ForYear(Input(months, OtherAllYear), 2025);

        var a3 = Single(findings, "A-3");
        AssertFinding(a3, "A-3", FindingSeverity.Violation, D(2025, 8, 1), D(2025, 8, 31), ("hours", 120));
        Assert.True(a3.Exempt);
        Assert.Contains("特例業務", a3.MessageJa, StringComparison.Ordinal);
        Assert.All(findings.Where(f => f.Rule == "A-5"), f => Assert.True(f.Exempt));
        var a8 = Single(findings, "A-8");
        AssertFinding(a8, "A-8", FindingSeverity.Warning, D(2025, 8, 1), D(2025, 8, 31), ("hours", 120));
        Assert.False(a8.Exempt);
        // The health rule still applies: 120h ≥ 100h → interview without request.
        Assert.Single(findings, f => f.Rule == "A-9");
    }

    [Fact]
    public void A8_Ex1_WithTheAnalysisRecorded_NoWarning()
    {
        var input = Input([Month(2025, 8, 120)], OtherAllYear) with
        {
            SpecialDuty = [new SpecialDutyMonth(D(2025, 8, 1), "災害対応", new CauseAnalysis("人事課 佐藤", D(2026, 5, 20), "台風10号の避難所運営。"))],
        };

        var findings = Caps.ForYear(input, 2025);

        Assert.True(Single(findings, "A-3").Exempt);
        Assert.DoesNotContain(findings, f => f.Rule == "A-8");
    }

    [Fact]
    public void A8_Ex2_AveragingWindowWithTheSpecialMonth_IsExempt_OthersAreChecked()
    {
        // Jul 70, Aug 120 (特例), Sep 85, Oct 90: windows holding August are exempt; Sep–Oct (87.5) is not.
        var months = new List<MonthWork> { Month(2025, 7, 70), Month(2025, 8, 120, special: true), Month(2025, 9, 85), Month(2025, 10, 90) };

        var findings = Caps.ForMonths(Input(months, OtherAllYear), D(2025, 7, 1), D(2025, 10, 1));
        var averages = findings.Where(f => f.Rule == "A-5").ToList();

        Assert.True(averages.Single(f => f.From == D(2025, 7, 1) && f.To == D(2025, 8, 31)).Exempt);
        var sepOct = averages.Single(f => f.From == D(2025, 9, 1) && f.To == D(2025, 10, 31));
        Assert.False(sepOct.Exempt);
        AssertFinding(sepOct, "A-5", FindingSeverity.Violation, D(2025, 9, 1), D(2025, 10, 31), ("average", 87.5), ("months", 2));
        Assert.All(averages.Where(f => f.From <= D(2025, 8, 1)), f => Assert.True(f.Exempt));
        Assert.All(averages.Where(f => f.From > D(2025, 8, 1)), f => Assert.False(f.Exempt));
    }

    [Fact]
    public void A8_Ex3_TagAddedAfterTheFact_AsASpecialDutyRow_AlsoExempts()
    {
        // The month's hours were counted without the flag; the 特例業務 row added later (the app keeps both and
        // audits who added it) is enough for the engine.
        var input = Input([Month(2025, 5, 60)]) with { SpecialDuty = [new SpecialDutyMonth(D(2025, 5, 1), "感染症対応")] };

        var findings = Caps.ForYear(input, 2025);

        Assert.True(Single(findings, "A-1").Exempt);
        Assert.Equal(FindingSeverity.Violation, Single(findings, "A-1").Severity);
        Assert.Single(findings, f => f.Rule == "A-8");
    }

    [Fact]
    public void A8_YearTotal_ExemptWhenTheYearHeldSpecialDuty()
    {
        var months = Overtime(2025, 4, [.. Repeat(30, 11), 31]);
        months[4] = months[4] with { SpecialDuty = true };   // August

        var f = Single(Caps.ForYear(Input(months), 2025), "A-2");

        Assert.True(f.Exempt);
    }

    [Fact]
    public void A8_SpecialDutyWithoutAnyBreach_AsksForNothing() =>
        Assert.Empty(Caps.ForYear(Input([Month(2025, 8, 20, special: true)]), 2025));

    // ---- A-9 health: 100h or more → interview without request ----

    [Theory]
    [InlineData(99.9833, false)]
    [InlineData(100.0, true)]
    public void A9_InterviewWithoutRequest_AtOrAbove100h(double hours, bool fires)
    {
        var findings = Caps.ForYear(Input([Month(2025, 8, hours)], OtherAllYear), 2025).Where(f => f.Rule == "A-9").ToList();

        if (!fires)
        {
            Assert.Empty(findings);
            return;
        }

        var f = Assert.Single(findings);
        AssertFinding(f, "A-9", FindingSeverity.Warning, D(2025, 8, 1), D(2025, 8, 31), ("hours", 100), ("limit", 100));
        Assert.Contains("医師による面接指導", f.MessageJa, StringComparison.Ordinal);
    }

    // ---- ranges and inputs ----

    [Fact]
    public void ForMonths_OnlyReportsFindingsInTheRange()
    {
        var input = Input(Overtime(2025, 4, 50, 50, 50));

        var findings = Caps.ForMonths(input, D(2025, 5, 15), D(2025, 5, 15));

        Assert.Equal(D(2025, 5, 1), Assert.Single(findings).From);
    }

    [Fact]
    public void YearStart_FollowsTheStartMonth()
    {
        Assert.Equal(D(2025, 4, 1), Caps.YearStart(D(2026, 3, 31)));
        Assert.Equal(D(2026, 4, 1), Caps.YearStart(D(2026, 4, 1)));
        Assert.Equal(D(2025, 7, 1), Caps.YearStart(D(2026, 6, 30), 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => Caps.YearStart(D(2026, 6, 30), 13));
    }

    [Fact]
    public void ForMonths_LastBeforeFirst_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Caps.ForMonths(Input([]), D(2025, 6, 1), D(2025, 5, 1)));
}
