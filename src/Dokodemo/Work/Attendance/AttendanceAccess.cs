using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>A person whose attendance is asked about.</summary>
public sealed record AttendancePerson(string Id, string DisplayName, int DepartmentId, string TimeZone);

/// <summary>
/// Object-level checks for work.time (R27): the caller's relation to the person (本人 / 同じ所属 / none) goes to the one
/// decision point; deciding on someone's request also needs the caller to be one of their approvers (or HR).
/// </summary>
public sealed class AttendanceAccess(AppDbContext db, CurrentUser me, AccessCheck access, Approvers approvers)
{
    public string MeId => me.Id;

    public bool IsHr => me.IsInRole(Roles.Hr);

    public async Task<AttendancePerson?> FindAsync(string? userId, CancellationToken ct = default)
    {
        var id = string.IsNullOrWhiteSpace(userId) ? me.Id : userId;
        return await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new AttendancePerson(u.Id, u.DisplayName, u.DepartmentId, u.TimeZone)).SingleOrDefaultAsync(ct);
    }

    public Relation RelationTo(AttendancePerson person) =>
        me.RelationTo(person.Id, person.DepartmentId);

    /// <summary>The person, if the caller may take <paramref name="action"/> on their work.time; else the error to answer.</summary>
    public async Task<Result<AttendancePerson>> PersonAsync(string? userId, AccessAction action, CancellationToken ct = default)
    {
        var person = await FindAsync(userId, ct);
        if (person is null)
        {
            return AttendanceErrors.PersonNotFound;
        }

        return await access.AllowsAsync(ResourceTypes.WorkTime, action, person.Id, RelationTo(person), ct) ? person : AttendanceErrors.AccessDenied;
    }

    /// <summary>The caller may decide on <paramref name="person"/>'s requests: never their own; their approver or HR; and the policy agrees.</summary>
    public async Task<Error?> CanDecideAsync(AttendancePerson person, CancellationToken ct = default)
    {
        if (person.Id == me.Id)
        {
            return AttendanceErrors.NotApprover;
        }

        if (!await access.AllowsAsync(ResourceTypes.WorkTime, AccessAction.Update, person.Id, RelationTo(person), ct))
        {
            return AttendanceErrors.AccessDenied;
        }

        return IsHr || await approvers.IsApproverAsync(me.Id, person.Id, ct) ? null : AttendanceErrors.NotApprover;
    }

    /// <summary>HR's own actions (locking a month): the administer action on work.time, which only HR holds.</summary>
    public async Task<bool> CanAdministerAsync(CancellationToken ct = default) =>
        await access.AllowsAsync(ResourceTypes.WorkTime, AccessAction.Administer, null, Relation.None, ct);
}
