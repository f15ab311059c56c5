using System.Globalization;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>A person clocks a day from the browser and finds it on their month; a manager sees the team's month.</summary>
public sealed class AttendanceTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task The_staff_member_clocks_in_takes_a_break_clocks_out_and_sees_the_day_on_the_month()
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, TimezoneId = "Asia/Tokyo" });
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "staff");
        await page.Locator("nav.site-nav a[href='/work/today']").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/work/today");
        await Expect(page.Locator("#clock-state")).ToHaveTextAsync("出勤前");

        await page.GetByRole(AriaRole.Button, new() { Name = "出勤", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("出勤を記録しました");
        await Expect(page.Locator("#clock-state")).ToHaveTextAsync("勤務中");
        await page.GetByRole(AriaRole.Button, new() { Name = "休憩開始" }).ClickAsync();
        await Expect(page.Locator("#clock-state")).ToHaveTextAsync("休憩中");
        // The keyboard works too: focus the enabled button and press Enter.
        await page.GetByRole(AriaRole.Button, new() { Name = "休憩終了" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#clock-state")).ToHaveTextAsync("勤務中");
        await page.GetByRole(AriaRole.Button, new() { Name = "退勤", Exact = true }).ClickAsync();
        await Expect(page.Locator("#clock-state")).ToHaveTextAsync("退勤済み");
        await Expect(page.Locator("#today-records tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#today-records")).ToContainTextAsync("庁舎");

        await page.Locator("a[href='/work/month']").First.ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/work/month");
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var row = page.Locator($"#month-days tr[data-date='{today}']");
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9));
        // In and out are this minute (or the one before, if the minute turned while the test ran).
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            $"^({now.ToString("HH:mm", CultureInfo.InvariantCulture)}|{now.AddMinutes(-1).ToString("HH:mm", CultureInfo.InvariantCulture)}|{now.AddMinutes(-2).ToString("HH:mm", CultureInfo.InvariantCulture)})$"));
        await Expect(row.Locator("td").Nth(1)).Not.ToBeEmptyAsync();
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"/work/month is {width}px wide at 360px");
    }

    [Fact]
    public async Task The_manager_sees_the_team_month_with_the_pending_correction()
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "manager");
        var lastMonth = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await page.GotoAsync("/work/team?month=" + lastMonth);
        await Expect(page.Locator("h1")).ToHaveTextAsync("所属の勤務");
        await Expect(page.Locator("#team-months")).ToContainTextAsync("佐藤 美咲");
        // The demo town's pending correction (佐藤, 打刻の押し遅れ) waits here; approving it replaces her day.
        var correction = page.Locator("#team-corrections tr", new() { HasText = "佐藤 美咲" });
        await Expect(correction).ToHaveCountAsync(1);
        await correction.GetByRole(AriaRole.Button, new() { Name = "承認 佐藤 美咲" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("承認しました");
        await Expect(page.Locator("#team-corrections tr", new() { HasText = "佐藤 美咲" })).ToHaveCountAsync(0);
    }
}
