using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Access;

public sealed record PolicyVersionDto(int Version, DateTimeOffset CreatedAt, string? CreatedBy, string Comment);

/// <summary>
/// The access policy in force: the newest saved version, compiled into a <see cref="DecisionPoint"/>. A new install
/// starts with <see cref="DefaultPolicy"/> (saved as version 1). Other nodes notice a new version within
/// <see cref="CheckEvery"/>.
/// </summary>
public sealed class PolicyStore(IServiceScopeFactory scopes, TimeProvider clock, AuditLog audit)
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile DecisionPoint? current;
    private long checkedAt;

    public async ValueTask<DecisionPoint> CurrentAsync(CancellationToken ct)
    {
        var pdp = current;
        if (pdp is not null && clock.GetTimestamp() - Interlocked.Read(ref checkedAt) < CheckEvery.TotalSeconds * clock.TimestampFrequency)
        {
            return pdp;
        }

        await gate.WaitAsync(ct);
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var latest = await db.AccessPolicies.AsNoTracking().MaxAsync(p => (int?)p.Version, ct);
            if (latest is null)
            {
                await SeedAsync(db, ct);
                latest = 1;
            }

            if (current is null || current.Version != latest)
            {
                var json = await db.AccessPolicies.AsNoTracking().Where(p => p.Version == latest).Select(p => p.Json).SingleAsync(ct);
                current = Compile(Parse(json, latest.Value));
            }

            Interlocked.Exchange(ref checkedAt, clock.GetTimestamp());
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    public static DecisionPoint Compile(PolicyDocument policy) => new(policy, ResourceTypes.Ids);

    private static PolicyDocument Parse(string json, int version)
    {
        var (doc, errors) = PolicyDocument.Parse(json, ResourceTypes.Ids);
        return doc is null
            ? throw new InvalidOperationException($"Access policy version {version} in the database does not parse: {string.Join(", ", errors.Select(e => e.Code + " " + e.Where))}")
            : doc with { Version = version };
    }

    private async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        db.AccessPolicies.Add(new AccessPolicyVersion
        {
            Version = 1,
            Json = DefaultPolicy.Create().ToJson(),
            CreatedAt = clock.GetUtcNow(),
            Comment = "初期ポリシー (default policy)",
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node seeded it first.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Saves a new version. Refused when the JSON is invalid, when someone saved a newer version since
    /// <paramref name="basedOn"/>, or when no administrator could still administer the policy afterwards.
    /// </summary>
    public async Task<Result<int>> SaveAsync(PolicyDocument policy, int basedOn, string actorId, string comment, Func<DecisionPoint, Task<bool>> keepsAnAdministrator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(keepsAnAdministrator);
        if (PolicyDocument.Validate(policy, ResourceTypes.Ids).Count > 0)
        {
            return Errors.PolicyInvalid;
        }

        var now = await CurrentAsync(ct);
        if (now.Version != basedOn)
        {
            return Errors.PolicyStale;
        }

        var next = policy with { Version = basedOn + 1 };
        if (!await keepsAnAdministrator(Compile(next)))
        {
            await audit.WriteAsync("policy.refused", AuditOutcome.Failure, actorId: actorId, details: new Dictionary<string, string?> { ["reason"] = "locks_out_admins" }, ct: ct);
            return Errors.PolicyLocksOut;
        }

        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.AccessPolicies.Add(new AccessPolicyVersion
            {
                Version = next.Version,
                Json = next.ToJson(),
                CreatedAt = clock.GetUtcNow(),
                CreatedById = actorId,
                Comment = (comment ?? "").Trim() is { Length: > 200 } c ? c[..200] : (comment ?? "").Trim(),
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return Errors.PolicyStale;
            }
        }

        current = Compile(next);
        Interlocked.Exchange(ref checkedAt, clock.GetTimestamp());
        await audit.WriteAsync("policy.changed", AuditOutcome.Success, actorId: actorId,
            details: new Dictionary<string, string?> { ["comment"] = comment }, policyVersion: next.Version, ct: ct);
        return next.Version;
    }

    public async Task<IReadOnlyList<PolicyVersionDto>> HistoryAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AccessPolicies.AsNoTracking().OrderByDescending(p => p.Version).Take(100)
            .GroupJoin(db.Users, p => p.CreatedById, u => u.Id, (p, us) => new { p, us })
            .SelectMany(x => x.us.DefaultIfEmpty(), (x, u) => new PolicyVersionDto(x.p.Version, x.p.CreatedAt, u == null ? null : u.DisplayName, x.p.Comment))
            .ToListAsync(ct);
    }

    public async Task<PolicyDocument?> VersionAsync(int version, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var json = await db.AccessPolicies.AsNoTracking().Where(p => p.Version == version).Select(p => p.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : Parse(json, version);
    }
}
