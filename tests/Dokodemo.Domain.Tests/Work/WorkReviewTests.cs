using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CountingBuild;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>The engine as one call: counting, caps, day rules and forecasts together, as a manager's view reads them.</summary>
public class WorkReviewTests
{
    private static List<WorkDay> Month(int year, int month, DateOnly today, string worked) =>
        UsualDays(new DateOnly(year, month, 1).AddMonths(-5), new DateOnly(year, month, 1).AddMonths(1).AddDays(-1), d =>
            d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? null
            : d >= today ? Workday(d, "") // not worked yet
            : d.Year == year && d.Month == month ? Workday(d, worked) : null);

    [Fact]
    public void AManagerSeesTheMonthWillPass45Hours_WhileThereIsStillTimeToAct()
    {
        // June 2025: 21 workdays. By the 10th (6 worked days) 8:30–20:30 every day: 3h15m × 6 = 19h30m, on pace for 68h.
        var today = new DateOnly(2025, 6, 10);
        var input = new WorkReviewInput { Days = Month(2025, 6, today, "8:30-12:00,13:00-20:30") };
        var findings = WorkReview.For(input, new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 1), today);

        var forecast = Assert.Single(findings, f => f.Rule == "A-1" && f.IsForecast);
        Assert.Equal(FindingSeverity.Warning, forecast.Severity);
        Assert.Equal(19.5m, forecast.Figure("hours"));
        Assert.True(forecast.Figure("projected") > 45m);
        Assert.DoesNotContain(findings, f => f.Severity == FindingSeverity.Violation);
        // 8:30–20:30 with one hour of break is 11h: over 8h needs 60 minutes, which it has.
        Assert.DoesNotContain(findings, f => f.Rule == "D-1");
    }

    [Fact]
    public void AnOrdinaryMonth_HasNoFindings()
    {
        var today = new DateOnly(2025, 6, 10);
        var input = new WorkReviewInput { Days = Month(2025, 6, today, "8:30-12:00,13:00-17:15") };
        Assert.Empty(WorkReview.For(input, new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 1), today));
    }

    [Fact]
    public void ABreachedMonth_AndALateNight_AreBothReported_WithTheirRuleCodes()
    {
        // July 2025 is over: 8:30–19:30 every weekday (2h15m overtime each, 7/21 海の日 too), 7/15 to 22:30 → 54h45m → A-1 violation.
        // On 7/15 work ends 22:30 and 7/16 starts 8:30 → D-3 warning (10h).
        var days = UsualDays(new DateOnly(2025, 2, 1), new DateOnly(2025, 7, 31), d =>
            d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || d.Month != 7 ? null
            : d.Day == 15 ? Workday(d, "8:30-12:00,13:00-22:30")
            : d.Day == 21 ? Workday(d, "8:30-12:00,13:00-19:30") with { Kind = StaffDayKind.Holiday } // 海の日
            : Workday(d, "8:30-12:00,13:00-19:30"));
        var findings = WorkReview.For(new WorkReviewInput { Days = days }, new DateOnly(2025, 7, 1), new DateOnly(2025, 7, 1), new DateOnly(2025, 8, 5));

        var a1 = Assert.Single(findings, f => f.Rule == "A-1");
        Assert.Equal(FindingSeverity.Violation, a1.Severity);
        Assert.False(a1.IsForecast);
        Assert.Contains(findings, f => f.Rule == "D-3" && f.Severity == FindingSeverity.Warning && f.From == new DateOnly(2025, 7, 15) && f.To == new DateOnly(2025, 7, 16));
        Assert.Equal(54.75m, a1.Figure("hours"));
        Assert.DoesNotContain(findings, f => f.IsForecast); // the month is over
    }

    [Fact]
    public void TheYear_CountsMonthsBeforeTheFiscalYearForTheAverages()
    {
        // 他律 from 2025-02-01: Feb 85h, Mar 85h → in April (new 年度) the 2-month Mar–Apr average with Apr 80h is 82.5 → A-5.
        var days = UsualDays(new DateOnly(2025, 1, 1), new DateOnly(2025, 4, 30), d =>
        {
            if (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                return null;
            }

            return d.Month switch
            {
                2 or 3 => Workday(d, "8:30-12:00,13:00-22:00"),
                4 => Workday(d, "8:30-12:00,13:00-21:15"),
                _ => null,
            };
        });
        var input = new WorkReviewInput
        {
            Days = days,
            Designations = [new Designation(new DateOnly(2025, 2, 1), null, DepartmentPace.OtherDirected, "税務課")],
        };
        var findings = WorkReview.ForYear(input, 2025, new DateOnly(2025, 5, 10));
        Assert.Contains(findings, f => f.Rule == "A-5" && f.Severity == FindingSeverity.Violation && f.To.Month == 4);
    }
}
