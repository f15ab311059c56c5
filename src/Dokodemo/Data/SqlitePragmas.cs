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
/// <item>Never hands out a handle that is still inside a transaction: a transaction begun with raw SQL (not a
/// <c>DbTransaction</c>) is not rolled back when its connection closes, so the handle would go back to the pool inside it
/// (ProductionTests). The open transaction is rolled back — nothing of it was ever committed, so nothing is lost — and
/// the event is logged. This check was once also reached by a different fault: Microsoft.Data.Sqlite 10.0.11 could lend
/// one pooled handle to two open connections at once (dotnet/efcore#39008), and then the rollback undid the other
/// owner's live transaction (seen under P4's load). The app now uses a version with that fixed
/// (SqliteConnectionTests).</item>
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
        foreach (var statement in Needed(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }

        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        foreach (var statement in Needed(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        Remember(connection);
    }

    private List<string> Needed(DbConnection connection)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        var statements = new List<string>(2);
        if (handle is not null && raw.sqlite3_get_autocommit(handle) == 0)
        {
            log?.LogWarning("A pooled SQLite connection was handed out inside a transaction; it is rolled back before use.");
            statements.Add("ROLLBACK;");
        }

        if (handle is null || !prepared.TryGetValue(handle, out _))
        {
            statements.Add(sql);
        }

        return statements;
    }

    private void Remember(DbConnection connection)
    {
        if ((connection as SqliteConnection)?.Handle is { } handle)
        {
            prepared.AddOrUpdate(handle, this);
        }
    }
}
