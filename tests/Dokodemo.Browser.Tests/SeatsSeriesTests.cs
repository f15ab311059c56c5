using System.Globalization;
using Dokodemo.Domain.Calendar;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>繰り返し予約 in the browser: book a desk every Wednesday for three weeks on /seats, then cancel the rest from the second.</summary>
public sealed class SeatsSeriesTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Staff_books_every_wednesday_for_three_weeks_and_cancels_the_rest_from_the_second()
    {
        Assert.True(app.Available, "the app and Chromium must be available for browser tests:\n" + app.ServerLog);

        // The first Wednesday from tomorrow whose next two Wednesdays are also workdays (no 休日 in the way).
        var calendar = new TownCalendar();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime);
        var first = today.AddDays(1);
        while (first.DayOfWeek != DayOfWeek.Wednesday || Enumerable.Range(0, 3).Any(w => calendar.Classify(first.AddDays(7 * w)) != CalendarDay.Workday))
        {
            first = first.AddDays(1);
        }

        var wednesdays = Enumerable.Range(0, 3).Select(w => first.AddDays(7 * w)).ToList();
        static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static string Day(DateOnly d) => d.ToString("M月d日（ddd）", CultureInfo.GetCultureInfo("ja-JP"));

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "staff");
        await page.GotoAsync($"/seats?date={Iso(first)}&part=Full");
        await page.Locator("#desk-1C-05").ClickAsync();
        await Expect(page.Locator("#book-h")).ToContainTextAsync("1C-05");

        // The repeat option opens by keyboard; the selected date's weekday is ticked already.
        await page.Locator("#series-options summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#series-Wednesday")).ToBeCheckedAsync();
        await Expect(page.Locator("#series-Monday")).Not.ToBeCheckedAsync();
        await page.Locator("#series-until").FillAsync(Iso(wednesdays[2]));
        await page.Locator("#book-series").ClickAsync();

        await Expect(page.Locator("#seats-message")).ToContainTextAsync("3日分を予約しました");
        await Expect(page.Locator("#series-created li")).ToHaveCountAsync(3);
        foreach (var d in wednesdays)
        {
            await Expect(page.Locator("#series-created")).ToContainTextAsync(Day(d));
        }

        // My bookings: the three dates under the series, not in the plain list.
        var series = page.Locator(".seat-series-item");
        await Expect(series).ToHaveCountAsync(1);
        await Expect(series.Locator("h3")).ToContainTextAsync("毎週水");
        await Expect(series.Locator("h3")).ToContainTextAsync("1C-05");
        await Expect(series.Locator("li")).ToHaveCountAsync(3);
        await Expect(page.Locator("#seats-mine")).Not.ToContainTextAsync("1C-05");

        // At 360 px wide the result, the repeat form and the series with its cancel controls fit without scrolling sideways.
        await page.SetViewportSizeAsync(360, 740);
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360, "horizontal scroll at 360 px");
        await page.SetViewportSizeAsync(1280, 800);

        // axe-core on the page as it is now (the repeat option open, the series listed), in a context that lets axe in.
        await using (var axeContext = await app.NewContextAsync(new() { BypassCSP = true }))
        {
            var axePage = await axeContext.NewPageAsync();
            await AppServer.SignInAsPersonaAsync(axePage, "staff");
            await axePage.GotoAsync($"/seats?date={Iso(first)}&part=Full&desk=" + await page.Locator("#book-series").GetAttributeAsync("value"));
            await axePage.Locator("#series-options summary").ClickAsync();
            await Expect(axePage.Locator(".seat-series-item")).ToHaveCountAsync(1);
            await axePage.AddScriptTagAsync(new() { Content = await File.ReadAllTextAsync(AccessibilityTests.AxePath()) });
            var serious = await axePage.EvaluateAsync<string[]>(@"async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' ; '))");
            Assert.True(serious.Length == 0, string.Join("\n", serious));
        }

        // 以降をすべて取消 from the second Wednesday: only the first is left.
        await series.Locator("input[name^='from-']").FillAsync(Iso(wednesdays[1]));
        await series.GetByRole(AriaRole.Button, new() { Name = "以降をすべて取消" }).ClickAsync();
        await Expect(page.Locator("#seats-message")).ToContainTextAsync("2日分の予約を取り消しました");
        await Expect(page.Locator(".seat-series-item li")).ToHaveCountAsync(1);
        await Expect(page.Locator(".seat-series-item li")).ToContainTextAsync(Day(wednesdays[0]));
        await Expect(page.Locator(".seat-series-item")).Not.ToContainTextAsync(Day(wednesdays[1]));

        // The second Wednesday is free again on the map.
        await page.GotoAsync($"/seats?date={Iso(wednesdays[1])}&part=Full");
        await Expect(page.Locator("#row-1C-05")).ToContainTextAsync("空き");
    }
}
