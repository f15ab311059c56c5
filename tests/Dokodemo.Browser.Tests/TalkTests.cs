using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>Talk in the browser: staff post in their department channel, their manager sees it on reload, a side-job worker sees no department channel.</summary>
public sealed class TalkTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Staff_posts_in_the_department_channel_the_manager_sees_it_and_a_sidejob_worker_sees_no_department_channel()
    {
        if (!app.Available)
        {
            return;
        }

        var text = "窓口の混雑について " + Guid.NewGuid().ToString("N")[..6];

        // 佐藤 美咲 (住民課) opens トーク from the menu, then her department channel, and posts with Markdown.
        await using var staffContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 } });
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GetByRole(AriaRole.Link, new() { Name = "トーク", Exact = true }).ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/talk");
        var department = staff.Locator("#talk-channels li[data-kind=Department] a", new() { HasText = "住民課" });
        await Expect(department).ToBeVisibleAsync();
        await department.ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal));
        var channelPath = new Uri(staff.Url).AbsolutePath;
        await Expect(staff.Locator("#talk-channel-name")).ToHaveTextAsync("住民課");
        await staff.Locator("#talk-body").FillAsync($"**{text}** <script>alert(1)</script>");
        await staff.Locator("#talk-send").ClickAsync();
        var mine = staff.Locator("#talk-messages li.talk-msg", new() { HasText = text });
        await Expect(mine).ToBeVisibleAsync();
        await Expect(mine.Locator("strong", new() { HasText = text })).ToBeVisibleAsync();
        await Expect(mine.Locator("script")).ToHaveCountAsync(0);
        await Expect(mine).ToContainTextAsync("<script>alert(1)</script>");
        // The channel page fits 360 px.
        Assert.True(await staff.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360, "the channel page scrolls sideways at 360 px");

        // Her manager (same department) sees the channel unread on /talk and the message on the channel page; he reacts.
        await using var managerContext = await app.NewContextAsync();
        var manager = await managerContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GotoAsync("/talk");
        var row = manager.Locator("#talk-channels li[data-kind=Department]", new() { HasText = "住民課" });
        await Expect(row.Locator(".talk-unread")).ToBeVisibleAsync();
        await manager.GotoAsync(channelPath);
        var seen = manager.Locator("#talk-messages li.talk-msg", new() { HasText = text });
        await Expect(seen).ToContainTextAsync("佐藤 美咲");
        await seen.GetByRole(AriaRole.Button, new() { Name = "👍 で反応" }).ClickAsync();
        await Expect(manager.Locator("#talk-messages li.talk-msg", new() { HasText = text }).Locator("button.talk-react.mine")).ToHaveCountAsync(1);
        // Viewing marked it read.
        await manager.GotoAsync("/talk");
        await Expect(manager.Locator("#talk-channels li[data-kind=Department]", new() { HasText = "住民課" }).Locator(".talk-unread")).ToHaveCountAsync(0);

        // She reloads and sees his reaction.
        await staff.ReloadAsync();
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = text }).Locator("button.talk-react", new() { HasText = "👍 1" })).ToBeVisibleAsync();

        // The side-job worker sees no department channel at all, and the channel's address tells them nothing.
        await using var sideContext = await app.NewContextAsync();
        var side = await sideContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(side, "sidejob");
        await side.GotoAsync("/talk");
        await Expect(side.Locator("h1")).ToHaveTextAsync("トーク");
        await Expect(side.Locator("li[data-kind=Department]")).ToHaveCountAsync(0);
        await Expect(side.Locator("#talk-browse")).ToHaveCountAsync(0);
        var response = await side.GotoAsync(channelPath);
        Assert.Equal(404, response!.Status);
        // (The app's own not-found page answers: the channel's existence is not told.)
        await Expect(side.Locator("h1")).ToHaveTextAsync("ページが見つかりません");
        await Expect(side.GetByText(text)).ToHaveCountAsync(0);
    }
}
