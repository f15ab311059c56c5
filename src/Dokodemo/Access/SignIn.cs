using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Access;

public enum SignInStep
{
    /// <summary>The password was right; an authenticator code is needed next.</summary>
    CodeRequired = 0,

    /// <summary>Signed in.</summary>
    Done = 1,
}

/// <summary>
/// Password, then TOTP (or a recovery code). Every failure — unknown person, wrong password, wrong code,
/// locked or disabled account — is the same <see cref="Errors.AuthFailed"/> (R15). Pages and the API share it.
/// </summary>
public sealed class SignIn(AppDbContext db, AppUserManager users, AppSignInManager signIn, IPasswordHasher<AppUser> hasher, AuditLog audit, RateLimits limits, ILogger<SignIn> logger)
{
    // Hashing a password for an unknown address takes as long as for a known one.
    private static readonly AppUser Dummy = new() { DisplayName = "-", Id = "dummy" };
    private static string? dummyHash;

    public async Task<Result<SignInStep>> PasswordAsync(string? email, string? password)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || password.Length > 1024)
        {
            return Errors.AuthFailed;
        }

        // Per account (R11), before anything else: the same for an address nobody has, so it reveals nothing.
        if (limits.Account(LimitedAction.Password, users.NormalizeEmail(email.Trim())) is { } limited)
        {
            return limited;
        }

        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || !user.TwoFactorEnabled || !await users.HasPasswordAsync(user))
        {
            dummyHash ??= hasher.HashPassword(Dummy, "not a real password");
            hasher.VerifyHashedPassword(Dummy, dummyHash, password);
            logger.LogInformation("Sign-in failed: unknown or unenrolled account");
            await audit.WriteAsync("auth.password", AuditOutcome.Failure, subjectId: user?.Id,
                details: new Dictionary<string, string?> { ["reason"] = user is null ? "unknown" : "not_enrolled" });
            return Errors.AuthFailed;
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            await audit.WriteAsync("auth.password", AuditOutcome.Success, subjectId: user.Id);
            return SignInStep.CodeRequired;
        }

        // Every enrolled account has TOTP, so a plain success cannot happen; refuse it all the same (R02).
        if (result.Succeeded)
        {
            await signIn.SignOutAsync();
        }

        var reason = result.IsLockedOut ? "locked" : result.IsNotAllowed ? "not_allowed" : "password";
        logger.LogInformation("Sign-in failed for {UserId}: {Reason}", user.Id, reason);
        await audit.WriteAsync("auth.password", AuditOutcome.Failure, subjectId: user.Id, details: new Dictionary<string, string?> { ["reason"] = reason });
        return Errors.AuthFailed;
    }

    public async Task<Result<SignInStep>> CodeAsync(string? code)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return Errors.AuthNoPendingSignIn;
        }

        if (limits.Account(LimitedAction.SecondFactor, user.Id) is { } limited)
        {
            return limited;
        }

        if (await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            logger.LogInformation("Second factor refused for {UserId}: locked or not allowed", user.Id);
            await audit.WriteAsync("auth.second_factor", AuditOutcome.Failure, subjectId: user.Id, details: new Dictionary<string, string?> { ["reason"] = "locked_or_not_allowed" });
            return Errors.AuthFailed;
        }

        bool ok;
        string method;
        var digits = Totp.Normalize(code);
        if (digits is not null)
        {
            ok = await users.VerifyTwoFactorTokenAsync(user, TotpTokenProvider.ProviderName, digits);
            method = "pwd+totp";
        }
        else if (!string.IsNullOrWhiteSpace(code) && code.Length <= 32)
        {
            ok = (await users.RedeemTwoFactorRecoveryCodeAsync(user, code.Replace(" ", "", StringComparison.Ordinal).Trim())).Succeeded;
            method = "pwd+recovery";
        }
        else
        {
            ok = false;
            method = "";
        }

        if (!ok)
        {
            await users.AccessFailedAsync(user);
            logger.LogInformation("Second factor failed for {UserId}", user.Id);
            await audit.WriteAsync("auth.second_factor", AuditOutcome.Failure, subjectId: user.Id, details: new Dictionary<string, string?> { ["method"] = method });
            return Errors.AuthFailed;
        }

        // One new session, carrying how the person proved who they are; the half-way cookie goes.
        await users.ResetAccessFailedCountAsync(user);
        await signIn.Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new(AppClaims.AuthMethod, method)]);
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutCount, 0));
        logger.LogInformation("Signed in {UserId} with {Method}", user.Id, method);
        await audit.WriteAsync("auth.signin", AuditOutcome.Success, actorId: user.Id, details: new Dictionary<string, string?> { ["method"] = method });
        return SignInStep.Done;
    }

    public async Task SignOutAsync()
    {
        var userId = users.GetUserId(signIn.Context.User);
        await signIn.SignOutAsync();
        if (userId is not null)
        {
            await audit.WriteAsync("auth.signout", AuditOutcome.Success, actorId: userId);
        }
    }
}
