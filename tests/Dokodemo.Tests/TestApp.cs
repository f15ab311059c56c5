using System.Net.Http.Json;
using Dokodemo.Access;
using Dokodemo.Domain.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// The app reads its configuration before the host is built, so each test app is configured through
// environment variables, and test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Dokodemo.Tests;

public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

/// <summary>Which database the suite runs on: SQLite by default, PostgreSQL when DOKODEMO_TEST_POSTGRES is set.</summary>
public static class TestDatabase
{
    public static string? PostgresBase => Environment.GetEnvironmentVariable("DOKODEMO_TEST_POSTGRES");
    public static bool IsPostgres => !string.IsNullOrEmpty(PostgresBase);

    /// <summary>A fresh, empty database; returns (provider, connection string, cleanup).</summary>
    public static (string Provider, string ConnectionString, Action Drop) Create(string dir)
    {
        if (!IsPostgres)
        {
            var file = Path.Combine(dir, "test.db");
            return ("Sqlite", $"Data Source={file}", () => { });
        }

        var name = "dokodemo_t_" + Guid.NewGuid().ToString("N")[..12];
        using (var admin = new NpgsqlConnection(PostgresBase))
        {
            admin.Open();
            using var cmd = admin.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE {name}";
            cmd.ExecuteNonQuery();
        }

        var cs = new NpgsqlConnectionStringBuilder(PostgresBase) { Database = name, Pooling = false }.ConnectionString;
        return ("Postgres", cs, () =>
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(PostgresBase);
            admin.Open();
            using var cmd = admin.CreateCommand();
            cmd.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
            cmd.ExecuteNonQuery();
        });
    }
}

/// <summary>The real app over HTTP (TestServer), on its own empty database, with a fake-able clock left real.</summary>
public class TestApp : WebApplicationFactory<Program>
{
    private readonly Action drop;

    public TestApp() : this(mode: "Demo", seed: false)
    {
    }

    public TestApp(string mode, bool seed, int authPerMinute = 10_000, Dictionary<string, string>? extra = null)
    {
        Dir = Directory.CreateTempSubdirectory("dokodemo-test-").FullName;
        var (provider, cs, dropDb) = TestDatabase.Create(Dir);
        drop = dropDb;
        Provider = provider;
        ConnectionString = cs;
        Env = new Dictionary<string, string>
        {
            ["Dokodemo__Mode"] = mode,
            ["Dokodemo__SeedDemo"] = seed ? "true" : "false",
            ["Dokodemo__KeyRingPath"] = Path.Combine(Dir, "keys"),
            ["Dokodemo__PublicUrl"] = "http://localhost",
            ["Dokodemo__AuthRateLimitPerMinute"] = authPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Database__Provider"] = provider,
            ["Database__ConnectionString"] = cs,
            ["Database__BackupDirectory"] = Path.Combine(Dir, "backups"),
            // The audit checkpoint settings at their defaults, so a value one test class sets does not leak into the next.
            ["Dokodemo__Audit__CheckpointInterval"] = "01:00:00",
            ["Dokodemo__Audit__CheckpointPoll"] = "00:01:00",
            ["Dokodemo__Audit__CheckpointDirectory"] = "",
        };
        foreach (var (k, v) in extra ?? [])
        {
            Env[k] = v;
        }

        foreach (var (k, v) in Env)
        {
            Environment.SetEnvironmentVariable(k, v);
        }

        // Production mode checks the schema but does not migrate; prepare it as the migrate command would.
        if (mode == "Production")
        {
            RunCli("migrate");
        }

        // Build the host now, while the environment is ours.
        _ = Services;
    }

    /// <summary>The app's clock: real time plus an offset a test can move forward (only the clock and mail are faked).</summary>
    public MovableClock Clock { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));

    public string Dir { get; }
    public string Provider { get; }
    public string ConnectionString { get; }
    public Dictionary<string, string> Env { get; }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>Adds a person in 総務課 and returns the invite token.</summary>
    public async Task<string> InviteAsync(string email, string name = "試験 花子", AccountKind kind = AccountKind.Staff, params string[] roles)
    {
        var link = await WithScopeAsync(async sp =>
        {
            await EnsureDepartmentAsync(sp);
            var result = await sp.GetRequiredService<UserAdmin>().AddAsync(new NewUser(email, name, kind, "総務課", null, roles), null);
            Assert.True(result.Ok, result.Error?.Code);
            return result.Value!;
        });
        return link.Url[(link.Url.LastIndexOf('/') + 1)..];
    }

    public static async Task EnsureDepartmentAsync(IServiceProvider sp)
    {
        var db = sp.GetRequiredService<Data.AppDbContext>();
        if (!db.Departments.Any(d => d.Name == "総務課"))
        {
            db.Departments.Add(new Organization.Department { Code = "SOMU", Name = "総務課", NameEn = "General Affairs" });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Enrols through the JSON API; returns the base32 secret and the step the confirm code used.</summary>
    public static async Task<(string Secret, long Step)> EnrolAsync(HttpClient client, string token, string password)
    {
        var set = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password });
        Assert.Equal(System.Net.HttpStatusCode.OK, set.StatusCode);
        var secret = (await set.Content.ReadFromJsonAsync<AuthenticatorResponse>())!.Secret;
        var step = Totp.StepAt(DateTimeOffset.UtcNow);
        var confirm = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = Code(secret, step) });
        Assert.Equal(System.Net.HttpStatusCode.OK, confirm.StatusCode);
        return (secret, step);
    }

    public static string Code(string secret, long step) => Totp.Compute(Base32.Decode(secret), step);

    /// <summary>Runs the app's CLI in-process against this app's database.</summary>
    public int RunCli(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (k, v) in Env)
        {
            psi.Environment[k] = v;
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        LastOutput = p.StandardOutput.ReadToEnd();
        LastError = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    public string LastOutput { get; private set; } = "";
    public string LastError { get; private set; } = "";

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            drop();
            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
