using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Access;

public sealed record LabelDto(string ResourceType, string ObjectId, Confidentiality Level, ResourceFlags Flags, DateTimeOffset UpdatedAt);

/// <summary>
/// Classification labels (R50). Each resource type carries the label its feature declared
/// (<see cref="ResourceTypes"/>); an administrator can relabel a whole type or one object of it. A relabel applies to
/// the next request on this node and within <see cref="CheckEvery"/> on the others.
/// </summary>
public sealed class Labels(IServiceScopeFactory scopes, TimeProvider clock, AuditLog audit)
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(10);
    private volatile Dictionary<(string Type, string Id), (Confidentiality Level, ResourceFlags Flags)>? snapshot;
    private long loadedAt;
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>The resource as the decision point sees it: the object's label, else the type's, else the declared one.</summary>
    public async ValueTask<ResourceRef> ResolveAsync(string type, string? objectId, Relation relation, CancellationToken ct)
    {
        var labels = await SnapshotAsync(ct);
        if (objectId is not null && labels.TryGetValue((type, objectId), out var own))
        {
            return new ResourceRef(type, own.Level, own.Flags, relation);
        }

        if (labels.TryGetValue((type, ""), out var typeLabel))
        {
            return new ResourceRef(type, typeLabel.Level, typeLabel.Flags, relation);
        }

        var declared = ResourceTypes.Find(type);
        return new ResourceRef(type, declared?.Level ?? Confidentiality.Level3, declared?.Flags ?? ResourceFlags.None, relation);
    }

    /// <summary>
    /// The objects of a type that carry their own label. Every other object has the type's label, which the
    /// endpoint's own check has already decided on, so lists need to check only these.
    /// </summary>
    public async ValueTask<IReadOnlyCollection<string>> RelabelledObjectsAsync(string type, CancellationToken ct)
    {
        var labels = await SnapshotAsync(ct);
        List<string>? ids = null;
        foreach (var key in labels.Keys)
        {
            if (key.Id.Length > 0 && string.Equals(key.Type, type, StringComparison.Ordinal))
            {
                (ids ??= []).Add(key.Id);
            }
        }

        return ids ?? (IReadOnlyCollection<string>)[];
    }

    private async ValueTask<Dictionary<(string Type, string Id), (Confidentiality Level, ResourceFlags Flags)>> SnapshotAsync(CancellationToken ct)
    {
        var s = snapshot;
        if (s is not null && clock.GetTimestamp() - Interlocked.Read(ref loadedAt) < CheckEvery.TotalSeconds * clock.TimestampFrequency)
        {
            return s;
        }

        await gate.WaitAsync(ct);
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var rows = await db.ResourceLabels.AsNoTracking().Select(l => new { l.ResourceType, l.ObjectId, l.Level, l.Flags }).ToListAsync(ct);
            s = rows.ToDictionary(r => (r.ResourceType, r.ObjectId), r => (r.Level, r.Flags));
            snapshot = s;
            Interlocked.Exchange(ref loadedAt, clock.GetTimestamp());
            return s;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<IReadOnlyList<LabelDto>> ListAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.ResourceLabels.AsNoTracking().OrderBy(l => l.ResourceType).ThenBy(l => l.ObjectId)
            .Select(l => new LabelDto(l.ResourceType, l.ObjectId, l.Level, l.Flags, l.UpdatedAt)).ToListAsync(ct);
    }

    /// <summary>Sets the label of a type (objectId empty) or of one object.</summary>
    public async Task<Result<LabelDto>> SetAsync(string? type, string? objectId, Confidentiality level, ResourceFlags flags, string actorId, CancellationToken ct)
    {
        var id = (objectId ?? "").Trim();
        if (type is null || ResourceTypes.Find(type) is null || !Enum.IsDefined(level) || id.Length > 64 || (flags & ~(ResourceFlags.PersonalInfo | ResourceFlags.Personnel)) != 0)
        {
            return Errors.LabelInvalid;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.ResourceLabels.FirstOrDefaultAsync(l => l.ResourceType == type && l.ObjectId == id, ct);
        var before = row is null ? "declared" : $"{(int)row.Level}/{row.Flags}";
        if (row is null)
        {
            row = new ResourceLabel { ResourceType = type, ObjectId = id };
            db.ResourceLabels.Add(row);
        }

        row.Level = level;
        row.Flags = flags;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedById = actorId;
        await db.SaveChangesAsync(ct);
        snapshot = null;
        await audit.WriteAsync("label.changed", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["resource"] = type, ["object"] = id, ["before"] = before, ["after"] = $"{(int)level}/{flags}",
        }, ct: ct);
        return new LabelDto(type, id, level, flags, row.UpdatedAt);
    }

    /// <summary>Removes an administrator's label; the declared one applies again.</summary>
    public async Task<bool> ResetAsync(string type, string? objectId, string actorId, CancellationToken ct)
    {
        var id = (objectId ?? "").Trim();
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var removed = await db.ResourceLabels.Where(l => l.ResourceType == type && l.ObjectId == id).ExecuteDeleteAsync(ct);
        snapshot = null;
        if (removed > 0)
        {
            await audit.WriteAsync("label.reset", AuditOutcome.Success, actorId: actorId,
                details: new Dictionary<string, string?> { ["resource"] = type, ["object"] = id }, ct: ct);
        }

        return removed > 0;
    }
}
