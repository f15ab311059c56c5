using System.IO.Compression;
using System.Text;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>The records section of a channel: the administrator (records officer) sets the retention and a legal hold, then downloads the export.</summary>
public sealed class TalkExportTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task The_administrator_sets_retention_and_a_legal_hold_on_a_channel_and_downloads_the_records_export()
    {
        if (!app.Available)
        {
            return;
        }

        // 伊藤 誠 (総務課, システム管理者) opens his department channel and its records section, at 360 px.
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "security");
        await page.GotoAsync("/talk");
        await page.Locator("#talk-channels li[data-kind=Department] a", new() { HasText = "総務課" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/talk/c/", StringComparison.Ordinal));
        var text = "情報公開請求の対象になる連絡 " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#talk-body").FillAsync(text);
        await page.Locator("#talk-send").ClickAsync();
        await Expect(page.Locator("#talk-messages li.talk-msg", new() { HasText = text })).ToBeVisibleAsync();

        await page.Locator("#talk-records-link").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.EndsWith("/records", StringComparison.Ordinal));
        await Expect(page.Locator("h1")).ToHaveTextAsync("記録管理");
        await Expect(page.Locator("#records-in-force")).ToContainTextAsync("5年");

        // 10年 and a hold for a pending records request.
        await page.Locator("#records-class").SelectOptionAsync("10y");
        await page.Locator("#records-hold").CheckAsync();
        await page.Locator("#records-hold-reason").FillAsync("情報公開請求 第12号");
        await page.Locator("#records-save").ClickAsync();
        await Expect(page.Locator("#records-saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#records-in-force")).ToContainTextAsync("10年");
        await Expect(page.Locator("#records-hold-on")).ToContainTextAsync("情報公開請求 第12号");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360, "the records page scrolls sideways at 360 px");

        // The export: a ZIP whose transcript has the message in Japanese and whose CSV opens in Excel (BOM).
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#records-export").ClickAsync());
        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), "talk-export-" + Guid.NewGuid().ToString("N") + ".zip");
        await download.SaveAsAsync(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            using (var reader = new StreamReader(zip.GetEntry("transcript.html")!.Open(), Encoding.UTF8))
            {
                var html = await reader.ReadToEndAsync();
                Assert.Contains("トーク記録（情報公開請求用）", html, StringComparison.Ordinal);
                Assert.Contains(text, html, StringComparison.Ordinal);
                Assert.Contains("訴訟ホールド中", html, StringComparison.Ordinal);
            }

            using var csv = zip.GetEntry("messages.csv")!.Open();
            var head = new byte[3];
            await csv.ReadExactlyAsync(head);
            Assert.Equal([0xEF, 0xBB, 0xBF], head);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
