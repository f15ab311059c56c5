using Dokodemo.Domain.Work;
using static Dokodemo.Domain.Tests.Work.CountingBuild;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>A-0 (条例 counting) and B-2 (労基法 counting), with the spec's worked examples by name.</summary>
public class CountingTests
{
    [Fact]
    public void A0_Ex1_TuesdayTo1900_Is1h45mOvertime()
    {
        var count = Counting.Day(Workday(D(2025, 11, 4), "8:30-12:00,13:00-19:00"));

        Assert.Equal(105, count.OrdinanceOvertimeMinutes);
        Assert.Equal(465, count.RegularMinutes);
        Assert.Equal(0, count.HolidayWorkMinutes);
    }

    [Fact]
    public void A0_Ex2_SaturdayMorning_Is3hOvertime() =>
        Assert.Equal(180, Counting.Day(Rest(D(2025, 11, 8), "9:00-12:00")).OrdinanceOvertimeMinutes);

    [Fact]
    public void A0_Ex3_CultureDay_AssignedHoursAreHolidayWork_BeyondThemOvertime()
    {
        var inside = Counting.Day(Holiday(D(2025, 11, 3), "8:30-12:00,13:00-17:15"));
        Assert.Equal(0, inside.OrdinanceOvertimeMinutes);
        Assert.Equal(465, inside.HolidayWorkMinutes);

        var continued = Counting.Day(Holiday(D(2025, 11, 3), "8:30-12:00,13:00-18:15"));
        Assert.Equal(60, continued.OrdinanceOvertimeMinutes);
        Assert.Equal(465, continued.HolidayWorkMinutes);
    }

    [Fact]
    public void A0_Ex4_SaturdaySwappedInAdvance_IsAWorkday()
    {
        // The swap is in the day's Kind and Assigned: Saturday became a 勤務日, the Wednesday a 週休日.
        var saturday = Counting.Day(Workday(D(2025, 11, 8), "8:30-12:00,13:00-17:15"));
        var wednesday = Counting.Day(Rest(D(2025, 11, 12)));

        Assert.Equal(0, saturday.OrdinanceOvertimeMinutes);
        Assert.Equal(465, saturday.RegularMinutes);
        Assert.Equal(0, wednesday.WorkedMinutes);
    }

    [Fact]
    public void A0_WorkDuringTheBreak_IsOvertime() =>
        Assert.Equal(30, Counting.Day(Workday(D(2025, 11, 4), "8:30-12:30,13:00-17:15")).OrdinanceOvertimeMinutes);

    [Fact]
    public void A0_EarlyStart_IsOvertime() =>
        Assert.Equal(60, Counting.Day(Workday(D(2025, 11, 4), "7:30-12:00,13:00-17:15")).OrdinanceOvertimeMinutes);

    [Fact]
    public void B2_Ex1_NineHourWeekday_Is1hLaborOvertime_And1h15mUnderTheOrdinance()
    {
        var day = Workday(D(2025, 6, 3), "8:30-12:00,13:00-18:30");

        Assert.Equal(60, Counting.Labor([day])[0].OvertimeMinutes);
        Assert.Equal(75, Counting.Day(day).OrdinanceOvertimeMinutes);
    }

    [Fact]
    public void B2_Ex2_WeekWithSaturdayAndLegalSunday_Is1h45mOvertimeAnd4hRestDayWork()
    {
        // Sun 2025-06-01 (法定休日) 4h, Mon–Fri 7h45m, Sat (所定休日) 3h.
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 7), d => d.DayOfWeek switch
        {
            DayOfWeek.Sunday => Rest(d, "9:00-13:00", legal: true),
            DayOfWeek.Saturday => Rest(d, "9:00-12:00"),
            _ => null,
        });

        var labor = Counting.Labor(days);

        Assert.Equal(105, labor.Sum(l => l.OvertimeMinutes));
        Assert.Equal(105, labor[6].OvertimeMinutes);   // arises on the Saturday
        Assert.Equal(240, labor.Sum(l => l.LegalRestDayMinutes));
    }

    [Fact]
    public void B2_Ex3_SameWeekUnderTheOrdinance_Is7hOvertime()
    {
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 7), d => d.DayOfWeek switch
        {
            DayOfWeek.Sunday => Rest(d, "9:00-13:00", legal: true),
            DayOfWeek.Saturday => Rest(d, "9:00-12:00"),
            _ => null,
        });

        var month = Counting.Month(D(2025, 6, 1), days);

        Assert.Equal(420, month.OrdinanceOvertimeMinutes);
        Assert.Equal(105, month.LaborOvertimeMinutes);
        Assert.Equal(240, month.LegalRestDayMinutes);
        Assert.Equal(5 * 465 + 420, month.TotalWorkedMinutes);
    }

    [Fact]
    public void B2_ExactlyEightHoursAndFortyHours_AreNotOvertime()
    {
        // Mon–Fri 8h00m each = 40h00m.
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 7), d => d.DayOfWeek is DayOfWeek.Sunday or DayOfWeek.Saturday
            ? null
            : Workday(d, "8:30-12:00,13:00-17:30"));

        Assert.Equal(0, Counting.Labor(days).Sum(l => l.OvertimeMinutes));
        Assert.Equal(5 * 15, Counting.Month(D(2025, 6, 1), days).OrdinanceOvertimeMinutes);
    }

    [Fact]
    public void B2_DailyAndWeeklyExcess_AreNotCountedTwice()
    {
        // Mon–Fri 9h each (1h daily excess each, 8h toward the week) + Sat 2h: week regular 40h + 2h.
        var days = UsualDays(D(2025, 6, 1), D(2025, 6, 7), d => d.DayOfWeek switch
        {
            DayOfWeek.Sunday => Rest(d, legal: true),
            DayOfWeek.Saturday => Rest(d, "9:00-11:00"),
            _ => Workday(d, "8:30-12:00,13:00-18:30"),
        });

        var labor = Counting.Labor(days);

        Assert.Equal(5 * 60 + 120, labor.Sum(l => l.OvertimeMinutes));
    }

    [Fact]
    public void B2_WeekCrossingTheMonthEnd_EachMonthGetsWhatAroseOnItsDays()
    {
        // Week Sun 2025-03-30 .. Sat 04-05: Mon 3/31 10h, Tue–Fri 8h, Sat 4h → the 40h is passed on Saturday (April).
        var days = UsualDays(D(2025, 3, 30), D(2025, 4, 5), d => d.DayOfWeek switch
        {
            DayOfWeek.Monday => Workday(d, "8:30-12:00,13:00-19:30"),
            DayOfWeek.Saturday => Rest(d, "9:00-13:00"),
            DayOfWeek.Sunday => null,
            _ => Workday(d, "8:30-12:00,13:00-17:30"),
        });

        var march = Counting.Month(D(2025, 3, 1), days);
        var april = Counting.Month(D(2025, 4, 1), days);

        Assert.Equal(120, march.LaborOvertimeMinutes);      // Monday's daily excess
        Assert.Equal(135, march.OrdinanceOvertimeMinutes);
        Assert.Equal(600, march.TotalWorkedMinutes);
        Assert.Equal(240, april.LaborOvertimeMinutes);      // Saturday, beyond 40h in the week
        Assert.Equal(4 * 15 + 240, april.OrdinanceOvertimeMinutes);
        Assert.Equal(D(2025, 4, 1), april.Month);

        // Without the March days of the week, April would never reach 40h: the caller must pass them.
        Assert.Equal(0, Counting.Month(D(2025, 4, 1), days.Skip(2).ToList()).LaborOvertimeMinutes);
    }

    [Fact]
    public void B2_ConfiguredWeekStart_MovesTheWeek()
    {
        // Week from Monday: Mon–Fri 7h45m + Sat 3h + Sun 4h (not 法定休日 here) = 45h45m → 5h45m beyond 40h.
        var days = UsualDays(D(2025, 6, 2), D(2025, 6, 8), d => d.DayOfWeek switch
        {
            DayOfWeek.Sunday => Rest(d, "9:00-13:00"),
            DayOfWeek.Saturday => Rest(d, "9:00-12:00"),
            _ => null,
        });

        Assert.Equal(345, Counting.Labor(days, new CountingSettings { WeekStart = DayOfWeek.Monday }).Sum(l => l.OvertimeMinutes));
        // With Sunday weeks the Sunday starts a new week: only 1h45m.
        Assert.Equal(105, Counting.Labor(days).Sum(l => l.OvertimeMinutes));
    }

    [Fact]
    public void Labor_RejectsDaysOutOfOrder() =>
        Assert.Throws<ArgumentException>(() => Counting.Labor([Rest(D(2025, 6, 2)), Rest(D(2025, 6, 1))]));

    [Fact]
    public void Night_EveningOvertime_IsNightOvertime()
    {
        var count = Counting.Day(Workday(D(2025, 6, 3), "8:30-12:00,13:00-23:30"));

        Assert.Equal(90, count.NightMinutes);
        Assert.Equal(90, count.NightOvertimeMinutes);
        Assert.Equal(375, count.OrdinanceOvertimeMinutes);
    }

    [Fact]
    public void Night_AcrossMidnight_StaysWithTheDayItStarted()
    {
        // 13:00–17:15, then 18:00 to 2:00 next morning.
        var day = Workday(D(2025, 6, 3), "13:00-17:15,18:00-26:00", assigned: "13:00-17:15", breaks: "17:15-18:00");
        var count = Counting.Day(day);

        Assert.Equal(240, count.NightMinutes);
        Assert.Equal(480, count.OrdinanceOvertimeMinutes);
        Assert.Equal(D(2025, 6, 3), count.Date);
        Assert.Equal(240, Counting.NightMinutes(new LocalInterval(At(D(2025, 6, 3), "22:00"), At(D(2025, 6, 3), "26:00"))));
        Assert.Equal(420, Counting.NightMinutes(new LocalInterval(At(D(2025, 6, 3), "0:00"), At(D(2025, 6, 3), "24:00"))));
    }

    [Fact]
    public void Night_InsideAssignedHolidayHours_IsHolidayNight()
    {
        var day = new WorkDay
        {
            Date = D(2025, 11, 3),
            Kind = StaffDayKind.Holiday,
            Assigned = Iv(D(2025, 11, 3), "16:00-20:00,21:00-25:00"),
            Worked = Iv(D(2025, 11, 3), "16:00-20:00,21:00-26:00"),
        };
        var count = Counting.Day(day);

        Assert.Equal(480, count.HolidayWorkMinutes);
        Assert.Equal(60, count.OrdinanceOvertimeMinutes);
        Assert.Equal(240, count.NightMinutes);
        Assert.Equal(180, count.NightHolidayWorkMinutes);
        Assert.Equal(60, count.NightOvertimeMinutes);
    }

    [Fact]
    public void Month_SpecialDutyOnAnyDay_MarksTheMonth()
    {
        var days = UsualDays(D(2025, 8, 1), D(2025, 8, 31), d => d.Day == 20 ? Workday(d, "8:30-12:00,13:00-20:00") with { SpecialDuty = true } : null);

        var month = Counting.Month(D(2025, 8, 15), days);

        Assert.True(month.SpecialDuty);
        Assert.Equal(D(2025, 8, 1), month.Month);
        Assert.Equal(165, month.OrdinanceOvertimeMinutes);
    }
}
