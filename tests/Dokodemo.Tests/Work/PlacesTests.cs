using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.Work.PlacesApp;

namespace Dokodemo.Tests.Work;

/// <summary>Work place of the day over HTTP: declarations, bad input, the weekly pattern, who may write whose place, and the team board.</summary>
public class PlacesTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static async Task<JsonElement> JsonOf(HttpResponseMessage r)
    {
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Declaring_Today_AndHalfDays_ChangesTheEffectivePlace()
    {
        var me = await app.PersonAsync();
        var today = Iso(app.Today);

        // Nothing declared, no pattern: 庁舎.
        var before = await JsonOf(await me.Client.GetAsync($"/api/v1/work/places/{today}"));
        Assert.Equal(("Office", "Default"), (before.GetProperty("morning").GetProperty("kind").GetString(), before.GetProperty("morning").GetProperty("source").GetString()));

        var satellite = await app.SiteIdAsync(SiteKind.Satellite);
        var day = await JsonOf(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Satellite", siteId = satellite }));
        Assert.Equal(("Satellite", satellite), (day.GetProperty("afternoon").GetProperty("kind").GetString(), day.GetProperty("afternoon").GetProperty("siteId").GetInt32()));

        // Changed for the afternoon only (the day is not over yet).
        var split = await JsonOf(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { part = "Afternoon", kind = "Mobile", note = "県庁で会議" }));
        Assert.Equal(("Satellite", "Mobile"), (split.GetProperty("morning").GetProperty("kind").GetString(), split.GetProperty("afternoon").GetProperty("kind").GetString()));
        Assert.True(split.GetProperty("isSplit").GetBoolean());

        // Home without an approved request: shown as not approved (the town requires approval by default).
        var home = await JsonOf(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today.AddDays(1))}", new { kind = "home" }));
        Assert.True(home.GetProperty("morning").GetProperty("unapproved").GetBoolean());

        var range = await JsonOf(await me.Client.GetAsync($"/api/v1/work/places?from={today}&to={Iso(app.Today.AddDays(2))}"));
        Assert.Equal(["Satellite", "Home", "Office"], range.EnumerateArray().Select(d => d.GetProperty("morning").GetProperty("kind").GetString()));

        // Removing the declaration brings back the default.
        var cleared = await JsonOf(await me.Client.DeleteAsync($"/api/v1/work/places/{Iso(app.Today.AddDays(1))}"));
        Assert.Equal("Office", cleared.GetProperty("morning").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task BadInput_IsRefused_WithACodeNamingTheProblem_AndChangesNothing()
    {
        var me = await app.PersonAsync();
        var today = Iso(app.Today);
        var branchOfficeId = await app.SiteIdAsync(SiteKind.MainOffice);

        async Task Refused(HttpResponseMessage r, HttpStatusCode status, string code)
        {
            Assert.Equal(status, r.StatusCode);
            Assert.Equal(code, await CodeOf(r));
        }

        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today.AddDays(-1))}", new { kind = "Home" }), (HttpStatusCode)422, "work.place.day_over");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Abroad", country = "FR", timeZone = "Europe/Atlantis" }), HttpStatusCode.BadRequest, "work.timezone_unknown");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Abroad", timeZone = "Europe/Paris" }), HttpStatusCode.BadRequest, "work.place.country_required");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Abroad", country = "France", timeZone = "Europe/Paris" }), HttpStatusCode.BadRequest, "work.place.country_invalid");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Satellite", siteId = 99999 }), HttpStatusCode.BadRequest, "work.place.site_unknown");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Satellite", siteId = branchOfficeId }), HttpStatusCode.BadRequest, "work.place.site_unknown");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Satellite" }), HttpStatusCode.BadRequest, "work.place.site_unknown");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Beach" }), HttpStatusCode.BadRequest, "work.place.kind_unknown");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Home", part = "Evening" }), HttpStatusCode.BadRequest, "work.place.part_unknown");
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{today}", new { kind = "Home", note = new string('あ', 201) }), HttpStatusCode.BadRequest, "work.place.note_too_long");

        // A Saturday: only when the person says they work that day.
        var saturday = app.Today.AddDays(3);
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(saturday)}", new { kind = "Home" }), (HttpStatusCode)422, "work.place.day_off");
        var worked = await JsonOf(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(saturday)}", new { kind = "Office", worksOffDay = true, note = "選挙事務" }));
        Assert.False(worked.GetProperty("off").GetBoolean());

        // Nothing of the refused ones was saved.
        var rows = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().WorkPlaceDeclarations.AsNoTracking().Where(d => d.UserId == me.Id).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(saturday, r.Date));
    }

    [Fact]
    public async Task Abroad_HasCountryAndTimeZone_AndTheBoardShowsTheLocalTime()
    {
        var traveller = await app.PersonAsync("住民課");
        var colleague = await app.PersonAsync("住民課");
        var satellite = await app.SiteIdAsync(SiteKind.Satellite);
        Assert.Equal(HttpStatusCode.OK, (await traveller.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today)}",
            new { kind = "Abroad", country = "in", timeZone = "Asia/Kolkata" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await colleague.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today)}", new { kind = "Satellite", siteId = satellite })).StatusCode);

        // Someone from another department reads the 住民課 board by choosing it (insiders read work places).
        var reader = await app.PersonAsync();
        var jumin = await app.DepartmentIdAsync("住民課");
        var before = app.Clock.GetUtcNow();
        var board = await JsonOf(await reader.Client.GetAsync($"/api/v1/work/board?department={jumin}"));
        var after = app.Clock.GetUtcNow();
        Assert.Equal("住民課", board.GetProperty("department").GetProperty("name").GetString());
        Assert.Equal(Iso(app.Today.AddDays(-2)), board.GetProperty("week").GetString());
        Assert.Equal(5, board.GetProperty("days").GetArrayLength());
        var people = board.GetProperty("people").EnumerateArray().ToList();
        var abroad = people.Single(p => p.GetProperty("id").GetString() == traveller.Id);
        Assert.Equal("IN", abroad.GetProperty("abroad").GetProperty("country").GetString());
        Assert.Equal("UTC+5:30", abroad.GetProperty("abroad").GetProperty("utcOffset").GetString());
        var india = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        Assert.Contains(abroad.GetProperty("abroad").GetProperty("localTime").GetString(),
            new[] { before, after }.Select(t => TimeZoneInfo.ConvertTime(t, india).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        // 10:00 in Japan is 06:30 in India.
        Assert.StartsWith("06:3", abroad.GetProperty("abroad").GetProperty("localTime").GetString(), StringComparison.Ordinal);
        var atSatellite = people.Single(p => p.GetProperty("id").GetString() == colleague.Id);
        Assert.Equal("Satellite", atSatellite.GetProperty("today").GetProperty("morning").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, atSatellite.GetProperty("abroad").ValueKind);
        Assert.Equal(5, atSatellite.GetProperty("week").GetArrayLength());
        Assert.DoesNotContain(people, p => p.GetProperty("id").GetString() == reader.Id);

        // By default, the caller's own department; an unknown one is a clear error.
        var own = await JsonOf(await traveller.Client.GetAsync("/api/v1/work/board"));
        Assert.Equal("住民課", own.GetProperty("department").GetProperty("name").GetString());
        Assert.Equal("work.department_unknown", await CodeOf(await reader.Client.GetAsync("/api/v1/work/board?department=98765")));

        // Outsiders do not see who is where.
        var partner = await app.PersonAsync(kind: AccountKind.Partner, roles: [Roles.Staff]);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.Client.GetAsync("/api/v1/work/board")).StatusCode);
    }

    [Fact]
    public async Task ThePattern_FillsDaysWithoutADeclaration()
    {
        var me = await app.PersonAsync();
        var satellite = await app.SiteIdAsync(SiteKind.Satellite);
        var saved = await JsonOf(await me.Client.PutAsJsonAsync("/api/v1/work/pattern", new
        {
            entries = new object[]
            {
                new { weekday = "Wednesday", kind = "Home" },
                new { weekday = "Thursday", part = "Morning", kind = "Satellite", siteId = satellite },
            },
        }));
        var wednesday = saved.GetProperty("days").EnumerateArray().Single(d => d.GetProperty("weekday").GetString() == "Wednesday");
        Assert.Equal(("Home", "Home"), (wednesday.GetProperty("morning").GetString(), wednesday.GetProperty("afternoon").GetString()));

        var week = (await JsonOf(await me.Client.GetAsync($"/api/v1/work/places?from={Iso(app.Today)}&to={Iso(app.Today.AddDays(1))}"))).EnumerateArray().ToList();
        Assert.Equal(("Home", "Pattern"), (week[0].GetProperty("morning").GetProperty("kind").GetString(), week[0].GetProperty("morning").GetProperty("source").GetString()));
        Assert.Equal(("Satellite", "Office"), (week[1].GetProperty("morning").GetProperty("kind").GetString(), week[1].GetProperty("afternoon").GetProperty("kind").GetString()));

        // A declaration wins over the pattern.
        var declared = await JsonOf(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today)}", new { kind = "Office" }));
        Assert.Equal(("Office", "Declaration"), (declared.GetProperty("morning").GetProperty("kind").GetString(), declared.GetProperty("morning").GetProperty("source").GetString()));

        // Abroad is a period to request, not a weekly habit; Saturday is not in the pattern.
        Assert.Equal("work.pattern.invalid", await CodeOf(await me.Client.PutAsJsonAsync("/api/v1/work/pattern", new { entries = new[] { new { weekday = "Monday", kind = "Abroad" } } })));
        Assert.Equal("work.pattern.invalid", await CodeOf(await me.Client.PutAsJsonAsync("/api/v1/work/pattern", new { entries = new[] { new { weekday = "Saturday", kind = "Home" } } })));
        Assert.Equal("Home", (await JsonOf(await me.Client.GetAsync("/api/v1/work/pattern"))).GetProperty("days")[2].GetProperty("morning").GetString());
    }

    [Fact]
    public async Task WhoMayWriteWhosePlace_StaffSelf_ManagerTheirDepartment_HrAnyoneAndThePast()
    {
        var staff = await app.PersonAsync("住民課");
        var other = await app.PersonAsync("住民課");
        var manager = await app.PersonAsync("住民課", roles: [Roles.Staff, Roles.Manager]);
        var foreignManager = await app.PersonAsync("総務課", roles: [Roles.Staff, Roles.Manager]);
        var hr = await app.PersonAsync("総務課", roles: [Roles.Staff, Roles.Hr]);
        var today = Iso(app.Today);

        var refused = await staff.Client.PutAsJsonAsync($"/api/v1/work/places/{today}?person={other.Id}", new { kind = "Home" });
        Assert.Equal((HttpStatusCode.Forbidden, "access.denied"), (refused.StatusCode, await CodeOf(refused)));
        Assert.Equal(HttpStatusCode.Forbidden, (await foreignManager.Client.PutAsJsonAsync($"/api/v1/work/places/{today}?person={other.Id}", new { kind = "Home" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PutAsJsonAsync($"/api/v1/work/pattern?person={other.Id}", new { entries = Array.Empty<object>() })).StatusCode);
        // Reading is what the board shows every insider anyway.
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync($"/api/v1/work/places/{today}?person={other.Id}")).StatusCode);
        Assert.Equal("work.person_unknown", await CodeOf(await staff.Client.GetAsync($"/api/v1/work/places/{today}?person=no-such-person")));

        Assert.Equal(HttpStatusCode.OK, (await manager.Client.PutAsJsonAsync($"/api/v1/work/places/{today}?person={other.Id}", new { kind = "Mobile" })).StatusCode);
        // A manager cannot rewrite a past day; HR can (loading past records), and it is on the audit trail.
        Assert.Equal("work.place.day_over", await CodeOf(await manager.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today.AddDays(-1))}?person={other.Id}", new { kind = "Home" })));
        var past = await JsonOf(await hr.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today.AddDays(-1))}?person={other.Id}", new { kind = "Home" }));
        Assert.Equal("Home", past.GetProperty("morning").GetProperty("kind").GetString());
        var audited = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Event == "work.place.declared" && e.SubjectId == other.Id).Select(e => e.ActorId).ToListAsync());
        Assert.Equal([manager.Id, hr.Id], audited);
        Assert.Equal("work.person_unknown", await CodeOf(await hr.Client.PutAsJsonAsync($"/api/v1/work/places/{today}?person=no-such-person", new { kind = "Home" })));

        var mine = await JsonOf(await other.Client.GetAsync($"/api/v1/work/places/{today}"));
        Assert.Equal("Mobile", mine.GetProperty("morning").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task PlacesAsync_ReadsADepartmentWeekInOneCall()
    {
        var people = new List<Person>();
        for (var i = 0; i < 3; i++)
        {
            people.Add(await app.PersonAsync("住民課"));
        }

        Assert.Equal(HttpStatusCode.OK, (await people[0].Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today)}", new { kind = "Home", part = "Morning" })).StatusCode);
        var places = await app.WithScopeAsync(async sp => await sp.GetRequiredService<Dokodemo.Work.Places.WorkPlaces>()
            .PlacesAsync([.. people.Select(p => p.Id)], app.Today.AddDays(-2), app.Today.AddDays(2)));
        Assert.Equal(15, places.Count);
        var first = places.Single(p => p.UserId == people[0].Id && p.Date == app.Today);
        Assert.Equal((Dokodemo.Work.Places.WorkPlaceKind.Home, Dokodemo.Work.Places.WorkPlaceKind.Office), (first.Morning.Kind, first.Afternoon.Kind));
        var one = await app.WithScopeAsync(async sp => await sp.GetRequiredService<Dokodemo.Work.Places.WorkPlaces>().PlaceOfAsync(people[1].Id, app.Today.AddDays(3)));
        Assert.True(one.Off);
    }
}
