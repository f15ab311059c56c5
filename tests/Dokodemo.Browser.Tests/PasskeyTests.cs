using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>
/// Passkeys in real Chromium with its virtual authenticator (DevTools protocol "WebAuthn" domain): a person registers
/// a passkey on the account page, signs out, and signs in with it alone; a forged signature and a missing
/// user-verification flag are refused with a visible message.
/// </summary>
public sealed class PasskeyTests(PasskeyTests.Server server) : IClassFixture<PasskeyTests.Server>
{
    /// <summary>The app on http://localhost:port: WebAuthn refuses an IP address as relying-party id.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public AppServer App { get; } = new("localhost");

        public Task InitializeAsync() => App.InitializeAsync();

        public Task DisposeAsync() => App.DisposeAsync();
    }

    private AppServer App => server.App;

    private static Dictionary<string, object> Args(params (string Key, object Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static async Task<(ICDPSession Cdp, string AuthenticatorId)> VirtualAuthenticatorAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", Args(("enableUI", false)));
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", Args(("options", Args(
            ("protocol", "ctap2"), ("ctap2Version", "ctap2_1"), ("transport", "internal"),
            ("hasResidentKey", true), ("hasUserVerification", true), ("isUserVerified", true), ("automaticPresenceSimulation", true)))));
        return (cdp, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.Locator("form.signout button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/signin", StringComparison.Ordinal));
    }

    /// <summary>Waits for the page to reach a URL; on a time-out, fails with what the page and the server said.</summary>
    private async Task WaitForAsync(IPage page, Func<Uri, bool> reached, string what)
    {
        try
        {
            await page.WaitForURLAsync(u => reached(new Uri(u)));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what}: still at {page.Url}:\n{await page.Locator("main").InnerTextAsync()}\n--- server log ---\n{App.ServerLog[^Math.Min(4000, App.ServerLog.Length)..]}");
        }
    }

    /// <summary>The server's log names why it refused (the audit entry carries the same reason).</summary>
    private async Task WaitForLogAsync(string line)
    {
        for (var i = 0; i < 50 && !App.ServerLog.Contains(line, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(line, App.ServerLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_a_passkey_sign_out_and_sign_in_with_it_then_forged_responses_are_refused()
    {
        if (!App.Available)
        {
            return;
        }

        await using var context = await App.NewContextAsync();
        var page = await context.NewPageAsync();
        var (cdp, authenticatorId) = await VirtualAuthenticatorAsync(page);

        // A fresh sign-in (a demo persona), then register a passkey on the account page.
        await AppServer.SignInAsPersonaAsync(page, "staff");
        await page.GotoAsync("/account");
        await Expect(page.Locator("#passkey-register")).ToBeVisibleAsync();
        await page.Locator("#passkey-name").FillAsync("試験用の端末");
        await page.Locator("#passkey-register button[type=submit]").ClickAsync();
        await WaitForAsync(page, u => u.Query.Contains("passkey=registered", StringComparison.Ordinal), "registration did not finish");
        await Expect(page.Locator("table.passkeys tbody th")).ToHaveTextAsync("試験用の端末");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("パスキーを登録しました");

        // The authenticator now holds one discoverable credential for this site.
        var credentials = (await cdp.SendAsync("WebAuthn.getCredentials", Args(("authenticatorId", authenticatorId))))!.Value.GetProperty("credentials");
        Assert.Equal(1, credentials.GetArrayLength());
        Assert.True(credentials[0].GetProperty("isResidentCredential").GetBoolean());
        Assert.Equal("localhost", credentials[0].GetProperty("rpId").GetString());

        // Sign out, then sign in with the passkey alone: no e-mail address, no password, no code.
        await SignOutAsync(page);
        await Expect(page.Locator("#passkey-signin")).ToBeVisibleAsync();
        await page.Locator("#passkey-signin").ClickAsync();
        await WaitForAsync(page, u => u.AbsolutePath == "/", "passkey sign-in did not land on home");
        await Expect(page.Locator("h1")).ToContainTextAsync("佐藤 美咲");
        await Expect(page.Locator(".who")).ToContainTextAsync("佐藤 美咲");

        // A forged signature: the server refuses it and the page says so; no session starts.
        await SignOutAsync(page);
        await cdp.SendAsync("WebAuthn.setResponseOverrideBits", Args(("authenticatorId", authenticatorId), ("isBogusSignature", true)));
        await page.Locator("#passkey-signin").ClickAsync();
        var error = page.Locator("#passkey-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("パスキーでサインインできませんでした");
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);

        await WaitForLogAsync("Passkey sign-in refused: signature");

        // The user-verification flag cleared in the response: refused by the server the same way.
        await cdp.SendAsync("WebAuthn.setResponseOverrideBits", Args(("authenticatorId", authenticatorId), ("isBogusSignature", false), ("isBadUV", true)));
        await page.Locator("#passkey-signin").ClickAsync();
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("パスキーでサインインできませんでした");
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);

        // An authenticator that cannot verify the person: the browser refuses (verification is required) and the page says so.
        await WaitForLogAsync("Passkey sign-in refused: user_not_verified");
        await cdp.SendAsync("WebAuthn.setResponseOverrideBits", Args(("authenticatorId", authenticatorId), ("isBadUV", false)));
        await cdp.SendAsync("WebAuthn.setUserVerified", Args(("authenticatorId", authenticatorId), ("isUserVerified", false)));
        await page.Locator("#passkey-signin").ClickAsync();
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).Not.ToBeEmptyAsync();
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        await page.GotoAsync("/account");
        Assert.StartsWith("/signin", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

        // With verification back, the same passkey works again (the refusals changed nothing).
        await cdp.SendAsync("WebAuthn.setUserVerified", Args(("authenticatorId", authenticatorId), ("isUserVerified", true)));
        await page.GotoAsync("/signin");
        await page.Locator("#passkey-signin").ClickAsync();
        await WaitForAsync(page, u => u.AbsolutePath == "/", "the passkey did not work again");
        await Expect(page.Locator(".who")).ToContainTextAsync("佐藤 美咲");
    }

    [Fact]
    public async Task The_passkey_and_recovery_parts_of_the_pages_have_no_serious_axe_violations()
    {
        if (!App.Available)
        {
            return;
        }

        var axePath = Environment.GetEnvironmentVariable("AXE_CORE_PATH") is { Length: > 0 } p
            ? p
            : Path.Combine(AppServer.Metadata("TestProjectDirectory"), "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axePath), $"axe-core not found at {axePath}: run `npm ci` in tests/Dokodemo.Browser.Tests (or set AXE_CORE_PATH).");
        var axe = await File.ReadAllTextAsync(axePath);
        var failures = new List<string>();

        async Task CheckAsync(IPage page, string label)
        {
            await page.AddScriptTagAsync(new() { Content = axe });
            var violations = await page.EvaluateAsync<JsonElement>(@"async () => {
                const r = await axe.run(document, { resultTypes: ['violations'] });
                return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' ; '));
            }");
            failures.AddRange(violations.EnumerateArray().Select(v => $"{label}: {v.GetString()}"));
        }

        // The inline axe script needs the CSP bypassed in this context (the other test keeps the CSP on).
        await using var context = await App.NewContextAsync(new() { BypassCSP = true });
        var page = await context.NewPageAsync();
        await VirtualAuthenticatorAsync(page);
        await AppServer.SignInAsPersonaAsync(page, "security");
        await page.GotoAsync("/account");
        await page.Locator("#passkey-name").FillAsync("管理用の端末");
        await page.Locator("#passkey-register button[type=submit]").ClickAsync();
        await WaitForAsync(page, u => u.Query.Contains("passkey=registered", StringComparison.Ordinal), "registration did not finish");
        await Expect(page.Locator("table.passkeys")).ToBeVisibleAsync();
        await CheckAsync(page, "/account with a passkey");

        await page.GotoAsync("/admin/users");
        await page.Locator("a[href^='/admin/users?recover=']").First.ClickAsync();
        await Expect(page.Locator("#recover-note")).ToBeVisibleAsync();
        await CheckAsync(page, "/admin/users recovery form");

        await SignOutAsync(page);
        await Expect(page.Locator("#passkey-signin")).ToBeVisibleAsync();
        await CheckAsync(page, "/signin with the passkey button");

        Assert.True(failures.Count == 0, "serious/critical axe violations:\n" + string.Join("\n", failures));
    }
}
