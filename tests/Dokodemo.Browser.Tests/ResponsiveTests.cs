using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

public sealed class ResponsiveTests(AppServer app) : IClassFixture<AppServer>
{
    /// <summary>The records page of the persona's department channel (its id is not fixed: opened through Talk).</summary>
    private const string RecordsPage = "/talk/c/{department}/records";

    [Theory]
    [InlineData("/", "manager")]
    [InlineData("/people", "manager")]
    [InlineData("/account", "manager")]
    [InlineData("/account/devices", "manager")]
    [InlineData("/calendar?due=2025-12-29", "manager")]
    [InlineData("/admin/policy", "security")]
    [InlineData("/admin/access-check", "security")]
    [InlineData("/work/place", "manager")]
    [InlineData("/work/board", "manager")]
    [InlineData("/work/telework", "manager")]
    [InlineData("/work/telework/approvals", "manager")]
    [InlineData("/work/settings", "manager")]
    [InlineData("/work/rules", "manager")]
    [InlineData("/work/today", "manager")]
    [InlineData("/work/month", "manager")]
    [InlineData("/work/team", "manager")]
    [InlineData("/work/findings", "manager")]
    [InlineData("/work/findings/team", "manager")]
    [InlineData("/work", "hr")]
    [InlineData("/work/arrangements?flexFrom=2026-12-07&weeks=2", "manager")]
    [InlineData("/work/records", "manager")]
    [InlineData("/work/records", "hr")]
    [InlineData("/seats", "manager")]
    [InlineData("/seats/people", "manager")]
    [InlineData("/seats/admin", "dx")]
    [InlineData("/seats/utilisation", "dx")]
    [InlineData("/seats/admin/floors/1/draw", "dx")]
    [InlineData("/talk", "manager")]
    [InlineData("/talk?find=佐藤", "manager")]
    [InlineData("/talk", "sidejob")]
    [InlineData("/admin/talk", "security")]
    [InlineData("/talk/search?q=会議", "staff")]
    [InlineData("/talk/inbox", "manager")]
    [InlineData("/talk/settings", "staff")]
    [InlineData(RecordsPage, "security")]
    [InlineData("/signin", "manager")]
    public async Task No_horizontal_scroll_at_360_px(string path, string persona)
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 740 } });
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, persona);
        if (path == "/signin")
        {
            await page.Locator("form.signout button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/signin", StringComparison.Ordinal));
        }
        else if (path == RecordsPage)
        {
            await AppServer.OpenDepartmentRecordsAsync(page);
        }
        else
        {
            await page.GotoAsync(path);
        }

        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var wide = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 360.5).slice(0, 10).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))");
        Assert.True(width <= 360, $"{path}: scrollWidth {width} > 360; elements past the edge: {string.Join(", ", wide)}");
    }
}
