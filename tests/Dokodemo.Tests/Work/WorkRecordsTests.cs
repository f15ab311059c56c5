using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Work.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.Work.AttendanceKit;

namespace Dokodemo.Tests.Work;

/// <summary>
/// Issue 4 item 3/4, C-2 労働時間の状況の把握: the app's own activity log, HR's import of PC and entry logs, the comparison
/// with self-reported times in the findings, confirmation notes, who may see and note, and the town's switch.
/// </summary>
public class WorkRecordsTests(WorkRecordsTests.App app) : IClassFixture<WorkRecordsTests.App>
{
    public sealed class App : TestApp;

    static WorkRecordsTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int FiscalYear(DateOnly d) => d.Month >= 4 ? d.Year : d.Year - 1;

    private async Task<string> EmailOf(string id) =>
        await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Users.Where(u => u.Id == id).Select(u => u.Email!).SingleAsync());

    private static async Task<HttpResponseMessage> ImportCsvAsync(HttpClient hr, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return await hr.PostAsync("/api/v1/work/records/import", content);
    }

    private static async Task ImportDayAsync(HttpClient hr, string person, DateOnly d, int inH, int inM, int outH, int outM)
    {
        var r = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new
        {
            person,
            records = new[] { new { start = Jst(d, inH, inM), end = Jst(d, outH, outM), timeZone = "Asia/Tokyo", breaks = new[] { new { start = Jst(d, 12), end = Jst(d, 13) } } } },
        });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    private async Task<List<WorkRecordLog>> LogsAsync(string userId, DateOnly date) =>
        await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().WorkRecordLogs.AsNoTracking().Where(l => l.UserId == userId && l.Date == date).ToListAsync());

    private async Task<WorkRecordLog> WaitForAppLogAsync(string userId, DateOnly date, Func<WorkRecordLog, bool> until)
    {
        for (var i = 0; i < 100; i++)
        {
            var row = (await LogsAsync(userId, date)).SingleOrDefault(l => l.Source == RecordSource.App);
            if (row is not null && until(row))
            {
                return row;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The app activity was not written.");
    }

    private static async Task<List<JsonElement>> C2Async(HttpClient reader, string person, DateOnly d)
    {
        var year = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/work/findings?person={person}&fiscalYear={FiscalYear(d)}");
        return [.. year.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("rule").GetString() == "C-2" && f.GetProperty("from").GetString() == Iso(d))];
    }

    [Fact]
    public async Task ASignedInRequest_IsRecorded_ThrottledToOneWritePerFiveMinutes_HealthChecksAreNot()
    {
        var (staff, id) = await PersonAsync(app, "住民課", "記録 一郎", Roles.Staff);
        var day = Workday(4);
        var other = Workday(5);
        var third = Workday(6);
        try
        {
            SetClock(app, Jst(day, 9));
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/work/attendance")).StatusCode);
            var first = await WaitForAppLogAsync(id, day, _ => true);
            Assert.Equal(Jst(day, 9).ToUniversalTime(), first.Start.ToUniversalTime(), TimeSpan.FromSeconds(5));

            // Two minutes earlier: within five minutes of the last write, so nothing is written (the start stays 9:00).
            SetClock(app, Jst(day, 8, 58));
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/work/attendance")).StatusCode);
            // Ten minutes later: written, the end moves to 9:10.
            SetClock(app, Jst(day, 9, 10));
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/work/attendance")).StatusCode);
            var extended = await WaitForAppLogAsync(id, day, l => l.End.ToUniversalTime() >= Jst(day, 9, 9).ToUniversalTime());
            Assert.Equal(Jst(day, 9).ToUniversalTime(), extended.Start.ToUniversalTime(), TimeSpan.FromSeconds(5));
            Assert.Equal(Jst(day, 9, 10).ToUniversalTime(), extended.End.ToUniversalTime(), TimeSpan.FromSeconds(5));
            Assert.Single(await LogsAsync(id, day));

            // The health check and a static file are not a person's work; the next real request is written after them.
            SetClock(app, Jst(other, 9));
            await staff.GetAsync("/health/ready");
            await staff.GetAsync("/css/app.css");
            SetClock(app, Jst(third, 9));
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/work/attendance")).StatusCode);
            await WaitForAppLogAsync(id, third, _ => true);
            Assert.Empty(await LogsAsync(id, other));
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task TheImport_IsAllOrNothing_NamesEveryBadLine_AndReadsCp932()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 記録", Roles.Staff, Roles.Hr);
        var (staffClient, staffId) = await PersonAsync(app, "税務課", "取込 花子", Roles.Staff);
        var email = await EmailOf(staffId);
        var d = Workday(2);

        var bad = $"person,start,end,source\n{email},{Iso(d)} 08:20,{Iso(d)} 17:40,pc\n{email},{Iso(d)} 25:00,{Iso(d)} 17:40,pc\n{email},{Iso(d)}T08:00:00+09:00,{Iso(d)}T18:00:00+09:00,fax\nnobody@example.jp,{Iso(d)} 08:00,{Iso(d)} 09:00,entry\n";
        var refused = await ImportCsvAsync(hr, Encoding.UTF8.GetBytes(bad));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("work.records.import_invalid", problem.GetProperty("code").GetString());
        Assert.Equal([3, 4, 5], problem.GetProperty("lines").EnumerateArray().Select(l => l.GetInt32()).ToArray());
        Assert.Empty(await LogsAsync(staffId, d));

        // CP932 with a Japanese header, the person by account id and by e-mail, an ISO instant and Japan local time.
        var text = $"職員,開始,終了,種別\r\n{staffId},{Iso(d)}T08:20:00+09:00,{Iso(d)}T17:40:00+09:00,pc\r\n{email.ToUpperInvariant()},{Iso(d)} 08:15,{Iso(d)} 08:16,entry\r\n";
        var ok = await ReadAsync<JsonElement>(await ImportCsvAsync(hr, Encoding.GetEncoding(932).GetBytes(text)));
        Assert.Equal(2, ok.GetProperty("imported").GetInt32());
        Assert.Equal("cp932", ok.GetProperty("encoding").GetString());
        var logs = await LogsAsync(staffId, d);
        Assert.Equal(2, logs.Count(l => l.Source != RecordSource.App));
        var pc = logs.Single(l => l.Source == RecordSource.Pc);
        Assert.Equal(Jst(d, 8, 20).ToUniversalTime(), pc.Start.ToUniversalTime());

        // The same file again adds nothing; a UTF-8 file with a BOM is read too.
        var again = await ReadAsync<JsonElement>(await ImportCsvAsync(hr, Encoding.GetEncoding(932).GetBytes(text)));
        Assert.Equal((0, 2), (again.GetProperty("imported").GetInt32(), again.GetProperty("alreadyThere").GetInt32()));
        var bom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"{email},{Iso(d)} 18:00,{Iso(d)} 18:30,entry\n")).ToArray();
        Assert.Equal(1, (await ReadAsync<JsonElement>(await ImportCsvAsync(hr, bom))).GetProperty("imported").GetInt32());

        Assert.Equal("work.records.import_empty", await CodeOf(await ImportCsvAsync(hr, [])));
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportCsvAsync(staffClient, Encoding.UTF8.GetBytes(text))).StatusCode);
        var audited = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking().CountAsync(e => e.Event == "work.records.imported"));
        Assert.True(audited >= 2);
    }

    [Fact]
    public async Task AReportOf830To1715AgainstAPcLogTo1940_IsAC2Warning_UntilTheManagerNotesIt()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 照合", Roles.Staff, Roles.Hr);
        var (staff, staffId) = await PersonAsync(app, "福祉課", "残業 太郎", Roles.Staff);
        var (colleague, _) = await PersonAsync(app, "福祉課", "同僚 次子", Roles.Staff);
        var (manager, _) = await PersonAsync(app, "福祉課", "福祉 課長", Roles.Staff, Roles.Manager);
        var (otherManager, _) = await PersonAsync(app, "建設課", "建設 課長", Roles.Staff, Roles.Manager);
        var d = Workday(3);

        await ImportDayAsync(hr, staffId, d, 8, 30, 17, 15);
        await ReadAsync<JsonElement>(await ImportCsvAsync(hr, Encoding.UTF8.GetBytes($"{staffId},{Iso(d)} 08:25,{Iso(d)} 19:40,pc\n")));

        var c2 = Assert.Single(await C2Async(manager, staffId, d));
        Assert.Equal("Warning", c2.GetProperty("severity").GetString());
        Assert.Equal(5m, c2.GetProperty("figures").GetProperty("startGapMinutes").GetDecimal());
        Assert.Equal(145m, c2.GetProperty("figures").GetProperty("endGapMinutes").GetDecimal());
        Assert.Contains("8:30–17:15", c2.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("8:25–19:40", c2.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The day list: reported, logged by source, the gaps.
        var month = await ReadAsync<JsonElement>(await manager.GetAsync($"/api/v1/work/records?person={staffId}&month={MonthText(d)}"));
        var day = month.GetProperty("days").EnumerateArray().Single(x => x.GetProperty("date").GetString() == Iso(d));
        Assert.Equal(("8:30", "17:15"), (day.GetProperty("reportedStart").GetString(), day.GetProperty("reportedEnd").GetString()));
        Assert.Equal(("8:25", "19:40"), (day.GetProperty("loggedStart").GetString(), day.GetProperty("loggedEnd").GetString()));
        Assert.Equal((5, 145), (day.GetProperty("startGapMinutes").GetInt32(), day.GetProperty("endGapMinutes").GetInt32()));
        Assert.Equal("pc", day.GetProperty("logged")[0].GetProperty("source").GetString());
        Assert.True(day.GetProperty("flagged").GetBoolean());

        // The manager's page lists who in the department has days to confirm.
        var teamPage = await manager.GetStringAsync($"/work/records?month={MonthText(d)}");
        Assert.Matches("id=\"records-team\"[\\s\\S]*残業 太郎", teamPage);

        // Who may read and note: the person reads their own but cannot note it; a colleague and another department's manager neither.
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/v1/work/records?month={MonthText(d)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.GetAsync($"/api/v1/work/records?person={staffId}&month={MonthText(d)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.GetAsync($"/api/v1/work/records?person={staffId}&month={MonthText(d)}")).StatusCode);
        var note = new { person = staffId, date = Iso(d), note = "19時まで窓口対応の残務。命令漏れのため事後に命令簿を整備。" };
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync("/api/v1/work/records/note", note)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.PostAsJsonAsync("/api/v1/work/records/note", note)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.PostAsJsonAsync("/api/v1/work/records/note", note)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.GetAsync($"/api/v1/work/findings?person={staffId}")).StatusCode);
        Assert.Equal("work.records.note_required", await CodeOf(await manager.PostAsJsonAsync("/api/v1/work/records/note", new { person = staffId, date = Iso(d), note = " " })));
        Assert.Equal("work.records.date_invalid", await CodeOf(await manager.PostAsJsonAsync("/api/v1/work/records/note", new { person = staffId, date = Iso(TodayJst.AddDays(3)), note = "x" })));

        // The manager notes it: audited, shown, and the day is no longer flagged.
        var saved = await ReadAsync<JsonElement>(await manager.PostAsJsonAsync("/api/v1/work/records/note", note));
        Assert.Equal("福祉 課長", saved.GetProperty("byName").GetString());
        Assert.Empty(await C2Async(manager, staffId, d));
        var after = await ReadAsync<JsonElement>(await hr.GetAsync($"/api/v1/work/records?person={staffId}&month={MonthText(d)}"));
        var noted = after.GetProperty("days").EnumerateArray().Single(x => x.GetProperty("date").GetString() == Iso(d));
        Assert.False(noted.GetProperty("flagged").GetBoolean());
        Assert.Equal(note.note, noted.GetProperty("notes")[0].GetProperty("note").GetString());
        var audit = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Event == "work.records.noted" && e.SubjectId == staffId).Select(e => e.Details).ToListAsync());
        Assert.Contains(Iso(d), Assert.Single(audit), StringComparison.Ordinal);

        // The pages: the month page's log column, and /work/records for the manager.
        var monthPage = await staff.GetStringAsync($"/work/month?month={MonthText(d)}");
        Assert.Contains("8:25–19:40", monthPage, StringComparison.Ordinal);
        var recordsPage = await manager.GetStringAsync($"/work/records?person={staffId}&month={MonthText(d)}");
        Assert.Contains("残業 太郎", recordsPage, StringComparison.Ordinal);
        Assert.Contains("命令漏れ", recordsPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.GetAsync($"/work/records?person={staffId}&month={MonthText(d)}")).StatusCode);
    }

    [Fact]
    public async Task ATeleworkDayWithoutAnyLog_Warns_AndTheTownCanTurnC2Off()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 在宅", Roles.Staff, Roles.Hr);
        var (staff, staffId) = await PersonAsync(app, "企画課", "在宅 三郎", Roles.Staff);
        var (manager, _) = await PersonAsync(app, "企画課", "企画 課長", Roles.Staff, Roles.Manager);

        // The town has logs from the first workday of last month on; the person works at home every Monday and logs nothing.
        var (_, earlyId) = await PersonAsync(app, "企画課", "記録 四郎", Roles.Staff);
        await ReadAsync<JsonElement>(await ImportCsvAsync(hr, Encoding.UTF8.GetBytes($"{await EmailOf(earlyId)},{Iso(Workday(0))} 08:30,{Iso(Workday(0))} 17:15,pc\n")));
        await ReadAsync<JsonElement>(await staff.PutAsJsonAsync("/api/v1/work/pattern", new { entries = new[] { new { weekday = "Monday", kind = "Home" } } }));
        var calendar = new Domain.Calendar.TownCalendar();
        var monday = Enumerable.Range(1, 27).Select(i => Workday(0).AddDays(i))
            .First(x => x.DayOfWeek == DayOfWeek.Monday && calendar.Classify(x) == Domain.Calendar.CalendarDay.Workday);

        var c2 = Assert.Single(await C2Async(manager, staffId, monday));
        Assert.Equal(0m, c2.GetProperty("figures").GetProperty("loggedSessions").GetDecimal());
        Assert.Contains("客観的記録", (await ReadAsync<JsonElement>(await staff.GetAsync($"/api/v1/work/findings?fiscalYear={FiscalYear(monday)}")))
            .GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == "C-2" && f.GetProperty("from").GetString() == Iso(monday))
            .GetProperty("message").GetString(), StringComparison.Ordinal);
        var month = await ReadAsync<JsonElement>(await manager.GetAsync($"/api/v1/work/records?person={staffId}&month={MonthText(monday)}"));
        Assert.True(month.GetProperty("days").EnumerateArray().Single(x => x.GetProperty("date").GetString() == Iso(monday)).GetProperty("telework").GetBoolean());

        // A tolerance of hours would switch C-2 off by stealth: refused while it is on.
        Assert.Equal("work.rules.invalid", await CodeOf(await hr.PutAsJsonAsync("/api/v1/work/rules/parameters", new { dayRules = new { recordToleranceMinutes = 200 } })));

        // Turned off in the town's rules: no C-2 at all; the parameters page shows the switch.
        try
        {
            await ReadAsync<JsonElement>(await hr.PutAsJsonAsync("/api/v1/work/rules/parameters", new { dayRules = new { checkRecords = false } }));
            Assert.Empty(await C2Async(manager, staffId, monday));
            Assert.False((await ReadAsync<JsonElement>(await manager.GetAsync($"/api/v1/work/records?person={staffId}&month={MonthText(monday)}"))).GetProperty("checked").GetBoolean());
            var rulesPage = await hr.GetStringAsync("/work/rules");
            Assert.Contains("name=\"checkRecords\"", rulesPage, StringComparison.Ordinal);
        }
        finally
        {
            await ReadAsync<JsonElement>(await hr.PutAsJsonAsync("/api/v1/work/rules/parameters", new { dayRules = new { checkRecords = true } }));
        }

        Assert.Single(await C2Async(manager, staffId, monday));
    }

    [Fact]
    public async Task ThePage_TakesANote_AndHrImportsAFile()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 画面", Roles.Staff, Roles.Hr);
        var (_, staffId) = await PersonAsync(app, "水道課", "画面 五郎", Roles.Staff);
        var (manager, _) = await PersonAsync(app, "水道課", "水道 課長", Roles.Staff, Roles.Manager);
        var d = Workday(7);
        await ImportDayAsync(hr, staffId, d, 8, 30, 17, 15);

        // HR uploads the entry system's file on the page; a late exit makes the day one to confirm.
        var path = $"/work/records?person={staffId}&month={MonthText(d)}";
        var page = await hr.GetStringAsync(path);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent("import"), "_handler" },
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes($"{staffId},{Iso(d)} 08:20,{Iso(d)} 20:05,entry\n")), "file", "entry.csv" },
        };
        var uploaded = await hr.PostAsync(path, form);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.Contains("1件を取り込みました", await uploaded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await C2Async(manager, staffId, d));

        // The manager notes it on the page.
        page = await manager.GetStringAsync(path);
        Assert.Contains("id=\"records-note-form\"", page, StringComparison.Ordinal);
        token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var noted = await manager.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "note", ["__RequestVerificationToken"] = token, ["notePerson"] = staffId, ["noteDate"] = Iso(d), ["noteText"] = "退館は20時、業務は17時15分まで（上司現認）。",
        }));
        Assert.Equal(HttpStatusCode.OK, noted.StatusCode);
        var html = await noted.Content.ReadAsStringAsync();
        Assert.Contains("確認記録を残しました", html, StringComparison.Ordinal);
        Assert.Contains("上司現認", html, StringComparison.Ordinal);
        Assert.Empty(await C2Async(manager, staffId, d));
    }

    [Fact]
    public async Task Retention_RemovesOnlyLogsOlderThanThreeYears()
    {
        var (_, id) = await PersonAsync(app, "会計課", "保存 六郎", Roles.Staff);
        var today = TodayJst;
        var old = today.AddYears(-3).AddDays(-2);
        var young = today.AddYears(-3).AddDays(2);
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            foreach (var date in new[] { old, young })
            {
                db.WorkRecordLogs.Add(new WorkRecordLog
                {
                    Id = Guid.NewGuid(), UserId = id, Date = date, Source = RecordSource.Pc, Start = Jst(date, 8, 30).ToUniversalTime(), End = Jst(date, 17, 30).ToUniversalTime(), CreatedAt = DateTimeOffset.UtcNow,
                });
            }

            return await db.SaveChangesAsync();
        });

        // Asked to remove everything up to tomorrow, it still keeps the last three years.
        var removed = await app.WithScopeAsync(sp => sp.GetRequiredService<WorkRecordLogs>().PurgeAsync(today.AddDays(1), null, default));

        Assert.True(removed >= 1);
        Assert.Empty(await LogsAsync(id, old));
        Assert.Single(await LogsAsync(id, young));
        Assert.True(await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking().AnyAsync(e => e.Event == "work.records.purged")));
    }
}
