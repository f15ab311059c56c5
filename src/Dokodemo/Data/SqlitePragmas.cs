using System.Data.Common;
using System.Runtime.CompilerServices;
using Dokodemo.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Dokodemo.Data;

/// <summary>
/// Prepares each SQLite connection EF opens.
/// <list type="bullet">
/// <item>Sets the per-connection <c>synchronous</c> pragma (Microsoft.Data.Sqlite has no connection-string keyword for
/// it). The file is in WAL mode (set at start), where <c>NORMAL</c> is the setting the SQLite documentation recommends:
/// consistent after any crash, and no fsync on every commit. Microsoft.Data.Sqlite pools the native handles, and a
/// pragma stays set on its handle, so it runs once per handle, not on every open (a prepared statement saved per
/// request on the hot paths, P4 and P6). With it, on the same handle: <c>mmap_size</c> (256 MB of address space, not
/// memory), so the pages of the database file are read through the mapping instead of a <c>pread</c> and a copy each —
/// in WAL mode a connection's page cache is dropped whenever another connection has written, which under P4 is every
/// few milliseconds; and <c>temp_store=MEMORY</c>, so statement journals inside a transaction are not temporary files
/// opened and unlinked.</item>
/// <item>Refuses a handle that is already inside a transaction. Microsoft.Data.Sqlite rolls a connection's transaction back
/// when it is closed, so a pooled handle in a transaction is one that another connection is using at this moment:
/// Microsoft.Data.Sqlite 10.0.11 could lend one handle to two owners under concurrent opens (dotnet/efcore#39008; the
/// app now uses a version with the fix). An earlier version of this check rolled the transaction back, which destroyed
/// the other owner's work (seen under P4's load: the message writer's batch was rolled back under it). Now the open
/// fails, with an error in the log: this request fails alone and the other owner's transaction is untouched.</item>
/// </list>
/// </summary>
public sealed class SqlitePragmas(SqliteSynchronous synchronous, ILogger? log = null) : DbConnectionInterceptor
{
    private readonly string sql = (synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;")
        + "PRAGMA mmap_size=268435456;PRAGMA temp_store=MEMORY;";

    /// <summary>The native handles whose pragma is set (weak: a handle the pool closes is forgotten with it).</summary>
    private readonly ConditionalWeakTable<sqlite3, object> prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Needed(connection) is { } statement)
        {
            using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }

        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Needed(connection) is { } statement)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        Remember(connection);
    }

    /// <summary>The pragma when this handle has not had it yet; throws when the handle is inside a transaction.</summary>
    private string? Needed(DbConnection connection)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && raw.sqlite3_get_autocommit(handle) == 0)
        {
            log?.LogError("A pooled SQLite connection was handed out while inside a transaction (in use by another connection); the open is refused.");
            throw new InvalidOperationException("A pooled SQLite connection was handed out while another connection was using it.");
        }

        return handle is null || !prepared.TryGetValue(handle, out _) ? sql : null;
    }

    private void Remember(DbConnection connection)
    {
        if ((connection as SqliteConnection)?.Handle is { } handle)
        {
            prepared.AddOrUpdate(handle, this);
        }
    }
}
