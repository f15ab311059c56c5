using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>
/// A test-only end of the pipeline: GET requests that no endpoint answered and every middleware let through reach it.
/// Its two paths throw, to see what an unexpected exception looks like from outside.
/// </summary>
public sealed class ThrowingEndpoints : IStartupFilter
{
    public const string Secret = "hunter2-secret-detail";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Run(context =>
        {
            if (context.Request.Path.Value is "/api/v1/test/boom" or "/test/boom")
            {
                throw new InvalidOperationException("Password=" + Secret);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    };
}

/// <summary>R34/R35: the same headers on every kind of response, with an https public address.</summary>
public class HeaderTests(HeaderTests.App app) : IClassFixture<HeaderTests.App>
{
    public sealed class App() : TestApp("Demo", seed: false, extra: new() { ["Dokodemo__PublicUrl"] = "https://localhost" })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ThrowingEndpoints>());
        }
    }

    private const string Csp =
        "default-src 'self'; script-src 'self' 'nonce-NONCE'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private HttpClient Https()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Remove("Origin");
        client.DefaultRequestHeaders.Add("Origin", "https://localhost");
        return client;
    }

    private static void AssertHeaders(HttpResponseMessage r, string what)
    {
        var csp = r.Headers.TryGetValues("Content-Security-Policy", out var c) ? c.Single() : null;
        Assert.True(csp is not null, what + ": no CSP");
        var nonce = Regex.Match(csp, "'nonce-([A-Za-z0-9+/]{22}==)'");
        Assert.True(nonce.Success, what + ": no nonce in " + csp);
        Assert.Equal(Csp, csp.Replace(nonce.Groups[1].Value, "NONCE", StringComparison.Ordinal));
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", r.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(r.Headers.TryGetValues("Strict-Transport-Security", out var hsts), what + ": no HSTS");
        Assert.Equal("max-age=31536000; includeSubDomains", hsts.Single());
        Assert.False(r.Headers.Contains("Server"), what + ": Server header");
        Assert.False(r.Headers.Contains("X-Powered-By"), what + ": X-Powered-By header");
    }

    [Fact]
    public async Task EveryKindOfResponse_CarriesTheHeaders()
    {
        var anonymous = Https();
        var page = await anonymous.GetAsync("/signin");
        var html = await page.Content.ReadAsStringAsync();
        var css = Regex.Match(html, "<link rel=\"stylesheet\" href=\"([^\"]+)\"").Groups[1].Value;
        var icon = Regex.Match(html, "<link rel=\"icon\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(css);
        Assert.NotEmpty(icon);

        var email = "headers-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var signedIn = Https();
        await TestApp.EnrolAsync(signedIn, await app.InviteAsync(email), "しずかな朝に川沿いを歩く2026");

        var samples = new List<(string What, HttpClient Client, HttpRequestMessage Request, HttpStatusCode Status)>
        {
            ("page", anonymous, new(HttpMethod.Get, "/signin"), HttpStatusCode.OK),
            ("signed-in page", signedIn, new(HttpMethod.Get, "/account"), HttpStatusCode.OK),
            ("redirect to sign-in", anonymous, new(HttpMethod.Get, "/people"), HttpStatusCode.Redirect),
            ("404 page", signedIn, new(HttpMethod.Get, "/no-such-page"), HttpStatusCode.NotFound),
            ("410 page", anonymous, new(HttpMethod.Get, "/enroll/no-such-invite"), HttpStatusCode.Gone),
            ("stylesheet", anonymous, new(HttpMethod.Get, css), HttpStatusCode.OK),
            ("icon", anonymous, new(HttpMethod.Get, icon), HttpStatusCode.OK),
            ("health", anonymous, new(HttpMethod.Get, "/health/live"), HttpStatusCode.OK),
            ("API", signedIn, new(HttpMethod.Get, "/api/v1/me"), HttpStatusCode.OK),
            ("API 401", anonymous, new(HttpMethod.Get, "/api/v1/me"), HttpStatusCode.Unauthorized),
            ("API 404", signedIn, new(HttpMethod.Get, "/api/v1/nothing-here"), HttpStatusCode.NotFound),
            ("API 400", anonymous, new(HttpMethod.Post, "/api/v1/auth/password") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") }, HttpStatusCode.BadRequest),
            ("API 405", anonymous, new(HttpMethod.Trace, "/api/v1/me"), HttpStatusCode.MethodNotAllowed),
            ("API 500", signedIn, new(HttpMethod.Get, "/api/v1/test/boom"), HttpStatusCode.InternalServerError),
            ("page 500", signedIn, new(HttpMethod.Get, "/test/boom"), HttpStatusCode.InternalServerError),
        };
        foreach (var (what, client, request, status) in samples)
        {
            using (request)
            {
                var r = await client.SendAsync(request);
                Assert.True(r.StatusCode == status, $"{what}: {(int)r.StatusCode}");
                AssertHeaders(r, what);
            }
        }
    }

    [Fact]
    public async Task TheSessionCookie_IsHostPrefixedAndSecure_OnAnHttpsAddress()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Remove("Origin");
        client.DefaultRequestHeaders.Add("Origin", "https://localhost");
        var token = await app.InviteAsync("cookie-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp");
        var set = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = "しずかな朝に川沿いを歩く2026" });
        var secret = (await set.Content.ReadFromJsonAsync<Access.AuthenticatorResponse>())!.Secret;
        var confirm = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm",
            new { code = TestApp.Code(secret, Domain.Accounts.Totp.StepAt(DateTimeOffset.UtcNow)) });
        var cookie = confirm.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-dokodemo=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>R39 in production mode: no stack traces, no TRACE, no hidden files, no anonymous API description.</summary>
public class ProductionHardeningTests(ProductionHardeningTests.App app) : IClassFixture<ProductionHardeningTests.App>
{
    public sealed class App() : TestApp("Production", seed: false)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ThrowingEndpoints>());
        }
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = app.NewClient();
        await TestApp.EnrolAsync(client, await app.InviteAsync("prod-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp"), "しずかな朝に川沿いを歩く2026");
        return client;
    }

    [Theory]
    [InlineData("/api/v1/test/boom")]
    [InlineData("/test/boom")]
    public async Task AnUnexpectedError_ShowsNoStackTraceAndNoDetail(string path)
    {
        // WebApplicationFactory runs the host as "Development", where ASP.NET Core would add its developer exception
        // page: the app's own handler answers first, in every environment.
        var client = await SignedInAsync();
        var r = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
        var body = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ThrowingEndpoints.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ThrowingEndpoints", body, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("internal", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("TRACE", "/")]
    [InlineData("TRACE", "/api/v1/me")]
    [InlineData("TRACK", "/signin")]
    public async Task TraceAndTrack_AreRefused_AndEchoNothing(string method, string path)
    {
        var client = await SignedInAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Echo-Me", "echo-canary");
        var r = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
        var body = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain("echo-canary", body, StringComparison.Ordinal);
        Assert.DoesNotContain("dokodemo.session", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/.git/config")]
    [InlineData("/.git/HEAD")]
    [InlineData("/.env")]
    [InlineData("/appsettings.json")]
    [InlineData("/Dokodemo.dll")]
    [InlineData("/swagger/index.html")]
    public async Task NoFileOutsideWwwroot_IsServed(string path)
    {
        var signedIn = await SignedInAsync();
        var r = await signedIn.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        var body = await r.Content.ReadAsStringAsync();
        Assert.DoesNotContain("[core]", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ConnectionString", body, StringComparison.Ordinal);

        // Someone not signed in is sent to sign in, and learns nothing either.
        var anonymous = await app.NewClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiDescription_IsNotPublicInProduction()
    {
        var r = await app.NewClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/signin", r.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/v1/users", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await (await SignedInAsync()).GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task TheRealServer_SendsNoServerHeader_AndRefusesTrace()
    {
        // Kestrel itself, as a process: TestServer would not show Kestrel's headers.
        var port = FreePort();
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = app.Dir,
        };
        foreach (var (k, v) in app.Env)
        {
            psi.Environment[k] = v;
        }

        var url = $"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        psi.Environment["ASPNETCORE_URLS"] = url;
        psi.Environment["Dokodemo__PublicUrl"] = url;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = System.Diagnostics.Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
            await WaitLiveAsync(http, process);
            foreach (var path in new[] { "/signin", "/health/live", "/api/v1/me", "/no-such-page" })
            {
                var r = await http.GetAsync(path);
                Assert.False(r.Headers.Contains("Server"), path + " sent Server: " + string.Join(',', r.Headers.TryGetValues("Server", out var s) ? s : []));
                Assert.False(r.Headers.Contains("X-Powered-By"), path);
                Assert.False(r.Headers.Contains("X-AspNet-Version"), path);
            }

            using var trace = new HttpRequestMessage(HttpMethod.Trace, "/");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.SendAsync(trace)).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitLiveAsync(HttpClient http, System.Diagnostics.Process process)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            Assert.False(process.HasExited, "the app exited with " + (process.HasExited ? process.ExitCode : 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                if ((await http.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("the app did not answer within 60 s");
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
