using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>R01: every endpoint needs a signed-in person unless it is on this short, reviewed list.</summary>
public class EndpointTests(EndpointTests.App app) : IClassFixture<EndpointTests.App>
{
    public sealed class App : TestApp;

    private static readonly string[] Public =
    [
        "/signin", "/signin/code", "/signin/persona", "/enroll/{Token}", "/bootstrap/{Token}", "/not-found", "/denied", "/language",
        "/health/live", "/health/ready", "/openapi/{documentName}.json",
        "/api/v1/auth/password", "/api/v1/auth/totp", "/api/v1/enrollment/{token}", "/api/v1/enrollment/{token}/confirm",
        "/api/v1/bootstrap/{token}",
        // Passkey sign-in (username-less, rate-limited).
        "/api/v1/auth/passkey/options", "/api/v1/auth/passkey",
        // A person's private calendar feed: the revocable secret in the URL is the credential (calendar apps have no session).
        "/calendar/feed/{file}",
    ];

    private IEnumerable<RouteEndpoint> Endpoints =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // Static files are public by nature (CSS, icons) and carry no data.
            .Where(e => !IsStaticAsset(e));

    private static bool IsStaticAsset(RouteEndpoint e) =>
        e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)) ||
        (e.RoutePattern.RawText ?? "").Contains('.', StringComparison.Ordinal) && !(e.RoutePattern.RawText ?? "").Contains("openapi", StringComparison.Ordinal);

    [Fact]
    public void OnlyTheReviewedEndpoints_AllowAnonymousAccess()
    {
        var anonymous = Endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").Trim('/')).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Empty(anonymous.Except(Public));
        Assert.NotEmpty(Endpoints);
    }

    [Fact]
    public async Task EveryOtherEndpoint_RefusesAnAnonymousCaller()
    {
        var client = app.NewClient();
        var checkedCount = 0;
        foreach (var e in Endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var path = "/" + string.Join('/', (e.RoutePattern.RawText ?? "").TrimStart('/').Split('/')
                .Select(seg => seg.StartsWith('{') ? "x1" : seg));
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                var response = await client.SendAsync(request);
                if (path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/openapi", StringComparison.Ordinal))
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
                }
                else
                {
                    // Pages send the browser to sign in (forms posted without antiforgery are refused first).
                    Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"{method} {path} answered {(int)response.StatusCode}");
                    if (response.StatusCode == HttpStatusCode.Redirect)
                    {
                        Assert.StartsWith("/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
                    }
                }

                checkedCount++;
            }
        }

        Assert.True(checkedCount >= 8, $"only {checkedCount} endpoints were checked");
    }

    /// <summary>Endpoints that need only "signed in": ending one's own session must work even when everything else is refused.</summary>
    private static readonly string[] SignedInOnly = ["/signout", "/api/v1/auth/signout"];

    [Fact]
    public async Task EveryProtectedEndpoint_HasAnAccessDecisionBehindIt()
    {
        var provider = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var fallback = await provider.GetFallbackPolicyAsync();
        var decided = 0;
        foreach (var e in Endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var route = "/" + (e.RoutePattern.RawText ?? "").Trim('/');
            var declared = e.Metadata.GetOrderedMetadata<IAuthorizeData>();
            var policy = declared.Count == 0 ? fallback : await AuthorizationPolicy.CombineAsync(provider, declared, e.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
            Assert.NotNull(policy);
            var access = policy!.Requirements.OfType<Dokodemo.Access.AccessRequirement>().ToList();
            if (SignedInOnly.Contains(route))
            {
                Assert.Empty(access);
                continue;
            }

            Assert.True(access.Count > 0, $"{route} has no access decision");
            decided++;
        }

        Assert.True(decided >= 20, $"only {decided} endpoints were checked");
    }

    [Fact]
    public async Task AnAnonymousPage_SendsTheBrowserToSignIn()
    {
        var r = await app.NewClient().GetAsync("/people");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fpeople", r.Headers.Location!.OriginalString);
    }
}
