using Dokodemo.Domain.Access;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>The town's local date, time and kind of day, for decisions and for display.</summary>
/// <remarks>The calendar (imported Cabinet Office list, the town's own closing days) comes from <see cref="Work.Calendar.CalendarStore"/>.</remarks>
public sealed class TownClock(TimeProvider clock, IOptions<AccessOptions> options, Work.Calendar.CalendarStore calendars)
{
    private readonly TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public TimeZoneInfo Zone => zone;

    public DateTimeOffset Now => clock.GetUtcNow();

    public (DateOnly Date, TimeOnly Time) Local(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return (DateOnly.FromDateTime(local.DateTime), TimeOnly.FromDateTime(local.DateTime));
    }

    public DateOnly Today => Local(clock.GetUtcNow()).Date;

    /// <summary>週休日 on Saturdays and Sundays; 休日 on national holidays, 12/29–1/3 and the town's own closing days.</summary>
    public DayType DayTypeOf(DateOnly date) => calendars.Current.DayTypeOf(date);

    public Domain.Calendar.TownCalendar Calendar => calendars.Current;
}
