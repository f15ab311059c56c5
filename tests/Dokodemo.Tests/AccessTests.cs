using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>
/// The decision point enforced over HTTP: an authorization matrix, devices, place and country (R24–R26), labels (R50),
/// the policy with its preview and lockout guard, the "could this person…" check, and revocation (R20).
/// </summary>
public class AccessTests(AccessTests.App app) : IClassFixture<AccessTests.App>
{
    public sealed class App() : TestApp("Demo", seed: false, extra: new()
    {
        ["Dokodemo__Access__TownNetworks__0"] = "127.0.0.0/8",
        ["Dokodemo__Access__TrustedProxies__0"] = "10.9.9.9",
        ["Dokodemo__Access__CountryHeader"] = "X-Client-Country",
    });

    private const string Password = "correct horse battery staple";
    private const string Internet = "203.0.113.50";

    private async Task<(HttpClient Client, string Id, string Secret)> PersonAsync(AccountKind kind = AccountKind.Staff, string? from = null, params string[] roles)
    {
        var email = $"p-{Guid.NewGuid():N}"[..14] + "@example.jp";
        var token = await app.InviteAsync(email, "試験 太郎", kind, roles.Length == 0 ? [Roles.Staff] : roles);
        var client = app.NewClient();
        if (from is not null)
        {
            client.DefaultRequestHeaders.Add(TestApp.RemoteIpHeader, from);
        }

        var (secret, _) = await TestApp.EnrolAsync(client, token, Password);
        var id = await app.WithScopeAsync(async sp => (await sp.GetRequiredService<AppUserManager>().FindByEmailAsync(email))!.Id);
        return (client, id, secret);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage r) => await r.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Matrix_StaffPartnerAdministrator()
    {
        var (staff, _, _) = await PersonAsync();
        var (partner, _, _) = await PersonAsync(AccountKind.Partner, roles: []);
        var (admin, _, _) = await PersonAsync(roles: [Roles.Staff, Roles.Admin]);

        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/directory/people")).StatusCode);
        var refused = await partner.GetAsync("/api/v1/directory/people");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await ProblemAsync(refused);
        Assert.Equal("access.denied", problem.GetProperty("code").GetString());
        Assert.Equal("NoRule", problem.GetProperty("reason").GetString());
        Assert.Equal("ContactAdministrator", problem.GetProperty("remedy").GetString());
        Assert.Equal(1, problem.GetProperty("policyVersion").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.PostAsJsonAsync("/api/v1/users", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/access/policy")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/access/policy")).StatusCode);

        // A refused page explains itself.
        var page = await partner.GetAsync("/people");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var location = page.Headers.Location!.OriginalString;
        Assert.StartsWith("/denied?reason=NoRule&remedy=ContactAdministrator", location, StringComparison.Ordinal);
        var denied = await partner.GetAsync(location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("権限がありません", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The refusal is in the audit log with the decision.
        var entries = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking().Where(e => e.Event == "access.denied").ToListAsync());
        var denial = Assert.Single(entries, e => e.Details.Contains("\"resource\":\"directory\"", StringComparison.Ordinal) && e.Details.Contains("\"reason\":\"NoRule\"", StringComparison.Ordinal)
            && e.Details.Contains("\"path\":\"/api/v1/directory/people\"", StringComparison.Ordinal));
        Assert.Equal(("deny", 1, "town", "JP"), (denial.Decision, denial.PolicyVersion, denial.NetworkZone, denial.Country));
        Assert.False(string.IsNullOrEmpty(denial.DeviceId));
    }

    [Fact]
    public async Task Administration_NeedsTheTownNetwork_OrAManagedDevice()
    {
        var (remote, remoteId, _) = await PersonAsync(from: Internet, roles: [Roles.Staff, Roles.Admin, Roles.SecurityAdmin]);
        var r = await remote.GetAsync("/api/v1/users");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        var problem = await ProblemAsync(r);
        Assert.Equal("Network", problem.GetProperty("reason").GetString());
        Assert.Equal("UseTownNetworkOrManagedDevice", problem.GetProperty("remedy").GetString());
        Assert.Contains("庁舎のネットワーク", problem.GetProperty("remedyText").GetString(), StringComparison.Ordinal);

        // The security admin, from the town hall, marks the remote person's device as town-issued.
        var (office, _, _) = await PersonAsync(roles: [Roles.Staff, Roles.SecurityAdmin]);
        var devices = await office.GetFromJsonAsync<JsonElement>("/api/v1/devices");
        var deviceId = devices.EnumerateArray().First(d => d.GetProperty("userId").GetString() == remoteId).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await office.PutAsJsonAsync($"/api/v1/devices/{deviceId}/managed", new { managed = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("/api/v1/users")).StatusCode);
    }

    [Fact]
    public async Task Devices_AreListed_Registered_Renamed_AndRemovingOneEndsItsSessions()
    {
        var (client, _, _) = await PersonAsync();
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/me/devices");
        var mine = Assert.Single(list.EnumerateArray());
        Assert.True(mine.GetProperty("current").GetBoolean());
        Assert.Equal("Unknown", mine.GetProperty("trust").GetString());
        var id = mine.GetProperty("id").GetGuid();

        // Only the name can be changed by its owner; a trust field in the body is ignored (R28).
        Assert.Equal(HttpStatusCode.NoContent, (await client.PatchAsJsonAsync($"/api/v1/me/devices/{id}", new { name = "公用ノートPC", trust = "Managed" })).StatusCode);
        var renamed = (await client.GetFromJsonAsync<JsonElement>("/api/v1/me/devices")).EnumerateArray().Single();
        Assert.Equal(("公用ノートPC", "Unknown"), (renamed.GetProperty("name").GetString(), renamed.GetProperty("trust").GetString()));
        var tooLong = await client.PatchAsJsonAsync($"/api/v1/me/devices/{id}", new { name = new string('端', 51) });
        Assert.Equal("device.name_too_long", (await ProblemAsync(tooLong)).GetProperty("code").GetString());

        // Someone else's device answers like an unknown one.
        var (other, _, _) = await PersonAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.PatchAsJsonAsync($"/api/v1/me/devices/{id}", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/me/devices/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/me/devices/current/register", null)).StatusCode);
        Assert.Equal("Registered", (await client.GetFromJsonAsync<JsonElement>("/api/v1/me/devices")).EnumerateArray().Single().GetProperty("trust").GetString());

        var removed = await client.DeleteAsync($"/api/v1/me/devices/{id}");
        Assert.Equal(1, (await removed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ended").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task RegisteringADevice_NeedsARecentSignIn()
    {
        var (client, _, _) = await PersonAsync();
        app.Clock.Offset += TimeSpan.FromMinutes(11);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
            var r = await client.PostAsync("/api/v1/me/devices/current/register", null);
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("auth.recent_sign_in_required", (await ProblemAsync(r)).GetProperty("code").GetString());
        }
        finally
        {
            app.Clock.Offset -= TimeSpan.FromMinutes(11);
        }
    }

    [Fact]
    public async Task Country_IsBelievedOnlyFromTheTrustedProxy_AndAbroadNeedsAnApprovedPeriod()
    {
        var (traveller, travellerId, _) = await PersonAsync(from: Internet);

        // A client claiming to be abroad (or anywhere) is not believed: the header is ignored (R26).
        using (var forged = new HttpRequestMessage(HttpMethod.Get, "/api/v1/directory/people"))
        {
            forged.Headers.Add("X-Client-Country", "FR");
            forged.Headers.Add("X-Forwarded-For", "127.0.0.1");
            Assert.Equal(HttpStatusCode.OK, (await traveller.SendAsync(forged)).StatusCode);
        }

        HttpRequestMessage ViaProxy(string country)
        {
            var m = new HttpRequestMessage(HttpMethod.Get, "/api/v1/directory/people");
            m.Headers.Add(TestApp.RemoteIpHeader, "10.9.9.9");
            m.Headers.Add("X-Forwarded-For", "198.51.100.20");
            m.Headers.Add("X-Client-Country", country);
            return m;
        }

        traveller.DefaultRequestHeaders.Remove(TestApp.RemoteIpHeader);
        var abroad = await traveller.SendAsync(ViaProxy("FR"));
        Assert.Equal(HttpStatusCode.Forbidden, abroad.StatusCode);
        var abroadProblem = await ProblemAsync(abroad);
        Assert.Equal(("Location", "RequestAbroadPeriod"), (abroadProblem.GetProperty("reason").GetString(), abroadProblem.GetProperty("remedy").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await traveller.SendAsync(ViaProxy("JP"))).StatusCode);

        // A period abroad is approved as a telework request by the person's approver (their department's manager).
        var (manager, _, _) = await PersonAsync(roles: [Roles.Staff, Roles.Manager]);
        var (hr, _, _) = await PersonAsync(roles: [Roles.Staff, Roles.Hr]);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        // Starting today needs the town's "days ahead" at 0.
        Assert.Equal(HttpStatusCode.OK, (await hr.PutAsJsonAsync("/api/v1/work/settings", new { eligibleKinds = new[] { "Staff" }, maxDaysPerWeek = 5, minDaysAhead = 0, approvalRequired = true })).StatusCode);
        traveller.DefaultRequestHeaders.Add(TestApp.RemoteIpHeader, Internet);
        var bad = await traveller.PostAsJsonAsync("/api/v1/work/telework/requests", new { kind = "Abroad", country = "France", timeZone = "Europe/Paris", from = today, to = today.AddDays(3), reason = "出張" });
        Assert.Equal("work.place.country_invalid", (await ProblemAsync(bad)).GetProperty("code").GetString());
        var requested = await traveller.PostAsJsonAsync("/api/v1/work/telework/requests", new { kind = "Abroad", country = "fr", timeZone = "Europe/Paris", from = today, to = today.AddDays(3), reason = "パリ視察（海外出張）" });
        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        var requestId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // Pending is not approved.
        traveller.DefaultRequestHeaders.Remove(TestApp.RemoteIpHeader);
        Assert.Equal(HttpStatusCode.Forbidden, (await traveller.SendAsync(ViaProxy("FR"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/v1/work/telework/requests/{requestId}/approve", new { comment = "承認" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await traveller.SendAsync(ViaProxy("FR"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await traveller.SendAsync(ViaProxy("DE"))).StatusCode);

        var (security, _, _) = await PersonAsync(roles: [Roles.Staff, Roles.SecurityAdmin]);
        var periods = await security.GetFromJsonAsync<JsonElement>("/api/v1/access/abroad-periods");
        Assert.Contains(periods.EnumerateArray(), p => p.GetProperty("userId").GetString() == travellerId && p.GetProperty("country").GetString() == "FR");
        // Periods are no longer granted by hand.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await security.PostAsJsonAsync("/api/v1/access/abroad-periods", new { })).StatusCode);
    }

    [Fact]
    public async Task Relabelling_ChangesTheNextDecision()
    {
        var (staff, _, _) = await PersonAsync();
        var (security, _, _) = await PersonAsync(roles: [Roles.Staff, Roles.SecurityAdmin]);
        var before = await staff.GetFromJsonAsync<JsonElement>("/api/v1/directory/people");
        Assert.Contains(before.EnumerateArray(), p => p.GetProperty("department").GetString() == "総務課");

        // One department relabelled 機密性3: its people drop out of the list for a session without a passkey.
        Assert.Equal(HttpStatusCode.OK, (await security.PutAsJsonAsync("/api/v1/access/labels", new { resourceType = "directory", objectId = "SOMU", level = 3 })).StatusCode);
        var after = await staff.GetFromJsonAsync<JsonElement>("/api/v1/directory/people");
        Assert.DoesNotContain(after.EnumerateArray(), p => p.GetProperty("department").GetString() == "総務課");

        // The whole directory relabelled 機密性3: a step-up to a passkey is asked for.
        Assert.Equal(HttpStatusCode.OK, (await security.PutAsJsonAsync("/api/v1/access/labels", new { resourceType = "directory", level = 3, flags = new[] { "PersonalInfo" } })).StatusCode);
        var unknownDevice = await ProblemAsync(await staff.GetAsync("/api/v1/directory/people"));
        Assert.Equal(("access.denied", "DeviceTrust", "RegisterDevice"),
            (unknownDevice.GetProperty("code").GetString(), unknownDevice.GetProperty("reason").GetString(), unknownDevice.GetProperty("remedy").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsync("/api/v1/me/devices/current/register", null)).StatusCode);
        var stepUp = await staff.GetAsync("/api/v1/directory/people");
        Assert.Equal(HttpStatusCode.Forbidden, stepUp.StatusCode);
        var problem = await ProblemAsync(stepUp);
        Assert.Equal(("access.step_up", "AuthStrength", "SignInWithPasskey"),
            (problem.GetProperty("code").GetString(), problem.GetProperty("reason").GetString(), problem.GetProperty("remedy").GetString()));

        Assert.Equal(HttpStatusCode.BadRequest, (await security.PutAsJsonAsync("/api/v1/access/labels", new { resourceType = "diary", level = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await security.DeleteAsync("/api/v1/access/labels/directory")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await security.DeleteAsync("/api/v1/access/labels/directory?objectId=SOMU")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/directory/people")).StatusCode);
    }
}

/// <summary>The policy as data: read, preview who gains or loses, save a new version, refuse a lockout; and the "could…?" check.</summary>
public class PolicyTests(PolicyTests.App app) : IClassFixture<PolicyTests.App>
{
    public sealed class App : TestApp;

    private const string Password = "correct horse battery staple";

    private async Task<(HttpClient Client, string Id)> PersonAsync(AccountKind kind, params string[] roles)
    {
        var email = $"q-{Guid.NewGuid():N}"[..14] + "@example.jp";
        var token = await app.InviteAsync(email, "試験 次郎", kind, roles);
        var client = app.NewClient();
        await TestApp.EnrolAsync(client, token, Password);
        var id = await app.WithScopeAsync(async sp => (await sp.GetRequiredService<AppUserManager>().FindByEmailAsync(email))!.Id);
        return (client, id);
    }

    [Fact]
    public async Task PreviewShowsLosses_SaveMakesANewVersion_AndALockoutIsRefused()
    {
        var (security, _) = await PersonAsync(AccountKind.Staff, Roles.Staff, Roles.SecurityAdmin);
        var (staff, staffId) = await PersonAsync(AccountKind.Staff, Roles.Staff);
        var policy = await security.GetFromJsonAsync<JsonElement>("/api/v1/access/policy");
        var version = policy.GetProperty("version").GetInt32();
        var json = policy.GetProperty("json").GetString()!;
        Assert.Contains(policy.GetProperty("rules").EnumerateArray(), r => r.GetProperty("japanese").GetString()!.Contains("職員名簿", StringComparison.Ordinal));

        // Without the staff-directory rule, staff lose reading the directory.
        var doc = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var rules = doc["rules"]!.AsArray();
        rules.Remove(rules.First(r => r!["id"]!.GetValue<string>() == "allow-staff-directory"));
        var candidate = doc.ToJsonString();
        var preview = await (await security.PostAsJsonAsync("/api/v1/access/policy/preview", new { json = candidate })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(preview.GetProperty("lossCount").GetInt32() > 0);
        Assert.Contains(preview.GetProperty("losses").EnumerateArray(), c => c.GetProperty("userId").GetString() == staffId && c.GetProperty("resource").GetString() == "directory");
        Assert.False(preview.GetProperty("locksOutAdministrators").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/directory/people")).StatusCode);

        // A policy that leaves no administrator able to change it is refused, and nothing changes.
        var lockout = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var lockoutRules = lockout["rules"]!.AsArray();
        lockoutRules.Remove(lockoutRules.First(r => r!["id"]!.GetValue<string>() == "allow-security-admin"));
        var refused = await security.PutAsJsonAsync("/api/v1/access/policy", new { json = lockout.ToJsonString(), basedOn = version, comment = "試験" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("policy.locks_out_admins", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var invalid = await security.PutAsJsonAsync("/api/v1/access/policy", new { json = candidate.Replace("\"allow\"", "\"permit\"", StringComparison.Ordinal), basedOn = version });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("policy.invalid", (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(version, (await security.GetFromJsonAsync<JsonElement>("/api/v1/access/policy")).GetProperty("version").GetInt32());

        var saved = await security.PutAsJsonAsync("/api/v1/access/policy", new { json = candidate, basedOn = version, comment = "名簿は課内のみ" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(version + 1, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        var denied = await staff.GetAsync("/api/v1/directory/people");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(version + 1, (await denied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("policyVersion").GetInt32());

        // Saving on top of an old version is refused (someone else changed it meanwhile).
        var stale = await security.PutAsJsonAsync("/api/v1/access/policy", new { json, basedOn = version });
        Assert.Equal("policy.stale", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // Restoring the first version brings access back; both changes are in the audit trail.
        Assert.Equal(HttpStatusCode.OK, (await security.PutAsJsonAsync("/api/v1/access/policy", new { json, basedOn = version + 1, comment = "元に戻す" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/directory/people")).StatusCode);
        var history = await security.GetFromJsonAsync<JsonElement>("/api/v1/access/policy/versions");
        Assert.Equal(version + 2, history.GetArrayLength());
        var audited = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking().Where(e => e.Event.StartsWith("policy.")).OrderBy(e => e.Sequence).Select(e => e.Event).ToListAsync());
        Assert.Equal(["policy.refused", "policy.changed", "policy.changed"], audited);
    }

    [Fact]
    public async Task TheCheck_SaysWhy_AndThePagesRender()
    {
        var (security, _) = await PersonAsync(AccountKind.Staff, Roles.Staff, Roles.SecurityAdmin);
        var (_, partnerId) = await PersonAsync(AccountKind.Partner);
        var result = await (await security.PostAsJsonAsync("/api/v1/access/check", new
        {
            userId = partnerId, resource = "directory", action = "Read", relation = "None", zone = "Internet", country = "JP",
            deviceTrust = "Registered", strength = "Mfa", authHoursAgo = 1,
        })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Deny", "NoRule"), (result.GetProperty("verdict").GetString(), result.GetProperty("reason").GetString()));
        Assert.Contains(result.GetProperty("trace").EnumerateArray(), t => t.GetProperty("id").GetString() == "allow-staff-directory" && !t.GetProperty("targets").GetBoolean());

        var own = await (await security.PostAsJsonAsync("/api/v1/access/check", new
        {
            userId = partnerId, resource = "directory", action = "Read", relation = "SameDepartment", zone = "Internet", country = "US",
            deviceTrust = "Registered", strength = "Mfa", authHoursAgo = 1,
        })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Deny", "Location", "RequestAbroadPeriod"), (own.GetProperty("verdict").GetString(), own.GetProperty("reason").GetString(), own.GetProperty("remedy").GetString()));

        var unknown = await security.PostAsJsonAsync("/api/v1/access/check", new { userId = "nobody", resource = "directory", action = "Read" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        foreach (var page in new[] { "/admin/policy", "/admin/access-check", $"/admin/access-check?user={partnerId}&resource=directory&action=Read&country=JP",
                     "/admin/labels", "/admin/country-grants", "/admin/devices", "/account/devices" })
        {
            var r = await security.GetAsync(page);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{page}: {(int)r.StatusCode}");
        }

        var check = await security.GetStringAsync($"/admin/access-check?user={partnerId}&resource=directory&action=Read&country=JP");
        Assert.Contains("あなたの区分・役割には", check, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovingARole_OrEndingAContract_TakesEffectAtTheNextRequest()
    {
        var (admin, _) = await PersonAsync(AccountKind.Staff, Roles.Staff, Roles.Admin);
        var (other, otherId) = await PersonAsync(AccountKind.Staff, Roles.Staff, Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/users/{otherId}/roles", new { roles = new[] { "staff" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/users/{otherId}/roles", new { roles = new[] { "wizard" } })).StatusCode);

        var (partner, partnerId) = await PersonAsync(AccountKind.Partner);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/v1/me")).StatusCode);
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).AddDays(-1);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/users/{partnerId}/contract-end", new { contractEnd = yesterday })).StatusCode);
        var ended = await partner.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Forbidden, ended.StatusCode);
        Assert.Equal("ExplicitDeny", (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        // Signing out still works.
        Assert.Equal(HttpStatusCode.NoContent, (await partner.PostAsync("/api/v1/auth/signout", null)).StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK ? HttpStatusCode.NoContent : HttpStatusCode.BadRequest);

        var offboard = await admin.PostAsync($"/api/v1/users/{otherId}/offboard", null);
        Assert.Equal(HttpStatusCode.OK, offboard.StatusCode);
        Assert.Equal(1, (await offboard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("devicesRemoved").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/v1/me")).StatusCode);
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/users/{otherId}");
        Assert.True(detail.GetProperty("disabled").GetBoolean());
        Assert.Equal(0, detail.GetProperty("devices").GetArrayLength());
    }
}
