using System.Text.Json;
using System.Text.Json.Serialization;
using Dokodemo.Domain.Accounts;

namespace Dokodemo.Domain.Access;

public enum RuleEffect
{
    /// <summary>Grants access when its target matches and one of its condition sets holds.</summary>
    Allow = 0,

    /// <summary>Refuses access when its target matches and one of its condition sets holds. Deny wins over every allow.</summary>
    Deny = 1,

    /// <summary>A condition every matching request must meet (one of its sets), on top of an allow.</summary>
    Require = 2,
}

public enum LocationCondition
{
    /// <summary>From the home country (日本).</summary>
    Domestic = 0,

    /// <summary>From the home country, or from a country for which the person has an approved period today.</summary>
    DomesticOrApproved = 1,

    /// <summary>From outside the home country.</summary>
    Abroad = 2,
}

public enum ContractCondition
{
    /// <summary>No contract end date, or it has not passed.</summary>
    Active = 0,

    /// <summary>The contract end date has passed.</summary>
    Ended = 1,
}

/// <summary>
/// A set of tests that must all hold. A rule lists one or more sets and needs any one of them
/// (so "the town network, or a managed device" is two sets).
/// </summary>
public sealed record PolicyCondition
{
    public IReadOnlyList<NetworkZone> Zones { get; init; } = [];
    public DeviceTrust? MinDevice { get; init; }
    public AuthStrength? MinStrength { get; init; }

    /// <summary>The session must have been authenticated at most this many hours ago.</summary>
    public double? MaxAuthAgeHours { get; init; }

    public LocationCondition? Location { get; init; }
    public ContractCondition? Contract { get; init; }
    public IReadOnlyList<DayType> Days { get; init; } = [];

    /// <summary>Local time of day window [From, To), in the town's time zone.</summary>
    public TimeOnly? From { get; init; }

    public TimeOnly? To { get; init; }
}

/// <summary>
/// One rule of the access policy. Its target (kinds, roles, resources, actions, levels, flags, relations) says which
/// requests it speaks about; an empty list means "any".
/// </summary>
public sealed record PolicyRule
{
    public required string Id { get; init; }
    public RuleEffect Effect { get; init; }
    public bool Enabled { get; init; } = true;

    /// <summary>What the rule is for, in Japanese, as the security admin would explain it to an auditor.</summary>
    public string Note { get; init; } = "";

    public IReadOnlyList<AccountKind> Kinds { get; init; } = [];
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Resource types: exact ("directory"), a prefix ("admin.*") or everything ("*").</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<AccessAction> Actions { get; init; } = [];
    public Confidentiality MinLevel { get; init; } = Confidentiality.Level1;
    public Confidentiality MaxLevel { get; init; } = Confidentiality.Level3;

    /// <summary>The resource must carry all of these flags.</summary>
    public IReadOnlyList<ResourceFlags> Flags { get; init; } = [];

    /// <summary>The asker must have one of these relations to the object.</summary>
    public IReadOnlyList<Relation> Relations { get; init; } = [];

    public IReadOnlyList<PolicyCondition> When { get; init; } = [];

    /// <summary>Overrides the remedy the failing condition would suggest.</summary>
    public Remedy? Remedy { get; init; }
}

/// <summary>The whole policy: data, versioned, stored as JSON, compiled for the decision point.</summary>
public sealed record PolicyDocument
{
    public int Version { get; init; }

    /// <summary>ISO 3166 alpha-2 of the home country; anything else is "abroad".</summary>
    public string HomeCountry { get; init; } = "JP";

    public IReadOnlyList<PolicyRule> Rules { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses and checks a policy. Errors are stable codes with the place they refer to.</summary>
    public static (PolicyDocument? Policy, IReadOnlyList<PolicyError> Errors) Parse(string json, IReadOnlyCollection<string> knownResourceTypes)
    {
        PolicyDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<PolicyDocument>(json, Json);
        }
        catch (JsonException ex)
        {
            return (null, [new PolicyError("policy.json_invalid", ex.Path ?? "", ex.Message)]);
        }

        if (doc is null)
        {
            return (null, [new PolicyError("policy.json_invalid", "", "empty")]);
        }

        var errors = Validate(doc, knownResourceTypes);
        return (errors.Count == 0 ? doc : null, errors);
    }

    public static IReadOnlyList<PolicyError> Validate(PolicyDocument doc, IReadOnlyCollection<string> knownResourceTypes)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var errors = new List<PolicyError>();
        if (doc.HomeCountry is not { Length: 2 } || !doc.HomeCountry.All(char.IsAsciiLetterUpper))
        {
            errors.Add(new("policy.country_invalid", "homeCountry", doc.HomeCountry ?? ""));
        }

        if (doc.Rules.Count == 0)
        {
            errors.Add(new("policy.empty", "rules", ""));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in doc.Rules)
        {
            if (rule is null)
            {
                errors.Add(new("policy.rule_invalid", "rules", "null"));
                continue;
            }

            var at = string.IsNullOrWhiteSpace(rule.Id) ? "rules[?]" : rule.Id;
            if (string.IsNullOrWhiteSpace(rule.Id) || rule.Id.Length > 64)
            {
                errors.Add(new("policy.rule_id_invalid", at, rule.Id ?? ""));
            }
            else if (!ids.Add(rule.Id))
            {
                errors.Add(new("policy.rule_id_duplicate", at, rule.Id));
            }

            if (rule.Note is { Length: > 500 })
            {
                errors.Add(new("policy.note_too_long", at, ""));
            }

            foreach (var role in rule.Roles ?? [])
            {
                if (!Accounts.Roles.IsKnown(role))
                {
                    errors.Add(new("policy.role_unknown", at, role));
                }
            }

            if (rule.Resources is null || rule.Resources.Count == 0)
            {
                errors.Add(new("policy.resources_missing", at, ""));
            }

            foreach (var res in rule.Resources ?? [])
            {
                if (!ResourcePattern.IsValid(res) || (!ResourcePattern.IsWildcard(res) && !knownResourceTypes.Contains(res)))
                {
                    errors.Add(new("policy.resource_unknown", at, res ?? ""));
                }
            }

            if (rule.MinLevel > rule.MaxLevel || !Enum.IsDefined(rule.MinLevel) || !Enum.IsDefined(rule.MaxLevel))
            {
                errors.Add(new("policy.levels_invalid", at, $"{(int)rule.MinLevel}-{(int)rule.MaxLevel}"));
            }

            foreach (var c in rule.When ?? [])
            {
                if (c is null)
                {
                    errors.Add(new("policy.condition_invalid", at, "null"));
                    continue;
                }

                if (c.MaxAuthAgeHours is { } h && (h <= 0 || h > 24 * 30))
                {
                    errors.Add(new("policy.auth_age_invalid", at, h.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                if ((c.From is null) != (c.To is null) || (c.From is { } f && c.To is { } t && f >= t))
                {
                    errors.Add(new("policy.hours_invalid", at, ""));
                }
            }
        }

        return errors;
    }
}

public sealed record PolicyError(string Code, string Where, string Value);

public static class ResourcePattern
{
    public static bool IsWildcard(string pattern) => pattern == "*" || pattern.EndsWith(".*", StringComparison.Ordinal);

    public static bool IsValid(string? pattern) =>
        !string.IsNullOrEmpty(pattern) && pattern.Length <= 64 &&
        pattern.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '.' or '-' or '_' or '*') &&
        (pattern == "*" || !pattern.TrimEnd('*').Contains('*', StringComparison.Ordinal));

    public static bool Matches(string pattern, string type) =>
        pattern == "*" ||
        string.Equals(pattern, type, StringComparison.Ordinal) ||
        (pattern.EndsWith(".*", StringComparison.Ordinal) &&
         (type.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal) ||
          string.Equals(type, pattern[..^2], StringComparison.Ordinal)));
}
