using System.Security.Claims;
using Dokodemo.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>
/// "Ask the decision point about this resource type." Reads (GET, HEAD) use <see cref="Read"/>; every other method
/// uses <see cref="Write"/>. <see cref="Relation"/> is what the endpoint guarantees about the object: <c>self</c> for
/// endpoints that only ever touch the caller's own account.
/// </summary>
public sealed record AccessRequirement(string ResourceType, AccessAction Read, AccessAction Write, Relation Relation) : IAuthorizationRequirement
{
    public AccessAction ActionFor(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? Read : Write;
}

/// <summary>
/// Named policies "access:{type}:{read action}:{write action}:{relation}" become an <see cref="AccessRequirement"/>,
/// so pages (<c>[Authorize(Policy = …)]</c>) and endpoints (<c>RequireAuthorization(…)</c>) declare what they serve and
/// the one decision point decides (STYLE.md §13).
/// </summary>
public sealed class AccessPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public const string Prefix = "access:";

    // Asked on every request: each name is parsed and built once, not per request (P1 hot path).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<AuthorizationPolicy?>> built = new(StringComparer.Ordinal);

    public override Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        ArgumentNullException.ThrowIfNull(policyName);
        return policyName.StartsWith(Prefix, StringComparison.Ordinal)
            ? built.GetOrAdd(policyName, name => Task.FromResult<AuthorizationPolicy?>(
                new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(Parse(name)).Build()))
            : base.GetPolicyAsync(policyName);
    }

    public static AccessRequirement Parse(string policyName)
    {
        var parts = policyName[Prefix.Length..].Split(':');
        if (parts.Length != 4 || ResourceTypes.Find(parts[0]) is null ||
            !Enum.TryParse<AccessAction>(parts[1], ignoreCase: true, out var read) ||
            !Enum.TryParse<AccessAction>(parts[2], ignoreCase: true, out var write) ||
            !Enum.TryParse<Relation>(parts[3], ignoreCase: true, out var relation))
        {
            throw new InvalidOperationException($"Malformed access policy name '{policyName}'.");
        }

        return new AccessRequirement(parts[0], read, write, relation);
    }
}

/// <summary>The enforcement point: every request's decision comes from here.</summary>
public sealed class AccessHandler(AccessEvaluator evaluator) : AuthorizationHandler<AccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        // The authorization middleware passes the request as the resource; anything else is not a request and is not allowed.
        if (context.Resource is not HttpContext http)
        {
            return;
        }

        var decision = await evaluator.DecideAsync(http, context.User, requirement.ResourceType, requirement.ActionFor(http.Request.Method), null, requirement.Relation, http.RequestAborted);
        if (decision.IsAllowed)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, decision.Reason.ToString()));
        }
    }
}

/// <summary>
/// Gathers the attributes (subject, device, context, resource label) for one request and asks the decision point.
/// Denials are recorded in the request for the denied page / ProblemDetails, and in the audit log (R43), at most once
/// a minute per person, resource and reason so a refused page that reloads does not flood the log.
/// </summary>
public sealed class AccessEvaluator(PolicyStore policies, Subjects subjects, Devices devices, Labels labels, RequestPlace place,
    TownClock town, AuditLog audit, IMemoryCache cache)
{
    public const string DecisionKey = "dokodemo:decision";

    public async ValueTask<Decision> DecideAsync(HttpContext http, ClaimsPrincipal user, string resourceType, AccessAction action, string? objectId,
        Relation relation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        var pdp = await policies.CurrentAsync(ct);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var subject = userId is null ? null : await subjects.GetAsync(userId, ct);
        Decision decision;
        if (subject is null)
        {
            decision = new Decision(Verdict.Deny, DenyReason.NoRule, Remedy.ContactAdministrator, null, pdp.Version);
        }
        else
        {
            var session = Sessions.Current(http);
            var device = new DeviceState(await devices.TrustOfAsync(session?.DeviceId, ct));
            var context = ContextFor(http, session);
            var resource = await labels.ResolveAsync(resourceType, objectId, relation, ct);
            decision = pdp.Decide(subject, device, context, resource, action);
        }

        if (!decision.IsAllowed)
        {
            http.Items[DecisionKey] = decision;
            await RecordDenialAsync(http, userId, resourceType, objectId, action, decision, ct);
        }

        return decision;
    }

    /// <summary>The context of a request: where, when, and how the session was authenticated.</summary>
    public AccessContext ContextFor(HttpContext http, SessionInfo? session)
    {
        var now = town.Now;
        var (date, time) = town.Local(now);
        var where = place.Of(http);
        return new AccessContext(now, date, time, town.DayTypeOf(date), where.Zone, where.Country,
            StrengthOf(session?.AuthMethod), session?.AuthenticatedAt ?? DateTimeOffset.MinValue);
    }

    public static AuthStrength StrengthOf(string? method) => method switch
    {
        "passkey" => AuthStrength.Passkey,
        "pwd+totp" or "pwd+recovery" or "persona" => AuthStrength.Mfa,
        _ => AuthStrength.Password,
    };

    private async Task RecordDenialAsync(HttpContext http, string? userId, string type, string? objectId, AccessAction action, Decision decision, CancellationToken ct)
    {
        var key = ("denial", userId, type, objectId, action, decision.Reason);
        if (cache.TryGetValue(key, out _))
        {
            return;
        }

        cache.Set(key, true, TimeSpan.FromMinutes(1));
        await audit.WriteAsync(decision.Verdict == Verdict.StepUp ? "access.step_up" : "access.denied", AuditOutcome.Failure, actorId: userId,
            details: new Dictionary<string, string?>
            {
                ["resource"] = type,
                ["object"] = objectId,
                ["action"] = action.ToString().ToLowerInvariant(),
                ["reason"] = decision.Reason.ToString(),
                ["remedy"] = decision.Remedy.ToString(),
                ["rule"] = decision.Rule?.Id,
                ["path"] = http.Request.Path.Value,
            }, decision: decision.Verdict == Verdict.StepUp ? "step_up" : "deny", policyVersion: decision.PolicyVersion, ct: ct);
    }
}

/// <summary>
/// Object- and field-level checks inside an endpoint (R27, R28): the same decision point, for one object or for the
/// rows of a list.
/// </summary>
public sealed class AccessCheck(AccessEvaluator evaluator, IHttpContextAccessor accessor, Labels labels)
{
    /// <summary>Objects of a type with a label of their own: the only ones a list must decide on one by one.</summary>
    public ValueTask<IReadOnlyCollection<string>> RelabelledAsync(string resourceType, CancellationToken ct = default) =>
        labels.RelabelledObjectsAsync(resourceType, ct);

    public async ValueTask<Decision> DecideAsync(string resourceType, AccessAction action, string? objectId, Relation relation = Relation.None, CancellationToken ct = default)
    {
        var http = accessor.HttpContext ?? throw new InvalidOperationException("An access check needs a request.");
        return await evaluator.DecideAsync(http, http.User, resourceType, action, objectId, relation, ct);
    }

    public async ValueTask<bool> AllowsAsync(string resourceType, AccessAction action, string? objectId, Relation relation = Relation.None, CancellationToken ct = default) =>
        (await DecideAsync(resourceType, action, objectId, relation, ct)).IsAllowed;
}
