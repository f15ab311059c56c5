using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>
/// Passkeys end to end over HTTP with a browser-free authenticator: registration, username-less sign-in, every
/// refused ceremony (each with its code and an audit entry, and nothing changed), limits, re-authentication,
/// object-level checks, and an administrator's lost-factor recovery.
/// </summary>
public class PasskeyTests(PasskeyTests.App app) : IClassFixture<PasskeyTests.App>
{
    public sealed class App : TestApp;

    private const string Password = "しずかな朝に川沿いを歩く2026";

    private static string NewEmail(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";

    /// <summary>An enrolled person whose client is signed in (enrolment signs in) — a fresh sign-in.</summary>
    private async Task<(HttpClient Client, string UserId, string Secret, long Step)> PersonAsync(string email, params string[] roles)
    {
        var client = app.NewClient();
        var (secret, step) = await TestApp.EnrolAsync(client, await app.InviteAsync(email, "鍵 花子", AccountKind.Staff, roles), Password);
        var me = (await client.GetFromJsonAsync<MeResponse>("/api/v1/me"))!;
        return (client, me.Id, secret, step);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage r)
    {
        // Buffered, so a test can read the code and then the rest of the same answer.
        await r.Content.LoadIntoBufferAsync();
        return JsonSerializer.Deserialize<JsonElement>(await r.Content.ReadAsStringAsync());
    }

    private static async Task<string?> CodeOf(HttpResponseMessage r)
    {
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return (await JsonOf(r)).GetProperty("code").GetString();
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> RegisterAsync(HttpClient client, FakeAuthenticator authenticator, string name, FakeAuthenticator.Tweaks? tweaks = null)
    {
        var options = await client.PostAsync("/api/v1/me/passkeys/options", null);
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        var credential = authenticator.Register(await JsonOf(options), tweaks);
        return await client.PostAsync("/api/v1/me/passkeys", Json(new JsonObject { ["name"] = name, ["credential"] = credential }));
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, FakeAuthenticator authenticator, FakeAuthenticator.Tweaks? tweaks = null)
    {
        var options = await client.PostAsync("/api/v1/auth/passkey/options", null);
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        return await client.PostAsync("/api/v1/auth/passkey", Json(authenticator.Assert(await JsonOf(options), tweaks)));
    }

    private Task<List<AuditEntry>> AuditAsync(string @event) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Event == @event).OrderBy(e => e.Sequence).ToListAsync());

    private static Dictionary<string, string?> DetailsOf(AuditEntry e) => JsonSerializer.Deserialize<Dictionary<string, string?>>(e.Details)!;

    private async Task<long> LastSequenceAsync() =>
        await app.WithScopeAsync(async sp => await sp.GetRequiredService<AppDbContext>().AuditEntries.MaxAsync(e => (long?)e.Sequence) ?? 0);

    /// <summary>The audit entries of one event written after <paramref name="since"/>.</summary>
    private async Task<List<AuditEntry>> AuditSinceAsync(string @event, long since) => (await AuditAsync(@event)).Where(e => e.Sequence > since).ToList();

    private static async Task<List<PasskeyDto>> ListAsync(HttpClient client) => (await client.GetFromJsonAsync<List<PasskeyDto>>("/api/v1/me/passkeys"))!;

    [Fact]
    public async Task APerson_RegistersAPasskey_SignsInWithItAlone_AndUsesTheSession()
    {
        var email = NewEmail("pk");
        var (client, userId, _, _) = await PersonAsync(email);
        using var authenticator = new FakeAuthenticator();

        var registered = await RegisterAsync(client, authenticator, "事務所のパソコン");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var dto = (await registered.Content.ReadFromJsonAsync<PasskeyDto>())!;
        Assert.Equal("事務所のパソコン", dto.Name);
        var listed = Assert.Single(await ListAsync(client));
        Assert.Equal(dto.Id, listed.Id);
        Assert.True(listed.BackedUp);
        Assert.Null(listed.LastUsedAt);

        // Audited with the credential id's hash and the AAGUID, never the credential id or key itself.
        var entry = (await AuditAsync("passkey.registered")).Single(e => e.SubjectId == userId);
        var details = DetailsOf(entry);
        Assert.Equal(dto.Id, details["credential"]);
        Assert.Equal(authenticator.Aaguid.ToString(), details["aaguid"]);
        Assert.DoesNotContain(authenticator.CredentialIdBase64Url, entry.Details, StringComparison.Ordinal);

        // A fresh browser: no user name, only the passkey; the session is complete (no authenticator code step).
        var browser = app.NewClient();
        var signedIn = await SignInAsync(browser, authenticator);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("done", (await JsonOf(signedIn)).GetProperty("next").GetString());
        var me = (await browser.GetFromJsonAsync<MeResponse>("/api/v1/me"))!;
        Assert.Equal(email, me.Email);
        var session = (await browser.GetFromJsonAsync<List<Sessions.SessionDto>>("/api/v1/me/sessions"))!.Single(s => s.Current);
        Assert.Equal("passkey", session.AuthMethod);

        var signin = (await AuditAsync("auth.signin")).Last(e => e.ActorId == userId);
        Assert.Equal("passkey", DetailsOf(signin)["method"]);
        Assert.Equal(dto.Id, DetailsOf(signin)["credential"]);
        Assert.NotNull(Assert.Single(await ListAsync(browser)).LastUsedAt);
    }

    [Fact]
    public async Task ForgedOrWrongAssertions_AreRefused_Audited_AndChangeNothing()
    {
        var (client, userId, _, _) = await PersonAsync(NewEmail("forge"));
        using var authenticator = new FakeAuthenticator { Counter = 5 };
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, authenticator, "鍵")).StatusCode);
        authenticator.Counter = 6;

        var cases = new (string Reason, FakeAuthenticator.Tweaks Tweaks)[]
        {
            ("signature", new() { BogusSignature = true }),
            ("user_not_verified", new() { UserVerified = false }),
            ("origin", new() { Origin = "http://evil.example" }),
            ("origin", new() { Origin = "http://localhost:8443" }),
            ("rp_id", new() { RpId = "evil.example" }),
            ("challenge", new() { Challenge = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }),
        };
        foreach (var (reason, tweaks) in cases)
        {
            var since = await LastSequenceAsync();
            var browser = app.NewClient();
            var r = await SignInAsync(browser, authenticator, tweaks);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("passkey.failed", await CodeOf(r));
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
            var failed = Assert.Single(await AuditSinceAsync("passkey.assertion_failed", since));
            Assert.Equal(reason, DetailsOf(failed)["reason"]);
            Assert.Equal(userId, failed.SubjectId);
            Assert.Empty(await AuditSinceAsync("auth.signin", since));
        }

        // Malformed JSON, and an unknown credential.
        foreach (var (body, reason) in new[] { ("{not json", "malformed"), ("[1,2]", "malformed"), ("", "malformed") })
        {
            var since = await LastSequenceAsync();
            var browser = app.NewClient();
            await browser.PostAsync("/api/v1/auth/passkey/options", null);
            var r = await browser.PostAsync("/api/v1/auth/passkey", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("passkey.failed", await CodeOf(r));
            Assert.Equal(reason, DetailsOf(Assert.Single(await AuditSinceAsync("passkey.assertion_failed", since)))["reason"]);
        }

        using var stranger = new FakeAuthenticator();
        var mark = await LastSequenceAsync();
        Assert.Equal("passkey.failed", await CodeOf(await SignInAsync(app.NewClient(), stranger)));
        Assert.Equal("unknown_credential", DetailsOf(Assert.Single(await AuditSinceAsync("passkey.assertion_failed", mark)))["reason"]);

        // Nothing changed: the passkey was never used, and the counter still accepts the next value.
        Assert.Null(Assert.Single(await ListAsync(client)).LastUsedAt);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app.NewClient(), authenticator)).StatusCode);
        // A counter that goes backwards (a cloned authenticator) is refused.
        authenticator.Counter = 2;
        mark = await LastSequenceAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(app.NewClient(), authenticator)).StatusCode);
        Assert.Equal("sign_count", DetailsOf(Assert.Single(await AuditSinceAsync("passkey.assertion_failed", mark)))["reason"]);
    }

    [Fact]
    public async Task AReplayedCeremony_IsRefused_EvenWithItsCookie()
    {
        var (client, _, _, _) = await PersonAsync(NewEmail("replay"));
        using var authenticator = new FakeAuthenticator();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, authenticator, "鍵")).StatusCode);

        // An attacker who captured the ceremony cookie and the response sends both again.
        var raw = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var options = await raw.PostAsync("/api/v1/auth/passkey/options", null);
        var cookie = options.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dokodemo.2fa=", StringComparison.Ordinal)).Split(';')[0];
        var body = authenticator.Assert(await JsonOf(options)).ToJsonString();
        HttpRequestMessage Post()
        {
            var m = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/passkey") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            m.Headers.Add("Cookie", cookie);
            return m;
        }

        Assert.Equal(HttpStatusCode.OK, (await raw.SendAsync(Post())).StatusCode);
        var since = await LastSequenceAsync();
        var replay = await raw.SendAsync(Post());
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("passkey.failed", await CodeOf(replay));
        Assert.Equal("replayed", DetailsOf(Assert.Single(await AuditSinceAsync("passkey.assertion_failed", since)))["reason"]);
        Assert.Empty(await AuditSinceAsync("auth.signin", since));

        // The same response from a browser that no longer holds the ceremony.
        since = await LastSequenceAsync();
        var again = await raw.PostAsync("/api/v1/auth/passkey", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal("passkey.failed", await CodeOf(again));
        Assert.Equal("no_ceremony", DetailsOf(Assert.Single(await AuditSinceAsync("passkey.assertion_failed", since)))["reason"]);
    }

    [Fact]
    public async Task AnExpiredChallenge_IsRefused()
    {
        var (client, _, _, _) = await PersonAsync(NewEmail("expire"));
        using var authenticator = new FakeAuthenticator();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, authenticator, "鍵")).StatusCode);

        var browser = app.NewClient();
        var options = await JsonOf(await browser.PostAsync("/api/v1/auth/passkey/options", null));
        var since = await LastSequenceAsync();
        app.Clock.Offset += TimeSpan.FromMinutes(6);
        try
        {
            var r = await browser.PostAsync("/api/v1/auth/passkey", Json(authenticator.Assert(options)));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("passkey.failed", await CodeOf(r));
            Assert.Equal("expired", DetailsOf(Assert.Single(await AuditSinceAsync("passkey.assertion_failed", since)))["reason"]);
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
        }
        finally
        {
            app.Clock.Offset -= TimeSpan.FromMinutes(6);
        }
    }

    [Fact]
    public async Task UsernameLessOptions_DoNotDependOnAnyone()
    {
        var (client, _, _, _) = await PersonAsync(NewEmail("opts"));
        using var authenticator = new FakeAuthenticator();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, authenticator, "鍵")).StatusCode);

        // Asked by a stranger and by the signed-in owner of a passkey: the same fields, no credential list, no person.
        var fromStranger = await JsonOf(await app.NewClient().PostAsync("/api/v1/auth/passkey/options", null));
        var fromOwner = await JsonOf(await client.PostAsync("/api/v1/auth/passkey/options", null));
        foreach (var o in new[] { fromStranger, fromOwner })
        {
            Assert.Equal(["challenge", "rpId", "timeout", "userVerification"],
                o.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() > 0).Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("localhost", o.GetProperty("rpId").GetString());
            Assert.Equal("required", o.GetProperty("userVerification").GetString());
            Assert.True(Convert.FromBase64String(Base64(o.GetProperty("challenge").GetString()!)).Length >= 16);
        }

        Assert.NotEqual(fromStranger.GetProperty("challenge").GetString(), fromOwner.GetProperty("challenge").GetString());
        Assert.DoesNotContain(authenticator.CredentialIdBase64Url, fromOwner.GetRawText(), StringComparison.Ordinal);

        // Registration options ask for a discoverable credential with user verification, for this relying party only.
        var creation = await JsonOf(await client.PostAsync("/api/v1/me/passkeys/options", null));
        Assert.Equal("localhost", creation.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("required", creation.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
        Assert.Equal("required", creation.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString());
        Assert.Equal(authenticator.CredentialIdBase64Url, creation.GetProperty("excludeCredentials")[0].GetProperty("id").GetString());
    }

    private static string Base64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }

    [Fact]
    public async Task Registration_RefusesBadNames_AnEleventhPasskey_AndForgedAttestations()
    {
        var (client, userId, _, _) = await PersonAsync(NewEmail("limit"));

        // A 51-character name (and no name): refused, nothing stored, nothing used up.
        foreach (var name in new[] { new string('あ', 51), "  " })
        {
            using var a = new FakeAuthenticator();
            var r = await RegisterAsync(client, a, name);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("passkey.name_invalid", await CodeOf(r));
            Assert.Equal("name", (await JsonOf(r)).GetProperty("field").GetString());
        }

        Assert.Empty(await ListAsync(client));

        // Forged registrations.
        foreach (var (reason, tweaks) in new (string, FakeAuthenticator.Tweaks)[]
        {
            ("user_not_verified", new() { UserVerified = false }),
            ("origin", new() { Origin = "https://evil.example" }),
            ("rp_id", new() { RpId = "evil.example" }),
        })
        {
            using var a = new FakeAuthenticator();
            var since = await LastSequenceAsync();
            var r = await RegisterAsync(client, a, "偽物", tweaks);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("passkey.registration_failed", await CodeOf(r));
            var failed = Assert.Single(await AuditSinceAsync("passkey.attestation_failed", since));
            Assert.Equal(reason, DetailsOf(failed)["reason"]);
            Assert.Equal(userId, failed.SubjectId);
        }

        await client.PostAsync("/api/v1/me/passkeys/options", null);
        var mark = await LastSequenceAsync();
        var malformed = await client.PostAsync("/api/v1/me/passkeys", new StringContent("{\"name\": \"x\", \"credential\": ", Encoding.UTF8, "application/json"));
        Assert.Equal("passkey.registration_failed", await CodeOf(malformed));
        Assert.Equal("malformed", DetailsOf(Assert.Single(await AuditSinceAsync("passkey.attestation_failed", mark)))["reason"]);
        Assert.Empty(await ListAsync(client));

        // Ten are allowed (a 50-character name is fine), the eleventh is not.
        for (var i = 0; i < 10; i++)
        {
            using var a = new FakeAuthenticator();
            var r = await RegisterAsync(client, a, i == 0 ? new string('鍵', 50) : $"鍵{i}");
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }

        var eleventh = await client.PostAsync("/api/v1/me/passkeys/options", null);
        Assert.Equal(HttpStatusCode.Conflict, eleventh.StatusCode);
        Assert.Equal("passkey.limit", await CodeOf(eleventh));
        Assert.Equal(10, (await JsonOf(eleventh)).GetProperty("max").GetInt32());
        Assert.Equal(10, (await ListAsync(client)).Count);
    }

    [Fact]
    public async Task AddingOrRemoving_NeedsARecentSignIn_AndOnlyTouchesOnesOwnPasskeys()
    {
        var email = NewEmail("recent");
        var (client, userId, secret, _) = await PersonAsync(email);
        using var authenticator = new FakeAuthenticator();
        var id = (await (await RegisterAsync(client, authenticator, "鍵")).Content.ReadFromJsonAsync<PasskeyDto>())!.Id;

        // Someone else cannot rename or remove it; it looks unknown to them.
        var (other, _, _, _) = await PersonAsync(NewEmail("other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/me/passkeys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PatchAsJsonAsync($"/api/v1/me/passkeys/{id}", new { name = "乗っ取り" })).StatusCode);
        Assert.Equal("鍵", Assert.Single(await ListAsync(client)).Name);

        // Renaming needs no re-authentication; a bad name is refused.
        var renamed = await client.PatchAsJsonAsync($"/api/v1/me/passkeys/{id}", new { name = "自宅のスマートフォン" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("自宅のスマートフォン", Assert.Single(await ListAsync(client)).Name);
        Assert.Equal("passkey.name_invalid", await CodeOf(await client.PatchAsJsonAsync($"/api/v1/me/passkeys/{id}", new { name = new string('x', 51) })));

        // Eleven minutes after signing in: adding and removing say "sign in again".
        app.Clock.Offset += TimeSpan.FromMinutes(11);
        try
        {
            var options = await client.PostAsync("/api/v1/me/passkeys/options", null);
            Assert.Equal(HttpStatusCode.Forbidden, options.StatusCode);
            Assert.Equal("auth.recent_sign_in_required", await CodeOf(options));
            var remove = await client.DeleteAsync($"/api/v1/me/passkeys/{id}");
            Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
            Assert.Equal("auth.recent_sign_in_required", await CodeOf(remove));
            Assert.Single(await ListAsync(client));

            // Signing in again (password and a fresh code) makes it possible.
            var again = app.NewClient();
            Assert.Equal(HttpStatusCode.OK, (await again.PostAsJsonAsync("/api/v1/auth/password", new { email, password = Password })).StatusCode);
            var code = TestApp.Code(secret, Totp.StepAt(app.Clock.GetUtcNow()));
            Assert.Equal(HttpStatusCode.OK, (await again.PostAsJsonAsync("/api/v1/auth/totp", new { code })).StatusCode);
            var since = await LastSequenceAsync();
            Assert.Equal(HttpStatusCode.NoContent, (await again.DeleteAsync($"/api/v1/me/passkeys/{id}")).StatusCode);
            var removed = Assert.Single(await AuditSinceAsync("passkey.removed", since));
            Assert.Equal(id, DetailsOf(removed)["credential"]);
            Assert.Equal(authenticator.Aaguid.ToString(), DetailsOf(removed)["aaguid"]);
            Assert.Equal(userId, removed.SubjectId);
            Assert.Empty(await ListAsync(again));
        }
        finally
        {
            app.Clock.Offset -= TimeSpan.FromMinutes(11);
        }

        // A removed passkey signs no one in.
        var mark = await LastSequenceAsync();
        Assert.Equal("passkey.failed", await CodeOf(await SignInAsync(app.NewClient(), authenticator)));
        Assert.Equal("unknown_credential", DetailsOf(Assert.Single(await AuditSinceAsync("passkey.assertion_failed", mark)))["reason"]);
    }

    [Fact]
    public async Task ADisabledAccount_CannotSignInWithItsPasskey()
    {
        var (client, userId, _, _) = await PersonAsync(NewEmail("disabled"));
        using var authenticator = new FakeAuthenticator();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(client, authenticator, "鍵")).StatusCode);
        await app.WithScopeAsync(async sp => (await sp.GetRequiredService<UserAdmin>().DisableAsync(userId, null)).Ok);

        var since = await LastSequenceAsync();
        var browser = app.NewClient();
        var r = await SignInAsync(browser, authenticator);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("auth.failed", await CodeOf(r));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
        var failed = Assert.Single(await AuditSinceAsync("passkey.assertion_failed", since));
        Assert.Equal("not_allowed", DetailsOf(failed)["reason"]);
        Assert.Equal(userId, failed.SubjectId);
    }

    [Fact]
    public async Task AnAdministrator_RecoversALostFactor_WithoutBypassingMfa()
    {
        var email = NewEmail("lost");
        var (person, userId, secret, step) = await PersonAsync(email);
        using var authenticator = new FakeAuthenticator();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(person, authenticator, "なくしたスマホ")).StatusCode);
        var codes = await app.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<AppUserManager>();
            return (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(userId))!, 2))!.ToList();
        });

        var (admin, adminId, _, _) = await PersonAsync(NewEmail("admin"), Roles.Staff, Roles.Admin);

        // Not for ordinary staff, not without a note, not for oneself.
        Assert.Equal(HttpStatusCode.Forbidden, (await person.PostAsJsonAsync($"/api/v1/users/{userId}/recover", new { note = "x" })).StatusCode);
        var noNote = await admin.PostAsJsonAsync($"/api/v1/users/{userId}/recover", new { note = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.Equal("recovery.note_required", await CodeOf(noNote));
        Assert.Equal("recovery.self", await CodeOf(await admin.PostAsJsonAsync($"/api/v1/users/{adminId}/recover", new { note = "自分" })));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/users/nobody/recover", new { note = "x" })).StatusCode);

        // Someone has been guessing the password: the account is locked.
        for (var i = 0; i < 5; i++)
        {
            await app.NewClient().PostAsJsonAsync("/api/v1/auth/password", new { email, password = "まちがいのパスワード" + i });
        }

        Assert.True(await app.WithScopeAsync(async sp => await sp.GetRequiredService<AppUserManager>().IsLockedOutAsync((await sp.GetRequiredService<AppUserManager>().FindByIdAsync(userId))!)));

        // A lockout from password guesses does not block the passkey: the person signs in on their phone.
        var phone = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(phone, authenticator)).StatusCode);

        var recovered = await admin.PostAsJsonAsync($"/api/v1/users/{userId}/recover", new { note = "庁舎で職員証を確認" });
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        var outcome = await JsonOf(recovered);
        Assert.Equal(1, outcome.GetProperty("passkeysRemoved").GetInt32());
        Assert.True(outcome.GetProperty("sessionsEnded").GetInt32() >= 1);
        var url = outcome.GetProperty("invite").GetProperty("url").GetString()!;
        Assert.Contains("/enroll/", url, StringComparison.Ordinal);

        var entry = (await AuditAsync("account.recovered")).Single(e => e.SubjectId == userId);
        Assert.Equal(adminId, entry.ActorId);
        Assert.Equal("庁舎で職員証を確認", DetailsOf(entry)["note"]);

        // Every old factor and session is dead.
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal("passkey.failed", await CodeOf(await SignInAsync(app.NewClient(), authenticator)));
        var withPassword = app.NewClient();
        Assert.Equal("auth.failed", await CodeOf(await withPassword.PostAsJsonAsync("/api/v1/auth/password", new { email, password = Password })));
        Assert.Equal(0, await app.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<AppUserManager>();
            var u = (await users.FindByIdAsync(userId))!;
            Assert.False(u.TwoFactorEnabled);
            Assert.NotEqual(secret, (await users.GetAuthenticatorKeyAsync(u))?.Replace(" ", "", StringComparison.Ordinal));
            Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(u, codes[0])).Succeeded);
            return await users.CountRecoveryCodesAsync(u);
        }));
        // The old authenticator app's codes no longer match the key.
        Assert.False(await app.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<AppUserManager>();
            return await users.VerifyTwoFactorTokenAsync((await users.FindByIdAsync(userId))!, TotpTokenProvider.ProviderName, TestApp.Code(secret, step + 1));
        }));

        // The fresh invite re-enrols the already-enrolled person, and they are in again (password and new code).
        var token = url[(url.LastIndexOf('/') + 1)..];
        var back = app.NewClient();
        var (newSecret, newStep) = await TestApp.EnrolAsync(back, token, "あたらしい合言葉で川沿いを歩く");
        Assert.NotEqual(secret, newSecret);
        Assert.Equal(email, (await back.GetFromJsonAsync<MeResponse>("/api/v1/me"))!.Email);
        // The lockout went with the old factors: the new password and code sign in.
        var later = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await later.PostAsJsonAsync("/api/v1/auth/password", new { email, password = "あたらしい合言葉で川沿いを歩く" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await later.PostAsJsonAsync("/api/v1/auth/totp", new { code = TestApp.Code(newSecret, newStep + 1) })).StatusCode);
    }

    [Fact]
    public async Task ThePages_OfferPasskeys_AndTheAccountPageRemovesOne()
    {
        var signin = await app.NewClient().GetStringAsync("/signin");
        Assert.Contains("id=\"passkey-signin\"", signin, StringComparison.Ordinal);
        Assert.Matches("<script type=\"module\" src=\"/js/passkey[^\"]*\\.js\"", signin);
        Assert.DoesNotContain("<script>", signin, StringComparison.Ordinal);

        var (client, _, _, _) = await PersonAsync(NewEmail("page"));
        using var authenticator = new FakeAuthenticator();
        var id = (await (await RegisterAsync(client, authenticator, "窓口の端末")).Content.ReadFromJsonAsync<PasskeyDto>())!.Id;
        var page = await client.GetStringAsync("/account");
        Assert.Contains("窓口の端末", page, StringComparison.Ordinal);
        Assert.Contains("id=\"passkey-register\"", page, StringComparison.Ordinal);
        var script = await app.NewClient().GetAsync(System.Text.RegularExpressions.Regex.Match(page, "src=\"(/js/passkey[^\"]*)\"").Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("navigator.credentials.create", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var renamed = await client.PostAsync("/account", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "passkey-rename", ["__RequestVerificationToken"] = token, ["passkey"] = id, ["name"] = "受付の端末",
        }));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("受付の端末", Assert.Single(await ListAsync(client)).Name);

        var removed = await client.PostAsync("/account", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "passkeys", ["__RequestVerificationToken"] = token, ["remove"] = id,
        }));
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Contains("パスキーを削除しました", await removed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await ListAsync(client));
    }

    [Fact]
    public async Task AnAdministrator_RecoversFromTheUsersPage()
    {
        var (_, userId, _, _) = await PersonAsync(NewEmail("pagelost"));
        var (admin, _, _, _) = await PersonAsync(NewEmail("pageadmin"), Roles.Staff, Roles.Admin);
        var page = await admin.GetStringAsync($"/admin/users?recover={userId}");
        Assert.Contains("id=\"recover-note\"", page, StringComparison.Ordinal);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        var empty = await admin.PostAsync("/admin/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "recover", ["__RequestVerificationToken"] = token, ["recoverId"] = userId, ["note"] = "",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.DoesNotContain(await AuditAsync("account.recovered"), e => e.SubjectId == userId);

        var done = await admin.PostAsync("/admin/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "recover", ["__RequestVerificationToken"] = token, ["recoverId"] = userId, ["note"] = "窓口で運転免許証を確認",
        }));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Matches("id=\"recovery-link\">http://localhost/enroll/", await done.Content.ReadAsStringAsync());
        Assert.Equal("窓口で運転免許証を確認", DetailsOf((await AuditAsync("account.recovered")).Single(e => e.SubjectId == userId))["note"]);
    }

    [Fact]
    public void EveryPasskeyAndRecoveryError_HasASentence()
    {
        foreach (var e in PasskeyErrors.All.Concat(Recovery.AllErrors))
        {
            Assert.True(Dokodemo.Shared.Text.All.ContainsKey("error." + e.Code), e.Code);
        }
    }

    [Theory]
    [InlineData("http://localhost", null, "localhost", "http://localhost")]
    [InlineData("https://town.example.jp", null, "town.example.jp", "https://town.example.jp")]
    [InlineData("https://town.example.jp:8443/app", "Example.JP", "example.jp", "https://town.example.jp:8443")]
    public void TheRelyingPartyAndOrigin_AreFixedFromConfiguration(string publicUrl, string? serverDomain, string rpId, string origin)
    {
        var settings = PasskeySetup.Read(Config(serverDomain), new Hosting.DokodemoOptions { PublicUrl = publicUrl });
        Assert.Equal(rpId, settings.ServerDomain);
        Assert.Equal(origin, settings.Origin);
        Assert.True(PasskeySetup.SameOrigin(origin, settings.Origin));
        Assert.False(PasskeySetup.SameOrigin(origin + ".evil.example", settings.Origin));
        Assert.False(PasskeySetup.SameOrigin(origin.Replace("http", "ftp", StringComparison.Ordinal), settings.Origin));
    }

    [Theory]
    [InlineData("evil.example", null)]
    [InlineData("ample.jp", null)]
    [InlineData("town.example.jp/x", null)]
    [InlineData(null, "0")]
    [InlineData(null, "many")]
    public void ABadPasskeyConfiguration_StopsTheStartWithOneSentence(string? serverDomain, string? max)
    {
        var ex = Assert.Throws<Hosting.StartupException>(() =>
            PasskeySetup.Read(Config(serverDomain, max), new Hosting.DokodemoOptions { PublicUrl = "https://town.example.jp" }));
        Assert.Contains("Dokodemo:Passkeys:", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    private static IConfiguration Config(string? serverDomain, string? max = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dokodemo:Passkeys:ServerDomain"] = serverDomain,
            ["Dokodemo:Passkeys:MaxPerPerson"] = max,
        }.Where(kv => kv.Value is not null)).Build();
}
