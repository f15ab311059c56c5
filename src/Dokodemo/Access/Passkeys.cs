using System.Security.Claims;
using System.Formats.Cbor;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>A registered passkey as its owner sees it. The credential id and public key stay on the server; <c>Id</c> is a hash of the credential id.</summary>
public sealed record PasskeyDto(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool BackedUp);

public static class PasskeyErrors
{
    /// <summary>A passkey sign-in was refused (forged, unverified, replayed, expired, malformed, unknown credential).</summary>
    public static readonly Error Failed = new("passkey.failed", 401);

    /// <summary>A registration was refused for the same kinds of reasons.</summary>
    public static readonly Error RegistrationFailed = new("passkey.registration_failed", 400);

    public static readonly Error NameInvalid = Errors.Field("passkey.name_invalid", "name");
    public static readonly Error Limit = new("passkey.limit", 409);

    public static IEnumerable<Error> All => [Failed, RegistrationFailed, NameInvalid, Limit, RecentSignIn.Required];
}

/// <summary>
/// R22: sensitive account changes (adding or removing a passkey, an administrator's account recovery) need a session
/// that began with a full sign-in less than <see cref="Window"/> ago; otherwise the answer is "sign in again".
/// </summary>
public sealed class RecentSignIn(IHttpContextAccessor http, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public static readonly Error Required = new("auth.recent_sign_in_required", 403);

    /// <summary>The request's session (already checked live and owned by <paramref name="userId"/> by authentication) began recently.</summary>
    public Task<bool> IsRecentAsync(string userId) =>
        Task.FromResult(http.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier) == userId &&
            IsRecent(Sessions.Current(http.HttpContext)?.AuthenticatedAt, clock.GetUtcNow()));

    public static bool IsRecent(DateTimeOffset? authenticatedAt, DateTimeOffset now) => authenticatedAt is { } t && now - t <= Window;
}

/// <summary>
/// Passkeys (WebAuthn, with ASP.NET Core Identity's .NET 10 support): a signed-in person registers, lists, renames
/// and removes theirs; anyone signs in with one, without a user name. A passkey with user verification is
/// phishing-resistant multi-factor authentication on its own, so the session it starts needs no authenticator code.
/// The pages and the API call this class.
/// </summary>
public sealed class Passkeys(
    AppDbContext db,
    AppUserManager users,
    AppSignInManager signIn,
    IOptions<PasskeySettings> settings,
    RecentSignIn recent,
    AuditLog audit,
    RateLimits limits,
    ILogger<Passkeys> logger)
{
    public const string AuthMethod = "passkey";

    /// <summary>A real credential is a few kilobytes at most.</summary>
    public const int MaxCredentialJson = 64 * 1024;

    private HttpContext Http => signIn.Context;

    // --- Sign-in -----------------------------------------------------------------------------------

    /// <summary>Options for a username-less sign-in: a fresh challenge and nothing about any person.</summary>
    public Task<string> SignInOptionsAsync() => signIn.MakePasskeyRequestOptionsAsync(null);

    public async Task<Result<SignInStep>> SignInAsync(string? credentialJson)
    {
        if (!IsJsonObject(credentialJson))
        {
            return await RefuseSignInAsync("malformed", null);
        }

        // R11 per account: the account the credential belongs to, before any cryptography is done for it.
        var owner = await OwnerOfAsync(credentialJson!);
        if (limits.Account(LimitedAction.Passkey, owner) is { } limited)
        {
            return limited;
        }

        if (await CeremonyMissingAsync() is { } missing)
        {
            return await RefuseSignInAsync(missing, owner);
        }

        PasskeyAssertionResult<AppUser> result;
        try
        {
            result = await signIn.PerformPasskeyAssertionAsync(credentialJson!);
        }
        catch (InvalidOperationException)
        {
            // The ceremony cookie holds something else (a half-done password sign-in).
            return await RefuseSignInAsync("no_ceremony", await OwnerOfAsync(credentialJson!));
        }

        if (!result.Succeeded)
        {
            return await RefuseSignInAsync(Reason(result.Failure), await OwnerOfAsync(credentialJson!));
        }

        var user = result.User;
        var id = PasskeySetup.IdOf(result.Passkey.CredentialId);

        // Another node may have accepted this very ceremony already: refuse a ceremony begun before the passkey's last use.
        if (Http.Items[SingleUsePasskeyHandler.IssuedAtKey] is DateTimeOffset issuedAt && await LastUsedAsync(user.Id, id) is { } lastUsed && lastUsed >= issuedAt)
        {
            return await RefuseSignInAsync("replayed", user.Id);
        }

        // Disabled or contract ended: the same answer as a wrong password (R15).
        if (!await signIn.CanSignInAsync(user))
        {
            logger.LogInformation("Passkey sign-in refused for {UserId}: not allowed", user.Id);
            await audit.WriteAsync("passkey.assertion_failed", AuditOutcome.Failure, subjectId: user.Id, details: Details(("reason", "not_allowed"), ("credential", id)));
            return Errors.AuthFailed;
        }

        // The new signature counter and backup state.
        await users.AddOrUpdatePasskeyAsync(user, result.Passkey);
        await users.ResetAccessFailedCountAsync(user);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new(AppClaims.AuthMethod, AuthMethod)]);
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutCount, 0));
        logger.LogInformation("Signed in {UserId} with a passkey", user.Id);
        await audit.WriteAsync("auth.signin", AuditOutcome.Success, actorId: user.Id, details: Details(("method", AuthMethod), ("credential", id)));
        return SignInStep.Done;
    }

    private async Task<Error> RefuseSignInAsync(string reason, string? subjectId)
    {
        logger.LogInformation("Passkey sign-in refused: {Reason}", reason);
        await audit.WriteAsync("passkey.assertion_failed", AuditOutcome.Failure, subjectId: subjectId, details: Details(("reason", reason)));
        return PasskeyErrors.Failed;
    }

    // --- The person's own passkeys -------------------------------------------------------------------

    public async Task<IReadOnlyList<PasskeyDto>> ListAsync(string userId, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return [];
        }

        var list = new List<PasskeyDto>();
        foreach (var p in (await users.GetPasskeysAsync(user)).OrderBy(p => p.CreatedAt))
        {
            var id = PasskeySetup.IdOf(p.CredentialId);
            list.Add(new PasskeyDto(id, p.Name ?? "", p.CreatedAt, await LastUsedAsync(userId, id, ct), p.IsBackedUp));
        }

        return list;
    }

    public int MaxPerPerson => settings.Value.MaxPerPerson;

    /// <summary>Starts a registration: the options for navigator.credentials.create().</summary>
    public async Task<Result<string>> CreationOptionsAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Errors.Unauthenticated;
        }

        if (await RegistrationRefusalAsync(user) is { } refusal)
        {
            return refusal;
        }

        return await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = user.Id,
            Name = user.Email ?? user.UserName ?? user.Id,
            DisplayName = user.DisplayName,
        });
    }

    /// <summary>Finishes a registration with the browser's response and a name the person chose.</summary>
    public async Task<Result<PasskeyDto>> RegisterAsync(string userId, string? name, string? credentialJson)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Errors.Unauthenticated;
        }

        if (await RegistrationRefusalAsync(user) is { } refusal)
        {
            return refusal;
        }

        if (!IsJsonObject(credentialJson))
        {
            return await RefuseRegistrationAsync("malformed", user.Id);
        }

        // Checked before the ceremony is used, so the person can fix the name and send the same response again.
        if (CleanName(name) is not { } clean)
        {
            return PasskeyErrors.NameInvalid;
        }

        if (await CeremonyMissingAsync() is { } missing)
        {
            return await RefuseRegistrationAsync(missing, user.Id);
        }

        PasskeyAttestationResult result;
        try
        {
            result = await signIn.PerformPasskeyAttestationAsync(credentialJson!);
        }
        catch (InvalidOperationException)
        {
            return await RefuseRegistrationAsync("no_ceremony", user.Id);
        }

        if (!result.Succeeded)
        {
            return await RefuseRegistrationAsync(Reason(result.Failure), user.Id);
        }

        // The ceremony was started for this person, in this browser.
        if (!string.Equals(result.UserEntity.Id, user.Id, StringComparison.Ordinal))
        {
            return await RefuseRegistrationAsync("wrong_person", user.Id);
        }

        var passkey = result.Passkey;
        passkey.Name = clean;
        var saved = await users.AddOrUpdatePasskeyAsync(user, passkey);
        if (!saved.Succeeded)
        {
            return await RefuseRegistrationAsync("not_saved", user.Id);
        }

        var id = PasskeySetup.IdOf(passkey.CredentialId);
        logger.LogInformation("Passkey registered for {UserId}", user.Id);
        await audit.WriteAsync("passkey.registered", AuditOutcome.Success, actorId: user.Id, subjectId: user.Id,
            details: Details(("credential", id), ("aaguid", AaguidOf(passkey.AttestationObject)), ("backed_up", passkey.IsBackedUp ? "true" : "false")));
        return new PasskeyDto(id, clean, passkey.CreatedAt, null, passkey.IsBackedUp);
    }

    private async Task<Error?> RegistrationRefusalAsync(AppUser user)
    {
        if (!await recent.IsRecentAsync(user.Id))
        {
            return RecentSignIn.Required;
        }

        if ((await users.GetPasskeysAsync(user)).Count >= MaxPerPerson)
        {
            return PasskeyErrors.Limit with { Details = new Dictionary<string, object?> { ["max"] = MaxPerPerson } };
        }

        return null;
    }

    private async Task<Error> RefuseRegistrationAsync(string reason, string userId)
    {
        logger.LogInformation("Passkey registration refused for {UserId}: {Reason}", userId, reason);
        await audit.WriteAsync("passkey.attestation_failed", AuditOutcome.Failure, actorId: userId, subjectId: userId, details: Details(("reason", reason)));
        return PasskeyErrors.RegistrationFailed;
    }

    public async Task<Result<PasskeyDto>> RenameAsync(string userId, string id, string? name)
    {
        if (CleanName(name) is not { } clean)
        {
            return PasskeyErrors.NameInvalid;
        }

        if (await FindAsync(userId, id) is not var (user, passkey))
        {
            return Errors.NotFound;
        }

        passkey.Name = clean;
        await users.AddOrUpdatePasskeyAsync(user, passkey);
        await audit.WriteAsync("passkey.renamed", AuditOutcome.Success, actorId: userId, subjectId: userId, details: Details(("credential", id)));
        return new PasskeyDto(id, clean, passkey.CreatedAt, await LastUsedAsync(userId, id), passkey.IsBackedUp);
    }

    public async Task<Result<bool>> RemoveAsync(string userId, string id)
    {
        if (!await recent.IsRecentAsync(userId))
        {
            return RecentSignIn.Required;
        }

        // Someone else's passkey id answers exactly like an unknown one (R27).
        if (await FindAsync(userId, id) is not var (user, passkey))
        {
            return Errors.NotFound;
        }

        await users.RemovePasskeyAsync(user, passkey.CredentialId);
        logger.LogInformation("Passkey removed for {UserId}", userId);
        await audit.WriteAsync("passkey.removed", AuditOutcome.Success, actorId: userId, subjectId: userId,
            details: Details(("credential", id), ("aaguid", AaguidOf(passkey.AttestationObject))));
        return true;
    }

    private async Task<(AppUser User, UserPasskeyInfo Passkey)?> FindAsync(string userId, string id)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || string.IsNullOrEmpty(id) || id.Length != 32)
        {
            return null;
        }

        var passkey = (await users.GetPasskeysAsync(user)).FirstOrDefault(p => PasskeySetup.IdOf(p.CredentialId) == id);
        return passkey is null ? null : (user, passkey);
    }

    // --- Helpers -------------------------------------------------------------------------------------

    /// <summary>When the passkey last signed its owner in, from the audit trail (Identity's passkey record has no such field).</summary>
    private Task<DateTimeOffset?> LastUsedAsync(string userId, string id, CancellationToken ct = default) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.ActorId == userId && e.Event == "auth.signin" && e.Details.Contains(id))
            .OrderByDescending(e => e.Sequence)
            .Select(e => (DateTimeOffset?)e.At)
            .FirstOrDefaultAsync(ct);

    /// <summary>Null when a ceremony's state is there to check; otherwise why not ("expired" or "no_ceremony").</summary>
    private async Task<string?> CeremonyMissingAsync()
    {
        var state = await Http.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        if (state.Succeeded)
        {
            return null;
        }

        await Http.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        return state.None ? "no_ceremony" : "expired";
    }

    /// <summary>Who a refused credential belongs to, for the audit entry (null when unknown).</summary>
    private async Task<string?> OwnerOfAsync(string credentialJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(credentialJson);
            if (doc.RootElement.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                && Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(idElement.GetString()!) is { Length: > 0 and <= 1023 } credentialId)
            {
                return (await users.FindByPasskeyIdAsync(credentialId))?.Id;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
        }

        return null;
    }

    public static string? CleanName(string? name)
    {
        var clean = name?.Trim();
        return string.IsNullOrEmpty(clean) || clean.Length > PasskeySetup.NameMaxLength || clean.Any(char.IsControl) ? null : clean;
    }

    private static bool IsJsonObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > MaxCredentialJson)
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The category of a refused ceremony, for the audit log. Identity's failures carry only a sentence.</summary>
    public static string Reason(PasskeyException? failure)
    {
        var m = failure?.Message ?? "";
        bool Has(string s) => m.Contains(s, StringComparison.OrdinalIgnoreCase);
        return m switch
        {
            SingleUsePasskeyHandler.Expired => "expired",
            SingleUsePasskeyHandler.Replayed => "replayed",
            SingleUsePasskeyHandler.Unknown => "invalid_state",
            _ when Has("signature was invalid") => "signature",
            _ when Has("signature counter") => "sign_count",
            _ when Has("'UserVerified'") => "user_not_verified",
            _ when Has("'UserPresent'") => "user_not_present",
            _ when Has("invalid origin") => "origin",
            _ when Has("Relying Party ID") => "rp_id",
            _ when Has("challenge") => "challenge",
            _ when Has("already registered") => "already_registered",
            _ when Has("does not belong") || Has("user handle") => "unknown_credential",
            _ when Has("'type'") || Has("credential type") => "wrong_type",
            _ when Has("JSON") || Has("format") || Has("byte count") || Has("null") => "malformed",
            _ => "invalid",
        };
    }

    /// <summary>The AAGUID (authenticator model) from an attestation object, for the audit log; null when absent.</summary>
    public static string? AaguidOf(byte[]? attestationObject)
    {
        if (attestationObject is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            var reader = new CborReader(attestationObject, CborConformanceMode.Lax);
            reader.ReadStartMap();
            while (reader.PeekState() != CborReaderState.EndMap)
            {
                var key = reader.PeekState() == CborReaderState.TextString ? reader.ReadTextString() : null;
                if (key == "authData")
                {
                    var authData = reader.ReadByteString();
                    // rpIdHash (32) ‖ flags (1) ‖ counter (4) ‖ AAGUID (16) when the AT flag (0x40) is set.
                    return authData.Length >= 53 && (authData[32] & 0x40) != 0 ? new Guid(authData.AsSpan(37, 16), bigEndian: true).ToString() : null;
                }

                if (key is null)
                {
                    reader.SkipValue();
                }

                reader.SkipValue();
            }
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException)
        {
        }

        return null;
    }

    private static Dictionary<string, string?> Details(params (string Key, string? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
