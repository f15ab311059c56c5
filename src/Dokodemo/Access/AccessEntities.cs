using Dokodemo.Domain.Access;

namespace Dokodemo.Access;

/// <summary>
/// A browser or client a person signed in from. A long-lived random cookie identifies it; only its SHA-256 is
/// stored. A device starts unknown; the person can register it (after a fresh sign-in), the security admin can mark
/// it managed (town-issued). Removing it ends its sessions.
/// </summary>
public sealed class Device
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public required string TokenHash { get; set; }
    public required string Name { get; set; }
    public DeviceTrust Trust { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public string UserAgent { get; set; } = "";
    public string LastIp { get; set; } = "";
    public DateTimeOffset? RegisteredAt { get; set; }
    public DateTimeOffset? ManagedAt { get; set; }
    public string? ManagedById { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
}

/// <summary>One saved version of the access policy. Versions are never changed; the newest one is in force.</summary>
public sealed class AccessPolicyVersion
{
    public int Version { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public string Comment { get; set; } = "";
}

/// <summary>
/// An administrator's label for a resource type (ObjectId "") or one object of it (R50): it replaces the label the
/// feature declared.
/// </summary>
public sealed class ResourceLabel
{
    public required string ResourceType { get; set; }
    public string ObjectId { get; set; } = "";
    public Confidentiality Level { get; set; }
    public ResourceFlags Flags { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedById { get; set; }
}
