using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.Work.PlacesApp;

namespace Dokodemo.Tests.Work;

/// <summary>Telework requests and their decisions over HTTP, the town's telework settings, and approved periods abroad opening access.</summary>
public class TeleworkTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static async Task<JsonElement> JsonOf(HttpResponseMessage r)
    {
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task Refused(HttpResponseMessage r, HttpStatusCode status, string code)
    {
        Assert.Equal(code, await CodeOf(r));
        Assert.Equal(status, r.StatusCode);
    }

    private static Guid IdOf(JsonElement e) => e.GetProperty("id").GetGuid();

    [Fact]
    public async Task AManagerApproves_WithAComment_AndTheDaysBecomeHome_WhereNothingElseWasDeclared()
    {
        var staff = await app.PersonAsync("住民課");
        var manager = await app.PersonAsync("住民課", roles: [Roles.Staff, Roles.Manager]);
        var thursday = app.Today.AddDays(1);
        var friday = app.Today.AddDays(2);
        // Friday already has a declaration of its own: the approval leaves it alone.
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(friday)}", new { kind = "Mobile" })).StatusCode);

        var created = await staff.Client.PostAsJsonAsync("/api/v1/work/telework/requests", new { kind = "Home", dates = new[] { thursday, friday }, reason = "資料作成に集中するため" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Pending", request.GetProperty("state").GetString());

        // Before approval the declared 在宅 day shows as not approved.
        var pending = await manager.Client.GetFromJsonAsync<JsonElement>("/api/v1/work/telework/requests/pending");
        Assert.Contains(pending.EnumerateArray(), r => IdOf(r) == IdOf(request));

        var approved = await JsonOf(await manager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{IdOf(request)}/approve", new { comment = "了解です。" }));
        Assert.Equal(("Approved", "了解です。", manager.Id), (approved.GetProperty("state").GetString(), approved.GetProperty("comment").GetString(), approved.GetProperty("decidedById").GetString()));

        var days = (await staff.Client.GetFromJsonAsync<JsonElement>($"/api/v1/work/places?from={Iso(thursday)}&to={Iso(friday)}")).EnumerateArray().ToList();
        Assert.Equal(("Home", false), (days[0].GetProperty("morning").GetProperty("kind").GetString(), days[0].GetProperty("morning").GetProperty("unapproved").GetBoolean()));
        Assert.Equal("Mobile", days[1].GetProperty("afternoon").GetProperty("kind").GetString());

        // Approving twice is a conflict; the inbox is empty again.
        await Refused(await manager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{IdOf(request)}/approve", new { comment = "" }), HttpStatusCode.Conflict, "work.telework.already_decided");
        Assert.DoesNotContain((await manager.Client.GetFromJsonAsync<JsonElement>("/api/v1/work/telework/requests/pending")).EnumerateArray(), r => IdOf(r) == IdOf(request));

        // The person cancels before the day: the state says so and the places it set are gone.
        var cancelled = await JsonOf(await staff.Client.PostAsync($"/api/v1/work/telework/requests/{IdOf(request)}/cancel", null));
        Assert.Equal("Cancelled", cancelled.GetProperty("state").GetString());
        var after = await staff.Client.GetFromJsonAsync<JsonElement>($"/api/v1/work/places/{Iso(thursday)}");
        Assert.Equal("Office", after.GetProperty("morning").GetProperty("kind").GetString());

        var events = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.SubjectId == staff.Id && e.Event.StartsWith("work.telework.")).OrderBy(e => e.Sequence).Select(e => e.Event).ToListAsync());
        Assert.Equal(["work.telework.requested", "work.telework.approved", "work.telework.cancelled"], events);
    }

    [Fact]
    public async Task OnlyTheirApprovers_Decide_AndOnlyTheOwner_WithdrawsOrCancels()
    {
        var staff = await app.PersonAsync("住民課");
        var colleague = await app.PersonAsync("住民課");
        var manager = await app.PersonAsync("住民課", roles: [Roles.Staff, Roles.Manager]);
        var foreignManager = await app.PersonAsync("総務課", roles: [Roles.Staff, Roles.Manager]);
        var request = await JsonOf(await staff.Client.PostAsJsonAsync("/api/v1/work/telework/requests",
            new { kind = "Home", from = app.Today.AddDays(5), to = app.Today.AddDays(14), weekdays = new[] { "Wednesday" }, reason = "介護のため" }));
        // The Wednesdays in the range that are working days (a holiday is left out).
        var calendar = new Domain.Calendar.TownCalendar();
        var expected = new[] { app.Today.AddDays(7), app.Today.AddDays(14) }.Where(d => calendar.DayTypeOf(d) == Domain.Access.DayType.Workday).Select(Iso);
        Assert.Equal(expected, request.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        var id = IdOf(request);

        await Refused(await colleague.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{id}/approve", new { comment = "" }), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await foreignManager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{id}/approve", new { comment = "" }), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await staff.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{id}/approve", new { comment = "" }), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await colleague.Client.PostAsync($"/api/v1/work/telework/requests/{id}/withdraw", null), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await manager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{id}/decline", new { comment = new string('x', 501) }), HttpStatusCode.BadRequest, "work.telework.comment_too_long");
        await Refused(await manager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{Guid.NewGuid()}/approve", new { comment = "" }), HttpStatusCode.NotFound, "work.telework.not_found");
        Assert.Equal("Pending", (await staff.Client.GetFromJsonAsync<JsonElement>($"/api/v1/work/telework/requests/{id}")).GetProperty("state").GetString());

        var declined = await JsonOf(await manager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{id}/decline", new { comment = "その週は窓口が混むため" }));
        Assert.Equal("Declined", declined.GetProperty("state").GetString());
        await Refused(await staff.Client.PostAsync($"/api/v1/work/telework/requests/{id}/withdraw", null), HttpStatusCode.Conflict, "work.telework.already_decided");
        await Refused(await staff.Client.PostAsync($"/api/v1/work/telework/requests/{id}/cancel", null), HttpStatusCode.Conflict, "work.telework.not_approved");

        // A pending one is withdrawn by its owner.
        var second = IdOf(await JsonOf(await staff.Client.PostAsJsonAsync("/api/v1/work/telework/requests", new { kind = "Home", dates = new[] { app.Today.AddDays(1) }, reason = "通院" })));
        Assert.Equal("Withdrawn", (await JsonOf(await staff.Client.PostAsync($"/api/v1/work/telework/requests/{second}/withdraw", null))).GetProperty("state").GetString());
        var mine = await staff.Client.GetFromJsonAsync<JsonElement>("/api/v1/work/telework/requests");
        Assert.Equal(["Declined", "Withdrawn"], mine.EnumerateArray().Select(r => r.GetProperty("state").GetString()).Order());

        // An approved request whose first day has come cannot be cancelled.
        var hr = await app.PersonAsync("総務課", roles: [Roles.Staff, Roles.Hr]);
        await SetSettingsAsync(hr, minDaysAhead: 0);
        try
        {
            var today = IdOf(await JsonOf(await staff.Client.PostAsJsonAsync("/api/v1/work/telework/requests", new { kind = "Home", dates = new[] { app.Today }, reason = "急用" })));
            await JsonOf(await manager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{today}/approve", new { comment = "" }));
            await Refused(await staff.Client.PostAsync($"/api/v1/work/telework/requests/{today}/cancel", null), HttpStatusCode.Conflict, "work.telework.already_started");
        }
        finally
        {
            await SetSettingsAsync(hr);
        }
    }

    [Fact]
    public async Task InADepartmentWithoutAManager_HrApproves()
    {
        // 税務課 has no manager in this app: HR approves its people's requests (Approvers.cs); another department's manager does not.
        var hr = await app.PersonAsync("総務課", roles: [Roles.Staff, Roles.Hr]);
        var person = await app.PersonAsync("税務課");
        var foreignManager = await app.PersonAsync("住民課", roles: [Roles.Staff, Roles.Manager]);
        var id = IdOf(await JsonOf(await person.Client.PostAsJsonAsync("/api/v1/work/telework/requests", new { kind = "Home", dates = new[] { app.Today.AddDays(2) }, reason = "在宅" })));
        Assert.DoesNotContain((await foreignManager.Client.GetFromJsonAsync<JsonElement>("/api/v1/work/telework/requests/pending")).EnumerateArray(), r => IdOf(r) == id);
        await Refused(await foreignManager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{id}/approve", new { comment = "" }), HttpStatusCode.Forbidden, "access.denied");
        Assert.Contains((await hr.Client.GetFromJsonAsync<JsonElement>("/api/v1/work/telework/requests/pending")).EnumerateArray(), r => IdOf(r) == id);
        var approved = await JsonOf(await hr.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{id}/approve", new { comment = "承認します" }));
        Assert.Equal("Approved", approved.GetProperty("state").GetString());
    }

    [Fact]
    public async Task BadRequests_AndTheTownsRules_AreRefused_WithTheirCodes()
    {
        var staff = await app.PersonAsync("住民課");
        var hr = await app.PersonAsync("総務課", roles: [Roles.Staff, Roles.Hr]);
        var c = staff.Client;
        const string Url = "/api/v1/work/telework/requests";

        await Refused(await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { app.Today.AddDays(1) } }), HttpStatusCode.BadRequest, "work.telework.reason_required");
        await Refused(await c.PostAsJsonAsync(Url, new { kind = "Holiday", dates = new[] { app.Today.AddDays(1) }, reason = "x" }), HttpStatusCode.BadRequest, "work.telework.kind_unknown");
        await Refused(await c.PostAsJsonAsync(Url, new { kind = "Abroad", from = app.Today.AddDays(1), to = app.Today.AddDays(3), timeZone = "Europe/Paris", reason = "x" }), HttpStatusCode.BadRequest, "work.place.country_required");
        await Refused(await c.PostAsJsonAsync(Url, new { kind = "Abroad", country = "FR", from = app.Today.AddDays(1), to = app.Today.AddDays(3), timeZone = "Paris", reason = "x" }), HttpStatusCode.BadRequest, "work.timezone_unknown");
        await Refused(await c.PostAsJsonAsync(Url, new { kind = "Abroad", country = "FR", timeZone = "Europe/Paris", from = app.Today.AddDays(3), to = app.Today.AddDays(1), reason = "x" }), HttpStatusCode.BadRequest, "work.telework.period_invalid");
        await Refused(await c.PostAsJsonAsync(Url, new { kind = "Home", from = app.Today.AddDays(1), to = app.Today.AddDays(2), weekdays = new[] { "Saturday" }, reason = "x" }), HttpStatusCode.BadRequest, "work.telework.no_days");
        await Refused(await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { app.Today.AddDays(3) }, reason = "x" }), (HttpStatusCode)422, "work.place.day_off");
        // Too late: the default asks one day ahead.
        await Refused(await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { app.Today }, reason = "x" }), (HttpStatusCode)422, "work.telework.too_late");

        try
        {
            // At most two days a week.
            await SetSettingsAsync(hr, maxDaysPerWeek: 2);
            var nextMonday = app.Today.AddDays(5);
            var first = await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { nextMonday, nextMonday.AddDays(1) }, reason = "x" });
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            await Refused(await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { nextMonday.AddDays(3) }, reason = "x" }), (HttpStatusCode)422, "work.telework.weekly_limit");
            await Refused(await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { nextMonday }, reason = "x" }), HttpStatusCode.Conflict, "work.telework.overlaps");

            // Only 住民課 … and only staff (not 会計年度任用職員).
            var somu = await app.DepartmentIdAsync("総務課");
            await SetSettingsAsync(hr, departments: [somu]);
            await Refused(await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { app.Today.AddDays(1) }, reason = "x" }), (HttpStatusCode)422, "work.telework.not_eligible");
            await SetSettingsAsync(hr, kinds: ["Staff"]);
            var partTime = await app.PersonAsync("住民課", AccountKind.PartTimeStaff);
            await Refused(await partTime.Client.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { app.Today.AddDays(1) }, reason = "x" }), (HttpStatusCode)422, "work.telework.not_eligible");

            // Training required: refused until HR records it.
            await SetSettingsAsync(hr, trainingRequired: true);
            await Refused(await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { app.Today.AddDays(1) }, reason = "x" }), (HttpStatusCode)422, "work.telework.training_required");
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PutAsJsonAsync($"/api/v1/work/telework/training/{staff.Id}", new { completedOn = app.Today })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await hr.Client.PutAsJsonAsync($"/api/v1/work/telework/training/{staff.Id}", new { completedOn = app.Today.AddDays(-30) })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await c.PostAsJsonAsync(Url, new { kind = "Home", dates = new[] { app.Today.AddDays(1) }, reason = "x" })).StatusCode);

            // Bad settings are refused; staff read the settings but cannot change them.
            await Refused(await hr.Client.PutAsJsonAsync("/api/v1/work/settings", new { eligibleKinds = new[] { "Robot" }, maxDaysPerWeek = 3, minDaysAhead = 1, approvalRequired = true }),
                HttpStatusCode.BadRequest, "work.settings.invalid");
            await Refused(await hr.Client.PutAsJsonAsync("/api/v1/work/settings", new { eligibleKinds = new[] { "Staff" }, maxDaysPerWeek = 9, minDaysAhead = 1, approvalRequired = true }),
                HttpStatusCode.BadRequest, "work.settings.invalid");
            var settings = await c.GetFromJsonAsync<JsonElement>("/api/v1/work/settings");
            Assert.True(settings.GetProperty("trainingRequired").GetBoolean());
            Assert.Equal((false, 10, 3, 3000), (settings.GetProperty("allowance").GetProperty("enabled").GetBoolean(), settings.GetProperty("allowance").GetProperty("thresholdDays").GetInt32(),
                settings.GetProperty("allowance").GetProperty("windowMonths").GetInt32(), settings.GetProperty("allowance").GetProperty("amountYen").GetInt32()));
            Assert.Equal(HttpStatusCode.Forbidden, (await c.PutAsJsonAsync("/api/v1/work/settings", new { eligibleKinds = new[] { "Staff" }, maxDaysPerWeek = 5, minDaysAhead = 0, approvalRequired = false })).StatusCode);
        }
        finally
        {
            await SetSettingsAsync(hr);
        }
    }

    [Fact]
    public async Task AnApprovedPeriodAbroad_OpensAccessFromThatCountry_UntilTheDayAfterItEnds()
    {
        const string Internet = "203.0.113.50";
        var traveller = await app.PersonAsync("住民課", from: Internet);
        var manager = await app.PersonAsync("住民課", roles: [Roles.Staff, Roles.Manager]);

        HttpRequestMessage ViaProxy(string country)
        {
            var m = new HttpRequestMessage(HttpMethod.Get, "/api/v1/work/board");
            m.Headers.Add(TestApp.RemoteIpHeader, "10.9.9.9");
            m.Headers.Add("X-Forwarded-For", "198.51.100.20");
            m.Headers.Add("X-Client-Country", country);
            return m;
        }

        var from = app.Today.AddDays(1);
        var to = app.Today.AddDays(2);
        var request = await JsonOf(await traveller.Client.PostAsJsonAsync("/api/v1/work/telework/requests",
            new { kind = "Abroad", country = "fr", timeZone = "Europe/Paris", from, to, reason = "パリ視察（海外での勤務）" }));
        await JsonOf(await manager.Client.PostAsJsonAsync($"/api/v1/work/telework/requests/{IdOf(request)}/approve", new { comment = "気をつけて" }));

        // The security admin sees it among the approved periods abroad, with who approved it.
        var security = await app.PersonAsync(roles: [Roles.Staff, Roles.SecurityAdmin]);
        var periods = await security.Client.GetFromJsonAsync<JsonElement>("/api/v1/access/abroad-periods");
        var period = periods.EnumerateArray().Single(p => p.GetProperty("userId").GetString() == traveller.Id);
        Assert.Equal(("FR", manager.Id), (period.GetProperty("country").GetString(), period.GetProperty("approvedById").GetString()));

        var original = app.Clock.Offset;
        try
        {
            // On the first day of the period, from France: allowed; from Germany: not.
            app.Clock.Offset = original + TimeSpan.FromDays(1);
            var abroad = await app.SignInAgainAsync(traveller, Internet);
            abroad.DefaultRequestHeaders.Remove(TestApp.RemoteIpHeader);
            Assert.Equal(HttpStatusCode.OK, (await abroad.SendAsync(ViaProxy("FR"))).StatusCode);
            var germany = await abroad.SendAsync(ViaProxy("DE"));
            Assert.Equal(HttpStatusCode.Forbidden, germany.StatusCode);
            Assert.Equal("Location", (await germany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

            // The day after it ends: refused from France too.
            app.Clock.Offset = original + TimeSpan.FromDays(3);
            var later = await app.SignInAgainAsync(traveller, Internet);
            later.DefaultRequestHeaders.Remove(TestApp.RemoteIpHeader);
            var refused = await later.SendAsync(ViaProxy("FR"));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("Location", "RequestAbroadPeriod"), (problem.GetProperty("reason").GetString(), problem.GetProperty("remedy").GetString()));
        }
        finally
        {
            app.Clock.Offset = original;
        }
    }

    private static async Task SetSettingsAsync(Person hr, int maxDaysPerWeek = 5, int minDaysAhead = 1, int[]? departments = null, string[]? kinds = null, bool trainingRequired = false)
    {
        var r = await hr.Client.PutAsJsonAsync("/api/v1/work/settings", new
        {
            eligibleKinds = kinds ?? ["Staff", "PartTimeStaff"], eligibleDepartments = departments ?? [], trainingRequired, maxDaysPerWeek, minDaysAhead,
            approvalRequired = true, allowance = new { enabled = false, thresholdDays = 10, windowMonths = 3, amountYen = 3000, halfDaysCount = false },
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }
}
