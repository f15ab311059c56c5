using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dokodemo.Talk;

/// <summary>
/// The channel-and-membership read that starts every request on a channel (<see cref="TalkAccess"/>; each post, P4),
/// outside EF. The rows are read fresh each time: nothing is cached but the compiled statement, so a change of membership
/// counts at the next request exactly as through EF. <c>TalkGrantReaderTests</c> holds the rows to the EF query's.
/// <list type="bullet">
/// <item>SQLite: a few long-lived connections whose command stays prepared. Through EF each read is a new command, which
/// Microsoft.Data.Sqlite compiles again every time (dotnet/efcore#14044): 36 µs for this statement against 5 µs prepared,
/// plus the connection's open and close (EF's functions registered again on each open). A connection holds no read
/// transaction between reads (the reader is disposed each time), so checkpoints are not held up.</item>
/// <item>PostgreSQL: a multiplexing data source of its own (Npgsql's <c>Multiplexing</c>), at most
/// <see cref="MaxConnections"/> connections that carry the reads of all requests: reads that arrive together share one
/// write to the socket and one wake-up of a server process, where through EF each read took a pooled connection and woke
/// its own server process. P4 on PostgreSQL: 1,717–2,110 posts/s before, 2,519 after; PostgreSQL's processes used 92 % of
/// a core before and 65 % after, for more posts.</item>
/// </list>
/// </summary>
public sealed class TalkGrantReader : IDisposable
{
    /// <summary>Connections kept at most; a read that finds none free and this many open goes through EF.</summary>
    public const int MaxConnections = 4;

    // The statement EF generates for TalkAccess's compiled query (columns in the same order), written out once.
    private const string Sql =
        """
        SELECT c."Id", c."Kind", c."Visibility", c."Classification", c."DepartmentId", c."Name", c."Purpose", c."Archived",
               c."CreatedById", c."CreatedAt", c."RetentionDays", c."ReadReceipts", c."DirectKey",
               m."ChannelId", m."Role", m."JoinedAt", m."LastReadMessageId", m."Muted",
               (SELECT u."DisplayName" FROM "AspNetUsers" AS u WHERE u."Id" = @user LIMIT 1)
        FROM "TalkChannels" AS c
        LEFT JOIN "TalkMembers" AS m ON m."ChannelId" = c."Id" AND m."UserId" = @user
        WHERE c."Id" = @channel
        LIMIT 1
        """;

    // The same statement with positional parameters ($1 the channel, $2 the user): Npgsql sends it as written.
    private static readonly string PostgresSql = Sql.Replace("@channel", "$1", StringComparison.Ordinal).Replace("@user", "$2", StringComparison.Ordinal);

    private readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentBag<Lease>> idle = new(StringComparer.Ordinal);
    private int open;
    private bool disposed;

    /// <summary>The channel, the caller's membership and display name; <c>Found: false</c> when no connection was free.</summary>
    public (bool Found, TalkChannel? Channel, TalkMember? Membership, string? CallerName) Read(string connectionString, int channelId, string userId)
    {
        var leases = idle.GetOrAdd(connectionString, _ => []);
        if (!leases.TryTake(out var lease))
        {
            if (Interlocked.Increment(ref open) > MaxConnections || Volatile.Read(ref disposed))
            {
                Interlocked.Decrement(ref open);
                return (false, null, null, null);
            }

            try
            {
                lease = new Lease(connectionString);
            }
            catch
            {
                Interlocked.Decrement(ref open);
                throw;
            }
        }

        try
        {
            var row = lease.Read(channelId, userId);
            leases.Add(lease);
            return row;
        }
        catch
        {
            // A connection that failed once is not reused.
            lease.Dispose();
            Interlocked.Decrement(ref open);
            throw;
        }
    }

    /// <summary>
    /// PostgreSQL: the same row through a multiplexing data source of its own (a few connections that carry the reads of
    /// all requests together: many reads share one write to the socket and one wake-up of the server process, instead of
    /// one pooled connection, and one server process woken, per request). <c>Found: false</c> once the reader is disposed.
    /// </summary>
    public async Task<(bool Found, TalkChannel? Channel, TalkMember? Membership, string? CallerName)> ReadPostgresAsync(
        string connectionString, int channelId, string userId, CancellationToken ct)
    {
        if (Volatile.Read(ref disposed))
        {
            return (false, null, null, null);
        }

        // Lazy: two first reads at once build one data source, not one each (the other never disposed).
        var source = sources.GetOrAdd(connectionString, static cs => new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(cs)
        {
            ConnectionStringBuilder = { Pooling = true, Multiplexing = true, MaxPoolSize = MaxConnections, MinPoolSize = 0 },
        }.Build())).Value;
        await using var command = source.CreateCommand(PostgresSql);
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Materialize(r, userId, postgres: true) : (true, null, null, null);
    }

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        foreach (var source in sources.Values.Where(s => s.IsValueCreated))
        {
            source.Value.Dispose();
        }

        foreach (var leases in idle.Values)
        {
            while (leases.TryTake(out var lease))
            {
                lease.Dispose();
            }
        }
    }

    private static (bool, TalkChannel?, TalkMember?, string?) Materialize(System.Data.Common.DbDataReader r, string userId, bool postgres)
    {
        DateTimeOffset Instant(int i) => postgres ? r.GetFieldValue<DateTimeOffset>(i) : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        var c = new TalkChannel
        {
            Id = r.GetInt32(0),
            Kind = (ChannelKind)r.GetInt32(1),
            Visibility = (ChannelVisibility)r.GetInt32(2),
            Classification = (Domain.Access.Confidentiality)r.GetInt32(3),
            DepartmentId = r.IsDBNull(4) ? null : r.GetInt32(4),
            Name = r.GetString(5),
            Purpose = r.GetString(6),
            Archived = r.GetBoolean(7),
            CreatedById = r.IsDBNull(8) ? null : r.GetString(8),
            CreatedAt = Instant(9),
            RetentionDays = r.IsDBNull(10) ? null : r.GetInt32(10),
            ReadReceipts = r.GetBoolean(11),
            DirectKey = r.IsDBNull(12) ? null : r.GetString(12),
        };
        var m = r.IsDBNull(13) ? null : new TalkMember
        {
            ChannelId = r.GetInt32(13),
            UserId = userId,
            Role = (MemberRole)r.GetInt32(14),
            JoinedAt = Instant(15),
            LastReadMessageId = r.GetInt64(16),
            Muted = r.GetBoolean(17),
        };
        return (true, c, m, r.IsDBNull(18) ? null : r.GetString(18));
    }

    private sealed class Lease : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly SqliteCommand command;
        private readonly SqliteParameter channel;
        private readonly SqliteParameter user;

        public Lease(string connectionString)
        {
            // Not from the pool: a handle of its own for the process's life, closed for good on dispose.
            connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA mmap_size=268435456;";
                pragma.ExecuteNonQuery();
            }

            command = connection.CreateCommand();
            command.CommandText = Sql;
            channel = command.Parameters.Add("@channel", SqliteType.Integer);
            user = command.Parameters.Add("@user", SqliteType.Text);
            command.Prepare();
        }

        public (bool, TalkChannel?, TalkMember?, string?) Read(int channelId, string userId)
        {
            channel.Value = channelId;
            user.Value = userId;
            using var r = command.ExecuteReader();
            if (!r.Read())
            {
                return (true, null, null, null);
            }

            return Materialize(r, userId, postgres: false);
        }

        public void Dispose()
        {
            command.Dispose();
            connection.Dispose();
        }
    }
}
