using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CountingBuild;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>C-2 inside the engine: which days are compared (from the town's first log, days that are over, the parameter, notes).</summary>
public class WorkRecordsTests
{
    private static readonly DateOnly Today = new(2025, 6, 20);

    private static List<WorkDay> June(Func<DateOnly, WorkDay, WorkDay> shape) =>
        UsualDays(new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30), d =>
            d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? null
            : d >= Today ? Workday(d, "")
            : d.Month == 6 ? shape(d, Workday(d, "8:30-12:00,13:00-17:15")) : null);

    private static IReadOnlyList<Finding> C2(List<WorkDay> days, DateOnly? recordsFrom, DayRuleSettings? settings = null) =>
        [.. WorkReview.For(new WorkReviewInput { Days = days, RecordsFrom = recordsFrom, DayRules = settings ?? DayRuleSettings.Default },
            new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 1), Today).Where(f => f.Rule == "C-2")];

    private static readonly DateOnly Tue = new(2025, 6, 10);

    [Fact]
    public void AReportOf830To1715AgainstAPcLogOf825To1940_IsAWarningWithTheFigures()
    {
        var days = June((d, w) => w with { Logged = d == Tue ? Iv(d, "8:25-19:40") : Iv(d, "8:28-17:20") });

        var f = Assert.Single(C2(days, new DateOnly(2025, 6, 1)));

        Assert.Equal(Tue, f.From);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal(5m, f.Figure("startGapMinutes"));
        Assert.Equal(145m, f.Figure("endGapMinutes"));
        Assert.Equal(15m, f.Figure("toleranceMinutes"));
    }

    [Fact]
    public void ANotedDay_IsNotFlaggedAgain() =>
        Assert.Empty(C2(June((d, w) => w with { Logged = d == Tue ? Iv(d, "8:25-19:40") : Iv(d, "8:28-17:20"), RecordsNoted = d == Tue }), new DateOnly(2025, 6, 1)));

    [Fact]
    public void DaysBeforeTheTownsFirstLog_AreNotCompared()
    {
        // Only Tuesday the 10th has a log; the town started collecting that day, so the days before it are not flagged.
        var days = June((d, w) => w with { Logged = d == Tue ? Iv(d, "8:30-17:15") : [] });

        var findings = C2(days, Tue);

        Assert.All(findings, f => Assert.True(f.From > Tue));
        Assert.Contains(findings, f => f.From == Tue.AddDays(1) && f.Figure("loggedSessions") == 0m);
        Assert.Empty(C2(days, null));
    }

    [Fact]
    public void ATeleworkDayWithoutAnyLog_Warns_AndADayNotYetOver_DoesNot()
    {
        var monday = new DateOnly(2025, 6, 16);
        var days = June((d, w) => d == monday ? w with { Worked = [], Telework = true } : w with { Logged = Iv(d, "8:30-17:15") });
        days[days.FindIndex(d => d.Date == Today)] = days.Single(d => d.Date == Today) with { Telework = true };

        var f = Assert.Single(C2(days, new DateOnly(2025, 6, 1)));

        Assert.Equal(monday, f.From);
        Assert.Equal(0m, f.Figure("loggedSessions"));
    }

    [Fact]
    public void ATeleworkDayTakenAsLeave_HasNothingToLog()
    {
        var days = June((d, w) => d == Tue ? w with { Worked = [], Telework = true, LeaveMinutes = 465 } : w with { Logged = Iv(d, "8:30-17:15") });

        Assert.Empty(C2(days, new DateOnly(2025, 6, 1)));
    }

    [Fact]
    public void TheParameterOff_MeansNoC2()
    {
        var days = June((d, w) => w with { Logged = Iv(d, "7:00-21:00") });

        Assert.NotEmpty(C2(days, new DateOnly(2025, 6, 1)));
        Assert.Empty(C2(days, new DateOnly(2025, 6, 1), DayRuleSettings.Default with { CheckRecords = false }));
    }
}
