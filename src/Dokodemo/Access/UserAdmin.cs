using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

public sealed record NewUser(string Email, string DisplayName, AccountKind Kind, string Department, string? Section, IReadOnlyList<string> Roles, string Title = "", DateOnly? ContractEnd = null, string Kana = "");

public sealed record InviteLink(string UserId, string Email, string Url, DateTimeOffset ExpiresAt);

public sealed record UserSummary(string Id, string Email, string DisplayName, AccountKind Kind, string Department, string? Section, IReadOnlyList<string> Roles, bool Enrolled, bool Disabled);

/// <summary>Adding, listing and disabling accounts. The admin page, the API and the CLI all call this.</summary>
public sealed class UserAdmin(AppDbContext db, AppUserManager users, Sessions sessions, TimeProvider clock, IOptions<DokodemoOptions> options, IMemoryCache cache, AuditLog audit)
{
    public async Task<Result<InviteLink>> AddAsync(NewUser input, string? createdById, CancellationToken ct = default)
    {
        var validation = await ValidateAsync(input, ct);
        if (validation is not null)
        {
            return validation;
        }

        var (deptId, sectionId) = await ResolveOrgAsync(input.Department, input.Section, create: false, ct);
        var user = new AppUser
        {
            UserName = input.Email.Trim(),
            Email = input.Email.Trim(),
            DisplayName = input.DisplayName.Trim(),
            DisplayNameKana = input.Kana.Trim(),
            Kind = input.Kind,
            DepartmentId = deptId!.Value,
            SectionId = sectionId,
            Title = input.Title.Trim(),
            ContractEnd = input.ContractEnd,
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            var code = created.Errors.First().Code;
            return code is "DuplicateUserName" or "DuplicateEmail" ? Errors.Field("user.email_taken", "email") : Errors.Field("user.invalid", "email");
        }

        var roles = input.Roles.Count == 0 ? [Roles.Staff] : input.Roles.Distinct(StringComparer.Ordinal).ToList();
        await users.AddToRolesAsync(user, roles);
        Organization.Directory.Invalidate(cache);
        await audit.WriteAsync("account.created", AuditOutcome.Success, actorId: createdById, subjectId: user.Id,
            details: new Dictionary<string, string?> { ["kind"] = user.Kind.ToString(), ["roles"] = string.Join(',', roles) }, within: db, ct: ct);
        return await IssueInviteAsync(user, createdById, ct);
    }

    /// <summary>A new invite for a person who has not enrolled yet (or after an administrator reset); older links stop working.</summary>
    public async Task<InviteLink> IssueInviteAsync(AppUser user, string? createdById, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await db.Invites.Where(i => i.UserId == user.Id && i.CompletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, now), ct);
        var token = InviteTokens.NewToken();
        var invite = new Invite
        {
            Id = Guid.NewGuid(),
            Purpose = InvitePurpose.Enrolment,
            TokenHash = InviteTokens.Hash(token),
            UserId = user.Id,
            CreatedAt = now,
            ExpiresAt = now.AddHours(options.Value.InviteLifetimeHours),
            CreatedById = createdById,
        };
        db.Invites.Add(invite);
        await db.SaveChangesAsync(ct);
        return new InviteLink(user.Id, user.Email ?? "", $"{options.Value.PublicUrl.TrimEnd('/')}/enroll/{token}", invite.ExpiresAt);
    }

    public async Task<Error?> ValidateAsync(NewUser input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Email) || input.Email.Length > 254 || !IsEmail(input.Email.Trim()))
        {
            return Errors.Field("user.email_invalid", "email");
        }

        if (string.IsNullOrWhiteSpace(input.DisplayName) || input.DisplayName.Length > 100)
        {
            return Errors.Field("user.name_invalid", "name");
        }

        if (input.Roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } bad)
        {
            return new Error("user.role_unknown", 400, new Dictionary<string, object?> { ["field"] = "roles", ["role"] = bad });
        }

        if (AccountKinds.IsOutsider(input.Kind) && input.Roles.Any(r => r is not Roles.Staff))
        {
            return Errors.Field("user.outsider_role", "roles");
        }

        var normalized = users.NormalizeEmail(input.Email.Trim());
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct))
        {
            return Errors.Field("user.email_taken", "email");
        }

        var (deptId, sectionId) = await ResolveOrgAsync(input.Department, input.Section, create: false, ct);
        if (deptId is null)
        {
            return Errors.Field("user.department_unknown", "department");
        }

        if (!string.IsNullOrWhiteSpace(input.Section) && sectionId is null)
        {
            return Errors.Field("user.section_unknown", "section");
        }

        return null;
    }

    /// <summary>Finds a department by code or name (Japanese or English), and a section within it.</summary>
    public async Task<(int? DepartmentId, int? SectionId)> ResolveOrgAsync(string department, string? section, bool create, CancellationToken ct)
    {
        var d = department.Trim();
        var dept = await db.Departments.FirstOrDefaultAsync(x => x.Code == d || x.Name == d || x.NameEn == d, ct);
        if (dept is null)
        {
            return (null, null);
        }

        if (string.IsNullOrWhiteSpace(section))
        {
            return (dept.Id, null);
        }

        var s = section.Trim();
        var sec = await db.Sections.FirstOrDefaultAsync(x => x.DepartmentId == dept.Id && (x.Name == s || x.NameEn == s), ct);
        return (dept.Id, sec?.Id);
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        var rows = await db.Users.AsNoTracking()
            .OrderBy(u => u.Department!.SortOrder).ThenBy(u => u.DisplayNameKana).ThenBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Kind, Dept = u.Department!.Name, Sec = u.Section!.Name, u.TwoFactorEnabled, u.IsDisabled })
            .ToListAsync(ct);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .AsNoTracking().ToListAsync(ct);
        var byUser = roles.ToLookup(r => r.UserId, r => r.Name ?? "");
        return rows.Select(u => new UserSummary(u.Id, u.Email ?? "", u.DisplayName, u.Kind, u.Dept, u.Sec, [.. byUser[u.Id].Order(StringComparer.Ordinal)], u.TwoFactorEnabled, u.IsDisabled)).ToList();
    }

    public Task<Result<UserSummary>> DisableAsync(string idOrEmail, string? actorId, CancellationToken ct = default) =>
        SetDisabledAsync(idOrEmail, disabled: true, actorId, ct);

    /// <summary>Lets a disabled person sign in again. Their old sessions stay ended; they sign in afresh.</summary>
    public Task<Result<UserSummary>> EnableAsync(string idOrEmail, string? actorId, CancellationToken ct = default) =>
        SetDisabledAsync(idOrEmail, disabled: false, actorId, ct);

    private async Task<Result<UserSummary>> SetDisabledAsync(string idOrEmail, bool disabled, string? actorId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(idOrEmail) ?? await users.FindByEmailAsync(idOrEmail);
        if (user is null)
        {
            return Errors.NotFound;
        }

        if (!disabled)
        {
            user.IsDisabled = false;
            await users.UpdateAsync(user);
            Organization.Directory.Invalidate(cache);
            await audit.WriteAsync("account.enabled", AuditOutcome.Success, actorId: actorId, subjectId: user.Id, within: db, ct: ct);
            return (await ListAsync(ct)).First(u => u.Id == user.Id);
        }

        user.IsDisabled = true;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, ct);
        Organization.Directory.Invalidate(cache);
        await audit.WriteAsync("account.disabled", AuditOutcome.Success, actorId: actorId, subjectId: user.Id, within: db, ct: ct);
        return (await ListAsync(ct)).First(u => u.Id == user.Id);
    }

    private static bool IsEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == email.LastIndexOf('@') && at < email.Length - 3 && email[(at + 1)..].Contains('.', StringComparison.Ordinal)
            && !email.Any(char.IsWhiteSpace);
    }
}
