using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace Dokodemo.Browser.Tests;

/// <summary>Keyboard use: skip link first, Enter on it moves focus to main, every header and nav control is reachable by Tab, focus is visible.</summary>
public sealed class KeyboardTests(AppServer app) : IClassFixture<AppServer>
{
    private const string Expected = "header a, header button, nav.site-nav a";

    [Theory]
    [InlineData("/signin", null)]
    [InlineData("/", "security")]
    [InlineData("/people", "security")]
    [InlineData("/account", "security")]
    [InlineData("/admin/users", "security")]
    public async Task Skip_link_first_then_every_header_and_nav_control_by_Tab_with_visible_focus(string path, string? persona)
    {
        if (!app.Available)
        {
            return;
        }

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        if (persona is not null)
        {
            await AppServer.SignInAsPersonaAsync(page, persona);
        }

        var response = await page.GotoAsync(path);
        Assert.Equal(200, response!.Status);
        Assert.Equal(path, new Uri(page.Url).AbsolutePath);

        // First Tab: the skip link, visibly focused; Enter moves focus to <main>.
        await page.Keyboard.PressAsync("Tab");
        var first = await FocusedAsync(page);
        Assert.True(first.GetProperty("skip").GetBoolean(), $"{path}: first Tab focused {first.GetProperty("desc").GetString()}, not a.skip-link");
        Assert.NotEqual("none", first.GetProperty("outline").GetString());
        Assert.True(first.GetProperty("onScreen").GetBoolean(), $"{path}: the focused skip link is off screen");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // From the top again: Tab through the page and collect what gets focus.
        await page.GotoAsync(path);
        var expectedCount = await page.EvaluateAsync<int>($"() => {{ window.__kb = [...document.querySelectorAll('{Expected}')]; return window.__kb.length; }}");
        Assert.True(expectedCount >= 2, $"{path}: expected header controls, found {expectedCount}");
        var reached = new HashSet<int>();
        var invisible = new List<string>();
        for (var i = 0; i < expectedCount + 25 && reached.Count < expectedCount; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await FocusedAsync(page);
            var index = focused.GetProperty("index").GetInt32();
            if (index >= 0)
            {
                reached.Add(index);
            }

            if (focused.GetProperty("outline").GetString() == "none" && focused.GetProperty("desc").GetString() != "body")
            {
                invisible.Add(focused.GetProperty("desc").GetString()!);
            }
        }

        var missing = await page.EvaluateAsync<string[]>(
            "reached => window.__kb.filter((e, i) => !reached.includes(i)).map(e => e.outerHTML.slice(0, 120))", reached.ToArray());
        Assert.True(missing.Length == 0, $"{path}: not reachable by Tab: {string.Join(" | ", missing)}");
        Assert.True(invisible.Count == 0, $"{path}: focused without a visible outline: {string.Join(" | ", invisible)}");

        if (persona is not null)
        {
            var navLinks = await page.Locator("nav.site-nav a").CountAsync();
            Assert.True(navLinks >= 3, $"{path}: the admin persona should see at least 3 nav links, saw {navLinks}");
        }
    }

    private static async Task<JsonElement> FocusedAsync(IPage page) =>
        await page.EvaluateAsync<JsonElement>(@"() => {
            const a = document.activeElement;
            const r = a.getBoundingClientRect();
            return {
                desc: a === document.body ? 'body' : a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + (a.className ? '.' + String(a.className).trim().split(/\s+/).join('.') : '') + ' ' + (a.textContent || '').trim().slice(0, 30),
                skip: a.matches('a.skip-link'),
                index: (window.__kb || []).indexOf(a),
                outline: getComputedStyle(a).outlineStyle,
                onScreen: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
            };
        }");
}
