using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dokodemo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>R36 (no state change from another site, any method) and R37 (CORS allow-list).</summary>
public class CsrfTests(CsrfTests.App app) : IClassFixture<CsrfTests.App>
{
    public const string Partner = "https://portal.town.example.jp";

    public sealed class App() : TestApp("Demo", seed: false, extra: new() { ["Dokodemo__Cors__AllowedOrigins__0"] = Partner });

    private const string Password = "しずかな朝に川沿いを歩く2026";

    /// <summary>Signed in; its requests carry no Origin unless a test adds one.</summary>
    private async Task<HttpClient> SignedInAsync(params string[] roles)
    {
        var client = app.NewClient();
        await TestApp.EnrolAsync(client, await app.InviteAsync("csrf-" + Guid.NewGuid().ToString("N")[..8] + "@example.jp", roles: roles.Length == 0 ? ["staff"] : roles), Password);
        client.DefaultRequestHeaders.Remove("Origin");
        return client;
    }

    /// <summary>How a browser marks a request from elsewhere, and the ways a forger could try to look like us.</summary>
    public static TheoryData<string, string?, string?> CrossSite => new()
    {
        { "POST", "https://evil.example", null },
        { "PUT", "https://evil.example", null },
        { "PATCH", "https://evil.example", "cross-site" },
        { "DELETE", "https://evil.example", null },
        { "DELETE", "null", null },
        { "POST", "http://localhost.evil.example", null },
        { "POST", "https://localhost", null },
        { "PUT", null, "cross-site" },
        { "PATCH", null, "same-site" },
        { "DELETE", null, "same-site" },
        { "POST", null, null },
        { "DELETE", null, null },
    };

    private static HttpRequestMessage Request(string method, string path, string? origin, string? site, object? body = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null || method != "DELETE")
        {
            request.Content = JsonContent.Create(body ?? new { });
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }

        return request;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage r)
    {
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        var json = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("csrf.failed", json.GetProperty("code").GetString());
    }

    /// <summary>One person with two sessions: <c>A</c> acts, <c>B</c> shows whether anything changed.</summary>
    private async Task<(HttpClient A, HttpClient B, string OtherSession)> TwoSessionsAsync()
    {
        var a = await SignedInAsync();
        var me = await a.GetFromJsonAsync<Access.MeResponse>("/api/v1/me");
        var b = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsJsonAsync("/api/v1/auth/password", new { email = me!.Email, password = Password })).StatusCode);
        var secret = await app.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Access.AppUserManager>();
            return (await users.GetAuthenticatorKeyAsync((await users.FindByIdAsync(me.Id))!))!;
        });
        var code = await b.PostAsJsonAsync("/api/v1/auth/totp", new { code = TestApp.Code(secret, Domain.Accounts.Totp.StepAt(DateTimeOffset.UtcNow) + 1) });
        Assert.Equal(HttpStatusCode.OK, code.StatusCode);
        var sessions = await a.GetFromJsonAsync<List<JsonElement>>("/api/v1/me/sessions");
        var other = sessions!.Single(x => !x.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        return (a, b, other);
    }

    /// <summary>
    /// DELETE ends B's session, POST ends every other session. The app has no PUT or PATCH endpoint: there the
    /// rule must still refuse a cross-site request before anything else, and let a same-origin one through to the 405.
    /// </summary>
    private static string PathFor(string method, string otherSession) =>
        method == "DELETE" ? $"/api/v1/me/sessions/{otherSession}" : "/api/v1/me/sessions/end-others";

    [Theory]
    [MemberData(nameof(CrossSite))]
    public async Task ACrossSiteRequest_IsRefused_AndChangesNothing(string method, string? origin, string? site)
    {
        var (a, b, other) = await TwoSessionsAsync();
        using var request = Request(method, PathFor(method, other), origin, site);
        await AssertRefusedAsync(await a.SendAsync(request));
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(2, (await a.GetFromJsonAsync<List<JsonElement>>("/api/v1/me/sessions"))!.Count);
    }

    [Theory]
    [InlineData("POST", "http://localhost", null, HttpStatusCode.OK)]
    [InlineData("POST", null, "same-origin", HttpStatusCode.OK)]
    [InlineData("DELETE", null, "none", HttpStatusCode.NoContent)]
    [InlineData("DELETE", Partner, "cross-site", HttpStatusCode.NoContent)]
    [InlineData("PUT", "http://localhost", "same-origin", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PATCH", null, "same-origin", HttpStatusCode.MethodNotAllowed)]
    public async Task ASameOriginRequest_GoesThrough(string method, string? origin, string? site, HttpStatusCode expected)
    {
        var (a, b, other) = await TwoSessionsAsync();
        using var request = Request(method, PathFor(method, other), origin, site);
        Assert.Equal(expected, (await a.SendAsync(request)).StatusCode);
        var ended = expected != HttpStatusCode.MethodNotAllowed;
        Assert.Equal(ended ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, (await b.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task SigningOutFromAnotherSite_IsRefused()
    {
        var a = await SignedInAsync();
        using var signOut = Request("POST", "/api/v1/auth/signout", null, "same-site");
        await AssertRefusedAsync(await a.SendAsync(signOut));
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task AnAdministratorsCrossSitePost_CreatesNoOne()
    {
        var admin = await SignedInAsync("staff", "admin");
        var email = "forged-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        using var forged = Request("POST", "/api/v1/users", "https://evil.example", null, new { email, name = "偽造 太郎", department = "総務課", roles = new[] { "staff" } });
        await AssertRefusedAsync(await admin.SendAsync(forged));
        Assert.Null(await app.WithScopeAsync(async sp => await sp.GetRequiredService<Access.AppUserManager>().FindByEmailAsync(email)));
    }

    [Fact]
    public async Task AScriptWithoutBrowserHeaders_ProvesItselfWithTheAntiforgeryToken()
    {
        var (a, b, other) = await TwoSessionsAsync();
        var page = await a.GetStringAsync("/account");
        var token = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);

        using var wrongToken = Request("DELETE", $"/api/v1/me/sessions/{other}", null, null);
        wrongToken.Headers.Add("RequestVerificationToken", token[..^4] + "AAAA");
        await AssertRefusedAsync(await a.SendAsync(wrongToken));
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/v1/me")).StatusCode);

        using var withToken = Request("DELETE", $"/api/v1/me/sessions/{other}", null, null);
        withToken.Headers.Add("RequestVerificationToken", token);
        Assert.Equal(HttpStatusCode.NoContent, (await a.SendAsync(withToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("/api/v1/me")).StatusCode);

        // Without any cookie nothing rides along, so a script needs no proof (the endpoint's own rules still apply).
        var bare = app.NewClient();
        bare.DefaultRequestHeaders.Remove("Origin");
        var anonymous = await bare.PostAsJsonAsync("/api/v1/auth/password", new { email = "x@example.jp", password = "y" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task SigningInFromAnotherSite_IsRefused()
    {
        // Login CSRF: another site signs the visitor in as someone else.
        var client = app.NewClient();
        client.DefaultRequestHeaders.Remove("Origin");
        using var request = Request("POST", "/api/v1/auth/password", "https://evil.example", "cross-site", new { email = "x@example.jp", password = "y" });
        await AssertRefusedAsync(await client.SendAsync(request));
    }

    [Fact]
    public async Task APageDelete_NeedsTheAntiforgeryToken()
    {
        // The framework's antiforgery check covers POST, PUT and PATCH only; DELETE on a page is checked too.
        var client = await SignedInAsync();
        var page = await client.GetStringAsync("/account");
        var token = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);

        var without = await client.DeleteAsync("/account");
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);

        using var with = new HttpRequestMessage(HttpMethod.Delete, "/account");
        with.Headers.Add("RequestVerificationToken", token);
        // Past the check, the page has no DELETE: 405, and the session is untouched either way.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.SendAsync(with)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Cors_AnswersOnlyTheAllowedOrigin_NeverAWildcard()
    {
        var client = await SignedInAsync();
        foreach (var path in new[] { "/api/v1/me", "/health/live" })
        {
            using var evil = new HttpRequestMessage(HttpMethod.Get, path);
            evil.Headers.Add("Origin", "https://evil.example");
            var r = await client.SendAsync(evil);
            Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"), path);
            Assert.False(r.Headers.Contains("Access-Control-Allow-Credentials"), path);

            using var partner = new HttpRequestMessage(HttpMethod.Get, path);
            partner.Headers.Add("Origin", Partner);
            var ok = await client.SendAsync(partner);
            Assert.Equal(Partner, ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Equal("true", ok.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        }

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/me/sessions/end-others");
        preflight.Headers.Add("Origin", Partner);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var pre = await app.NewClient().SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, pre.StatusCode);
        Assert.Equal(Partner, pre.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", pre.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        using var evilPreflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/me/sessions/end-others");
        evilPreflight.Headers.Add("Origin", "https://evil.example");
        evilPreflight.Headers.Add("Access-Control-Request-Method", "POST");
        var evilPre = await app.NewClient().SendAsync(evilPreflight);
        Assert.False(evilPre.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(evilPre.Headers.Contains("Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task WithoutConfiguration_NoOriginIsAllowed()
    {
        // The default: an empty list. A fresh app on the same database, without the setting.
        using var plain = new TestApp("Demo", seed: false, sameDatabaseAs: app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Origin", Partner);
        var r = await plain.NewClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://*.town.example.jp")]
    [InlineData("https://portal.town.example.jp/path")]
    [InlineData("portal.town.example.jp")]
    public void AWildcardOrMalformedOrigin_StopsTheStart(string origin)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dokodemo:Cors:AllowedOrigins:0"] = origin,
        }).Build();
        var ex = Assert.Throws<StartupException>(() => ConfigurationChecks.Read(config));
        Assert.Contains("Dokodemo:Cors:AllowedOrigins", ex.Message, StringComparison.Ordinal);
    }
}
