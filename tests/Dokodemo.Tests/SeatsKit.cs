using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Organization;
using Dokodemo.Seats;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>A floor laid out for a test: its id, its desks by label and its zones by name.</summary>
public sealed record TestFloor(int Id, int SiteId, IReadOnlyDictionary<string, int> Desks, IReadOnlyDictionary<string, int> Zones);

/// <summary>What the Seats tests share: a floor with zones and desks written straight to the database, and reading answers.</summary>
public static class SeatsKit
{
    /// <summary>
    /// A floor at a site with a quiet zone (Q1–Q3, Q1 and Q3 with a monitor), a team area for <paramref name="teamDepartment"/>
    /// (T1, T2), and open desks (A1–A3, A2 with a monitor).
    /// </summary>
    public static Task<TestFloor> FloorAsync(PlacesApp app, SiteKind site = SiteKind.MainOffice, string teamDepartment = "税務課") =>
        app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var siteId = await db.Sites.Where(s => s.Kind == site).Select(s => s.Id).FirstAsync();
            var floor = new SeatFloor { SiteId = siteId, Name = "試験 " + Guid.NewGuid().ToString("N")[..6], Width = 1000, Height = 600 };
            db.SeatFloors.Add(floor);
            await db.SaveChangesAsync();
            var department = await db.Departments.Where(d => d.Name == teamDepartment).Select(d => d.Id).FirstAsync();
            var quiet = new SeatZone { FloorId = floor.Id, Name = "集中", Kind = ZoneKind.Quiet, X = 0, Y = 0, Width = 300, Height = 300 };
            var team = new SeatZone { FloorId = floor.Id, Name = "税務チーム", Kind = ZoneKind.Team, DepartmentId = department, X = 600, Y = 0, Width = 300, Height = 300 };
            db.SeatZones.AddRange(quiet, team);
            await db.SaveChangesAsync();
            var desks = new List<Desk>
            {
                new() { FloorId = floor.Id, ZoneId = quiet.Id, Label = "Q1", X = 50, Y = 50, Equipment = DeskEquipment.Monitor },
                new() { FloorId = floor.Id, ZoneId = quiet.Id, Label = "Q2", X = 100, Y = 50 },
                new() { FloorId = floor.Id, ZoneId = quiet.Id, Label = "Q3", X = 250, Y = 250, Equipment = DeskEquipment.Monitor | DeskEquipment.Docking },
                new() { FloorId = floor.Id, ZoneId = team.Id, Label = "T1", X = 650, Y = 50 },
                new() { FloorId = floor.Id, ZoneId = team.Id, Label = "T2", X = 700, Y = 50 },
                new() { FloorId = floor.Id, Label = "A1", X = 400, Y = 400 },
                new() { FloorId = floor.Id, Label = "A2", X = 450, Y = 400, Equipment = DeskEquipment.Monitor },
                new() { FloorId = floor.Id, Label = "A3", X = 500, Y = 400 },
            };
            db.Desks.AddRange(desks);
            await db.SaveChangesAsync();
            return new TestFloor(floor.Id, siteId, desks.ToDictionary(d => d.Label, d => d.Id), new Dictionary<string, int> { ["quiet"] = quiet.Id, ["team"] = team.Id });
        });

    public static async Task<JsonElement> JsonOf(HttpResponseMessage r)
    {
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task Refused(HttpResponseMessage r, HttpStatusCode status, string code)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(status == r.StatusCode, $"expected {(int)status} {code}, got {(int)r.StatusCode} {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    public static Task<HttpResponseMessage> BookAsync(HttpClient client, int deskId, DateOnly date, string part = "Full") =>
        client.PostAsJsonAsync("/api/v1/seats/bookings", new { deskId, date = PlacesApp.Iso(date), part });

    public static Task<int> CountAsync(PlacesApp app) =>
        app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            return await db.SeatBookings.CountAsync() * 1000 + await db.SeatHoldings.CountAsync();
        });
}
