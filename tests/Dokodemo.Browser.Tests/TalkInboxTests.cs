using System.Globalization;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>Scheduled send and the inbox in the browser: staff schedule a message (shown as 送信予定 to them only), mention their manager, who finds it in 受信箱.</summary>
public sealed class TalkInboxTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Staff_schedule_a_message_shown_as_scheduled_and_the_manager_sees_a_mention_in_the_inbox()
    {
        if (!app.Available)
        {
            return;
        }

        var tag = Guid.NewGuid().ToString("N")[..6];
        var tomorrow = DateTime.UtcNow.AddHours(9).Date.AddDays(1);

        // 佐藤 美咲 (住民課) schedules a message in her department channel for tomorrow 09:00 (town time).
        await using var staffContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 } });
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GotoAsync("/talk");
        await staff.Locator("#talk-channels li[data-kind=Department] a", new() { HasText = "住民課" }).ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal));
        var channelPath = new Uri(staff.Url).AbsolutePath;
        await staff.Locator("#talk-body").FillAsync($"明日の朝礼は8時45分からです {tag}");
        await staff.Locator("#talk-schedule-at").FillAsync(tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T09:00");
        await staff.Locator("#talk-send").ClickAsync();
        var scheduled = staff.Locator("#talk-scheduled li", new() { HasText = tag });
        await Expect(scheduled).ToContainTextAsync("送信予定 " + tomorrow.ToString("M/d", CultureInfo.InvariantCulture) + " 09:00");
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = tag })).ToHaveCountAsync(0);

        // She mentions her manager now.
        await staff.Locator("#talk-body").FillAsync($"@高橋健一 窓口の件をご確認ください {tag}");
        await staff.Locator("#talk-send").ClickAsync();
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = "窓口の件" })).ToBeVisibleAsync();

        // 高橋 健一 opens 受信箱 from the menu and sees the mention (not the scheduled message).
        await using var managerContext = await app.NewContextAsync();
        var manager = await managerContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GetByRole(AriaRole.Link, new() { Name = "受信箱", Exact = true }).First.ClickAsync();
        await manager.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/talk/inbox");
        var item = manager.Locator("#talk-inbox li", new() { HasText = "窓口の件をご確認ください " + tag });
        await Expect(item).ToContainTextAsync("メンション");
        await Expect(item).ToContainTextAsync("佐藤 美咲");
        await Expect(manager.Locator("#talk-inbox li", new() { HasText = "朝礼" })).ToHaveCountAsync(0);

        // Marking it done takes it out of the inbox.
        await item.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(manager.Locator("#talk-inbox li", new() { HasText = tag })).ToHaveCountAsync(0);

        // The channel shows him the mention but not the scheduled message.
        await manager.GotoAsync(channelPath);
        await Expect(manager.Locator("#talk-messages li.talk-msg", new() { HasText = "窓口の件" })).ToBeVisibleAsync();
        await Expect(manager.Locator("#talk-messages li.talk-msg", new() { HasText = "朝礼は8時45分" })).ToHaveCountAsync(0);
    }
}
