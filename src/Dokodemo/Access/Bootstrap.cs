using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Organization;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>
/// A production install starts with no accounts (R13). While no administrator exists, each start prints a
/// single-use, expiring link (to the console, never to the log) with which the first administrator enrols.
/// </summary>
public sealed class Bootstrap(AppDbContext db, UserAdmin admin, TimeProvider clock, IOptions<DokodemoOptions> options, AuditLog audit)
{
    public async Task<bool> HasAdministratorAsync(CancellationToken ct = default) =>
        await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where r.Name == Roles.Admin select ur).AnyAsync(ct);

    /// <summary>Issues a new bootstrap link (older ones stop working) and returns it, or null if an administrator exists.</summary>
    public async Task<(string Url, DateTimeOffset ExpiresAt)?> IssueAsync(CancellationToken ct = default)
    {
        if (await HasAdministratorAsync(ct))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        await db.Invites.Where(i => i.Purpose == InvitePurpose.Bootstrap && i.CompletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, now), ct);
        var token = InviteTokens.NewToken();
        var invite = new Invite
        {
            Id = Guid.NewGuid(),
            Purpose = InvitePurpose.Bootstrap,
            TokenHash = InviteTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(options.Value.BootstrapLifetimeMinutes),
        };
        db.Invites.Add(invite);
        await db.SaveChangesAsync(ct);
        return ($"{options.Value.PublicUrl.TrimEnd('/')}/bootstrap/{token}", invite.ExpiresAt);
    }

    public async Task AnnounceIfNeededAsync(CancellationToken ct = default)
    {
        if (await IssueAsync(ct) is { } link)
        {
            Console.WriteLine();
            Console.WriteLine("No administrator exists yet. Open this single-use link to register the first one");
            Console.WriteLine($"(it expires at {link.ExpiresAt:yyyy-MM-dd HH:mm} UTC; restart to get a new one):");
            Console.WriteLine($"  {link.Url}");
            Console.WriteLine();
        }
    }

    public async Task<bool> IsValidAsync(string token, CancellationToken ct = default) => await FindAsync(token, ct) is not null;

    private async Task<Invite?> FindAsync(string token, CancellationToken ct)
    {
        if (!InviteTokens.LooksValid(token))
        {
            return null;
        }

        var hash = InviteTokens.Hash(token);
        var invite = await db.Invites.FirstOrDefaultAsync(i => i.TokenHash == hash && i.Purpose == InvitePurpose.Bootstrap, ct);
        return invite is null || invite.CompletedAt is not null || invite.ExpiresAt <= clock.GetUtcNow() ? null : invite;
    }

    /// <summary>Creates the first administrator and returns their enrolment link; the bootstrap link is spent.</summary>
    public async Task<Result<InviteLink>> CreateAdministratorAsync(string token, string? name, string? email, string? department, CancellationToken ct = default)
    {
        var invite = await FindAsync(token, ct);
        if (invite is null || await HasAdministratorAsync(ct))
        {
            return Errors.BootstrapInvalid;
        }

        var deptName = string.IsNullOrWhiteSpace(department) ? "総務課" : department.Trim();
        if (deptName.Length > 100)
        {
            return Errors.Field("user.department_unknown", "department");
        }

        // Claim the link atomically so two racing requests cannot both create an administrator.
        var now = clock.GetUtcNow();
        var claimed = await db.Invites.Where(i => i.Id == invite.Id && i.CompletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.CompletedAt, now), ct);
        if (claimed != 1)
        {
            return Errors.BootstrapInvalid;
        }

        if (!await db.Departments.AnyAsync(d => d.Name == deptName, ct))
        {
            db.Departments.Add(new Department { Code = "D" + ((await db.Departments.CountAsync(ct)) + 1).ToString("D2", System.Globalization.CultureInfo.InvariantCulture), Name = deptName, NameEn = deptName });
            await db.SaveChangesAsync(ct);
        }

        var result = await admin.AddAsync(
            new NewUser(email ?? "", name ?? "", AccountKind.Staff, deptName, null, [Roles.Staff, Roles.Admin, Roles.SecurityAdmin]), null, ct);
        if (!result.Ok)
        {
            // Bad input loses nothing: the link stays usable for a corrected attempt.
            await db.Invites.Where(i => i.Id == invite.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CompletedAt, (DateTimeOffset?)null), ct);
            return result.Error!;
        }

        await db.Invites.Where(i => i.Id == invite.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.UserId, result.Value!.UserId), ct);
        await audit.WriteAsync("account.bootstrap_admin", AuditOutcome.Success, subjectId: result.Value!.UserId, ct: ct);
        return result.Value!;
    }
}
