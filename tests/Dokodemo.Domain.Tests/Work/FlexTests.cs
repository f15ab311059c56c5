using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CountingBuild;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>D-4 flex 申告 validation and D-4-4 counting, with the spec's worked examples by name.</summary>
public class FlexTests
{
    // A 4-week 単位期間 from Monday 2025-06-02 to Sunday 2025-06-29.
    private static readonly DateOnly From = D(2025, 6, 2);
    private static readonly DateOnly To = D(2025, 6, 29);
    private static readonly TimeOnly CoreStart = new(10, 0);
    private static readonly TimeOnly CoreEnd = new(14, 0);

    private const string Long = "8:30-12:00,13:00-18:15";     // 8h45m
    private const string Short = "9:00-12:00,13:00-16:45";    // 6h45m
    private const string Special = "10:00-12:00,13:00-14:30"; // 3h30m

    /// <summary>The 20 weekdays of the period, each given its hours by <paramref name="spec"/>(index).</summary>
    private static FlexPlan Plan(Func<int, string> spec, int specialIndex = -1, Func<int, bool>? isFixed = null)
    {
        var days = new List<FlexPlanDay>();
        var n = 0;
        for (var d = From; d <= To; d = d.AddDays(1))
        {
            if (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            var fixedDay = isFixed?.Invoke(n) ?? false;
            days.Add(new FlexPlanDay(d, fixedDay ? [] : Iv(d, spec(n)), Fixed: fixedDay, SpecialDay: n == specialIndex));
            n++;
        }

        return new FlexPlan(From, To, CoreStart, CoreEnd, days);
    }

    [Fact]
    public void D4_Ex1_PlanOf151h45m_IsRejected()
    {
        // 10 × 8h45m + 9 × 6h45m + 1 × 3h30m (特例対象日).
        var plan = Plan(i => i < 10 ? Long : i < 19 ? Short : Special, specialIndex: 19);

        var f = Assert.Single(Flex.Validate(plan));

        Assert.Equal("D-4", f.Rule);
        Assert.Equal(FindingSeverity.Violation, f.Severity);
        Assert.Equal(151.75m, f.Figure("plannedHours"));
        Assert.Equal(155m, f.Figure("requiredHours"));
        Assert.Equal(-3.25m, f.Figure("differenceHours"));
    }

    [Fact]
    public void D4_Ex2_PlanOf155hWithCoreCovered_IsAccepted() =>
        Assert.Empty(Flex.Validate(Plan(i => i < 10 ? Long : Short)));

    [Fact]
    public void D4_Ex3_DayAssigned0700To1100_MissesTheCore_IsRejected()
    {
        // Day 10 is 7:00–11:00 (4h) instead of 6h45m; day 11 carries the 2h45m so the total stays 155h.
        var plan = Plan(i => i switch
        {
            10 => "7:00-11:00",
            11 => "9:00-12:00,13:00-19:30",
            _ => i < 10 ? Long : Short,
        });

        var findings = Flex.Validate(plan);

        var core = Assert.Single(findings);
        Assert.Equal("D-4", core.Rule);
        Assert.Equal(FindingSeverity.Violation, core.Severity);
        Assert.Equal(D(2025, 6, 16), core.From);
        Assert.Equal(3m, core.Figure("uncoveredHours"));
    }

    [Fact]
    public void D4_Ex3_SameDayAsTheSpecialDay_WaivesTheCore()
    {
        var plan = Plan(i => i switch
        {
            10 => "7:00-11:00",
            11 => "9:00-12:00,13:00-19:30",
            _ => i < 10 ? Long : Short,
        }, specialIndex: 10);

        Assert.Empty(Flex.Validate(plan));
    }

    [Fact]
    public void D4_Ex4_WorkBeyondTheAssignedPlan_Is1h15mOvertime()
    {
        // Assigned 9:00–18:45 with a 12:00–13:00 break; worked to 20:00.
        var day = Workday(D(2025, 6, 3), "9:00-12:00,13:00-20:00", assigned: "9:00-12:00,13:00-18:45");

        Assert.Equal(75, Counting.Day(day).OrdinanceOvertimeMinutes);
    }

    [Fact]
    public void D4_DayUnderFourHours_IsRejected_ExactlyFourIsFine()
    {
        // Day 10: 10:00–12:00,13:00–14:59 = 3h59m instead of 6h45m; day 11 absorbs the difference.
        var plan = Plan(i => i switch
        {
            10 => "10:00-12:00,13:00-14:59",
            11 => "9:00-12:00,13:00-19:31",
            _ => i < 10 ? Long : Short,
        });

        var findings = Flex.Validate(plan);

        var f = Assert.Single(findings);
        Assert.Equal(3.98m, f.Figure("hours"));
        Assert.Equal(4m, f.Figure("minimumHours"));

        var exact = Plan(i => i switch
        {
            10 => "10:00-12:00,13:00-15:00",
            11 => "9:00-12:00,13:00-19:30",
            _ => i < 10 ? Long : Short,
        });
        Assert.Empty(Flex.Validate(exact));
    }

    [Fact]
    public void D4_FixedDays_CountSevenHours45()
    {
        // Day 5 is a 休日/年休: fixed at 7h45m. 9 × 8h45m + 7h45m + 10 × 6h45m = 78.75 + 7.75 + 67.5 = 154h → rejected by 1h.
        var plan = Plan(i => i < 10 ? Long : Short, isFixed: i => i == 5);

        var f = Assert.Single(Flex.Validate(plan));
        Assert.Equal(154m, f.Figure("plannedHours"));
    }

    [Fact]
    public void D4_TwoSpecialDays_CoreOutsideItsWindow_OutsideTheBand_AndAWeekendDay_AreAllReported()
    {
        var days = new List<FlexPlanDay>();
        for (var d = From; d <= To; d = d.AddDays(1))
        {
            if (d.DayOfWeek is DayOfWeek.Sunday)
            {
                continue;
            }

            days.Add(new FlexPlanDay(d, Iv(d, d.Day switch { 3 => "6:30-12:00,13:00-15:00", _ => "9:00-12:00,13:00-15:00" }), SpecialDay: d.Day is 4 or 5));
        }

        var plan = new FlexPlan(From, To, new TimeOnly(8, 0), new TimeOnly(12, 0), days);

        var findings = Flex.Validate(plan);

        Assert.All(findings, f => Assert.Equal("D-4", f.Rule));
        Assert.Contains(findings, f => f.Figure("minimumCoreHours") == 4m);
        Assert.Contains(findings, f => f.Figure("bandStartHour") == 7m && f.From == D(2025, 6, 3));
        Assert.Contains(findings, f => f.Figure("specialDays") == 2m);
        Assert.Equal(4, findings.Count(f => f.MessageEn.Contains("weekend", StringComparison.Ordinal)));
        Assert.Contains(findings, f => f.Figure("plannedHours") is not null);
    }

    [Fact]
    public void D4_PeriodLongerThanFourWeeksOrNotWholeWeeks_IsRejected()
    {
        var five = new FlexPlan(From, From.AddDays(34), CoreStart, CoreEnd, []);
        var ragged = new FlexPlan(From, From.AddDays(9), CoreStart, CoreEnd, []);

        Assert.Equal(35m, Assert.Single(Flex.Validate(five)).Figure("days"));
        Assert.Equal(10m, Assert.Single(Flex.Validate(ragged)).Figure("days"));
    }

    [Fact]
    public void D4_OneWeekPeriod_Needs38h45m()
    {
        var days = new List<FlexPlanDay>();
        for (var d = From; d < From.AddDays(5); d = d.AddDays(1))
        {
            days.Add(new FlexPlanDay(d, Iv(d, "8:30-12:00,13:00-17:15")));
        }

        Assert.Empty(Flex.Validate(new FlexPlan(From, From.AddDays(6), CoreStart, CoreEnd, days)));
    }
}
