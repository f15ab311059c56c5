using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dokodemo.Domain.Audit;

/// <summary>One audit record as the chain sees it. Strings are stored as given; times are UTC milliseconds.</summary>
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
    string Hash);

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
        string outcome, string ipAddress, string details)
    {
        // Length-prefixed fields: no two different entries share a canonical form.
        var sb = new StringBuilder(256);
        void Field(string? value)
        {
            var v = value ?? "\u2400";
            sb.Append(v.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(v).Append(';');
        }

        Field(previousHash);
        Field(sequence.ToString(CultureInfo.InvariantCulture));
        Field(atUnixMs.ToString(CultureInfo.InvariantCulture));
        Field(@event);
        Field(actorId);
        Field(subjectId);
        Field(outcome);
        Field(ipAddress);
        Field(details.Normalize(NormalizationForm.FormC));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public static string HashOf(AuditRecord r) =>
        HashOf(r.PreviousHash, r.Sequence, r.AtUnixMs, r.Event, r.ActorId, r.SubjectId, r.Outcome, r.IpAddress, r.Details);

    /// <summary>
    /// Checks entries in sequence order. Returns null when the chain is whole (and, if given, ends at the expected
    /// head), or the first entry that breaks it.
    /// </summary>
    public static AuditBreak? Verify(IEnumerable<AuditRecord> entries, (long Sequence, string Hash)? expectedHead = null)
    {
        var previous = Genesis;
        var expectedSequence = 1L;
        AuditRecord? last = null;
        foreach (var e in entries)
        {
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

            if (!string.Equals(HashOf(e), e.Hash, StringComparison.Ordinal))
            {
                return new AuditBreak(e.Sequence, "was changed after it was written");
            }

            if (expectedHead is { } checkpoint && e.Sequence == checkpoint.Sequence && !string.Equals(e.Hash, checkpoint.Hash, StringComparison.Ordinal))
            {
                return new AuditBreak(e.Sequence, "differs from the checkpoint: the log was rewritten");
            }

            previous = e.Hash;
            expectedSequence++;
            last = e;
        }

        if (expectedHead is { } head)
        {
            if (last is null || last.Sequence < head.Sequence)
            {
                return new AuditBreak((last?.Sequence ?? 0) + 1, $"the log ends before entry {head.Sequence}, which an earlier checkpoint saw");
            }
        }

        return null;
    }
}
