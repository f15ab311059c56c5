using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>Talk search in the browser: staff search 会議 by keyboard at 360 px and find their department's message, never the manager's private channel.</summary>
public sealed class TalkSearchTests(AppServer app) : IClassFixture<AppServer>
{
    // Each navigation is waited for until it commits; the assertions after it wait for the content. In CI the page's
    // load event once did not come within 15 s after a form's redirect, the network being idle (as in WorkPlaceTests).
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    [Fact]
    public async Task Staff_search_kaigi_and_see_their_channels_messages_but_none_from_a_private_channel_they_are_not_in()
    {
        if (!app.Available)
        {
            return;
        }

        var tag = Guid.NewGuid().ToString("N")[..6];

        // The manager makes a private project channel (the staff member is not in it) and writes 会議 there.
        await using var managerContext = await app.NewContextAsync();
        var manager = await managerContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GotoAsync("/talk");
        await manager.Locator("#talk-name").FillAsync("人事の相談 " + tag);
        await manager.Locator("#talk-kind").SelectOptionAsync("Project");
        await manager.Locator("#talk-visibility").SelectOptionAsync("Private");
        await manager.Locator("#talk-create-submit").ClickAsync();
        await manager.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal), Committed);
        await manager.Locator("#talk-body").FillAsync($"非公開の会議メモ {tag}");
        await manager.Locator("#talk-send").ClickAsync();
        await Expect(manager.Locator("#talk-messages li.talk-msg", new() { HasText = "非公開の会議メモ" })).ToBeVisibleAsync();

        // 佐藤 美咲 writes 会議 in her department channel.
        await using var staffContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 } });
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GotoAsync("/talk");
        await staff.Locator("#talk-channels li[data-kind=Department] a", new() { HasText = "住民課" }).ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal), Committed);
        await staff.Locator("#talk-body").FillAsync($"明日の定例会議は第1会議室です {tag}");
        await staff.Locator("#talk-send").ClickAsync();
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = tag })).ToBeVisibleAsync();

        // From /talk to the search page, then by keyboard: type 会議 and press Enter.
        await staff.GotoAsync("/talk");
        await staff.Locator("#talk-search-link").ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/talk/search", Committed);
        await Expect(staff.Locator("h1")).ToHaveTextAsync("トーク検索");
        await staff.GetByLabel("検索する言葉").FocusAsync();
        await staff.Keyboard.TypeAsync("会議");
        await staff.Keyboard.PressAsync("Enter");
        await staff.WaitForURLAsync(u => new Uri(u).Query.Contains("q=", StringComparison.Ordinal), Committed);

        var hits = staff.Locator("#ts-hits li.talk-search-hit");
        await Expect(hits.First).ToContainTextAsync(tag);
        await Expect(hits.First.Locator("mark")).ToHaveTextAsync("会議");
        await Expect(staff.Locator("#ts-hits", new() { HasText = "非公開の会議メモ" })).ToHaveCountAsync(0);
        var count = await hits.CountAsync();
        Assert.True(count >= 1);
        for (var i = 0; i < count; i++)
        {
            await Expect(hits.Nth(i).Locator("mark")).ToHaveTextAsync("会議");
        }

        Assert.True(await staff.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360, "the search page scrolls sideways at 360 px");

        // The link opens the message in its channel.
        await hits.First.GetByRole(AriaRole.Link).ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal), Committed);
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = tag })).ToBeVisibleAsync();

        // The same search by the manager finds the private channel's message (he is in it).
        await manager.GotoAsync("/talk/search?q=" + Uri.EscapeDataString("会議メモ " + tag));
        await Expect(manager.Locator("#ts-hits li.talk-search-hit")).ToHaveCountAsync(1);
    }
}
