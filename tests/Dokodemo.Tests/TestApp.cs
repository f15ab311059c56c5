using System.Net.Http.Json;
using Dokodemo.Access;
using Dokodemo.Domain.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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

    /// <param name="sameDatabaseAs">Another app whose database (and key-encryption key) this one shares: a second node.</param>
    public TestApp(string mode, bool seed, int authPerMinute = 10_000, Dictionary<string, string>? extra = null,
        int accountPerMinute = 10_000, TestApp? sameDatabaseAs = null)
    {
        Dir = Directory.CreateTempSubdirectory("dokodemo-test-").FullName;
        string provider, cs;
        if (sameDatabaseAs is null)
        {
            (provider, cs, drop) = TestDatabase.Create(Dir);
            KeyEncryptionKeyFile = Path.Combine(Dir, "kek");
            WriteKeyEncryptionKey(KeyEncryptionKeyFile);
        }
        else
        {
            (provider, cs, drop) = (sameDatabaseAs.Provider, sameDatabaseAs.ConnectionString, () => { });
            KeyEncryptionKeyFile = sameDatabaseAs.KeyEncryptionKeyFile;
        }

        Provider = provider;
        ConnectionString = cs;
        Env = new Dictionary<string, string>
        {
            ["Dokodemo__Mode"] = mode,
            ["Dokodemo__SeedDemo"] = seed ? "true" : "false",
            ["Dokodemo__KeyEncryptionKeyFile"] = KeyEncryptionKeyFile,
            ["Dokodemo__PublicUrl"] = "http://localhost",
            ["Dokodemo__AuthRateLimitPerMinute"] = authPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dokodemo__AccountRateLimitPerMinute"] = accountPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Database__Provider"] = provider,
            ["Database__ConnectionString"] = cs,
            ["Database__BackupDirectory"] = Path.Combine(Dir, "backups"),
            // The audit checkpoint settings at their defaults, so a value one test class sets does not leak into the next.
            ["Dokodemo__Audit__CheckpointInterval"] = "01:00:00",
            ["Dokodemo__Audit__CheckpointPoll"] = "00:01:00",
            ["Dokodemo__Audit__CheckpointDirectory"] = "",
            // The seat release sweep is off unless a test turns it on (tests call SeatRelease.ReleaseDueAsync themselves), so
            // bookings of "today" in other classes are not released behind their backs as real time passes.
            ["Dokodemo__Seats__ReleaseSweepSeconds"] = "0",
            // Talk's files in the test's own folder (with PostgreSQL there is no SQLite file to put them beside).
            ["Dokodemo__Talk__Files__Path"] = Path.Combine(Dir, "talk-files"),
        };
        foreach (var (k, v) in extra ?? [])
        {
            Env[k] = v;
        }

        extraKeys = [.. (extra ?? []).Keys];

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

        // Settings only this app asked for must not leak into the next test app (the environment is process-wide).
        foreach (var k in (extra ?? []).Keys)
        {
            Environment.SetEnvironmentVariable(k, null);
        }
    }

    /// <summary>A fresh key-encryption key, readable only by its owner, as an operator would create it.</summary>
    public static void WriteKeyEncryptionKey(string file)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(file, options);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
    }

    public string KeyEncryptionKeyFile { get; }

    /// <summary>
    /// Every client speaks like a browser on this app's own pages: unsafe API calls carry the app's Origin (R36).
    /// Tests of cross-site requests replace or remove it.
    /// </summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("Origin", "http://localhost");
    }

    /// <summary>The app's clock: real time plus an offset a test can move forward (only the clock and mail are faked).</summary>
    public MovableClock Clock { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestConnection>();
            s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider, ServerErrorLog>();
        });

    /// <summary>The header with which a test says which address its request comes from (TestServer has none).</summary>
    public const string RemoteIpHeader = "X-Test-Remote-Ip";

    /// <summary>
    /// TestServer connections have no remote address; a real server always has one. Requests come from loopback
    /// (the demo's "town network") unless a test names another address. Test-only: the app never reads this header.
    /// </summary>
    private sealed class TestConnection : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var named = context.Request.Headers[RemoteIpHeader].ToString();
                context.Connection.RemoteIpAddress = System.Net.IPAddress.TryParse(named, out var ip) ? ip : System.Net.IPAddress.Loopback;
                context.Request.Headers.Remove(RemoteIpHeader);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

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

    /// <summary>
    /// A new person (display name "試験 " + four letters of their e-mail), enrolled through the JSON API and signed in at the
    /// app's (moved) clock, with their own client (from <paramref name="from"/>'s address when given).
    /// </summary>
    protected async Task<Work.Person> EnrolPersonAsync(string password, string department, AccountKind kind, string? from, IReadOnlyList<string> roles)
    {
        var email = $"w-{Guid.NewGuid():N}"[..14] + "@example.jp";
        var link = await WithScopeAsync(async sp =>
        {
            var result = await sp.GetRequiredService<UserAdmin>().AddAsync(
                new NewUser(email, "試験 " + email[2..6], kind, department, null, roles.Count == 0 ? [Roles.Staff] : [.. roles]), null);
            Assert.True(result.Ok, result.Error?.Code);
            return result.Value!;
        });
        var token = link.Url[(link.Url.LastIndexOf('/') + 1)..];
        var client = NewClient();
        if (from is not null)
        {
            client.DefaultRequestHeaders.Add(RemoteIpHeader, from);
        }

        var set = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password });
        Assert.Equal(System.Net.HttpStatusCode.OK, set.StatusCode);
        var secret = (await set.Content.ReadFromJsonAsync<AuthenticatorResponse>())!.Secret;
        var confirm = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = Code(secret, Totp.StepAt(Clock.GetUtcNow())) });
        Assert.Equal(System.Net.HttpStatusCode.OK, confirm.StatusCode);
        var id = await WithScopeAsync(async sp => (await sp.GetRequiredService<AppUserManager>().FindByEmailAsync(email))!.Id);
        return new Work.Person(client, id, email, secret);
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

    private readonly string[] extraKeys;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // Settings only this app asked for must not leak into the next test class's app.
            foreach (var k in extraKeys)
            {
                Environment.SetEnvironmentVariable(k, null);
            }

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
