using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Domain.Calendar;
using Dokodemo.Domain.Work;
using Dokodemo.Work.Attendance;
using Dokodemo.Work.Payroll;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.Work.AttendanceKit;

namespace Dokodemo.Tests.Work;

/// <summary>
/// 在宅勤務等手当 (work-rules E-1..E-4) through the app — telework requested and approved on the spec's own dates — and
/// the monthly payroll export: who may download it, its bytes (BOM, Shift_JIS, RFC 4180, formula-safe), its figures.
/// </summary>
public class PayrollTests(PayrollTests.App app) : IClassFixture<PayrollTests.App>
{
    public sealed class App : TestApp;

    private static readonly TownCalendar Calendar = new();

    /// <summary>The first <paramref name="count"/> working days of a month.</summary>
    private static List<DateOnly> Workdays(int year, int month, int count, int skip = 0)
    {
        var days = new List<DateOnly>();
        for (var d = new DateOnly(year, month, 1); d.Month == month && days.Count < count + skip; d = d.AddDays(1))
        {
            if (Calendar.Classify(d) == CalendarDay.Workday)
            {
                days.Add(d);
            }
        }

        return days.Skip(skip).ToList();
    }

    /// <summary>The person asks for telework on these days and the manager approves, with the clock on the order date.</summary>
    private async Task OrderAsync(HttpClient person, HttpClient manager, DateOnly orderDate, IReadOnlyList<DateOnly> days)
    {
        SetClock(app, Jst(orderDate, 10));
        var created = await person.PostAsJsonAsync("/api/v1/work/telework/requests", new { kind = "Home", dates = days, reason = "在宅勤務" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var approved = await manager.PostAsJsonAsync($"/api/v1/work/telework/requests/{id}/approve", new { comment = "命令" });
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
    }

    private static async Task<Dictionary<string, JsonElement>> PreviewAsync(HttpClient hr, string month)
    {
        var r = await hr.GetAsync($"/api/v1/work/payroll/preview?month={month}");
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        var body = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(month, body.GetProperty("month").GetString());
        return body.GetProperty("people").EnumerateArray().ToDictionary(p => p.GetProperty("userId").GetString()!, p => p);
    }

    private static async Task<HttpResponseMessage> EnableAllowanceAsync(HttpClient hr, bool enabled) =>
        await hr.PutAsJsonAsync("/api/v1/work/settings", new
        {
            eligibleKinds = new[] { "Staff", "PartTimeStaff" }, maxDaysPerWeek = 5, minDaysAhead = 1, approvalRequired = true,
            allowance = new { enabled, thresholdDays = 10, windowMonths = 3, amountYen = 3000, halfDaysCount = false },
        });

    [Fact]
    public async Task Allowance_FollowsTheWorkedExamples_OrderedWindow_StrictlyMoreThanTen_HalfDaysOut_OffByDefault()
    {
        var (hr, _) = await PersonAsync(app, "人事課", "人事 係長", Roles.Staff, Roles.Hr);
        var (manager, _) = await PersonAsync(app, "企画課", "企画 課長", Roles.Staff, Roles.Manager);
        var (e1, e1Id) = await PersonAsync(app, "企画課", "在宅 一郎");
        var (e2, e2Id) = await PersonAsync(app, "企画課", "在宅 二郎");
        var (e3a, e3aId) = await PersonAsync(app, "企画課", "在宅 三子");
        var (e3b, e3bId) = await PersonAsync(app, "企画課", "在宅 四子");
        var (e4, e4Id) = await PersonAsync(app, "企画課", "在宅 五郎");
        try
        {
            // E-1: ordered on 2024-03-15 for April–June: 11, 10, 11 whole days.
            await OrderAsync(e1, manager, new DateOnly(2024, 3, 15), [.. Workdays(2024, 4, 11), .. Workdays(2024, 5, 10), .. Workdays(2024, 6, 11)]);
            // E-2: 10, 10, 10.
            await OrderAsync(e2, manager, new DateOnly(2024, 3, 15), [.. Workdays(2024, 4, 10), .. Workdays(2024, 5, 10), .. Workdays(2024, 6, 10)]);
            // E-4: 11 a month, but one day a month is half office, half home: 10 whole days a month.
            List<DateOnly> e4Days = [.. Workdays(2024, 4, 11), .. Workdays(2024, 5, 11), .. Workdays(2024, 6, 11)];
            await OrderAsync(e4, manager, new DateOnly(2024, 3, 15), e4Days);
            foreach (var half in new[] { e4Days[0], e4Days[11], e4Days[22] })
            {
                var declared = await e4.PutAsJsonAsync($"/api/v1/work/places/{half:yyyy-MM-dd}", new { part = "Afternoon", kind = "Office" });
                Assert.True(declared.IsSuccessStatusCode, await declared.Content.ReadAsStringAsync());
            }

            // E-3: an order dated the 1st opens the window that month; dated the 2nd, the next month.
            await OrderAsync(e3a, manager, new DateOnly(2024, 4, 1), Workdays(2024, 5, 3, skip: 5));
            await OrderAsync(e3b, manager, new DateOnly(2024, 4, 2), Workdays(2024, 5, 3, skip: 5));
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }

        // Off by default: no allowance, and the preview says so (never silently).
        var off = await PreviewAsync(hr, "2024-04");
        var offRow = off[e1Id];
        Assert.Equal(0, offRow.GetProperty("allowanceYen").GetInt32());
        Assert.False(offRow.GetProperty("allowance").GetProperty("enabled").GetBoolean());
        Assert.Contains("採用していません", offRow.GetProperty("allowance").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(11, offRow.GetProperty("teleworkDays").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await EnableAllowanceAsync(hr, enabled: true)).StatusCode);
        var april = await PreviewAsync(hr, "2024-04");

        var a = april[e1Id].GetProperty("allowance");
        Assert.True(a.GetProperty("eligible").GetBoolean());
        Assert.Equal(("2024-04-01", "2024-06-30", 3), (a.GetProperty("periodFrom").GetString(), a.GetProperty("periodTo").GetString(), a.GetProperty("periodMonths").GetInt32()));
        Assert.Equal(32, a.GetProperty("countedDays").GetInt32());
        Assert.Equal(10.67m, a.GetProperty("averageDays").GetDecimal());
        Assert.Equal((3000, 9000), (a.GetProperty("amountYen").GetInt32(), a.GetProperty("periodTotalYen").GetInt32()));
        Assert.True(a.GetProperty("commuteAdjustmentNeeded").GetBoolean());
        Assert.Contains("通勤手当", a.GetProperty("commuteNote").GetString(), StringComparison.Ordinal);
        Assert.Equal(3000, april[e1Id].GetProperty("allowanceYen").GetInt32());

        var b = april[e2Id].GetProperty("allowance");
        Assert.False(b.GetProperty("eligible").GetBoolean());
        Assert.Equal((30, 10.00m, 0), (b.GetProperty("countedDays").GetInt32(), b.GetProperty("averageDays").GetDecimal(), b.GetProperty("amountYen").GetInt32()));
        Assert.False(b.GetProperty("commuteAdjustmentNeeded").GetBoolean());
        Assert.Equal(0, april[e2Id].GetProperty("allowanceYen").GetInt32());

        var d = april[e4Id].GetProperty("allowance");
        Assert.False(d.GetProperty("eligible").GetBoolean());
        Assert.Equal(30, d.GetProperty("countedDays").GetInt32());
        Assert.Equal(10, april[e4Id].GetProperty("teleworkDays").GetInt32());

        // E-3: the 1st → April; the 2nd → May (so nothing covers April for that person).
        Assert.Equal("2024-04-01", april[e3aId].GetProperty("allowance").GetProperty("periodFrom").GetString());
        Assert.Equal(JsonValueKind.Null, april[e3bId].GetProperty("allowance").GetProperty("periodFrom").ValueKind);
        var may = await PreviewAsync(hr, "2024-05");
        Assert.Equal("2024-05-01", may[e3bId].GetProperty("allowance").GetProperty("periodFrom").GetString());
        Assert.Equal("2024-07-31", may[e3bId].GetProperty("allowance").GetProperty("periodTo").GetString());

        // May's re-test: April's days count as worked (their declarations still say 在宅 for the whole day).
        Assert.True(may[e1Id].GetProperty("allowance").GetProperty("eligible").GetBoolean());
        Assert.Equal(32, may[e1Id].GetProperty("allowance").GetProperty("countedDays").GetInt32());
        Assert.Equal(10, may[e1Id].GetProperty("teleworkDays").GetInt32());

        // Turned off again: nothing is paid.
        Assert.Equal(HttpStatusCode.OK, (await EnableAllowanceAsync(hr, enabled: false)).StatusCode);
        Assert.Equal(0, (await PreviewAsync(hr, "2024-04"))[e1Id].GetProperty("allowanceYen").GetInt32());
    }

    [Fact]
    public async Task Export_IsForHrOnARegisteredDevice_BadInputIsNamed_AndEveryDownloadIsAudited()
    {
        var (staff, _) = await PersonAsync(app, "出納室", "出納 職員");
        var (manager, _) = await PersonAsync(app, "出納室", "出納 室長", Roles.Staff, Roles.Manager);
        var (hr, hrId) = await PersonAsync(app, "人事課", "人事 主査", Roles.Staff, Roles.Hr);

        foreach (var refused in new[] { staff, manager })
        {
            var r = await refused.GetAsync("/api/v1/work/payroll?month=2024-05");
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("access.denied", await CodeOf(r));
            Assert.Equal(HttpStatusCode.Forbidden, (await refused.GetAsync("/api/v1/work/payroll/preview?month=2024-05")).StatusCode);
        }

        // HR on a device not registered: the policy's step for exporting personal information.
        var unregistered = await hr.GetAsync("/api/v1/work/payroll?month=2024-05");
        Assert.Equal(HttpStatusCode.Forbidden, unregistered.StatusCode);
        var problem = await unregistered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("access.denied", "DeviceTrust", "RegisterDevice"),
            (problem.GetProperty("code").GetString(), problem.GetProperty("reason").GetString(), problem.GetProperty("remedy").GetString()));
        // The preview is a read: HR sees it without a registered device.
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync("/api/v1/work/payroll/preview?month=2024-05")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await hr.PostAsync("/api/v1/me/devices/current/register", null)).StatusCode);
        foreach (var bad in new[] { "2024-5", "2024-13", "may", "", "2024-05-01" })
        {
            var r = await hr.GetAsync($"/api/v1/work/payroll?month={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            var p = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("work.payroll.month_invalid", p.GetProperty("code").GetString());
            Assert.Contains("YYYY-MM", p.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var unknown = await hr.GetAsync("/api/v1/work/payroll?month=2024-05&encoding=latin1");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("work.payroll.encoding_unknown", await CodeOf(unknown));
        Assert.Equal("work.payroll.month_invalid", await CodeOf(await hr.GetAsync("/api/v1/work/payroll/preview?month=24-05")));

        var before = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.CountAsync(e => e.Event == "work.payroll.exported"));
        var ok = await hr.GetAsync("/api/v1/work/payroll?month=2024-05");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("payroll-2024-05.csv", ok.Content.Headers.ContentDisposition?.FileNameStar ?? ok.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var audits = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Event == "work.payroll.exported").OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(before + 1, audits.Count);
        var entry = audits[^1];
        Assert.Equal(hrId, entry.ActorId);
        var details = JsonSerializer.Deserialize<Dictionary<string, string>>(entry.Details)!;
        Assert.Equal("2024-05", details["month"]);
        var csvRows = Encoding.UTF8.GetString(await ok.Content.ReadAsByteArrayAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Assert.True(csvRows >= 3);
        Assert.Equal(csvRows.ToString(CultureInfo.InvariantCulture), details["rows"]);
        Assert.DoesNotContain("出納", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.jp", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Bytes_BomOrShiftJis_QuotedCrlf_FormulaSafe_AndFiguresFromPayBands()
    {
        var (hr, _) = await PersonAsync(app, "人事課", "人事 主任", Roles.Staff, Roles.Hr);
        var (manager, _) = await PersonAsync(app, "建設課", "建設 課長", Roles.Staff, Roles.Manager);
        var (worker, workerId) = await PersonAsync(app, "建設課", "=HYPERLINK(\"x\") 建設");
        Assert.Equal(HttpStatusCode.NoContent, (await hr.PostAsync("/api/v1/me/devices/current/register", null)).StatusCode);

        // May 2024: every working day 8:30–21:30 (break 12–13); the 1st until 23:30 (深夜 22:00–23:30);
        // 5/3 (憲法記念日, a 休日) worked in its assigned hours; Saturday 5/11 9:00–12:00.
        var records = new List<object>();
        object Day(DateOnly d, int sh, int sm, int eh, int em, bool lunch) => new
        {
            start = Jst(d, sh, sm), end = Jst(d, eh, em), timeZone = "Asia/Tokyo",
            breaks = lunch ? new[] { new { start = Jst(d, 12), end = Jst(d, 13) } } : [],
        };
        foreach (var d in Workdays(2024, 5, 31))
        {
            records.Add(Day(d, 8, 30, d.Day == 1 ? 23 : 21, 30, lunch: true));
        }

        records.Add(Day(new DateOnly(2024, 5, 3), 8, 30, 17, 15, lunch: true));
        records.Add(Day(new DateOnly(2024, 5, 11), 9, 0, 12, 0, lunch: false));
        var imported = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new { person = workerId, records });
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        // The month is closed and locked.
        Assert.True((await worker.PostAsJsonAsync("/api/v1/work/months/2024-05/submit", new { })).IsSuccessStatusCode);
        Assert.True((await manager.PostAsJsonAsync("/api/v1/work/months/2024-05/approve", new { person = workerId })).IsSuccessStatusCode);
        Assert.True((await hr.PostAsJsonAsync("/api/v1/work/months/2024-05/lock", new { person = workerId })).IsSuccessStatusCode);

        var utf8 = await hr.GetAsync("/api/v1/work/payroll?month=2024-05");
        Assert.Equal("text/csv", utf8.Content.Headers.ContentType?.MediaType);
        var bytes = await utf8.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = Cells(lines[0]);
        Assert.Equal(PayrollExport.Header, header);
        var row = lines.Skip(1).Select(Cells).Single(c => c[1].Contains("建設", StringComparison.Ordinal) && c[1].Contains("HYPERLINK", StringComparison.Ordinal));
        // Formula-safe: the name starting with "=" is neutralised; the quotes inside it are doubled in the file.
        Assert.Equal("'=HYPERLINK(\"x\") 建設", row[1]);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\") 建設\"", text, StringComparison.Ordinal);

        // The figures are PayBands over the app's own days for the person…
        var days = await app.WithScopeAsync(sp => sp.GetRequiredService<AttendanceDays>().ForMonthAsync(workerId, new DateOnly(2024, 5, 1)));
        var pay = PayBands.Month(new DateOnly(2024, 5, 1), days);
        var bands = MonthPay.Bands.Select(b => pay.Hours(b).ToString("0.##", CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(bands, row[3..11]);
        // … and by hand: 時間外 passes 60h on the 14th 勤務日 (5/21), so the rest of the month is at 150/100.
        // Workday overtime 55h30m → 56; night overtime 1h30m → 2; 週休日 3h; beyond 60h 34h15m → 34; 休日勤務 7h45m → 8.
        Assert.Equal(["56", "2", "3", "0", "34", "0", "8", "0"], row[3..11]);
        Assert.Equal(("94.25", "1.5", "7.75"), (row[11], row[12], row[13]));
        Assert.Equal("確定", row[17]);

        // Shift_JIS (CP932): no BOM, decodes with 932, has the headers.
        var sjis = await hr.GetAsync("/api/v1/work/payroll?month=2024-05&encoding=sjis");
        Assert.Equal(HttpStatusCode.OK, sjis.StatusCode);
        Assert.Equal("payroll-2024-05-sjis.csv", sjis.Content.Headers.ContentDisposition?.FileNameStar ?? sjis.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var raw = await sjis.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(0xEF, raw[0]);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var decoded = Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetString(raw);
        Assert.Contains("時間外", decoded, StringComparison.Ordinal);
        Assert.Contains("建設", decoded, StringComparison.Ordinal);
        Assert.Equal(text, decoded);
    }

    [Fact]
    public async Task ThePage_ShowsHrThePreviewWithDownloadLinks_AndRefusesStaff()
    {
        var (hr, _) = await PersonAsync(app, "人事課", "人事 画面", Roles.Staff, Roles.Hr);
        var (staff, staffId) = await PersonAsync(app, "環境課", "環境 画面子");
        var day = Workdays(2024, 6, 1)[0];
        var imported = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new
        {
            person = staffId,
            records = new[] { new { start = Jst(day, 8, 30), end = Jst(day, 20, 0), timeZone = "Asia/Tokyo", breaks = new[] { new { start = Jst(day, 12), end = Jst(day, 13) } } } },
        });
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        var page = await hr.GetAsync("/work/payroll?month=2024-06");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("id=\"payroll-preview\"", html, StringComparison.Ordinal);
        Assert.Contains("/api/v1/work/payroll?month=2024-06&encoding=utf8", html, StringComparison.Ordinal);
        Assert.Contains("/api/v1/work/payroll?month=2024-06&encoding=sjis", html, StringComparison.Ordinal);
        // The person's row: 17:15–20:00 is 2h45m of 時間外 on a 勤務日 → 3h in the 125 band, 2.75h in total; not locked.
        var row = System.Text.RegularExpressions.Regex.Match(html, "<tr><th scope=\"row\">環境 画面子.*?</tr>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.NotEmpty(row);
        Assert.Contains("<td class=\"num\">3</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">2.75</td>", row, StringComparison.Ordinal);
        Assert.Contains("未確定", row, StringComparison.Ordinal);

        var bad = await hr.GetAsync("/work/payroll?month=2024-6");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("YYYY-MM", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var refused = await staff.GetAsync("/work/payroll?month=2024-06");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain("payroll-preview", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Splits one RFC 4180 line where every field is quoted.</summary>
    private static string[] Cells(string line)
    {
        var cells = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            Assert.Equal('"', line[i]);
            var cell = new StringBuilder();
            i++;
            while (true)
            {
                if (line[i] == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        cell.Append('"');
                        i += 2;
                        continue;
                    }

                    i++;
                    break;
                }

                cell.Append(line[i++]);
            }

            cells.Add(cell.ToString());
            if (i < line.Length)
            {
                Assert.Equal(',', line[i]);
                i++;
            }
        }

        return [.. cells];
    }
}
