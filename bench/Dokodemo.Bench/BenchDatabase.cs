using System.Globalization;
using Npgsql;

namespace Dokodemo.Bench;

/// <summary>The database a bench runs on: a SQLite file in its work folder, or a PostgreSQL database of its own, created and dropped by the bench.</summary>
public static class BenchDatabase
{
    /// <summary>The provider, the connection string and how to drop it afterwards (nothing for SQLite: the work folder holds the file).</summary>
    public static async Task<(string Provider, string ConnectionString, Action Drop)> CreateAsync(string? postgresBase, string work, string tag)
    {
        if (string.IsNullOrEmpty(postgresBase))
        {
            return ("Sqlite", $"Data Source={Path.Combine(work, tag + ".db")}", () => { });
        }

        var name = $"dokodemo_{tag}_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        await using (var admin = new NpgsqlConnection(postgresBase))
        {
            await admin.OpenAsync();
            await using var c = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name};", admin);
            await c.ExecuteNonQueryAsync();
        }

        return ("Postgres", new NpgsqlConnectionStringBuilder(postgresBase) { Database = name }.ConnectionString, () =>
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(postgresBase);
            admin.Open();
            using var c = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", admin);
            c.ExecuteNonQuery();
        });
    }

    /// <summary>
    /// Generates the bench town in the database and sets the environment the app reads when a bench starts it on a free
    /// loopback port (no demo seeding, a key file in the work folder, warnings only in the log): what p3 and p6 share.
    /// </summary>
    public static async Task<(GeneratedTown Town, int Port, Uri BaseUri)> TownAndServerSettingsAsync(string provider, string cs, string work, string tag,
        int staff, int seed)
    {
        var town = provider == "Sqlite"
            ? await TownGenerator.GenerateAsync(Path.Combine(work, tag + ".db"), staff, seed)
            : await TownGenerator.GenerateAsync(Hosting.DatabaseProvider.Postgres, cs, Path.Combine(work, "backups"), staff, seed);
        var port = AppServer.FreePort();
        var baseUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["Database__Provider"] = provider, ["Database__ConnectionString"] = cs, ["Database__BackupDirectory"] = Path.Combine(work, "backups"),
            ["Dokodemo__SeedDemo"] = "false", ["Dokodemo__KeyEncryptionKeyFile"] = Path.Combine(work, "kek"), ["Dokodemo__PublicUrl"] = baseUri.GetLeftPart(UriPartial.Authority),
            ["Dokodemo__AuthRateLimitPerMinute"] = "100000", ["Logging__LogLevel__Default"] = "Warning", ["ASPNETCORE_TEST_CONTENTROOT_DOKODEMO"] = AppContext.BaseDirectory,
        })
        {
            Environment.SetEnvironmentVariable(k, v);
        }

        return (town, port, baseUri);
    }
}
