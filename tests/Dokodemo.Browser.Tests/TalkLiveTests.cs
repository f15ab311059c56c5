using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>
/// Talk live in two browsers (issue 6, done means): one person posts, the other sees it appear without reload; the
/// second goes offline (the page drops its stream), the first posts twice meanwhile, and back online the page reconnects
/// after the last event it saw and shows exactly those two, once each.
/// </summary>
public sealed class TalkLiveTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task A_post_appears_live_in_the_other_browser_and_what_was_missed_offline_arrives_after_reconnecting()
    {
        if (!app.Available)
        {
            return;
        }

        var tag = Guid.NewGuid().ToString("N")[..6];

        await using var staffContext = await app.NewContextAsync();
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GotoAsync("/talk");
        await staff.Locator("#talk-channels li[data-kind=Department] a", new() { HasText = "住民課" }).ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal));
        var channelPath = new Uri(staff.Url).AbsolutePath;

        // The manager has the same channel open, and watches the requests his page makes to the stream.
        await using var managerContext = await app.NewContextAsync();
        var manager = await managerContext.NewPageAsync();
        var streams = new List<IRequest>();
        manager.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/v1/talk/stream", StringComparison.Ordinal))
            {
                lock (streams)
                {
                    streams.Add(r);
                }
            }
        };
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GotoAsync(channelPath);
        await Expect(manager.Locator("#talk-live")).ToHaveAttributeAsync("data-live", "on");

        // Live: she posts, he sees it without reloading.
        var first = $"明日の会議は10時からです（{tag}-1）";
        await staff.Locator("#talk-body").FillAsync(first);
        await staff.Locator("#talk-send").ClickAsync();
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = first })).ToBeVisibleAsync();
        await Expect(manager.Locator("#talk-messages li.talk-msg", new() { HasText = first })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(manager.Locator("#talk-live-status")).Not.ToBeEmptyAsync();

        // He loses the connection; she posts twice meanwhile.
        await managerContext.SetOfflineAsync(true);
        var missed = new[] { $"申請の件、承知しました（{tag}-2）", $"資料を共有します（{tag}-3）" };
        foreach (var text in missed)
        {
            await staff.Locator("#talk-body").FillAsync(text);
            await staff.Locator("#talk-send").ClickAsync();
            await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = text })).ToBeVisibleAsync();
        }

        await Expect(manager.Locator("#talk-messages li.talk-msg", new() { HasText = missed[0] })).ToHaveCountAsync(0);

        // Back online: EventSource reconnects by itself with Last-Event-ID, and the page shows exactly what was missed.
        await managerContext.SetOfflineAsync(false);
        foreach (var text in missed)
        {
            await Expect(manager.Locator("#talk-messages li.talk-msg", new() { HasText = text })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        }

        await Expect(manager.Locator("#talk-messages li.talk-msg", new() { HasText = first })).ToHaveCountAsync(1);
        Assert.Equal(channelPath, new Uri(manager.Url).AbsolutePath);
        IRequest[] seen;
        lock (streams)
        {
            seen = [.. streams];
        }

        Assert.True(seen.Length >= 2, $"the page opened the stream {seen.Length} time(s); it should have reconnected");
        // The reconnect named the last event seen (the header from EventSource's own retry, or the query parameter of a
        // new connection after the network came back).
        var header = await seen[^1].HeaderValueAsync("last-event-id");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(seen[^1].Url).Query)["lastEventId"];
        Assert.False(string.IsNullOrEmpty(header) && string.IsNullOrEmpty(query), "the reconnect did not say which event it saw last");
    }
}
