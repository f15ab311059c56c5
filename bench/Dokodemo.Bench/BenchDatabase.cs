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
}
