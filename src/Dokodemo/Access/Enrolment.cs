using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Dokodemo.Access;

public sealed record AuthenticatorSetup(string Secret, string OtpAuthUri, string QrPngDataUri);

public sealed record EnrolmentState(string DisplayName, string Email, bool PasswordSet, AuthenticatorSetup? Authenticator);

/// <summary>
/// Enrolment from a one-time, expiring invite: set a password, scan the authenticator code, confirm a code,
/// receive recovery codes. The page and the API both call this.
/// </summary>
public sealed class Enrolment(
    AppDbContext db,
    AppUserManager users,
    AppSignInManager signIn,
    TimeProvider clock,
    IOptions<DokodemoOptions> options,
    AuditLog audit,
    RateLimits limits,
    ILogger<Enrolment> logger)
{
    public const int RecoveryCodeCount = 10;

    public async Task<(Invite Invite, AppUser User)?> FindAsync(string token, CancellationToken ct = default)
    {
        if (!InviteTokens.LooksValid(token))
        {
            return null;
        }

        var hash = InviteTokens.Hash(token);
        var invite = await db.Invites.Include(i => i.User)
            .FirstOrDefaultAsync(i => i.TokenHash == hash && i.Purpose == InvitePurpose.Enrolment, ct);
        if (invite?.User is null || invite.CompletedAt is not null || invite.ExpiresAt <= clock.GetUtcNow() || invite.User.IsDisabled)
        {
            return null;
        }

        return (invite, invite.User);
    }

    public async Task<Result<EnrolmentState>> GetStateAsync(string token, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is not var (invite, user))
        {
            return Errors.InviteInvalid;
        }

        AuthenticatorSetup? setup = null;
        if (invite.PasswordSetAt is not null)
        {
            setup = await AuthenticatorAsync(user);
        }

        return new EnrolmentState(user.DisplayName, user.Email ?? "", invite.PasswordSetAt is not null, setup);
    }

    /// <summary>Step 1: set the password (again, if the person comes back before confirming) and issue a fresh authenticator key.</summary>
    public async Task<Result<AuthenticatorSetup>> SetPasswordAsync(string token, string? password, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is not var (invite, user))
        {
            return Errors.InviteInvalid;
        }

        if (limits.Account(LimitedAction.Enrolment, user.Id) is { } limited)
        {
            return limited;
        }

        if (string.IsNullOrEmpty(password))
        {
            return Errors.PasswordRequired;
        }

        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded)
            {
                return new Error(check.Errors.First().Code, 400);
            }
        }

        if (await users.HasPasswordAsync(user))
        {
            await users.RemovePasswordAsync(user);
        }

        var added = await users.AddPasswordAsync(user, password);
        if (!added.Succeeded)
        {
            return new Error(added.Errors.First().Code, 400);
        }

        await users.ResetAuthenticatorKeyAsync(user);
        invite.PasswordSetAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return await AuthenticatorAsync(user);
    }

    /// <summary>Step 2: confirm a code from the app; the account becomes active and recovery codes are shown once.</summary>
    public async Task<Result<IReadOnlyList<string>>> ConfirmAsync(string token, string? code, bool signInNow, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is not var (invite, user))
        {
            return Errors.InviteInvalid;
        }

        if (limits.Account(LimitedAction.Enrolment, user.Id) is { } limited)
        {
            return limited;
        }

        if (invite.PasswordSetAt is null)
        {
            return Errors.PasswordFirst;
        }

        if (Totp.Normalize(code) is null)
        {
            return Errors.CodeFormat;
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, TotpTokenProvider.ProviderName, code!))
        {
            return Errors.CodeWrong;
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        user.EmailConfirmed = true;
        user.EnrolledAt = clock.GetUtcNow();
        invite.CompletedAt = clock.GetUtcNow();
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await users.UpdateAsync(user);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Account {UserId} enrolled", user.Id);
        await audit.WriteAsync("account.enrolled", AuditOutcome.Success, actorId: user.Id, subjectId: user.Id);
        if (signInNow)
        {
            await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new(AppClaims.AuthMethod, "pwd+totp")]);
            await audit.WriteAsync("auth.signin", AuditOutcome.Success, actorId: user.Id, details: new Dictionary<string, string?> { ["method"] = "enrolment" });
        }

        return codes;
    }

    private async Task<AuthenticatorSetup> AuthenticatorAsync(AppUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        var uri = Totp.OtpAuthUri($"Dokodemo {options.Value.TownName}", user.Email ?? user.UserName ?? "", key);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return new AuthenticatorSetup(FormatSecret(key), uri, "data:image/png;base64," + Convert.ToBase64String(png));
    }

    /// <summary>Groups of four so a person can type it from the screen.</summary>
    public static string FormatSecret(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4))));
}
