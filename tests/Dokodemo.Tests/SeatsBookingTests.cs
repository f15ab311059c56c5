using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Dokodemo.Seats;
using Dokodemo.Tests.Work;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;
using static Dokodemo.Tests.Work.PlacesApp;

namespace Dokodemo.Tests;

/// <summary>Booking a desk over HTTP: 201, 409 seat.taken with alternatives, halves, every bad input, cancelling, the map, the work place link.</summary>
public class SeatsBookingTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    [Fact]
    public async Task Booking_Returns201_AndTheSameSlotAgain409SeatTaken_WithAlternativesInTheSameZoneFirst()
    {
        var floor = await FloorAsync(app);
        var first = await app.PersonAsync();
        var second = await app.PersonAsync();
        var date = app.Today.AddDays(2);

        var created = await BookAsync(first.Client, floor.Desks["Q1"], date);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var booking = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Q1", "Confirmed", "Full"), (booking.GetProperty("deskLabel").GetString(), booking.GetProperty("state").GetString(), booking.GetProperty("part").GetString()));
        Assert.Equal($"/api/v1/seats/bookings/{booking.GetProperty("id").GetString()}", created.Headers.Location!.OriginalString);

        var lost = await BookAsync(second.Client, floor.Desks["Q1"], date, "Afternoon");
        await Refused(lost, HttpStatusCode.Conflict, "seat.taken");
        var alternatives = (await lost.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alternatives").EnumerateArray()
            .Select(a => a.GetProperty("label").GetString()).ToList();
        // The same zone first, the desk with the same equipment (a monitor) before the one without; then the floor; never
        // another department's team area before it opens; at most five.
        Assert.Equal(["Q3", "Q2", "A2"], alternatives.Take(3));
        Assert.DoesNotContain("T1", alternatives);
        Assert.DoesNotContain("Q1", alternatives);
        Assert.True(alternatives.Count <= 5);

        var mine = await JsonOf(await first.Client.GetAsync("/api/v1/seats/bookings"));
        Assert.Contains(mine.EnumerateArray(), b => b.GetProperty("deskLabel").GetString() == "Q1");
        Assert.Empty((await JsonOf(await second.Client.GetAsync("/api/v1/seats/bookings"))).EnumerateArray());
    }

    [Fact]
    public async Task ADayBooking_ConflictsWithAMorningBooking_ButTheTwoHalvesDoNot()
    {
        var floor = await FloorAsync(app);
        var (a, b, c) = (await app.PersonAsync(), await app.PersonAsync(), await app.PersonAsync());
        var date = app.Today.AddDays(2);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(a.Client, floor.Desks["A1"], date, "Morning")).StatusCode);
        await Refused(await BookAsync(b.Client, floor.Desks["A1"], date, "Full"), HttpStatusCode.Conflict, "seat.taken");
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(b.Client, floor.Desks["A1"], date, "Afternoon")).StatusCode);
        await Refused(await BookAsync(c.Client, floor.Desks["A1"], date, "Morning"), HttpStatusCode.Conflict, "seat.taken");

        // A person holds one desk per half day: a's morning is taken, so a second desk that morning is refused.
        await Refused(await BookAsync(a.Client, floor.Desks["A2"], date, "Full"), HttpStatusCode.Conflict, "seat.already_booked");
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(a.Client, floor.Desks["A2"], date.AddDays(1), "Full")).StatusCode);
    }

    [Fact]
    public async Task BadInput_IsRefusedWithAStableCode_AndChangesNothing()
    {
        var floor = await FloorAsync(app);
        var me = await app.PersonAsync();
        var desk = floor.Desks["A3"];
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        var closedDesk = await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/closures",
            new { deskId = floor.Desks["A2"], from = Iso(app.Today), to = Iso(app.Today.AddDays(3)), reason = "配線工事" });
        Assert.Equal(HttpStatusCode.Created, closedDesk.StatusCode);
        var before = await CountAsync(app);

        await Refused(await BookAsync(me.Client, desk, app.Today.AddDays(-1)), (HttpStatusCode)422, "seat.date_past");
        await Refused(await BookAsync(me.Client, desk, app.Today.AddDays(15)), (HttpStatusCode)422, "seat.beyond_horizon");
        await Refused(await BookAsync(me.Client, 999_999, app.Today), HttpStatusCode.BadRequest, "seat.desk_unknown");
        await Refused(await BookAsync(me.Client, desk, app.Today, "Evening"), HttpStatusCode.BadRequest, "seat.part_unknown");
        await Refused(await me.Client.PostAsJsonAsync("/api/v1/seats/bookings", new { deskId = desk }), HttpStatusCode.BadRequest, "seat.date_required");
        var closed = await BookAsync(me.Client, floor.Desks["A2"], app.Today.AddDays(1));
        await Refused(closed, (HttpStatusCode)422, "seat.closed");
        Assert.Equal("配線工事", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        // Another department's team area opens to others only the day before (default 1).
        await Refused(await BookAsync(me.Client, floor.Desks["T1"], app.Today.AddDays(3)), (HttpStatusCode)422, "seat.team_area");
        Assert.Equal(before, await CountAsync(app));

        // A whole floor closed.
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/closures",
            new { floorId = floor.Id, from = Iso(app.Today.AddDays(10)), to = Iso(app.Today.AddDays(10)), reason = "床の張替え" })).StatusCode);
        await Refused(await BookAsync(me.Client, floor.Desks["Q2"], app.Today.AddDays(10)), (HttpStatusCode)422, "seat.closed");

        // The weekly limit (5 by default, this site only): a sixth booking in the same week is refused.
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{floor.SiteId}/rules", new { maxPerWeek = 2 })).StatusCode);
        var monday = SeatBookings.WeekOf(app.Today.AddDays(7));
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(me.Client, desk, monday)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(me.Client, desk, monday.AddDays(1), "Morning")).StatusCode);
        var countAtLimit = await CountAsync(app);
        await Refused(await BookAsync(me.Client, desk, monday.AddDays(2)), (HttpStatusCode)422, "seat.weekly_limit");
        Assert.Equal(countAtLimit, await CountAsync(app));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{floor.SiteId}/rules", new { maxPerWeek = 5 })).StatusCode);
    }

    [Fact]
    public async Task Cancelling_FreesTheDesk_AnotherPersonsBookingIsRefused_ButHrMayCancelIt()
    {
        var floor = await FloorAsync(app);
        var (owner, colleague, hr) = (await app.PersonAsync(), await app.PersonAsync(), await app.PersonAsync(roles: [Roles.Staff, Roles.Hr]));
        var date = app.Today.AddDays(4);
        var booking = await JsonOf(await BookAsync(owner.Client, floor.Desks["Q2"], date));
        var id = booking.GetProperty("id").GetString();

        // Same department, still not theirs.
        await Refused(await colleague.Client.PostAsync($"/api/v1/seats/bookings/{id}/cancel", null), HttpStatusCode.Forbidden, "access.denied");
        // Reading it is allowed (every insider sees who sits where).
        Assert.Equal(HttpStatusCode.OK, (await colleague.Client.GetAsync($"/api/v1/seats/bookings/{id}")).StatusCode);
        var cancelled = await JsonOf(await owner.Client.PostAsync($"/api/v1/seats/bookings/{id}/cancel", null));
        Assert.Equal("Cancelled", cancelled.GetProperty("state").GetString());
        await Refused(await owner.Client.PostAsync($"/api/v1/seats/bookings/{id}/cancel", null), HttpStatusCode.Conflict, "seat.booking_not_active");

        // Free again at once; HR cancels the next holder's booking.
        var again = await JsonOf(await BookAsync(colleague.Client, floor.Desks["Q2"], date));
        var byHr = await JsonOf(await hr.Client.PostAsync($"/api/v1/seats/bookings/{again.GetProperty("id").GetString()}/cancel", null));
        Assert.Equal("Cancelled", byHr.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(owner.Client, floor.Desks["Q2"], date)).StatusCode);
    }

    [Fact]
    public async Task TheMap_ShowsFreeTakenYoursAndClosed_WithTheHoldersNameForStaff()
    {
        var floor = await FloorAsync(app);
        var (me, other) = (await app.PersonAsync(), await app.PersonAsync());
        var date = app.Today.AddDays(1);
        await JsonOf(await BookAsync(me.Client, floor.Desks["A1"], date));
        await JsonOf(await BookAsync(other.Client, floor.Desks["A2"], date, "Morning"));
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        await JsonOf(await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/closures", new { deskId = floor.Desks["A3"], from = Iso(date), to = Iso(date), reason = "修理" }));

        var map = await JsonOf(await me.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/availability?date={Iso(date)}&part=Full"));
        var desks = map.GetProperty("desks").EnumerateArray().ToDictionary(d => d.GetProperty("label").GetString()!);
        Assert.Equal("Yours", desks["A1"].GetProperty("status").GetString());
        Assert.Equal("Taken", desks["A2"].GetProperty("status").GetString());
        var otherName = await app.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<AppDbContext>().Users.First(u => u.Id == other.Id).DisplayName));
        Assert.Equal(otherName, desks["A2"].GetProperty("holderName").GetString());
        Assert.Equal(("Closed", "修理"), (desks["A3"].GetProperty("status").GetString(), desks["A3"].GetProperty("closedReason").GetString()));
        Assert.Equal("Free", desks["Q2"].GetProperty("status").GetString());
        Assert.True(desks["T1"].GetProperty("teamOnly").GetBoolean() is false, "the team area opens to others the day before");
        // The afternoon: A2 (held in the morning) is free.
        var afternoon = await JsonOf(await me.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/availability?date={Iso(date)}&part=Afternoon"));
        Assert.Equal("Free", afternoon.GetProperty("desks").EnumerateArray().First(d => d.GetProperty("label").GetString() == "A2").GetProperty("status").GetString());

        var sites = await JsonOf(await me.Client.GetAsync("/api/v1/seats/sites"));
        var main = sites.EnumerateArray().First(s => s.GetProperty("kind").GetString() == "MainOffice");
        Assert.Equal(14, main.GetProperty("rules").GetProperty("horizonDays").GetInt32());
        Assert.Contains(main.GetProperty("floors").EnumerateArray(), f => f.GetProperty("id").GetInt32() == floor.Id);
        var floorDto = await JsonOf(await me.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}"));
        Assert.Equal(8, floorDto.GetProperty("desks").GetArrayLength());
        Assert.Equal(2, floorDto.GetProperty("zones").GetArrayLength());
    }

    [Fact]
    public async Task ABookingAtASatellite_DeclaresTheWorkPlace_AndOneAtTheTownHallOnlyWhenNothingIsDeclared()
    {
        var satellite = await FloorAsync(app, SiteKind.Satellite);
        var hall = await FloorAsync(app);
        var me = await app.PersonAsync();
        var date = app.Today.AddDays(1);

        await JsonOf(await BookAsync(me.Client, satellite.Desks["A1"], date, "Morning"));
        var place = await JsonOf(await me.Client.GetAsync($"/api/v1/work/places/{Iso(date)}"));
        Assert.Equal(("Satellite", satellite.SiteId), (place.GetProperty("morning").GetProperty("kind").GetString(), place.GetProperty("morning").GetProperty("siteId").GetInt32()));
        Assert.Equal("Default", place.GetProperty("afternoon").GetProperty("source").GetString());

        // The town hall in the afternoon: nothing was declared for it. On a workday its default is already 庁舎 and
        // nothing is written; on a day off 庁舎 is declared. The morning stays the satellite.
        await JsonOf(await BookAsync(me.Client, hall.Desks["A1"], date, "Afternoon"));
        place = await JsonOf(await me.Client.GetAsync($"/api/v1/work/places/{Iso(date)}"));
        var offDay = place.GetProperty("off").GetBoolean() || place.GetProperty("dayType").GetString() != "Workday";
        Assert.Equal(("Satellite", "Office", offDay ? "Declaration" : "Default"), (place.GetProperty("morning").GetProperty("kind").GetString(),
            place.GetProperty("afternoon").GetProperty("kind").GetString(), place.GetProperty("afternoon").GetProperty("source").GetString()));

        // A weekday whose weekly pattern says 在宅: a town-hall booking declares 庁舎 for it.
        var calendar = new Domain.Calendar.TownCalendar();
        var weekday = app.Today.AddDays(3);
        while (calendar.Classify(weekday) != Domain.Calendar.CalendarDay.Workday)
        {
            weekday = weekday.AddDays(1);
        }

        await JsonOf(await me.Client.PutAsJsonAsync("/api/v1/work/pattern", new { entries = new[] { new { weekday = weekday.DayOfWeek.ToString(), kind = "Home" } } }));
        Assert.Equal("Home", (await JsonOf(await me.Client.GetAsync($"/api/v1/work/places/{Iso(weekday)}"))).GetProperty("morning").GetProperty("kind").GetString());
        await JsonOf(await BookAsync(me.Client, hall.Desks["A3"], weekday));
        place = await JsonOf(await me.Client.GetAsync($"/api/v1/work/places/{Iso(weekday)}"));
        Assert.Equal(("Office", "Declaration"), (place.GetProperty("morning").GetProperty("kind").GetString(), place.GetProperty("morning").GetProperty("source").GetString()));

        // Declared 在宅 first: a town-hall booking does not overwrite it.
        var later = app.Today.AddDays(2);
        await JsonOf(await me.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(later)}", new { kind = "Home" }));
        await JsonOf(await BookAsync(me.Client, hall.Desks["A2"], later));
        place = await JsonOf(await me.Client.GetAsync($"/api/v1/work/places/{Iso(later)}"));
        Assert.Equal("Home", place.GetProperty("morning").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task WithApprovalRequired_ABookingStartsPending_AndTheSitesAdministratorDecides()
    {
        var floor = await FloorAsync(app, SiteKind.Branch);
        var (me, dx, other) = (await app.PersonAsync(), await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]), await app.PersonAsync());
        await Refused(await me.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{floor.SiteId}/rules", new { approvalRequired = true }), HttpStatusCode.Forbidden, "access.denied");
        Assert.Equal(HttpStatusCode.OK, (await dx.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{floor.SiteId}/rules", new { approvalRequired = true })).StatusCode);
        try
        {
            var date = app.Today.AddDays(1);
            var booking = await JsonOf(await BookAsync(me.Client, floor.Desks["A1"], date));
            Assert.Equal("Pending", booking.GetProperty("state").GetString());
            // A pending booking holds the desk.
            await Refused(await BookAsync(other.Client, floor.Desks["A1"], date), HttpStatusCode.Conflict, "seat.taken");
            var pending = await JsonOf(await dx.Client.GetAsync($"/api/v1/seats/admin/bookings/pending?siteId={floor.SiteId}"));
            Assert.Contains(pending.EnumerateArray(), b => b.GetProperty("id").GetString() == booking.GetProperty("id").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await me.Client.PostAsync($"/api/v1/seats/admin/bookings/{booking.GetProperty("id").GetString()}/approve", null)).StatusCode);
            var approved = await JsonOf(await dx.Client.PostAsync($"/api/v1/seats/admin/bookings/{booking.GetProperty("id").GetString()}/approve", null));
            Assert.Equal("Confirmed", approved.GetProperty("state").GetString());
            await Refused(await dx.Client.PostAsync($"/api/v1/seats/admin/bookings/{booking.GetProperty("id").GetString()}/decline", null), HttpStatusCode.Conflict, "seat.booking_not_pending");
            var place = await JsonOf(await me.Client.GetAsync($"/api/v1/work/places/{Iso(date)}"));
            Assert.Equal(floor.SiteId, place.GetProperty("morning").GetProperty("siteId").GetInt32());

            // Declined: the desk is free again.
            var second = await JsonOf(await BookAsync(other.Client, floor.Desks["A2"], date));
            await JsonOf(await dx.Client.PostAsync($"/api/v1/seats/admin/bookings/{second.GetProperty("id").GetString()}/decline", null));
            Assert.Equal(HttpStatusCode.Created, (await BookAsync(other.Client, floor.Desks["A2"], date)).StatusCode);
        }
        finally
        {
            await dx.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{floor.SiteId}/rules", new { approvalRequired = false });
        }
    }

    [Fact]
    public async Task APartner_IsRefusedByDefault_AndStaffMayNotChangeTheSettings()
    {
        var floor = await FloorAsync(app);
        var partner = await app.PersonAsync(kind: AccountKind.Partner);
        var sideJob = await app.PersonAsync(kind: AccountKind.SideJobWorker);
        foreach (var outsider in new[] { partner, sideJob })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await outsider.Client.GetAsync("/api/v1/seats/sites")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await outsider.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/availability")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await BookAsync(outsider.Client, floor.Desks["A1"], app.Today)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await outsider.Client.GetAsync("/seats")).StatusCode);
        }

        var staff = await app.PersonAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PostAsJsonAsync("/api/v1/seats/admin/floors", new { siteId = floor.SiteId, name = "屋上" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floor.Id}/desks", new { label = "Z9", x = 1, y = 1 })).StatusCode);
    }

    [Fact]
    public async Task Administrators_ManageFloorsZonesDesksAndClosures_AndAClosureCancelsTheBookingsItCovers()
    {
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        var siteId = await app.SiteIdAsync(SiteKind.Satellite);
        var floor = await JsonOf(await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/floors", new { siteId, name = "3階", width = 800, height = 400 }));
        var floorId = floor.GetProperty("id").GetInt32();
        await Refused(await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/floors", new { siteId, name = " " }), HttpStatusCode.BadRequest, "seat.name_required");
        var zone = await JsonOf(await admin.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floorId}/zones", new { name = "窓際", kind = "Accessible", x = 0, y = 0, width = 200, height = 200 }));
        await Refused(await admin.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floorId}/zones", new { name = "課", kind = "Team", x = 0, y = 0, width = 10, height = 10 }),
            HttpStatusCode.BadRequest, "seat.department_unknown");
        await Refused(await admin.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floorId}/zones", new { name = "外", kind = "Quiet", x = 700, y = 0, width = 200, height = 10 }),
            HttpStatusCode.BadRequest, "seat.position_invalid");
        var desk = await JsonOf(await admin.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floorId}/desks",
            new { label = "S-1", x = 100, y = 100, zoneId = zone.GetProperty("id").GetInt32(), equipment = new[] { "Monitor", "Standing" } }));
        Assert.Equal(["Monitor", "Standing"], desk.GetProperty("equipment").EnumerateArray().Select(e => e.GetString()));
        await Refused(await admin.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floorId}/desks", new { label = "S-1", x = 1, y = 1 }), HttpStatusCode.Conflict, "seat.label_taken");
        await Refused(await admin.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floorId}/desks", new { label = "S-2", x = 900, y = 1 }), HttpStatusCode.BadRequest, "seat.position_invalid");
        await Refused(await admin.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floorId}/desks", new { label = "S-2", x = 1, y = 1, equipment = new[] { "Coffee" } }),
            HttpStatusCode.BadRequest, "seat.equipment_unknown");
        var deskId = desk.GetProperty("id").GetInt32();
        var moved = await JsonOf(await admin.Client.PutAsJsonAsync($"/api/v1/seats/admin/desks/{deskId}", new { x = 300, y = 200 }));
        Assert.Equal((300, 200, "S-1"), (moved.GetProperty("x").GetInt32(), moved.GetProperty("y").GetInt32(), moved.GetProperty("label").GetString()));

        var me = await app.PersonAsync();
        var date = app.Today.AddDays(5);
        await JsonOf(await BookAsync(me.Client, deskId, date));
        await Refused(await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/closures", new { floorId, from = Iso(date), to = Iso(date.AddDays(-1)), reason = "x" }),
            HttpStatusCode.BadRequest, "seat.range_invalid");
        await Refused(await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/closures", new { floorId, from = Iso(date), to = Iso(date) }), HttpStatusCode.BadRequest, "seat.reason_required");
        var closure = await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/closures", new { floorId, from = Iso(date), to = Iso(date), reason = "消防点検" });
        Assert.Equal(HttpStatusCode.Created, closure.StatusCode);
        Assert.Equal(1, (await closure.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cancelledBookings").GetInt32());
        Assert.Empty((await JsonOf(await me.Client.GetAsync("/api/v1/seats/bookings"))).EnumerateArray());

        // A desk with bookings is taken out of use rather than deleted; a floor with such desks stays.
        Assert.True((await JsonOf(await admin.Client.DeleteAsync($"/api/v1/seats/admin/desks/{deskId}"))).GetProperty("deactivated").GetBoolean());
        await Refused(await admin.Client.DeleteAsync($"/api/v1/seats/admin/floors/{floorId}"), HttpStatusCode.Conflict, "seat.floor_in_use");
        await Refused(await BookAsync(me.Client, deskId, app.Today.AddDays(6)), HttpStatusCode.BadRequest, "seat.desk_unknown");
    }

    [Fact]
    public async Task Bookings_AreInThePersonsCalendarFeed_UntilCancelled()
    {
        var floor = await FloorAsync(app);
        var me = await app.PersonAsync();
        var date = app.Today.AddDays(2);
        var booking = await JsonOf(await BookAsync(me.Client, floor.Desks["A1"], date, "Morning"));
        var id = Guid.Parse(booking.GetProperty("id").GetString()!);

        var made = await me.Client.PostAsync("/api/v1/me/calendar-feed", null);
        var url = new Uri((await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        var ics = (await anonymous.GetStringAsync(url.PathAndQuery)).Replace("\r\n ", "", StringComparison.Ordinal); // unfolded (RFC 5545 3.1)
        Assert.Contains($"UID:seat-{id:N}@dokodemo\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("A1（午前）", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART;VALUE=DATE:" + date.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), ics, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await me.Client.PostAsJsonAsync($"/api/v1/seats/bookings/{id}/cancel", new { })).StatusCode);
        Assert.DoesNotContain($"seat-{id:N}@dokodemo", await anonymous.GetStringAsync(url.PathAndQuery), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoIsWhere_ListsTheTeamsPlacesAndDesks_AndFindsAColleagueByName()
    {
        var floor = await FloorAsync(app);
        var dept = "座席探し課" + Guid.NewGuid().ToString("N")[..4];
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            db.Departments.Add(new Department { Code = "S" + Guid.NewGuid().ToString("N")[..8], Name = dept, NameEn = dept });
            return await db.SaveChangesAsync();
        });
        var (sitter, home, colleague) = (await app.PersonAsync(dept), await app.PersonAsync(dept), await app.PersonAsync(dept));
        var calendar = new Domain.Calendar.TownCalendar();
        var date = app.Today.AddDays(1);
        while (calendar.Classify(date) != Domain.Calendar.CalendarDay.Workday)
        {
            date = date.AddDays(1);
        }

        await JsonOf(await BookAsync(sitter.Client, floor.Desks["A2"], date, "Afternoon"));
        await JsonOf(await home.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(date)}", new { kind = "Home" }));

        var team = (await JsonOf(await colleague.Client.GetAsync($"/api/v1/seats/people?date={Iso(date)}"))).EnumerateArray().ToDictionary(p => p.GetProperty("userId").GetString()!);
        Assert.Equal(3, team.Count);
        var s = team[sitter.Id];
        Assert.True(s.GetProperty("inOffice").GetBoolean());
        var desk = Assert.Single(s.GetProperty("desks").EnumerateArray());
        Assert.Equal(("A2", "Afternoon"), (desk.GetProperty("deskLabel").GetString(), desk.GetProperty("part").GetString()));
        Assert.Equal("在宅", team[home.Id].GetProperty("place").GetString());
        Assert.Empty(team[home.Id].GetProperty("desks").EnumerateArray());

        // Found by name from anywhere in the town (the directory is readable to staff).
        var name = s.GetProperty("name").GetString()!;
        var other = await app.PersonAsync("総務課");
        var found = (await JsonOf(await other.Client.GetAsync($"/api/v1/seats/people?date={Iso(date)}&name={Uri.EscapeDataString(name)}"))).EnumerateArray().ToList();
        Assert.Contains(found, p => p.GetProperty("userId").GetString() == sitter.Id);

        // The page shows the same.
        var html = await colleague.Client.GetStringAsync($"/seats/people?date={Iso(date)}");
        Assert.Contains("A2", html, StringComparison.Ordinal);
        Assert.Contains("在宅", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utilisation_CountsHeldHalfDays_ByMonthFloorZoneAndWeekday_AsJsonAndCsv()
    {
        var floor = await FloorAsync(app);
        var me = await app.PersonAsync();
        var dx = await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]);
        var calendar = new Domain.Calendar.TownCalendar();
        var date = app.Today.AddDays(1);
        while (calendar.Classify(date) != Domain.Calendar.CalendarDay.Workday)
        {
            date = date.AddDays(1);
        }

        await JsonOf(await BookAsync(me.Client, floor.Desks["A1"], date));
        var month = date.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Forbidden, (await me.Client.GetAsync($"/api/v1/seats/admin/utilisation?from={month}&to={month}")).StatusCode);
        await Refused(await dx.Client.GetAsync($"/api/v1/seats/admin/utilisation?from={month}&to=1999-01"), HttpStatusCode.BadRequest, "seat.utilisation_range");

        var rows = (await JsonOf(await dx.Client.GetAsync($"/api/v1/seats/admin/utilisation?from={month}&to={month}"))).EnumerateArray()
            .Where(r => r.GetProperty("floorId").GetInt32() == floor.Id).ToList();
        var zoneOfA1 = rows.Where(r => r.GetProperty("weekday").GetString() == date.DayOfWeek.ToString() && r.GetProperty("heldHalfDays").GetInt32() > 0).ToList();
        var cell = Assert.Single(zoneOfA1);
        Assert.Equal(2, cell.GetProperty("heldHalfDays").GetInt32()); // a whole day holds both halves
        Assert.True(cell.GetProperty("capacityHalfDays").GetInt32() >= cell.GetProperty("desks").GetInt32() * 2);
        Assert.True(cell.GetProperty("rate").GetDecimal() > 0);

        // A closure of one desk on that day takes its two half days out of what was offered.
        var offered = cell.GetProperty("capacityHalfDays").GetInt32();
        await JsonOf(await dx.Client.PostAsJsonAsync("/api/v1/seats/admin/closures", new { deskId = floor.Desks["A2"], from = Iso(date), to = Iso(date), reason = "修理" }));
        var after = (await JsonOf(await dx.Client.GetAsync($"/api/v1/seats/admin/utilisation?from={month}&to={month}"))).EnumerateArray()
            .Single(r => r.GetProperty("floorId").GetInt32() == floor.Id && r.GetProperty("weekday").GetString() == date.DayOfWeek.ToString()
                && r.GetProperty("heldHalfDays").GetInt32() > 0);
        Assert.Equal(offered - 2, after.GetProperty("capacityHalfDays").GetInt32());

        // The page shows the same figures by month, floor, zone and weekday, for the settings readers only.
        var page = await dx.Client.GetAsync($"/seats/utilisation?from={month}&to={month}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        foreach (var id in new[] { "util-month", "util-floor", "util-zone", "util-weekday", "util-csv" })
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<meter", html, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await me.Client.GetAsync("/seats/utilisation")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dx.Client.GetAsync("/seats/utilisation?from=2026-13")).StatusCode);

        var csv = await dx.Client.GetAsync($"/api/v1/seats/admin/utilisation?from={month}&to={month}&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("\"月\",\"拠点\",\"フロア\"", text, StringComparison.Ordinal);
        Assert.Contains("\"利用率\"\r\n", text, StringComparison.Ordinal);
    }
}
