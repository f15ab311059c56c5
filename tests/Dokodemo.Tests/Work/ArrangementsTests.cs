using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Domain.Accounts;
using Dokodemo.Work.Arrangements;
using static Dokodemo.Tests.Work.AttendanceKit;

namespace Dokodemo.Tests.Work;

/// <summary>
/// Issue 4 item 4, D-4 and D-5 in the app: a person 申告s a flex plan or asks for an 早出遅出 pattern, the manager
/// assigns it (割振り), and the assigned hours replace the regular schedule when overtime is counted. A plan whose hours
/// do not add up is refused with the rule's figures and nothing is saved.
/// </summary>
public class ArrangementsTests(ArrangementsTests.App app) : IClassFixture<ArrangementsTests.App>
{
    public sealed class App : TestApp;

    // June 2026 has no national holiday: 2026-06-01 is a Monday, and the four weeks to 06-28 hold 20 workdays.
    private static readonly DateOnly PeriodStart = new(2026, 6, 1);

    private static DateOnly Weekday(int n) =>
        Enumerable.Range(0, 28).Select(PeriodStart.AddDays).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ElementAt(n);

    private static object Day(DateOnly d, string start, string end, bool special = false) => special
        ? new { date = d, start, end, breakStart = (string?)null, breakEnd = (string?)null, special }
        : new { date = d, start, end, breakStart = (string?)"12:00", breakEnd = (string?)"13:00", special };

    private static object Plan(string person, IEnumerable<object> days, string coreStart = "10:00", string coreEnd = "14:00") =>
        new { person, from = PeriodStart, to = PeriodStart.AddDays(27), coreStart, coreEnd, days = days.ToList(), reason = "子の送迎" };

    private async Task<(HttpClient Person, string PersonId, HttpClient Manager)> TeamAsync(string dept)
    {
        var (manager, _) = await PersonAsync(app, dept, "所属長", Roles.Staff, Roles.Manager);
        var (person, id) = await PersonAsync(app, dept, "職員", Roles.Staff);
        return (person, id, manager);
    }

    [Fact]
    public async Task APlanThatDoesNotAddUp_IsRefusedWithTheFigures_AndNothingIsSaved()
    {
        var (person, id, _) = await TeamAsync("フレックス課1");
        SetClock(app, Jst(new DateOnly(2026, 5, 1), 9));

        // Ex D-4-1: 10 × 8h45m + 9 × 6h45m + 1 × 3h30m (特例対象日) = 151.75h, not 155h.
        var days = Enumerable.Range(0, 20).Select(i => i < 10 ? Day(Weekday(i), "8:30", "18:15")
            : i < 19 ? Day(Weekday(i), "8:30", "16:15") : Day(Weekday(i), "9:00", "12:30", special: true)).ToList();
        var r = await person.PostAsJsonAsync("/api/v1/work/arrangements/flex", Plan(id, days));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var body = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("work.arrangement.flex_invalid", body.GetProperty("code").GetString());
        var problems = body.GetProperty("problems").EnumerateArray().ToList();
        var total = Assert.Single(problems, p => p.GetProperty("figures").TryGetProperty("plannedHours", out _));
        Assert.Equal("D-4", total.GetProperty("rule").GetString());
        Assert.Equal(151.75m, total.GetProperty("figures").GetProperty("plannedHours").GetDecimal());
        Assert.Equal(155m, total.GetProperty("figures").GetProperty("requiredHours").GetDecimal());
        Assert.Contains("155", body.GetProperty("problem").GetString());

        var list = await ReadAsync<List<ArrangementDto>>(await person.GetAsync($"/api/v1/work/arrangements?since=2026-01-01"));
        Assert.Empty(list);
    }

    [Fact]
    public async Task AWeekendMarkedAsAFixedDay_AddsNoHours_AndDaysLeftOutAreTheRegularSchedule()
    {
        var (person, id, _) = await TeamAsync("フレックス課4");
        SetClock(app, Jst(new DateOnly(2026, 5, 1), 9));

        // Only the first Saturday is given, as a "fixed" day: the 20 weekdays left out are the regular 7h45m = 155h.
        var saturday = PeriodStart.AddDays(5);
        var plan = await ReadAsync<ArrangementDto>(await person.PostAsJsonAsync("/api/v1/work/arrangements/flex",
            Plan(id, [new { date = saturday, @fixed = true }])));
        Assert.Equal(155m, plan.PlannedHours);
        Assert.Equal(20, plan.Days.Count(d => !d.Fixed && d.Hours == 7.75m));
    }

    [Fact]
    public async Task ADayOutsideTheCoreTime_IsRefused_UnlessItIsTheSpecialDay()
    {
        var (person, id, _) = await TeamAsync("フレックス課2");
        SetClock(app, Jst(new DateOnly(2026, 5, 1), 9));

        // Ex D-4-3: 7:00–11:00 with core 10:00–14:00 leaves the core uncovered. The other days make up the hours.
        List<object> Days(bool special) => [.. Enumerable.Range(0, 20).Select(i => i == 0
            ? new { date = Weekday(i), start = "7:00", end = "11:00", breakStart = (string?)null, breakEnd = (string?)null, special }
            : (object)Day(Weekday(i), i <= 15 ? "8:30" : "8:00", i <= 15 ? "17:45" : "17:00"))];
        var refused = await person.PostAsJsonAsync("/api/v1/work/arrangements/flex", Plan(id, Days(special: false)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(body.GetProperty("problems").EnumerateArray(), p => p.GetProperty("figures").TryGetProperty("uncoveredHours", out _));
    }

    [Fact]
    public async Task AnAssignedFlexPlan_IsTheDaysHours_SoWorkBeyondItIsOvertime()
    {
        var (person, id, manager) = await TeamAsync("フレックス課3");
        SetClock(app, Jst(new DateOnly(2026, 5, 1), 9));

        // Ex D-4-2: 10 × 8h45m + 10 × 6h45m = 155h, each day ≥ 4h, core 10:00–14:00 covered.
        var days = Enumerable.Range(0, 20).Select(i => i < 10 ? Day(Weekday(i), "9:00", "18:45") : Day(Weekday(i), "9:00", "16:45")).ToList();
        var requested = await ReadAsync<ArrangementDto>(await person.PostAsJsonAsync("/api/v1/work/arrangements/flex", Plan(id, days)));
        Assert.Equal(ArrangementStatus.Requested, requested.Status);
        Assert.Equal(155m, requested.PlannedHours);

        // The person cannot assign their own plan; the manager sees it waiting and assigns it.
        var self = await person.PostAsJsonAsync($"/api/v1/work/arrangements/{requested.Id}/assign", new { comment = "" });
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        var pending = await ReadAsync<List<ArrangementDto>>(await manager.GetAsync("/api/v1/work/arrangements/pending"));
        Assert.Contains(pending, a => a.Id == requested.Id);
        var assigned = await ReadAsync<ArrangementDto>(await manager.PostAsJsonAsync($"/api/v1/work/arrangements/{requested.Id}/assign", new { comment = "了解" }));
        Assert.Equal(ArrangementStatus.Assigned, assigned.Status);

        // A second plan over the same days is refused.
        var again = await person.PostAsJsonAsync("/api/v1/work/arrangements/flex", Plan(id, days));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("work.arrangement.overlap", await CodeOf(again));

        // Ex D-4-4: assigned 9:00–18:45 (break 12–13), worked to 20:00 → 1h15m 時間外. With the regular 8:30–17:15 it would be 2h45m.
        app.Clock.Offset = TimeSpan.Zero;
        var (hr, _) = await PersonAsync(app, "人事課", "人事", Roles.Staff, Roles.Hr);
        var import = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new
        {
            person = id,
            records = new[]
            {
                new { start = Jst(Weekday(0), 9), end = Jst(Weekday(0), 20), timeZone = "Asia/Tokyo", breaks = new[] { new { start = Jst(Weekday(0), 12), end = Jst(Weekday(0), 13) } } },
                new { start = Jst(Weekday(12), 9), end = Jst(Weekday(12), 16, 45), timeZone = "Asia/Tokyo", breaks = new[] { new { start = Jst(Weekday(12), 12), end = Jst(Weekday(12), 13) } } },
            },
        });
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        var month = await MonthAsync(person, id, PeriodStart);
        var first = month.Days.Single(d => d.Date == Weekday(0));
        Assert.Equal(75, first.OutsideMinutes);
        Assert.Equal("9:00–18:45", first.Arranged);

        // A short assigned day worked exactly (9:00–16:45) has no overtime, though it ends before the regular 17:15.
        Assert.Equal(0, month.Days.Single(d => d.Date == Weekday(12)).OutsideMinutes);
    }

    [Fact]
    public async Task AnEarlyShift_ReplacesTheScheduleOnItsWorkdays_AndCanBeReturnedOrWithdrawn()
    {
        var (person, id, manager) = await TeamAsync("早出遅出課");
        SetClock(app, Jst(new DateOnly(2026, 5, 20), 9));

        var options = await ReadAsync<ArrangementOptionsDto>(await person.GetAsync("/api/v1/work/arrangements/options"));
        Assert.Contains(options.Patterns, p => p.Name == "早出A" && p.Start == "7:30" && p.Hours == 7.75m);

        // Too soon (the town's notice is 7 days), an unknown pattern: refused, nothing saved.
        var soon = await person.PostAsJsonAsync("/api/v1/work/arrangements/pattern", new { pattern = "早出A", from = new DateOnly(2026, 5, 22), to = new DateOnly(2026, 5, 29) });
        Assert.Equal("work.arrangement.too_soon", await CodeOf(soon));
        var unknown = await person.PostAsJsonAsync("/api/v1/work/arrangements/pattern", new { pattern = "早出Z", from = PeriodStart, to = PeriodStart.AddDays(4) });
        Assert.Equal("work.arrangement.pattern_unknown", await CodeOf(unknown));

        var asked = await ReadAsync<ArrangementDto>(await person.PostAsJsonAsync("/api/v1/work/arrangements/pattern",
            new { pattern = "早出A", from = PeriodStart, to = PeriodStart.AddDays(6), reason = "育児" }));
        Assert.Equal(5, asked.Days.Count); // Monday to Friday; the weekend is not assigned.

        // Returning needs a comment; a returned request cannot be assigned.
        Assert.Equal("work.attendance.comment_required", await CodeOf(await manager.PostAsJsonAsync($"/api/v1/work/arrangements/{asked.Id}/return", new { comment = "" })));
        var returned = await ReadAsync<ArrangementDto>(await manager.PostAsJsonAsync($"/api/v1/work/arrangements/{asked.Id}/return", new { comment = "期間を分けてください" }));
        Assert.Equal(ArrangementStatus.Returned, returned.Status);
        Assert.Equal("work.arrangement.wrong_state", await CodeOf(await manager.PostAsJsonAsync($"/api/v1/work/arrangements/{asked.Id}/assign", new { })));

        // Asked again and assigned: the person may cancel it while its days have not begun; then it is gone from the schedule.
        var second = await ReadAsync<ArrangementDto>(await person.PostAsJsonAsync("/api/v1/work/arrangements/pattern",
            new { pattern = "早出A", from = PeriodStart, to = PeriodStart.AddDays(6), reason = "育児" }));
        await ReadAsync<ArrangementDto>(await manager.PostAsJsonAsync($"/api/v1/work/arrangements/{second.Id}/assign", new { }));
        app.Clock.Offset = TimeSpan.Zero;
        var (hr, _) = await PersonAsync(app, "人事課", "人事", Roles.Staff, Roles.Hr);
        var day = PeriodStart;
        Assert.True((await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new
        {
            person = id,
            records = new[] { new { start = Jst(day, 7, 30), end = Jst(day, 16, 15), timeZone = "Asia/Tokyo", breaks = new[] { new { start = Jst(day, 12), end = Jst(day, 13) } } } },
        })).IsSuccessStatusCode);
        var june = await MonthAsync(person, id, PeriodStart);
        Assert.Equal(0, june.Days.Single(d => d.Date == day).OutsideMinutes); // 7:30–16:15 is the day's hours, not an hour early.
        Assert.Equal("7:30–16:15", june.Days.Single(d => d.Date == day).Arranged);

        // Its days have begun now: it can no longer be cancelled.
        Assert.Equal("work.arrangement.wrong_state", await CodeOf(await person.PostAsync($"/api/v1/work/arrangements/{second.Id}/withdraw", null)));
    }

    [Fact]
    public async Task OnlyThePersonsApproverOrHr_Decides_AndAColleagueCannotRead()
    {
        var (person, id, _) = await TeamAsync("割振り課A");
        var (colleague, _) = await PersonAsync(app, "割振り課A", "同僚", Roles.Staff);
        var (otherManager, _) = await PersonAsync(app, "割振り課B", "他課長", Roles.Staff, Roles.Manager);
        SetClock(app, Jst(new DateOnly(2026, 5, 20), 9));
        var asked = await ReadAsync<ArrangementDto>(await person.PostAsJsonAsync("/api/v1/work/arrangements/pattern",
            new { pattern = "遅出C", from = PeriodStart.AddDays(7), to = PeriodStart.AddDays(11), reason = "夜間の説明会" }));

        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.GetAsync($"/api/v1/work/arrangements?person={id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.PostAsJsonAsync($"/api/v1/work/arrangements/{asked.Id}/assign", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.PostAsync($"/api/v1/work/arrangements/{asked.Id}/withdraw", null)).StatusCode);
        Assert.DoesNotContain(await ReadAsync<List<ArrangementDto>>(await otherManager.GetAsync("/api/v1/work/arrangements/pending")), a => a.Id == asked.Id);

        var withdrawn = await ReadAsync<ArrangementDto>(await person.PostAsync($"/api/v1/work/arrangements/{asked.Id}/withdraw", null));
        Assert.Equal(ArrangementStatus.Withdrawn, withdrawn.Status);
    }

    [Fact]
    public async Task ThePatternsAreRuleSettings_AndAPatternOutsideTheNoticeIsRefused()
    {
        var (admin, _) = await PersonAsync(app, "総務課", "管理者", Roles.Staff, Roles.Admin, Roles.Hr);
        var current = (await ReadAsync<JsonElement>(await admin.GetAsync("/api/v1/work/rules"))).GetProperty("parameters");
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(current.GetRawText())!;

        // A pattern of 8h (not 7h45m) is refused with the D-5 reason; nothing changes.
        var bad = new Dictionary<string, object>(json.Select(kv => KeyValuePair.Create(kv.Key, (object)kv.Value)), StringComparer.Ordinal)
        {
            ["arrangements"] = new { flexEnabled = true, noticeDays = 7, patterns = new[] { new { name = "長い", start = "07:00:00", end = "16:00:00", breakStart = "12:00:00", breakEnd = "13:00:00" } } },
        };
        var refused = await admin.PutAsJsonAsync("/api/v1/work/rules/parameters", bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("長い", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problem").GetString());
        var options = await ReadAsync<ArrangementOptionsDto>(await admin.GetAsync("/api/v1/work/arrangements/options"));
        Assert.Contains(options.Patterns, p => p.Name == "早出A");
    }
}
