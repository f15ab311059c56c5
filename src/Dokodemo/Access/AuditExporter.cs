using System.Globalization;
using Dokodemo.Data;
using Dokodemo.Domain.Audit;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Access;

/// <summary>
/// The export for auditors (監査, R47): the entries dated in a range with what is needed to check them offline —
/// the entry before the range, the entries after it up to the oldest signed checkpoint that covers it (at least one,
/// so the end of the range can be checked), that checkpoint and its public key. Format and checks:
/// <see cref="AuditExports"/>; verify with <c>dotnet Dokodemo.dll audit verify-export FILE</c>.
/// </summary>
public sealed class AuditExporter(AppDbContext db, AuditNotary notary, AuditLog audit, TimeProvider clock)
{
    public async Task<Result<AuditExportBundle>> ExportAsync(AuditFilter range, string? actorId, CancellationToken ct = default)
    {
        if (range.From is not { } from || range.To is not { } to)
        {
            return Errors.Field("audit.range_required", range.From is null ? "from" : "to");
        }

        // The key first: making it writes an entry, which must not land between choosing the range and signing.
        await notary.PublicKeyAsync(ct);
        var entries = db.AuditEntries.AsNoTracking();
        var head = await entries.MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        var lastGuess = await entries.Where(e => e.At < to).MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        // The oldest checkpoint that reaches one entry past the range (when there is one), so the file shows where the
        // range ends; if none does yet, sign the head now.
        var target = lastGuess < head ? lastGuess + 1 : lastGuess;
        var checkpoint = await notary.FirstCoveringAsync(target, ct) ?? (await notary.CheckpointAsync(force: true, ct))!.Checkpoint;

        // The range by sequence, within what the checkpoint covers: from the first entry dated at or after From to the
        // last dated before To, everything between (no gap even if the server clock once stepped back).
        var upTo = checkpoint.Size;
        var covered = entries.Where(e => e.Sequence <= upTo);
        var first = await covered.Where(e => e.At >= from).MinAsync(e => (long?)e.Sequence, ct) ?? upTo + 1;
        var last = await covered.Where(e => e.At < to).MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        if (last < first)
        {
            last = first - 1;
        }

        var rows = await covered.Where(e => e.Sequence >= first - 1).OrderBy(e => e.Sequence).ToListAsync(ct);
        var list = rows.Select(r => AuditExportEntry.From(r.ToRecord())).ToList();
        var before = list.FirstOrDefault(e => e.Sequence == first - 1);
        var key = (await notary.KeysAsync(ct)).Single(k => k.KeyId == checkpoint.KeyId);
        // The log's name as the checkpoint states it (the public address may have changed since it was signed).
        var origin = AuditCheckpoints.ParseBody(checkpoint.Note[..(checkpoint.Note.IndexOf("\n\n", StringComparison.Ordinal) + 1)]).Checkpoint?.Origin ?? notary.Origin;
        var bundle = new AuditExportBundle(
            AuditExports.Format,
            origin,
            from,
            to,
            clock.GetUtcNow(),
            before?.Hash ?? AuditChain.Genesis,
            before,
            list.Where(e => e.Sequence >= first && e.Sequence <= last).ToList(),
            list.Where(e => e.Sequence > last).ToList(),
            checkpoint.Note,
            key.Name,
            Convert.ToBase64String(key.SubjectPublicKeyInfo));

        await audit.WriteAsync("audit.exported", AuditOutcome.Success, actorId: actorId, ct: ct, details: new Dictionary<string, string?>
        {
            ["format"] = "bundle",
            ["from"] = from.ToString("O", CultureInfo.InvariantCulture),
            ["to"] = to.ToString("O", CultureInfo.InvariantCulture),
            ["entries"] = bundle.Entries.Count.ToString(CultureInfo.InvariantCulture),
            ["checkpoint"] = checkpoint.Size.ToString(CultureInfo.InvariantCulture),
        });
        return bundle;
    }

    /// <summary>The file name for a download: the range in Japan time.</summary>
    public static string FileName(AuditExportBundle b) => string.Create(CultureInfo.InvariantCulture,
        $"audit-export-{b.From.ToOffset(AuditFilter.Jst):yyyyMMdd}-{b.To.ToOffset(AuditFilter.Jst).AddTicks(-1):yyyyMMdd}.json");
}
