using System.Data.Common;
using Dokodemo.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dokodemo.Data;

/// <summary>
/// Sets SQLite's per-connection <c>synchronous</c> pragma each time EF opens a connection (Microsoft.Data.Sqlite has no
/// connection-string keyword for it). The file is in WAL mode (set at start), where <c>NORMAL</c> is the setting the
/// SQLite documentation recommends: consistent after any crash, and no fsync on every commit.
/// </summary>
public sealed class SqlitePragmas(SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private readonly string sql = synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
