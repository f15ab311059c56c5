using System.Globalization;

namespace Dokodemo.Access;

/// <summary>The result of checking the log: the head when whole, or the first broken entry.</summary>
public sealed record AuditVerificationResult(
    bool Ok,
    long Count,
    long? HeadSequence,
    string? HeadHash,
    long? BrokenSequence,
    string? Reason,
    int CheckpointsChecked,
    IReadOnlyList<string> CheckpointProblems);

/// <summary>
/// Checks the audit log (R45): every entry's hash, that none is missing or moved, that every stored checkpoint is
/// validly signed, and that the chain passes through each of them (a recomputed rewrite or a cut-off tail fails).
/// The same for the page, the API and the command line.
/// </summary>
public sealed class AuditVerification(AuditLog audit, AuditNotary notary)
{
    /// <param name="extra">A checkpoint from elsewhere (an off-site copy) the chain must also pass through.</param>
    /// <param name="record">Whether to write the check itself to the log (the page and API do; the command line does not,
    /// so that checking a copied or damaged database never adds to it).</param>
    public async Task<AuditVerificationResult> RunAsync(string? actorId, (long Size, string Hash)? extra = null, bool record = true, CancellationToken ct = default)
    {
        var (heads, problems) = await notary.CheckStoredAsync(ct);
        var all = heads.ToList();
        if (extra is { } x)
        {
            all.Add(x);
        }

        var (count, head, broken) = await audit.VerifyThroughAsync(all, ct);
        var ok = broken is null && problems.Count == 0;
        var result = new AuditVerificationResult(ok, count, head?.Sequence, head?.Hash, broken?.Sequence, broken?.Reason, heads.Count, problems);
        if (record)
        {
            await audit.WriteAsync("audit.verified", ok ? AuditOutcome.Success : AuditOutcome.Failure, actorId: actorId, ct: ct,
                details: new Dictionary<string, string?>
                {
                    ["entries"] = count.ToString(CultureInfo.InvariantCulture),
                    ["broken"] = broken?.Sequence.ToString(CultureInfo.InvariantCulture),
                    ["checkpoints"] = heads.Count.ToString(CultureInfo.InvariantCulture),
                    ["checkpointProblems"] = problems.Count == 0 ? null : problems.Count.ToString(CultureInfo.InvariantCulture),
                });
        }

        return result;
    }
}
