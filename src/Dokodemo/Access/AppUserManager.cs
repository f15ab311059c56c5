using System.Security.Claims;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>UserManager with lockout back-off: each lockout lasts twice as long as the one before (R10).</summary>
public sealed class AppUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger,
    TimeProvider clock,
    AuditLog audit)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public static readonly TimeSpan FirstLockout = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LongestLockout = TimeSpan.FromHours(24);

    public override async Task<IdentityResult> AccessFailedAsync(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var wasLocked = await IsLockedOutAsync(user);
        var result = await base.AccessFailedAsync(user);
        if (result.Succeeded && !wasLocked && await IsLockedOutAsync(user))
        {
            user.LockoutCount++;
            var minutes = Math.Min(FirstLockout.TotalMinutes * Math.Pow(2, Math.Min(user.LockoutCount - 1, 20)), LongestLockout.TotalMinutes);
            Logger.LogWarning("Account {UserId} locked for {Minutes} minutes after repeated failures", user.Id, minutes);
            await audit.WriteAsync("auth.lockout", AuditOutcome.Failure, subjectId: user.Id,
                details: new Dictionary<string, string?> { ["minutes"] = minutes.ToString(System.Globalization.CultureInfo.InvariantCulture) });

            return await SetLockoutEndDateAsync(user, clock.GetUtcNow().AddMinutes(minutes));
        }

        return result;
    }
}

/// <summary>Refuses sign-in for disabled accounts and for outsiders whose contract has ended.</summary>
public sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    TimeProvider clock)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsDisabled)
        {
            return false;
        }

        if (user.ContractEnd is { } end && DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9)).DateTime) > end)
        {
            return false;
        }

        return await base.CanSignInAsync(user);
    }
}

/// <summary>Claims that every request needs without a database round trip (STYLE.md §14).</summary>
public sealed class AppClaimsFactory(AppUserManager userManager, Microsoft.AspNetCore.Identity.RoleManager<AppRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AppClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(AppClaims.Kind, user.Kind.ToString()));
        identity.AddClaim(new Claim(AppClaims.DepartmentId, user.DepartmentId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (user.SectionId is { } s)
        {
            identity.AddClaim(new Claim(AppClaims.SectionId, s.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return identity;
    }
}

public static class AppClaims
{
    public const string DisplayName = "dokodemo:name";
    public const string Kind = "dokodemo:kind";
    public const string DepartmentId = "dokodemo:dept";
    public const string SectionId = "dokodemo:section";

    /// <summary>How the person proved who they are this session: pwd+totp, pwd+recovery, passkey, persona (demo only).</summary>
    public const string AuthMethod = "amr";
}

/// <summary>The person making this request, read once from the cookie's claims.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsSignedIn => Principal.Identity?.IsAuthenticated == true;
    public string Id => Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
    public string DisplayName => Principal.FindFirstValue(AppClaims.DisplayName) ?? "";
    public string Email => Principal.FindFirstValue(ClaimTypes.Email) ?? Principal.FindFirstValue(ClaimTypes.Name) ?? "";

    public AccountKind Kind =>
        Enum.TryParse<AccountKind>(Principal.FindFirstValue(AppClaims.Kind), out var k) ? k : AccountKind.Partner;

    public int DepartmentId =>
        int.TryParse(Principal.FindFirstValue(AppClaims.DepartmentId), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0;

    /// <summary>
    /// How the caller relates to a person's records — 本人, 同じ所属, or none — which the decision point is told for
    /// object-level checks (work places, working time, requests).
    /// </summary>
    public Domain.Access.Relation RelationTo(string userId, int departmentId) =>
        userId == Id ? Domain.Access.Relation.Self : RelationToDepartment(departmentId);

    /// <summary>同じ所属 when the department is the caller's own, else none.</summary>
    public Domain.Access.Relation RelationToDepartment(int departmentId) =>
        departmentId == DepartmentId ? Domain.Access.Relation.SameDepartment : Domain.Access.Relation.None;

    public int? SectionId =>
        int.TryParse(Principal.FindFirstValue(AppClaims.SectionId), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : null;

    public bool IsInRole(string role) => Principal.IsInRole(role);

    public bool IsOutsider => AccountKinds.IsOutsider(Kind);
}

/// <summary>Identity password validator applying the domain's R12 policy.</summary>
public sealed class PolicyPasswordValidator(IOptions<DokodemoOptions> options) : IPasswordValidator<AppUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var o = options.Value;
        var townWords = new[] { o.TownName, o.TownName.TrimEnd('町', '村', '市'), o.TownNameEn, "dokodemo", "どこでも" };
        var personal = new List<string> { user.DisplayName.Replace(" ", "", StringComparison.Ordinal).Replace("　", "", StringComparison.Ordinal) };
        if (user.Email is { } email)
        {
            personal.Add(email.Split('@')[0]);
            personal.AddRange(email.Split('@')[0].Split('.', '_', '-'));
        }

        var errors = PasswordPolicy.Check(password ?? "", townWords, personal);
        return Task.FromResult(errors.Count == 0
            ? IdentityResult.Success
            : IdentityResult.Failed([.. errors.Select(e => new IdentityError { Code = e, Description = e })]));
    }
}
