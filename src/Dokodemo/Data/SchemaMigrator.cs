using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dokodemo.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Data;

/// <summary>One versioned, forward-only SQL script for one provider.</summary>
public sealed record SchemaMigration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

public sealed record MigrationStatus(int CurrentVersion, int LatestVersion, IReadOnlyList<SchemaMigration> Pending);

public sealed class MigrationFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Applies the SQL scripts in Data/Migrations/{Sqlite|Postgres}/NNNN_name.sql, in order, each in its own
/// transaction together with its row in __dokodemo_schema. See Data/README.md for why not EF migrations.
/// </summary>
public sealed class SchemaMigrator(AppDbContext db, IOptions<DatabaseOptions> dbOptions, TimeProvider clock, ILogger<SchemaMigrator> logger)
{
    public const string HistoryTable = "__dokodemo_schema";

    public static IReadOnlyList<SchemaMigration> Load(DatabaseProvider provider, int? upTo = null)
    {
        var folder = provider switch
        {
            DatabaseProvider.Sqlite => "Sqlite",
            DatabaseProvider.Postgres => "Postgres",
        };
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"Dokodemo.Data.Migrations.{folder}.";
        var list = new List<SchemaMigration>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[prefix.Length..];
            var version = int.Parse(file[..4], CultureInfo.InvariantCulture);
            if (upTo is { } max && version > max)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            list.Add(new SchemaMigration(version, Path.GetFileNameWithoutExtension(file[5..]), reader.ReadToEnd()));
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations for {folder} must be numbered 0001, 0002, … without gaps.");
            }
        }

        return list;
    }

    private DatabaseProvider Provider => dbOptions.Value.Provider;

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken ct = default)
    {
        var all = Load(Provider);
        var applied = await ReadHistoryAsync(ct);
        Verify(all, applied);
        var current = applied.Count == 0 ? 0 : applied.Keys.Max();
        return new MigrationStatus(current, all.Count == 0 ? 0 : all[^1].Version, all.Where(m => !applied.ContainsKey(m.Version)).ToList());
    }

    /// <summary>Brings the database to the latest version (or to <paramref name="upTo"/>). Returns how many were applied.</summary>
    public async Task<int> MigrateAsync(int? upTo = null, CancellationToken ct = default)
    {
        var all = Load(Provider, upTo);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (Provider == DatabaseProvider.Postgres)
            {
                // Several app nodes may start at once: one migrates, the others wait.
                await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(727274001)", ct);
            }

            await ExecuteAsync(connection, null, Provider switch
            {
                DatabaseProvider.Sqlite => $"CREATE TABLE IF NOT EXISTS {HistoryTable} (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
                DatabaseProvider.Postgres => $"CREATE TABLE IF NOT EXISTS {HistoryTable} (version integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)",
            }, ct);

            var applied = await ReadHistoryAsync(ct);
            Verify(Load(Provider), applied);
            var pending = all.Where(m => !applied.ContainsKey(m.Version)).ToList();
            if (pending.Count == 0)
            {
                return 0;
            }

            if (Provider == DatabaseProvider.Sqlite && applied.Count > 0)
            {
                await BackupSqliteAsync(connection, applied.Keys.Max(), ct);
            }

            foreach (var migration in pending)
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                try
                {
                    await ExecuteAsync(connection, tx, migration.Sql, ct);
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = tx;
                    insert.CommandText = $"INSERT INTO {HistoryTable} (version, name, checksum, applied_at) VALUES (@v, @n, @c, @a)";
                    AddParameter(insert, "@v", migration.Version);
                    AddParameter(insert, "@n", migration.Name);
                    AddParameter(insert, "@c", migration.Checksum);
                    AddParameter(insert, "@a", Provider == DatabaseProvider.Sqlite
                        ? clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)
                        : clock.GetUtcNow());
                    await insert.ExecuteNonQueryAsync(ct);
                    await tx.CommitAsync(ct);
                    logger.LogInformation("Applied schema migration {Version} {Name}", migration.Version, migration.Name);
                }
                catch (DbException ex)
                {
                    await tx.RollbackAsync(ct);
                    throw new MigrationFailedException(
                        $"Schema migration {migration.Version:D4}_{migration.Name} failed and was rolled back: {ex.Message}", ex);
                }
            }

            return pending.Count;
        }
        finally
        {
            if (Provider == DatabaseProvider.Postgres)
            {
                await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(727274001)", CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Verify(IReadOnlyList<SchemaMigration> known, IReadOnlyDictionary<int, string> applied)
    {
        foreach (var (version, checksum) in applied)
        {
            var m = known.FirstOrDefault(k => k.Version == version)
                ?? throw new MigrationFailedException(
                    $"The database has schema version {version}, newer than this build of Dokodemo knows ({known.Count}); run a newer Dokodemo.");
            if (!string.Equals(m.Checksum, checksum, StringComparison.Ordinal))
            {
                throw new MigrationFailedException(
                    $"Schema migration {version:D4}_{m.Name} was changed after it was applied; migrations are forward-only, add a new one instead.");
            }
        }
    }

    private async Task<Dictionary<int, string>> ReadHistoryAsync(CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var result = new Dictionary<int, string>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var exists = connection.CreateCommand();
            exists.CommandText = Provider == DatabaseProvider.Sqlite
                ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{HistoryTable}'"
                : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{HistoryTable}'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 0)
            {
                return result;
            }

            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT version, checksum FROM {HistoryTable}";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetString(1);
            }

            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task BackupSqliteAsync(DbConnection connection, int fromVersion, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connection.ConnectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return;
        }

        var dir = Path.GetFullPath(dbOptions.Value.BackupDirectory);
        Directory.CreateDirectory(dir);
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(builder.DataSource)}-v{fromVersion:D4}-{stamp}.db");
        // VACUUM INTO writes a consistent copy even while WAL holds uncheckpointed pages.
        await ExecuteAsync(connection, null, $"VACUUM INTO '{target.Replace("'", "''", StringComparison.Ordinal)}'", ct);
        logger.LogInformation("Backed up the database to {Backup} before migrating", target);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 300;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
