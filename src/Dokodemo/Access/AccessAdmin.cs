using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Access;

/// <summary>A typical situation a person asks from, used by the policy preview.</summary>
public sealed record Scenario(string Id, NetworkZone Zone, DeviceTrust Device, AuthStrength Strength, string Country);

public sealed record AccessChange(string UserId, string Name, string Resource, AccessAction Action, string Scenario, Verdict Before, Verdict After);

public sealed record RuleView(string Id, RuleEffect Effect, bool Enabled, string Japanese, string English, string Note);

public sealed record PolicyView(int Version, string Json, IReadOnlyList<RuleView> Rules);

public sealed record PolicyPreview(int BasedOn, IReadOnlyList<RuleView> Rules, int GainCount, int LossCount,
    IReadOnlyList<AccessChange> Gains, IReadOnlyList<AccessChange> Losses, bool LocksOutAdministrators, IReadOnlyList<PolicyError> Errors);

public sealed record SavePolicyRequest(string? Json, int BasedOn, string? Comment);

public sealed record CheckRequest(string? UserId, string? Resource, AccessAction Action, string? ObjectId, Relation Relation,
    NetworkZone Zone, string? Country, Guid? DeviceId, DeviceTrust? DeviceTrust, AuthStrength Strength, double AuthHoursAgo, DateTimeOffset? At);

public sealed record RuleTraceView(string Id, RuleEffect Effect, string Japanese, bool Targets, bool Holds, DenyReason Failure);

public sealed record CheckResult(Verdict Verdict, DenyReason Reason, Remedy Remedy, string? Rule, int PolicyVersion, Confidentiality Level,
    ResourceFlags Flags, DeviceTrust DeviceTrust, DayType DayType, IReadOnlyList<RuleTraceView> Trace);

/// <summary>An approved period abroad (from an approved telework request): who, where, when, and who approved it.</summary>
public sealed record AbroadPeriodDto(Guid Id, string UserId, string Name, string Country, string TimeZone, DateOnly From, DateOnly To,
    string? ApprovedById, string ApprovedBy, DateTimeOffset? ApprovedAt, string Reason);

/// <summary>
/// The security admin's side of Access: read and change the policy with a preview of who gains or loses access,
/// answer "could this person do that, and why not?", and list the approved periods abroad.
/// </summary>
public sealed class AccessAdmin(AppDbContext db, PolicyStore store, Subjects subjects, Labels labels, Devices devices, TownClock town)
{
    /// <summary>At most this many changes of each kind are listed; the counts are always complete.</summary>
    public const int MaxListed = 300;

    public static IReadOnlyList<Scenario> Scenarios { get; } =
    [
        new("office", NetworkZone.Town, DeviceTrust.Managed, AuthStrength.Passkey, "JP"),
        new("home", NetworkZone.Internet, DeviceTrust.Registered, AuthStrength.Mfa, "JP"),
        new("new_device", NetworkZone.Internet, DeviceTrust.Unknown, AuthStrength.Mfa, "JP"),
        new("abroad", NetworkZone.Internet, DeviceTrust.Registered, AuthStrength.Passkey, "US"),
    ];

    public static IReadOnlyList<RuleView> Describe(PolicyDocument policy) =>
        [.. policy.Rules.Select(r => new RuleView(r.Id, r.Effect, r.Enabled, PolicyText.Describe(r, true), PolicyText.Describe(r, false), r.Note))];

    public async Task<PolicyView> CurrentAsync(CancellationToken ct)
    {
        var pdp = await store.CurrentAsync(ct);
        return new PolicyView(pdp.Version, pdp.Policy.ToJson(), Describe(pdp.Policy));
    }

    /// <summary>Compares the policy in force with a candidate for every active person, resource and action in typical situations.</summary>
    public async Task<PolicyPreview> PreviewAsync(string? json, CancellationToken ct)
    {
        var current = await store.CurrentAsync(ct);
        var (candidate, errors) = PolicyDocument.Parse(json ?? "", ResourceTypes.Ids);
        if (candidate is null)
        {
            return new PolicyPreview(current.Version, [], 0, 0, [], [], false, errors);
        }

        var next = PolicyStore.Compile(candidate with { Version = current.Version + 1 });
        var people = await subjects.AllAsync(ct);
        var gains = new List<AccessChange>();
        var losses = new List<AccessChange>();
        int gainCount = 0, lossCount = 0;
        foreach (var (subject, name) in people)
        {
            foreach (var (resource, action, scenario, context, device) in await SituationsAsync(ct))
            {
                var before = current.Decide(subject, device, context, resource, action).Verdict;
                var after = next.Decide(subject, device, context, resource, action).Verdict;
                if (before == after)
                {
                    continue;
                }

                var change = new AccessChange(subject.Id, name, resource.Type, action, scenario, before, after);
                if (after == Verdict.Allow)
                {
                    gainCount++;
                    if (gains.Count < MaxListed)
                    {
                        gains.Add(change);
                    }
                }
                else if (before == Verdict.Allow)
                {
                    lossCount++;
                    if (losses.Count < MaxListed)
                    {
                        losses.Add(change);
                    }
                }
            }
        }

        var locksOut = !await KeepsAnAdministratorAsync(next, ct);
        return new PolicyPreview(current.Version, Describe(candidate), gainCount, lossCount, gains, losses, locksOut, []);
    }

    /// <summary>
    /// Rules of the default policy for resource types the policy in force never names — what a town whose policy was
    /// saved before a capability (Work, the calendar …) arrived lacks. Deny by default means those features are closed
    /// to everyone until an administrator adds rules; this offers the default ones.
    /// </summary>
    public static IReadOnlyList<PolicyRule> MissingDefaults(PolicyDocument current)
    {
        var named = current.Rules.SelectMany(r => r.Resources).Where(r => r != "*" && !r.EndsWith(".*", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var ids = current.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return [.. DefaultPolicy.Create().Rules.Where(r => r.Effect == RuleEffect.Allow && !ids.Contains(r.Id)
            && r.Resources.Count > 0 && r.Resources.All(t => t != "*" && !t.EndsWith(".*", StringComparison.Ordinal) && !named.Contains(t)))];
    }

    public async Task<IReadOnlyList<RuleView>> MissingDefaultsAsync(CancellationToken ct) =>
        Describe(new PolicyDocument { Rules = MissingDefaults((await store.CurrentAsync(ct)).Policy) });

    /// <summary>Saves a new version: the policy in force plus <see cref="MissingDefaults"/> (checked like any save).</summary>
    public async Task<Result<int>> AddMissingDefaultsAsync(string actorId, CancellationToken ct)
    {
        var pdp = await store.CurrentAsync(ct);
        var missing = MissingDefaults(pdp.Policy);
        if (missing.Count == 0)
        {
            return Errors.PolicyNothingToAdd;
        }

        var candidate = pdp.Policy with { Rules = [.. pdp.Policy.Rules, .. missing] };
        return await store.SaveAsync(candidate, pdp.Version, actorId, "既定のルールを追加: " + string.Join(", ", missing.Select(r => r.Id)),
            next => KeepsAnAdministratorAsync(next, ct), ct);
    }

    public async Task<Result<int>> SaveAsync(SavePolicyRequest request, string actorId, CancellationToken ct)
    {
        var (candidate, errors) = PolicyDocument.Parse(request.Json ?? "", ResourceTypes.Ids);
        if (candidate is null)
        {
            return Errors.PolicyInvalid with { Details = new Dictionary<string, object?> { ["policyErrors"] = errors } };
        }

        return await store.SaveAsync(candidate, request.BasedOn, actorId, request.Comment ?? "", pdp => KeepsAnAdministratorAsync(pdp, ct), ct);
    }

    /// <summary>
    /// A policy must leave at least one active administrator (or security admin) able to change the policy again,
    /// from the town network on a managed device with a fresh passkey — otherwise nobody could undo it.
    /// </summary>
    public async Task<bool> KeepsAnAdministratorAsync(DecisionPoint pdp, CancellationToken ct)
    {
        var best = ContextFor(Scenarios[0], town.Today);
        var resource = await labels.ResolveAsync(ResourceTypes.AdminPolicy, null, Relation.None, ct);
        var admins = (await subjects.AllAsync(ct)).Select(p => p.Subject)
            .Where(s => (s.Roles & (RoleSet.Admin | RoleSet.SecurityAdmin)) != 0).ToList();
        // A fresh install without administrators yet cannot lock anyone out.
        return admins.Count == 0 || admins.Any(s => pdp.Decide(s, new DeviceState(DeviceTrust.Managed), best, resource, AccessAction.Administer).IsAllowed);
    }

    private AccessContext ContextFor(Scenario s, DateOnly day)
    {
        // A fixed working-day morning, so a preview does not depend on when it is looked at.
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), town.Zone.GetUtcOffset(day.ToDateTime(new TimeOnly(10, 0))));
        return new AccessContext(at, day, new TimeOnly(10, 0), DayType.Workday, s.Zone, s.Country, s.Strength, at.AddMinutes(-30));
    }

    private async Task<List<(ResourceRef, AccessAction, string, AccessContext, DeviceState)>> SituationsAsync(CancellationToken ct)
    {
        var list = new List<(ResourceRef, AccessAction, string, AccessContext, DeviceState)>();
        var today = town.Today;
        foreach (var type in ResourceTypes.All)
        {
            var relation = type.Id switch
            {
                ResourceTypes.Self => Relation.Self,
                ResourceTypes.Project or ResourceTypes.Channel => Relation.Member,
                _ => Relation.None,
            };
            var resource = await labels.ResolveAsync(type.Id, null, relation, ct);
            foreach (var action in Enum.GetValues<AccessAction>())
            {
                foreach (var s in Scenarios)
                {
                    list.Add((resource, action, s.Id, ContextFor(s, today), new DeviceState(s.Device)));
                }
            }
        }

        return list;
    }

    /// <summary>"Could this person do that, from this device and place, and why not?"</summary>
    public async Task<Result<CheckResult>> CheckAsync(CheckRequest request, CancellationToken ct)
    {
        if (request.UserId is null || await subjects.GetAsync(request.UserId, ct) is not { } subject)
        {
            return Errors.UserNotFound;
        }

        if (request.Resource is null || ResourceTypes.Find(request.Resource) is null)
        {
            return Errors.Field("access.resource_unknown", "resource");
        }

        var country = (request.Country ?? "JP").Trim().ToUpperInvariant();
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
        {
            return Errors.CountryInvalid;
        }

        var trust = request.DeviceTrust ?? DeviceTrust.Unknown;
        if (request.DeviceId is { } deviceId)
        {
            var owned = await db.Devices.AsNoTracking().AnyAsync(d => d.Id == deviceId && d.UserId == subject.Id && d.RemovedAt == null, ct);
            if (!owned)
            {
                return Errors.DeviceNotFound;
            }

            trust = await devices.TrustOfAsync(deviceId, ct);
        }

        var at = request.At ?? town.Now;
        var (date, time) = town.Local(at);
        var hours = Math.Clamp(request.AuthHoursAgo, 0, 24 * 30);
        var context = new AccessContext(at, date, time, town.DayTypeOf(date), request.Zone, country, request.Strength, at.AddHours(-hours));
        var objectId = string.IsNullOrWhiteSpace(request.ObjectId) ? null : request.ObjectId.Trim();
        var resource = await labels.ResolveAsync(request.Resource, objectId, request.Relation, ct);
        var pdp = await store.CurrentAsync(ct);
        var (decision, trace) = pdp.Explain(subject, new DeviceState(trust), context, resource, request.Action);
        return new CheckResult(decision.Verdict, decision.Reason, decision.Remedy, decision.Rule?.Id, decision.PolicyVersion, resource.Level, resource.Flags,
            trust, context.DayType,
            [.. trace.Select(t => new RuleTraceView(t.Rule.Id, t.Rule.Effect, PolicyText.Describe(t.Rule, true), t.Targets, t.Holds, t.Failure))]);
    }

    /// <summary>
    /// Approved periods abroad, newest first. They are decided by the person's approvers in Work (telework requests);
    /// the security admin sees them here, since they open the access policy's "abroad" condition.
    /// </summary>
    public async Task<IReadOnlyList<AbroadPeriodDto>> AbroadPeriodsAsync(string? userId, CancellationToken ct)
    {
        var query = db.TeleworkRequests.AsNoTracking()
            .Where(r => r.Kind == Work.Places.TeleworkKind.Abroad && r.State == Work.Places.TeleworkState.Approved);
        if (userId is not null)
        {
            query = query.Where(r => r.UserId == userId);
        }

        var rows = await query.OrderByDescending(r => r.From).Take(500)
            .Select(r => new { r.Id, r.UserId, r.Country, r.TimeZone, r.From, r.To, r.DecidedById, r.DecidedAt, r.Reason }).ToListAsync(ct);
        var ids = rows.Select(r => r.UserId).Concat(rows.Select(r => r.DecidedById ?? "")).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. rows.Select(r => new AbroadPeriodDto(r.Id, r.UserId, names.GetValueOrDefault(r.UserId, r.UserId), r.Country ?? "", r.TimeZone ?? "",
            r.From, r.To, r.DecidedById, r.DecidedById is null ? "" : names.GetValueOrDefault(r.DecidedById, r.DecidedById), r.DecidedAt, r.Reason))];
    }
}
