using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Dokodemo.Talk;

/// <summary>
/// SQLite only: the channel-and-membership read that starts every request on a channel (<see cref="TalkAccess"/>; each
/// post, P4), on a few long-lived connections whose command stays prepared. Through EF each read is a new command, which
/// Microsoft.Data.Sqlite compiles again every time (dotnet/efcore#14044): 36 µs for this statement against 5 µs prepared,
/// plus the connection's open and close (EF's functions registered again on each open). The rows are read fresh each
/// time: nothing is cached but the compiled statement, so a change of membership counts at the next request exactly as
/// through EF. A connection holds no read transaction between reads (the reader is disposed each time), so checkpoints
/// are not held up. PostgreSQL keeps the EF query (Npgsql prepares it by itself). <c>TalkGrantReaderTests</c> holds the
/// rows to the EF query's.
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

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        foreach (var leases in idle.Values)
        {
            while (leases.TryTake(out var lease))
            {
                lease.Dispose();
            }
        }
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
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
                RetentionDays = r.IsDBNull(10) ? null : r.GetInt32(10),
                ReadReceipts = r.GetBoolean(11),
                DirectKey = r.IsDBNull(12) ? null : r.GetString(12),
            };
            var m = r.IsDBNull(13) ? null : new TalkMember
            {
                ChannelId = r.GetInt32(13),
                UserId = userId,
                Role = (MemberRole)r.GetInt32(14),
                JoinedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(15)),
                LastReadMessageId = r.GetInt64(16),
                Muted = r.GetBoolean(17),
            };
            return (true, c, m, r.IsDBNull(18) ? null : r.GetString(18));
        }

        public void Dispose()
        {
            command.Dispose();
            connection.Dispose();
        }
    }
}
