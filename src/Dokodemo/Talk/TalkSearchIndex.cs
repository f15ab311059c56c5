using System.Data.Common;
using System.Globalization;
using Dokodemo.Data;
using Dokodemo.Domain.Talk;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Dokodemo.Talk;

/// <summary>
/// The search index of Talk (P5; migration 0019), written by raw SQL on the context's connection and inside its
/// transaction, so a message and its index row are saved together or not at all. Both databases keep one row per message
/// in "TalkSearch" (channel, author, time, the normalised text for the exact check); SQLite adds the FTS5 table
/// "TalkSearchFts" (terms in order, rowid = message id), PostgreSQL a text[] of the distinct terms under GIN. Each
/// document carries its channel as a token "_c&lt;id&gt;" so a small set of readable channels is part of the index query.
/// Deleted messages are never in the index.
/// </summary>
public static class TalkSearchIndex
{
    /// <summary>The text a message is searched by: its body, and (later) the names of its files, one per line.</summary>
    public static string IndexedText(string body, IEnumerable<string>? extraNames = null) =>
        extraNames is null ? body : string.Join('\n', new[] { body }.Concat(extraNames));

    /// <summary>The token of a channel in the documents ('_' never occurs in a term).</summary>
    public static string ChannelToken(int channelId) => "_c" + channelId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Adds or replaces the message's row (insert, edit). Call inside the transaction that saves the message.</summary>
    public static async Task WriteAsync(AppDbContext db, TalkMessage m, string? indexedText = null, CancellationToken ct = default)
    {
        await RemoveAsync(db, m.Id, ct);
        if (m.DeletedAt is not null)
        {
            return;
        }

        var text = indexedText ?? IndexedText(m.Body);
        if (db.IsPostgres)
        {
            var (normalised, terms) = PostgresRow(m, text);
            await using var c = Command(db, PostgresInsertPositional);
            foreach (var value in new object[] { m.Id, m.ChannelId, m.AuthorId, m.CreatedAt.ToUniversalTime(), normalised, terms })
            {
                c.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await c.ExecuteNonQueryAsync(ct);
            return;
        }

        await using (var c = Command(db, """INSERT INTO "TalkSearch" ("MessageId", "ChannelId", "AuthorId", "CreatedAt", "Text") VALUES (@id, @channel, @author, @at, @text)"""))
        {
            Add(c, "id", m.Id);
            Add(c, "channel", m.ChannelId);
            Add(c, "author", m.AuthorId);
            Add(c, "at", m.CreatedAt.ToUnixTimeMilliseconds());
            Add(c, "text", SearchTerms.Normalize(text));
            await c.ExecuteNonQueryAsync(ct);
        }

        await using (var f = Command(db, """INSERT INTO "TalkSearchFts" (rowid, "Terms") VALUES (@id, @terms)"""))
        {
            Add(f, "id", m.Id);
            Add(f, "terms", SqliteDocument(text, m.ChannelId));
            await f.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// SQLite: the statements that insert a message's index rows in a writer's own command (the message writer, P4): the
    /// same rows as <see cref="WriteAsync"/>, in the writer's transaction. They are the same for every message, so a
    /// writer can keep one prepared command; <see cref="BindSqliteInsert"/> adds their values. The command also needs
    /// <c>@id</c>, <c>@channel</c> and <c>@author</c>, which the writer binds.
    /// </summary>
    // OR REPLACE: on SQLite a message id can be taken again after a rollback (the AUTOINCREMENT sequence rolls back with
    // the message). An index row left behind for such an id must not refuse every later message (as it did when a shared
    // pooled connection, Microsoft.Data.Sqlite 10.0.11, rolled the writer's transaction back under it); the new message's
    // row replaces it. PostgreSQL's sequences never give an id twice.
    public static IReadOnlyList<string> SqliteInsertSql { get; } =
    [
        """INSERT OR REPLACE INTO "TalkSearch" ("MessageId", "ChannelId", "AuthorId", "CreatedAt", "Text") VALUES (@id, @channel, @author, @search_at, @search_text)""",
        """INSERT OR REPLACE INTO "TalkSearchFts" (rowid, "Terms") VALUES (@id, @search_doc)""",
    ];

    /// <summary>Adds the values of <see cref="SqliteInsertSql"/> for <paramref name="m"/> to <paramref name="command"/>.</summary>
    public static void BindSqliteInsert(DbCommand command, TalkMessage m)
    {
        var text = IndexedText(m.Body);
        Add(command, "search_text", SearchTerms.Normalize(text));
        Add(command, "search_at", m.CreatedAt.ToUnixTimeMilliseconds());
        Add(command, "search_doc", SqliteDocument(text, m.ChannelId));
    }

    /// <summary>
    /// PostgreSQL: the insert of a message's index row with positional parameters (message id, channel, author, instant,
    /// then the two values of <see cref="PostgresRow"/>), for a writer's batch: the same row as <see cref="WriteAsync"/>.
    /// </summary>
    public const string PostgresInsertPositional =
        """INSERT INTO "TalkSearch" ("MessageId", "ChannelId", "AuthorId", "CreatedAt", "Text", "Terms") VALUES ($1, $2, $3, $4, $5, $6)""";

    /// <summary>PostgreSQL: the normalised text and the terms of a message's index row (<paramref name="text"/>: what
    /// <see cref="IndexedText"/> built, by default from the body alone).</summary>
    public static (string Text, string[] Terms) PostgresRow(TalkMessage m, string? text = null)
    {
        text ??= IndexedText(m.Body);
        return (SearchTerms.Normalize(text), PostgresTerms(text, m.ChannelId));
    }

    /// <summary>Removes a message from the index (delete). Call inside the transaction that saves the deletion.</summary>
    public static async Task RemoveAsync(AppDbContext db, long messageId, CancellationToken ct = default)
    {
        await using (var c = Command(db, """DELETE FROM "TalkSearch" WHERE "MessageId" = @id"""))
        {
            Add(c, "id", messageId);
            await c.ExecuteNonQueryAsync(ct);
        }

        if (!db.IsPostgres)
        {
            await using var f = Command(db, """DELETE FROM "TalkSearchFts" WHERE rowid = @id""");
            Add(f, "id", messageId);
            await f.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Removes many messages from the index in two statements (retention's disposal). Inside the caller's transaction.</summary>
    public static async Task RemoveManyAsync(AppDbContext db, IReadOnlyList<long> messageIds, CancellationToken ct = default)
    {
        if (messageIds.Count == 0)
        {
            return;
        }

        var list = string.Join(",", messageIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        await using (var c = Command(db, $"""DELETE FROM "TalkSearch" WHERE "MessageId" IN ({list})"""))
        {
            await c.ExecuteNonQueryAsync(ct);
        }

        if (!db.IsPostgres)
        {
            await using var f = Command(db, $"""DELETE FROM "TalkSearchFts" WHERE rowid IN ({list})""");
            await f.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>SQLite's document: every term in order (phrases need positions) and the channel token last.</summary>
    public static string SqliteDocument(string text, int channelId) => string.Join(' ', SearchTerms.Sequence(text).Append(ChannelToken(channelId)));

    /// <summary>PostgreSQL's terms: the distinct terms and the channel token.</summary>
    public static string[] PostgresTerms(string text, int channelId) => [.. SearchTerms.Of(text).Append(ChannelToken(channelId))];

    /// <summary>
    /// Indexes the messages newer than the newest indexed one (not deleted), in batches of one transaction each: the
    /// messages written before the index existed, or by a bulk load. Runs at start; cheap when there is nothing to do.
    /// </summary>
    public static async Task<int> CatchUpAsync(AppDbContext db, CancellationToken ct = default)
    {
        var total = 0;
        while (true)
        {
            long after;
            await using (var c = Command(db, """SELECT COALESCE(MAX("MessageId"), 0) FROM "TalkSearch" """))
            {
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    after = Convert.ToInt64(await c.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            }

            var batch = await db.TalkMessages.AsNoTracking().Where(m => m.Id > after).OrderBy(m => m.Id).Take(5000)
                .Select(m => new TalkMessage { Id = m.Id, ChannelId = m.ChannelId, AuthorId = m.AuthorId, Body = m.Body, CreatedAt = m.CreatedAt, DeletedAt = m.DeletedAt })
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return total;
            }

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (db.IsPostgres)
            {
                await CopyAsync(db, batch, ct);
            }
            else
            {
                await InsertSqliteAsync(db, batch, ct);
            }

            await tx.CommitAsync(ct);
            total += batch.Count;
        }
    }

    /// <summary>Empties the index and builds it again from the messages (`Dokodemo talk reindex`).</summary>
    public static async Task<int> RebuildAsync(AppDbContext db, CancellationToken ct = default)
    {
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await using (var c = Command(db, """DELETE FROM "TalkSearch" """))
            {
                await c.ExecuteNonQueryAsync(ct);
            }

            if (!db.IsPostgres)
            {
                await using var f = Command(db, """DELETE FROM "TalkSearchFts" """);
                await f.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        return await CatchUpAsync(db, ct);
    }

    /// <summary>
    /// Rows are written for the deleted messages of a batch too, then removed, so the newest indexed id still moves past
    /// them (the catch-up starts after it); a deleted message is never left in the index.
    /// </summary>
    private static async Task InsertSqliteAsync(AppDbContext db, List<TalkMessage> batch, CancellationToken ct)
    {
        await using var c = Command(db, """INSERT INTO "TalkSearch" ("MessageId", "ChannelId", "AuthorId", "CreatedAt", "Text") VALUES (@id, @channel, @author, @at, @text)""");
        var (id, channel, author, at, text) = (Add(c, "id", 0L), Add(c, "channel", 0), Add(c, "author", ""), Add(c, "at", 0L), Add(c, "text", ""));
        await using var f = Command(db, """INSERT INTO "TalkSearchFts" (rowid, "Terms") VALUES (@id, @terms)""");
        var (fid, terms) = (Add(f, "id", 0L), Add(f, "terms", ""));
        foreach (var m in batch)
        {
            var body = m.DeletedAt is null ? IndexedText(m.Body) : "";
            (id.Value, channel.Value, author.Value, at.Value, text.Value) = (m.Id, m.ChannelId, m.AuthorId, m.CreatedAt.ToUnixTimeMilliseconds(), SearchTerms.Normalize(body));
            await c.ExecuteNonQueryAsync(ct);
            if (m.DeletedAt is null)
            {
                (fid.Value, terms.Value) = (m.Id, SqliteDocument(body, m.ChannelId));
                await f.ExecuteNonQueryAsync(ct);
            }
        }

        await DropDeletedAsync(db, batch, ct);
    }

    private static async Task CopyAsync(AppDbContext db, List<TalkMessage> batch, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var w = await connection.BeginBinaryImportAsync(
            """COPY "TalkSearch" ("MessageId", "ChannelId", "AuthorId", "CreatedAt", "Text", "Terms") FROM STDIN (FORMAT BINARY)""", ct))
        {
            foreach (var m in batch)
            {
                var body = m.DeletedAt is null ? IndexedText(m.Body) : "";
                await w.StartRowAsync(ct);
                await w.WriteAsync(m.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(m.ChannelId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(m.AuthorId, NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(m.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(SearchTerms.Normalize(body), NpgsqlDbType.Text, ct);
                await w.WriteAsync(m.DeletedAt is null ? PostgresTerms(body, m.ChannelId) : [], NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            }

            await w.CompleteAsync(ct);
        }

        await DropDeletedAsync(db, batch, ct);
    }

    private static async Task DropDeletedAsync(AppDbContext db, List<TalkMessage> batch, CancellationToken ct)
    {
        // The newest row stays (empty, never found: no terms, empty text) so the next catch-up starts after it.
        var newest = batch[^1].Id;
        foreach (var m in batch.Where(m => m.DeletedAt is not null && m.Id != newest))
        {
            await RemoveAsync(db, m.Id, ct);
        }
    }

    private static DbCommand Command(AppDbContext db, string sql)
    {
        var c = db.Database.GetDbConnection().CreateCommand();
        c.CommandText = sql;
        c.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return c;
    }

    private static DbParameter Add(DbCommand c, string name, object value) => Data.DbCommands.Set(c, name, value);
}
