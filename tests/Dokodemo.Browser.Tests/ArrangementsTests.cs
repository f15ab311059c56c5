using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>D-5 and D-4 in the browser: staff asks for a late shift, her manager assigns it; a flex plan that does not add up is refused with its figures.</summary>
public sealed class ArrangementsTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Staff_asks_for_a_late_shift_and_the_manager_assigns_it_and_a_flex_plan_short_of_hours_is_refused()
    {
        if (!app.Available)
        {
            return;
        }

        await using var staffContext = await app.NewContextAsync();
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");

        // The Work menu leads to it.
        await staff.GotoAsync("/work");
        await staff.GetByRole(AriaRole.Link, new() { Name = "フレックス・早出遅出" }).ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/work/arrangements");

        const string Reason = "夜間の住民説明会（ブラウザ試験）";
        await staff.Locator("input[name=pattern][value='遅出C']").CheckAsync();
        var from = await staff.Locator("#p-from").InputValueAsync();
        var to = DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture).AddDays(13).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await staff.Locator("#p-to").FillAsync(to);
        await staff.Locator("#p-reason").FillAsync(Reason);
        await staff.Locator("#pattern-submit").ClickAsync();
        await Expect(staff.Locator("#arr-message")).ToContainTextAsync("申請しました");
        await Expect(staff.Locator("li.request", new() { HasText = "遅出C" })).ToContainTextAsync("申請中");

        // A flex plan for a later week with one day cut short does not add up to 38h45m.
        var flexStart = DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture).AddDays(1);
        while (flexStart.DayOfWeek != DayOfWeek.Monday)
        {
            flexStart = flexStart.AddDays(1);
        }

        await staff.Locator("#f-from").FillAsync(flexStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await staff.Locator("#f-weeks").SelectOptionAsync("1");
        await staff.Locator("#flex-plan").ClickAsync();
        var firstWorkday = staff.Locator("#flex-form input[type=time][name^=e]").First;
        await firstWorkday.FillAsync("16:15");
        await staff.Locator("#flex-submit").ClickAsync();
        await Expect(staff.Locator("#arr-error")).ToContainTextAsync("D-4");
        await Expect(staff.Locator("#arr-error")).ToContainTextAsync("38.75");
        await Expect(staff.Locator("#flex-form input[type=time][name^=e]").First).ToHaveValueAsync("16:15");

        // The manager assigns the shift from another browser.
        await using var managerContext = await app.NewContextAsync();
        var manager = await managerContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GotoAsync("/work");
        await Expect(manager.Locator("body")).ToContainTextAsync("1件が承認待ち");
        await manager.GotoAsync("/work/arrangements");
        var item = manager.Locator("li.request", new() { HasText = Reason });
        await Expect(item).ToContainTextAsync("佐藤 美咲");
        await item.Locator("textarea[name=comment]").FillAsync("了解です。");
        await item.GetByRole(AriaRole.Button, new() { Name = "割り振る" }).ClickAsync();
        await Expect(manager.Locator("#arr-message")).ToContainTextAsync("割り振りました");

        await staff.GotoAsync("/work/arrangements");
        await Expect(staff.Locator("li.request", new() { HasText = "遅出C" })).ToContainTextAsync("割振り済み");
    }
}
