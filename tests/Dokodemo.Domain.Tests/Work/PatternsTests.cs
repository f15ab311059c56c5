using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CountingBuild;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>D-5 早出遅出 patterns, with the spec's worked examples by name.</summary>
public class PatternsTests
{
    private static readonly DateOnly From = D(2025, 4, 1);

    private static ShiftPattern P(string name, int sh, int sm, int eh, int em, int bh = 12, int bm = 0, int beh = 13, int bem = 0) =>
        new(name, new TimeOnly(sh, sm), new TimeOnly(eh, em), new TimeOnly(bh, bm), new TimeOnly(beh, bem));

    [Fact]
    public void D5_Ex1_Yabu0730To1615_IsValid() =>
        Assert.Empty(Patterns.Validate(P("養父市No.1", 7, 30, 16, 15), From));

    [Fact]
    public void D5_Ex2_0930To1815_TwoHalfHoursBeforeAndFiveQuarterAfter_IsValid()
    {
        var p = P("遅出", 9, 30, 18, 15);

        Assert.Empty(Patterns.Validate(p, From));
        Assert.Equal(465, p.Minutes);
    }

    [Fact]
    public void D5_Ex3_StartAt0630_IsOutsideTheNationalNotice()
    {
        var f = Assert.Single(Patterns.Validate(P("早出", 6, 30, 15, 15), From));

        Assert.Equal("D-5", f.Rule);
        Assert.Equal(FindingSeverity.Violation, f.Severity);
        Assert.Equal(6.5m, f.Figure("startHour"));
        Assert.Equal(7m, f.Figure("earliestStartHour"));
    }

    [Fact]
    public void D5_Ex4_Fukuchiyama_End2200_SwitchesToThe0930Pattern_Interval11h30m()
    {
        var patterns = new[] { P("A", 7, 30, 16, 15), P("通常", 8, 30, 17, 15), P("B", 9, 30, 18, 15), P("C", 10, 30, 19, 15) };

        var s = Patterns.ForInterval(At(D(2025, 6, 3), "22:00"), D(2025, 6, 4), patterns);

        Assert.NotNull(s);
        Assert.Equal("B", s.Pattern.Name);
        Assert.Equal(690, s.IntervalMinutes);
        Assert.Equal(At(D(2025, 6, 4), "9:30"), s.Start);
    }

    [Fact]
    public void D5_NoPatternLateEnough_SuggestsNothing() =>
        Assert.Null(Patterns.ForInterval(At(D(2025, 6, 3), "23:59"), D(2025, 6, 4), [P("通常", 8, 30, 17, 15), P("B", 9, 30, 18, 15)]));

    [Fact]
    public void D5_EndAfter2200_BreakOutsideTheWindows_AndWrongLength_AreReported()
    {
        var late = Patterns.Validate(P("夜間", 13, 30, 22, 15, 17, 0, 18, 0), From);
        Assert.Equal(22.25m, Assert.Single(late).Figure("endHour"));

        var badBreak = Patterns.Validate(P("休憩", 8, 30, 17, 15, 14, 0, 15, 0), From);
        Assert.Equal(60m, Assert.Single(badBreak).Figure("breakMinutes"));

        var shortDay = Patterns.Validate(P("短", 8, 30, 17, 0), From);
        Assert.Equal(7.5m, Assert.Single(shortDay).Figure("hours"));
    }

    [Fact]
    public void D5_StretchOverSixHoursThirty_IsReported_ExactlySixThirtyIsFine()
    {
        // 11:00–19:45 with break 17:00–18:00: 6h00m + 1h45m → fine; 10:30–19:15 with 17:30–18:30 → 7h00m before.
        Assert.Empty(Patterns.Validate(P("OK", 10, 30, 19, 15, 17, 0, 18, 0), From));
        var f = Assert.Single(Patterns.Validate(P("長", 10, 0, 18, 45, 17, 0, 18, 0), From));
        Assert.Equal(7m, f.Figure("beforeBreakHours"));
        Assert.Equal(6.5m, f.Figure("maxContinuousHours"));
    }

    [Fact]
    public void D5_PatternOnADate_CountsLikeAnyAssignment()
    {
        var (assigned, breaks) = P("B", 9, 30, 18, 15).On(D(2025, 6, 4));
        var day = new WorkDay { Date = D(2025, 6, 4), Assigned = assigned, AssignedBreaks = breaks, Worked = Iv(D(2025, 6, 4), "9:30-12:00,13:00-19:15"), Breaks = breaks };

        Assert.Equal(60, Counting.Day(day).OrdinanceOvertimeMinutes);
    }
}
