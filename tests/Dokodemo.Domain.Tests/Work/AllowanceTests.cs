using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CountingBuild;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>E-1 在宅勤務等手当 and E-2 commuting adjustment, with the spec's worked examples by name.</summary>
public class AllowanceTests
{
    private static readonly AllowanceSettings On = new() { Enabled = true };

    /// <summary>Whole (or half) telework days: the first <paramref name="perMonth"/>[i] weekdays of each month from <paramref name="from"/>.</summary>
    private static List<TeleworkDay> Days(DateOnly from, int[] perMonth, int halfPerMonth = 0, bool worked = false)
    {
        var days = new List<TeleworkDay>();
        for (var m = 0; m < perMonth.Length; m++)
        {
            var n = 0;
            for (var d = from.AddMonths(m); n < perMonth[m]; d = d.AddDays(1))
            {
                if (d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    continue;
                }

                days.Add(new TeleworkDay(d, WholeDay: n >= halfPerMonth, Worked: worked));
                n++;
            }
        }

        return days;
    }

    [Fact]
    public void E1_Ex1_ElevenTenEleven_Averages10_67_Eligible9000Yen()
    {
        var period = Allowance.Period(D(2024, 3, 15), 3);

        var r = Allowance.Evaluate(period, Days(D(2024, 4, 1), [11, 10, 11]), settings: On);

        Assert.True(r.Eligible);
        Assert.Equal(D(2024, 4, 1), period.From);
        Assert.Equal(D(2024, 6, 30), period.To);
        Assert.Equal(32, r.CountedDays);
        Assert.Equal(10.67m, r.AverageDays);
        Assert.Equal(3000, r.MonthlyAmountYen);
        Assert.Equal(9000, r.TotalYen);
        Assert.Null(r.Reason);
    }

    [Fact]
    public void E1_Ex2_TenTenTen_AveragesExactly10_NotEligible()
    {
        var r = Allowance.Evaluate(Allowance.Period(D(2024, 3, 15), 3), Days(D(2024, 4, 1), [10, 10, 10]), settings: On);

        Assert.False(r.Eligible);
        Assert.Equal(0, r.TotalYen);
        var f = r.Reason!;
        Assert.Equal("E-1", f.Rule);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal(10.00m, f.Figure("averageDays"));
        Assert.Equal(10m, f.Figure("thresholdDays"));
        Assert.Equal(30m, f.Figure("countedDays"));
    }

    [Fact]
    public void E1_Ex3_OrderOnTheFirst_StartsThatMonth_OnTheSecond_TheNext()
    {
        Assert.Equal(D(2024, 4, 1), Allowance.Period(D(2024, 4, 1), 3).From);
        var second = Allowance.Period(D(2024, 4, 2), 3);
        Assert.Equal(D(2024, 5, 1), second.From);
        Assert.Equal(D(2024, 7, 31), second.To);
        Assert.Equal(D(2025, 1, 1), Allowance.Period(D(2024, 12, 20), 3).From);
    }

    [Fact]
    public void E1_Ex4_TwelveDaysWithFourHalfDays_CountEight_NotEligible()
    {
        var r = Allowance.Evaluate(Allowance.Period(D(2024, 3, 15), 3), Days(D(2024, 4, 1), [12, 12, 12], halfPerMonth: 4), settings: On);

        Assert.False(r.Eligible);
        Assert.Equal(24, r.CountedDays);
        Assert.Equal(8m, r.Reason!.Figure("averageDays"));
    }

    [Fact]
    public void E1_DaysOutsideThePeriod_DoNotCount()
    {
        // 11 days in March (before the period) and 10 a month inside it.
        var days = Days(D(2024, 3, 1), [11, 10, 10, 10]);

        Assert.False(Allowance.Evaluate(Allowance.Period(D(2024, 3, 15), 3), days, settings: On).Eligible);
    }

    [Fact]
    public void E1_Retest_UsesDaysWorkedSoFarPlusDaysNowOrdered()
    {
        var period = Allowance.Period(D(2024, 3, 15), 3);
        // April: 11 ordered but only 9 worked whole; May and June now ordered 11 each → 9 + 22 = 31 > 30 → eligible.
        var april = Days(D(2024, 4, 1), [11]).Select((d, i) => d with { Worked = i < 9 }).ToList();
        var later = Days(D(2024, 5, 1), [11, 11]);
        var eligible = Allowance.Evaluate(period, [.. april, .. later], retestMonth: D(2024, 5, 1), settings: On);

        Assert.True(eligible.Eligible);
        Assert.Equal(31, eligible.CountedDays);

        // June cut to 10: 9 + 11 + 10 = 30 → 10.00 → no longer eligible.
        var cut = Days(D(2024, 5, 1), [11, 10]);
        var notEligible = Allowance.Evaluate(period, [.. april, .. cut], retestMonth: D(2024, 5, 1), settings: On);
        Assert.False(notEligible.Eligible);
        Assert.Equal(30m, notEligible.Reason!.Figure("countedDays"));
    }

    [Fact]
    public void E1_PeriodShorterThanThreeMonths_IsRefused()
    {
        var r = Allowance.Evaluate(Allowance.Period(D(2024, 3, 15), 2), Days(D(2024, 4, 1), [15, 15]), settings: On);

        Assert.False(r.Eligible);
        Assert.Equal(FindingSeverity.Violation, r.Reason!.Severity);
        Assert.Equal(3m, r.Reason.Figure("minimumMonths"));
    }

    [Fact]
    public void E1_OffByDefault()
    {
        var r = Allowance.Evaluate(Allowance.Period(D(2024, 3, 15), 3), Days(D(2024, 4, 1), [15, 15, 15]));

        Assert.False(r.Eligible);
        Assert.Equal("E-1", r.Reason!.Rule);
    }

    [Fact]
    public void E1_TownSettings_ThresholdAndAmount()
    {
        var town = new AllowanceSettings { Enabled = true, ThresholdDays = 8, MonthlyAmountYen = 2500, MinWindowMonths = 6 };
        var r = Allowance.Evaluate(Allowance.Period(D(2024, 3, 1), 6), Days(D(2024, 3, 1), [9, 9, 9, 9, 9, 9]), settings: town);

        Assert.True(r.Eligible);
        Assert.Equal(D(2024, 3, 1), r.Period.From);
        Assert.Equal(15000, r.TotalYen);
    }

    [Fact]
    public void E2_CarCommuter_8000YenBand_Becomes4000()
    {
        var a = Allowance.CommuteByCar(8000);

        Assert.Equal(4000, a.MonthlyYen);
        Assert.True(a.NeedsTownRule);
        Assert.Equal(CommuteMode.Car, a.Mode);
    }

    [Fact]
    public void E2_TrainCommuter_300YenFareEightOfficeDays_Is4800() =>
        Assert.Equal(4800, Allowance.CommuteByTransit(300, 8).MonthlyYen);
}
