using System.Net;
using System.Net.Http.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

#pragma warning disable EF1002, EF1003 // Test SQL built from constants and numbers it read itself.

namespace Dokodemo.Tests;

/// <summary>The hash-chained audit log: what is written, that nothing secret is, and that tampering is caught.</summary>
public class AuditTests(AuditTests.App app) : IClassFixture<AuditTests.App>
{
    public sealed class App : TestApp;

    private const string Password = "しずかな朝に川沿いを歩く2026";

    private Task<List<AuditEntry>> EntriesAsync() =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());

    [Fact]
    public async Task SignInEvents_AreRecorded_WithoutSecrets()
    {
        var email = "audit-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var (secret, step) = await TestApp.EnrolAsync(app.NewClient(), token, Password);
        await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email, password = "wrong password entirely" });
        var client = app.NewClient();
        await client.PostAsJsonAsync("/api/v1/auth/password", new { email, password = Password });
        var code = TestApp.Code(secret, step + 1);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/totp", new { code })).StatusCode);
        await client.PostAsync("/api/v1/auth/signout", null);

        var userId = await app.WithScopeAsync(async sp => (await sp.GetRequiredService<AppUserManager>().FindByEmailAsync(email))!.Id);
        var mine = (await EntriesAsync()).Where(e => e.SubjectId == userId || e.ActorId == userId).Select(e => $"{e.Event}:{e.Outcome}").ToList();
        // Each new browser that signs in is a device seen for the first time.
        Assert.Equal(["account.created:success", "account.enrolled:success", "device.first_seen:success", "auth.signin:success",
            "auth.password:failure", "auth.password:success", "device.first_seen:success", "auth.signin:success", "auth.signout:success"], mine);

        foreach (var e in await EntriesAsync())
        {
            var all = string.Join('|', e.Event, e.ActorId, e.SubjectId, e.Details, e.IpAddress);
            Assert.DoesNotContain(Password, all, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong password", all, StringComparison.Ordinal);
            Assert.DoesNotContain(code, e.Details, StringComparison.Ordinal);
            Assert.DoesNotContain(token, all, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RacingWriters_KeepOneUnbrokenChain()
    {
        var audit = app.Services.GetRequiredService<AuditLog>();
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => audit.WriteAsync("test.race", AuditOutcome.Success, details: new Dictionary<string, string?> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        var entries = await EntriesAsync();
        Assert.Equal(24, entries.Count(e => e.Event == "test.race"));
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        var (_, _, broken) = await audit.VerifyAsync(null);
        Assert.Null(broken);
    }

    [Fact]
    public async Task TheDatabase_RefusesToChangeOrDeleteAnEntry()
    {
        await app.Services.GetRequiredService<AuditLog>().WriteAsync("test.appendonly", AuditOutcome.Success);
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Outcome\" = 'failure'"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\""));
            return true;
        });
        Assert.NotEmpty(await EntriesAsync());
    }

    [Fact]
    public async Task TheVerifyCommand_NamesTheFirstEditedEntry_AndATruncation()
    {
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 5; i++)
        {
            await audit.WriteAsync("test.verify", AuditOutcome.Success);
        }

        Assert.Equal(0, app.RunCli("audit", "verify"));
        Assert.Contains("OK:", app.LastOutput, StringComparison.Ordinal);
        var head = app.LastOutput.Trim().Split(' ').Last();

        var target = (await EntriesAsync()).First(e => e.Event == "test.verify").Sequence;
        await app.WithScopeAsync(async sp =>
        {
            // A database owner can bypass the triggers; the chain still tells.
            var db = sp.GetRequiredService<AppDbContext>();
            if (app.Provider == "Postgres")
            {
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER");
                await db.Database.ExecuteSqlRawAsync($"UPDATE \"AuditEntries\" SET \"Outcome\" = 'failure' WHERE \"Sequence\" = {target}");
                await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"AuditEntries\" WHERE \"Sequence\" > {target + 2}");
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" ENABLE TRIGGER USER");
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER \"AuditEntries_no_update\"");
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER \"AuditEntries_no_delete\"");
                await db.Database.ExecuteSqlRawAsync($"UPDATE \"AuditEntries\" SET \"Outcome\" = 'failure' WHERE \"Sequence\" = {target}");
                await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"AuditEntries\" WHERE \"Sequence\" > {target + 2}");
            }

            return true;
        });

        Assert.Equal(1, app.RunCli("audit", "verify"));
        Assert.Contains($"BROKEN: entry {target} was changed", app.LastOutput, StringComparison.Ordinal);

        // Put the edited entry back as it was: the chain is whole again, but shorter than the checkpoint remembers.
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            if (app.Provider == "Postgres")
            {
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER");
            }

            await db.Database.ExecuteSqlRawAsync($"UPDATE \"AuditEntries\" SET \"Outcome\" = 'success' WHERE \"Sequence\" = {target}");
            return true;
        });
        Assert.Equal(0, app.RunCli("audit", "verify"));
        Assert.Equal(1, app.RunCli("audit", "verify", "--checkpoint", head));
        Assert.Contains("ends before entry", app.LastOutput, StringComparison.Ordinal);
    }
}
