using System.Text;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>Files in Talk in the browser: staff attach a PDF on the channel page (plain multipart form), the manager sees the link and downloads it.</summary>
public sealed class TalkFileTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Staff_attach_a_pdf_on_the_channel_page_and_the_manager_downloads_the_same_bytes()
    {
        if (!app.Available)
        {
            return;
        }

        var tag = Guid.NewGuid().ToString("N")[..6];
        var text = "窓口の案内資料です " + tag;
        var name = $"窓口案内 {tag}.pdf";
        var pdf = Encoding.UTF8.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {tag}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

        // 佐藤 美咲 (住民課) opens her department channel and sends a message with the file, at 360 px.
        await using var staffContext = await app.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 } });
        var staff = await staffContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(staff, "staff");
        await staff.GotoAsync("/talk");
        await staff.Locator("#talk-channels li[data-kind=Department] a", new() { HasText = "住民課" }).ClickAsync();
        await staff.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal));
        var channelPath = new Uri(staff.Url).AbsolutePath;
        await staff.Locator("#talk-body").FillAsync(text);
        await staff.GetByLabel("ファイルを添付（任意・5件まで）").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "application/pdf", Buffer = pdf });
        await staff.Locator("#talk-send").ClickAsync();
        var mine = staff.Locator("#talk-messages li.talk-msg", new() { HasText = text });
        await Expect(mine.Locator(".talk-files a", new() { HasText = name })).ToBeVisibleAsync();
        await Expect(mine.Locator(".talk-files")).ToContainTextAsync("PDF");
        Assert.True(await staff.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360, "the channel page scrolls sideways at 360 px");

        // A program is refused on the page with the reason, and nothing is posted.
        await staff.Locator("#talk-body").FillAsync("プログラム " + tag);
        await staff.GetByLabel("ファイルを添付（任意・5件まで）").SetInputFilesAsync(new FilePayload { Name = "setup.exe", MimeType = "application/x-msdownload", Buffer = [(byte)'M', (byte)'Z', 0x90, 0] });
        await staff.Locator("#talk-send").ClickAsync();
        await Expect(staff.Locator("#talk-error")).ToContainTextAsync("この種類のファイルは添付できません（setup.exe）");
        await Expect(staff.Locator("#talk-messages li.talk-msg", new() { HasText = "プログラム " + tag })).ToHaveCountAsync(0);

        // Her manager sees the link on the channel page and downloads the file: the same bytes, under its Japanese name.
        await using var managerContext = await app.NewContextAsync(new() { AcceptDownloads = true });
        var manager = await managerContext.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(manager, "manager");
        await manager.GotoAsync(channelPath);
        var link = manager.Locator("#talk-messages li.talk-msg", new() { HasText = text }).Locator(".talk-files a", new() { HasText = name });
        await Expect(link).ToBeVisibleAsync();
        var download = await manager.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal(name, download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.Equal(pdf, await File.ReadAllBytesAsync(path));
    }
}
