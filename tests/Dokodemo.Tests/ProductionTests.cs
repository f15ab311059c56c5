using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dokodemo.Access;
using Dokodemo.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>Production mode: no demo data, no personas, a single-use bootstrap link; the CLI; bad configuration.</summary>
public class ProductionTests(ProductionTests.App app) : IClassFixture<ProductionTests.App>
{
    public sealed class App : TestApp
    {
        public App() : base(mode: "Production", seed: true)
        {
        }
    }

    [Fact]
    public async Task Production_HasNoDemoPeople_AndNoPersonas()
    {
        var demoPeople = await app.WithScopeAsync(sp => Task.FromResult(
            sp.GetRequiredService<Data.AppDbContext>().Users.Count(u => u.Email!.EndsWith("@dokodemo.example"))));
        Assert.Equal(0, demoPeople);
        var demoDepartments = await app.WithScopeAsync(sp => Task.FromResult(
            sp.GetRequiredService<Data.AppDbContext>().Departments.Count(d => d.Name == "教育委員会")));
        Assert.Equal(0, demoDepartments);
        var page = await app.NewClient().GetStringAsync("/signin");
        Assert.DoesNotContain("name=\"persona\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-banner", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_RunsInWalMode_WithSynchronousNormal_OnEveryConnection()
    {
        if (TestDatabase.IsPostgres)
        {
            return; // a SQLite setting; PostgreSQL keeps its own
        }

        var (journal, synchronous) = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Data.AppDbContext>();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            try
            {
                async Task<string> Pragma(string name)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA " + name;
                    return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
                }

                return (await Pragma("journal_mode"), await Pragma("synchronous"));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
        Assert.Equal("wal", journal);
        Assert.Equal("1", synchronous); // 1 = NORMAL (FULL, SQLite's default, is 2)
    }

    [Fact]
    public async Task Sqlite_AConnectionLeftInsideATransaction_IsRolledBack_BeforeTheNextUserGetsIt()
    {
        if (TestDatabase.IsPostgres)
        {
            return; // the SQLite pool's native handles; Npgsql resets its own connections
        }

        // Someone leaves a transaction open on a connection (raw SQL, not a DbTransaction) and closes it: the pooled
        // native handle goes back to the pool still inside that transaction, with an uncommitted row.
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Data.AppDbContext>();
            await db.Database.OpenConnectionAsync();
            await using (var command = db.Database.GetDbConnection().CreateCommand())
            {
                command.CommandText = "BEGIN; INSERT INTO \"LiveEvents\" (\"CreatedAt\", \"Type\", \"Payload\") VALUES (0, 'abandoned', '{}')";
                await command.ExecuteNonQueryAsync();
            }

            Assert.Equal(0, SQLitePCL.raw.sqlite3_get_autocommit(((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).Handle));
            await db.Database.CloseConnectionAsync();
            return 0;
        });

        // The next users get clean connections: queries and writes work, and the abandoned row was never committed.
        for (var i = 0; i < 3; i++)
        {
            var (inTransaction, abandoned) = await app.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<Data.AppDbContext>();
                await db.Database.OpenConnectionAsync();
                try
                {
                    var open = SQLitePCL.raw.sqlite3_get_autocommit(((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).Handle) == 0;
                    return (open, await db.LiveEvents.CountAsync(e => e.Type == "abandoned"));
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            });
            Assert.False(inTransaction);
            Assert.Equal(0, abandoned);
        }
    }

    [Fact]
    public async Task TheBootstrapLink_CreatesTheFirstAdministrator_Once()
    {
        var link = await app.WithScopeAsync(sp => sp.GetRequiredService<Bootstrap>().IssueAsync());
        Assert.NotNull(link);
        var token = link.Value.Url[(link.Value.Url.LastIndexOf('/') + 1)..];
        var client = app.NewClient();

        var bad = await client.PostAsJsonAsync($"/api/v1/bootstrap/{token}", new { name = "", email = "not-an-email", department = "総務課" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var ok = await client.PostAsJsonAsync($"/api/v1/bootstrap/{token}", new { name = "町 太郎", email = "admin@town.example.jp", department = "総務課" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var enrolment = (await ok.Content.ReadFromJsonAsync<BootstrapResponse>())!;
        Assert.Contains("/enroll/", enrolment.EnrolmentUrl, StringComparison.Ordinal);

        var again = await client.PostAsJsonAsync($"/api/v1/bootstrap/{token}", new { name = "別人", email = "other@town.example.jp", department = "総務課" });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.True(await app.WithScopeAsync(sp => sp.GetRequiredService<Bootstrap>().HasAdministratorAsync()));
        Assert.Null(await app.WithScopeAsync(sp => sp.GetRequiredService<Bootstrap>().IssueAsync()));
    }

    [Fact]
    public async Task TheCli_AddsListsAndImports()
    {
        await app.WithScopeAsync(async sp =>
        {
            await TestApp.EnsureDepartmentAsync(sp);
            return true;
        });
        Assert.Equal(0, app.RunCli("users", "add", "--email", "cli@town.example.jp", "--name", "コマンド 花子", "--kind", "会計年度任用職員", "--department", "総務課", "--role", "staff"));
        Assert.Contains("/enroll/", app.LastOutput, StringComparison.Ordinal);
        Assert.Equal(1, app.RunCli("users", "add", "--email", "cli@town.example.jp", "--name", "重複", "--department", "総務課"));
        Assert.Equal(1, app.RunCli("users", "add", "--email", "partner@town.example.jp", "--name", "外部 五郎", "--kind", "Partner", "--department", "総務課", "--contract-end", "2027/13/40"));
        Assert.Contains("YYYY-MM-DD", app.LastError, StringComparison.Ordinal);
        Assert.Equal(0, app.RunCli("users", "add", "--email", "partner@town.example.jp", "--name", "外部 五郎", "--kind", "Partner", "--department", "総務課", "--contract-end", "2027-03-31"));

        var csv = Path.Combine(app.Dir, "staff.csv");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        File.WriteAllText(csv, "メールアドレス,氏名,ふりがな,区分,所属課,係,役職\nyamada@town.example.jp,山田 一郎,やまだ いちろう,職員,税務課,町民税係,主事\nbad-email,鈴木 二郎,,職員,税務課,,\n", Encoding.GetEncoding(932));
        Assert.Equal(1, app.RunCli("import", "staff", csv));
        Assert.Contains("Row 3", app.LastOutput, StringComparison.Ordinal);
        Assert.Equal(0, app.RunCli("users", "list"));
        Assert.DoesNotContain("山田 一郎", app.LastOutput, StringComparison.Ordinal);

        File.WriteAllText(csv, "メールアドレス,氏名,ふりがな,区分,所属課,係,役職\nyamada@town.example.jp,山田 一郎,やまだ いちろう,職員,税務課,町民税係,主事\n", Encoding.GetEncoding(932));
        Assert.Equal(0, app.RunCli("import", "staff", csv));
        Assert.Contains("yamada@town.example.jp", app.LastOutput, StringComparison.Ordinal);
        Assert.Equal(0, app.RunCli("users", "list"));
        Assert.Contains("山田 一郎", app.LastOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Demo", "http://0.0.0.0:5080", "loopback")]
    [InlineData("Demo", "http://192.0.2.10:5080", "loopback")]
    public void DemoModeOnANetworkAddress_StopsTheStart(string mode, string url, string expected)
    {
        var ex = Assert.Throws<StartupException>(() => ConfigurationChecks.CheckDemoBinding(new DokodemoOptions { Mode = Enum.Parse<RunMode>(mode) }, [url]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProductionWithoutAKeyEncryptionKey_StopsTheStart()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dokodemo:Mode"] = "Production", ["Dokodemo:PublicUrl"] = "https://town.example.jp",
        }).Build();
        var ex = Assert.Throws<StartupException>(() => ConfigurationChecks.Read(config));
        Assert.Contains("Dokodemo:KeyEncryptionKeyFile", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Database=town", 64, true)]
    [InlineData("Host=db;Database=town;Max Auto Prepare=10;No Reset On Close=false", 10, false)]
    public void PostgresConnections_PrepareAndSkipThePoolReset_UnlessTheConnectionStringSaysOtherwise(string given, int prepare, bool noReset)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(Dokodemo.Hosting.Foundation.NpgsqlConnectionString(given));
        Assert.Equal(prepare, b.MaxAutoPrepare);
        Assert.Equal(noReset, b.NoResetOnClose);
        Assert.Equal("town", b.Database);
    }

    [Fact]
    public void TheAppShips_WithoutTheRuntimesTieringDelay_SoOneCpuNeedsNoSetting()
    {
        // The built app's own runtimeconfig (copied beside the tests): what `dotnet Dokodemo.dll` starts with.
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Dokodemo.runtimeconfig.json")));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
    }

    [Theory]
    [InlineData("Demo", "http://127.0.0.1:0", "Postgres", "Host=127.0.0.1;Port=1;Database=x;Username=x;Timeout=3", true, "Cannot reach PostgreSQL")]
    [InlineData("Demo", "http://0.0.0.0:5999", "Sqlite", "Data Source=t.db", true, "Demo mode may listen only on loopback")]
    [InlineData("Production", "http://127.0.0.1:0", "Sqlite", "Data Source=t.db", false, "Production mode needs Dokodemo:KeyEncryptionKeyFile")]
    [InlineData("Prod", "http://127.0.0.1:0", "Sqlite", "Data Source=t.db", true, "Dokodemo:Mode must be Demo or Production")]
    [InlineData("Demo", "http://127.0.0.1:0", "MySql", "x", true, "Database:Provider must be Sqlite or Postgres")]
    public void ABadConfiguration_StopsTheStartWithOneSentence(string mode, string urls, string provider, string cs, bool withKeys, string expected)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = app.Dir,
        };
        psi.Environment["ASPNETCORE_URLS"] = urls;
        psi.Environment["Dokodemo__Mode"] = mode;
        psi.Environment["Database__Provider"] = provider;
        psi.Environment["Database__ConnectionString"] = cs;
        psi.Environment["Dokodemo__PublicUrl"] = "http://localhost";
        psi.Environment["Dokodemo__KeyEncryptionKeyFile"] = withKeys ? Path.Combine(app.Dir, "kek2") : "";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000));
        Assert.Equal(2, p.ExitCode);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        // One sentence, no stack trace.
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
