using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

public sealed record ClockRequest(string? Action, string? TimeZone);

/// <summary>A record as shown: UTC, the person's local time in the zone they were in, and Japan time.</summary>
public sealed record ClockRecordDto(Guid Id, DateOnly Date, ClockKind Kind, DateTimeOffset Start, DateTimeOffset? End, string TimeZone,
    string LocalStart, string? LocalEnd, string JapanStart, string? JapanEnd, string Place, ClockSource Source, Guid? DeviceId,
    Guid? CorrectionId, DateTimeOffset? SupersededAt, Guid? SupersededBy);

public sealed record ClockResult(string Action, ClockRecordDto Record, IReadOnlyList<ClockRecordDto> Today);

/// <summary>打刻: clock in, break start, break end, clock out — now, from any device, in the zone the person is in.</summary>
public sealed class ClockInOut(AppDbContext db, TimeProvider clock, IWorkPlaceOfDay places, MonthLocks locks)
{
    public static readonly IReadOnlyList<string> Actions = ["in", "break_start", "break_end", "out"];

    /// <summary>How long an open record stays live for clocking out (longer than any shift).</summary>
    public static readonly TimeSpan LiveFor = TimeSpan.FromHours(24);

    public async Task<Result<ClockResult>> ClockAsync(AttendancePerson person, ClockRequest request, Guid? deviceId, CancellationToken ct = default)
    {
        var action = (request.Action ?? "").Trim().ToLowerInvariant();
        if (!Actions.Contains(action))
        {
            return AttendanceErrors.ActionUnknown;
        }

        var zoneId = string.IsNullOrWhiteSpace(request.TimeZone) ? person.TimeZone : request.TimeZone.Trim();
        if (JapanTime.FindZone(zoneId) is null)
        {
            return AttendanceErrors.TimeZoneUnknown;
        }

        var now = clock.GetUtcNow();
        var today = JapanTime.DateOf(now);
        // A record left open for more than a day (a forgotten clock-out) no longer counts as live: the person clocks in
        // anew and corrects that day; a night shift across midnight still clocks out onto its own record.
        var liveSince = now - LiveFor;
        var open = await db.ClockRecords.Where(r => r.UserId == person.Id && r.End == null && r.SupersededAt == null && r.Start > liveSince)
            .OrderByDescending(r => r.Start).ToListAsync(ct);
        var openWork = open.FirstOrDefault(r => r.Kind == ClockKind.Work);
        var openBreak = open.FirstOrDefault(r => r.Kind == ClockKind.Break);
        var day = openWork?.Date ?? today;
        if (await locks.IsLockedAsync(person.Id, day, ct))
        {
            return AttendanceErrors.MonthLocked;
        }

        ClockRecord record;
        switch (action)
        {
            case "in":
                if (openWork is not null)
                {
                    return AttendanceErrors.AlreadyIn;
                }

                record = New(person.Id, ClockKind.Work, now, zoneId, deviceId, await places.PlaceOfAsync(person.Id, today, ct));
                db.ClockRecords.Add(record);
                break;
            case "break_start":
                if (openWork is null)
                {
                    return AttendanceErrors.NotIn;
                }

                if (openBreak is not null)
                {
                    return AttendanceErrors.BreakOpen;
                }

                record = New(person.Id, ClockKind.Break, now, zoneId, deviceId, openWork.Place);
                record.Date = openWork.Date;
                db.ClockRecords.Add(record);
                break;
            case "break_end":
                if (openBreak is null)
                {
                    return AttendanceErrors.NoBreak;
                }

                openBreak.End = now;
                record = openBreak;
                break;
            default:
                if (openWork is null)
                {
                    return AttendanceErrors.NotIn;
                }

                // Clocking out ends a break left open.
                if (openBreak is not null)
                {
                    openBreak.End = now;
                }

                openWork.End = now;
                record = openWork;
                break;
        }

        await db.SaveChangesAsync(ct);
        var dayRecords = await db.ClockRecords.AsNoTracking().Where(r => r.UserId == person.Id && r.Date == record.Date && r.SupersededAt == null)
            .OrderBy(r => r.Start).ToListAsync(ct);
        return new ClockResult(action, ToDto(record), dayRecords.Select(ToDto).ToList());
    }

    private ClockRecord New(string userId, ClockKind kind, DateTimeOffset now, string zone, Guid? deviceId, string place) => new()
    {
        Id = Guid.NewGuid(),
        UserId = userId,
        Date = JapanTime.DateOf(now),
        Kind = kind,
        Start = now,
        TimeZone = zone,
        DeviceId = deviceId,
        Place = place,
        Source = ClockSource.Clock,
        CreatedAt = clock.GetUtcNow(),
        CreatedById = userId,
    };

    public static ClockRecordDto ToDto(ClockRecord r)
    {
        var zone = JapanTime.FindZone(r.TimeZone) ?? JapanTime.Zone;
        return new ClockRecordDto(r.Id, r.Date, r.Kind, r.Start, r.End, r.TimeZone,
            JapanTime.Show(r.Start, zone), r.End is { } e ? JapanTime.Show(e, zone, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.Start, zone).DateTime)) : null,
            JapanTime.Show(r.Start, JapanTime.Zone), r.End is { } je ? JapanTime.Show(je, JapanTime.Zone, r.Date) : null,
            r.Place, r.Source, r.DeviceId, r.CorrectionId, r.SupersededAt, r.SupersededById);
    }
}

/// <summary>Whether a person's month is locked (確定) by HR.</summary>
public sealed class MonthLocks(AppDbContext db)
{
    public static DateOnly MonthOf(DateOnly date) => new(date.Year, date.Month, 1);

    public async Task<bool> IsLockedAsync(string userId, DateOnly date, CancellationToken ct = default)
    {
        var month = MonthOf(date);
        return await db.AttendanceMonths.AnyAsync(m => m.UserId == userId && m.Month == month && m.Status == MonthStatus.Locked, ct);
    }

    public async Task<HashSet<DateOnly>> LockedMonthsAsync(string userId, CancellationToken ct = default) =>
        (await db.AttendanceMonths.AsNoTracking().Where(m => m.UserId == userId && m.Status == MonthStatus.Locked).Select(m => m.Month).ToListAsync(ct))
        .ToHashSet();
}
