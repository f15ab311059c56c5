using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dokodemo.Domain.Audit;

/// <summary>One entry in an export: every stored field, so its hash can be recomputed away from the server.</summary>
public sealed record AuditExportEntry(
    long Sequence,
    DateTimeOffset At,
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
    int? PolicyVersion = null)
{
    public AuditRecord ToRecord() =>
        new(Sequence, At.ToUnixTimeMilliseconds(), Event, ActorId, SubjectId, Outcome, IpAddress, Details, PreviousHash, Hash,
            DeviceId, NetworkZone, Country, Decision, PolicyVersion);

    public static AuditExportEntry From(AuditRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Sequence, DateTimeOffset.FromUnixTimeMilliseconds(r.AtUnixMs), r.Event, r.ActorId, r.SubjectId, r.Outcome, r.IpAddress,
            r.Details, r.PreviousHash, r.Hash, r.DeviceId, r.NetworkZone, r.Country, r.Decision, r.PolicyVersion);
    }
}

/// <summary>
/// What an auditor (監査人) takes away (R47): the entries dated in [From, To), the entry just before them, the entries
/// after them up to a signed checkpoint, that checkpoint and the public key. Verifiable with no server and no database.
/// </summary>
public sealed record AuditExportBundle(
    string Format,
    string Origin,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset ExportedAt,
    string PreviousHash,
    AuditExportEntry? Before,
    IReadOnlyList<AuditExportEntry> Entries,
    IReadOnlyList<AuditExportEntry> After,
    string? Checkpoint,
    string KeyName,
    string PublicKey);

/// <summary>What an export proves, what it does not, and what is wrong with it. Valid only with no failure.</summary>
public sealed record AuditExportReport(
    IReadOnlyList<string> Proven,
    IReadOnlyList<string> NotProven,
    IReadOnlyList<string> Failures,
    long? BrokenSequence,
    string? KeyFingerprint,
    AuditCheckpoint? Checkpoint)
{
    public bool Valid => Failures.Count == 0;
}

/// <summary>Reads, writes and verifies export bundles. Pure: text in, report out.</summary>
public static class AuditExports
{
    public const string Format = "dokodemo-audit-export/v1";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Keep Japanese readable in the file; JSON escaping still covers quotes and control characters.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(AuditExportBundle bundle) => JsonSerializer.Serialize(bundle, Json);

    /// <summary>The bundle in a file's text, or why it is not one.</summary>
    public static (AuditExportBundle? Bundle, string? Error) Parse(string json)
    {
        try
        {
            var b = JsonSerializer.Deserialize<AuditExportBundle>(json, Json);
            if (b is null || b.Format is null || b.Entries is null || b.After is null || b.PreviousHash is null || b.KeyName is null || b.PublicKey is null)
            {
                return (null, "the file is not an audit export (fields are missing)");
            }

            return b.Format == Format ? (b, null) : (null, $"the file's format is '{b.Format}', not {Format}");
        }
        catch (JsonException ex)
        {
            return (null, $"the file is not valid JSON ({ex.Message})");
        }
    }

    /// <summary>
    /// Checks a bundle: the signature of its checkpoint (by the bundle's key, or by <paramref name="trustedKey"/> when
    /// given), the hash of every entry, that they follow each other without a gap from the entry before the range to
    /// the checkpoint, and the two edges of the date range.
    /// </summary>
    public static AuditExportReport Verify(AuditExportBundle bundle, byte[]? trustedKey = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var proven = new List<string>();
        var notProven = new List<string>();
        var failures = new List<string>();
        long? broken = null;
        static string Range(IReadOnlyList<AuditExportEntry> e) => $"Entries {e[0].Sequence}–{e[^1].Sequence} ({e.Count})";

        if (bundle.Format != Format)
        {
            failures.Add($"The format is '{bundle.Format}', not {Format}.");
        }

        var key = AuditCheckpoints.ParsePublicKey(bundle.PublicKey ?? "");
        var fingerprint = key is null ? null : AuditCheckpoints.Fingerprint(key);
        if (key is null)
        {
            failures.Add("The public key in the file is not an ECDSA P-256 key.");
        }
        else if (trustedKey is not null)
        {
            if (trustedKey.AsSpan().SequenceEqual(key))
            {
                proven.Add($"The checkpoint is signed by the key you gave ({fingerprint}).");
            }
            else
            {
                failures.Add($"The file's key ({fingerprint}) is not the key you gave ({AuditCheckpoints.Fingerprint(trustedKey)}).");
            }
        }
        else
        {
            notProven.Add($"That the key is the town's: compare its fingerprint {fingerprint} with one obtained separately " +
                "('audit public-key' on the server, or the off-site checkpoint copies), or pass --public-key.");
        }

        AuditCheckpoint? checkpoint = null;
        if (string.IsNullOrEmpty(bundle.Checkpoint))
        {
            failures.Add("The file has no signed checkpoint, so nothing ties its entries to the log.");
        }
        else if (key is not null)
        {
            var check = AuditCheckpoints.Verify(bundle.Checkpoint, bundle.KeyName ?? "", key);
            if (!check.Valid)
            {
                failures.Add($"The checkpoint is not valid: {check.Error}.");
            }
            else
            {
                checkpoint = check.Checkpoint!;
                if (checkpoint.Origin != bundle.Origin)
                {
                    failures.Add($"The checkpoint is for the log '{checkpoint.Origin}', not '{bundle.Origin}'.");
                }
                else
                {
                    proven.Add($"The checkpoint is validly signed: the log {checkpoint.Origin} had {checkpoint.Size} entries with head " +
                        $"{checkpoint.HeadHash} at {checkpoint.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC.");
                }
            }
        }

        // The chain: the entry before the range, the range, the entries after it up to the checkpoint.
        var all = new List<AuditExportEntry>();
        if (bundle.Before is not null)
        {
            all.Add(bundle.Before);
            if (!string.Equals(bundle.Before.Hash, bundle.PreviousHash, StringComparison.Ordinal))
            {
                failures.Add($"The entry before the range ({bundle.Before.Sequence}) does not have the stated previous hash.");
            }
        }

        all.AddRange(bundle.Entries);
        all.AddRange(bundle.After);
        var first = all.Count > 0 ? all[0] : null;
        var verifier = new AuditChainVerifier(
            checkpoint is null ? null : [(checkpoint.Size, checkpoint.HeadHash)],
            startSequence: first?.Sequence ?? 1,
            previousHash: first?.PreviousHash);
        if (bundle.Before is null && first is not null && !string.Equals(first.PreviousHash, bundle.PreviousHash, StringComparison.Ordinal))
        {
            failures.Add($"Entry {first.Sequence} does not follow the stated previous hash.");
        }

        if (first is { Sequence: 1 } && !string.Equals(first.PreviousHash, AuditChain.Genesis, StringComparison.Ordinal))
        {
            failures.Add("Entry 1 does not start from the genesis hash.");
        }

        foreach (var e in all)
        {
            if (verifier.Add(e.ToRecord()) is { } b)
            {
                broken = b.Sequence;
                failures.Add($"Entry {b.Sequence} {b.Reason}.");
                break;
            }
        }

        var rangeLast = bundle.Entries.Count > 0 ? bundle.Entries[^1].Sequence : bundle.Before?.Sequence ?? 0;
        if (broken is null && checkpoint is not null)
        {
            var reached = verifier.Last?.Sequence ?? 0;
            if (checkpoint.Size > reached)
            {
                failures.Add($"The entries in the file end at {reached}, before the checkpoint's size {checkpoint.Size}: they cannot be tied to it.");
            }
            else if (checkpoint.Size < rangeLast)
            {
                failures.Add($"The checkpoint (size {checkpoint.Size}) does not cover the range, which ends at entry {rangeLast}.");
            }
            else if (first is null)
            {
                proven.Add("The log was empty when the checkpoint was signed, so the range has no entries.");
            }
            else if (first.Sequence > checkpoint.Size)
            {
                failures.Add($"The checkpoint (size {checkpoint.Size}) is older than the first entry in the file ({first.Sequence}).");
            }
            else if (bundle.Entries.Count == 0)
            {
                proven.Add($"The range has no entries: the entries around it follow each other with no gap and lead to the signed checkpoint (entry {checkpoint.Size}).");
            }
            else
            {
                proven.Add($"{Range(bundle.Entries)} of the range are exactly as written: each hash is right, none is missing between " +
                    $"them, and the chain leads from them to the signed checkpoint (entry {checkpoint.Size}).");
            }
        }

        // The edges of the date range.
        foreach (var e in bundle.Entries.Where(e => e.At < bundle.From || e.At >= bundle.To))
        {
            notProven.Add($"Entry {e.Sequence} is dated {Utc(e.At)}, outside the range (the server clock may have stepped back).");
        }

        if (bundle.Before is { } before)
        {
            if (before.At >= bundle.From)
            {
                failures.Add($"The entry before the range ({before.Sequence}) is dated inside it: entries of the range were left out.");
            }
            else
            {
                proven.Add($"The range starts right after entry {before.Sequence}, dated {Utc(before.At)}, before the range.");
            }
        }
        else if (first is { Sequence: 1 })
        {
            proven.Add("The range starts at the first entry of the log.");
        }
        else if (first is not null)
        {
            notProven.Add($"Whether entries before {first.Sequence} are dated in the range (the file does not include the entry before it).");
        }

        if (bundle.After.Count > 0)
        {
            if (bundle.After[0].At < bundle.To)
            {
                failures.Add($"Entry {bundle.After[0].Sequence}, after the range, is dated inside it: entries of the range were left out.");
            }
            else
            {
                proven.Add($"The range ends right before entry {bundle.After[0].Sequence}, dated {Utc(bundle.After[0].At)}, after the range.");
            }
        }
        else if (checkpoint is not null && checkpoint.Size == rangeLast && checkpoint.Time >= bundle.To)
        {
            proven.Add($"The log had no later entry when the checkpoint was signed ({Utc(checkpoint.Time)}), after the range ended.");
        }
        else
        {
            notProven.Add("Whether entries written after the checkpoint are dated in the range: the checkpoint was signed before the range ended.");
        }

        notProven.Add("That the server's clock was right when the entries were written; entries outside the file were not checked.");
        return new AuditExportReport(proven, notProven, failures, broken, fingerprint, checkpoint);
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
