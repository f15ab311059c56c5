using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Domain.Accounts;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.Work.AttendanceKit;

namespace Dokodemo.Tests.Work;

/// <summary>
/// Issue 4 items 4 and 7: the rules engine over recorded attendance — a person's year with rule codes, a team's month with
/// forecasts while it runs, a department's year — who may read them, and that the rules apply in Japan time.
/// </summary>
public class FindingsTests(FindingsTests.App app) : IClassFixture<FindingsTests.App>
{
    public sealed class App : TestApp;

    private static object Day(DateOnly d, int inH, int inM, int outH, int outM, string tz = "Asia/Tokyo") => new
    {
        start = Jst(d, inH, inM),
        end = outH >= 24 ? Jst(d.AddDays(1), outH - 24, outM) : Jst(d, outH, outM),
        timeZone = tz,
        breaks = new[] { new { start = Jst(d, 12), end = Jst(d, 13) } },
    };

    private static List<DateOnly> Workdays(DateOnly month, DateOnly? before = null)
    {
        var calendar = new Domain.Calendar.TownCalendar();
        return [.. Enumerable.Range(0, DateTime.DaysInMonth(month.Year, month.Month)).Select(month.AddDays)
            .Where(d => calendar.Classify(d) == Domain.Calendar.CalendarDay.Workday && (before is null || d < before))];
    }

    private static async Task ImportAsync(HttpClient hr, string person, IEnumerable<object> records)
    {
        var r = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new { person, records = records.ToList() });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    private static int FiscalYear(DateOnly d) => d.Month >= 4 ? d.Year : d.Year - 1;

    [Fact]
    public async Task AMonthOver45Hours_IsAnA1Violation_SeenByThePersonAndTheirManager_NotByOthers()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 花子", Roles.Staff, Roles.Hr);
        var (staff, staffId) = await PersonAsync(app, "住民課", "長時間 太郎", Roles.Staff);
        var (colleague, _) = await PersonAsync(app, "住民課", "同僚 次郎", Roles.Staff);
        var (manager, _) = await PersonAsync(app, "住民課", "住民 課長", Roles.Staff, Roles.Manager);
        var (otherManager, _) = await PersonAsync(app, "税務課", "税務 課長", Roles.Staff, Roles.Manager);

        // Last month: every workday 8:30–20:30 (3h15m outside the schedule); on the first, work until 23:00, so the next
        // morning's 8:30 start leaves 9h30m of rest (D-3).
        var month = LastMonth;
        var days = Workdays(month);
        await ImportAsync(hr, staffId, days.Select((d, i) => i == 0 ? Day(d, 8, 30, 23, 0) : Day(d, 8, 30, 20, 30)));

        var response = await staff.GetAsync($"/api/v1/work/findings?fiscalYear={FiscalYear(month)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var year = await response.Content.ReadFromJsonAsync<JsonElement>();
        var expected = Math.Round((days.Count * 195 + 150) / 60m, 2);
        var m = year.GetProperty("months").EnumerateArray().Single(x => x.GetProperty("month").GetString() == month.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, m.GetProperty("overtime").GetDecimal());
        var findings = year.GetProperty("findings").EnumerateArray().ToList();
        var a1 = Assert.Single(findings, f => f.GetProperty("rule").GetString() == "A-1" && !f.GetProperty("forecast").GetBoolean());
        Assert.Equal("Violation", a1.GetProperty("severity").GetString());
        Assert.Equal(expected, a1.GetProperty("figures").GetProperty("hours").GetDecimal());
        Assert.Contains("45時間", a1.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(findings, f => f.GetProperty("rule").GetString() == "D-3" && f.GetProperty("severity").GetString() == "Warning");

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/work/findings?person={staffId}&fiscalYear={FiscalYear(month)}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync($"/api/v1/work/findings?person={staffId}&fiscalYear={FiscalYear(month)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.GetAsync($"/api/v1/work/findings?person={staffId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.GetAsync($"/api/v1/work/findings?person={staffId}")).StatusCode);
        Assert.Equal("work.findings.year_invalid", await CodeOf(await staff.GetAsync("/api/v1/work/findings?fiscalYear=1999")));

        // The team's month and the department's year, for the manager; not for a colleague or another department's manager.
        var team = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/work/findings/team?month={MonthText(month)}");
        var row = team.EnumerateArray().Single(r => r.GetProperty("personId").GetString() == staffId);
        Assert.Contains(row.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "A-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.GetAsync($"/api/v1/work/findings/team?month={MonthText(month)}")).StatusCode);
        var jumin = await app.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<Data.AppDbContext>().Departments.First(d => d.Name == "住民課").Id));
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.GetAsync($"/api/v1/work/findings/team?department={jumin}&month={MonthText(month)}")).StatusCode);
        Assert.Equal("work.month.invalid", await CodeOf(await manager.GetAsync("/api/v1/work/findings/team?month=2025-13")));
        // The pages say the same: the person's year, the manager's team month.
        var page = await staff.GetStringAsync($"/work/findings?fiscalYear={FiscalYear(month)}");
        Assert.Contains("<code class=\"rule\">A-1</code>", page, StringComparison.Ordinal);
        Assert.Contains("<code class=\"rule\">D-3</code>", page, StringComparison.Ordinal);
        var teamPage = await manager.GetStringAsync($"/work/findings/team?month={MonthText(month)}");
        Assert.Contains("長時間 太郎", teamPage, StringComparison.Ordinal);
        Assert.Contains("<code class=\"rule\">A-1</code>", teamPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.GetAsync($"/work/findings?person={staffId}")).StatusCode);

        var deptYear = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/work/findings/department-year?fiscalYear={FiscalYear(month)}");
        var mine = deptYear.EnumerateArray().Single(r => r.GetProperty("personId").GetString() == staffId);
        Assert.True(mine.GetProperty("violations").GetInt32() >= 1);
    }

    [Fact]
    public async Task WhileTheMonthRuns_TheManagerIsWarnedItWillPass45Hours()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 三郎", Roles.Staff, Roles.Hr);
        var (_, staffId) = await PersonAsync(app, "企画課", "忙しい 四郎", Roles.Staff);
        var (manager, _) = await PersonAsync(app, "企画課", "企画 課長", Roles.Staff, Roles.Manager);

        // "Today" is last month's 8th workday at 10:00; the seven workdays before it ran 8:30–20:00 (2h45m over each).
        var month = LastMonth;
        var today = Workdays(month)[7];
        var worked = Workdays(month, before: today);
        await ImportAsync(hr, staffId, worked.Select(d => Day(d, 8, 30, 20, 0)));
        SetClock(app, Jst(today, 10));
        try
        {
            var team = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/work/findings/team?month={MonthText(month)}");
            var row = team.EnumerateArray().Single(r => r.GetProperty("personId").GetString() == staffId);
            var forecast = Assert.Single(row.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "A-1" && f.GetProperty("forecast").GetBoolean());
            Assert.Equal("Warning", forecast.GetProperty("severity").GetString());
            Assert.Equal(Math.Round(worked.Count * 165 / 60m, 2), forecast.GetProperty("figures").GetProperty("hours").GetDecimal());
            Assert.True(forecast.GetProperty("figures").GetProperty("projected").GetDecimal() > 45m);
            Assert.DoesNotContain(row.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "Violation");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task SomeoneWorkingFromParis_IsCountedInJapanTime()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 五郎", Roles.Staff, Roles.Hr);
        var (traveller, travellerId) = await PersonAsync(app, "観光課", "出張 六子", Roles.Staff);

        // 9:00–18:00 in Paris with a 12:00–13:00 lunch there is 17:00–2:00 in Japan (CET, +8h) or 16:00–1:00 (CEST, +7h).
        var d = Workdays(LastMonth)[3];
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        DateTimeOffset At(int h) => new(d.ToDateTime(new TimeOnly(h, 0)), paris.GetUtcOffset(d.ToDateTime(new TimeOnly(h, 0))));
        var r = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new
        {
            person = travellerId,
            records = new[] { new { start = At(9), end = At(18), timeZone = "Europe/Paris", breaks = new[] { new { start = At(12), end = At(13) } } } },
        });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());

        var year = await traveller.GetFromJsonAsync<JsonElement>($"/api/v1/work/findings?fiscalYear={FiscalYear(LastMonth)}");
        var m = year.GetProperty("months").EnumerateArray().Single(x => x.GetProperty("month").GetString() == LastMonth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        // In Japan time only the part from the start to 17:15 is inside the schedule: 15 minutes (CET) or 75 minutes (CEST).
        var offset = (int)paris.GetUtcOffset(d.ToDateTime(new TimeOnly(9, 0))).TotalHours;
        var inside = offset == 1 ? 15 : 75;
        Assert.Equal(Math.Round((8 * 60 - inside) / 60m, 2), m.GetProperty("overtime").GetDecimal());
        Assert.Equal(8m, m.GetProperty("worked").GetDecimal());
    }

    [Fact]
    public async Task ALockedMonth_KeepsItsTotals_TheYearReadsTheSame_AndAnHrCorrectionRecountsIt()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 七子", Roles.Staff, Roles.Hr);
        var (staff, staffId) = await PersonAsync(app, "建設課", "締め 八郎", Roles.Staff);
        var (manager, _) = await PersonAsync(app, "建設課", "建設 課長", Roles.Staff, Roles.Manager);
        var month = LastMonth;
        var days = Workdays(month);
        await ImportAsync(hr, staffId, days.Select(d => Day(d, 8, 30, 20, 30)));
        var url = $"/api/v1/work/findings?fiscalYear={FiscalYear(month)}";
        var before = await staff.GetStringAsync(url);

        Assert.True((await staff.PostAsJsonAsync($"/api/v1/work/months/{MonthText(month)}/submit", new { })).IsSuccessStatusCode);
        Assert.True((await manager.PostAsJsonAsync($"/api/v1/work/months/{MonthText(month)}/approve", new { person = staffId })).IsSuccessStatusCode);
        Assert.True((await hr.PostAsJsonAsync($"/api/v1/work/months/{MonthText(month)}/lock", new { person = staffId })).IsSuccessStatusCode);
        var row = await app.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<Data.AppDbContext>().AttendanceMonths.Single(m => m.UserId == staffId && m.Month == month)));
        Assert.NotNull(row.TotalsAt);
        Assert.Equal(days.Count * 195, row.OvertimeMinutes);
        Assert.Equal(days.Count * 11 * 60, row.WorkedMinutes);

        // Read from the kept totals, the year says exactly what it said from the records.
        Assert.Equal(before, await staff.GetStringAsync(url));

        // HR corrects one day of the locked month to 8:30–17:15: the kept totals are dropped and the month is counted again.
        var day = days[2];
        app.Clock.Offset = TimeSpan.Zero;
        var correction = await staff.PostAsJsonAsync("/api/v1/work/attendance/corrections", new
        {
            date = day, reason = "残業は翌日に振替",
            records = new[] { new { kind = "work", start = "08:30", end = "17:15" }, new { kind = "break", start = "12:00", end = "13:00" } },
        });
        Assert.True(correction.IsSuccessStatusCode, await correction.Content.ReadAsStringAsync());
        var id = (await correction.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.True((await hr.PostAsJsonAsync($"/api/v1/work/attendance/corrections/{id}/approve", new { comment = "人事承認" })).IsSuccessStatusCode);
        app.Clock.Offset = TimeSpan.Zero;
        var cleared = await app.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<Data.AppDbContext>().AttendanceMonths.Single(m => m.UserId == staffId && m.Month == month)));
        Assert.Null(cleared.TotalsAt);
        var year = await staff.GetFromJsonAsync<JsonElement>(url);
        var m = year.GetProperty("months").EnumerateArray().Single(x => x.GetProperty("month").GetString() == month.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Math.Round((days.Count - 1) * 195 / 60m, 2), m.GetProperty("overtime").GetDecimal());

        // The operator's `work recount` keeps the corrected month's totals again (as for months locked before version 11).
        Assert.Equal(0, app.RunCli("work", "recount"));
        Assert.Contains("Recounted", app.LastOutput, StringComparison.Ordinal);
        var recounted = await app.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<Data.AppDbContext>().AttendanceMonths.Single(x => x.UserId == staffId && x.Month == month)));
        Assert.NotNull(recounted.TotalsAt);
        Assert.Equal((days.Count - 1) * 195, recounted.OvertimeMinutes);
        Assert.Equal(0, app.RunCli("work", "recount"));
        Assert.Contains("already keeps", app.LastOutput, StringComparison.Ordinal);
    }
}
