using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dokodemo.Access;
using Dokodemo.Domain.Accounts;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.AuditTrailHelpers;

namespace Dokodemo.Tests;

/// <summary>The audit page and API for the security administrator: filters, paging, CSV, who may see it, harmless display.</summary>
public class AuditSearchTests(AuditSearchTests.App app) : IClassFixture<AuditSearchTests.App>
{
    public sealed class App : TestApp;

    private AuditLog Audit => app.Services.GetRequiredService<AuditLog>();

    private async Task<string> NewPersonIdAsync(string name)
    {
        var email = "p-" + Guid.NewGuid().ToString("N")[..8] + "@example.jp";
        await app.InviteAsync(email, name);
        return await app.WithScopeAsync(async sp => (await sp.GetRequiredService<AppUserManager>().FindByEmailAsync(email))!.Id);
    }

    private static async Task<(int Total, List<AuditEntryDto> Items)> GetAsync(HttpClient client, string query)
    {
        var r = await client.GetAsync("/api/v1/audit?" + query);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var total = int.Parse(r.Headers.GetValues("X-Total-Count").Single(), CultureInfo.InvariantCulture);
        return (total, (await r.Content.ReadFromJsonAsync<List<AuditEntryDto>>())!);
    }

    [Fact]
    public async Task Filters_Paging_AndDates_OnTheApiAndThePage()
    {
        var admin = await AdminAsync(app);
        var hanako = await NewPersonIdAsync("監査 花子");
        var day1 = JstNoon(10);
        var day2 = JstNoon(9);
        try
        {
            SetClock(app, day1);
            for (var i = 0; i < 60; i++)
            {
                await Audit.WriteAsync("test.alpha", AuditOutcome.Success, actorId: hanako, details: new Dictionary<string, string?> { ["i"] = i.ToString(CultureInfo.InvariantCulture) });
            }

            for (var i = 0; i < 5; i++)
            {
                await Audit.WriteAsync("test.beta", AuditOutcome.Failure, subjectId: hanako, decision: AuditDecision.Deny, policyVersion: 3);
            }

            SetClock(app, day2);
            for (var i = 0; i < 7; i++)
            {
                await Audit.WriteAsync("test.gamma", AuditOutcome.Success);
            }
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }

        // Paging: newest first, the total in X-Total-Count.
        var (total, first) = await GetAsync(admin, "event=test.alpha&limit=10");
        Assert.Equal(60, total);
        Assert.Equal(10, first.Count);
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First.Sequence > p.Second.Sequence));
        Assert.All(first, e => Assert.Equal("監査 花子", e.ActorName));
        var (_, last) = await GetAsync(admin, "event=test.alpha&offset=55&limit=10");
        Assert.Equal(5, last.Count);
        Assert.Equal("0", System.Text.Json.JsonDocument.Parse(last[^1].Details).RootElement.GetProperty("i").GetString());

        // Outcome, decision (with its policy version), actor and subject by name or e-mail.
        var (denied, deniedItems) = await GetAsync(admin, "event=test.beta&outcome=failure&decision=deny");
        Assert.Equal(5, denied);
        Assert.All(deniedItems, e => Assert.Equal(("test.beta", "deny", (int?)3, "監査 花子"), (e.Event, e.Decision!, e.PolicyVersion, e.SubjectName!)));
        Assert.Equal(60, (await GetAsync(admin, "actor=" + Uri.EscapeDataString("花子"))).Total);
        Assert.Equal(60, (await GetAsync(admin, "actor=" + hanako)).Total);
        var (bySubject, subjectItems) = await GetAsync(admin, "subject=" + Uri.EscapeDataString("監査 花子"));
        Assert.Equal(6, bySubject); // five denials and her account.created
        Assert.Contains(subjectItems, e => e.Event == "account.created");
        Assert.Equal(0, (await GetAsync(admin, "actor=" + Uri.EscapeDataString("誰でもない人"))).Total);

        // Dates are whole days in Japan time, both ends included.
        Assert.Equal(65, (await GetAsync(admin, $"from={JstDate(day1)}&to={JstDate(day1)}")).Total);
        Assert.Equal(7, (await GetAsync(admin, $"from={JstDate(day2)}&to={JstDate(day2)}")).Total);
        Assert.Equal(72, (await GetAsync(admin, $"from={JstDate(day1)}&to={JstDate(day2)}")).Total);
        Assert.Equal(7, (await GetAsync(admin, $"event=test.gamma&from={Uri.EscapeDataString(day2.AddHours(-1).ToString("O", CultureInfo.InvariantCulture))}")).Total);

        // Bad filters: a clear error with a code and the field, nothing else.
        foreach (var (query, code, field) in new[]
        {
            ("from=2026-02-30", "audit.date_invalid", "from"),
            ("to=yesterday", "audit.date_invalid", "to"),
            ("from=2026-04-02&to=2026-04-01", "audit.range_invalid", "to"),
            ("outcome=maybe", "audit.filter_invalid", "outcome"),
            ("decision=perhaps", "audit.filter_invalid", "decision"),
            ("from=2026-04-01T00:00:00", "audit.date_invalid", "from"),
        })
        {
            var r = await admin.GetAsync("/api/v1/audit?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            var problem = await r.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        // The page: the same filters, Japanese columns and labels, names, pages of 50.
        var page = await admin.GetStringAsync("/admin/audit?event=test.beta");
        Assert.Contains("5件", page, StringComparison.Ordinal);
        Assert.Contains("日時（日本時間）", page, StringComparison.Ordinal);
        Assert.Contains("拒否 (v3)", page, StringComparison.Ordinal);
        Assert.Contains("失敗", page, StringComparison.Ordinal);
        Assert.Contains("監査 花子", page, StringComparison.Ordinal);
        Assert.Contains("<td>test.beta</td>", page, StringComparison.Ordinal); // no translation: the stored name
        var signins = await admin.GetStringAsync("/admin/audit?event=auth.signin");
        Assert.Contains("<td>サインイン</td>", signins, StringComparison.Ordinal);
        Assert.Contains("<td>監査 管理者</td>", signins, StringComparison.Ordinal);
        var page2 = await admin.GetStringAsync("/admin/audit?event=test.alpha&page=2");
        Assert.Contains("60件中 51〜60件目", page2, StringComparison.Ordinal);
        Assert.Equal(10, page2.Split("<td>test.alpha</td>").Length - 1);
        var csvLink = System.Text.RegularExpressions.Regex.Match(page2, "id=\"audit-csv\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal("/api/v1/audit.csv?event=test.alpha", WebUtility.HtmlDecode(csvLink));
        var english = new HttpRequestMessage(HttpMethod.Get, "/admin/audit?event=auth.signin");
        english.Headers.AcceptLanguage.ParseAdd("en");
        Assert.Contains("<td>Sign-in</td>", await (await admin.SendAsync(english)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var bad = await admin.GetAsync("/admin/audit?from=banana");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("日付は YYYY-MM-DD の形で入力してください。", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCsv_IsUtf8WithBom_Rfc4180Quoted_AndFormulaSafe()
    {
        var admin = await AdminAsync(app);
        var adminId = (await admin.GetFromJsonAsync<MeResponse>("/api/v1/me"))!.Id;
        var person = await NewPersonIdAsync("=HYPERLINK(\"http://evil.example\",\"x\"),@SUM(1)");
        await Audit.WriteAsync("test.csv", AuditOutcome.Success, subjectId: person, details: new Dictionary<string, string?> { ["note"] = "a,b \"q\"" });
        await Audit.WriteAsync("-2+3", AuditOutcome.Failure, subjectId: person, details: new Dictionary<string, string?> { ["x"] = "+1" });
        await Audit.WriteAsync("@cmd", AuditOutcome.Success, subjectId: person, decision: AuditDecision.StepUp);

        var r = await admin.GetAsync("/api/v1/audit.csv?subject=" + person);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/csv", r.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", r.Content.Headers.ContentType.CharSet);
        Assert.Equal("attachment", r.Content.Headers.ContentDisposition!.DispositionType);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var lines = text[..^2].Split("\r\n");
        Assert.Equal(5, lines.Length); // heading, account.created, three entries
        Assert.StartsWith("番号,日時（日本時間）,操作,操作コード,操作した人,操作した人のID,対象の人,対象の人のID,結果,判定", lines[0], StringComparison.Ordinal);

        var csvRow = lines.Single(l => l.Contains(",test.csv,", StringComparison.Ordinal));
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\"),@SUM(1)\",", csvRow, StringComparison.Ordinal);
        Assert.Contains(",\"note=a,b \"\"q\"\"\",", csvRow, StringComparison.Ordinal);
        Assert.Contains(",'-2+3,", lines.Single(l => l.Contains("'-2+3", StringComparison.Ordinal)), StringComparison.Ordinal);
        var atRow = lines.Single(l => l.Contains(",'@cmd,", StringComparison.Ordinal));
        Assert.Contains(",成功,追加認証,", atRow, StringComparison.Ordinal);
        // Read back as RFC 4180: every row has every column, and no cell starts with a formula character.
        var rows = lines.Select(ParseCsvRow).ToList();
        Assert.All(rows, r => Assert.Equal(rows[0].Count, r.Count));
        Assert.DoesNotContain(rows.SelectMany(r => r), c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@');
        Assert.Contains("'=HYPERLINK(\"http://evil.example\",\"x\"),@SUM(1)", rows.SelectMany(r => r));

        // In English on request, and the export itself is in the log.
        var en = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit.csv?subject=" + person);
        en.Headers.AcceptLanguage.ParseAdd("en");
        var enText = Encoding.UTF8.GetString(await (await admin.SendAsync(en)).Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFFNo.,Time (JST),Event,Event code,Actor", enText, StringComparison.Ordinal);
        var exported = (await EntriesAsync(app)).Last(e => e.Event == "audit.exported");
        Assert.Equal(adminId, exported.ActorId);
        Assert.Contains("\"format\":\"csv\"", exported.Details, StringComparison.Ordinal);
        Assert.Contains("\"rows\":\"4\"", exported.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlCharactersInANameOrDetails_AreStoredAsGiven_AndShownHarmlessly()
    {
        var admin = await AdminAsync(app);
        const string payload = "悪意 太郎\r\n2026-04-01 00:00:00 auth.signin success\u001b[31mRED\u001b[0m\u202Egnp.exe";
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { email = "evil-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp", name = payload, department = "総務課" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<InviteLink>())!.UserId;

        // A sign-in attempt with a CRLF/ANSI "user name": refused, and the name is not written anywhere.
        var attempt = await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email = "x\r\ninjected\u001b[2J@example.jp", password = "whatever it is" });
        Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        await Audit.WriteAsync("test.injection", AuditOutcome.Success, subjectId: id, details: new Dictionary<string, string?> { ["name"] = payload });

        var entries = await EntriesAsync(app);
        Assert.All(entries, e => Assert.DoesNotMatch(@"[\x00-\x1f\x7f]", string.Join('|', e.Event, e.ActorId, e.SubjectId, e.Details, e.IpAddress)));
        Assert.DoesNotContain(entries, e => e.Details.Contains("injected", StringComparison.Ordinal));
        var stored = entries.Last(e => e.Event == "test.injection").Details;
        Assert.Equal(payload, System.Text.Json.JsonDocument.Parse(stored).RootElement.GetProperty("name").GetString());
        Assert.Null((await Audit.VerifyAsync(null)).Break);
        // The API gives the name exactly as stored (JSON escapes it); a reader decides how to show it.
        var (_, items) = await GetAsync(admin, "subject=" + id);
        Assert.All(items, e => Assert.Equal(payload, e.SubjectName));

        const string shown = "悪意 太郎␍␊2026-04-01 00:00:00 auth.signin success␛[31mRED␛[0m&lt;U&#x2B;202E&gt;gnp.exe";
        var page = await admin.GetStringAsync("/admin/audit?subject=" + id);
        Assert.True(page.Contains(shown, StringComparison.Ordinal) || page.Contains(shown.Replace("&#x2B;", "+", StringComparison.Ordinal), StringComparison.Ordinal), "control characters are not shown as symbols");
        Assert.Contains("name=悪意 太郎␍␊2026", page, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", page, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", page, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n2026-04-01 00:00:00 auth.signin", page, StringComparison.Ordinal);

        var csv = Encoding.UTF8.GetString(await admin.GetByteArrayAsync("/api/v1/audit.csv?subject=" + id));
        var lines = csv.TrimEnd('\r', '\n').Split("\r\n");
        Assert.Equal(3, lines.Length); // heading, account.created, test.injection: the CR/LF did not start a row
        Assert.DoesNotContain(lines, l => l.StartsWith("2026-04-01 00:00:00 auth.signin", StringComparison.Ordinal));
        Assert.DoesNotContain("\u001b", csv, StringComparison.Ordinal);
        Assert.Contains("悪意 太郎␍␊2026-04-01 00:00:00 auth.signin success␛[31mRED␛[0m<U+202E>gnp.exe", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlySecurityAdministratorsAndAdministrators_MaySeeTheLog()
    {
        var (staff, _) = await PersonAsync(app, "一般 職員", Roles.Staff);
        var (manager, _) = await PersonAsync(app, "課長 職員", Roles.Staff, Roles.Manager, Roles.Hr);
        var (security, _) = await PersonAsync(app, "情報 管理", Roles.Staff, Roles.SecurityAdmin);
        var admin = await AdminAsync(app);
        var anonymous = app.NewClient();
        var calls = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, "/api/v1/audit"),
            (HttpMethod.Get, "/api/v1/audit.csv"),
            (HttpMethod.Post, "/api/v1/audit/verify"),
            (HttpMethod.Get, "/api/v1/audit/checkpoints/latest"),
            (HttpMethod.Get, "/api/v1/audit/public-key"),
            (HttpMethod.Get, "/api/v1/audit/export?from=2026-01-01&to=2026-01-02"),
        };
        foreach (var (method, path) in calls)
        {
            foreach (var client in new[] { staff, manager })
            {
                var r = await client.SendAsync(new HttpRequestMessage(method, path));
                Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {(int)r.StatusCode} to a non-administrator");
                Assert.Equal("access.denied", (await r.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
            }

            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(new HttpRequestMessage(method, path))).StatusCode);
        }

        var denied = await staff.GetAsync("/admin/audit");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/denied", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin/audit\"", await staff.GetStringAsync("/"), StringComparison.Ordinal);

        foreach (var allowed in new[] { security, admin })
        {
            Assert.Equal(HttpStatusCode.OK, (await allowed.GetAsync("/api/v1/audit?limit=1")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await allowed.GetAsync("/admin/audit")).StatusCode);
            Assert.Contains("href=\"/admin/audit\"", await allowed.GetStringAsync("/"), StringComparison.Ordinal);
        }

        // Reading is allowed from any device; taking the log away (CSV) needs a registered one (R49).
        var unregistered = await security.GetAsync("/api/v1/audit.csv");
        Assert.Equal(HttpStatusCode.Forbidden, unregistered.StatusCode);
        var problem = await unregistered.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(("DeviceTrust", "RegisterDevice"), (problem.GetProperty("reason").GetString(), problem.GetProperty("remedy").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await security.PostAsync("/api/v1/me/devices/current/register", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await security.GetAsync("/api/v1/audit.csv")).StatusCode);
    }

    [Fact]
    public async Task ABadCheckpointSetting_StopsTheStartWithOneSentence()
    {
        var (exit, _, err) = RunCli(app, new() { ["Dokodemo__Audit__CheckpointInterval"] = "banana" }, "users", "list");
        Assert.Equal(2, exit);
        Assert.Contains("Dokodemo:Audit:CheckpointInterval", err, StringComparison.Ordinal);
        (exit, _, err) = RunCli(app, new() { ["Dokodemo__Audit__CheckpointInterval"] = "00:00:10" }, "users", "list");
        Assert.Equal(2, exit);
        Assert.Contains("between 00:01:00 and 1.00:00:00", err, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    /// <summary>One CSV record (RFC 4180): fields separated by commas, a quoted field may hold commas and doubled quotes.</summary>
    private static List<string> ParseCsvRow(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                Assert.NotEqual('"', ch);
                cell.Append(ch);
            }
        }

        Assert.False(quoted, "unterminated quoted field: " + line);
        cells.Add(cell.ToString());
        return cells;
    }
}
