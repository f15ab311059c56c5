using Dokodemo.Domain.Calendar;
using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CountingBuild;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>I-1 pay bands and hourly base, G-2's weekday closing-day counts, with the spec's worked examples by name.</summary>
public class PayBandsTests
{
    [Fact]
    public void G2_ClosedWeekdays_Calendar2025Is20_FiscalYear2025Is19()
    {
        var town = new TownCalendar();

        Assert.Equal(20, PayBands.ClosedWeekdaysInYear(town, 2025));
        Assert.Equal(19, PayBands.ClosedWeekdaysInFiscalYear(town, 2025));
    }

    [Fact]
    public void G2_Ex1_January2nd2026_OrderedToWork_Is7h45mHolidayWork()
    {
        var town = new TownCalendar();
        Assert.Equal(CalendarDay.YearEndClosing, town.Classify(D(2026, 1, 2)));

        var days = new[] { Holiday(D(2026, 1, 2), "8:30-12:00,13:00-17:15") };
        var count = Counting.Day(days[0]);
        var pay = PayBands.Month(D(2026, 1, 1), days);

        Assert.Equal(465, count.HolidayWorkMinutes);
        Assert.Equal(0, count.OrdinanceOvertimeMinutes);
        Assert.Equal(465, pay.Minutes(PayBand.HolidayWork));
        Assert.Equal(8m, pay.Hours(PayBand.HolidayWork));   // 7h45m rounds up
    }

    [Fact]
    public void G2_Ex2_Saturday27December_IsRestDayOvertimeAt135()
    {
        Assert.Equal(CalendarDay.WeeklyRestDay, new TownCalendar().Classify(D(2025, 12, 27)));

        var pay = PayBands.Month(D(2025, 12, 1), [Rest(D(2025, 12, 27), "9:00-12:00")]);

        Assert.Equal(180, pay.Minutes(PayBand.RestDayOvertime));
        Assert.Equal(1.35m, PaySettings.Default.Rate(PayBand.RestDayOvertime));
    }

    [Fact]
    public void I1_Ex1_Salary250000_HourlyBase1612_90_TwentyHoursAt125Is40323Yen()
    {
        var closed = PayBands.ClosedWeekdaysInYear(new TownCalendar(), 2025);

        var hourly = PayBands.HourlyBase(250_000m, closed);

        Assert.Equal(1860m, PayBands.AnnualHours(closed));
        Assert.Equal(1612.90m, Math.Round(hourly, 2));
        Assert.Equal(40323m, Math.Round(PayBands.Amount(hourly, PayBand.WorkdayOvertime, 20), 0, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void I1_Ex2_Overtime62h20mOnWorkdays_Is60hAt125And2hAt150()
    {
        // The first 20 weekdays of June 2025 each run 3h07m past 17:15 (to 20:22): 62h20m.
        var n = 0;
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 30), d =>
            d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? null : n++ < 20 ? Workday(d, "8:30-12:00,13:00-20:22") : null);

        var pay = PayBands.Month(D(2025, 6, 1), days);

        Assert.Equal(60 * 60, pay.Minutes(PayBand.WorkdayOvertime));
        Assert.Equal(140, pay.Minutes(PayBand.Beyond60));
        Assert.Equal(60m, pay.Hours(PayBand.WorkdayOvertime));
        Assert.Equal(2m, pay.Hours(PayBand.Beyond60));
        Assert.Equal(1.50m, PaySettings.Default.Rate(PayBand.Beyond60));
    }

    [Fact]
    public void I1_MonthlyRounding_ThirtyMinutesUp_TwentyNineDown_OrExactWhenOff()
    {
        Assert.Equal(3, PayBands.RoundHalfHour(150));
        Assert.Equal(2, PayBands.RoundHalfHour(149));
        Assert.Equal(0, PayBands.RoundHalfHour(29));
        Assert.Equal(1, PayBands.RoundHalfHour(30));

        var days = new[] { Workday(D(2025, 6, 3), "8:30-12:00,13:00-19:35") };
        Assert.Equal(2m, PayBands.Month(D(2025, 6, 1), days).Hours(PayBand.WorkdayOvertime));
        Assert.Equal(2.3333m, Math.Round(PayBands.Month(D(2025, 6, 1), days, new PaySettings { RoundMonthlyHalfHour = false }).Hours(PayBand.WorkdayOvertime), 4));
    }

    [Fact]
    public void I1_NightOvertime_WorkdayAt150_RestDayAt160()
    {
        var days = new[]
        {
            Workday(D(2025, 6, 3), "8:30-12:00,13:00-23:00"),
            Rest(D(2025, 6, 7), "18:00-24:00"),
        };

        var pay = PayBands.Month(D(2025, 6, 1), days);

        Assert.Equal(285, pay.Minutes(PayBand.WorkdayOvertime));      // 17:15–22:00
        Assert.Equal(60, pay.Minutes(PayBand.WorkdayOvertimeNight));   // 22:00–23:00
        Assert.Equal(240, pay.Minutes(PayBand.RestDayOvertime));       // 18:00–22:00
        Assert.Equal(120, pay.Minutes(PayBand.RestDayOvertimeNight));  // 22:00–24:00
        Assert.Equal(1.50m, PaySettings.Default.Rate(PayBand.WorkdayOvertimeNight));
        Assert.Equal(1.60m, PaySettings.Default.Rate(PayBand.RestDayOvertimeNight));
    }

    [Fact]
    public void I1_SixtyHoursCrossedAtNight_SplitsTheMinuteItIsCrossed()
    {
        // 19 weekdays with 3h overtime (57h), then a 20th to 23:15.
        var n = 0;
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 30), d =>
            d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? null
            : n++ switch
            {
                < 19 => Workday(d, "8:30-12:00,13:00-20:15"),   // 3h each → 57h
                19 => Workday(d, "8:30-12:00,13:00-23:15"),     // 6h: 17:15–22:00 (4h45m), 22:00–23:15 (1h15m)
                _ => null,
            });

        var pay = PayBands.Month(D(2025, 6, 1), days);

        // 57h + 3h (17:15–20:15) reaches 60h; 20:15–22:00 beyond at 150; 22:00–23:15 beyond at 175.
        Assert.Equal(3600, pay.Minutes(PayBand.WorkdayOvertime));
        Assert.Equal(105, pay.Minutes(PayBand.Beyond60));
        Assert.Equal(75, pay.Minutes(PayBand.Beyond60Night));
        Assert.Equal(0, pay.Minutes(PayBand.WorkdayOvertimeNight));
        Assert.Equal(1.75m, PaySettings.Default.Rate(PayBand.Beyond60Night));
    }

    [Fact]
    public void I1_HolidayWorkAndNightInsideAssignedHours_GetHolidayPayAndTheNightAddition()
    {
        var holiday = new WorkDay
        {
            Date = D(2025, 11, 3),
            Kind = StaffDayKind.Holiday,
            Assigned = Iv(D(2025, 11, 3), "16:00-20:00,21:00-25:00"),
            Worked = Iv(D(2025, 11, 3), "16:00-20:00,21:00-25:30"),
        };
        var nightShift = Workday(D(2025, 11, 4), "21:00-26:00", assigned: "21:00-26:00", breaks: "");

        var pay = PayBands.Month(D(2025, 11, 1), [holiday, nightShift]);

        Assert.Equal(480, pay.Minutes(PayBand.HolidayWork));
        Assert.Equal(30, pay.Minutes(PayBand.RestDayOvertimeNight));   // beyond the 休日's hours, at night
        Assert.Equal(180 + 240, pay.Minutes(PayBand.Night));
        Assert.Equal(0, pay.Minutes(PayBand.WorkdayOvertime));
    }

    [Fact]
    public void I1_DaysOfOtherMonths_AreLeftOut()
    {
        var pay = PayBands.Month(D(2025, 6, 1), [Workday(D(2025, 5, 30), "8:30-12:00,13:00-20:15"), Workday(D(2025, 6, 2), "8:30-12:00,13:00-18:15")]);

        Assert.Equal(60, pay.Minutes(PayBand.WorkdayOvertime));
        Assert.Equal(D(2025, 6, 1), pay.Month);
    }
}
