using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Domain.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

public class AuthApiTests(AuthApiTests.App app) : IClassFixture<AuthApiTests.App>
{
    public sealed class App : TestApp;

    private const string GoodPassword = "しずかな朝に川沿いを歩く2026";

    private static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.TryGetProperty("code", out var c) ? c.GetString() : null;
    }

    [Fact]
    public async Task EnrolSignInAndSignOut_ThroughTheJsonApi()
    {
        var email = "enrol-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var client = app.NewClient();

        var state = await client.GetAsync($"/api/v1/enrollment/{token}");
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);

        var weak = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = "Password1!" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal("password.common", await CodeOf(weak));

        var town = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = "dokodemo-is-my-town" });
        Assert.Equal("password.contains_town_word", await CodeOf(town));

        var confirmEarly = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = "123456" });
        Assert.Equal(HttpStatusCode.Conflict, confirmEarly.StatusCode);

        var set = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = GoodPassword });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var setup = (await set.Content.ReadFromJsonAsync<Access.AuthenticatorResponse>())!;
        Assert.StartsWith("otpauth://totp/", setup.OtpAuthUri, StringComparison.Ordinal);
        Assert.Contains("secret=" + setup.Secret, setup.OtpAuthUri, StringComparison.Ordinal);

        var wrong = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = "000000" == TestApp.Code(setup.Secret, Totp.StepAt(DateTimeOffset.UtcNow)) ? "111111" : "000000" });
        Assert.Equal("totp.wrong", await CodeOf(wrong));

        var step = Totp.StepAt(DateTimeOffset.UtcNow);
        var confirm = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = TestApp.Code(setup.Secret, step) });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var codes = (await confirm.Content.ReadFromJsonAsync<Access.RecoveryCodesResponse>())!.RecoveryCodes;
        Assert.Equal(10, codes.Count);

        // The invite is spent.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/enrollment/{token}")).StatusCode);

        // Enrolment signed the person in; sign out and the same cookie no longer works.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/auth/signout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);

        // Password, then a code from the next step (the enrolment code's step is spent).
        var fresh = app.NewClient();
        var pw = await fresh.PostAsJsonAsync("/api/v1/auth/password", new { email, password = GoodPassword });
        Assert.Equal(HttpStatusCode.OK, pw.StatusCode);
        var reused = await fresh.PostAsJsonAsync("/api/v1/auth/totp", new { code = TestApp.Code(setup.Secret, step) });
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal("auth.failed", await CodeOf(reused));
        var ok = await fresh.PostAsJsonAsync("/api/v1/auth/totp", new { code = TestApp.Code(setup.Secret, step + 1) });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var me = await fresh.GetFromJsonAsync<Access.MeResponse>("/api/v1/me");
        Assert.Equal(email, me!.Email);
        Assert.Contains(Roles.Staff, me.Roles);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionOnTheServer_SoAReplayedCookieFails()
    {
        var email = "replay-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var client = app.NewClient();
        await TestApp.EnrolAsync(client, token, GoodPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        // Capture the session cookie, sign out, replay it from another client.
        var handlerCookies = await CaptureCookieAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await Replay(handlerCookies.Cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await handlerCookies.Client.PostAsync("/api/v1/auth/signout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Replay(handlerCookies.Cookie)).StatusCode);
    }

    private async Task<(HttpClient Client, string Cookie)> CaptureCookieAsync(string email)
    {
        // A new enrolled person, signed in through a client that does not keep cookies, so we see Set-Cookie.
        var email2 = "cap-" + email;
        var token = await app.InviteAsync(email2);
        var raw = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var set = await raw.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = GoodPassword });
        var secret = (await set.Content.ReadFromJsonAsync<Access.AuthenticatorResponse>())!.Secret;
        var confirm = await raw.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = TestApp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow)) });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var setCookie = confirm.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("dokodemo.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];
        raw.DefaultRequestHeaders.Add("Cookie", cookie);
        return (raw, cookie);
    }

    private async Task<HttpResponseMessage> Replay(string cookie)
    {
        var other = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        other.DefaultRequestHeaders.Add("Cookie", cookie);
        return await other.GetAsync("/api/v1/me");
    }

    [Fact]
    public async Task SigningIn_StartsANewSession_AndEndsTheOneTheRequestCameWith()
    {
        var email = "fixation-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var raw = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var set = await raw.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = GoodPassword });
        var secret = (await set.Content.ReadFromJsonAsync<Access.AuthenticatorResponse>())!.Secret;
        var step = Totp.StepAt(DateTimeOffset.UtcNow);
        var confirm = await raw.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = TestApp.Code(secret, step) });
        var first = confirm.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("dokodemo.session=", StringComparison.Ordinal)).Split(';')[0];

        // Sign in again while carrying the first session's cookie (as a planted cookie would be carried).
        using var pw = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/password") { Content = JsonContent.Create(new { email, password = GoodPassword }) };
        pw.Headers.Add("Cookie", first);
        var pwResponse = await raw.SendAsync(pw);
        Assert.Equal(HttpStatusCode.OK, pwResponse.StatusCode);
        var twoFactor = pwResponse.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("dokodemo.2fa=", StringComparison.Ordinal)).Split(';')[0];
        using var code = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/totp") { Content = JsonContent.Create(new { code = TestApp.Code(secret, step + 1) }) };
        code.Headers.Add("Cookie", first + "; " + twoFactor);
        var codeResponse = await raw.SendAsync(code);
        Assert.Equal(HttpStatusCode.OK, codeResponse.StatusCode);
        var second = codeResponse.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("dokodemo.session=", StringComparison.Ordinal)).Split(';')[0];

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Replay(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Replay(second)).StatusCode);
    }

    [Fact]
    public async Task Sessions_EndAfterThirtyIdleMinutes_AndAfterTwelveHoursInAll()
    {
        var email = "timeout-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var client = app.NewClient();
        await TestApp.EnrolAsync(client, token, GoodPassword);
        try
        {
            // Active every 20 minutes: still signed in after an hour.
            for (var i = 0; i < 3; i++)
            {
                app.Clock.Offset += TimeSpan.FromMinutes(20);
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
            }

            // Then 31 idle minutes.
            app.Clock.Offset += TimeSpan.FromMinutes(31);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }

        var email2 = "absolute-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var client2 = app.NewClient();
        await TestApp.EnrolAsync(client2, await app.InviteAsync(email2), GoodPassword);
        try
        {
            for (var i = 0; i < 25; i++)
            {
                app.Clock.Offset += TimeSpan.FromMinutes(29);
                var r = await client2.GetAsync("/api/v1/me");
                Assert.Equal(app.Clock.Offset < TimeSpan.FromHours(12) ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, r.StatusCode);
            }
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task EveryFailure_GetsTheSameGenericAnswer()
    {
        var email = "generic-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        await TestApp.EnrolAsync(app.NewClient(), token, GoodPassword);

        var unknown = await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email = "nobody@example.jp", password = GoodPassword });
        var wrong = await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email, password = "wrong password here" });
        var empty = await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email = "", password = "" });
        foreach (var r in new[] { unknown, wrong, empty })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("auth.failed", await CodeOf(r));
        }

        static async Task<string> Shape(HttpResponseMessage r)
        {
            var j = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            return $"{(int)r.StatusCode} {j.GetProperty("code")} {j.GetProperty("title")} {j.GetProperty("detail")}";
        }

        Assert.Equal(await Shape(unknown), await Shape(wrong));
    }

    [Fact]
    public async Task RepeatedFailures_LockTheAccount_EvenAgainstTheRightPassword()
    {
        var email = "lock-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        await TestApp.EnrolAsync(app.NewClient(), token, GoodPassword);
        for (var i = 0; i < 5; i++)
        {
            var r = await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email, password = "not the password " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        var locked = await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email, password = GoodPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal("auth.failed", await CodeOf(locked));
        var lockoutCount = await app.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Access.AppUserManager>();
            var u = (await users.FindByEmailAsync(email))!;
            Assert.True(await users.IsLockedOutAsync(u));
            return u.LockoutCount;
        });
        Assert.Equal(1, lockoutCount);
    }

    [Fact]
    public async Task EachLockout_LastsTwiceAsLongAsTheOneBefore()
    {
        var email = "backoff-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        await app.InviteAsync(email);
        var ends = await app.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Access.AppUserManager>();
            var clock = sp.GetRequiredService<TimeProvider>();
            var u = (await users.FindByEmailAsync(email))!;
            var result = new List<TimeSpan>();
            for (var round = 0; round < 3; round++)
            {
                for (var i = 0; i < 5; i++)
                {
                    await users.AccessFailedAsync(u);
                }

                Assert.True(await users.IsLockedOutAsync(u));
                result.Add(u.LockoutEnd!.Value - clock.GetUtcNow());
                // The lock runs out; the next five failures lock again.
                await users.SetLockoutEndDateAsync(u, clock.GetUtcNow().AddSeconds(-1));
            }

            return result;
        });
        Assert.InRange(ends[0].TotalSeconds, 55, 61);
        Assert.InRange(ends[1].TotalSeconds, 115, 121);
        Assert.InRange(ends[2].TotalSeconds, 235, 241);
    }

    [Fact]
    public async Task AnInvite_ExpiresAfterItsLifetime()
    {
        var token = await app.InviteAsync("expiry-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp");
        try
        {
            app.Clock.Offset = TimeSpan.FromHours(167);
            Assert.Equal(HttpStatusCode.OK, (await app.NewClient().GetAsync($"/api/v1/enrollment/{token}")).StatusCode);
            app.Clock.Offset = TimeSpan.FromHours(169);
            var r = await app.NewClient().PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = GoodPassword });
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("enrolment.invite_invalid", await CodeOf(r));
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task TheSameCode_SubmittedTwiceAtOnce_SucceedsExactlyOnce()
    {
        var email = "race-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var (secret, step) = await TestApp.EnrolAsync(app.NewClient(), token, GoodPassword);
        var clients = new[] { app.NewClient(), app.NewClient(), app.NewClient(), app.NewClient() };
        foreach (var c in clients)
        {
            Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync("/api/v1/auth/password", new { email, password = GoodPassword })).StatusCode);
        }

        var code = TestApp.Code(secret, step + 1);
        var results = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync("/api/v1/auth/totp", new { code })));
        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(clients.Length - 1, results.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task ACodeTwoStepsOld_IsRefused()
    {
        var email = "window-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var (secret, _) = await TestApp.EnrolAsync(app.NewClient(), token, GoodPassword);
        var client = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/password", new { email, password = GoodPassword })).StatusCode);
        var old = await client.PostAsJsonAsync("/api/v1/auth/totp", new { code = TestApp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow) - 3) });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task ARecoveryCode_SignsInOnce()
    {
        var email = "recovery-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var client = app.NewClient();
        var set = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = GoodPassword });
        var secret = (await set.Content.ReadFromJsonAsync<Access.AuthenticatorResponse>())!.Secret;
        var confirm = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = TestApp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow)) });
        var recovery = (await confirm.Content.ReadFromJsonAsync<Access.RecoveryCodesResponse>())!.RecoveryCodes[0];

        var a = app.NewClient();
        await a.PostAsJsonAsync("/api/v1/auth/password", new { email, password = GoodPassword });
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsJsonAsync("/api/v1/auth/totp", new { code = recovery })).StatusCode);
        var b = app.NewClient();
        await b.PostAsJsonAsync("/api/v1/auth/password", new { email, password = GoodPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.PostAsJsonAsync("/api/v1/auth/totp", new { code = recovery })).StatusCode);
    }

    [Fact]
    public async Task TotpWithoutAPasswordStep_IsRefused()
    {
        var r = await app.NewClient().PostAsJsonAsync("/api/v1/auth/totp", new { code = "123456" });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("auth.no_pending_sign_in", await CodeOf(r));
    }

    [Fact]
    public async Task AnUnknownInvite_Is404WithACode()
    {
        var r = await app.NewClient().PostAsJsonAsync("/api/v1/enrollment/not-a-token", new { password = GoodPassword });
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("enrolment.invite_invalid", await CodeOf(r));
    }

    [Fact]
    public async Task ADisabledPerson_CannotSignIn_AndTheirSessionsEnd()
    {
        var email = "disable-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var token = await app.InviteAsync(email);
        var client = app.NewClient();
        var (secret, step) = await TestApp.EnrolAsync(client, token, GoodPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(0, app.RunCli("users", "disable", email));
        Assert.Contains("Disabled", app.LastOutput, StringComparison.Ordinal);
        // The CLI ran in another process: this one sees the ended session once its short cache expires.
        await Task.Delay(TimeSpan.FromSeconds(11));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        var again = app.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostAsJsonAsync("/api/v1/auth/password", new { email, password = GoodPassword })).StatusCode);

        // Enabled again: a fresh sign-in works; the old session stays ended.
        Assert.Equal(0, app.RunCli("users", "enable", email));
        Assert.Equal(HttpStatusCode.OK, (await again.PostAsJsonAsync("/api/v1/auth/password", new { email, password = GoodPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        _ = secret;
        _ = step;
    }
}
