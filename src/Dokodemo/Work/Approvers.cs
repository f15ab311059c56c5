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

    private async Task<List<string>> HoldersAsync(string role, CancellationToken ct, int? departmentId = null) =>
        await db.UserRoles.AsNoTracking()
            .Join(db.Roles.Where(r => r.Name == role), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .Join(db.Users.Where(u => !u.IsDisabled && (departmentId == null || u.DepartmentId == departmentId)), id => id, u => u.Id, (id, u) => u.Id)
            .Distinct().OrderBy(id => id).ToListAsync(ct);
}
