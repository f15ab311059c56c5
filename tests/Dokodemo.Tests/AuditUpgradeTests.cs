using Dokodemo.Data;
using Dokodemo.Domain.Audit;
using Dokodemo.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

#pragma warning disable EF1002, EF1003 // Test SQL built from constants and values it computed itself.

namespace Dokodemo.Tests;

/// <summary>
/// Entries written before the where-and-decision columns existed keep verifying after the migration that adds them,
/// and the log stays append-only.
/// </summary>
public sealed class AuditUpgradeTests : IDisposable
{
    private readonly List<Action> cleanup = [];

    private (AppDbContext Db, DatabaseOptions Options) NewDatabase()
    {
        var dir = Directory.CreateTempSubdirectory("dokodemo-audit-up-").FullName;
        cleanup.Add(() => Directory.Delete(dir, recursive: true));
        var (provider, cs, drop) = TestDatabase.Create(dir);
        cleanup.Insert(0, drop);
        var options = new DatabaseOptions
        {
            Provider = provider == "Postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            ConnectionString = cs,
            BackupDirectory = Path.Combine(dir, "backups"),
        };
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

    [Fact]
    public async Task EntriesFromBeforeTheNewColumns_StillVerify_AndTheLogStaysAppendOnly()
    {
        var (db, options) = NewDatabase();
        var migrator = new SchemaMigrator(db, Options.Create(options), TimeProvider.System, NullLogger<SchemaMigrator>.Instance);
        Assert.Equal(3, await migrator.MigrateAsync(upTo: 3));

        // Three entries as the first version of the log wrote them (nine hashed fields, no where or decision).
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= 3; i++)
        {
            var at = 1_767_225_600_000 + i;
            var details = $"{{\"n\":\"{i}\"}}";
            var hash = AuditChain.HashOf(previous, i, at, "auth.signin", "u" + i, null, "success", "192.0.2.1", details);
            object atValue = options.Provider == DatabaseProvider.Sqlite ? at : DateTimeOffset.FromUnixTimeMilliseconds(at);
            var actor = "u" + i;
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO \"AuditEntries\" (\"Sequence\", \"At\", \"Event\", \"ActorId\", \"SubjectId\", \"Outcome\", \"IpAddress\", \"Details\", \"PreviousHash\", \"Hash\") VALUES ({(long)i}, {atValue}, 'auth.signin', {actor}, NULL, 'success', '192.0.2.1', {details}, {previous}, {hash})");
            previous = hash;
        }

        Assert.True(await migrator.MigrateAsync() >= 1);
        db.ChangeTracker.Clear();
        var records = (await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync()).Select(e => e.ToRecord()).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Null(r.Decision));
        Assert.Null(AuditChain.Verify(records));

        // A new entry with the new fields continues the same chain.
        var next = new AuditRecord(4, 1_767_225_700_000, "access.decision", "u1", null, "failure", "192.0.2.1", "{}", previous, "",
            DeviceId: "dev-1", NetworkZone: "internet", Country: "JP", Decision: "deny", PolicyVersion: 7);
        next = next with { Hash = AuditChain.HashOf(next) };
        db.AuditEntries.Add(new Access.AuditEntry
        {
            Sequence = 4, At = DateTimeOffset.FromUnixTimeMilliseconds(next.AtUnixMs), Event = next.Event, ActorId = "u1", Outcome = next.Outcome,
            IpAddress = next.IpAddress, Details = "{}", PreviousHash = previous, Hash = next.Hash, DeviceId = "dev-1", NetworkZone = "internet",
            Country = "JP", Decision = "deny", PolicyVersion = 7,
        });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var all = (await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync()).Select(e => e.ToRecord()).ToList();
        Assert.Equal(next, all[3]);
        Assert.Null(AuditChain.Verify(all));

        // The append-only triggers still refuse changes after the migration, also on the new columns.
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Decision\" = 'allow' WHERE \"Sequence\" = 4"));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\" WHERE \"Sequence\" = 1"));
        Assert.Equal(4, await db.AuditEntries.CountAsync());
    }

    public void Dispose()
    {
        foreach (var c in cleanup)
        {
            try
            {
                c();
            }
            catch (IOException)
            {
            }
        }
    }
}
