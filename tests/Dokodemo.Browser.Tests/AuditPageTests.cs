using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>
/// The security administrator opens the audit log from the menu, filters it, verifies the chain, and the page has no
/// serious or critical axe-core violation (in Japanese and in English).
/// </summary>
public sealed class AuditPageTests(AppServer app, ITestOutputHelper output) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Security_admin_filters_the_log_and_verifies_the_chain()
    {
        if (!app.Available)
        {
            return;
        }

        // A staff member signs in first, so the log has more than one person's sign-in.
        await using (var staffContext = await app.NewContextAsync())
        {
            var staff = await staffContext.NewPageAsync();
            await AppServer.SignInAsPersonaAsync(staff, "staff");
            await Expect(staff.Locator("nav.site-nav a[href='/admin/audit']")).ToHaveCountAsync(0);
        }

        await using var context = await app.NewContextAsync(new() { BypassCSP = true });
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "security");

        // From the menu.
        await page.Locator("nav.site-nav a[href='/admin/audit']").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/admin/audit");
        await Expect(page.Locator("h1")).ToHaveTextAsync("監査ログ");
        await Expect(page.Locator("table.audit tbody tr").First).ToBeVisibleAsync();
        await CheckAxeAsync(page, "/admin/audit");

        // Filter: sign-ins that succeeded, today (Japan time).
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.Locator("#f-event").SelectOptionAsync(new SelectOptionValue { Label = "サインイン" });
        await page.Locator("#f-outcome").SelectOptionAsync("success");
        await page.Locator("#f-from").FillAsync(today);
        await page.Locator("#f-to").FillAsync(today);
        await page.Locator("form.audit-filter button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("event=auth.signin", StringComparison.Ordinal));
        var rows = page.Locator("table.audit tbody tr");
        Assert.True(await rows.CountAsync() >= 2, "expected the two persona sign-ins");
        var events = await page.Locator("table.audit tbody tr td:nth-child(3)").AllInnerTextsAsync();
        Assert.All(events, e => Assert.Equal("サインイン", e));
        var actors = await page.Locator("table.audit tbody tr td:nth-child(4)").AllInnerTextsAsync();
        Assert.Contains("伊藤 誠", actors);
        Assert.Contains("佐藤 美咲", actors);
        await Expect(page.Locator("#f-event")).ToHaveValueAsync("auth.signin");
        await Expect(page.Locator("#audit-count")).ToContainTextAsync("件");

        // The CSV link keeps the filter.
        var csv = await page.Locator("#audit-csv").GetAttributeAsync("href");
        Assert.Contains("event=auth.signin", csv, StringComparison.Ordinal);
        Assert.Contains("outcome=success", csv, StringComparison.Ordinal);

        // Verify the chain.
        await page.Locator("#verify-button").ClickAsync();
        var result = page.Locator("#verify-result");
        await Expect(result).ToBeVisibleAsync();
        await Expect(result).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("success"));
        await Expect(result).ToContainTextAsync("正常です");
        Assert.Matches("^[0-9]+:[0-9a-f]{64}$", await result.Locator("code.hash").InnerTextAsync());
        await CheckAxeAsync(page, "/admin/audit (verified)");

        // In English, the same page.
        await page.Locator("form.lang-switch button[value=en]").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Audit log");
        await CheckAxeAsync(page, "/admin/audit (English)");
    }

    private async Task CheckAxeAsync(IPage page, string label)
    {
        var axePath = Environment.GetEnvironmentVariable("AXE_CORE_PATH");
        if (string.IsNullOrEmpty(axePath))
        {
            axePath = Path.Combine(AppServer.Metadata("TestProjectDirectory"), "node_modules", "axe-core", "axe.min.js");
        }

        Assert.True(File.Exists(axePath), $"axe-core not found at {axePath}: run `npm ci` in tests/Dokodemo.Browser.Tests (or set AXE_CORE_PATH).");
        await page.AddScriptTagAsync(new() { Content = await File.ReadAllTextAsync(axePath) });
        var violations = await page.EvaluateAsync<JsonElement>(@"async () => {
            const r = await axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')).slice(0, 8) }));
        }");
        var serious = new List<string>();
        foreach (var v in violations.EnumerateArray())
        {
            var line = $"{label}: [{v.GetProperty("impact").GetString()}] {v.GetProperty("id").GetString()} — {v.GetProperty("help").GetString()} — " +
                string.Join(" ; ", v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()));
            output.WriteLine(line);
            if (v.GetProperty("impact").GetString() is "serious" or "critical")
            {
                serious.Add(line);
            }
        }

        Assert.True(serious.Count == 0, "serious/critical axe violations:\n" + string.Join("\n", serious));
    }
}
