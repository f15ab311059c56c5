using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Dokodemo.Tests;

public class ConventionTests(ConventionTests.App app) : IClassFixture<ConventionTests.App>
{
    public sealed class App : TestApp;

    private static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.TryGetProperty("code", out var c) ? c.GetString() : null;
    }

    [Fact]
    public async Task Health_IsLiveAndReady()
    {
        var client = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheApi()
    {
        var doc = await app.NewClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/auth/password", out _));
        Assert.True(paths.TryGetProperty("/api/v1/enrollment/{token}/confirm", out _));
        Assert.True(paths.TryGetProperty("/api/v1/directory/people", out _));
    }

    [Fact]
    public async Task MalformedJson_IsA400ProblemWithACode()
    {
        var r = await app.NewClient().PostAsync("/api/v1/auth/password", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("request.invalid", await CodeOf(r));
    }

    [Fact]
    public async Task AnOversizedBody_IsRefusedWithACode()
    {
        var big = new string('a', 2 * 1024 * 1024);
        var r = await app.NewClient().PostAsync("/api/v1/auth/password", new StringContent($"{{\"email\":\"{big}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Equal("request.too_large", await CodeOf(r));
        // The process is unharmed.
        Assert.Equal(HttpStatusCode.OK, (await app.NewClient().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task AnUnknownApiRoute_IsRefusedToAnAnonymousCaller_WithACode()
    {
        // Deny by default also covers routes that do not exist: an anonymous caller learns nothing about the API's shape.
        var r = await app.NewClient().GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("unauthenticated", await CodeOf(r));
    }

    [Fact]
    public async Task Problems_SpeakTheCallersLanguage()
    {
        var ja = await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email = "x@example.jp", password = "y" });
        var jaJson = await ja.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("正しくありません", jaJson.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var en = app.NewClient();
        en.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var enJson = await (await en.PostAsJsonAsync("/api/v1/auth/password", new { email = "x@example.jp", password = "y" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("not right", enJson.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/health/live")]
    public async Task SecurityHeaders_AreOnEveryResponse(string path)
    {
        var r = await app.NewClient().GetAsync(path);
        var csp = string.Join(' ', r.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'", csp);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", r.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task TheSignInPage_IsJapaneseFirst_AndSwitchesToEnglish()
    {
        var client = app.NewClient();
        var page = await client.GetStringAsync("/signin");
        Assert.Contains("<html lang=\"ja\"", page, StringComparison.Ordinal);
        Assert.Contains("サインイン", page, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn", page, StringComparison.OrdinalIgnoreCase);

        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var switched = await client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["lang"] = "en", ["returnUrl"] = "/signin", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var english = await client.GetStringAsync("/signin");
        Assert.Contains("<html lang=\"en\"", english, StringComparison.Ordinal);
        Assert.Contains("Sign in", english, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/signin/code")]
    [InlineData("/enroll/not-a-real-token")]
    public async Task EveryPage_LinksItsStylesheetByAnAbsolutePath_ThatIsServed(string path)
    {
        // The CSP forbids <base>, so a relative link would resolve under nested paths such as /enroll/… and 404.
        var client = app.NewClient();
        var html = await (await client.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<base", html, StringComparison.Ordinal);
        var href = System.Text.RegularExpressions.Regex.Match(html, "<link rel=\"stylesheet\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("/css/", href, StringComparison.Ordinal);
        var css = await client.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/enroll/used-or-expired-token", "この招待リンクは使えません")]
    [InlineData("/bootstrap/used-or-expired-token", "このリンクは使えません")]
    public async Task ADeadLink_ExplainsItself_ToSomeoneNotSignedIn(string path, string sentence)
    {
        var r = await app.NewClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, r.StatusCode);
        Assert.Contains(sentence, await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLanguageSwitch_RefusesAForeignReturnUrl()
    {
        var client = app.NewClient();
        var page = await client.GetStringAsync("/signin");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var r = await client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["lang"] = "en", ["returnUrl"] = "//evil.example/", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal("/", r.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task APersona_IsNotOfferedToARemoteCaller()
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Add(TestApp.RemoteIpHeader, "203.0.113.7");
        var page = await client.GetStringAsync("/signin");
        Assert.DoesNotContain("name=\"persona\"", page, StringComparison.Ordinal);
    }
}
