using System.Data.Common;
using System.Globalization;
using System.Text;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Talk;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dokodemo.Talk;

/// <summary>A search: the query and its filters (dates are town dates, Asia/Tokyo, both included).</summary>
public sealed record SearchRequest(string? Q, int? Channel = null, string? Person = null, DateOnly? From = null, DateOnly? To = null, long? Before = null,
    int? Limit = null);

/// <summary>The text around the match, in three plain-text parts (the match is the middle one; whoever shows it escapes it).</summary>
public sealed record SearchSnippet(string Before, string Match, string After);

public sealed record SearchHit(long MessageId, int ChannelId, string ChannelName, string AuthorId, string AuthorName, DateTimeOffset CreatedAt,
    long? ThreadRootId, SearchSnippet Snippet);

/// <summary>A page of hits, newest first; <see cref="NextBefore"/> asks for the next (older) page.</summary>
public sealed record SearchPage(IReadOnlyList<SearchHit> Hits, long? NextBefore);

/// <summary>
/// Talk's search (issue 6 item 6, P5): exact substring matches of the normalised text (NFKC, lower case; Latin words as
/// whole words), newest first, paged, only in the channels the caller may read now — their channels (never a department
/// channel for side-job workers and partners) and, for insiders, the town's public project and topic channels, each as
/// the access policy decides (<see cref="TalkAccess"/>'s rules, asked once per label, not once per channel). The index
/// (<see cref="TalkSearchIndex"/>) narrows the candidates; the exact check runs in the same SQL before the LIMIT.
/// </summary>
public sealed class TalkSearch(AppDbContext db, TalkAccess talk, AccessCheck access, TownClock town, TimeProvider clock)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;

    /// <summary>
    /// Up to this many readable channels go into the index query as channel tokens (the index intersects them); more are
    /// a filter on the rows the term walk finds (a person who reads most channels finds their hits within the first few).
    /// Settable for the bench, which compares both.
    /// </summary>
    public static int ChannelTokensUpTo { get; set; } = 32;

    /// <summary>
    /// PostgreSQL, many readable channels, a query of two terms or more: when every term is common (PostgreSQL's own
    /// element statistics of "Terms" say so) the newest index rows are checked first, newest first, up to this many; if
    /// they hold a full page of hits that page is the answer (nothing older can come before it), else the GIN query runs as
    /// before. GIN is slow there: it fetches every row holding all the frequent bigrams (打合せ: ~28,000 of 1,000,000) to
    /// sort them, while a page is found in the newest ~2,000. 0 turns the walk off. Settable for the bench and the tests;
    /// the hits are the same.
    /// </summary>
    public static int NewestWalkRows { get; set; } = 10_000;

    /// <summary>Where PostgreSQL's statement reads from: the whole index, or (the walk) its newest rows.</summary>
    private const string FromIndex = """FROM "TalkSearch" WHERE""";

    public async Task<Result<SearchPage>> SearchAsync(SearchRequest r, CancellationToken ct)
    {
        var (query, problem) = SearchQuery.Parse(r.Q);
        switch (problem)
        {
            case SearchQueryProblem.TooShort:
                return TalkSearchErrors.TooShort;
            case SearchQueryProblem.TooLong:
                return TalkSearchErrors.TooLong;
            case SearchQueryProblem.NoTerms:
                return TalkSearchErrors.NoTerms;
        }

        if (r.From is { } f && r.To is { } t && f > t)
        {
            return TalkSearchErrors.DatesReversed;
        }

        var limit = Math.Clamp(r.Limit ?? DefaultLimit, 1, MaxLimit);
        var readable = await ReadableChannelsAsync(ct);
        if (r.Channel is { } only)
        {
            if (!readable.Contains(only))
            {
                return TalkErrors.ChannelNotFound;
            }

            readable = [only];
        }

        var from = r.From is { } d1 ? Start(d1) : (DateTimeOffset?)null;
        var to = r.To is { } d2 ? Start(d2.AddDays(1)) : (DateTimeOffset?)null;
        var ids = readable.Count == 0 ? [] : await MatchAsync(query!, readable, r.Person, from, to, r.Before, limit, ct);
        var hits = await ShapeAsync(query!, ids, ct);
        return new SearchPage(hits, ids.Count == limit ? ids[^1] : null);
    }

    /// <summary>The ids of the channels the caller may read now, as <see cref="TalkAccess.ChannelAsync"/> would decide each.</summary>
    public async Task<HashSet<int>> ReadableChannelsAsync(CancellationToken ct)
    {
        var outsider = talk.IsOutsider;
        var mine = await (from m in db.TalkMembers.AsNoTracking()
                          join c in db.TalkChannels.AsNoTracking() on m.ChannelId equals c.Id
                          where m.UserId == talk.UserId && !(outsider && c.Kind == ChannelKind.Department)
                          select c.Id).ToListAsync(ct);
        var relabelled = (await access.RelabelledAsync(ResourceTypes.TalkChannel, ct)).ToHashSet(StringComparer.Ordinal);
        var readable = new HashSet<int>();
        bool? asMember = null;
        foreach (var id in mine)
        {
            var key = TalkAccess.Id(id);
            var allowed = relabelled.Contains(key)
                ? await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Read, key, Relation.Member, ct)
                : asMember ??= await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Read, key, Relation.Member, ct);
            if (allowed)
            {
                readable.Add(id);
            }
        }

        if (outsider || !await talk.MayBrowseAsync(ct))
        {
            return readable;
        }

        var open = await db.TalkChannels.AsNoTracking()
            .Where(c => c.Visibility == ChannelVisibility.Public && (c.Kind == ChannelKind.Project || c.Kind == ChannelKind.Topic))
            .Select(c => c.Id).ToListAsync(ct);
        foreach (var id in open.Where(id => !readable.Contains(id)))
        {
            var key = TalkAccess.Id(id);
            if (!relabelled.Contains(key) || await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Read, key, Relation.None, ct))
            {
                readable.Add(id);
            }
        }

        return readable;
    }

    private DateTimeOffset Start(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, town.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>
    /// The matching message ids, newest first: index, channel, filters and the exact check in one statement (on PostgreSQL
    /// with many channels and common terms, first the same conditions over the newest rows: <see cref="NewestWalkRows"/>).
    /// </summary>
    private async Task<List<long>> MatchAsync(SearchQuery q, HashSet<int> channels, string? person, DateTimeOffset? from, DateTimeOffset? to, long? before,
        int limit, CancellationToken ct)
    {
        var postgres = db.IsPostgres;
        var tokens = channels.Count <= ChannelTokensUpTo;
        var sql = new StringBuilder();
        await using var c = db.Database.GetDbConnection().CreateCommand();
        if (postgres)
        {
            sql.Append("""SELECT "MessageId" """).Append(FromIndex).Append(""" "Terms" @> @terms AND strpos("Text", @q) > 0""");
            Add(c, "terms", q.Required.ToArray());
            if (tokens)
            {
                sql.Append(""" AND "Terms" && @channels""");
                Add(c, "channels", channels.Select(TalkSearchIndex.ChannelToken).ToArray());
            }
            else
            {
                sql.Append(""" AND "ChannelId" = ANY(@channels)""");
                Add(c, "channels", channels.ToArray());
            }

            sql.Append(before is null ? "" : """ AND "MessageId" < @before""");
        }
        else
        {
            sql.Append("""
                SELECT s."MessageId" FROM "TalkSearchFts" f JOIN "TalkSearch" s ON s."MessageId" = f.rowid
                WHERE "TalkSearchFts" MATCH @match AND instr(s."Text", @q) > 0
                """);
            var match = "(" + Quote(q.Phrase) + (q.LastIsPrefix ? " *" : "") + ")";
            if (tokens)
            {
                match += " AND (" + string.Join(" OR ", channels.Order().Select(id => Quote([TalkSearchIndex.ChannelToken(id)]))) + ")";
            }
            else
            {
                sql.Append(""" AND s."ChannelId" IN (SELECT value FROM json_each(@channels))""");
                Add(c, "channels", "[" + string.Join(',', channels.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]");
            }

            Add(c, "match", match);
            sql.Append(before is null ? "" : " AND f.rowid < @before");
        }

        Add(c, "q", q.Text);
        if (before is { } b)
        {
            Add(c, "before", b);
        }

        if (!string.IsNullOrEmpty(person))
        {
            sql.Append(""" AND "AuthorId" = @person""");
            Add(c, "person", person);
        }

        if (from is { } fr)
        {
            sql.Append(""" AND "CreatedAt" >= @from""");
            Add(c, "from", postgres ? fr : fr.ToUnixTimeMilliseconds());
        }

        if (to is { } tt)
        {
            sql.Append(""" AND "CreatedAt" < @to""");
            Add(c, "to", postgres ? tt : tt.ToUnixTimeMilliseconds());
        }

        sql.Append(postgres ? """ ORDER BY "MessageId" DESC LIMIT @limit""" : " ORDER BY f.rowid DESC LIMIT @limit");
        Add(c, "limit", limit);
        c.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var statement = sql.ToString();
            // One term: PostgreSQL's estimate is right and it walks the newest rows itself when the term is common (会議, teams).
            if (postgres && !tokens && NewestWalkRows > 0 && q.Required.Count > 1 && await WalkRowsAsync(q.Required, channels.Count, limit, ct) is > 0 and var rows)
            {
                // The same statement over the newest rows only (and before the page asked for): a full page there is the page.
                var newest = """FROM (SELECT * FROM "TalkSearch" """ + (before is null ? "" : """WHERE "MessageId" < @before """)
                    + """ORDER BY "MessageId" DESC LIMIT @walk) w WHERE""";
                c.CommandText = statement.Replace(FromIndex, newest, StringComparison.Ordinal);
                Add(c, "walk", rows);
                var found = await IdsAsync(c, limit, ct);
                if (found.Count == limit)
                {
                    return found;
                }

                c.Parameters.RemoveAt("@walk");
            }

            c.CommandText = statement;
            return await IdsAsync(c, limit, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<List<long>> IdsAsync(DbCommand c, int limit, CancellationToken ct)
    {
        var ids = new List<long>(limit);
        await using var reader = await c.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>
    /// How many of the newest rows to check first (0: none), from PostgreSQL's statistics of "Terms" (most_common_elems,
    /// kept by ANALYZE): every term of the query must be listed; the rarest one's frequency times the share of channels the
    /// caller reads is the expected rate of hits, and the walk is four pages' worth of rows at that rate, at most
    /// <see cref="NewestWalkRows"/>, when at least a page is expected there. Only a hint for the plan: no statistics (a new
    /// or small table) or a rare term means the GIN query alone.
    /// </summary>
    private async Task<int> WalkRowsAsync(IReadOnlyList<string> terms, int readable, int limit, CancellationToken ct)
    {
        await using var c = db.Database.GetDbConnection().CreateCommand();
        c.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        c.CommandText = """
            SELECT COUNT(*), COALESCE(MIN(x.f), 0), (SELECT COUNT(*) FROM "TalkChannels")
            FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS x(e, f)
            WHERE s.schemaname = current_schema() AND s.tablename = 'TalkSearch' AND s.attname = 'Terms' AND x.e = ANY(@terms)
            """;
        Add(c, "terms", terms.ToArray());
        await using var reader = await c.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.GetInt64(0) != terms.Count)
        {
            return 0;
        }

        var rate = reader.GetFloat(1) * Math.Min(1.0, readable / (double)Math.Max(1, reader.GetInt64(2)));
        return rate * NewestWalkRows < limit ? 0 : (int)Math.Min(NewestWalkRows, Math.Ceiling(4 * limit / rate));
    }

    /// <summary>An FTS5 phrase of terms (terms never hold a double quote; doubled anyway).</summary>
    private static string Quote(IEnumerable<string> terms) => "\"" + string.Join(' ', terms).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private async Task<List<SearchHit>> ShapeAsync(SearchQuery q, List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var rows = await db.TalkMessages.AsNoTracking()
            .Where(m => ids.Contains(m.Id) && m.DeletedAt == null)
            .Select(m => new { m.Id, m.ChannelId, m.AuthorId, m.Body, m.CreatedAt, m.ThreadRootId, m.ScheduledFor })
            .ToListAsync(ct);
        rows = [.. rows.Where(m => m.ScheduledFor is null || m.ScheduledFor <= now)];
        var channelIds = rows.Select(m => m.ChannelId).Distinct().ToList();
        var channels = await db.TalkChannels.AsNoTracking().Where(c => channelIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => new { c.Name, c.Kind }, ct);
        var direct = channels.Where(c => c.Value.Kind == ChannelKind.Direct).Select(c => c.Key).ToList();
        var others = await (from m in db.TalkMembers.AsNoTracking()
                            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                            where direct.Contains(m.ChannelId) && m.UserId != talk.UserId
                            select new { m.ChannelId, u.DisplayName }).ToListAsync(ct);
        var people = rows.Select(m => m.AuthorId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return
        [
            .. rows.OrderByDescending(m => m.Id).Select(m => new SearchHit(m.Id, m.ChannelId,
                others.FirstOrDefault(o => o.ChannelId == m.ChannelId)?.DisplayName ?? channels[m.ChannelId].Name,
                m.AuthorId, names.GetValueOrDefault(m.AuthorId, ""), m.CreatedAt, m.ThreadRootId, Snippet(m.Body, q.Text))),
        ];
    }

    /// <summary>
    /// The words around the first match, in the text as written (white space made single): each letter is normalised on its
    /// own (NFKC, lower case) to find the match and map it back, so ＡＢＣ shows as written when abc is searched.
    /// </summary>
    public static SearchSnippet Snippet(string body, string normalizedQuery, int around = 40)
    {
        var text = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var normalized = new StringBuilder(text.Length);
        var origin = new List<(int Start, int End)>(text.Length);
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            var element = (string)e.Current;
            var n = element.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
            normalized.Append(n);
            for (var i = 0; i < n.Length; i++)
            {
                origin.Add((e.ElementIndex, e.ElementIndex + element.Length));
            }
        }

        var at = normalized.ToString().IndexOf(normalizedQuery, StringComparison.Ordinal);
        if (at < 0 || normalizedQuery.Length == 0)
        {
            return new SearchSnippet(text.Length > around * 2 ? text[..(around * 2)] + "…" : text, "", "");
        }

        var (from, to) = (origin[at].Start, origin[at + normalizedQuery.Length - 1].End);
        var start = Math.Max(0, from - around);
        var end = Math.Min(text.Length, to + around);
        start -= start > 0 && char.IsLowSurrogate(text[start]) ? 1 : 0;
        end += end < text.Length && char.IsLowSurrogate(text[end]) ? 1 : 0;
        return new SearchSnippet((start > 0 ? "…" : "") + text[start..from], text[from..to], text[to..end] + (end < text.Length ? "…" : ""));
    }

    private static void Add(DbCommand c, string name, object value) => _ = Data.DbCommands.Set(c, name, value);
}

/// <summary>The stable codes of the search; each has a sentence in Text.TalkSearch.cs ("error." + code).</summary>
public static class TalkSearchErrors
{
    public static readonly Error TooShort = Errors.Field("talk.search_query_too_short", "q") with { Status = 422 };
    public static readonly Error TooLong = Errors.Field("talk.search_query_too_long", "q") with { Status = 422 };
    public static readonly Error NoTerms = Errors.Field("talk.search_query_no_terms", "q") with { Status = 422 };
    public static readonly Error DatesReversed = Errors.Field("talk.search_dates_reversed", "to") with { Status = 422 };

    public static IReadOnlyList<Error> All { get; } = [TooShort, TooLong, NoTerms, DatesReversed];
}
