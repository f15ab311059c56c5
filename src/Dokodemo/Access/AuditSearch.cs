using System.Globalization;
using System.Text;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Access;

/// <summary>
/// One audit entry as the page, the API and the CSV show it: the stored fields, plus the display names of the actor
/// and subject. The previous hash is left out: it is the hash of the entry before, shown on that entry.
/// </summary>
public sealed record AuditEntryDto(
    long Sequence,
    DateTimeOffset At,
    string Event,
    string? ActorId,
    string? ActorName,
    string? SubjectId,
    string? SubjectName,
    string Outcome,
    string? Decision,
    int? PolicyVersion,
    string IpAddress,
    string? DeviceId,
    string? NetworkZone,
    string? Country,
    string Details,
    string Hash);

/// <summary>
/// What to look for. Times are UTC instants, <see cref="From"/> inclusive and <see cref="To"/> exclusive. Actor and
/// subject match a person's id, e-mail address or part of their name.
/// </summary>
public sealed record AuditFilter(DateTimeOffset? From, DateTimeOffset? To, string? Event, string? Actor, string? Subject, string? Outcome, string? Decision)
{
    /// <summary>Japan time (日本標準時); Japan has no daylight saving, so a fixed offset is exact.</summary>
    public static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    public static readonly AuditFilter None = new(null, null, null, null, null, null, null);

    /// <summary>
    /// Reads the filter as typed by a person or an integration. A date (YYYY-MM-DD) is a whole day in Japan time, so
    /// "to 2026-04-30" includes all of the 30th; an instant with an offset (RFC 3339) is taken as it is.
    /// </summary>
    public static Result<AuditFilter> Parse(string? from, string? to, string? @event, string? actor, string? subject, string? outcome, string? decision)
    {
        if (!TryTime(from, endOfDay: false, out var f))
        {
            return Errors.Field("audit.date_invalid", "from");
        }

        if (!TryTime(to, endOfDay: true, out var t))
        {
            return Errors.Field("audit.date_invalid", "to");
        }

        if (f is not null && t is not null && f >= t)
        {
            return Errors.Field("audit.range_invalid", "to");
        }

        var o = Blank(outcome);
        if (o is not null && !AuditOutcome.All.Contains(o, StringComparer.Ordinal))
        {
            return Errors.Field("audit.filter_invalid", "outcome");
        }

        var d = Blank(decision);
        if (d is not null && !AuditDecision.All.Contains(d, StringComparer.Ordinal))
        {
            return Errors.Field("audit.filter_invalid", "decision");
        }

        var e = Blank(@event);
        var a = Blank(actor);
        var s = Blank(subject);
        if (e?.Length > 64 || a?.Length > 254 || s?.Length > 254)
        {
            return Errors.Field("audit.filter_invalid", e?.Length > 64 ? "event" : a?.Length > 254 ? "actor" : "subject");
        }

        return new AuditFilter(f, t, e, a, s, o, d);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool TryTime(string? text, bool endOfDay, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var t = text.Trim();
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            // As UTC: PostgreSQL takes only UTC instants for timestamp with time zone.
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Jst).ToUniversalTime();
            value = endOfDay ? start.AddDays(1) : start;
            return true;
        }

        // An instant must say its offset: a bare local time would depend on the server's zone.
        if (t.Length > 10 && (t.EndsWith('Z') || t[^6] is '+' or '-')
            && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            value = instant.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary>The filter as a query string, for links (CSV, pages) that keep it.</summary>
    public static string Query(string? from, string? to, string? @event, string? actor, string? subject, string? outcome, string? decision)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("from", from);
        Add("to", to);
        Add("event", @event);
        Add("actor", actor);
        Add("subject", subject);
        Add("outcome", outcome);
        Add("decision", decision);
        return string.Join('&', parts);
    }
}

/// <summary>Search the audit log and export what was found as CSV: the same code for the page and the API.</summary>
public sealed class AuditSearch(AppDbContext db, AuditLog audit)
{
    /// <summary>The most entries one API call returns; page with offset and limit.</summary>
    public const int MaxPage = 500;

    /// <summary>The entries matching the filter, newest first, and how many match in all.</summary>
    public async Task<(int Total, IReadOnlyList<AuditEntryDto> Items)> SearchAsync(AuditFilter filter, int offset, int limit, CancellationToken ct = default)
    {
        var q = await FilteredAsync(filter, ct);
        var total = await q.CountAsync(ct);
        return (total, total == 0 ? [] : await PageAsync(q, offset, limit, ct));
    }

    /// <summary>How many entries match (for a page that must know the last page before it asks for one).</summary>
    public async Task<int> CountAsync(AuditFilter filter, CancellationToken ct = default) => await (await FilteredAsync(filter, ct)).CountAsync(ct);

    /// <summary>One page of the matching entries, newest first, without counting them.</summary>
    public async Task<IReadOnlyList<AuditEntryDto>> PageAsync(AuditFilter filter, int offset, int limit, CancellationToken ct = default) =>
        await PageAsync(await FilteredAsync(filter, ct), offset, limit, ct);

    private async Task<IReadOnlyList<AuditEntryDto>> PageAsync(IQueryable<AuditEntry> q, int offset, int limit, CancellationToken ct) =>
        await Project(q.OrderByDescending(e => e.Sequence).Skip(Math.Max(0, offset)).Take(Math.Clamp(limit, 0, MaxPage))).ToListAsync(ct);

    /// <summary>The event names in the log, for the page's choice list.</summary>
    public async Task<IReadOnlyList<string>> EventsAsync(CancellationToken ct = default) =>
        await db.AuditEntries.AsNoTracking().Select(e => e.Event).Distinct().OrderBy(e => e).ToListAsync(ct);

    private async Task<IQueryable<AuditEntry>> FilteredAsync(AuditFilter f, CancellationToken ct)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (f.From is { } from)
        {
            q = q.Where(e => e.At >= from);
        }

        if (f.To is { } to)
        {
            q = q.Where(e => e.At < to);
        }

        if (f.Event is { } ev)
        {
            q = q.Where(e => e.Event == ev);
        }

        if (f.Outcome is { } outcome)
        {
            q = q.Where(e => e.Outcome == outcome);
        }

        if (f.Decision is { } decision)
        {
            q = q.Where(e => e.Decision == decision);
        }

        if (f.Actor is { } actor)
        {
            var ids = await PeopleAsync(actor, ct);
            q = q.Where(e => e.ActorId == actor || ids.Contains(e.ActorId!));
        }

        if (f.Subject is { } subject)
        {
            var ids = await PeopleAsync(subject, ct);
            q = q.Where(e => e.SubjectId == subject || ids.Contains(e.SubjectId!));
        }

        return q;
    }

    /// <summary>Ids of the people whose id or e-mail address is the text, or whose name contains it.</summary>
    private async Task<List<string>> PeopleAsync(string text, CancellationToken ct)
    {
        var upper = text.ToUpperInvariant();
        return await db.Users.AsNoTracking()
            .Where(u => u.Id == text || u.NormalizedEmail == upper || u.DisplayName.Contains(text))
            .Select(u => u.Id).Take(1000).ToListAsync(ct);
    }

    private IQueryable<AuditEntryDto> Project(IQueryable<AuditEntry> q) =>
        from e in q
        join a in db.Users on e.ActorId equals a.Id into actors
        from a in actors.DefaultIfEmpty()
        join s in db.Users on e.SubjectId equals s.Id into subjects
        from s in subjects.DefaultIfEmpty()
        select new AuditEntryDto(e.Sequence, e.At, e.Event, e.ActorId, a == null ? null : a.DisplayName, e.SubjectId, s == null ? null : s.DisplayName,
            e.Outcome, e.Decision, e.PolicyVersion, e.IpAddress, e.DeviceId, e.NetworkZone, e.Country, e.Details, e.Hash);

    /// <summary>
    /// Writes the matching entries as CSV for a spreadsheet: UTF-8 with a BOM (so Excel reads Japanese), RFC 4180
    /// quoting and CRLF line ends, control characters made visible and formula-like cells neutralised (R44).
    /// The export itself is an audited action.
    /// </summary>
    public async Task WriteCsvAsync(AuditFilter filter, Stream output, bool english, string? actorId, CancellationToken ct = default)
    {
        var q = await FilteredAsync(filter, ct);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        string L(string key) => Text.Get(key, english);
        await writer.WriteLineAsync(AuditCsv.Row([L("audit.col.seq"), L("audit.col.at"), L("audit.event"), L("audit.col.event_code"), L("audit.actor"),
            L("audit.col.actor_id"), L("audit.subject"), L("audit.col.subject_id"), L("audit.outcome"), L("audit.decision"), L("audit.col.policy"),
            L("audit.col.ip"), L("audit.col.device"), L("audit.col.zone"), L("audit.col.country"), L("audit.col.details"), L("audit.col.hash")]));
        var rows = 0;
        await foreach (var e in Project(q.OrderBy(e => e.Sequence)).AsAsyncEnumerable().WithCancellation(ct))
        {
            await writer.WriteLineAsync(AuditCsv.Row([
                e.Sequence.ToString(CultureInfo.InvariantCulture),
                AuditDisplay.Time(e.At),
                AuditDisplay.EventName(e.Event, english),
                e.Event,
                e.ActorName ?? (e.ActorId is null ? L("audit.system") : ""),
                e.ActorId,
                e.SubjectName,
                e.SubjectId,
                AuditDisplay.Label("audit.outcome.", e.Outcome, english),
                e.Decision is null ? null : AuditDisplay.Label("audit.decision.", e.Decision, english),
                e.PolicyVersion?.ToString(CultureInfo.InvariantCulture),
                e.IpAddress,
                e.DeviceId,
                e.NetworkZone,
                e.Country,
                AuditDisplay.Details(e.Details),
                e.Hash,
            ]));
            rows++;
        }

        await writer.FlushAsync(ct);
        await audit.WriteAsync("audit.exported", AuditOutcome.Success, actorId: actorId, ct: ct, details: new Dictionary<string, string?>
        {
            ["format"] = "csv",
            ["from"] = filter.From?.ToString("O", CultureInfo.InvariantCulture),
            ["to"] = filter.To?.ToString("O", CultureInfo.InvariantCulture),
            ["rows"] = rows.ToString(CultureInfo.InvariantCulture),
        });
    }
}

/// <summary>RFC 4180 rows that are safe to open in a spreadsheet.</summary>
public static class AuditCsv
{
    public static string Row(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell));

    /// <summary>
    /// One cell. Control characters become visible symbols (so a CR/LF in a name cannot start a new row), a cell that a
    /// spreadsheet would read as a formula (= + - @) gets a leading apostrophe, and a cell with a comma, a quote or
    /// surrounding spaces is quoted with its quotes doubled.
    /// </summary>
    public static string Cell(string? value)
    {
        var v = AuditDisplay.Safe(value);
        if (v.Length > 0 && v[0] is '=' or '+' or '-' or '@')
        {
            v = "'" + v;
        }

        return v.Contains(',', StringComparison.Ordinal) || v.Contains('"', StringComparison.Ordinal) || v != v.Trim()
            ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : v;
    }
}

/// <summary>How audit values are shown to people: times in Japan time, names translated, control characters visible.</summary>
public static class AuditDisplay
{
    public static string Time(DateTimeOffset at) => at.ToOffset(AuditFilter.Jst).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The event's name in the reader's language when the catalog knows it, else the stored name.</summary>
    public static string EventName(string @event, bool english) => Label("audit.event.", @event, english);

    public static string Label(string prefix, string value, bool english)
    {
        var key = prefix + value;
        return Text.All.ContainsKey(key) ? Text.Get(key, english) : Safe(value);
    }

    /// <summary>
    /// Makes stored text harmless to show (R44): C0 controls (CR, LF, ESC, …) become their visible Unicode symbols
    /// (␍ ␊ ␛), DEL becomes ␡, and C1 controls and bidirectional overrides (which could make a line read differently
    /// than it is) become &lt;U+XXXX&gt;. Everything else is shown as stored; HTML encoding is the page's job.
    /// </summary>
    public static string Safe(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var ch in value)
        {
            if (ch < ' ')
            {
                sb.Append((char)(0x2400 + ch));
            }
            else if (ch == '\u007f')
            {
                sb.Append('\u2421');
            }
            else if (NeedsEscape(ch))
            {
                sb.Append("<U+").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture)).Append('>');
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    private static bool NeedsEscape(char ch) =>
        ch < ' ' || ch is >= '\u007f' and <= '\u009f' || ch is '\u200e' or '\u200f' or '\u061c' || ch is >= '\u202a' and <= '\u202e' || ch is >= '\u2066' and <= '\u2069';

    /// <summary>The details object as "key=value" pairs, made safe; the stored text itself when it is not an object of strings.</summary>
    public static string Details(string json)
    {
        try
        {
            var pairs = JsonSerializer.Deserialize<Dictionary<string, string?>>(json);
            return pairs is null ? Safe(json) : string.Join(' ', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Safe(p.Key) + "=" + Safe(p.Value)));
        }
        catch (JsonException)
        {
            return Safe(json);
        }
    }
}
