using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>The town calendar page: the year's holidays, the deadline rule, and a private feed a calendar app can read.</summary>
public sealed class CalendarPageTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task A_person_sees_the_holidays_checks_a_deadline_and_subscribes()
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "staff");
        await page.GotoAsync("/");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "カレンダー" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("町のカレンダー");

        // 2026: 9/22 is a 国民の休日 between 敬老の日 and 秋分の日.
        await page.Locator("#c-year").FillAsync("2026");
        await page.Locator("#c-year").PressAsync("Enter");
        var row = page.Locator("#holiday-table tr", new() { Has = page.Locator("time[datetime='2026-09-22']") });
        await Expect(row).ToContainTextAsync("国民の休日");
        await Expect(page.Locator("#holiday-table tbody tr")).ToHaveCountAsync(18);

        // G-1: a deadline on 12/29 moves to the first open day of January.
        await page.Locator("#c-due").FillAsync("2025-12-29");
        await page.Locator("#c-due").PressAsync("Enter");
        await Expect(page.Locator("#deadline-result")).ToContainTextAsync("1月5日");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "購読用URLを作る" }).ClickAsync();
        var url = await page.Locator("#feed-url").InputValueAsync();
        Assert.Contains("/calendar/feed/", url, StringComparison.Ordinal);
        var feed = await context.APIRequest.GetAsync(url);
        Assert.Equal(200, feed.Status);
        Assert.StartsWith("BEGIN:VCALENDAR", await feed.TextAsync(), StringComparison.Ordinal);

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "URLを無効にする" }).ClickAsync();
        await Expect(page.Locator("#feed-status")).ToContainTextAsync("まだありません");
        Assert.Equal(404, (await context.APIRequest.GetAsync(url)).Status);
    }
}
