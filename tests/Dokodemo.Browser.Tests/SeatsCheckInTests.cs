using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>A server of its own with the test clock and the seat release sweep every second.</summary>
public sealed class CheckInServer : IAsyncLifetime
{
    public AppServer App { get; } = new(testClock: true);

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>
/// Check-in and release in the browser, on a fake clock: at 9:45 on a working day the staff persona books a desk on the map,
/// the manager sees it taken and books another; staff checks in with the desk's QR code URL (from the DX team's printable
/// sheet); the manager does not. Past 10:00 the sweep frees the manager's desk, hers stays taken, and he finds the notice.
/// </summary>
public sealed class SeatsCheckInTests(CheckInServer server) : IClassFixture<CheckInServer>
{
    private static readonly TimeZoneInfo Japan = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    [Fact]
    public async Task A_no_show_is_released_at_ten_and_told_while_the_checked_in_desk_stays_taken()
    {
        var app = server.App;
        if (!app.Available)
        {
            return;
        }

        // The machine may be busy (two cores shared): this test waits longer than the 5 s default for each expectation.
        SetDefaultExpectTimeout(20_000);

        // The next working day after today (Japan time), 9:45: in the future, so cookies set on the fake clock stay valid.
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Japan).DateTime).AddDays(1);
        var calendar = new Dokodemo.Domain.Calendar.TownCalendar();
        while (calendar.DayTypeOf(day) != Dokodemo.Domain.Access.DayType.Workday)
        {
            day = day.AddDays(1);
        }

        DateTimeOffset At(int h, int m, int s = 0) => new(day.ToDateTime(new TimeOnly(h, m, s)), TimeSpan.FromHours(9));
        app.SetClock(At(9, 45));
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // Staff books 1C-03 on the map (the map opens on "today", the fake clock's day).
        await using var staffContext = await app.NewContextAsync();
        staffContext.SetDefaultTimeout(45_000);
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GotoAsync("/seats");
        await Expect(staff.Locator("#s-date")).ToHaveValueAsync(date);
        await Expect(staff.Locator("#seats-checkin-rules")).ToContainTextAsync("10:00");
        await staff.Locator("#desk-1C-03").ClickAsync();
        await staff.Locator("#book-selected").ClickAsync();
        await Expect(staff.Locator("#seats-message")).ToContainTextAsync("予約しました");
        await Expect(staff.Locator("#seats-mine")).ToContainTextAsync("10:00 までにチェックインしてください");

        // The manager sees it taken, and books 1C-05 — and will not check in.
        await using var managerContext = await app.NewContextAsync();
        managerContext.SetDefaultTimeout(45_000);
        var manager = await managerContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GotoAsync($"/seats?date={date}&part=Full");
        await Expect(manager.Locator("#row-1C-03")).ToContainTextAsync("予約済み");
        await Expect(manager.Locator("#desk-1C-03")).ToHaveAttributeAsync("class", new Regex("seat-taken"));
        await manager.Locator("#desk-1C-05").ClickAsync();
        await manager.Locator("#book-selected").ClickAsync();
        await Expect(manager.Locator("#seats-message")).ToContainTextAsync("予約しました");
        await Expect(manager.Locator("#row-1C-05")).ToContainTextAsync("あなたの予約");

        // The DX team's printable sheet gives 1C-03's URL; staff opens it (as the QR code would) and checks in with one button.
        await using var dxContext = await app.NewContextAsync();
        dxContext.SetDefaultTimeout(45_000);
        var dx = await dxContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(dx, "dx");
        await dx.GotoAsync("/seats/admin");
        await dx.Locator("#seats-qr-link").ClickAsync();
        await Expect(dx.Locator("#qr-1C-03 img")).ToBeVisibleAsync();
        var url = (await dx.Locator("#qr-1C-03 .qr-url").InnerTextAsync()).Trim();
        Assert.StartsWith(app.BaseUrl + "/seats/checkin/", url, StringComparison.Ordinal);

        await staff.GotoAsync(url);
        await Expect(staff.Locator("#checkin-desk")).ToHaveTextAsync("1C-03");
        await staff.Locator("#checkin-button").ClickAsync();
        await Expect(staff.Locator("#checkin-message")).ToContainTextAsync("チェックインしました");
        await Expect(staff.Locator("#checkin-done-badge")).ToBeVisibleAsync();

        // The DX persona books 1C-06 and checks in with the app's button on /seats.
        await dx.GotoAsync($"/seats?date={date}&part=Full");
        await dx.Locator("#desk-1C-06").ClickAsync();
        await dx.Locator("#book-selected").ClickAsync();
        await Expect(dx.Locator("#seats-message")).ToContainTextAsync("予約しました");
        await dx.Locator("#checkin-1C-06").ClickAsync();
        await Expect(dx.Locator("#seats-message")).ToContainTextAsync("チェックインしました");
        await Expect(dx.Locator("#checked-in-1C-06")).ToBeVisibleAsync();

        // Past 10:00 (15 minutes on: within the session's idle time). Within a few seconds the sweep frees 1C-05.
        app.SetClock(At(10, 0, 30));
        var freed = false;
        for (var i = 0; i < 30 && !freed; i++)
        {
            await manager.GotoAsync($"/seats?date={date}&part=Full");
            freed = (await manager.Locator("#row-1C-05").InnerTextAsync()).Contains("空き", StringComparison.Ordinal);
            if (!freed)
            {
                await Task.Delay(500);
            }
        }

        Assert.True(freed, "1C-05 was not released within 15 s:\n" + app.ServerLog[^Math.Min(app.ServerLog.Length, 3000)..]);
        await Expect(manager.Locator("#desk-1C-05")).ToHaveAttributeAsync("class", new Regex("seat-free"));
        await Expect(manager.Locator("#row-1C-03")).ToContainTextAsync("予約済み");
        await Expect(manager.Locator("#desk-1C-03")).ToHaveAttributeAsync("class", new Regex("seat-taken"));
        await Expect(manager.Locator("#desk-1C-06")).ToHaveAttributeAsync("class", new Regex("seat-taken"));

        // He is told: the count in the menu, the notice on お知らせ.
        await Expect(manager.Locator("#nav-unread")).ToHaveTextAsync("1");
        await manager.Locator("#nav-notifications").ClickAsync();
        await manager.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/notifications");
        await Expect(manager.Locator("#notifications")).ToContainTextAsync(
            $"座席 1C-05 の {day.Month}/{day.Day} 終日の予約は、10:00 までにチェックインがなかったため取り消されました");
        await manager.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("既読にする 座席の予約が取り消されました") }).ClickAsync();
        await Expect(manager.Locator("#notifications-message")).ToContainTextAsync("既読にしました");

        // Staff's desk is still hers, checked in.
        await staff.GotoAsync($"/seats?date={date}&part=Full");
        await Expect(staff.Locator("#row-1C-03")).ToContainTextAsync("あなたの予約");
        await Expect(staff.Locator("#seats-mine")).ToContainTextAsync("チェックイン済み");
    }

    [Fact]
    public async Task Check_in_pages_have_no_serious_axe_violations_and_fit_360_px()
    {
        var app = server.App;
        if (!app.Available)
        {
            return;
        }

        SetDefaultExpectTimeout(20_000);
        var axe = await File.ReadAllTextAsync(Environment.GetEnvironmentVariable("AXE_CORE_PATH") is { Length: > 0 } p
            ? p : Path.Combine(AppServer.Metadata("TestProjectDirectory"), "node_modules", "axe-core", "axe.min.js"));
        var failures = new List<string>();

        async Task CheckAsync(IPage page, string label)
        {
            await page.AddScriptTagAsync(new() { Content = axe });
            var violations = await page.EvaluateAsync<System.Text.Json.JsonElement>(@"async () => {
                const r = await axe.run(document, { resultTypes: ['violations'] });
                return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' ; '));
            }");
            failures.AddRange(violations.EnumerateArray().Select(v => $"{label}: {v.GetString()}"));
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (width > 360)
            {
                failures.Add($"{label}: scrollWidth {width} > 360");
            }
        }

        // Two working days on, 9:50: a morning with check-in open.
        var calendar = new Dokodemo.Domain.Calendar.TownCalendar();
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Japan).DateTime).AddDays(1);
        for (var found = 0; found < 2; day = day.AddDays(1))
        {
            if (calendar.DayTypeOf(day) == Dokodemo.Domain.Access.DayType.Workday && ++found == 2)
            {
                break;
            }
        }

        app.SetClock(new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 50)), TimeSpan.FromHours(9)));
        var phone = new BrowserNewContextOptions { BypassCSP = true, ViewportSize = new() { Width = 360, Height = 740 } };

        await using var dxContext = await app.NewContextAsync(phone);
        dxContext.SetDefaultTimeout(45_000);
        var dx = await dxContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(dx, "dx");
        await dx.GotoAsync("/seats/admin");
        await dx.Locator("#seats-qr-link").ClickAsync();
        await Expect(dx.Locator("#qr-1A-01 img")).ToBeVisibleAsync();
        await CheckAsync(dx, "/seats/admin/floors/{id}/qr");
        var url = (await dx.Locator("#qr-1C-02 .qr-url").InnerTextAsync()).Trim();

        await using var staffContext = await app.NewContextAsync(phone);
        staffContext.SetDefaultTimeout(45_000);
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");

        // No booking today: the QR page offers to book the free desk.
        await staff.GotoAsync(url);
        await Expect(staff.Locator("#checkin-book")).ToBeVisibleAsync();
        await CheckAsync(staff, "/seats/checkin/{token} (no booking)");

        // A booking of 1C-01: /seats shows the check-in button; the QR page of 1C-02 names the booked desk.
        await staff.GotoAsync("/seats");
        await staff.Locator("#desk-1C-01").ClickAsync();
        await staff.Locator("#book-selected").ClickAsync();
        await Expect(staff.Locator("#checkin-1C-01")).ToBeVisibleAsync();
        await CheckAsync(staff, "/seats (check-in button)");
        await staff.GotoAsync(url);
        await Expect(staff.Locator("#checkin-problem")).ToContainTextAsync("1C-01");
        await CheckAsync(staff, "/seats/checkin/{token} (booked elsewhere)");

        await staff.GotoAsync("/notifications");
        await Expect(staff.Locator("h1")).ToHaveTextAsync("お知らせ");
        await CheckAsync(staff, "/notifications");

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
