using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>One message as exported: everything, deleted text and revisions included (this is the records export).</summary>
public sealed record ExportMessage(long Id, long? ThreadRootId, string AuthorId, string AuthorName, DateTimeOffset CreatedAt, string Body,
    DateTimeOffset? EditedAt, DateTimeOffset? DeletedAt, string? DeletedById, string? DeletedByName, string? DeleteReason, bool Disposed,
    bool Pinned, bool RequiresAck, IReadOnlyList<ExportRevision> Revisions, IReadOnlyList<ExportReaction> Reactions, IReadOnlyList<string> Attachments);

public sealed record ExportRevision(string Body, DateTimeOffset ReplacedAt, string EditedById, string EditedByName);

public sealed record ExportReaction(string Emoji, int Count);

public sealed record ExportMember(string UserId, string Name, string Role, DateTimeOffset JoinedAt);

/// <summary>What the JSON file holds (machine-readable), and what the transcript and CSV are made from.</summary>
public sealed record ExportDocument(int ChannelId, string ChannelName, string Kind, string Visibility, int Classification, string Purpose,
    string RetentionClass, bool LegalHold, DateOnly? From, DateOnly? To, DateTimeOffset ExportedAt, string ExportedById, string ExportedByName,
    IReadOnlyList<ExportMember> Members, IReadOnlyList<ExportMessage> Messages);

/// <summary>The file to send: a ZIP in a temporary file that deletes itself when the stream is closed.</summary>
public sealed record ExportFile(Stream Content, string FileName, int Messages);

/// <summary>
/// Extension point: another part of Talk adds entries to the ZIP and names per message (files: the attachments).
/// Register with <c>services.AddScoped&lt;ITalkExportPart, …&gt;()</c>.
/// </summary>
public interface ITalkExportPart
{
    /// <summary>File names to list with each message (<see cref="ExportMessage.Attachments"/>), by message id.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> NamesAsync(int channelId, IReadOnlyList<long> messageIds, CancellationToken ct);

    /// <summary>Add entries to the archive (e.g. "files/…"); called after the transcript, CSV and JSON are written.</summary>
    Task WriteAsync(ZipArchive zip, int channelId, IReadOnlyList<long> messageIds, CancellationToken ct);
}

/// <summary>
/// The export for a records request (情報公開請求): a ZIP of
/// <c>transcript.html</c> (Japanese, readable in any browser, times in JST), <c>messages.csv</c> (UTF-8 with BOM for Excel)
/// and <c>channel.json</c> (everything, machine-readable). Deleted messages are included with their text and their
/// trace (who, when, why), and edits with every earlier text: the records officer decides what to disclose (黒塗り), the
/// app does not. Synchronous and bounded (<see cref="MaxMessages"/> per export; narrow the date range beyond that);
/// the ZIP is built in a temporary file and streamed. Audited (<c>talk.channel_exported</c>) with the counts.
/// </summary>
public sealed class TalkExport(AppDbContext db, TimeProvider clock, TownClock town, AuditLog audit, TalkRetention retention,
    IEnumerable<ITalkExportPart> parts)
{
    public const int MaxMessages = 20_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses the optional range (yyyy-MM-dd, town days, both inclusive): 422 for a bad date or from &gt; to.</summary>
    public static Result<(DateOnly? From, DateOnly? To)> ParseRange(string? from, string? to)
    {
        DateOnly? f = null, t = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (!DateOnly.TryParseExact(from.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return TalkRetentionErrors.DateInvalid;
            }

            f = d;
        }

        if (!string.IsNullOrWhiteSpace(to))
        {
            if (!DateOnly.TryParseExact(to.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return TalkRetentionErrors.DateInvalidTo;
            }

            t = d;
        }

        return f is not null && t is not null && f > t ? TalkRetentionErrors.RangeInvalid : (f, t);
    }

    public async Task<Result<ExportFile>> ExportAsync(RecordsGrant g, string actorId, string? from, string? to, CancellationToken ct)
    {
        var range = ParseRange(from, to);
        if (!range.Ok)
        {
            return range.Error!;
        }

        var (f, t) = range.Value;
        var channel = g.Channel;
        var query = db.TalkMessages.AsNoTracking().Where(m => m.ChannelId == channel.Id);
        if (f is { } fd)
        {
            var start = Start(fd);
            query = query.Where(m => m.CreatedAt >= start);
        }

        if (t is { } td)
        {
            var end = Start(td.AddDays(1));
            query = query.Where(m => m.CreatedAt < end);
        }

        if (await query.CountAsync(ct) > MaxMessages)
        {
            return TalkRetentionErrors.TooLarge;
        }

        var document = await BuildAsync(g, actorId, query, f, t, ct);
        var ids = document.Messages.Select(m => m.Id).ToList();
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"dokodemo-talk-export-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                Write(zip, "transcript.html", Transcript(document), bom: false);
                Write(zip, "messages.csv", Csv(document), bom: true);
                Write(zip, "channel.json", JsonSerializer.Serialize(document, Json), bom: false);
                foreach (var part in parts)
                {
                    await part.WriteAsync(zip, channel.Id, ids, ct);
                }
            }

            file.Position = 0;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }

        var deleted = document.Messages.Count(m => m.DeletedAt is not null && !m.Disposed);
        await audit.WriteAsync("talk.channel_exported", AuditOutcome.Success, actorId, TalkAccess.Id(channel.Id), new Dictionary<string, string?>
        {
            ["messages"] = Num(document.Messages.Count), ["revisions"] = Num(document.Messages.Sum(m => m.Revisions.Count)), ["deleted"] = Num(deleted),
            ["from"] = f?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["to"] = t?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["as"] = g.IsOwner ? "owner" : "admin",
        }, ct: ct);
        var name = string.Create(CultureInfo.InvariantCulture, $"talk-{channel.Id}-{Local(document.ExportedAt):yyyyMMdd-HHmm}.zip");
        return new ExportFile(file, name, document.Messages.Count);
    }

    private async Task<ExportDocument> BuildAsync(RecordsGrant g, string actorId, IQueryable<TalkMessage> query, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var channel = g.Channel;
        var rows = await query.OrderBy(m => m.Id).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var revisions = (await db.TalkRevisions.AsNoTracking().Where(r => ids.Contains(r.MessageId)).OrderBy(r => r.Id).ToListAsync(ct)).ToLookup(r => r.MessageId);
        var reactions = (await db.TalkReactions.AsNoTracking().Where(r => ids.Contains(r.MessageId))
            .GroupBy(r => new { r.MessageId, r.Emoji }).Select(x => new { x.Key.MessageId, x.Key.Emoji, Count = x.Count() }).ToListAsync(ct)).ToLookup(r => r.MessageId);
        var pins = (await db.TalkPins.AsNoTracking().Where(p => p.ChannelId == channel.Id).Select(p => p.MessageId).ToListAsync(ct)).ToHashSet();
        var members = await db.TalkMembers.AsNoTracking().Where(m => m.ChannelId == channel.Id).ToListAsync(ct);
        var attachments = new Dictionary<long, List<string>>();
        foreach (var part in parts)
        {
            foreach (var (id, files) in await part.NamesAsync(channel.Id, ids, ct))
            {
                if (!attachments.TryGetValue(id, out var list))
                {
                    attachments[id] = list = [];
                }

                list.AddRange(files);
            }
        }

        var people = rows.Select(r => r.AuthorId).Concat(rows.Select(r => r.DeletedById)).Concat(revisions.SelectMany(r => r).Select(r => r.EditedById))
            .Concat(members.Select(m => m.UserId)).Append(actorId).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        string Name(string? id) => id is null ? "" : names.GetValueOrDefault(id, id);

        var settings = await db.TalkChannelRetention.AsNoTracking().FirstOrDefaultAsync(r => r.ChannelId == channel.Id, ct);
        var retentionClass = RetentionClasses.Find(settings?.Class)?.Code
            ?? (channel.RetentionDays is { } days ? days.ToString(CultureInfo.InvariantCulture) + "d" : retention.DefaultFor(channel.Kind).Code);
        return new ExportDocument(channel.Id, channel.Name, channel.Kind.ToString(), channel.Visibility.ToString(), (int)channel.Classification, channel.Purpose,
            retentionClass, settings?.LegalHold ?? false, from, to, clock.GetUtcNow(), actorId, Name(actorId),
            [.. members.OrderByDescending(m => m.Role).ThenBy(m => Name(m.UserId), StringComparer.Ordinal).Select(m => new ExportMember(m.UserId, Name(m.UserId), m.Role.ToString(), m.JoinedAt))],
            [
                .. rows.Select(m => new ExportMessage(m.Id, m.ThreadRootId, m.AuthorId, Name(m.AuthorId), m.CreatedAt, m.Body, m.EditedAt, m.DeletedAt, m.DeletedById,
                    m.DeletedById is null ? null : Name(m.DeletedById), m.DeleteReason, m.Body.Length == 0 && m.DeleteReason == TalkRetention.DisposedReason,
                    pins.Contains(m.Id), m.RequiresAck,
                    [.. revisions[m.Id].Select(r => new ExportRevision(r.Body, r.ReplacedAt, r.EditedById, Name(r.EditedById)))],
                    [.. reactions[m.Id].OrderBy(r => TalkLimits.Emoji.ToList().IndexOf(r.Emoji)).Select(r => new ExportReaction(r.Emoji, r.Count))],
                    attachments.TryGetValue(m.Id, out var a) ? a : [])),
            ]);
    }

    private DateTimeOffset Start(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, town.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, town.Zone).DateTime;

    private string Jst(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private string Iso(DateTimeOffset? instant) =>
        instant is { } i ? TimeZoneInfo.ConvertTime(i, town.Zone).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) : "";

    private static void Write(ZipArchive zip, string name, string text, bool bom)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: bom));
        writer.Write(text);
    }

    private static string Day(DateOnly? d, string none) => d is { } x ? x.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : none;

    private static string H(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string KindJa(string kind) => kind switch
    {
        nameof(ChannelKind.Department) => "所属",
        nameof(ChannelKind.Project) => "プロジェクト",
        nameof(ChannelKind.Topic) => "話題",
        nameof(ChannelKind.Direct) => "個人間",
        nameof(ChannelKind.Group) => "グループ",
        _ => kind,
    };

    private static string ClassJa(string code) =>
        RetentionClasses.Find(code)?.Ja ?? (code.EndsWith('d') ? code[..^1] + "日" : code);

    /// <summary>The human-readable transcript (Japanese; times in JST; text escaped, shown as written).</summary>
    public string Transcript(ExportDocument d)
    {
        var b = new StringBuilder();
        var exportedOn = DateOnly.FromDateTime(Local(d.ExportedAt));
        b.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="ja"><head><meta charset="utf-8"><title>{{H(d.ChannelName)}} — トーク記録</title>
            <style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.6}
            .m{border-top:1px solid #ccc;padding:.5rem 0}.body{white-space:pre-wrap}.meta{color:#555;font-size:.9em}
            .del{background:#fff3f3;border-left:4px solid #c33;padding:.25rem .5rem}.rev{background:#f6f6f6;padding:.25rem .5rem}</style></head><body>
            <h1>トーク記録（情報公開請求用）</h1>
            <table>
            <tr><th>チャンネル</th><td>{{H(d.ChannelName)}}（{{KindJa(d.Kind)}}・{{(d.Visibility == nameof(ChannelVisibility.Public) ? "町内公開" : "非公開")}}・機密性{{d.Classification}}）</td></tr>
            <tr><th>目的</th><td>{{H(d.Purpose)}}</td></tr>
            <tr><th>保存期間</th><td>{{H(ClassJa(d.RetentionClass))}}{{(d.LegalHold ? "（訴訟ホールド中）" : "")}}</td></tr>
            <tr><th>対象期間</th><td>{{Day(d.From, "最初")}} 〜 {{Day(d.To, "最新")}}</td></tr>
            <tr><th>書出し</th><td>{{Jst(d.ExportedAt)}} JST（{{JapaneseDates.WarekiDate(exportedOn)}}）{{H(d.ExportedByName)}}</td></tr>
            <tr><th>件数</th><td>{{d.Messages.Count}}件</td></tr>
            </table>
            <p>削除されたメッセージは、削除された本文と削除の記録（誰が・いつ・理由）を含めて収録しています。編集されたメッセージは、編集前の本文をすべて収録しています。公開・非公開の判断（黒塗り）は文書管理担当が行ってください。</p>
            <h2>メンバー（{{d.Members.Count}}人）</h2>
            <ul>
            """);
        foreach (var m in d.Members)
        {
            b.Append(CultureInfo.InvariantCulture, $"<li>{H(m.Name)}{(m.Role == nameof(MemberRole.Owner) ? "（管理者）" : "")} — 参加 {Jst(m.JoinedAt)}</li>\n");
        }

        b.Append("</ul>\n<h2>メッセージ</h2>\n");
        foreach (var m in d.Messages)
        {
            b.Append(CultureInfo.InvariantCulture, $"<div class=\"m\" id=\"m-{m.Id}\"><p class=\"meta\">#{m.Id} {H(m.AuthorName)} — {Jst(m.CreatedAt)} JST");
            if (m.ThreadRootId is { } root)
            {
                b.Append(CultureInfo.InvariantCulture, $"（<a href=\"#m-{root}\">#{root}</a> への返信）");
            }

            if (m.Pinned)
            {
                b.Append("（ピン留め）");
            }

            if (m.EditedAt is { } edited)
            {
                b.Append(CultureInfo.InvariantCulture, $"（編集 {Jst(edited)}）");
            }

            b.Append("</p>\n");
            if (m.Disposed)
            {
                b.Append(CultureInfo.InvariantCulture, $"<p class=\"del\">{H(TalkRetention.DisposedReason)}（{(m.DeletedAt is { } at ? Jst(at) : "")}）</p>\n");
            }
            else if (m.DeletedAt is { } deletedAt)
            {
                b.Append(CultureInfo.InvariantCulture, $"<p class=\"del\">削除：{Jst(deletedAt)} JST {H(m.DeletedByName)}{(string.IsNullOrEmpty(m.DeleteReason) ? "" : "（理由：" + H(m.DeleteReason) + "）")}</p>\n");
                b.Append(CultureInfo.InvariantCulture, $"<div class=\"body\">削除された本文：\n{H(m.Body)}</div>\n");
            }
            else
            {
                b.Append(CultureInfo.InvariantCulture, $"<div class=\"body\">{H(m.Body)}</div>\n");
            }

            foreach (var r in m.Revisions)
            {
                b.Append(CultureInfo.InvariantCulture, $"<div class=\"rev\"><p class=\"meta\">編集前の本文（{Jst(r.ReplacedAt)} JST に {H(r.EditedByName)} が変更）</p><div class=\"body\">{H(r.Body)}</div></div>\n");
            }

            if (m.Reactions.Count > 0)
            {
                b.Append("<p class=\"meta\">リアクション：").Append(string.Join(" ", m.Reactions.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Emoji}×{r.Count}")))).Append("</p>\n");
            }

            if (m.Attachments.Count > 0)
            {
                b.Append("<p class=\"meta\">添付：").Append(string.Join("、", m.Attachments.Select(H))).Append("</p>\n");
            }

            b.Append("</div>\n");
        }

        b.Append("</body></html>\n");
        return b.ToString();
    }

    /// <summary>One row per message (and no row per revision: those are in the JSON and the transcript). RFC 4180 quoting.</summary>
    public string Csv(ExportDocument d)
    {
        var b = new StringBuilder();
        b.Append("id,thread_root_id,created_at,author_id,author_name,body,edited_at,revisions,deleted_at,deleted_by_name,delete_reason,disposed,pinned,attachments\r\n");
        foreach (var m in d.Messages)
        {
            string[] cells =
            [
                m.Id.ToString(CultureInfo.InvariantCulture), m.ThreadRootId?.ToString(CultureInfo.InvariantCulture) ?? "", Iso(m.CreatedAt), m.AuthorId, m.AuthorName,
                m.Body, Iso(m.EditedAt), m.Revisions.Count.ToString(CultureInfo.InvariantCulture), Iso(m.DeletedAt), m.DeletedByName ?? "", m.DeleteReason ?? "",
                m.Disposed ? "1" : "0", m.Pinned ? "1" : "0", string.Join(" / ", m.Attachments),
            ];
            b.Append(string.Join(",", cells.Select(Cell))).Append("\r\n");
        }

        return b.ToString();
    }

    /// <summary>A CSV cell: quoted when needed; a leading = + - @ is prefixed with ' so Excel does not run it as a formula.</summary>
    private static string Cell(string s)
    {
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            s = "'" + s;
        }

        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
