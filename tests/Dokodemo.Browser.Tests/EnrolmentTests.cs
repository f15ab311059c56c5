using System.Text.RegularExpressions;
using Dokodemo.Domain.Accounts;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>An invited person enrols (password, authenticator, recovery codes), signs out and signs in again.</summary>
public sealed class EnrolmentTests(AppServer app) : IClassFixture<AppServer>
{
    private const string Password = "しずかな朝に川沿いを歩く2026";

    [Fact]
    public async Task Invite_enrol_sign_out_and_sign_in_with_password_and_code()
    {
        if (!app.Available)
        {
            return;
        }

        var invite = await app.InviteAsync("shiken.taro@example.jp", "試験 太郎");
        Assert.StartsWith(app.BaseUrl + "/enroll/", invite, StringComparison.Ordinal);

        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();

        // Step 1: password.
        await page.GotoAsync(invite);
        await page.Locator("#new-password").FillAsync(Password);
        await page.Locator("#new-password").PressAsync("Enter");

        // Step 2: authenticator. The secret is shown grouped by spaces.
        var secretCode = page.Locator("#totp-secret");
        await Expect(secretCode).ToBeVisibleAsync();
        await Expect(page.Locator("img.qr")).ToBeVisibleAsync();
        var secret = Regex.Replace(await secretCode.InnerTextAsync(), @"\s", "");
        var key = Base32.Decode(secret);
        await page.Locator("#code").FillAsync(Totp.Compute(key, Totp.StepAt(DateTimeOffset.UtcNow)));
        await page.Locator("#code").PressAsync("Enter");

        // Done: recovery codes.
        var codes = page.Locator("ul.recovery-codes li");
        await Expect(codes.First).ToBeVisibleAsync();
        Assert.True(await codes.CountAsync() >= 5, "expected a list of recovery codes");
        var firstCode = (await codes.First.InnerTextAsync()).Trim();
        Assert.False(string.IsNullOrWhiteSpace(firstCode));

        // Enrolment signed the person in: home greets them. Then sign out.
        await page.Locator("main a[href='/']").ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("試験 太郎");
        await page.Locator("form.signout button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.StartsWith("/signin", StringComparison.Ordinal));
        await page.GotoAsync("/account");
        Assert.StartsWith("/signin", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

        // A wrong password: the generic error, still on /signin.
        await page.GotoAsync("/signin");
        await page.Locator("#email").FillAsync("shiken.taro@example.jp");
        await page.Locator("#password").FillAsync("まちがったパスワード0000");
        await page.Locator("form.form button[type=submit]").ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToBeVisibleAsync();
        Assert.False(string.IsNullOrWhiteSpace(await alert.InnerTextAsync()));
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        await Expect(page.Locator("#code")).ToHaveCountAsync(0);

        // The right password, then a code. The enrolment used the current 30-s step and codes are
        // single-use, so use the next step (the server accepts ±1 step).
        await page.Locator("#email").FillAsync("shiken.taro@example.jp");
        await page.Locator("#password").FillAsync(Password);
        await page.Locator("form.form button[type=submit]").ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.True(new Uri(page.Url).AbsolutePath == "/signin/code",
            $"expected the code step after the right password, got {page.Url}:\n{await page.Locator("main").InnerTextAsync()}\n--- server log ---\n{app.ServerLog[^Math.Min(4000, app.ServerLog.Length)..]}");
        await page.Locator("#code").FillAsync(Totp.Compute(key, Totp.StepAt(DateTimeOffset.UtcNow) + 1));
        await page.Locator("#code").PressAsync("Enter");
        await page.WaitForLoadStateAsync();
        Assert.True(new Uri(page.Url).AbsolutePath == "/",
            $"expected home after the code, got {page.Url}:\n{await page.Locator("main").InnerTextAsync()}\n--- server log ---\n{app.ServerLog[^Math.Min(4000, app.ServerLog.Length)..]}");
        await Expect(page.Locator("h1")).ToContainTextAsync("試験 太郎");
        await Expect(page.Locator(".who")).ToContainTextAsync("試験 太郎");
    }
}
