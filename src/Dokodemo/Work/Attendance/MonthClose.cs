using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

public sealed record MonthActionRequest(string? Person, string? Comment);

public sealed record LockRequest(string? Person, int? DepartmentId);

public sealed record MonthStateDto(string UserId, string? PersonName, string Month, MonthStatus Status, DateTimeOffset? SubmittedAt, DateTimeOffset? ApprovedAt,
    string? ApprovedById, DateTimeOffset? ReturnedAt, string? Comment, DateTimeOffset? LockedAt, string? LockedById);

public sealed record LockResult(string Month, int Locked, IReadOnlyList<MonthStateDto> NotLocked);

/// <summary>締め: Open → Submitted (the person, after the month's last day) → Approved or Returned (the approver) → Locked (HR).</summary>
public sealed class MonthClose(AppDbContext db, TimeProvider clock, AuditLog audit, AttendanceDays days, Rules.WorkRules rules)
{
    public async Task<Result<MonthStateDto>> SubmitAsync(AttendancePerson person, DateOnly month, string actorId, CancellationToken ct = default)
    {
        if (JapanTime.DateOf(clock.GetUtcNow()) < month.AddMonths(1))
        {
            return AttendanceErrors.MonthNotEnded;
        }

        var row = await RowAsync(person.Id, month, create: true, ct);
        if (row!.Status is not (MonthStatus.Open or MonthStatus.Returned))
        {
            return AttendanceErrors.MonthState;
        }

        row.Status = MonthStatus.Submitted;
        row.SubmittedAt = clock.GetUtcNow();
        return await SaveAsync(row, "work.month.submitted", actorId, null, ct);
    }

    public async Task<Result<MonthStateDto>> ApproveAsync(AttendancePerson person, DateOnly month, string actorId, CancellationToken ct = default)
    {
        var row = await RowAsync(person.Id, month, create: false, ct);
        if (row is null || row.Status != MonthStatus.Submitted)
        {
            return AttendanceErrors.MonthState;
        }

        row.Status = MonthStatus.Approved;
        row.ApprovedAt = clock.GetUtcNow();
        row.ApprovedById = actorId;
        return await SaveAsync(row, "work.month.approved", actorId, null, ct);
    }

    /// <summary>差戻し: back to the person with a comment (from submitted or approved, never once locked).</summary>
    public async Task<Result<MonthStateDto>> ReturnAsync(AttendancePerson person, DateOnly month, string actorId, string? comment, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return AttendanceErrors.CommentRequired;
        }

        var row = await RowAsync(person.Id, month, create: false, ct);
        if (row is null || row.Status is not (MonthStatus.Submitted or MonthStatus.Approved))
        {
            return AttendanceErrors.MonthState;
        }

        row.Status = MonthStatus.Returned;
        row.ReturnedAt = clock.GetUtcNow();
        row.ReturnedById = actorId;
        row.Comment = comment.Trim().Length > 500 ? comment.Trim()[..500] : comment.Trim();
        return await SaveAsync(row, "work.month.returned", actorId, row.Comment, ct);
    }

    /// <summary>HR locks one person's approved month.</summary>
    public async Task<Result<MonthStateDto>> LockAsync(AttendancePerson person, DateOnly month, string actorId, CancellationToken ct = default)
    {
        var row = await RowAsync(person.Id, month, create: false, ct);
        if (row is null || row.Status != MonthStatus.Approved)
        {
            return AttendanceErrors.MonthState;
        }

        row.Status = MonthStatus.Locked;
        row.LockedAt = clock.GetUtcNow();
        row.LockedById = actorId;
        await KeepTotalsAsync([row], month, ct);
        return await SaveAsync(row, "work.month.locked", actorId, null, ct);
    }

    /// <summary>HR locks every approved month in a department; the others are listed, still open.</summary>
    public async Task<LockResult> LockDepartmentAsync(int departmentId, DateOnly month, string actorId, CancellationToken ct = default)
    {
        var people = await db.Users.AsNoTracking().Where(u => u.DepartmentId == departmentId && !u.IsDisabled).Select(u => u.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.AttendanceMonths.Where(m => m.Month == month && people.Contains(m.UserId) && m.Status == MonthStatus.Approved).ToListAsync(ct);
        foreach (var row in rows)
        {
            row.Status = MonthStatus.Locked;
            row.LockedAt = now;
            row.LockedById = actorId;
        }

        await KeepTotalsAsync(rows, month, ct);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.month.locked", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["month"] = JapanTime.MonthText(month), ["department"] = departmentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["people"] = rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, within: db, ct: ct);
        await tx.CommitAsync(ct);
        var states = await StatesAsync(people, month, ct);
        return new LockResult(JapanTime.MonthText(month), rows.Count, states.Where(s => s.Status != MonthStatus.Locked).ToList());
    }

    /// <summary>
    /// Counts each locked month once (A-0, B-2, with the last week of the month before for the 40h week) and keeps the
    /// totals on its row: the monthly close of later months then reads them instead of every record since the year began.
    /// </summary>
    private async Task KeepTotalsAsync(IReadOnlyList<AttendanceMonth> rows, DateOnly month, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var ids = rows.Select(r => r.UserId).ToList();
        var before = await days.ForPeopleAsync(ids, month.AddMonths(-1), ct);
        var current = await days.ForPeopleAsync(ids, month, ct);
        var counting = (await rules.ParametersAsync(ct)).Counting;
        var now = clock.GetUtcNow();
        foreach (var row in rows)
        {
            var list = before.GetValueOrDefault(row.UserId, []).Where(d => d.Date >= month.AddDays(-7)).Concat(current.GetValueOrDefault(row.UserId, [])).ToList();
            var totals = Domain.Work.Counting.Month(month, list, counting);
            row.OvertimeMinutes = totals.OrdinanceOvertimeMinutes;
            row.LaborOvertimeMinutes = totals.LaborOvertimeMinutes;
            row.LegalRestDayMinutes = totals.LegalRestDayMinutes;
            row.WorkedMinutes = totals.TotalWorkedMinutes;
            row.TotalsAt = now;
        }
    }

    /// <summary>
    /// Counts and keeps the totals of a month's locked rows that have none (months locked before totals were kept, or
    /// loaded from elsewhere); returns how many. Behaviour is unchanged either way — only how much the close must read.
    /// </summary>
    public async Task<int> RecountLockedAsync(DateOnly month, CancellationToken ct = default)
    {
        var rows = await db.AttendanceMonths.Where(m => m.Month == month && m.Status == MonthStatus.Locked && m.TotalsAt == null).ToListAsync(ct);
        await KeepTotalsAsync(rows, month, ct);
        await db.SaveChangesAsync(ct);
        return rows.Count;
    }

    /// <summary>The kept totals of locked months, for many people: (person, month) → the month as counted when locked.</summary>
    public async Task<Dictionary<(string UserId, DateOnly Month), Domain.Work.MonthWork>> KeptTotalsAsync(IReadOnlyCollection<string> userIds, DateOnly from,
        DateOnly to, CancellationToken ct = default)
    {
        var rows = await db.AttendanceMonths.AsNoTracking()
            .Where(m => m.Month >= from && m.Month <= to && m.TotalsAt != null && m.Status == MonthStatus.Locked && userIds.Contains(m.UserId))
            .Select(m => new { m.UserId, m.Month, m.OvertimeMinutes, m.LaborOvertimeMinutes, m.LegalRestDayMinutes, m.WorkedMinutes }).ToListAsync(ct);
        return rows.ToDictionary(r => (r.UserId, r.Month), r => new Domain.Work.MonthWork
        {
            Month = r.Month,
            OrdinanceOvertimeMinutes = r.OvertimeMinutes ?? 0,
            LaborOvertimeMinutes = r.LaborOvertimeMinutes ?? 0,
            LegalRestDayMinutes = r.LegalRestDayMinutes ?? 0,
            TotalWorkedMinutes = r.WorkedMinutes ?? 0,
        });
    }

    /// <summary>Each person's state for the month (Open when nothing was submitted yet).</summary>
    public async Task<IReadOnlyList<MonthStateDto>> StatesAsync(IReadOnlyCollection<string> userIds, DateOnly month, CancellationToken ct = default)
    {
        var rows = await db.AttendanceMonths.AsNoTracking().Where(m => m.Month == month && userIds.Contains(m.UserId)).ToDictionaryAsync(m => m.UserId, ct);
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).OrderBy(u => u.DisplayNameKana).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        return names.Select(n => rows.TryGetValue(n.Id, out var r) ? ToDto(r, n.DisplayName)
            : new MonthStateDto(n.Id, n.DisplayName, JapanTime.MonthText(month), MonthStatus.Open, null, null, null, null, null, null, null)).ToList();
    }

    public async Task<MonthStateDto> StateAsync(string userId, DateOnly month, CancellationToken ct = default) => (await StatesAsync([userId], month, ct)).Single();

    private async Task<AttendanceMonth?> RowAsync(string userId, DateOnly month, bool create, CancellationToken ct)
    {
        var row = await db.AttendanceMonths.FirstOrDefaultAsync(m => m.UserId == userId && m.Month == month, ct);
        if (row is null && create)
        {
            row = new AttendanceMonth { Id = Guid.NewGuid(), UserId = userId, Month = month, Status = MonthStatus.Open };
            db.AttendanceMonths.Add(row);
        }

        return row;
    }

    private async Task<Result<MonthStateDto>> SaveAsync(AttendanceMonth row, string @event, string actorId, string? comment, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(@event, AuditOutcome.Success, actorId: actorId, subjectId: row.UserId, details: new Dictionary<string, string?>
        {
            ["month"] = JapanTime.MonthText(row.Month), ["comment"] = comment,
        }, ct: ct);
        return await StateAsync(row.UserId, row.Month, ct);
    }

    private static MonthStateDto ToDto(AttendanceMonth r, string? name) =>
        new(r.UserId, name, JapanTime.MonthText(r.Month), r.Status, r.SubmittedAt, r.ApprovedAt, r.ApprovedById, r.ReturnedAt, r.Comment, r.LockedAt, r.LockedById);
}
