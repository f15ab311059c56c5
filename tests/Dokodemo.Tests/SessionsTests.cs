using System.Net;
using System.Net.Http.Json;
using Dokodemo.Access;
using Dokodemo.Domain.Accounts;

namespace Dokodemo.Tests;

/// <summary>A person's own sessions (list, end one, end the others) and an administrator's "end all of them".</summary>
public class SessionsTests(SessionsTests.App app) : IClassFixture<SessionsTests.App>
{
    public sealed class App : TestApp;

    private const string Password = "しずかな朝に川沿いを歩く2026";

    /// <summary>Enrols a person and returns the enrolment's signed-in client plus two more clients signed in with recovery codes.</summary>
    private async Task<(HttpClient A, HttpClient B, HttpClient C)> ThreeSessionsAsync(string email)
    {
        var token = await app.InviteAsync(email);
        var a = app.NewClient();
        var set = await a.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = Password });
        var secret = (await set.Content.ReadFromJsonAsync<AuthenticatorResponse>())!.Secret;
        var confirm = await a.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = TestApp.Code(secret, Totp.StepAt(DateTimeOffset.UtcNow)) });
        var codes = (await confirm.Content.ReadFromJsonAsync<RecoveryCodesResponse>())!.RecoveryCodes;
        async Task<HttpClient> Another(string recovery)
        {
            var c = app.NewClient();
            Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync("/api/v1/auth/password", new { email, password = Password })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync("/api/v1/auth/totp", new { code = recovery })).StatusCode);
            return c;
        }

        return (a, await Another(codes[0]), await Another(codes[1]));
    }

    [Fact]
    public async Task APerson_ListsAndEndsTheirOwnSessions()
    {
        var (a, b, c) = await ThreeSessionsAsync("three-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp");
        var list = (await a.GetFromJsonAsync<List<Sessions.SessionDto>>("/api/v1/me/sessions"))!;
        Assert.Equal(3, list.Count);
        var current = Assert.Single(list, s => s.Current);
        Assert.Equal("pwd+totp", current.AuthMethod);

        // End B from A.
        var fromB = (await b.GetFromJsonAsync<List<Sessions.SessionDto>>("/api/v1/me/sessions"))!.Single(s => s.Current).Id;
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/api/v1/me/sessions/{fromB}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/v1/me")).StatusCode);

        // End the others: C goes, A stays.
        var others = await a.PostAsync("/api/v1/me/sessions/end-others", null);
        Assert.Equal(1, (await others.Content.ReadFromJsonAsync<EndedResponse>())!.Ended);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/v1/me")).StatusCode);
        Assert.Single((await a.GetFromJsonAsync<List<Sessions.SessionDto>>("/api/v1/me/sessions"))!);
    }

    [Fact]
    public async Task SomeoneElsesSession_CannotBeEnded_AndLooksUnknown()
    {
        var (a, _, _) = await ThreeSessionsAsync("victim-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp");
        var (x, _, _) = await ThreeSessionsAsync("other-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp");
        var victims = (await a.GetFromJsonAsync<List<Sessions.SessionDto>>("/api/v1/me/sessions"))!;
        foreach (var s in victims)
        {
            var r = await x.DeleteAsync($"/api/v1/me/sessions/{s.Id}");
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await x.DeleteAsync($"/api/v1/me/sessions/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(3, (await a.GetFromJsonAsync<List<Sessions.SessionDto>>("/api/v1/me/sessions"))!.Count);
        // Ending all of a person's sessions is for administrators only.
        var aId = (await a.GetFromJsonAsync<MeResponse>("/api/v1/me"))!.Id;
        Assert.Equal(HttpStatusCode.Forbidden, (await x.PostAsync($"/api/v1/users/{aId}/sessions/end", null)).StatusCode);
    }

    [Fact]
    public async Task AnAdministrator_EndsAllOfAPersonsSessions()
    {
        var (a, b, c) = await ThreeSessionsAsync("target-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp");
        var adminEmail = "admin-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var admin = app.NewClient();
        await TestApp.EnrolAsync(admin, await app.InviteAsync(adminEmail, "管理 太郎", AccountKind.Staff, Roles.Staff, Roles.Admin), Password);
        var id = (await a.GetFromJsonAsync<MeResponse>("/api/v1/me"))!.Id;
        var r = await admin.PostAsync($"/api/v1/users/{id}/sessions/end", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(3, (await r.Content.ReadFromJsonAsync<EndedResponse>())!.Ended);
        foreach (var client in new[] { a, b, c })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/users/nobody/sessions/end", null)).StatusCode);
    }

    [Fact]
    public async Task TheAccountPage_EndsTheOtherSessions()
    {
        var (a, b, _) = await ThreeSessionsAsync("page-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp");
        var page = await a.GetStringAsync("/account");
        Assert.Contains("name=\"end\" value=\"others\"", page, StringComparison.Ordinal);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var posted = await a.PostAsync("/account", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sessions", ["__RequestVerificationToken"] = token, ["end"] = "others",
        }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("2件のセッションを終了しました", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/v1/me")).StatusCode);
    }
}
