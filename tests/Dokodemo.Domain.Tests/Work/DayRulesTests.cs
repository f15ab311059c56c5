using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CountingBuild;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>D-1 breaks, D-2 週休日, D-3 勤務間インターバル and C-2 records, with the spec's worked examples by name.</summary>
public class DayRulesTests
{
    private static readonly DateOnly Tue = D(2025, 6, 3);

    // ---- D-1 ----

    [Fact]
    public void D1_Ex1_RegularDayWithAnHourBreak_IsKept() =>
        Assert.Empty(DayRules.Breaks(Workday(Tue, "8:30-12:00,13:00-17:15")));

    [Fact]
    public void D1_Ex2_FortyFiveMinuteLunchWithOvertime_Is15MinutesShort()
    {
        var day = Workday(Tue, "8:30-12:00,12:45-18:00", assigned: "8:30-12:00,12:45-17:00", breaks: "12:00-12:45");

        var f = Assert.Single(DayRules.Breaks(day));

        Assert.Equal("D-1", f.Rule);
        Assert.Equal(FindingSeverity.Violation, f.Severity);
        Assert.Equal(8.75m, f.Figure("workedHours"));
        Assert.Equal(45m, f.Figure("breakMinutes"));
        Assert.Equal(60m, f.Figure("requiredBreakMinutes"));
        Assert.Equal(15m, f.Figure("shortMinutes"));
    }

    [Fact]
    public void D1_Ex2_SameDayEndingAt1715_ExactlyEightHours_IsKept()
    {
        var day = Workday(Tue, "8:30-12:00,12:45-17:15", assigned: "8:30-12:00,12:45-17:00", breaks: "12:00-12:45");

        Assert.Equal(480, day.WorkedMinutes);
        Assert.Empty(DayRules.Breaks(day));
    }

    [Fact]
    public void D1_ExactlySixHoursWithoutBreak_IsKept_OneMinuteMoreIsNot()
    {
        Assert.Empty(DayRules.Breaks(Workday(Tue, "9:00-15:00", breaks: "")));

        var f = Assert.Single(DayRules.Breaks(Workday(Tue, "9:00-15:01", breaks: "")));
        Assert.Equal(45m, f.Figure("requiredBreakMinutes"));
        Assert.Equal(45m, f.Figure("shortMinutes"));
    }

    [Fact]
    public void D1_FukushimaVariant_OverSevenHours45NeedsAnHour()
    {
        var fukushima = new DayRuleSettings { BreakThresholds = [new(360, 45), new(465, 60)] };
        var day = Workday(Tue, "8:30-12:00,12:45-17:00", assigned: "8:30-12:00,12:45-17:00", breaks: "12:00-12:45");
        var longer = Workday(Tue, "8:30-12:00,12:45-17:01", assigned: "8:30-12:00,12:45-17:00", breaks: "12:00-12:45");

        Assert.Empty(DayRules.Breaks(day, fukushima));                      // 7h45m exactly
        Assert.Empty(DayRules.Breaks(longer));                              // 労基法: 7h46m needs only 45
        Assert.Equal(15m, Assert.Single(DayRules.Breaks(longer, fukushima)).Figure("shortMinutes"));
    }

    [Fact]
    public void D1_Ex3_SplitBreaksAddingUpToTheRegularBreak_AreKept()
    {
        var day = Workday(Tue, "8:30-12:00,12:30-15:00,15:30-17:15", breaks: "12:00-12:30,15:00-15:30");

        Assert.Empty(DayRules.Breaks(day));
    }

    [Fact]
    public void D1_Ex3_SplitBreakAdjacentToTheStart_IsABreach()
    {
        var day = Workday(Tue, "9:00-12:00,12:30-17:15", breaks: "8:30-9:00,12:00-12:30");

        var f = Assert.Single(DayRules.SplitBreaks(day));

        Assert.Equal("D-1", f.Rule);
        Assert.Equal(FindingSeverity.Violation, f.Severity);
        Assert.Equal(30m, f.Figure("breakMinutes"));
        Assert.Contains("8:30", f.MessageJa, StringComparison.Ordinal);
        Assert.Contains("start", f.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void D1_Ex3_SplitBreakAdjacentToTheEnd_AndShortSum_AreBothReported()
    {
        var day = Workday(Tue, "8:30-12:00,12:20-16:45", breaks: "12:00-12:20,16:45-17:15");

        var findings = DayRules.SplitBreaks(day);

        Assert.Equal(2, findings.Count);
        Assert.Equal(50m, findings[0].Figure("breakMinutes"));
        Assert.Contains("end", findings[1].MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void D1_Ex3_SplitBreaksWhereTheTownForbidsThem_AreABreach()
    {
        var day = Workday(Tue, "8:30-12:00,12:30-15:00,15:30-17:15", breaks: "12:00-12:30,15:00-15:30");

        var f = Assert.Single(DayRules.Breaks(day, new DayRuleSettings { SplitBreaksAllowed = false }));
        Assert.Equal("D-1", f.Rule);
        Assert.Equal(2m, f.Figure("parts"));
    }

    [Fact]
    public void D1_Ex4_OvertimeOrderCoveringTheLunchBreak_IsRefused()
    {
        var order = new LocalInterval(At(Tue, "12:00"), At(Tue, "12:30"));

        var f = Assert.Single(DayRules.OvertimeOrder(Tue, order, Iv(Tue, "12:00-13:00")));

        Assert.Equal("D-1", f.Rule);
        Assert.Equal(FindingSeverity.Violation, f.Severity);
        Assert.Equal(30m, f.Figure("overlapMinutes"));
    }

    [Fact]
    public void D1_Ex4_OvertimeOrderAfterHours_IsAccepted_AndAReversedOrderIsRefused()
    {
        Assert.Empty(DayRules.OvertimeOrder(Tue, new LocalInterval(At(Tue, "17:15"), At(Tue, "19:00")), Iv(Tue, "12:00-13:00")));
        Assert.Empty(DayRules.OvertimeOrder(Tue, new LocalInterval(At(Tue, "13:00"), At(Tue, "14:00")), Iv(Tue, "12:00-13:00")));
        Assert.Single(DayRules.OvertimeOrder(Tue, new LocalInterval(At(Tue, "19:00"), At(Tue, "17:15")), Iv(Tue, "12:00-13:00")));
    }

    // ---- D-2 ----

    [Fact]
    public void D2_Ex1_SwapSixAndAHalfWeeksAfter_IsAccepted() =>
        Assert.Empty(DayRules.RestDaySwap(D(2025, 6, 14), D(2025, 7, 30), decidedOn: D(2025, 6, 10)));

    [Fact]
    public void D2_Ex1_SwapTwelveAndAHalfWeeksAfter_IsRefused()
    {
        var f = Assert.Single(DayRules.RestDaySwap(D(2025, 6, 14), D(2025, 9, 10), decidedOn: D(2025, 6, 10)));

        Assert.Equal("D-2", f.Rule);
        Assert.Equal(FindingSeverity.Violation, f.Severity);
        Assert.Equal(12.57m, f.Figure("weeksFromWorkedDay"));
        Assert.Equal(8m, f.Figure("weeksAfter"));
    }

    [Fact]
    public void D2_SwapWindowEdges_AreInclusive()
    {
        Assert.Empty(DayRules.RestDaySwap(D(2025, 6, 14), D(2025, 6, 14).AddDays(56), D(2025, 6, 1)));
        Assert.Empty(DayRules.RestDaySwap(D(2025, 6, 14), D(2025, 6, 14).AddDays(-28), D(2025, 5, 1)));
        Assert.Single(DayRules.RestDaySwap(D(2025, 6, 14), D(2025, 6, 14).AddDays(57), D(2025, 6, 1)));
        Assert.Single(DayRules.RestDaySwap(D(2025, 6, 14), D(2025, 6, 14).AddDays(-29), D(2025, 5, 1)));
    }

    [Fact]
    public void D2_SwapDecidedOnOrAfterTheWorkedDay_IsRefused()
    {
        var f = Assert.Single(DayRules.RestDaySwap(D(2025, 6, 14), D(2025, 6, 18), decidedOn: D(2025, 6, 14)));

        Assert.Equal("D-2", f.Rule);
        Assert.Equal(0m, f.Figure("daysLate"));
        Assert.Contains("135/100", f.MessageJa, StringComparison.Ordinal);
    }

    [Fact]
    public void D2_Ex2_ThirteenConsecutiveDays_BreakTheTwelveDayLimit()
    {
        // Shift worker: Sun 6/1 rest, then 13 days 6/2–6/14 scheduled, 6/15 rest.
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 15), d => d.Day is 1 or 15 ? Rest(d) : Workday(d, "8:30-12:00,13:00-17:15"));

        var f = Assert.Single(DayRules.WeeklyRest(days, new DayRuleSettings { MinRestDaysPerWeek = null }));

        Assert.Equal("D-2", f.Rule);
        Assert.Equal(FindingSeverity.Violation, f.Severity);
        Assert.Equal(13m, f.Figure("consecutiveDays"));
        Assert.Equal(12m, f.Figure("limit"));
        Assert.Equal(D(2025, 6, 2), f.From);
        Assert.Equal(D(2025, 6, 14), f.To);
    }

    [Fact]
    public void D2_TwelveConsecutiveDays_AreWithinTheLimit()
    {
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 14), d => d.Day is 1 or 14 ? Rest(d) : Workday(d, "8:30-12:00,13:00-17:15"));

        Assert.Empty(DayRules.WeeklyRest(days, new DayRuleSettings { MinRestDaysPerWeek = null }));
    }

    [Fact]
    public void D2_Ex3_FourWeeksWithOnlyThree週休日_IsAViolation()
    {
        // 28 days from Sun 6/1; rest only on 6/1, 6/10, 6/20 (shift pattern), worked otherwise with a 9-day run at most.
        var rest = new HashSet<int> { 1, 10, 20 };
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 28), d => rest.Contains(d.Day) ? Rest(d) : Workday(d, "8:30-12:00,13:00-17:15"));

        var f = Assert.Single(DayRules.WeeklyRest(days, new DayRuleSettings { MinRestDaysPerWeek = null }));

        Assert.Equal("D-2", f.Rule);
        Assert.Equal(3m, f.Figure("restDays"));
        Assert.Equal(4m, f.Figure("required"));
        Assert.Equal(D(2025, 6, 28), f.To);
    }

    [Fact]
    public void D2_UsualMonth_KeepsEveryRestRule() =>
        Assert.Empty(DayRules.WeeklyRest(UsualDays(D(2025, 6, 1), D(2025, 6, 28))));

    [Fact]
    public void D2_WeekWithoutAnyDayOff_BreaksArticle35()
    {
        // Sun 6/8 worked (ordered), Sat 6/14 worked: the week 6/8–6/14 has no day off.
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 21), d => d.Day is 8 or 14 ? Rest(d, "9:00-12:00") : null);

        var findings = DayRules.WeeklyRest(days, new DayRuleSettings { MinRestDaysPerFourWeeks = null });

        var f = Assert.Single(findings);
        Assert.Equal(D(2025, 6, 8), f.From);
        Assert.Equal(0m, f.Figure("restDays"));
    }

    [Fact]
    public void D2_DaysWithAGap_AreRefused() =>
        Assert.Throws<ArgumentException>(() => DayRules.WeeklyRest([Rest(D(2025, 6, 1)), Rest(D(2025, 6, 3))]));

    // ---- D-3 ----

    [Fact]
    public void D3_Ex1_EndAt2230_NextStart830_Is10h_WarningWithSuggested930()
    {
        var days = new List<WorkDay>
        {
            Workday(D(2025, 6, 3), "8:30-12:00,13:00-22:30"),
            Workday(D(2025, 6, 4), "8:30-12:00,13:00-17:15"),
        };

        var f = Assert.Single(DayRules.Intervals(days));

        Assert.Equal("D-3", f.Rule);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal(10m, f.Figure("intervalHours"));
        Assert.Equal(11m, f.Figure("targetHours"));
        Assert.Equal(9.5m, f.Figure("suggestedStartHour"));
        Assert.Contains("9:30", f.MessageJa, StringComparison.Ordinal);

        var r = DayRules.Interval(days[0], days[1])!.Value;
        Assert.Equal(600, r.Minutes);
        Assert.False(r.Kept);
        Assert.Equal(At(D(2025, 6, 4), "9:30"), r.SuggestedStart);
    }

    [Fact]
    public void D3_Ex2_EndAt2130_Is11hExactly_Kept()
    {
        var days = new List<WorkDay>
        {
            Workday(D(2025, 6, 3), "8:30-12:00,13:00-21:30"),
            Workday(D(2025, 6, 4), "8:30-12:00,13:00-17:15"),
        };

        Assert.Empty(DayRules.Intervals(days));
        Assert.True(DayRules.Interval(days[0], days[1])!.Value.Kept);
    }

    [Fact]
    public void D3_Ex3_FridayLateToMonday_Is56h45m_Kept()
    {
        var days = UsualDays(D(2025, 6, 6), D(2025, 6, 9), d => d.Day == 6 ? Workday(d, "8:30-12:00,13:00-23:45") : null);

        Assert.Empty(DayRules.Intervals(days));
        Assert.Equal(56 * 60 + 45, DayRules.Interval(days[0], days[3])!.Value.Minutes);
    }

    [Fact]
    public void D3_AfterMidnightEnd_CountsFromTheActualEnd()
    {
        var days = new List<WorkDay>
        {
            Workday(D(2025, 6, 3), "8:30-12:00,13:00-25:00"),
            Workday(D(2025, 6, 4), "10:00-12:00,13:00-17:15"),
        };

        var f = Assert.Single(DayRules.Intervals(days));
        Assert.Equal(9m, f.Figure("intervalHours"));
        Assert.Equal(12m, f.Figure("suggestedStartHour"));
    }

    [Fact]
    public void D3_Ex4_ThreeShortfallsInAWeek_MissTheThreeDayTarget()
    {
        // Mon–Fri 6/2–6/6: Mon, Tue, Wed end at 22:30 → Tue, Wed, Thu start short; Mon and Fri keep it.
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 7), d => d.Day is 2 or 3 or 4 ? Workday(d, "8:30-12:00,13:00-22:30") : null);
        var settings = new DayRuleSettings { IntervalTargetDaysPerWeek = 3 };

        var findings = DayRules.Intervals(days, settings);

        Assert.Equal(4, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
        Assert.All(findings, f => Assert.Equal("D-3", f.Rule));
        var week = findings[^1];
        Assert.Equal(2m, week.Figure("keptDays"));
        Assert.Equal(3m, week.Figure("targetDays"));
        Assert.Equal(3m, week.Figure("shortDays"));
        Assert.Equal(D(2025, 6, 1), week.From);
    }

    [Fact]
    public void D3_TwoShortfallsInAWeek_MeetTheThreeDayTarget()
    {
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 7), d => d.Day is 2 or 3 ? Workday(d, "8:30-12:00,13:00-22:30") : null);

        var findings = DayRules.Intervals(days, new DayRuleSettings { IntervalTargetDaysPerWeek = 3 });

        Assert.Equal(2, findings.Count);
        Assert.DoesNotContain(findings, f => f.Figure("targetDays") is not null);
    }

    // ---- C-2 ----

    [Fact]
    public void C2_Ex1_LogOff1h50mAfterTheReportedEnd_IsFlagged()
    {
        var f = Assert.Single(DayRules.Records(Tue, new LocalInterval(At(Tue, "8:30"), At(Tue, "17:15")), Iv(Tue, "8:25-19:05"), declaredTelework: true));

        Assert.Equal("C-2", f.Rule);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal(110m, f.Figure("endGapMinutes"));
        Assert.Equal(5m, f.Figure("startGapMinutes"));
        Assert.Contains("1時間50分", f.MessageJa, StringComparison.Ordinal);
        Assert.Contains("1h50m", f.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void C2_Ex2_ThreeMinutesEitherSide_IsWithinTolerance() =>
        Assert.Empty(DayRules.Records(Tue, new LocalInterval(At(Tue, "8:30"), At(Tue, "17:15")), Iv(Tue, "8:27-12:02,12:58-17:18"), declaredTelework: true));

    [Fact]
    public void C2_ExactlyFifteenMinutes_IsWithin_SixteenIsNot()
    {
        var reported = new LocalInterval(At(Tue, "8:30"), At(Tue, "17:15"));

        Assert.Empty(DayRules.Records(Tue, reported, Iv(Tue, "8:15-17:30"), declaredTelework: false));
        Assert.Equal(16m, Assert.Single(DayRules.Records(Tue, reported, Iv(Tue, "8:14-17:30"), declaredTelework: false)).Figure("startGapMinutes"));
    }

    [Fact]
    public void C2_Ex3_DeclaredTeleworkDayWithNoLog_NeedsConfirmation()
    {
        var f = Assert.Single(DayRules.Records(Tue, new LocalInterval(At(Tue, "8:30"), At(Tue, "17:15")), [], declaredTelework: true));

        Assert.Equal("C-2", f.Rule);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal(0m, f.Figure("loggedSessions"));
    }

    [Fact]
    public void C2_NoLogNoReportNoTelework_IsNothingToCheck() =>
        Assert.Empty(DayRules.Records(Tue, null, [], declaredTelework: false));
}
