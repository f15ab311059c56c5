using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Domain.Accounts;
using static Dokodemo.Tests.AuditTrailHelpers;

namespace Dokodemo.Tests.Work;

/// <summary>
/// A town whose policy was saved before Work arrived: deny by default closes the new features to everyone until the
/// security admin adds rules. /admin/policy lists the default rules for resource types the policy never names, and adds
/// them as a new version in one step.
/// </summary>
public class PolicyUpgradeTests(PolicyUpgradeTests.App app) : IClassFixture<PolicyUpgradeTests.App>
{
    public sealed class App : TestApp;

    private static readonly string[] WorkRules =
        ["allow-calendar", "allow-staff-work-board", "allow-own-work", "allow-manager-team-work", "allow-hr-work", "allow-admin-work-settings"];

    [Fact]
    public async Task APolicyFromBeforeWork_IsOfferedTheDefaultWorkRules_AndAddingThemOpensWork()
    {
        var (security, _) = await PersonAsync(app, "更新 管理者", Roles.Staff, Roles.SecurityAdmin);
        var (staff, _) = await PersonAsync(app, "更新 職員", Roles.Staff);
        Assert.Empty((await security.GetFromJsonAsync<JsonElement>("/api/v1/access/policy/missing-defaults")).EnumerateArray());

        // The policy as an older version of Dokodemo saved it: no rule names calendar or work.*.
        var policy = await security.GetFromJsonAsync<JsonElement>("/api/v1/access/policy");
        var doc = System.Text.Json.Nodes.JsonNode.Parse(policy.GetProperty("json").GetString()!)!;
        var rules = doc["rules"]!.AsArray();
        foreach (var r in rules.Where(r => WorkRules.Contains(r!["id"]!.GetValue<string>())).ToList())
        {
            rules.Remove(r);
        }

        var old = await security.PutAsJsonAsync("/api/v1/access/policy", new { json = doc.ToJsonString(), basedOn = policy.GetProperty("version").GetInt32(), comment = "旧版" });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/work/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/calendar/holidays?year=2026")).StatusCode);

        var missing = await security.GetFromJsonAsync<JsonElement>("/api/v1/access/policy/missing-defaults");
        Assert.Equal(WorkRules.Order(StringComparer.Ordinal), missing.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        var page = await security.GetStringAsync("/admin/policy");
        Assert.Contains("policy-add-defaults", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsync("/api/v1/access/policy/missing-defaults", null)).StatusCode);
        var added = await security.PostAsync("/api/v1/access/policy/missing-defaults", null);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/work/board")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/v1/calendar/holidays?year=2026")).StatusCode);
        Assert.Empty((await security.GetFromJsonAsync<JsonElement>("/api/v1/access/policy/missing-defaults")).EnumerateArray());
        var again = await security.PostAsync("/api/v1/access/policy/missing-defaults", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("policy.nothing_to_add", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
