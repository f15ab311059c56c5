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

    public AuditRecord ToRecord() =>
        new(Sequence, At.ToUnixTimeMilliseconds(), Event, ActorId, SubjectId, Outcome, IpAddress, Details, PreviousHash, Hash);
}

public static class AuditOutcome
{
    public const string Success = "success";
    public const string Failure = "failure";
}

/// <summary>
/// Appends audit entries. Each entry takes the next sequence number and the hash of the one before, under a
/// lock that makes writers queue (the primary key on the sequence is the backstop).
/// Details never carry a secret: callers pass ids, methods and reasons, never passwords, codes or tokens (R44).
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes, TimeProvider clock, IHttpContextAccessor http, ILogger<AuditLog> logger)
{
    /// <param name="within">
    /// The caller's context. When it has a transaction open (an all-or-nothing import), the entry is written in that
    /// transaction, so it stands or falls with the work it records and never waits on the caller's own write lock.
    /// </param>
    public async Task WriteAsync(string @event, string outcome, string? actorId = null, string? subjectId = null,
        IReadOnlyDictionary<string, string?>? details = null, AppDbContext? within = null, CancellationToken ct = default)
    {
        var ip = http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? (http.HttpContext is null ? "cli" : "");
        var json = JsonSerializer.Serialize(new SortedDictionary<string, string?>(
            (details ?? new Dictionary<string, string?>()).ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal));
        if (within?.Database.CurrentTransaction is not null)
        {
            await AppendAsync(within, @event, outcome, actorId, subjectId, ip, json, ct);
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
                await AppendAsync(db, @event, outcome, actorId, subjectId, ip, json, ct);
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

    private async Task AppendAsync(AppDbContext db, string @event, string outcome, string? actorId, string? subjectId, string ip, string json, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(727274002)", ct);
        }

        var head = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        var entry = new AuditEntry
        {
            Sequence = (head?.Sequence ?? 0) + 1,
            At = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()),
            Event = @event,
            ActorId = actorId,
            SubjectId = subjectId,
            Outcome = outcome,
            IpAddress = ip,
            Details = json,
            PreviousHash = head?.Hash ?? AuditChain.Genesis,
            Hash = "",
        };
        entry.Hash = AuditChain.HashOf(entry.ToRecord());
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Checks the whole chain, oldest first, reading in pages. Returns the entry count, the head and the first break.</summary>
    public async Task<(long Count, AuditRecord? Head, AuditBreak? Break)> VerifyAsync((long Sequence, string Hash)? checkpoint, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var records = new List<AuditRecord>();
        await foreach (var e in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            records.Add(e.ToRecord());
        }

        return (records.Count, records.LastOrDefault(), AuditChain.Verify(records, checkpoint));
    }
}
