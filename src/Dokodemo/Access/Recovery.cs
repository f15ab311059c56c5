using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Access;

public sealed record RecoverRequest(string? Note);

public sealed record RecoveryOutcome(InviteLink Invite, int PasskeysRemoved, int SessionsEnded);

/// <summary>
/// Lost-factor recovery (R14): no self-service reset that could bypass MFA. An administrator re-verifies the person
/// (face to face, staff card …) and records how; every factor the person had then stops working — authenticator key,
/// recovery codes, passkeys — all their sessions end, and they get a fresh one-time enrolment invite to set up
/// a password and an authenticator again. The users page and the API call this.
/// </summary>
public sealed class Recovery(AppUserManager users, UserAdmin admin, Sessions sessions, RecentSignIn recent, AuditLog audit, ILogger<Recovery> logger)
{
    public const int NoteMaxLength = 500;

    public static readonly Error NoteRequired = Errors.Field("recovery.note_required", "note");
    public static readonly Error NoteTooLong = Errors.Field("recovery.note_too_long", "note");
    public static readonly Error Self = new("recovery.self", 409);
    public static readonly Error Disabled = new("recovery.disabled", 409);

    public static IEnumerable<Error> AllErrors => [NoteRequired, NoteTooLong, Self, Disabled];

    public async Task<Result<RecoveryOutcome>> RecoverAsync(string userId, string? note, string adminId, CancellationToken ct = default)
    {
        var clean = note?.Trim();
        if (string.IsNullOrEmpty(clean))
        {
            return NoteRequired;
        }

        if (clean.Length > NoteMaxLength)
        {
            return NoteTooLong;
        }

        // Another administrator re-verifies an administrator; no one vouches for themselves.
        if (string.Equals(userId, adminId, StringComparison.Ordinal))
        {
            return Self;
        }

        // Handing out a new enrolment link is as sensitive as the factors it replaces (R22).
        if (!await recent.IsRecentAsync(adminId))
        {
            return RecentSignIn.Required;
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Errors.NotFound;
        }

        if (user.IsDisabled)
        {
            return Disabled;
        }

        var passkeys = await users.GetPasskeysAsync(user);
        foreach (var passkey in passkeys)
        {
            await users.RemovePasskeyAsync(user, passkey.CredentialId);
        }

        // A new random key that no one holds: codes from the old app stop working. No recovery codes are left.
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        // Not enrolled until the invite is used: the password alone never starts a sign-in (SignIn refuses it).
        user.LastTotpStep = null;
        user.LockoutCount = 0;
        await users.SetTwoFactorEnabledAsync(user, false);
        // The administrator has re-verified the person: a lockout from their failed attempts no longer stands.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        var ended = await sessions.EndAllAsync(user.Id, ct);

        // Issuing the invite ends any older one.
        var invite = await admin.IssueInviteAsync(user, adminId, ct);
        logger.LogWarning("Account {UserId} recovered by {AdminId}: factors removed, sessions ended, new invite issued", user.Id, adminId);
        await audit.WriteAsync("account.recovered", AuditOutcome.Success, actorId: adminId, subjectId: user.Id, details: new Dictionary<string, string?>
        {
            ["note"] = clean,
            ["passkeys_removed"] = passkeys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["sessions_ended"] = ended.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, ct: ct);
        return new RecoveryOutcome(invite, passkeys.Count, ended);
    }
}

/// <summary>POST /api/v1/users/{id}/recover (administrators).</summary>
public static class RecoveryApi
{
    public static void MapRecoveryApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/users/{id}/recover", Recover).WithTags("Users").RequireAuthorization(Policies.Admin);

    public static async Task<Results<Ok<RecoveryOutcome>, ProblemHttpResult>> Recover(string id, RecoverRequest request, CurrentUser me, Recovery recovery, CancellationToken ct)
    {
        var result = await recovery.RecoverAsync(id, request.Note, me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }
}
