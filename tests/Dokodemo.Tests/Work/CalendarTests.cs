using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.AuditTrailHelpers;

namespace Dokodemo.Tests.Work;

/// <summary>
/// The town calendar (issue 4 item 5, item 8): the holiday API against the Cabinet Office's own list for every year it
/// publishes, the CP932 import (CLI and API), the town's closing days and the deadline rule, private iCalendar feeds.
/// </summary>
public class CalendarTests(CalendarTests.App app) : IClassFixture<CalendarTests.App>
{
    public sealed class App : TestApp;

    private static readonly string CsvPath = Path.Combine(AppContext.BaseDirectory, "Data", "syukujitsu.csv");

    static CalendarTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The Cabinet Office's rows: date → name.</summary>
    private static SortedDictionary<DateOnly, string> Official()
    {
        var text = Encoding.GetEncoding(932).GetString(File.ReadAllBytes(CsvPath));
        var rows = new SortedDictionary<DateOnly, string>();
        foreach (var line in text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var parts = line.Split(',');
            rows.Add(DateOnly.ParseExact(parts[0], "yyyy/M/d", CultureInfo.InvariantCulture), parts[1]);
        }

        return rows;
    }

    private static async Task<JsonElement> YearAsync(HttpClient client, int year)
    {
        var r = await client.GetAsync($"/api/v1/calendar/holidays?year={year}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task TheHolidayApi_AgreesWithTheCabinetOfficeList_ForEveryYearItPublishes_BeforeAndAfterImportingIt()
    {
        var official = Official();
        var years = official.Keys.Select(d => d.Year).Distinct().ToList();
        Assert.Equal(1955, years[0]);
        Assert.Equal(2025, years[^1]);
        var (client, _) = await PersonAsync(app, "暦 確認", Roles.Staff);
        var (hr, _) = await PersonAsync(app, "人事 担当", Roles.Staff, Roles.Hr);

        // Computed from the rules of 祝日法: the same dates, every year; "休日" rows are 振替休日 or 国民の休日.
        await CompareAsync(client, official, years, expectSource: "rules", compareNames: false);

        // Importing the list (CP932, as published) makes it the source for those years, names included.
        using var body = new ByteArrayContent(await File.ReadAllBytesAsync(CsvPath));
        body.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var imported = await hr.PostAsync("/api/v1/calendar/holidays/import", body);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var result = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(official.Count, result.GetProperty("rows").GetInt32());
        Assert.Equal("cp932", result.GetProperty("encoding").GetString());
        await CompareAsync(client, official, years, expectSource: "cabinet-office", compareNames: true);

        // Years after the list are computed, and an unfixed equinox is marked provisional.
        var later = await YearAsync(client, 2030);
        Assert.Equal("rules", later.GetProperty("source").GetString());
        Assert.Contains(later.GetProperty("holidays").EnumerateArray(), h => h.GetProperty("name").GetString() == "春分の日" && h.GetProperty("provisional").GetBoolean());
        var y2026 = await YearAsync(client, 2026);
        Assert.Contains(y2026.GetProperty("holidays").EnumerateArray(), h =>
            h.GetProperty("date").GetString() == "2026-09-22" && h.GetProperty("kind").GetString() == "国民の休日" && h.GetProperty("kindCode").GetString() == "citizens");
        Assert.Contains(y2026.GetProperty("holidays").EnumerateArray(), h =>
            h.GetProperty("date").GetString() == "2026-05-06" && h.GetProperty("kind").GetString() == "振替休日");
    }

    private static async Task CompareAsync(HttpClient client, SortedDictionary<DateOnly, string> official, List<int> years, string expectSource, bool compareNames)
    {
        foreach (var year in years)
        {
            var json = await YearAsync(client, year);
            Assert.Equal(expectSource, json.GetProperty("source").GetString());
            var api = json.GetProperty("holidays").EnumerateArray().ToDictionary(
                h => DateOnly.ParseExact(h.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                h => (Name: h.GetProperty("name").GetString()!, Kind: h.GetProperty("kindCode").GetString()!));
            var listed = official.Where(kv => kv.Key.Year == year).ToList();
            Assert.True(listed.Select(kv => kv.Key).SequenceEqual(api.Keys.Order()),
                $"{year}: the Cabinet Office lists {string.Join(" ", listed.Select(kv => kv.Key))} but the API says {string.Join(" ", api.Keys.Order())}");
            foreach (var (date, name) in listed)
            {
                var (apiName, kind) = api[date];
                if (name == "休日")
                {
                    Assert.True(kind is "substitute" or "citizens", $"{date}: 休日 must be a 振替休日 or 国民の休日, not {kind}");
                }
                else
                {
                    Assert.True(kind == "national", $"{date} ({name}) must be a 祝日, not {kind}");
                    // The list calls 2019-05-01 and 10-22 "休日（祝日扱い）"; the calendar names them (即位の日, 即位礼正殿の儀).
                    if (compareNames && name != "休日（祝日扱い）")
                    {
                        Assert.Equal(name, apiName);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task TheImportCommand_ReadsCp932_AndRefusesAWrongEncodingOrABadRow_ImportingNothing()
    {
        Task<int> Count() => app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().HolidayLists.CountAsync());
        var before = await Count();
        var dir = Path.Combine(app.Dir, "holidays");
        Directory.CreateDirectory(dir);

        // UTF-16 is neither CP932 nor UTF-8.
        var text = Encoding.GetEncoding(932).GetString(await File.ReadAllBytesAsync(CsvPath));
        var utf16 = Path.Combine(dir, "utf16.csv");
        await File.WriteAllBytesAsync(utf16, Encoding.Unicode.GetBytes(text));
        Assert.Equal(1, app.RunCli("import", "holidays", utf16));
        Assert.Contains("Shift_JIS", app.LastError, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", app.LastError, StringComparison.Ordinal);

        // One impossible date in an otherwise good CP932 file: refused with its line number.
        var bad = Path.Combine(dir, "bad.csv");
        await File.WriteAllBytesAsync(bad, Encoding.GetEncoding(932).GetBytes(text.Replace("2025/11/24,休日", "2025/11/31,休日", StringComparison.Ordinal)));
        Assert.Equal(1, app.RunCli("import", "holidays", bad));
        Assert.Contains("line", app.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, app.RunCli("import", "holidays", Path.Combine(dir, "missing.csv")));
        Assert.Equal(before, await Count());

        Assert.Equal(0, app.RunCli("import", "holidays", CsvPath));
        Assert.Contains("Imported 1032 holidays for 1955–2025 (cp932)", app.LastOutput, StringComparison.Ordinal);
        Assert.Equal(before + 1, await Count());
    }

    [Fact]
    public async Task TheApi_RefusesBadInput_WithCodes_AndOnlyHrOrAdminsImport()
    {
        var (staff, _) = await PersonAsync(app, "一般 職員", Roles.Staff);
        var (hr, _) = await PersonAsync(app, "人事 係長", Roles.Staff, Roles.Hr);
        await ProblemAsync(await staff.GetAsync("/api/v1/calendar/holidays?year=1954"), HttpStatusCode.BadRequest, "calendar.year_out_of_range");
        await ProblemAsync(await staff.GetAsync("/api/v1/calendar/deadline?due=2025-13-01"), HttpStatusCode.BadRequest, "calendar.date_invalid");
        await ProblemAsync(await staff.GetAsync("/api/v1/calendar/days?from=2025-01-10&to=2025-01-01"), HttpStatusCode.BadRequest, "calendar.range_invalid");

        using var csv = new ByteArrayContent(await File.ReadAllBytesAsync(CsvPath));
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsync("/api/v1/calendar/holidays/import", csv)).StatusCode);
        using var eucJp = new ByteArrayContent(Encoding.GetEncoding(51932).GetBytes("国民の祝日・休日月日,国民の祝日・休日名称\r\n2026/1/1,元日\r\n"));
        await ProblemAsync(await hr.PostAsync("/api/v1/calendar/holidays/import", eucJp), HttpStatusCode.BadRequest, "calendar.holidays_encoding");
        using var empty = new ByteArrayContent([]);
        await ProblemAsync(await hr.PostAsync("/api/v1/calendar/holidays/import", empty), HttpStatusCode.BadRequest, "calendar.holidays_empty");
        using var unknown = new ByteArrayContent(Encoding.UTF8.GetBytes("国民の祝日・休日月日,国民の祝日・休日名称\n2026/6/15,休日\n"));
        var problem = await ProblemAsync(await hr.PostAsync("/api/v1/calendar/holidays/import", unknown), HttpStatusCode.BadRequest, "calendar.holidays_invalid");
        Assert.Contains("2", problem.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTownsOwnClosingDays_MoveDeadlines_AndOnlyHrOrAdminsEditThem()
    {
        var (staff, _) = await PersonAsync(app, "窓口 職員", Roles.Staff);
        var (hr, _) = await PersonAsync(app, "人事 主査", Roles.Staff, Roles.Hr);

        // G-1: a deadline on 12/29 moves past 12/29–1/4 (1/3 is followed by a weekend) to Monday 1/5.
        var dl = await staff.GetFromJsonAsync<JsonElement>("/api/v1/calendar/deadline?due=2025-12-29");
        Assert.Equal("2026-01-05", dl.GetProperty("effective").GetString());
        Assert.True(dl.GetProperty("moved").GetBoolean());

        var day = new { date = "2027-06-23", name = "町の記念日" };
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync("/api/v1/calendar/closing-days", day)).StatusCode);
        var created = await hr.PostAsJsonAsync("/api/v1/calendar/closing-days", day);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ProblemAsync(await hr.PostAsJsonAsync("/api/v1/calendar/closing-days", day), HttpStatusCode.Conflict, "calendar.closing_day_exists");
        await ProblemAsync(await hr.PostAsJsonAsync("/api/v1/calendar/closing-days", new { date = "2027-06-24", name = " " }), HttpStatusCode.BadRequest,
            "calendar.closing_day_name_required");

        // 2027-06-23 is a Wednesday: now a closing day, and a deadline on it moves to Thursday.
        var days = await staff.GetFromJsonAsync<JsonElement>("/api/v1/calendar/days?from=2027-06-21&to=2027-06-27");
        Assert.Contains(days.EnumerateArray(), d => d.GetProperty("date").GetString() == "2027-06-23" && d.GetProperty("type").GetString() == "town");
        Assert.Equal("2027-06-24", (await staff.GetFromJsonAsync<JsonElement>("/api/v1/calendar/deadline?due=2027-06-23")).GetProperty("effective").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.DeleteAsync("/api/v1/calendar/closing-days/2027-06-23")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await hr.DeleteAsync("/api/v1/calendar/closing-days/2027-06-23")).StatusCode);
        Assert.Equal("2027-06-23", (await staff.GetFromJsonAsync<JsonElement>("/api/v1/calendar/deadline?due=2027-06-23")).GetProperty("effective").GetString());
    }

    [Fact]
    public async Task APrivateFeed_IsValidICalendar_AndStopsWorkingWhenRemadeOrRevoked()
    {
        var (staff, _) = await PersonAsync(app, "購読 職員", Roles.Staff);
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        Assert.False((await staff.GetFromJsonAsync<JsonElement>("/api/v1/me/calendar-feed")).GetProperty("active").GetBoolean());

        var made = await staff.PostAsync("/api/v1/me/calendar-feed", null);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var url = new Uri((await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var feed = await anonymous.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
        var ics = await feed.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", ics, StringComparison.Ordinal);
        Assert.EndsWith("END:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(ics.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"line longer than 75 octets: {line}"));
        Assert.Equal(CountOf(ics, "BEGIN:VEVENT"), CountOf(ics, "END:VEVENT"));
        Assert.Contains("DTSTART;VALUE=DATE:", ics, StringComparison.Ordinal);
        Assert.Contains("CATEGORIES:祝日", ics, StringComparison.Ordinal);
        Assert.True((await staff.GetFromJsonAsync<JsonElement>("/api/v1/me/calendar-feed")).GetProperty("active").GetBoolean());

        // A new URL turns the old one off; revoking turns every one off.
        var remade = new Uri((await (await staff.PostAsync("/api/v1/me/calendar-feed", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(remade.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await staff.DeleteAsync("/api/v1/me/calendar-feed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(remade.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/feed/not-a-token-at-all-xxxxxxxx.ics")).StatusCode);
    }

    private static int CountOf(string text, string what) => text.Split(what).Length - 1;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }
}
