using System.Data.Common;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Audit;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Access;

/// <summary>One row of the append-only, hash-chained audit log (R43–R46). Never updated or deleted (database triggers refuse it).</summary>
public sealed class AuditEntry
{
    public long Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Event { get; set; }
    public string? ActorId { get; set; }
    public string? SubjectId { get; set; }
    public required string Outcome { get; set; }
    public string IpAddress { get; set; } = "";
    public string Details { get; set; } = "{}";
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }

    /// <summary>The registered device the request came from, when known.</summary>
    public string? DeviceId { get; set; }

    /// <summary>The network zone, e.g. "town" (the office network) or "internet".</summary>
    public string? NetworkZone { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code of the address, when known.</summary>
    public string? Country { get; set; }

    /// <summary>The access decision recorded with the event: allow, deny or step_up.</summary>
    public string? Decision { get; set; }

    /// <summary>The version of the access policy that made the decision.</summary>
    public int? PolicyVersion { get; set; }

    public AuditRecord ToRecord() =>
        new(Sequence, At.ToUnixTimeMilliseconds(), Event, ActorId, SubjectId, Outcome, IpAddress, Details, PreviousHash, Hash,
            DeviceId, NetworkZone, Country, Decision, PolicyVersion);
}

public static class AuditOutcome
{
    public const string Success = "success";
    public const string Failure = "failure";

    public static readonly IReadOnlyList<string> All = [Success, Failure];
}

/// <summary>Access decisions as recorded (R43 "decision").</summary>
public static class AuditDecision
{
    public const string Allow = "allow";
    public const string Deny = "deny";

    /// <summary>Allowed after a stronger sign-in (追加認証).</summary>
    public const string StepUp = "step_up";

    public static readonly IReadOnlyList<string> All = [Allow, Deny, StepUp];
}

/// <summary>
/// Appends audit entries. Each entry takes the next sequence number and the hash of the one before, under a
/// lock that makes writers queue (the primary key on the sequence is the backstop).
/// Details never carry a secret: callers pass ids, methods and reasons, never passwords, codes or tokens (R44).
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes, TimeProvider clock, IAuditContextSource where, ILogger<AuditLog> logger)
{
    /// <param name="within">
    /// The caller's context. When it has a transaction open (an all-or-nothing import), the entry is written in that
    /// transaction, so it stands or falls with the work it records and never waits on the caller's own write lock.
    /// </param>
    /// <param name="decision">The access decision, if the event records one (<see cref="AuditDecision"/>).</param>
    /// <param name="policyVersion">The version of the policy that decided.</param>
    public async Task WriteAsync(string @event, string outcome, string? actorId = null, string? subjectId = null,
        IReadOnlyDictionary<string, string?>? details = null, AppDbContext? within = null, string? decision = null, int? policyVersion = null,
        CancellationToken ct = default)
    {
        var here = where.Current();
        var json = JsonSerializer.Serialize(new SortedDictionary<string, string?>(
            (details ?? new Dictionary<string, string?>()).ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal));
        var entry = new AuditEntry
        {
            Event = @event,
            ActorId = actorId,
            SubjectId = subjectId,
            Outcome = outcome,
            IpAddress = Cut(here.Ip, 64) ?? "",
            Details = json,
            DeviceId = Cut(here.DeviceId, 64),
            NetworkZone = Cut(here.NetworkZone, 16),
            Country = here.Country is { Length: 2 } c && c.All(char.IsAsciiLetter) ? c.ToUpperInvariant() : null,
            Decision = Cut(decision, 16),
            PolicyVersion = policyVersion,
            PreviousHash = "",
            Hash = "",
        };
        if (within?.Database.CurrentTransaction is not null)
        {
            await AppendAsync(within, entry, ct);
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            try
            {
                // SQLite: BEGIN IMMEDIATE takes the write lock first; PostgreSQL: an advisory lock. Writers queue, not collide.
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await AppendAsync(db, entry, ct);
                await tx.CommitAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or DbException && attempt < 5)
            {
                await Task.Delay(Random.Shared.Next(5, 50), ct);
            }
            catch (Exception ex) when (ex is DbUpdateException or DbException)
            {
                logger.LogError(ex, "Could not append audit event {Event}", @event);
                throw;
            }
        }
    }

    private static string? Cut(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];

    private async Task AppendAsync(AppDbContext db, AuditEntry template, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(727274002)", ct);
        }

        var head = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        // A fresh object per attempt: a retried write must not reuse an entity a failed SaveChanges still tracks.
        var entry = new AuditEntry
        {
            Sequence = (head?.Sequence ?? 0) + 1,
            At = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()),
            Event = template.Event,
            ActorId = template.ActorId,
            SubjectId = template.SubjectId,
            Outcome = template.Outcome,
            IpAddress = template.IpAddress,
            Details = template.Details,
            DeviceId = template.DeviceId,
            NetworkZone = template.NetworkZone,
            Country = template.Country,
            Decision = template.Decision,
            PolicyVersion = template.PolicyVersion,
            PreviousHash = head?.Hash ?? AuditChain.Genesis,
            Hash = "",
        };
        entry.Hash = AuditChain.HashOf(entry.ToRecord());
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Checks the whole chain, oldest first, as a stream. Returns the entry count, the head and the first break.</summary>
    public Task<(long Count, AuditRecord? Head, AuditBreak? Break)> VerifyAsync((long Sequence, string Hash)? checkpoint, CancellationToken ct = default) =>
        VerifyThroughAsync(checkpoint is { } c ? [c] : [], ct);

    /// <summary>Checks the whole chain and that it passes through every given checkpoint (sequence and hash).</summary>
    public async Task<(long Count, AuditRecord? Head, AuditBreak? Break)> VerifyThroughAsync(IReadOnlyCollection<(long Sequence, string Hash)> checkpoints, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var verifier = new AuditChainVerifier(checkpoints);
        await foreach (var e in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (verifier.Add(e.ToRecord()) is { } broken)
            {
                return (verifier.Count, verifier.Last, broken);
            }
        }

        return (verifier.Count, verifier.Last, verifier.Finish());
    }
}
