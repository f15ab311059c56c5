using Dokodemo.Domain.Accounts;

namespace Dokodemo.Domain.Access;

/// <summary>
/// The access decision point (PDP): one pure function from (subject, device, context, resource, action) to
/// allow, deny or step-up, with a reason and a remedy. Default deny; an explicit deny wins over every allow;
/// "require" rules add conditions on top of an allow (機密性3 needs a trusted device and a recent passkey).
/// The policy is compiled once into per-resource-type arrays of bit masks, so a decision is a few loops over
/// small arrays: no allocation, no I/O, no clock (the time is in the context).
/// </summary>
public sealed class DecisionPoint
{
    private readonly Dictionary<string, RuleSet> byType;
    private readonly CompiledRule[] all;

    public PolicyDocument Policy { get; }
    public int Version => Policy.Version;

    public DecisionPoint(PolicyDocument policy, IEnumerable<string> resourceTypes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        all = [.. policy.Rules.Where(r => r.Enabled).Select(r => new CompiledRule(r))];
        byType = new Dictionary<string, RuleSet>(StringComparer.Ordinal);
        foreach (var type in resourceTypes.Distinct(StringComparer.Ordinal))
        {
            byType[type] = RuleSet.For(all, type);
        }
    }

    /// <summary>Decides one request.</summary>
    public Decision Decide(Subject subject, DeviceState device, in AccessContext context, in ResourceRef resource, AccessAction action)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var rules = byType.TryGetValue(resource.Type, out var set) ? set : RuleSet.For(all, resource.Type);
        var home = Policy.HomeCountry;

        // 1. An explicit deny wins.
        foreach (var r in rules.Deny)
        {
            if (r.Targets(subject, resource, action) && r.AnySetHolds(subject, device, context, home))
            {
                return new Decision(Verdict.Deny, DenyReason.ExplicitDeny, r.Rule.Remedy ?? Remedy.ContactAdministrator, r.Rule, Version);
            }
        }

        // 2. Some allow must hold. If one targets the request but its conditions fail, say which.
        CompiledRule? allowed = null;
        var nearest = default(Failure);
        CompiledRule? nearestRule = null;
        foreach (var r in rules.Allow)
        {
            if (!r.Targets(subject, resource, action))
            {
                continue;
            }

            var failure = r.FirstFailure(subject, device, context, home);
            if (failure.Reason == DenyReason.None)
            {
                allowed = r;
                break;
            }

            if (nearestRule is null)
            {
                nearest = failure;
                nearestRule = r;
            }
        }

        if (allowed is null)
        {
            return nearestRule is null
                ? new Decision(Verdict.Deny, DenyReason.NoRule, Remedy.ContactAdministrator, null, Version)
                : Refuse(nearest, nearestRule);
        }

        // 3. Every matching requirement must be met; a failure that re-authentication cannot fix is reported first.
        var stepUp = default(Failure);
        CompiledRule? stepUpRule = null;
        foreach (var r in rules.Require)
        {
            if (!r.Targets(subject, resource, action))
            {
                continue;
            }

            var failure = r.FirstFailure(subject, device, context, home);
            if (failure.Reason == DenyReason.None)
            {
                continue;
            }

            if (!failure.StepUp)
            {
                return Refuse(failure, r);
            }

            if (stepUpRule is null)
            {
                stepUp = failure;
                stepUpRule = r;
            }
        }

        return stepUpRule is null
            ? new Decision(Verdict.Allow, DenyReason.None, Remedy.None, allowed.Rule, Version)
            : Refuse(stepUp, stepUpRule);
    }

    private Decision Refuse(Failure failure, CompiledRule rule) =>
        new(failure.StepUp ? Verdict.StepUp : Verdict.Deny, failure.Reason, rule.Rule.Remedy ?? failure.Remedy, rule.Rule, Version);

    /// <summary>
    /// The same decision with every rule's verdict, for the "could this person do that?" page and the policy preview.
    /// Allocates; never on the request path.
    /// </summary>
    public (Decision Decision, IReadOnlyList<RuleTrace> Trace) Explain(Subject subject, DeviceState device, in AccessContext context, in ResourceRef resource, AccessAction action)
    {
        var decision = Decide(subject, device, context, resource, action);
        var trace = new List<RuleTrace>();
        var type = resource.Type;
        foreach (var r in all)
        {
            var typed = r.Rule.Resources.Any(p => ResourcePattern.Matches(p, type));
            if (!typed)
            {
                continue;
            }

            var targets = r.Targets(subject, resource, action);
            var failure = targets ? r.FirstFailure(subject, device, context, Policy.HomeCountry) : default;
            trace.Add(new RuleTrace(r.Rule, targets, targets && failure.Reason == DenyReason.None, failure.Reason));
        }

        return (decision, trace);
    }

    internal readonly record struct Failure(DenyReason Reason, Remedy Remedy, bool StepUp);

    private sealed class RuleSet(CompiledRule[] deny, CompiledRule[] allow, CompiledRule[] require)
    {
        public CompiledRule[] Deny { get; } = deny;
        public CompiledRule[] Allow { get; } = allow;
        public CompiledRule[] Require { get; } = require;

        public static RuleSet For(CompiledRule[] rules, string type)
        {
            var matching = rules.Where(r => r.Rule.Resources.Any(p => ResourcePattern.Matches(p, type))).ToArray();
            return new RuleSet(
                [.. matching.Where(r => r.Rule.Effect == RuleEffect.Deny)],
                [.. matching.Where(r => r.Rule.Effect == RuleEffect.Allow)],
                [.. matching.Where(r => r.Rule.Effect == RuleEffect.Require)]);
        }
    }

    internal sealed class CompiledRule
    {
        private readonly uint kinds;
        private readonly RoleSet roles;
        private readonly uint actions;
        private readonly Confidentiality minLevel;
        private readonly Confidentiality maxLevel;
        private readonly ResourceFlags flags;
        private readonly Relation relations;
        private readonly CompiledCondition[] sets;

        public PolicyRule Rule { get; }

        public CompiledRule(PolicyRule rule)
        {
            Rule = rule;
            foreach (var k in rule.Kinds)
            {
                kinds |= 1u << (int)k;
            }

            roles = RoleSets.Of(rule.Roles);
            foreach (var a in rule.Actions)
            {
                actions |= 1u << (int)a;
            }

            minLevel = rule.MinLevel;
            maxLevel = rule.MaxLevel;
            foreach (var f in rule.Flags)
            {
                flags |= f;
            }

            foreach (var r in rule.Relations)
            {
                relations |= r;
            }

            sets = [.. rule.When.Select(c => new CompiledCondition(c))];
        }

        public bool Targets(Subject s, in ResourceRef r, AccessAction a) =>
            (kinds == 0 || (kinds & (1u << (int)s.Kind)) != 0) &&
            (roles == RoleSet.None || (roles & s.Roles) != 0) &&
            (actions == 0 || (actions & (1u << (int)a)) != 0) &&
            r.Level >= minLevel && r.Level <= maxLevel &&
            (r.Flags & flags) == flags &&
            (relations == Relation.None || (relations & r.Relation) != 0);

        public bool AnySetHolds(Subject s, DeviceState d, in AccessContext c, string home) =>
            FirstFailure(s, d, c, home).Reason == DenyReason.None;

        /// <summary>None when some set holds; otherwise the failure of the first set.</summary>
        public Failure FirstFailure(Subject s, DeviceState d, in AccessContext c, string home)
        {
            if (sets.Length == 0)
            {
                return default;
            }

            var first = default(Failure);
            for (var i = 0; i < sets.Length; i++)
            {
                var f = sets[i].Check(s, d, c, home);
                if (f.Reason == DenyReason.None)
                {
                    return default;
                }

                if (i == 0)
                {
                    first = f;
                }
            }

            return first;
        }
    }

    private sealed class CompiledCondition(PolicyCondition c)
    {
        private readonly uint zones = c.Zones.Aggregate(0u, (m, z) => m | (1u << (int)z));
        private readonly uint days = c.Days.Aggregate(0u, (m, d) => m | (1u << (int)d));
        private readonly long maxAgeTicks = c.MaxAuthAgeHours is { } h ? TimeSpan.FromHours(h).Ticks : long.MaxValue;

        /// <summary>Checks in an order that reports what the person can least easily change first.</summary>
        public Failure Check(Subject s, DeviceState d, in AccessContext ctx, string home)
        {
            if (c.Contract is { } contract)
            {
                var active = s.ContractEnd is not { } end || ctx.LocalDate <= end;
                if (active != (contract == ContractCondition.Active))
                {
                    return new(DenyReason.Contract, Remedy.ContactAdministrator, false);
                }
            }

            if (c.Location is { } location)
            {
                var domestic = string.Equals(ctx.Country, home, StringComparison.OrdinalIgnoreCase);
                var ok = location switch
                {
                    LocationCondition.Domestic => domestic,
                    LocationCondition.DomesticOrApproved => domestic || s.HasWindowFor(ctx.Country, ctx.LocalDate),
                    LocationCondition.Abroad => !domestic,
                };
                if (!ok)
                {
                    return new(DenyReason.Location, Remedy.RequestAbroadPeriod, false);
                }
            }

            if (days != 0 && (days & (1u << (int)ctx.DayType)) == 0)
            {
                return new(DenyReason.Time, Remedy.WaitForWorkingHours, false);
            }

            if (c.From is { } from && c.To is { } to && (ctx.LocalTime < from || ctx.LocalTime >= to))
            {
                return new(DenyReason.Time, Remedy.WaitForWorkingHours, false);
            }

            if (zones != 0 && (zones & (1u << (int)ctx.Zone)) == 0)
            {
                return new(DenyReason.Network, Remedy.UseTownNetwork, false);
            }

            if (c.MinDevice is { } minDevice && d.Trust < minDevice)
            {
                return new(DenyReason.DeviceTrust, minDevice == DeviceTrust.Managed ? Remedy.UseManagedDevice : Remedy.RegisterDevice, false);
            }

            if (c.MinStrength is { } minStrength && ctx.Strength < minStrength)
            {
                return new(DenyReason.AuthStrength, minStrength == AuthStrength.Passkey ? Remedy.SignInWithPasskey : Remedy.SignInAgain, true);
            }

            if ((ctx.Now - ctx.AuthenticatedAt).Ticks > maxAgeTicks)
            {
                return new(DenyReason.AuthAge, c.MinStrength == AuthStrength.Passkey ? Remedy.SignInWithPasskey : Remedy.SignInAgain, true);
            }

            return default;
        }
    }
}

/// <summary>One rule's part in a decision, for explanations.</summary>
public sealed record RuleTrace(PolicyRule Rule, bool Targets, bool Holds, DenyReason Failure);

/// <summary>The subject kinds as names, so tests and the UI can list them.</summary>
public static class KindNames
{
    public static IReadOnlyList<AccountKind> Outsiders { get; } = [AccountKind.SideJobWorker, AccountKind.Partner];
    public static IReadOnlyList<AccountKind> Insiders { get; } = [AccountKind.Staff, AccountKind.PartTimeStaff];
}
