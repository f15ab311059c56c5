using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Work;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>The schedule as the API shows and takes it: times "HH:mm" in Japan time.</summary>
public sealed record ScheduleDto(int? DepartmentId, string Start, string End, string BreakStart, string BreakEnd, DayOfWeek LegalRestDay,
    int RegularMinutes, bool IsTownDefault);

public sealed record ScheduleRequest(int? DepartmentId, string? Start, string? End, string? BreakStart, string? BreakEnd, DayOfWeek? LegalRestDay);

/// <summary>A day's schedule in minutes after midnight (Japan time).</summary>
public readonly record struct DaySchedule(int Start, int End, int BreakStart, int BreakEnd, DayOfWeek LegalRestDay)
{
    /// <summary>8:30–17:15 with a 12:00–13:00 break = 7h45m, Sunday the 法定休日 (work-rules 1).</summary>
    public static readonly DaySchedule TownDefault = new(510, 1035, 720, 780, DayOfWeek.Sunday);

    public int RegularMinutes => End - Start - (BreakEnd - BreakStart);

    public IReadOnlyList<LocalInterval> Assigned(DateOnly date) =>
    [
        new(date.ToDateTime(TimeOnly.MinValue).AddMinutes(Start), date.ToDateTime(TimeOnly.MinValue).AddMinutes(BreakStart)),
        new(date.ToDateTime(TimeOnly.MinValue).AddMinutes(BreakEnd), date.ToDateTime(TimeOnly.MinValue).AddMinutes(End)),
    ];

    public LocalInterval Break(DateOnly date) =>
        new(date.ToDateTime(TimeOnly.MinValue).AddMinutes(BreakStart), date.ToDateTime(TimeOnly.MinValue).AddMinutes(BreakEnd));

    public ScheduleDto ToDto(int? departmentId, bool townDefault) =>
        new(departmentId, JapanTime.Hm(Start), JapanTime.Hm(End), JapanTime.Hm(BreakStart), JapanTime.Hm(BreakEnd), LegalRestDay, RegularMinutes, townDefault);
}

/// <summary>正規の勤務時間: the town default and per-department overrides, editable by HR and administrators.</summary>
public sealed class Schedules(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    /// <summary>Every stored schedule: the town default under key -1 (or the built-in default) and each override.</summary>
    public async Task<ScheduleBook> BookAsync(CancellationToken ct = default)
    {
        var rows = await db.WorkSchedules.AsNoTracking().ToListAsync(ct);
        var town = rows.FirstOrDefault(r => r.DepartmentId is null) is { } t ? Of(t) : DaySchedule.TownDefault;
        return new ScheduleBook(town, rows.Where(r => r.DepartmentId is not null).ToDictionary(r => r.DepartmentId!.Value, Of));
    }

    public async Task<DaySchedule> ForUserAsync(string userId, CancellationToken ct = default)
    {
        var dept = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (int?)u.DepartmentId).SingleOrDefaultAsync(ct);
        return (await BookAsync(ct)).For(dept);
    }

    public async Task<Result<ScheduleDto>> SaveAsync(ScheduleRequest request, string actorId, CancellationToken ct = default)
    {
        if (!JapanTime.TryParseMinutes(request.Start, out var start) || !JapanTime.TryParseMinutes(request.End, out var end) ||
            !JapanTime.TryParseMinutes(request.BreakStart, out var breakStart) || !JapanTime.TryParseMinutes(request.BreakEnd, out var breakEnd) ||
            !(start < breakStart && breakStart < breakEnd && breakEnd < end) || end > 24 * 60 ||
            (request.LegalRestDay is { } d && !Enum.IsDefined(d)))
        {
            return AttendanceErrors.ScheduleInvalid;
        }

        if (request.DepartmentId is { } deptId && !await db.Departments.AnyAsync(x => x.Id == deptId, ct))
        {
            return AttendanceErrors.DepartmentNotFound;
        }

        var row = await db.WorkSchedules.FirstOrDefaultAsync(s => s.DepartmentId == request.DepartmentId, ct);
        if (row is null)
        {
            row = new WorkSchedule { DepartmentId = request.DepartmentId };
            db.WorkSchedules.Add(row);
        }

        DaySchedule? before = row.Id == 0 ? null : Of(row);
        row.StartMinute = start;
        row.EndMinute = end;
        row.BreakStartMinute = breakStart;
        row.BreakEndMinute = breakEnd;
        row.LegalRestDay = request.LegalRestDay ?? DayOfWeek.Sunday;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedById = actorId;
        await db.SaveChangesAsync(ct);
        var after = Of(row);
        await audit.WriteAsync("work.schedule.changed", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["department"] = request.DepartmentId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "town",
            ["before"] = before is { } b ? Describe(b) : null,
            ["after"] = Describe(after),
        }, ct: ct);
        return after.ToDto(request.DepartmentId, request.DepartmentId is null);
    }

    private static string Describe(DaySchedule s) =>
        $"{JapanTime.Hm(s.Start)}-{JapanTime.Hm(s.End)} break {JapanTime.Hm(s.BreakStart)}-{JapanTime.Hm(s.BreakEnd)} rest {s.LegalRestDay}";

    private static DaySchedule Of(WorkSchedule s) => new(s.StartMinute, s.EndMinute, s.BreakStartMinute, s.BreakEndMinute, s.LegalRestDay);
}

/// <summary>The schedules in force: a department's override, else the town default.</summary>
public sealed class ScheduleBook(DaySchedule town, IReadOnlyDictionary<int, DaySchedule> departments)
{
    public DaySchedule Town => town;

    public DaySchedule For(int? departmentId) => departmentId is { } d && departments.TryGetValue(d, out var s) ? s : town;

    public bool HasOverride(int departmentId) => departments.ContainsKey(departmentId);
}
