using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>Talk notices in the browser: a manager posts a notice in the department channel, staff acknowledge it, the manager sees who has.</summary>
public sealed class TalkNoticeTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task The_manager_posts_a_notice_staff_acknowledge_it_and_the_manager_sees_who_has_and_who_has_not_read_it()
    {
        if (!app.Available)
        {
            return;
        }

        var text = "庁舎の停電点検のお知らせ " + Guid.NewGuid().ToString("N")[..6];

        // The manager of 住民課 posts a notice in the department channel, asking for acknowledgement.
        await using var managerContext = await app.NewContextAsync();
        var manager = await managerContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GotoAsync("/talk");
        await manager.Locator("#talk-channels li[data-kind=Department] a", new() { HasText = "住民課" }).ClickAsync();
        await manager.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal));
        var channelPath = new Uri(manager.Url).AbsolutePath;
        await manager.Locator("#talk-body").FillAsync(text);
        await manager.GetByLabel("確認を求める（周知）").CheckAsync();
        await manager.Locator("#talk-send").ClickAsync();
        var posted = manager.Locator("#talk-messages li.talk-msg", new() { HasText = text });
        await Expect(posted.Locator(".talk-receipt .badge", new() { HasText = "周知" })).ToBeVisibleAsync();
        await Expect(posted.Locator(".talk-ack-count")).ToContainTextAsync("確認済み 0/");

        // 佐藤 美咲 (staff, 住民課) on a phone sees the notice and acknowledges it.
        await using var staffContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 } });
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GotoAsync(channelPath);
        var notice = staff.Locator("#talk-messages li.talk-msg", new() { HasText = text });
        await Expect(notice.Locator(".talk-ack-count")).ToHaveCountAsync(0);
        await notice.GetByRole(AriaRole.Button, new() { Name = "確認しました" }).ClickAsync();
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = text }).Locator(".talk-acked")).ToContainTextAsync("確認済み");
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = text }).GetByRole(AriaRole.Button, new() { Name = "確認しました" })).ToHaveCountAsync(0);
        Assert.True(await staff.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360, "the channel page scrolls sideways at 360 px");

        // The manager opens the detail: 佐藤 美咲 under 確認済み, the others (who have not opened the channel) under 未読.
        await manager.GotoAsync(channelPath);
        var link = manager.Locator("#talk-messages li.talk-msg", new() { HasText = text }).Locator(".talk-ack-count");
        await Expect(link).ToContainTextAsync("確認済み 1/");
        await link.ClickAsync();
        await manager.WaitForURLAsync(u => new Uri(u).AbsolutePath.Contains("/notice/", StringComparison.Ordinal));
        await Expect(manager.Locator("h1")).ToHaveTextAsync("周知の確認状況");
        await Expect(manager.Locator("#notice-acked")).ToContainTextAsync("佐藤 美咲");
        await Expect(manager.Locator("#notice-acked h2")).ToHaveTextAsync("確認済み 1");
        await Expect(manager.Locator("#notice-unread")).Not.ToContainTextAsync("佐藤 美咲");
        Assert.True(await manager.Locator("#notice-unread li").CountAsync() > 0, "nobody is listed as not having read the notice");
        await Expect(manager.Locator("#notice-csv")).ToBeVisibleAsync();

        // He reminds the others; a second reminder at once is refused with a clear message.
        await manager.Locator("#notice-remind").ClickAsync();
        await Expect(manager.Locator("#notice-message")).ToContainTextAsync("再通知しました");
        await manager.Locator("#notice-remind").ClickAsync();
        await Expect(manager.Locator("#notice-error")).ToContainTextAsync("再通知したばかりです");
    }
}
