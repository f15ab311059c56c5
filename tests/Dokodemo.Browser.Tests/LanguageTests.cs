using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

public sealed class LanguageTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task English_is_remembered_across_pages_and_Japanese_comes_back()
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await AppServer.SignInAsPersonaAsync(page, "staff");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(page.Locator("h1")).ToContainTextAsync("ようこそ");

        var english = page.Locator("form.lang-switch button[value=en]");
        var japanese = page.Locator("form.lang-switch button[value=ja]");
        await Expect(japanese).ToHaveAttributeAsync("aria-pressed", "true");
        await english.ClickAsync();
        await page.WaitForLoadStateAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("h1")).ToContainTextAsync("Welcome, ");
        await Expect(english).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);

        // Another page, loaded fresh: still English (the choice is a cookie).
        await page.GotoAsync("/account");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("nav.site-nav")).ToContainTextAsync("Account");
        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        // And back to Japanese, staying on the same page.
        await page.Locator("form.lang-switch button[value=ja]").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        Assert.Equal("/account", new Uri(page.Url).AbsolutePath);
        await page.GotoAsync("/");
        await Expect(page.Locator("h1")).ToContainTextAsync("ようこそ");
    }
}
