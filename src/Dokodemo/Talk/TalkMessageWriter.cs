using System.Data.Common;
using Dokodemo.Data;
using Dokodemo.Live;

namespace Dokodemo.Talk;

/// <summary>A message to insert with the people it mentions; <see cref="TalkMessage.Id"/> is set when it is written.</summary>
public sealed record TalkMessageWrite(TalkMessage Message, IReadOnlyCollection<string> Mentioned);

/// <summary>
/// The insert of a message (P4) that notifies no one (no mention of another person; <see cref="TalkMessages.InsertAsync"/>
/// sends the others through EF, with their notifications), through the <see cref="GroupWriter{TWrite}"/>: messages arriving together share one
/// transaction. Each message is written with everything that must happen with it or not at all — its mentions, the
/// author's read marker (what one writes one has read), its search index rows and the live events for the channel's audience (<see cref="TalkMessages.EventsOf"/>) — in its own
/// savepoint. On PostgreSQL the batch takes the live log's ordering lock first (<see cref="LiveSaveInterceptor.LockSql"/>),
/// so event ids stay visible in commit order; the hub is woken after the commit. The values follow the EF model's
/// storage (SQLite: instants as Unix milliseconds through <see cref="UnixMillisecondsConverter"/>; PostgreSQL:
/// timestamptz in UTC); the tests read the rows back through EF.
/// </summary>
public sealed class TalkMessageWriter(IServiceScopeFactory scopes, ILogger<TalkMessageWriter> log, LiveHub hub, TimeProvider clock)
    : GroupWriter<TalkMessageWrite>(scopes, log)
{
    private static readonly UnixMillisecondsConverter Millis = new();

    private const string InsertMessage =
        """
        INSERT INTO "TalkMessages" ("ChannelId", "AuthorId", "ThreadRootId", "Body", "CreatedAt", "ScheduledFor", "RequiresAck", "MentionsChannel")
        VALUES (@channel, @author, @thread, @body, @at, @scheduled, @ack, @everyone) RETURNING "Id"
        """;

    private const string InsertEvent =
        """INSERT INTO "LiveEvents" ("CreatedAt", "ChannelId", "UserId", "Type", "Payload") VALUES (@now, @channel, NULL, @type{0}, @payload{0})""";

    private const string InsertMention = """INSERT INTO "TalkMentions" ("MessageId", "UserId", "ChannelId") VALUES (@id, @m{0}, @channel)""";

    private const string MoveMarker =
        """UPDATE "TalkMembers" SET "LastReadMessageId" = @id WHERE "ChannelId" = @channel AND "UserId" = @author AND "LastReadMessageId" < @id""";

    private const string SavepointAndInsertMessage = "SAVEPOINT w;\n" + InsertMessage;

    /// <summary>Writes the message; completes when it is committed (its id set), or faults with the database's refusal.</summary>
    public Task InsertAsync(TalkMessage message, IReadOnlyCollection<string> mentioned) => WriteAsync(new TalkMessageWrite(message, mentioned));

    protected override Task BeginBatchAsync(DbConnection connection, DbTransaction transaction, bool postgres) =>
        postgres ? RunAsync(LiveSaveInterceptor.LockSql) : Task.CompletedTask;

    protected override void Committed() => hub.Signal();

    /// <summary>The id the command's INSERT … RETURNING gave: the first value of the first result that has columns.</summary>
    private static async Task<long> ReturnedIdAsync(DbCommand insert)
    {
        await using var reader = await insert.ExecuteReaderAsync();
        do
        {
            if (reader.FieldCount > 0 && await reader.ReadAsync())
            {
                return reader.GetInt64(0);
            }
        }
        while (await reader.NextResultAsync());

        throw new InvalidOperationException("The message insert returned no id.");
    }

    protected override async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, bool postgres, TalkMessageWrite write, bool savepoint)
    {
        var m = write.Message;
        object Instant(DateTimeOffset at) => postgres ? at.ToUniversalTime() : Millis.ConvertToProvider(at)!;
        // The savepoint and the insert in one command: one round trip (on PostgreSQL that was a third of a post's round
        // trips to the server; the reader skips the savepoint's empty result to the id).
        var insert = Prepared(savepoint ? SavepointAndInsertMessage : InsertMessage);

        Add(insert, "channel", m.ChannelId);
        Add(insert, "author", m.AuthorId);
        Add(insert, "thread", m.ThreadRootId);
        Add(insert, "body", m.Body);
        Add(insert, "at", Instant(m.CreatedAt));
        Add(insert, "scheduled", m.ScheduledFor is { } s ? Instant(s) : null);
        Add(insert, "ack", m.RequiresAck);
        Add(insert, "everyone", m.MentionsChannel);
        m.Id = await ReturnedIdAsync(insert);

        var events = TalkMessages.EventsOf(m).ToList();
        var sql = events.Select((_, i) => string.Format(System.Globalization.CultureInfo.InvariantCulture, InsertEvent, i)).ToList();
        sql.AddRange(write.Mentioned.Select((_, i) => string.Format(System.Globalization.CultureInfo.InvariantCulture, InsertMention, i)));
        if (m.ThreadRootId is null)
        {
            sql.Add(MoveMarker);
        }

        // Search: the message is in the index when it is committed (the same rows as TalkSearchIndex.WriteAsync).
        sql.AddRange(TalkSearchIndex.InsertSql(postgres));
        if (savepoint)
        {
            sql.Add("RELEASE SAVEPOINT w");
        }

        // The same text for every message of the same shape (events, mentions, thread): the batch's command is reused.
        var rest = Prepared(string.Join(";\n", sql));
        TalkSearchIndex.BindInsert(rest, postgres, m);
        Add(rest, "id", m.Id);
        Add(rest, "channel", m.ChannelId);
        Add(rest, "author", m.AuthorId);
        Add(rest, "now", Instant(clock.GetUtcNow()));
        for (var i = 0; i < events.Count; i++)
        {
            Add(rest, "type" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), events[i].Type);
            Add(rest, "payload" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), LiveEvents.Payload(events[i].Payload));
        }

        var k = 0;
        foreach (var person in write.Mentioned)
        {
            Add(rest, "m" + k++.ToString(System.Globalization.CultureInfo.InvariantCulture), person);
        }

        await rest.ExecuteNonQueryAsync();
    }
}
