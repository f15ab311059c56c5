using Dokodemo.Domain.Access;
using Dokodemo.Domain.Calendar;

namespace Dokodemo.Domain.Tests;

public class TownCalendarTests
{
    private static readonly TownCalendar Town = new();

    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    // G-1: a deadline on a closing day moves past the whole run of closing days.
    [Fact]
    public void Deadline_OnTheFirstYearEndClosingDay_MovesToTheFirstOpenDayOfJanuary() =>
        Assert.Equal(D(2026, 1, 5), Town.Deadline(D(2025, 12, 29)));

    [Theory]
    [InlineData(2026, 11, 24, 2026, 11, 24)]  // an open Tuesday stays
    [InlineData(2026, 11, 23, 2026, 11, 24)]  // 勤労感謝の日 (Monday)
    [InlineData(2025, 12, 27, 2026, 1, 5)]    // Saturday before the year-end run
    [InlineData(2019, 4, 27, 2019, 5, 7)]     // the ten-day Golden Week of 2019
    [InlineData(2026, 5, 2, 2026, 5, 7)]      // Sat, Sun, 5/4, 5/5, 振替休日 5/6
    public void Deadline_MovesToTheNextOpenDay(int y, int m, int d, int ey, int em, int ed) =>
        Assert.Equal(D(ey, em, ed), Town.Deadline(D(y, m, d)));

    [Fact]
    public void SubstituteInsideTheYearEnd_IsANationalHoliday() =>
        Assert.Equal(CalendarDay.NationalHoliday, Town.Classify(D(2023, 1, 2)));

    [Fact]
    public void ExtraClosingDays_AreTownClosingDays()
    {
        // A town that closes on 6/23 (慰霊の日) under 地方自治法4条の2第3項.
        var town = new TownCalendar(extraClosingDays: [D(2026, 6, 23), D(2024, 6, 23)]);

        Assert.Equal(CalendarDay.TownClosingDay, town.Classify(D(2026, 6, 23)));
        Assert.True(town.IsClosed(D(2026, 6, 23)));
        Assert.Equal(D(2026, 6, 24), town.Deadline(D(2026, 6, 23)));
        Assert.Equal(CalendarDay.WeeklyRestDay, town.Classify(D(2024, 6, 23)));   // a Sunday stays a 週休日
        Assert.Equal(CalendarDay.Workday, Town.Classify(D(2026, 6, 23)));
        Assert.Equal(Town.ClosedWeekdays(D(2026, 1, 1), D(2026, 12, 31)) + 1, town.ClosedWeekdays(D(2026, 1, 1), D(2026, 12, 31)));
    }

    // G-2: staff 休日 and 週休日.
    [Theory]
    [InlineData(2026, 1, 2, CalendarDay.YearEndClosing)]
    [InlineData(2025, 12, 27, CalendarDay.WeeklyRestDay)]
    [InlineData(2025, 12, 29, CalendarDay.YearEndClosing)]
    [InlineData(2026, 1, 1, CalendarDay.NationalHoliday)]
    [InlineData(2026, 1, 3, CalendarDay.WeeklyRestDay)]
    [InlineData(2026, 1, 5, CalendarDay.Workday)]
    [InlineData(2025, 2, 23, CalendarDay.WeeklyRestDay)]    // 天皇誕生日 on a Sunday
    [InlineData(2025, 2, 24, CalendarDay.NationalHoliday)]  // its 振替休日
    [InlineData(2026, 9, 22, CalendarDay.NationalHoliday)]  // 国民の休日
    [InlineData(2019, 5, 1, CalendarDay.NationalHoliday)]   // 即位の日
    [InlineData(2026, 11, 24, CalendarDay.Workday)]
    public void Classify_PutsWeekendsFirstThenHolidaysThenYearEnd(int y, int m, int d, CalendarDay expected) =>
        Assert.Equal(expected, Town.Classify(D(y, m, d)));

    [Fact]
    public void ClosedWeekdays_Calendar2025_Is20() =>
        Assert.Equal(20, Town.ClosedWeekdays(D(2025, 1, 1), D(2025, 12, 31)));

    [Fact]
    public void ClosedWeekdays_FiscalYear2025_Is19() =>
        Assert.Equal(19, Town.ClosedWeekdays(D(2025, 4, 1), D(2026, 3, 31)));

    [Fact]
    public void ClosedWeekdays_Calendar2025_Has15HolidaysAndFiveYearEndDays()
    {
        var days = Enumerable.Range(0, 365).Select(i => D(2025, 1, 1).AddDays(i)).Select(Town.Classify).ToList();
        Assert.Equal(15, days.Count(c => c == CalendarDay.NationalHoliday));
        Assert.Equal(5, days.Count(c => c == CalendarDay.YearEndClosing));
    }

    [Fact]
    public void WithoutYearEndClosing_TheYearEndIsWorked()
    {
        var town = new TownCalendar(yearEndClosing: false);
        Assert.Equal(CalendarDay.Workday, town.Classify(D(2026, 1, 2)));
        Assert.Equal(CalendarDay.NationalHoliday, town.Classify(D(2026, 1, 1)));
        Assert.Equal(15, town.ClosedWeekdays(D(2025, 1, 1), D(2025, 12, 31)));
    }

    [Fact]
    public void GoldenWeek2019_IsTenClosedDaysInARow()
    {
        var run = Enumerable.Range(0, 10).Select(i => D(2019, 4, 27).AddDays(i)).ToList();
        Assert.All(run, day => Assert.True(Town.IsClosed(day), $"{day} should be closed"));
        Assert.False(Town.IsClosed(D(2019, 4, 26)));
        Assert.False(Town.IsClosed(D(2019, 5, 7)));
    }

    [Fact]
    public void ClosedWeekdays_RejectsAReversedRange() =>
        Assert.Throws<ArgumentException>(() => Town.ClosedWeekdays(D(2026, 2, 1), D(2026, 1, 31)));

    [Fact]
    public void ClosedWeekdays_CountsBothEnds() =>
        Assert.Equal(1, Town.ClosedWeekdays(D(2026, 1, 12), D(2026, 1, 12)));

    [Theory]
    [InlineData(CalendarDay.Workday, DayType.Workday)]
    [InlineData(CalendarDay.WeeklyRestDay, DayType.WeeklyRestDay)]
    [InlineData(CalendarDay.NationalHoliday, DayType.Holiday)]
    [InlineData(CalendarDay.YearEndClosing, DayType.Holiday)]
    [InlineData(CalendarDay.TownClosingDay, DayType.Holiday)]
    public void CalendarDays_MapToTheAccessPolicysDayTypes(CalendarDay day, DayType expected) =>
        Assert.Equal(expected, day.ToDayType());

    [Fact]
    public void DayTypeOf_ClassifiesThenMaps()
    {
        Assert.Equal(DayType.Holiday, Town.DayTypeOf(D(2026, 1, 2)));
        Assert.Equal(DayType.WeeklyRestDay, Town.DayTypeOf(D(2026, 1, 3)));
        Assert.Equal(DayType.Workday, Town.DayTypeOf(D(2026, 1, 5)));
    }
}
