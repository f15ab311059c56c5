using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Microsoft.Playwright;
using Xunit;

namespace Dokodemo.Browser.Tests;

/// <summary>
/// One real Dokodemo server process (demo mode, its own SQLite file in a temp folder — or, when
/// <c>DOKODEMO_TEST_POSTGRES</c> names a PostgreSQL server as for the integration tests, its own new database there) and
/// one headless Debian Chromium, shared by the tests of a class. Disposing kills the server and deletes the folder and
/// the database.
/// </summary>
public sealed class AppServer : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly StringBuilder log = new();
    private readonly string host;
    private readonly string root = Path.Combine(Path.GetTempPath(), "dokodemo-browser-" + Guid.NewGuid().ToString("N"));
    private Process? server;
    private IPlaywright? playwright;

    public AppServer() : this("127.0.0.1")
    {
    }

    /// <summary>
    /// A server reached by another host name. WebAuthn refuses an IP address as relying-party id, so the passkey
    /// tests use "localhost" (still a secure context over plain http). Not public: xUnit wants one public constructor.
    /// </summary>
    internal AppServer(string host) => this.host = host;

    /// <summary>
    /// A server with the test clock (Dokodemo:TestClock:File, moved by <see cref="SetClock"/>) and the seat release sweep every
    /// second: for tests that need a time of day (check-in and release). Not public: xUnit wants one public constructor.
    /// </summary>
    internal AppServer(bool testClock) : this("127.0.0.1") => this.testClock = testClock;

    private readonly bool testClock;

    private string ClockFile => Path.Combine(root, "clock.txt");

    /// <summary>Moves the server's clock (test clock only) so that its "now" is <paramref name="now"/>; it keeps running from there.</summary>
    public void SetClock(DateTimeOffset now) => SetClockOffset(now - DateTimeOffset.UtcNow);

    public void SetClockOffset(TimeSpan offset)
    {
        if (!testClock)
        {
            throw new InvalidOperationException("This server has no test clock.");
        }

        // Written whole, then moved in place, so the server never reads half a value.
        var temp = ClockFile + ".tmp";
        File.WriteAllText(temp, offset.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        File.Move(temp, ClockFile, overwrite: true);
    }

    /// <summary>The PostgreSQL server the tests run on (<c>DOKODEMO_TEST_POSTGRES</c>), or null for SQLite.</summary>
    public static string? PostgresBase => Environment.GetEnvironmentVariable("DOKODEMO_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    // This server's own database on PostgreSQL (created at start, dropped at the end), or null on SQLite.
    private string? postgresDatabase;

    public int Port { get; private set; }
    public string BaseUrl => $"http://{host}:{Port}";
    public IBrowser? Browser { get; private set; }

    /// <summary>False (after a loud message) when Chromium is missing and CI is not set; with CI=true a missing browser fails.</summary>
    public bool Available { get; private set; }

    public string ServerLog
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            var message = $"!!!!! BROWSER TESTS NOT RUN: {ChromiumPath} is missing (apt-get install chromium). !!!!!";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(message + " CI=true, so this is a failure.");
            }

            Console.Error.WriteLine(message);
            Console.WriteLine(message);
            return;
        }

        Directory.CreateDirectory(root);
        if (testClock && !File.Exists(ClockFile))
        {
            SetClockOffset(TimeSpan.Zero);
        }

        if (PostgresBase is not null)
        {
            postgresDatabase = "dokodemo_b_" + Guid.NewGuid().ToString("N")[..12];
            await PostgresAdminAsync($"CREATE DATABASE {postgresDatabase}");
        }

        Port = FreePort();
        server = Start(AppDll(), [], urls: true);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        await WaitReadyAsync();

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Available = true;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (server is not null)
        {
            try
            {
                if (!server.HasExited)
                {
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            server.Dispose();
        }

        // DOKODEMO_BROWSER_LOGS=dir keeps each server's log (a failed page shows only its ProblemDetails in the browser).
        if (Environment.GetEnvironmentVariable("DOKODEMO_BROWSER_LOGS") is { Length: > 0 } logs)
        {
            Directory.CreateDirectory(logs);
            await File.WriteAllTextAsync(Path.Combine(logs, $"server-{Port}.log"), ServerLog);
        }

        if (postgresDatabase is not null)
        {
            await PostgresAdminAsync($"DROP DATABASE IF EXISTS {postgresDatabase} WITH (FORCE)");
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new();
        options.BaseURL = BaseUrl;
        options.Locale ??= "ja-JP";
        var context = await Browser!.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>Signs in with a demo persona button on /signin (staff, manager, dx, security, sidejob).</summary>
    public static async Task SignInAsPersonaAsync(IPage page, string persona)
    {
        await page.GotoAsync("/signin");
        await page.Locator($"button[name=persona][value={persona}]").ClickAsync();
        // Until the home page's navigation is committed, then its heading: in CI the browser's "load" event after this
        // redirect has twice not come within 15 s while the page was there (network idle). Not yet understood.
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/", new() { WaitUntil = WaitUntilState.Commit });
        await Microsoft.Playwright.Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
    }

    /// <summary>
    /// Opens the records page (記録管理, <c>/talk/c/{id}/records</c>) of the signed-in person's department channel the way a
    /// person does: Talk, the channel, its records link. The channel's id comes from the org-chart sync, so no fixed path.
    /// </summary>
    public static async Task OpenDepartmentRecordsAsync(IPage page, string department = "総務課")
    {
        await page.GotoAsync("/talk");
        await page.Locator("#talk-channels li[data-kind=Department] a", new() { HasText = department }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal));
        await page.Locator("#talk-records-link").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.EndsWith("/records", StringComparison.Ordinal));
        // The page itself, not its refusal (which has an h1 too).
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#records-save")).ToBeVisibleAsync();
    }

    /// <summary>Creates an invited staff account with the app's own CLI against the same database; returns the invite URL.</summary>
    public async Task<string> InviteAsync(string email, string name)
    {
        using var cli = Start(AppDll(), ["users", "add", "--email", email, "--name", name, "--kind", "Staff", "--department", "総務課", "--section", "総務係"], urls: false);
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = cli.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await cli.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        var line = output.Split('\n').LastOrDefault(l => l.Contains("/enroll/", StringComparison.Ordinal));
        Assert.True(cli.ExitCode == 0 && line is not null, $"users add failed (exit {cli.ExitCode}):\n{output}\n{await stderr}");
        var start = line!.IndexOf("http", StringComparison.Ordinal);
        return line[start..].Trim().Split(' ', '\t')[0];
    }

    private Process Start(string dll, string[] args, bool urls)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        if (urls)
        {
            info.Environment["ASPNETCORE_URLS"] = BaseUrl;
        }
        else
        {
            info.Environment.Remove("ASPNETCORE_URLS");
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        if (postgresDatabase is not null)
        {
            info.Environment["Database__Provider"] = "Postgres";
            info.Environment["Database__ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(PostgresBase) { Database = postgresDatabase }.ConnectionString;
        }
        else
        {
            info.Environment["Database__Provider"] = "Sqlite";
            info.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(root, "t.db")}";
        }

        info.Environment["Database__BackupDirectory"] = Path.Combine(root, "backups");
        info.Environment["Dokodemo__PublicUrl"] = BaseUrl;
        info.Environment["Dokodemo__AuthRateLimitPerMinute"] = "1000";
        info.Environment["Dokodemo__KeyEncryptionKeyFile"] = Path.Combine(root, "kek");
        if (testClock)
        {
            info.Environment["Dokodemo__TestClock__File"] = ClockFile;
            info.Environment["Dokodemo__Seats__ReleaseSweepSeconds"] = "1";
        }

        var process = new Process { StartInfo = info };
        if (urls)
        {
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
        }

        process.Start();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (server!.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {server.ExitCode} before it was ready:\n{ServerLog}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl + "/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/health/ready did not answer 200 within 90 s:\n{ServerLog}");
    }

    /// <summary>Runs one statement (CREATE or DROP DATABASE) on the PostgreSQL server's own database.</summary>
    private static async Task PostgresAdminAsync(string sql)
    {
        await using var admin = new Npgsql.NpgsqlConnection(PostgresBase);
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string Metadata(string key) =>
        typeof(AppServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    private static string AppDll()
    {
        var fromEnv = Environment.GetEnvironmentVariable("DOKODEMO_APP_DLL");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var dll = Path.GetFullPath(Path.Combine(Metadata("TestProjectDirectory"), "..", "..", "src", "Dokodemo", "bin", Metadata("BuildConfiguration"), "net10.0", "Dokodemo.dll"));
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The app is not built at {dll}; run dotnet build tests/Dokodemo.Browser.Tests first (or set DOKODEMO_APP_DLL).", dll);
        }

        return dll;
    }
}
