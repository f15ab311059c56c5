using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>Free address in the browser: the staff persona books a desk on the map; her manager sees it taken, by her; she cancels it.</summary>
public sealed class SeatsTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Staff_books_a_desk_on_the_map_and_a_second_persona_sees_it_taken()
    {
        if (!app.Available)
        {
            return;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime);
        var date = today.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await using var staffContext = await app.NewContextAsync();
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GetByRole(AriaRole.Link, new() { Name = "座席", Exact = true }).ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/seats");

        // Pick the date with the form (site and floor default to 本庁舎 1階), then the desk on the map.
        await staff.Locator("#s-date").FillAsync(date);
        await staff.Locator("#s-part").SelectOptionAsync("Full");
        await staff.Locator("#seats-show").ClickAsync();
        await Expect(staff.Locator("#seat-map")).ToBeVisibleAsync();
        await Expect(staff.Locator("#row-1C-03")).ToContainTextAsync("空き");
        await staff.Locator("#desk-1C-03").ClickAsync();
        await Expect(staff.Locator("#book-h")).ToContainTextAsync("1C-03");
        await staff.Locator("#book-selected").ClickAsync();
        await Expect(staff.Locator("#seats-message")).ToContainTextAsync("予約しました");
        await Expect(staff.Locator("#row-1C-03")).ToContainTextAsync("あなたの予約");
        await Expect(staff.Locator("#desk-1C-03")).ToHaveAttributeAsync("class", new System.Text.RegularExpressions.Regex("seat-yours"));
        await Expect(staff.Locator("#seats-mine")).ToContainTextAsync("1C-03");

        // The manager sees it taken, by name (staff may read the directory), with no button to book it.
        await using var managerContext = await app.NewContextAsync();
        var manager = await managerContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GotoAsync($"/seats?date={date}&part=Morning");
        await Expect(manager.Locator("#row-1C-03")).ToContainTextAsync("予約済み");
        await Expect(manager.Locator("#row-1C-03")).ToContainTextAsync("佐藤 美咲");
        await Expect(manager.Locator("#row-1C-03 button")).ToHaveCountAsync(0);
        await Expect(manager.Locator("#desk-1C-03")).ToHaveAttributeAsync("class", new System.Text.RegularExpressions.Regex("seat-taken"));
        await Expect(manager.Locator("#desk-1C-03")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("予約済み"));

        // She cancels; the desk is free again for the manager.
        await staff.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("取り消す 1C-03") }).ClickAsync();
        await Expect(staff.Locator("#seats-message")).ToContainTextAsync("予約を取り消しました");
        await manager.GotoAsync($"/seats?date={date}&part=Morning");
        await Expect(manager.Locator("#row-1C-03")).ToContainTextAsync("空き");
    }
}
