using System.Net;
using System.Net.Http.Json;
using Dokodemo.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;

namespace Dokodemo.Tests;

/// <summary>The directory API on the seeded demo town, and who may call what (an authorization matrix).</summary>
public class DirectoryTests(DirectoryTests.App app) : IClassFixture<DirectoryTests.App>
{
    public sealed class App : TestApp
    {
        public App() : base(mode: "Demo", seed: true)
        {
        }
    }

    private const string Password = "しずかな朝に川沿いを歩く2026";

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private async Task<HttpClient> SignedInAsync(AccountKind kind, params string[] roles)
    {
        var email = $"{kind}-{Guid.NewGuid():N}"[..20].ToLowerInvariant() + "@example.jp";
        var token = await app.InviteAsync(email, "試験 次郎", kind, roles);
        var client = app.NewClient();
        await TestApp.EnrolAsync(client, token, Password);
        return client;
    }

    [Fact]
    public async Task TheDemoTown_HasEightDepartmentsAndEightyPeople()
    {
        var client = await SignedInAsync(AccountKind.Staff, Roles.Staff);
        var departments = (await client.GetFromJsonAsync<List<DepartmentDto>>("/api/v1/directory/departments"))!;
        Assert.Equal(["総務課", "企画政策課", "税務課", "住民課", "保健福祉課", "産業振興課", "建設課", "教育委員会"], departments.Select(d => d.Name));
        Assert.Contains(departments.Single(d => d.Name == "企画政策課").Sections, s => s.Name == "DX推進係");
        var people = (await client.GetFromJsonAsync<List<PersonDto>>("/api/v1/directory/people"))!;
        Assert.InRange(people.Count, 80, 82);
        Assert.Equal(3, people.Count(p => p.Kind == nameof(AccountKind.SideJobWorker)));
        Assert.Equal(2, people.Count(p => p.Kind == nameof(AccountKind.Partner)));
        Assert.Contains(people, p => p.Kind == nameof(AccountKind.PartTimeStaff));
        var sites = (await client.GetFromJsonAsync<List<SiteDto>>("/api/v1/directory/sites"))!;
        Assert.Contains(sites, s => s.Name == "本庁舎");
        Assert.Contains(sites, s => s.Kind == nameof(SiteKind.Satellite));
    }

    [Fact]
    public async Task People_FilterByDepartmentSectionAndSearch()
    {
        var client = await SignedInAsync(AccountKind.Staff, Roles.Staff);
        var departments = (await client.GetFromJsonAsync<List<DepartmentDto>>("/api/v1/directory/departments"))!;
        var jumin = departments.Single(d => d.Name == "住民課");
        var inDept = (await client.GetFromJsonAsync<List<PersonDto>>($"/api/v1/directory/people?departmentId={jumin.Id}"))!;
        Assert.NotEmpty(inDept);
        Assert.All(inDept, p => Assert.Equal("住民課", p.Department));
        Assert.Equal(jumin.Members, inDept.Count);

        var found = (await client.GetFromJsonAsync<List<PersonDto>>("/api/v1/directory/people?q=" + Uri.EscapeDataString("さとう　みさき")))!;
        Assert.Equal("佐藤 美咲", Assert.Single(found).DisplayName);
        var byEmail = (await client.GetFromJsonAsync<List<PersonDto>>("/api/v1/directory/people?q=" + Uri.EscapeDataString("ＳＡＴＯ.ＭＩＳＡＫＩ")))!;
        Assert.Single(byEmail);
    }

    [Fact]
    public async Task AnAdministrator_InvitesAndDisablesFromTheUsersPage()
    {
        var admin = await SignedInAsync(AccountKind.Staff, Roles.Staff, Roles.Admin);
        var page = await admin.GetStringAsync("/admin/users");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var invited = await admin.PostAsync("/admin/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "invite", ["__RequestVerificationToken"] = token, ["name"] = "画面 四郎", ["email"] = "page.shiro@example.jp",
            ["kind"] = "Staff", ["department"] = "ZEIMU", ["roles"] = "staff",
        }));
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        var html = await invited.Content.ReadAsStringAsync();
        Assert.Contains("/enroll/", html, StringComparison.Ordinal);

        var id = (await admin.GetFromJsonAsync<List<UserSummary>>("/api/v1/users", Json))!.Single(u => u.Email == "page.shiro@example.jp").Id;
        var disabled = await admin.PostAsync("/admin/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "disable", ["__RequestVerificationToken"] = token, ["userId"] = id,
        }));
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await admin.GetFromJsonAsync<List<UserSummary>>("/api/v1/users", Json))!.Single(u => u.Id == id).Disabled);

        // Without the antiforgery token the form is refused and nothing changes.
        var forged = await admin.PostAsync("/admin/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "invite", ["name"] = "偽造", ["email"] = "forged@example.jp", ["kind"] = "Staff", ["department"] = "ZEIMU",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<List<UserSummary>>("/api/v1/users", Json))!, u => u.Email == "forged@example.jp");
    }

    [Fact]
    public async Task LongLists_ArePaged_InTheApiAndOnThePage()
    {
        var client = await SignedInAsync(AccountKind.Staff, Roles.Staff);
        var first = await client.GetAsync("/api/v1/directory/people?limit=30");
        var total = int.Parse(first.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total >= 80);
        var page1 = (await first.Content.ReadFromJsonAsync<List<PersonDto>>())!;
        var page2 = (await client.GetFromJsonAsync<List<PersonDto>>("/api/v1/directory/people?offset=30&limit=30"))!;
        Assert.Equal(30, page1.Count);
        Assert.Equal(30, page2.Count);
        Assert.Empty(page1.Select(p => p.Id).Intersect(page2.Select(p => p.Id)));

        var html = await client.GetStringAsync("/people");
        Assert.Contains("aria-current=\"page\"", html, StringComparison.Ordinal);
        Assert.Contains("page=2", html, StringComparison.Ordinal);
        Assert.Equal(50, System.Text.RegularExpressions.Regex.Matches(html, "<th scope=\"row\">").Count);
        var second = await client.GetStringAsync("/people?page=2");
        Assert.Equal(total - 50, System.Text.RegularExpressions.Regex.Matches(second, "<th scope=\"row\">").Count);
    }

    [Theory]
    [InlineData(AccountKind.SideJobWorker)]
    [InlineData(AccountKind.Partner)]
    public async Task Outsiders_CannotReadTheWholeDirectory(AccountKind kind)
    {
        var client = await SignedInAsync(kind, Roles.Staff);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/directory/people")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/directory/departments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/users")).StatusCode);
        // Their own profile still works, and the people page sends them to the explanation page.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        var page = await client.GetAsync("/people");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/denied", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyAdministrators_ManageUsers()
    {
        var staff = await SignedInAsync(AccountKind.Staff, Roles.Staff, Roles.Manager);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync("/api/v1/users", new { email = "x@example.jp", name = "x", department = "総務課" })).StatusCode);

        var admin = await SignedInAsync(AccountKind.Staff, Roles.Staff, Roles.Admin);
        var list = (await admin.GetFromJsonAsync<List<UserSummary>>("/api/v1/users", Json))!;
        Assert.True(list.Count >= 80);

        var created = await admin.PostAsJsonAsync("/api/v1/users", new { email = "new.person@example.jp", name = "新人 三郎", kind = "会計年度任用職員", department = "税務課", section = "収納係", roles = new[] { "staff" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var link = (await created.Content.ReadFromJsonAsync<InviteLink>())!;
        Assert.Contains("/enroll/", link.Url, StringComparison.Ordinal);

        var duplicate = await admin.PostAsJsonAsync("/api/v1/users", new { email = "NEW.person@example.jp", name = "重複", department = "税務課" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        var unknownDept = await admin.PostAsJsonAsync("/api/v1/users", new { email = "z@example.jp", name = "z", department = "宇宙課" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownDept.StatusCode);
        var outsiderAdmin = await admin.PostAsJsonAsync("/api/v1/users", new { email = "p@example.jp", name = "p", kind = "Partner", department = "税務課", roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.BadRequest, outsiderAdmin.StatusCode);

        // The new person is in the directory at once (the snapshot is refreshed on change).
        var people = (await admin.GetFromJsonAsync<List<PersonDto>>("/api/v1/directory/people?q=" + Uri.EscapeDataString("新人")))!;
        Assert.Single(people);

        var disabled = await admin.PostAsync($"/api/v1/users/{link.UserId}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<List<PersonDto>>("/api/v1/directory/people?q=" + Uri.EscapeDataString("新人")))!);

        var enabled = await admin.PostAsync($"/api/v1/users/{link.UserId}/enable", null);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.False((await enabled.Content.ReadFromJsonAsync<UserSummary>(Json))!.Disabled);
        Assert.Single((await admin.GetFromJsonAsync<List<PersonDto>>("/api/v1/directory/people?q=" + Uri.EscapeDataString("新人")))!);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsync($"/api/v1/users/{link.UserId}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/users/nobody/enable", null)).StatusCode);
    }
}
