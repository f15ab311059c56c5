using System.Data.Common;
using Dokodemo.Data;
using Dokodemo.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

#pragma warning disable EF1003 // Test SQL built from constants, not input.

namespace Dokodemo.Tests;

/// <summary>On the provider under test: migrations produce exactly the model's schema, and upgrades keep data.</summary>
public sealed class MigrationTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("dokodemo-mig-").FullName;
    private readonly List<Action> cleanup = [];

    private (AppDbContext Db, DatabaseOptions Options) NewDatabase()
    {
        var (provider, cs, drop) = TestDatabase.Create(Directory.CreateTempSubdirectory("db-").FullName);
        cleanup.Add(drop);
        var options = new DatabaseOptions
        {
            Provider = provider == "Postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            ConnectionString = cs,
            BackupDirectory = Path.Combine(dir, "backups"),
        };
        // Built as the app builds it: Identity's store options (schema version 3, passkeys) come from DI.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIdentityCore<Access.AppUser>(o => o.Stores.SchemaVersion = Microsoft.AspNetCore.Identity.IdentitySchemaVersions.Version3)
            .AddRoles<Access.AppRole>().AddEntityFrameworkStores<AppDbContext>();
        services.AddDbContext<AppDbContext>(o =>
        {
            if (options.Provider == DatabaseProvider.Postgres)
            {
                o.UseNpgsql(cs);
            }
            else
            {
                o.UseSqlite(cs);
            }
        });
        var built = services.BuildServiceProvider();
        cleanup.Insert(0, built.Dispose);
        return (built.CreateScope().ServiceProvider.GetRequiredService<AppDbContext>(), options);
    }

    private static SchemaMigrator Migrator(AppDbContext db, DatabaseOptions options) =>
        new(db, Options.Create(options), TimeProvider.System, NullLogger<SchemaMigrator>.Instance);

    [Fact]
    public async Task TheMigratedSchema_IsExactlyTheSchemaOfTheModel()
    {
        var (migrated, mOptions) = NewDatabase();
        await Migrator(migrated, mOptions).MigrateAsync();
        var (fromModel, _) = NewDatabase();
        await fromModel.Database.EnsureCreatedAsync();

        var a = await DescribeAsync(migrated, mOptions.Provider);
        var b = await DescribeAsync(fromModel, mOptions.Provider);
        Assert.True(a.Count > 50, $"only {a.Count} schema facts read");
        var missing = b.Except(a).ToList();
        var extra = a.Except(b).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "The migrations do not match the model. Write a new migration (see src/Dokodemo/Data/README.md).\n" +
            "Missing from migrations:\n  " + string.Join("\n  ", missing) + "\nOnly in migrations:\n  " + string.Join("\n  ", extra));
    }

    [Fact]
    public async Task ADatabaseAtVersion1_UpgradesWithoutLosingRows()
    {
        var (db, options) = NewDatabase();
        var migrator = Migrator(db, options);
        Assert.Equal(1, await migrator.MigrateAsync(upTo: 1));
        Assert.Equal(1, (await migrator.GetStatusAsync()).CurrentVersion);

        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"Departments\" (\"Code\", \"Name\", \"NameEn\", \"SortOrder\") VALUES ('SOMU', '総務課', 'General Affairs', 1)");
        var deptId = await db.Departments.Select(d => d.Id).SingleAsync();
        var created = options.Provider == DatabaseProvider.Sqlite ? "1767225600000" : "'2026-01-01T00:00:00Z'";
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"AspNetUsers\" (\"Id\", \"DisplayName\", \"DisplayNameKana\", \"Kind\", \"DepartmentId\", \"Title\", \"IsDisabled\", \"CreatedAt\", " +
            "\"LockoutCount\", \"TimeZone\", \"EmailConfirmed\", \"PhoneNumberConfirmed\", \"TwoFactorEnabled\", \"LockoutEnabled\", \"AccessFailedCount\", \"Email\", \"UserName\") " +
            $"VALUES ('u1', '佐藤 美咲', 'さとう みさき', 0, {deptId}, '主事', false, {created}, 0, 'Asia/Tokyo', true, false, false, true, 0, 'sato@example.jp', 'sato@example.jp')");

        var applied = await migrator.MigrateAsync();
        Assert.True(applied >= 1);
        var status = await migrator.GetStatusAsync();
        Assert.Empty(status.Pending);

        db.ChangeTracker.Clear();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == "u1");
        Assert.Equal("佐藤 美咲", user.DisplayName);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), user.CreatedAt);
        Assert.Equal("総務課", (await db.Departments.AsNoTracking().SingleAsync()).Name);
        // The new tables work on the upgraded database.
        Assert.Equal(0, await db.Invites.CountAsync());

        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var backups = Directory.GetFiles(options.BackupDirectory, "*.db");
            Assert.Single(backups);
            Assert.Contains("-v0001-", Path.GetFileName(backups[0]), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MigratingTwice_ChangesNothing()
    {
        var (db, options) = NewDatabase();
        var migrator = Migrator(db, options);
        Assert.True(await migrator.MigrateAsync() >= 2);
        Assert.Equal(0, await migrator.MigrateAsync());
    }

    [Fact]
    public async Task AnAppliedMigrationThatWasChanged_FailsLoudly()
    {
        var (db, options) = NewDatabase();
        var migrator = Migrator(db, options);
        await migrator.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync($"UPDATE {SchemaMigrator.HistoryTable} SET checksum = 'tampered' WHERE version = 1");
        var ex = await Assert.ThrowsAsync<MigrationFailedException>(() => migrator.MigrateAsync());
        Assert.Contains("0001_initial was changed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseNewerThanTheBuild_FailsLoudly()
    {
        var (db, options) = NewDatabase();
        var migrator = Migrator(db, options);
        await migrator.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync(options.Provider == DatabaseProvider.Sqlite
            ? $"INSERT INTO {SchemaMigrator.HistoryTable} VALUES (999, 'future', 'x', '2030-01-01')"
            : $"INSERT INTO {SchemaMigrator.HistoryTable} VALUES (999, 'future', 'x', now())");
        var ex = await Assert.ThrowsAsync<MigrationFailedException>(() => migrator.GetStatusAsync());
        Assert.Contains("newer than this build", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BothProviders_HaveTheSameMigrations()
    {
        var sqlite = SchemaMigrator.Load(DatabaseProvider.Sqlite).Select(m => (m.Version, m.Name)).ToList();
        var pg = SchemaMigrator.Load(DatabaseProvider.Postgres).Select(m => (m.Version, m.Name)).ToList();
        Assert.True(sqlite.Count >= 2);
        Assert.Equal(sqlite, pg);
    }

    /// <summary>Tables, columns (type, nullability, default), indexes and foreign keys, as sorted text lines.</summary>
    private static async Task<List<string>> DescribeAsync(AppDbContext db, DatabaseProvider provider)
    {
        var sql = provider == DatabaseProvider.Sqlite
            ? """
              SELECT 'col ' || m.name || '.' || p.name || ' ' || p.type || ' notnull=' || p."notnull" || ' pk=' || p.pk || ' default=' || COALESCE(p.dflt_value, '')
                FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'
              UNION ALL
              SELECT 'idx ' || m.name || '.' || i.name || ' unique=' || i."unique" || ' cols=' || (SELECT group_concat(ii.name, ',') FROM pragma_index_info(i.name) ii)
                FROM sqlite_master m JOIN pragma_index_list(m.name) i WHERE m.type = 'table' AND i.origin <> 'pk'
              UNION ALL
              SELECT 'fk ' || m.name || '.' || f."from" || ' -> ' || f."table" || '.' || f."to" || ' on_delete=' || f.on_delete
                FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'
              """
            : """
              SELECT 'col ' || table_name || '.' || column_name || ' ' || data_type || ' len=' || COALESCE(character_maximum_length::text, '') || ' null=' || is_nullable || ' default=' || COALESCE(column_default, '')
                FROM information_schema.columns WHERE table_schema = current_schema()
              UNION ALL
              SELECT 'idx ' || tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
              UNION ALL
              SELECT 'con ' || tc.table_name || ' ' || tc.constraint_name || ' ' || tc.constraint_type || ' ' || pg_get_constraintdef(c.oid)
                FROM information_schema.table_constraints tc JOIN pg_constraint c ON c.conname = tc.constraint_name
               WHERE tc.table_schema = current_schema()
              """;
        var lines = new List<string>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using DbCommand cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var line = reader.GetString(0);
                // The Talk search tables (0019) are raw SQL outside the EF model (FTS5 on SQLite, text[] + GIN on PostgreSQL).
                if (!line.Contains(SchemaMigrator.HistoryTable, StringComparison.Ordinal) && !line.Contains("sqlite_", StringComparison.Ordinal)
                    && !line.Contains("TalkSearch", StringComparison.Ordinal))
                {
                    lines.Add(line);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public void Dispose()
    {
        foreach (var c in cleanup)
        {
            c();
        }

        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
