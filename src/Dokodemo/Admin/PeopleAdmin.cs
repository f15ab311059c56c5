using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Admin;

public sealed record RolesRequest(IReadOnlyList<string>? Roles);

public sealed record ContractEndRequest(DateOnly? ContractEnd);

public sealed record PersonDetail(string Id, string Email, string DisplayName, AccountKind Kind, IReadOnlyList<string> Roles, DateOnly? ContractEnd,
    bool Disabled, bool Enrolled, IReadOnlyList<DeviceDto> Devices, IReadOnlyList<Sessions.SessionDto> Sessions, IReadOnlyList<AbroadPeriodDto> AbroadPeriods);

public sealed record OffboardResult(int SessionsEnded, int DevicesRemoved);

/// <summary>
/// A person's access as an administrator manages it: roles, contract end, offboarding. Every change is decided on at
/// the next request (the decision point reads roles and contract ends from the database, not from the session).
/// </summary>
public sealed class PeopleAdmin(AppDbContext db, AppUserManager users, Subjects subjects, Sessions sessions, Devices devices, AccessAdmin access,
    UserAdmin userAdmin, AuditLog audit)
{
    public async Task<Result<PersonDetail>> DetailAsync(string id, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return Errors.UserNotFound;
        }

        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        return new PersonDetail(user.Id, user.Email ?? "", user.DisplayName, user.Kind, roles, user.ContractEnd, user.IsDisabled, user.TwoFactorEnabled,
            await devices.ListAsync(user.Id, null, ct), await sessions.ListAsync(user.Id, null, ct), await access.AbroadPeriodsAsync(user.Id, ct));
    }

    /// <summary>Replaces a person's roles. Removing a role takes effect within <see cref="Subjects.CacheFor"/> everywhere.</summary>
    public async Task<Result<IReadOnlyList<string>>> SetRolesAsync(string id, IReadOnlyList<string>? roles, string actorId, CancellationToken ct)
    {
        var wanted = (roles ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown)
        {
            return Errors.Field("user.role_unknown", "roles") with { Details = new Dictionary<string, object?> { ["field"] = "roles", ["value"] = unknown } };
        }

        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return Errors.UserNotFound;
        }

        if (id == actorId && !wanted.Contains(Roles.Admin))
        {
            // An administrator cannot take their own administration away by mistake; another administrator can.
            return new Error("user.cannot_demote_self", 409);
        }

        var current = await users.GetRolesAsync(user);
        var remove = current.Except(wanted).ToList();
        var add = wanted.Except(current).ToList();
        if (remove.Count > 0)
        {
            await users.RemoveFromRolesAsync(user, remove);
        }

        if (add.Count > 0)
        {
            await users.AddToRolesAsync(user, add);
        }

        subjects.Invalidate(id);
        await audit.WriteAsync("roles.changed", AuditOutcome.Success, actorId: actorId, subjectId: id, details: new Dictionary<string, string?>
        {
            ["added"] = string.Join(',', add), ["removed"] = string.Join(',', remove),
        }, ct: ct);
        return wanted;
    }

    /// <summary>Sets or clears the day after which a side-job worker or partner can no longer sign in or be served.</summary>
    public async Task<Result<DateOnly?>> SetContractEndAsync(string id, DateOnly? end, string actorId, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Errors.UserNotFound;
        }

        var before = user.ContractEnd;
        user.ContractEnd = end;
        await db.SaveChangesAsync(ct);
        subjects.Invalidate(id);
        await audit.WriteAsync("contract.changed", AuditOutcome.Success, actorId: actorId, subjectId: id, details: new Dictionary<string, string?>
        {
            ["before"] = before?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["after"] = end?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, ct: ct);
        return end;
    }

    /// <summary>
    /// Offboarding: the account is disabled, every session ends, every device is removed; approved periods abroad
    /// no longer open anything, since a disabled person has no access subject. Memberships and the record of what the person did stay (the audit trail, later their messages).
    /// </summary>
    public async Task<Result<OffboardResult>> OffboardAsync(string id, string actorId, CancellationToken ct)
    {
        if (id == actorId)
        {
            return new Error("user.cannot_disable_self", 409);
        }

        var disabled = await userAdmin.DisableAsync(id, actorId, ct);
        if (!disabled.Ok)
        {
            return disabled.Error!;
        }

        var ended = await sessions.EndAllAsync(id, ct);
        var removed = await devices.RemoveAllAsync(id, ct);
        subjects.Invalidate(id);
        await audit.WriteAsync("account.offboarded", AuditOutcome.Success, actorId: actorId, subjectId: id, details: new Dictionary<string, string?>
        {
            ["devices_removed"] = removed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, ct: ct);
        return new OffboardResult(ended, removed);
    }
}

/// <summary>/api/v1/users/{id}: one person's access, for administrators.</summary>
public static class PeopleAdminApi
{
    public static void MapPeopleAdminApi(this IEndpointRouteBuilder app)
    {
        var person = app.MapGroup("/api/v1/users/{id}").WithTags("Users").RequireAuthorization(Policies.Admin);
        person.MapGet("", Detail);
        person.MapPut("/roles", SetRoles);
        person.MapPut("/contract-end", SetContractEnd);
        person.MapPost("/offboard", Offboard);
    }

    public static async Task<Results<Ok<PersonDetail>, ProblemHttpResult>> Detail(string id, PeopleAdmin admin, CancellationToken ct) =>
        Respond(await admin.DetailAsync(id, ct));

    public static async Task<Results<Ok<IReadOnlyList<string>>, ProblemHttpResult>> SetRoles(string id, RolesRequest request, PeopleAdmin admin, CurrentUser me, CancellationToken ct) =>
        Respond(await admin.SetRolesAsync(id, request.Roles, me.Id, ct));

    public static async Task<Results<Ok<DateOnly?>, ProblemHttpResult>> SetContractEnd(string id, ContractEndRequest request, PeopleAdmin admin, CurrentUser me, CancellationToken ct) =>
        Respond(await admin.SetContractEndAsync(id, request.ContractEnd, me.Id, ct));

    public static async Task<Results<Ok<OffboardResult>, ProblemHttpResult>> Offboard(string id, PeopleAdmin admin, CurrentUser me, CancellationToken ct) =>
        Respond(await admin.OffboardAsync(id, me.Id, ct));

    private static Results<Ok<T>, ProblemHttpResult> Respond<T>(Result<T> result) =>
        result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
}
