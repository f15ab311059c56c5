using System.Diagnostics;
using System.Net.Http.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

#pragma warning disable EF1002 // Test SQL built from constants.

namespace Dokodemo.Tests;

/// <summary>What the audit trail tests share: signed-in people with roles, writing past entries, tampering, the offline CLI.</summary>
public static class AuditTrailHelpers
{
    public const string Password = "しずかな朝に川沿いを歩く2026";

    /// <summary>An enrolled, signed-in person with the given roles; returns the client and their id.</summary>
    public static async Task<(HttpClient Client, string Id)> PersonAsync(TestApp app, string name, params string[] roles)
    {
        var email = "audit-" + Guid.NewGuid().ToString("N")[..8] + "@example.jp";
        var client = app.NewClient();
        await TestApp.EnrolAsync(client, await app.InviteAsync(email, name, AccountKind.Staff, roles), Password);
        var me = (await client.GetFromJsonAsync<MeResponse>("/api/v1/me"))!;
        return (client, me.Id);
    }

    /// <summary>
    /// An administrator on a registered device: exporting the log (CSV, the auditors' bundle) takes personal
    /// information out of the app, which the default policy allows only from a registered device (R49).
    /// </summary>
    public static async Task<HttpClient> AdminAsync(TestApp app)
    {
        var client = (await PersonAsync(app, "監査 管理者", Roles.Staff, Roles.Admin)).Client;
        var registered = await client.PostAsync("/api/v1/me/devices/current/register", null);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, registered.StatusCode);
        return client;
    }

    /// <summary>Noon in Japan, <paramref name="daysAgo"/> days before today: a time far from a date boundary.</summary>
    public static DateTimeOffset JstNoon(int daysAgo)
    {
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(AuditFilter.Jst).DateTime);
        return new DateTimeOffset(today.AddDays(-daysAgo).ToDateTime(new TimeOnly(12, 0)), AuditFilter.Jst);
    }

    public static string JstDate(DateTimeOffset t) => t.ToOffset(AuditFilter.Jst).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Moves the app's clock to <paramref name="at"/> (real time keeps running from there).</summary>
    public static void SetClock(TestApp app, DateTimeOffset at) => app.Clock.Offset = at - DateTimeOffset.UtcNow;

    public static Task<List<AuditEntry>> EntriesAsync(TestApp app) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());

    /// <summary>
    /// Changes the audit tables as a database owner could, past the append-only triggers (PostgreSQL: disabled for the
    /// change; SQLite: dropped for good in this test's database).
    /// </summary>
    public static Task TamperAsync(TestApp app, Func<AppDbContext, Task> change) => app.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<AppDbContext>();
        string[] tables = ["AuditEntries", "AuditCheckpoints", "AuditSigningKeys"];
        if (app.Provider == "Postgres")
        {
            foreach (var t in tables)
            {
                await db.Database.ExecuteSqlRawAsync($"ALTER TABLE \"{t}\" DISABLE TRIGGER USER");
            }

            await change(db);
            foreach (var t in tables)
            {
                await db.Database.ExecuteSqlRawAsync($"ALTER TABLE \"{t}\" ENABLE TRIGGER USER");
            }
        }
        else
        {
            foreach (var trigger in new[] { "AuditEntries_no_update", "AuditEntries_no_delete", "AuditCheckpoints_no_update", "AuditCheckpoints_no_delete" })
            {
                await db.Database.ExecuteSqlRawAsync($"DROP TRIGGER IF EXISTS \"{trigger}\"");
            }

            await change(db);
        }

        return true;
    });

    /// <summary>Runs the app's CLI with this app's configuration plus some overrides.</summary>
    public static (int Exit, string Out, string Err) RunCli(TestApp app, Dictionary<string, string> overrides, params string[] args)
    {
        var env = new Dictionary<string, string>(app.Env);
        foreach (var (k, v) in overrides)
        {
            env[k] = v;
        }

        return Run(env, null, args);
    }

    /// <summary>
    /// Runs the CLI as an auditor would on their own machine: in an empty folder, with no Dokodemo configuration but
    /// a production one pointing at a database that does not exist (any command that read it would fail).
    /// Returns whether the folder is still empty afterwards.
    /// </summary>
    public static (int Exit, string Out, string Err, bool FolderUntouched) RunOffline(params string[] args)
    {
        var folder = Directory.CreateTempSubdirectory("dokodemo-auditor-").FullName;
        try
        {
            var env = new Dictionary<string, string>
            {
                ["Dokodemo__Mode"] = "Production",
                ["Database__Provider"] = "Postgres",
                ["Database__ConnectionString"] = "Host=203.0.113.1;Port=1;Timeout=1",
            };
            var (exit, output, error) = Run(env, folder, args, clean: true);
            return (exit, output, error, Directory.GetFileSystemEntries(folder).Length == 0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int, string, string) Run(Dictionary<string, string> env, string? folder, string[] args, bool clean = false)
    {
        var psi = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder ?? Environment.CurrentDirectory,
        };
        if (clean)
        {
            var keep = new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR", "DOTNET_CLI_TELEMETRY_OPTOUT" };
            psi.Environment.Clear();
            foreach (var k in keep)
            {
                if (Environment.GetEnvironmentVariable(k) is { } v)
                {
                    psi.Environment[k] = v;
                }
            }
        }

        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Waits (up to <paramref name="seconds"/>) until the condition holds; returns whether it did.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, double seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return await condition();
    }
}
