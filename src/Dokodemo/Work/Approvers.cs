using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work;

/// <summary>
/// Who approves a person's work requests (telework, corrections, overtime, the monthly close): the managers of their
/// department other than themselves; where the department has none (or the person is its only manager), HR.
/// The access policy still decides every approval (work.time, update, same department or HR).
/// </summary>
public sealed class Approvers(AppDbContext db)
{
    public async Task<IReadOnlyList<string>> OfAsync(string userId, CancellationToken ct = default)
    {
        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DepartmentId }).SingleOrDefaultAsync(ct);
        if (person is null)
        {
            return [];
        }

        var managers = await HoldersAsync(Roles.Manager, ct, person.DepartmentId);
        managers.Remove(userId);
        if (managers.Count > 0)
        {
            return managers;
        }

        var hr = await HoldersAsync(Roles.Hr, ct);
        hr.Remove(userId);
        return hr;
    }

    /// <summary>Whether <paramref name="approverId"/> may approve for <paramref name="userId"/>.</summary>
    public async Task<bool> IsApproverAsync(string approverId, string userId, CancellationToken ct = default) =>
        approverId != userId && (await OfAsync(userId, ct)).Contains(approverId);

    /// <summary>
    /// Of <paramref name="userIds"/>, those <paramref name="approverId"/> may approve for: the same answer as
    /// <see cref="IsApproverAsync"/> for each, in three queries whatever the number of people (approval lists).
    /// </summary>
    public async Task<IReadOnlySet<string>> ApprovedByAsync(string approverId, IEnumerable<string> userIds, CancellationToken ct = default)
    {
        var ids = userIds.Where(id => id != approverId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return new HashSet<string>();
        }

        var departmentOf = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DepartmentId, ct);
        var departments = departmentOf.Values.Distinct().ToList();
        var managers = (await db.UserRoles.AsNoTracking()
                .Join(db.Roles.Where(r => r.Name == Roles.Manager), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
                .Join(db.Users.Where(u => !u.IsDisabled && departments.Contains(u.DepartmentId)), id => id, u => u.Id, (id, u) => new { u.Id, u.DepartmentId })
                .Distinct().ToListAsync(ct))
            .GroupBy(m => m.DepartmentId).ToDictionary(g => g.Key, g => g.Select(m => m.Id).ToHashSet());
        var approverIsHr = (await HoldersAsync(Roles.Hr, ct)).Contains(approverId);
        var mine = new HashSet<string>();
        foreach (var (id, department) in departmentOf)
        {
            var others = managers.GetValueOrDefault(department)?.Where(m => m != id).ToList() ?? [];
            if (others.Count > 0 ? others.Contains(approverId) : approverIsHr)
            {
                mine.Add(id);
            }
        }

        return mine;
    }

    private async Task<List<string>> HoldersAsync(string role, CancellationToken ct, int? departmentId = null) =>
        await db.UserRoles.AsNoTracking()
            .Join(db.Roles.Where(r => r.Name == role), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .Join(db.Users.Where(u => !u.IsDisabled && (departmentId == null || u.DepartmentId == departmentId)), id => id, u => u.Id, (id, u) => u.Id)
            .Distinct().OrderBy(id => id).ToListAsync(ct);
}
