using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>An order or a request: date, "HH:mm" start and end in Japan time (end may pass 24:00), purpose.</summary>
public sealed record OvertimeRequest(string? Person, DateOnly? Date, string? Start, string? End, string? Purpose);

/// <summary>The actual times worked, "HH:mm" in Japan time on the order's date.</summary>
public sealed record OvertimeReport(string? Start, string? End);

public sealed record OvertimeDto(Guid Id, string UserId, string? PersonName, DateOnly Date, DateTimeOffset Start, DateTimeOffset End, string JapanStart, string JapanEnd,
    string Purpose, OvertimeStatus Status, DateTimeOffset CreatedAt, string CreatedById, DateTimeOffset? OrderedAt, string? OrderedById, bool AfterTheFact,
    DateTimeOffset? ActualStart, DateTimeOffset? ActualEnd, string? ActualJapanStart, string? ActualJapanEnd, DateTimeOffset? ConfirmedAt, string? ConfirmedById,
    string? Comment);

/// <summary>
/// 時間外勤務命令 and 確認 (H-3): an approver orders overtime before the work (an order made after its start is recorded
/// as 事後 and flagged); never inside the statutory break (D-1-4); after the work the person reports and the approver
/// confirms.
/// </summary>
public sealed class OvertimeOrders(AppDbContext db, TimeProvider clock, AuditLog audit, Schedules schedules)
{
    /// <param name="asOrder">The caller is the person's approver: this is an order (命令); else the person's request.</param>
    public async Task<Result<OvertimeDto>> CreateAsync(AttendancePerson person, OvertimeRequest request, string actorId, bool asOrder, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(request.Purpose))
        {
            return AttendanceErrors.PurposeRequired;
        }

        if (request.Date is not { } date)
        {
            return Errors.Field("work.attendance.date_required", "date");
        }

        if (!JapanTime.TryParseMinutes(request.Start, out var s) || !JapanTime.TryParseMinutes(request.End, out var e))
        {
            return Errors.Field("work.attendance.time_invalid", "start");
        }

        if (e <= s)
        {
            return Errors.Field("work.attendance.end_before_start", "end");
        }

        var schedule = await schedules.ForUserAsync(person.Id, ct);
        if (s < schedule.BreakEnd && e > schedule.BreakStart)
        {
            return AttendanceErrors.OvertimeInBreak;
        }

        var now = clock.GetUtcNow();
        var order = new OvertimeOrder
        {
            Id = Guid.NewGuid(), UserId = person.Id, Date = date, Start = JapanTime.At(date, s), End = JapanTime.At(date, e),
            Purpose = Cut(request.Purpose)!, Status = OvertimeStatus.Requested, CreatedAt = now, CreatedById = actorId,
        };
        if (asOrder)
        {
            Order(order, actorId, now);
        }

        db.OvertimeOrders.Add(order);
        await db.SaveChangesAsync(ct);
        await WriteAsync(asOrder ? "work.overtime.ordered" : "work.overtime.requested", actorId, order, ct);
        return await DtoAsync(order, ct);
    }

    /// <summary>The approver turns the person's request into an order.</summary>
    public async Task<Result<OvertimeDto>> OrderAsync(Guid id, string actorId, CancellationToken ct = default) =>
        await ChangeAsync(id, OvertimeStatus.Requested, o => Order(o, actorId, clock.GetUtcNow()), "work.overtime.ordered", actorId, ct);

    public async Task<Result<OvertimeDto>> DeclineAsync(Guid id, string actorId, string? comment, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return AttendanceErrors.CommentRequired;
        }

        return await ChangeAsync(id, OvertimeStatus.Requested, o =>
        {
            o.Status = OvertimeStatus.Declined;
            o.Comment = Cut(comment);
        }, "work.overtime.declined", actorId, ct);
    }

    /// <summary>The person reports the actual times once the ordered time has begun.</summary>
    public async Task<Result<OvertimeDto>> ReportAsync(Guid id, OvertimeReport report, string actorId, CancellationToken ct = default)
    {
        var o = await db.OvertimeOrders.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null)
        {
            return AttendanceErrors.OvertimeNotFound;
        }

        if (o.Status is not (OvertimeStatus.Ordered or OvertimeStatus.Reported))
        {
            return AttendanceErrors.OvertimeState;
        }

        var now = clock.GetUtcNow();
        if (now < o.Start)
        {
            return AttendanceErrors.OvertimeNotYet;
        }

        if (!JapanTime.TryParseMinutes(report.Start, out var s) || !JapanTime.TryParseMinutes(report.End, out var e))
        {
            return Errors.Field("work.attendance.time_invalid", "start");
        }

        if (e <= s)
        {
            return Errors.Field("work.attendance.end_before_start", "end");
        }

        if (JapanTime.At(o.Date, e) > now)
        {
            return AttendanceErrors.Future;
        }

        o.ActualStart = JapanTime.At(o.Date, s);
        o.ActualEnd = JapanTime.At(o.Date, e);
        o.ReportedAt = now;
        o.Status = OvertimeStatus.Reported;
        await db.SaveChangesAsync(ct);
        await WriteAsync("work.overtime.reported", actorId, o, ct);
        return await DtoAsync(o, ct);
    }

    /// <summary>確認: the approver confirms the reported times.</summary>
    public async Task<Result<OvertimeDto>> ConfirmAsync(Guid id, string actorId, string? comment, CancellationToken ct = default) =>
        await ChangeAsync(id, OvertimeStatus.Reported, o =>
        {
            o.Status = OvertimeStatus.Confirmed;
            o.ConfirmedAt = clock.GetUtcNow();
            o.ConfirmedById = actorId;
            o.Comment = Cut(comment) ?? o.Comment;
        }, "work.overtime.confirmed", actorId, ct);

    public async Task<OvertimeOrder?> FindAsync(Guid id, CancellationToken ct = default) =>
        await db.OvertimeOrders.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);

    public async Task<IReadOnlyList<OvertimeDto>> ListAsync(IReadOnlyCollection<string> userIds, DateOnly? month, CancellationToken ct = default)
    {
        var q = db.OvertimeOrders.AsNoTracking().Where(o => userIds.Contains(o.UserId));
        if (month is { } m)
        {
            var end = m.AddMonths(1);
            q = q.Where(o => o.Date >= m && o.Date < end);
        }

        var rows = await q.OrderBy(o => o.Date).ThenBy(o => o.CreatedAt).ToListAsync(ct);
        var ids = rows.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return rows.Select(r => ToDto(r, names.GetValueOrDefault(r.UserId))).ToList();
    }

    private static void Order(OvertimeOrder o, string actorId, DateTimeOffset now)
    {
        o.Status = OvertimeStatus.Ordered;
        o.OrderedAt = now;
        o.OrderedById = actorId;
        o.AfterTheFact = now > o.Start;
    }

    private async Task<Result<OvertimeDto>> ChangeAsync(Guid id, OvertimeStatus from, Action<OvertimeOrder> change, string @event, string actorId, CancellationToken ct)
    {
        var o = await db.OvertimeOrders.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null)
        {
            return AttendanceErrors.OvertimeNotFound;
        }

        if (o.Status != from)
        {
            return AttendanceErrors.OvertimeState;
        }

        change(o);
        await db.SaveChangesAsync(ct);
        await WriteAsync(@event, actorId, o, ct);
        return await DtoAsync(o, ct);
    }

    private Task WriteAsync(string @event, string actorId, OvertimeOrder o, CancellationToken ct) =>
        audit.WriteAsync(@event, AuditOutcome.Success, actorId: actorId, subjectId: o.UserId, details: new Dictionary<string, string?>
        {
            ["order"] = o.Id.ToString(), ["date"] = Corrections.Iso(o.Date),
            ["from"] = JapanTime.Show(o.Start, JapanTime.Zone), ["to"] = JapanTime.Show(o.End, JapanTime.Zone, o.Date),
            ["afterTheFact"] = o.AfterTheFact ? "true" : "false",
            ["actual"] = o.ActualStart is { } a && o.ActualEnd is { } b ? $"{JapanTime.Show(a, JapanTime.Zone)}-{JapanTime.Show(b, JapanTime.Zone, o.Date)}" : null,
        }, ct: ct);

    private async Task<OvertimeDto> DtoAsync(OvertimeOrder o, CancellationToken ct) =>
        ToDto(o, await db.Users.AsNoTracking().Where(u => u.Id == o.UserId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct));

    public static OvertimeDto ToDto(OvertimeOrder o, string? name) =>
        new(o.Id, o.UserId, name, o.Date, o.Start, o.End, JapanTime.Show(o.Start, JapanTime.Zone), JapanTime.Show(o.End, JapanTime.Zone, o.Date), o.Purpose, o.Status,
            o.CreatedAt, o.CreatedById, o.OrderedAt, o.OrderedById, o.AfterTheFact, o.ActualStart, o.ActualEnd,
            o.ActualStart is { } a ? JapanTime.Show(a, JapanTime.Zone) : null, o.ActualEnd is { } b ? JapanTime.Show(b, JapanTime.Zone, o.Date) : null,
            o.ConfirmedAt, o.ConfirmedById, o.Comment);

    private static string? Cut(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().Length > 500 ? text.Trim()[..500] : text.Trim();
}
