using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dokodemo.Domain.Audit;

/// <summary>
/// One audit record as the chain sees it. Strings are stored as given; times are UTC milliseconds.
/// The "where and decision" fields (device, network zone, country, decision, policy version) came later: they are
/// null on entries written before them, and a null one is left out of the hash, so those entries keep their hashes.
/// </summary>
public sealed record AuditRecord(
    long Sequence,
    long AtUnixMs,
    string Event,
    string? ActorId,
    string? SubjectId,
    string Outcome,
    string IpAddress,
    string Details,
    string PreviousHash,
    string Hash,
    string? DeviceId = null,
    string? NetworkZone = null,
    string? Country = null,
    string? Decision = null,
    int? PolicyVersion = null);

/// <summary>Where a chain first fails verification, and why.</summary>
public sealed record AuditBreak(long Sequence, string Reason);

/// <summary>
/// A hash chain over the audit log (R45): h(n) = SHA-256(h(n-1) ‖ canonical(entry n)). Editing, deleting or
/// reordering an entry breaks the chain at that entry; cutting off the tail is caught against a head
/// (sequence and hash) remembered elsewhere — a signed checkpoint or an earlier export.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous-hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string HashOf(string previousHash, long sequence, long atUnixMs, string @event, string? actorId, string? subjectId,
        string outcome, string ipAddress, string details) =>
        HashOf(new AuditRecord(sequence, atUnixMs, @event, actorId, subjectId, outcome, ipAddress, details, previousHash, ""));

    /// <summary>
    /// The canonical form is length-prefixed fields (no two different entries share one): the nine original fields
    /// always, then each later field that is not null as a name and a value. An entry without the later fields
    /// therefore hashes exactly as it did before they existed.
    /// </summary>
    public static string HashOf(AuditRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sb = new StringBuilder(256);
        void Field(string? value)
        {
            var v = value ?? "\u2400";
            sb.Append(v.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(v).Append(';');
        }

        void Optional(string name, string? value)
        {
            if (value is not null)
            {
                Field(name);
                Field(value);
            }
        }

        Field(r.PreviousHash);
        Field(r.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(r.AtUnixMs.ToString(CultureInfo.InvariantCulture));
        Field(r.Event);
        Field(r.ActorId);
        Field(r.SubjectId);
        Field(r.Outcome);
        Field(r.IpAddress);
        Field(r.Details.Normalize(NormalizationForm.FormC));
        Optional("device", r.DeviceId);
        Optional("zone", r.NetworkZone);
        Optional("country", r.Country);
        Optional("decision", r.Decision);
        Optional("policy", r.PolicyVersion?.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>
    /// Checks entries in sequence order. Returns null when the chain is whole (and, if given, ends at the expected
    /// head), or the first entry that breaks it.
    /// </summary>
    public static AuditBreak? Verify(IEnumerable<AuditRecord> entries, (long Sequence, string Hash)? expectedHead = null) =>
        VerifyThrough(entries, expectedHead is { } h ? [h] : []);

    /// <summary>Checks the whole chain and that it passes through every given checkpoint (sequence and hash).</summary>
    public static AuditBreak? VerifyThrough(IEnumerable<AuditRecord> entries, IReadOnlyCollection<(long Sequence, string Hash)> checkpoints)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var verifier = new AuditChainVerifier(checkpoints);
        foreach (var e in entries)
        {
            if (verifier.Add(e) is { } broken)
            {
                return broken;
            }
        }

        return verifier.Finish();
    }
}

/// <summary>
/// Checks a chain one entry at a time, so a long log can be read from the database in order without holding it
/// in memory. Starts at the genesis, or in the middle of a log from a known previous entry (an export's range).
/// </summary>
public sealed class AuditChainVerifier
{
    private readonly Dictionary<long, string> checkpoints = [];
    private string previous;
    private long expectedSequence;

    public AuditChainVerifier(IReadOnlyCollection<(long Sequence, string Hash)>? checkpoints = null, long startSequence = 1, string? previousHash = null)
    {
        foreach (var (sequence, hash) in checkpoints ?? [])
        {
            if (this.checkpoints.TryGetValue(sequence, out var other) && !string.Equals(other, hash, StringComparison.OrdinalIgnoreCase))
            {
                // Two checkpoints that disagree about one entry: the log was forked or rewritten between them.
                Conflict = sequence;
            }

            this.checkpoints[sequence] = hash.ToLowerInvariant();
        }

        expectedSequence = startSequence;
        previous = previousHash ?? AuditChain.Genesis;
    }

    /// <summary>A sequence two checkpoints give different hashes for, if any.</summary>
    public long? Conflict { get; }

    public long Count { get; private set; }
    public AuditRecord? Last { get; private set; }

    /// <summary>Takes the next entry; returns the break if this entry breaks the chain (stop there).</summary>
    public AuditBreak? Add(AuditRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Sequence != expectedSequence)
        {
            return new AuditBreak(expectedSequence, e.Sequence > expectedSequence
                ? $"entry {expectedSequence} is missing (next is {e.Sequence})"
                : $"entry {e.Sequence} is out of order");
        }

        if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
        {
            return new AuditBreak(e.Sequence, "does not follow the entry before it");
        }

        if (!string.Equals(AuditChain.HashOf(e), e.Hash, StringComparison.Ordinal))
        {
            return new AuditBreak(e.Sequence, "was changed after it was written");
        }

        if (checkpoints.TryGetValue(e.Sequence, out var expected) && !string.Equals(e.Hash, expected, StringComparison.Ordinal))
        {
            return new AuditBreak(e.Sequence, "differs from the checkpoint: the log was rewritten");
        }

        previous = e.Hash;
        expectedSequence++;
        Count++;
        Last = e;
        return null;
    }

    /// <summary>After the last entry: the log must reach every checkpoint.</summary>
    public AuditBreak? Finish()
    {
        if (Conflict is { } c)
        {
            return new AuditBreak(c, "two checkpoints give different hashes for this entry: the log was rewritten");
        }

        var furthest = checkpoints.Count == 0 ? 0 : checkpoints.Keys.Max();
        var reached = expectedSequence - 1;
        return furthest > reached
            ? new AuditBreak(reached + 1, $"the log ends before entry {furthest}, which an earlier checkpoint saw")
            : null;
    }
}
