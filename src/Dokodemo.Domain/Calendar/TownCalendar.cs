using System.Collections.Frozen;
using Dokodemo.Domain.Access;

namespace Dokodemo.Domain.Calendar;

/// <summary>What a day is in the town's calendar, finer than <see cref="DayType"/> for pay coding.</summary>
public enum CalendarDay
{
    Workday,

    /// <summary>週休日 — Saturday or Sunday, even when a 祝日 falls on it.</summary>
    WeeklyRestDay,

    /// <summary>祝日法による休日 on a weekday (祝日, 振替休日 or 国民の休日).</summary>
    NationalHoliday,

    /// <summary>年末年始の休日 — a weekday from 12/29 to 1/3 that is not a 祝日法休日.</summary>
    YearEndClosing,

    /// <summary>A closing day of the town's own 休日条例 (地方自治法4条の2第3項, e.g. 6/23 慰霊の日).</summary>
    TownClosingDay,
}

/// <summary>
/// The town's closing days (団体の休日, 地方自治法第4条の2) and the staff 休日 they imply (work-rules G-1, G-2).
/// </summary>
public sealed class TownCalendar
{
    private readonly HolidayTable? official;
    private readonly FrozenSet<DateOnly> extraClosingDays;
    private readonly bool yearEndClosing;

    /// <param name="official">The Cabinet Office list; years it does not cover use the computed holidays.</param>
    /// <param name="extraClosingDays">Days the town's 条例 adds.</param>
    /// <param name="yearEndClosing">Whether 12/29–1/3 are closing days (almost every 条例 says so).</param>
    public TownCalendar(HolidayTable? official = null, IEnumerable<DateOnly>? extraClosingDays = null, bool yearEndClosing = true)
    {
        this.official = official;
        this.extraClosingDays = (extraClosingDays ?? []).ToFrozenSet();
        this.yearEndClosing = yearEndClosing;
    }

    /// <summary>The 祝日法 holiday on a date, from the official list when it covers the year.</summary>
    public Holiday? FindHoliday(DateOnly date) => official is null ? JapaneseHolidays.Find(date) : official.Find(date);

    /// <summary>The 祝日法 holidays of a year, sorted: from the official list when it covers the year, else computed.</summary>
    public IReadOnlyList<Holiday> HolidaysOf(int year) => official is null ? JapaneseHolidays.For(year) : official.For(year);

    /// <summary>
    /// Weekends first, then 祝日法休日, then 年末年始, then the town's own days: so 2023-01-02 (振替休日 inside
    /// 12/29–1/3) is a <see cref="CalendarDay.NationalHoliday"/> for pay coding.
    /// </summary>
    public CalendarDay Classify(DateOnly date)
    {
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return CalendarDay.WeeklyRestDay;
        }

        if (FindHoliday(date) is not null)
        {
            return CalendarDay.NationalHoliday;
        }

        if (yearEndClosing && date is { Month: 12, Day: >= 29 } or { Month: 1, Day: <= 3 })
        {
            return CalendarDay.YearEndClosing;
        }

        return extraClosingDays.Contains(date) ? CalendarDay.TownClosingDay : CalendarDay.Workday;
    }

    /// <summary>A 団体の休日: the office is closed.</summary>
    public bool IsClosed(DateOnly date) => Classify(date) != CalendarDay.Workday;

    /// <summary>G-1: a deadline on a closing day moves to the first open day after the run of closing days.</summary>
    public DateOnly Deadline(DateOnly due)
    {
        while (IsClosed(due))
        {
            due = due.AddDays(1);
        }

        return due;
    }

    /// <summary>Closing days that fall on weekdays, both ends included (the 休日等 count of hourly-pay formulas).</summary>
    public int ClosedWeekdays(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new ArgumentException("The range ends before it starts.", nameof(to));
        }

        var count = 0;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (Classify(day) is not (CalendarDay.Workday or CalendarDay.WeeklyRestDay))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The coarser day type the access policy uses.</summary>
    public DayType DayTypeOf(DateOnly date) => Classify(date).ToDayType();
}

public static class CalendarDayExtensions
{
    public static DayType ToDayType(this CalendarDay day) => day switch
    {
        CalendarDay.Workday => DayType.Workday,
        CalendarDay.WeeklyRestDay => DayType.WeeklyRestDay,
        CalendarDay.NationalHoliday or CalendarDay.YearEndClosing or CalendarDay.TownClosingDay => DayType.Holiday,
    };
}
