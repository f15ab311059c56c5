using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dokodemo.Domain.Accounts;

namespace Dokodemo.Tests;

/// <summary>R11: per client address and per account, on sign-in, the code, enrolment and an administrator's invitations.</summary>
public class RateLimitTests(RateLimitTests.App app) : IClassFixture<RateLimitTests.App>
{
    public const int PerAddress = 5;
    public const int PerAccount = 3;

    public sealed class App() : TestApp("Demo", seed: false, authPerMinute: PerAddress, accountPerMinute: PerAccount);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private const string GoodPassword = "しずかな朝に川沿いを歩く2026";
    private static int nextAddress;

    /// <summary>A client from an address no other test uses.</summary>
    private HttpClient From(string? address = null)
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Add(TestApp.RemoteIpHeader, address ?? NewAddress());
        return client;
    }

    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref nextAddress);
        return $"198.51.{n / 250}.{(n % 250) + 1}";
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retry = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retry);
        Assert.InRange(retry.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", json.GetProperty("code").GetString());
        Assert.Equal(429, json.GetProperty("status").GetInt32());
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8] + "@example.jp";

    private async Task<(string Email, string Secret, long Step)> EnrolledAsync(params string[] roles)
    {
        var email = Unique("rl");
        var token = await app.InviteAsync(email, roles: roles.Length == 0 ? [Roles.Staff] : roles);
        var (secret, step) = await TestApp.EnrolAsync(From(), token, GoodPassword);
        return (email, secret, step);
    }

    [Fact]
    public async Task OneAddress_IsLimited_AcrossAccounts_AndOtherAddressesAreNot()
    {
        var client = From();
        for (var i = 0; i < PerAddress; i++)
        {
            var r = await client.PostAsJsonAsync("/api/v1/auth/password", new { email = Unique("addr"), password = "wrong password" });
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        await AssertRateLimitedAsync(await client.PostAsJsonAsync("/api/v1/auth/password", new { email = Unique("addr"), password = "wrong password" }));
        // The same address is also refused on the code step: one allowance for all sign-in endpoints.
        await AssertRateLimitedAsync(await client.PostAsJsonAsync("/api/v1/auth/totp", new { code = "123456" }));

        var other = await From().PostAsJsonAsync("/api/v1/auth/password", new { email = Unique("addr"), password = "wrong password" });
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task OneAccount_IsLimited_AcrossAddresses_EvenWithTheRightPassword()
    {
        var (email, _, _) = await EnrolledAsync();
        for (var i = 0; i < PerAccount; i++)
        {
            var r = await From().PostAsJsonAsync("/api/v1/auth/password", new { email, password = "wrong password" });
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        // Another address, the address written differently, and the right password: still the same account, still refused.
        var client = From();
        var limited = await client.PostAsJsonAsync("/api/v1/auth/password", new { email = "  " + email.ToUpperInvariant() + " ", password = GoodPassword });
        await AssertRateLimitedAsync(limited);
        Assert.DoesNotContain(limited.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("dokodemo.2fa=", StringComparison.Ordinal));

        // That address is not used up, and an address nobody has is limited the same way as a real one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/password", new { email = Unique("other"), password = "x" })).StatusCode);
        var nobody = Unique("nobody");
        for (var i = 0; i < PerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await From().PostAsJsonAsync("/api/v1/auth/password", new { email = nobody, password = "x" })).StatusCode);
        }

        await AssertRateLimitedAsync(await From().PostAsJsonAsync("/api/v1/auth/password", new { email = nobody, password = "x" }));
    }

    [Fact]
    public async Task TheCodeStep_IsLimitedPerAccount_AcrossAddresses()
    {
        var (email, secret, step) = await EnrolledAsync();
        // One half-way sign-in (its cookie), each request from a new address.
        var client = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await SendFromNewAddressAsync(client, "/api/v1/auth/password", new { email, password = GoodPassword })).StatusCode);
        var wrong = TestApp.Code(secret, step + 1) == "000000" ? "111111" : "000000";
        for (var i = 0; i < PerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendFromNewAddressAsync(client, "/api/v1/auth/totp", new { code = wrong })).StatusCode);
        }

        await AssertRateLimitedAsync(await SendFromNewAddressAsync(client, "/api/v1/auth/totp", new { code = TestApp.Code(secret, step + 1) }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendFromNewAddressAsync(HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(TestApp.RemoteIpHeader, NewAddress());
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Enrolment_IsLimitedPerInvitedPerson()
    {
        var token = await app.InviteAsync(Unique("enrol"));
        var set = await From().PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = GoodPassword });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var secret = (await set.Content.ReadFromJsonAsync<Access.AuthenticatorResponse>())!.Secret;
        var step = Totp.StepAt(DateTimeOffset.UtcNow);
        var wrong = TestApp.Code(secret, step) == "000000" ? "111111" : "000000";
        for (var i = 1; i < PerAccount; i++)
        {
            var r = await From().PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = wrong });
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        }

        await AssertRateLimitedAsync(await From().PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = TestApp.Code(secret, step) }));
        // Not enrolled: the invite still stands.
        Assert.Equal(HttpStatusCode.OK, (await From().GetAsync($"/api/v1/enrollment/{token}")).StatusCode);
    }

    [Fact]
    public async Task AnAdministratorsInvitations_AreLimitedPerAdministrator()
    {
        var email = Unique("admin");
        var token = await app.InviteAsync(email, roles: [Roles.Staff, Roles.Admin]);
        // From the town hall's network: account administration is refused from elsewhere by the policy.
        var admin = From("127.0.0.77");
        await TestApp.EnrolAsync(admin, token, GoodPassword);
        for (var i = 0; i < PerAccount; i++)
        {
            var created = await admin.PostAsJsonAsync("/api/v1/users", new { email = Unique("new"), name = "招待 太郎", department = "総務課", roles = new[] { "staff" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var tooMany = Unique("toomany");
        await AssertRateLimitedAsync(await admin.PostAsJsonAsync("/api/v1/users", new { email = tooMany, name = "招待 次郎", department = "総務課", roles = new[] { "staff" } }));
        var users = await admin.GetFromJsonAsync<List<Access.UserSummary>>("/api/v1/users", Json);
        Assert.DoesNotContain(users!, u => u.Email == tooMany);

        var someone = users!.First(u => !u.Enrolled);
        await AssertRateLimitedAsync(await admin.PostAsync($"/api/v1/users/{someone.Id}/invite", null));
    }

    [Fact]
    public async Task TheSignInPage_SaysSoInJapanese_WhenTheAccountIsLimited()
    {
        var email = Unique("page");
        for (var i = 0; i < PerAccount; i++)
        {
            await From().PostAsJsonAsync("/api/v1/auth/password", new { email, password = "x" });
        }

        var client = From();
        var page = await client.GetStringAsync("/signin");
        var posted = await client.PostAsync("/signin", Form(page, "password", ("email", email), ("password", "x")));
        Assert.Equal(HttpStatusCode.TooManyRequests, posted.StatusCode);
        Assert.NotNull(posted.Headers.RetryAfter?.Delta);
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Equal("text/html", posted.Content.Headers.ContentType?.MediaType);
        Assert.Contains("短い時間に多くの操作が行われました", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePages_SayItInJapanese_WhenTheAddressIsLimited()
    {
        var client = From();
        var page = await client.GetStringAsync("/signin");
        for (var i = 0; i < PerAddress; i++)
        {
            var r = await client.PostAsync("/signin", Form(page, "password", ("email", Unique("pg")), ("password", "x")));
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        }

        // Showing the page is not counted; posting it once more is refused, with a page a person can read.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode);
        var limited = await client.PostAsync("/signin", Form(page, "password", ("email", Unique("pg")), ("password", "x")));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains("短い時間に多くの操作が行われました", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    public void AnIpv6Client_IsCountedByItsSlash64_AndAMappedIpv4AsIpv4(string a, string b, bool same) =>
        Assert.Equal(same, Access.RateLimits.AddressKey(IPAddress.Parse(a)) == Access.RateLimits.AddressKey(IPAddress.Parse(b)));

    [Fact]
    public async Task OneIpv6Client_CannotRotateAddressesWithinItsSlash64()
    {
        for (var i = 1; i <= PerAddress; i++)
        {
            var r = await From($"2001:db8:77:1::{i:x}").PostAsJsonAsync("/api/v1/auth/password", new { email = Unique("v6"), password = "x" });
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        await AssertRateLimitedAsync(await From("2001:db8:77:1::ffff").PostAsJsonAsync("/api/v1/auth/password", new { email = Unique("v6"), password = "x" }));
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await From("2001:db8:77:2::1").PostAsJsonAsync("/api/v1/auth/password", new { email = Unique("v6"), password = "x" })).StatusCode);
    }

    public static FormUrlEncodedContent Form(string page, string handler, params (string Name, string Value)[] fields)
    {
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var values = new Dictionary<string, string> { ["_handler"] = handler, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) };
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return new FormUrlEncodedContent(values);
    }
}
