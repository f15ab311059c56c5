using System.Globalization;
using System.Text;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Dokodemo.Work.Attendance;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Records;

/// <summary>A line of the file that could not be read, and why (a stable code per problem).</summary>
public sealed record ImportLineProblem(int Line, string Problem);

public sealed record RecordsImportResult(int Imported, int AlreadyThere, int People, DateOnly From, DateOnly To, string Encoding);

/// <summary>
/// HR loads objective records from the town's PCs (log-on/log-off) and the building entry system: a CSV of
/// <c>person,start,end,source</c> (person = account id, login name or e-mail; start/end ISO 8601 with an offset, or Japan
/// time <c>yyyy-MM-dd HH:mm</c>; source <c>pc</c> or <c>entry</c>). UTF-8 with or without BOM, or CP932. Checked as a
/// whole, saved all or nothing; every bad line is named.
/// </summary>
public sealed class ImportRecords(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxRows = 20_000;

    /// <summary>Longest span one line may give: a log-on left open over a whole day is a problem, not a day's work.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromHours(24);

    static ImportRecords() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly string[] LocalFormats = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"];

    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd HH:mmzzz", "yyyy-MM-dd HH:mm:sszzz"];

    private static readonly string[] UtcFormats = ["yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    /// <summary>The text of the file: strict UTF-8 (a BOM is dropped), else CP932, else an error.</summary>
    public static Result<(string Text, string Encoding)> Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            return RecordErrors.ImportEmpty;
        }

        if (bytes.Length > MaxBytes)
        {
            return RecordErrors.ImportTooLarge;
        }

        try
        {
            return (new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF'), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: CP932 (Shift_JIS as Windows writes it) below.
        }

        try
        {
            return (Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetString(bytes), "cp932");
        }
        catch (DecoderFallbackException)
        {
            return RecordErrors.ImportEncoding;
        }
    }

    /// <summary>An instant from ISO 8601 with an offset ("Z" too), or Japan time without one.</summary>
    public static DateTimeOffset? ParseInstant(string text)
    {
        var t = text.Trim();
        if (DateTime.TryParseExact(t, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return new DateTimeOffset(local, JapanTime.Offset).ToUniversalTime();
        }

        if (DateTimeOffset.TryParseExact(t, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            return withOffset.ToUniversalTime();
        }

        return DateTimeOffset.TryParseExact(t, UtcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc)
            ? utc.ToUniversalTime()
            : null;
    }

    private sealed record Row(int Line, string Person, DateTimeOffset Start, DateTimeOffset End, RecordSource Source);

    public async Task<Result<RecordsImportResult>> ImportAsync(byte[] bytes, string actorId, CancellationToken ct)
    {
        var decoded = Decode(bytes);
        if (!decoded.Ok)
        {
            return decoded.Error!;
        }

        var (text, encoding) = decoded.Value;
        var now = clock.GetUtcNow();
        var problems = new List<ImportLineProblem>();
        var rows = new List<Row>();
        var seenFirst = false;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = i + 1;
            var raw = lines[i].Trim();
            if (raw.Length == 0)
            {
                continue;
            }

            var f = raw.Split(',').Select(x => x.Trim().Trim('"').Trim()).ToArray();
            if (!seenFirst)
            {
                // The first line may be a header (person,start,end,source or 職員,開始,終了,種別): neither time reads as one.
                seenFirst = true;
                if (f.Length == 4 && ParseInstant(f[1]) is null && ParseInstant(f[2]) is null)
                {
                    continue;
                }
            }

            if (f.Length != 4)
            {
                problems.Add(new(line, "columns"));
                continue;
            }

            if (f[0].Length is 0 or > 256)
            {
                problems.Add(new(line, "person"));
                continue;
            }

            if (ParseInstant(f[1]) is not { } start)
            {
                problems.Add(new(line, "start"));
                continue;
            }

            if (ParseInstant(f[2]) is not { } end)
            {
                problems.Add(new(line, "end"));
                continue;
            }

            RecordSource? source = f[3].ToLowerInvariant() switch { "pc" => RecordSource.Pc, "entry" => RecordSource.Entry, _ => null };
            if (source is null)
            {
                problems.Add(new(line, "source"));
                continue;
            }

            if (end < start)
            {
                problems.Add(new(line, "end_before_start"));
            }
            else if (end - start > MaxSpan)
            {
                problems.Add(new(line, "span_too_long"));
            }
            else if (end > now)
            {
                problems.Add(new(line, "future"));
            }
            else
            {
                rows.Add(new Row(line, f[0], start, end, source.Value));
            }
        }

        if (rows.Count == 0 && problems.Count == 0)
        {
            return RecordErrors.ImportEmpty;
        }

        if (rows.Count + problems.Count > MaxRows)
        {
            return RecordErrors.ImportTooLarge;
        }

        // People by account id, login name or e-mail (case-insensitive), in one query.
        var keys = rows.Select(r => r.Person).Distinct(StringComparer.Ordinal).ToList();
        var upper = keys.Select(k => k.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var found = await db.Users.AsNoTracking()
            .Where(u => keys.Contains(u.Id) || upper.Contains(u.NormalizedEmail!) || upper.Contains(u.NormalizedUserName!))
            .Select(u => new { u.Id, u.NormalizedEmail, u.NormalizedUserName }).ToListAsync(ct);
        string? Resolve(string key)
        {
            var k = key.ToUpperInvariant();
            return found.FirstOrDefault(u => u.Id == key)?.Id ?? found.FirstOrDefault(u => u.NormalizedEmail == k || u.NormalizedUserName == k)?.Id;
        }

        var resolved = new List<(Row Row, string UserId)>(rows.Count);
        foreach (var r in rows)
        {
            if (Resolve(r.Person) is { } id)
            {
                resolved.Add((r, id));
            }
            else
            {
                problems.Add(new(r.Line, "person_unknown"));
            }
        }

        if (problems.Count > 0)
        {
            var ordered = problems.OrderBy(p => p.Line).ToList();
            return RecordErrors.ImportInvalid with
            {
                Details = new Dictionary<string, object?>
                {
                    ["lines"] = ordered.Select(p => p.Line).Distinct().ToList(),
                    ["problems"] = ordered.Take(100).ToList(),
                },
            };
        }

        // A line already stored (the same file sent twice) is not stored again.
        var ids = resolved.Select(r => r.UserId).Distinct(StringComparer.Ordinal).ToList();
        var from = resolved.Min(r => JapanTime.DateOf(r.Row.Start));
        var to = resolved.Max(r => JapanTime.DateOf(r.Row.Start));
        var existing = (await db.WorkRecordLogs.AsNoTracking()
                .Where(l => l.Source != RecordSource.App && l.Date >= from && l.Date <= to && ids.Contains(l.UserId))
                .Select(l => new { l.UserId, l.Source, l.Start, l.End }).ToListAsync(ct))
            .Select(l => (l.UserId, l.Source, l.Start.UtcTicks, l.End.UtcTicks)).ToHashSet();
        var added = 0;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var (r, userId) in resolved)
        {
            if (!existing.Add((userId, r.Source, r.Start.UtcTicks, r.End.UtcTicks)))
            {
                continue;
            }

            db.WorkRecordLogs.Add(new WorkRecordLog
            {
                Id = Guid.NewGuid(), UserId = userId, Date = JapanTime.DateOf(r.Start), Source = r.Source, Start = r.Start, End = r.End, CreatedAt = now,
                CreatedById = actorId,
            });
            added++;
        }

        await db.SaveChangesAsync(ct);
        var result = new RecordsImportResult(added, resolved.Count - added, ids.Count, from, to, encoding);
        await audit.WriteAsync("work.records.imported", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["rows"] = added.ToString(CultureInfo.InvariantCulture),
            ["alreadyThere"] = result.AlreadyThere.ToString(CultureInfo.InvariantCulture),
            ["people"] = ids.Count.ToString(CultureInfo.InvariantCulture),
            ["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["encoding"] = encoding,
        }, within: db, ct: ct);
        await tx.CommitAsync(ct);
        return result;
    }
}
