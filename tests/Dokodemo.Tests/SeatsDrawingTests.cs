using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Seats;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;

namespace Dokodemo.Tests;

/// <summary>
/// The plan editor's API: a drawing is saved whole — the server writes the plan from the shapes, moves, adds and
/// deactivates desks, keeps zones — or refused whole, naming the item, with nothing changed.
/// </summary>
public class SeatsDrawingTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static string DrawingUrl(int floor) => $"/api/v1/seats/admin/floors/{floor}/drawing";

    /// <summary>The floor as the database has it: plan, desks (with zone and active) and zones, for before/after comparisons.</summary>
    private Task<string> SnapshotAsync(int floorId) =>
        app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var floor = await db.SeatFloors.AsNoTracking().FirstAsync(f => f.Id == floorId);
            var desks = await db.Desks.AsNoTracking().Where(d => d.FloorId == floorId).OrderBy(d => d.Id)
                .Select(d => $"{d.Id}:{d.Label}:{d.X}:{d.Y}:{d.ZoneId}:{d.Active}").ToListAsync();
            var zones = await db.SeatZones.AsNoTracking().Where(z => z.FloorId == floorId).OrderBy(z => z.Id)
                .Select(z => $"{z.Id}:{z.Name}:{z.Kind}:{z.X}:{z.Y}:{z.Width}:{z.Height}").ToListAsync();
            return $"{floor.PlanSvg}|{string.Join(",", desks)}|{string.Join(",", zones)}";
        });

    /// <summary>The desks of the drawing the editor opens, to send back (changed) as a client would.</summary>
    private static List<DrawingDesk> DesksOf(JsonElement drawing) => drawing.GetProperty("desks").Deserialize<List<DrawingDesk>>(PlacesApp.Json)!;

    private static List<DrawingZone> ZonesOf(JsonElement drawing) => drawing.GetProperty("zones").Deserialize<List<DrawingZone>>(PlacesApp.Json)!;

    [Fact]
    public async Task SavingADrawing_WritesThePlanFromTheShapes_MovesAddsAndDeactivatesDesks_AndKeepsTheUploadedPlanUnderneath()
    {
        var floor = await FloorAsync(app);
        var dx = await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]);
        var staff = await app.PersonAsync();
        await JsonOf(await dx.Client.PutAsJsonAsync($"/api/v1/seats/admin/floors/{floor.Id}/plan",
            new { svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 600"><rect id="uploaded" x="0" y="0" width="1000" height="600" fill="#fafafa"/></svg>""" }));
        var booked = await JsonOf(await BookAsync(staff.Client, floor.Desks["A3"], app.Today.AddDays(1)));

        var opened = await JsonOf(await dx.Client.GetAsync(DrawingUrl(floor.Id)));
        Assert.True(opened.GetProperty("hasBackground").GetBoolean());
        Assert.Equal(0, opened.GetProperty("shapes").GetArrayLength());
        Assert.Equal(8, opened.GetProperty("desks").GetArrayLength());
        Assert.Equal((1000, 600), (opened.GetProperty("width").GetInt32(), opened.GetProperty("height").GetInt32()));

        // Q1 moves, A3 (booked tomorrow) leaves the drawing, A4 and N1 are new, N1 inside a new zone.
        var desks = DesksOf(opened).Where(d => d.Label is not ("A3" or "Q1")).ToList();
        desks.Add(new DrawingDesk(floor.Desks["Q1"], "Q1", 120, 120));
        desks.Add(new DrawingDesk(null, "A4", 420, 420));
        desks.Add(new DrawingDesk(null, "N1", 820, 500));
        var zones = ZonesOf(opened);
        zones.Add(new DrawingZone(null, "窓際", "General", null, 800, 450, 150, 100));
        var shapes = new object[]
        {
            new { type = "rect", x = 10, y = 10, width = 200, height = 150 },
            new { type = "line", x = 0, y = 300, x2 = 500, y2 = 300 },
            new { type = "text", x = 20, y = 40, text = "会議室" },
        };
        var saved = await JsonOf(await dx.Client.PutAsJsonAsync(DrawingUrl(floor.Id), new { shapes, desks, zones, stamp = opened.GetProperty("stamp").GetString() }));
        Assert.Equal(9, saved.GetProperty("desks").GetArrayLength());
        Assert.Equal(3, saved.GetProperty("zones").GetArrayLength());
        Assert.Equal(["A3"], saved.GetProperty("inactiveLabels").EnumerateArray().Select(l => l.GetString()));

        // The plan everyone sees is the server's SVG: the uploaded plan underneath, the shapes on top.
        var plan = await (await staff.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/plan")).Content.ReadAsStringAsync();
        Assert.Contains("<rect x=\"10\" y=\"10\" width=\"200\" height=\"150\"", plan, StringComparison.Ordinal);
        Assert.Contains("<line x1=\"0\" y1=\"300\" x2=\"500\" y2=\"300\"", plan, StringComparison.Ordinal);
        Assert.Contains(">会議室</text>", plan, StringComparison.Ordinal);
        var svg = XElement.Parse(plan);
        Assert.Equal("uploaded", svg.Elements().Single(e => (string?)e.Attribute("id") == "dk-base").Elements().Single().Attribute("id")!.Value);

        // Re-opened, the editor gets its shapes back.
        var reopened = await JsonOf(await dx.Client.GetAsync(DrawingUrl(floor.Id)));
        Assert.Equal(["rect", "line", "text"], reopened.GetProperty("shapes").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        Assert.Equal("会議室", reopened.GetProperty("shapes")[2].GetProperty("text").GetString());
        Assert.Equal(500, reopened.GetProperty("shapes")[1].GetProperty("x2").GetInt32());
        Assert.True(reopened.GetProperty("hasBackground").GetBoolean());
        var background = await dx.Client.GetAsync(DrawingUrl(floor.Id) + "/background");
        Assert.Equal(HttpStatusCode.OK, background.StatusCode);
        var backgroundSvg = await background.Content.ReadAsStringAsync();
        Assert.Contains("uploaded", backgroundSvg, StringComparison.Ordinal);
        Assert.DoesNotContain("会議室", backgroundSvg, StringComparison.Ordinal);

        // The database: Q1 moved (still in the quiet zone), A3 inactive with its booking cancelled, N1 in the new zone.
        var rows = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            return (
                Desks: await db.Desks.AsNoTracking().Where(d => d.FloorId == floor.Id).ToDictionaryAsync(d => d.Label),
                Zone: await db.SeatZones.AsNoTracking().FirstAsync(z => z.FloorId == floor.Id && z.Name == "窓際"),
                Booking: await db.SeatBookings.AsNoTracking().FirstAsync(b => b.Id == booked.GetProperty("id").GetGuid()),
                Holdings: await db.SeatHoldings.CountAsync(h => h.DeskId == floor.Desks["A3"]),
                Audit: await db.AuditEntries.AsNoTracking().Where(e => e.Event == "seat.drawing.saved").Select(e => e.Details).ToListAsync());
        });
        Assert.Equal((120, 120, floor.Zones["quiet"]), (rows.Desks["Q1"].X, rows.Desks["Q1"].Y, rows.Desks["Q1"].ZoneId!.Value));
        Assert.False(rows.Desks["A3"].Active);
        Assert.Equal(BookingState.Cancelled, rows.Booking.State);
        Assert.Equal(0, rows.Holdings);
        Assert.Equal(rows.Zone.Id, rows.Desks["N1"].ZoneId);
        Assert.Null(rows.Desks["A4"].ZoneId);
        Assert.Equal(floor.Zones["team"], rows.Desks["T1"].ZoneId);
        Assert.Contains(rows.Audit, d => d.Contains("\"desksAdded\":\"2\"", StringComparison.Ordinal) && d.Contains("\"desksDeactivated\":\"1\"", StringComparison.Ordinal)
            && d.Contains("\"bookingsCancelled\":\"1\"", StringComparison.Ordinal));

        // The new desk can be booked; the removed one cannot.
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(staff.Client, rows.Desks["N1"].Id, app.Today.AddDays(2))).StatusCode);
        Assert.NotEqual(HttpStatusCode.Created, (await BookAsync(staff.Client, floor.Desks["A3"], app.Today.AddDays(2))).StatusCode);

        // Saved again without the background and without the team zone: the plan is only the drawing; T1 and T2 lose their zone.
        var again = await JsonOf(await dx.Client.PutAsJsonAsync(DrawingUrl(floor.Id), new
        {
            shapes, desks = DesksOf(reopened), zones = ZonesOf(reopened).Where(z => z.Kind != "Team").ToList(), keepBackground = false,
        }));
        Assert.False(again.GetProperty("hasBackground").GetBoolean());
        plan = await (await staff.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/plan")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("uploaded", plan, StringComparison.Ordinal);
        Assert.Contains(">会議室</text>", plan, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await dx.Client.GetAsync(DrawingUrl(floor.Id) + "/background")).StatusCode);
        var t1 = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Desks.AsNoTracking().FirstAsync(d => d.Id == floor.Desks["T1"]));
        Assert.Null(t1.ZoneId);
        Assert.True(t1.Active);
    }

    [Fact]
    public async Task InvalidDrawings_AreRefusedNamingTheItem_AndChangeNothing()
    {
        var floor = await FloorAsync(app);
        var other = await FloorAsync(app);
        var dx = await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]);
        var opened = await JsonOf(await dx.Client.GetAsync(DrawingUrl(floor.Id)));
        var desks = DesksOf(opened);
        var zones = ZonesOf(opened);
        var room = new { type = "rect", x = 10, y = 10, width = 100, height = 100 };
        var before = await SnapshotAsync(floor.Id);

        var cases = new (object Body, string Field, string Reason)[]
        {
            (new { shapes = new object[] { room, new { type = "rect", x = 900, y = 10, width = 200, height = 50 } }, desks, zones }, "shapes[1]", "out_of_bounds"),
            (new { shapes = new object[] { new { type = "line", x = 0, y = 0, x2 = 1001, y2 = 10 } }, desks, zones }, "shapes[0]", "out_of_bounds"),
            (new { shapes = new object[] { new { type = "text", x = -1, y = 10, text = "倉庫" } }, desks, zones }, "shapes[0]", "out_of_bounds"),
            (new { shapes = new object[] { new { type = "image", x = 1, y = 1 } }, desks, zones }, "shapes[0].type", "type_unknown"),
            (new { shapes = new object[] { new { type = "text", x = 5, y = 5, text = "改行\nあり" } }, desks, zones }, "shapes[0].text", "text_invalid"),
            (new { shapes = Enumerable.Repeat<object>(room, SeatDrawing.MaxShapes + 1).ToArray(), desks, zones }, "shapes", "too_many"),
            (new { shapes = new[] { room }, desks = desks.Append(new DrawingDesk(null, "X1", 500, 601)).ToList(), zones }, $"desks[{desks.Count}]", "out_of_bounds"),
            (new { shapes = new[] { room }, desks = desks.Append(new DrawingDesk(other.Desks["A1"], "X2", 5, 5)).ToList(), zones }, $"desks[{desks.Count}].id", "desk_unknown"),
            (new { shapes = new[] { room }, desks = desks.Append(new DrawingDesk(null, "A1", 5, 5)).ToList(), zones }, $"desks[{desks.Count}].label", "label_duplicate"),
            (new { shapes = new[] { room }, desks = desks.Append(new DrawingDesk(null, new string('席', 21), 5, 5)).ToList(), zones }, $"desks[{desks.Count}].label", "label_invalid"),
            (new { shapes = new[] { room }, desks, zones = zones.Append(new DrawingZone(null, "休憩", "Lounge", null, 1, 1, 10, 10)).ToList() }, "zones[2].kind", "zone_kind_unknown"),
            (new { shapes = new[] { room }, desks, zones = zones.Append(new DrawingZone(null, "税務", "Team", null, 1, 1, 10, 10)).ToList() }, "zones[2].departmentId", "department_unknown"),
            (new { shapes = new[] { room }, desks, zones = zones.Append(new DrawingZone(other.Zones["quiet"], "他", "Quiet", null, 1, 1, 10, 10)).ToList() }, "zones[2].id", "zone_unknown"),
            (new { shapes = new[] { room }, desks, zones = zones.Append(new DrawingZone(null, "広すぎ", "Quiet", null, 500, 500, 600, 10)).ToList() }, "zones[2]", "out_of_bounds"),
        };
        foreach (var (body, field, reason) in cases)
        {
            var r = await dx.Client.PutAsJsonAsync(DrawingUrl(floor.Id), body);
            await Refused(r, HttpStatusCode.BadRequest, "seat.drawing_invalid");
            var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((field, reason), (problem.GetProperty("field").GetString(), problem.GetProperty("reason").GetString()));
            Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // A lone surrogate (XML and PostgreSQL cannot hold it): the JSON reader refuses it already; the drawing's own check
        // would too (it is what stands between such text and the XML writer), never a 500.
        var lone = new StringContent("""{"shapes":[{"type":"text","x":5,"y":5,"text":"\ud800"}]}""", System.Text.Encoding.UTF8, "application/json");
        await Refused(await dx.Client.PutAsync(DrawingUrl(floor.Id), lone), HttpStatusCode.BadRequest, "request.invalid");
        Assert.Equal("shapes[0].text", SeatDrawing.Check(1000, 600, [new DrawingShape("text", 5, 5, null, null, null, null, "会議室\uD800")], [], [])!.Details!["field"]);
        Assert.Equal("zones[0].name", SeatDrawing.Check(1000, 600, [], [], [new DrawingZone(null, "\uDC00", "Quiet", null, 1, 1, 5, 5)])!.Details!["field"]);

        // Valid items before the bad one were not written either: the floor is exactly as it was.
        Assert.Equal(before, await SnapshotAsync(floor.Id));
        await Refused(await dx.Client.PutAsJsonAsync(DrawingUrl(999_999), new { shapes = Array.Empty<object>() }), HttpStatusCode.NotFound, "seat.floor_unknown");
    }

    [Fact]
    public async Task ADrawingOpenedBeforeSomeoneElseChangedTheFloor_IsRefusedAsStale_AndTheirDeskStays()
    {
        var floor = await FloorAsync(app);
        var dx = await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]);
        var opened = await JsonOf(await dx.Client.GetAsync(DrawingUrl(floor.Id)));
        var stamp = opened.GetProperty("stamp").GetString();

        // Meanwhile a colleague adds a desk with the coordinate form's API.
        var added = await JsonOf(await dx.Client.PostAsJsonAsync($"/api/v1/seats/admin/floors/{floor.Id}/desks", new { label = "B9", x = 10, y = 590 }));
        var before = await SnapshotAsync(floor.Id);
        var r = await dx.Client.PutAsJsonAsync(DrawingUrl(floor.Id), new { shapes = Array.Empty<object>(), desks = DesksOf(opened), zones = ZonesOf(opened), stamp });
        await Refused(r, HttpStatusCode.Conflict, "seat.drawing_stale");
        Assert.Equal(before, await SnapshotAsync(floor.Id));

        // Re-opened, the drawing has the new desk and saves.
        var again = await JsonOf(await dx.Client.GetAsync(DrawingUrl(floor.Id)));
        Assert.Contains(DesksOf(again), d => d.Id == added.GetProperty("id").GetInt32());
        await JsonOf(await dx.Client.PutAsJsonAsync(DrawingUrl(floor.Id), new
        {
            shapes = Array.Empty<object>(), desks = DesksOf(again), zones = ZonesOf(again), stamp = again.GetProperty("stamp").GetString(),
        }));
    }

    [Fact]
    public async Task ScriptInLabelsAndText_IsWrittenAsText_NeverAsMarkup()
    {
        var floor = await FloorAsync(app);
        var dx = await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]);
        var staff = await app.PersonAsync();
        var opened = await JsonOf(await dx.Client.GetAsync(DrawingUrl(floor.Id)));
        var desks = DesksOf(opened);
        desks.Add(new DrawingDesk(null, "<b onclick=x()>", 300, 500));
        var shapes = new object[]
        {
            new { type = "text", x = 20, y = 40, text = "<script>alert(1)</script>" },
            new { type = "text", x = 20, y = 80, text = "\"/><svg onload=\"x()" },
        };
        await JsonOf(await dx.Client.PutAsJsonAsync(DrawingUrl(floor.Id), new { shapes, desks, zones = ZonesOf(opened) }));

        var plan = await (await staff.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/plan")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", plan, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", plan, StringComparison.Ordinal);
        var svg = XElement.Parse(plan);
        Assert.All(svg.Descendants(), e => Assert.Contains(e.Name.LocalName, new[] { "g", "rect", "line", "text" }));
        Assert.DoesNotContain(svg.Descendants().SelectMany(e => e.Attributes()), a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        Assert.Equal(2, svg.Descendants().Count(e => e.Name.LocalName == "text"));

        // The map escapes the desk's label.
        var page = await (await staff.Client.GetAsync($"/seats?floor={floor.Id}&date={PlacesApp.Iso(app.Today.AddDays(1))}")).Content.ReadAsStringAsync();
        Assert.Contains("&lt;b onclick=x()&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b onclick", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_MayNotOpenOrSaveTheEditor_Administrators_GetThePageWithItsNoScriptPath()
    {
        var floor = await FloorAsync(app);
        var staff = await app.PersonAsync();
        var dx = await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]);
        var before = await SnapshotAsync(floor.Id);
        await Refused(await staff.Client.GetAsync(DrawingUrl(floor.Id)), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await staff.Client.PutAsJsonAsync(DrawingUrl(floor.Id), new { shapes = Array.Empty<object>(), desks = Array.Empty<object>() }),
            HttpStatusCode.Forbidden, "access.denied");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(DrawingUrl(floor.Id) + "/background")).StatusCode);
        var denied = await staff.Client.GetAsync($"/seats/admin/floors/{floor.Id}/draw");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/denied", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(floor.Id));

        var page = await dx.Client.GetAsync($"/seats/admin/floors/{floor.Id}/draw");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("図面の編集には JavaScript が必要です", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/seats/admin?floor={floor.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains("seats-draw", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        var admin = await (await dx.Client.GetAsync($"/seats/admin?floor={floor.Id}")).Content.ReadAsStringAsync();
        Assert.Contains($"/seats/admin/floors/{floor.Id}/draw", admin, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await dx.Client.GetAsync("/seats/admin/floors/999999/draw")).StatusCode);
    }
}
