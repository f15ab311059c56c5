using System.Net;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;

namespace Dokodemo.Tests;

/// <summary>P6's correctness half: 200 people try the same desk and slot at once through real HTTP; the database lets exactly one in.</summary>
public class SeatsConcurrencyTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    [Fact]
    public async Task TwoHundredConcurrentBookings_OfOneDeskAndSlot_ExactlyOneWins_TheRestGetSeatTaken()
    {
        var floor = await FloorAsync(app);
        var people = new List<Person>();
        for (var i = 0; i < 200; i += 20)
        {
            people.AddRange(await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.PersonAsync())));
        }

        var date = app.Today.AddDays(3);
        var gate = new TaskCompletionSource();
        var attempts = people.Select(async p =>
        {
            await gate.Task;
            using var response = await BookAsync(p.Client, floor.Desks["Q1"], date, "Morning");
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, Code: JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null, Body: body);
        }).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(attempts);

        var statuses = results.GroupBy(r => (r.StatusCode, r.Code)).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(results.Count(r => r.StatusCode == HttpStatusCode.Created) == 1,
            string.Join("; ", statuses.Select(s => $"{(int)s.Key.StatusCode} {s.Key.Code}: {s.Value}")) + " — " + results.FirstOrDefault(r => r.StatusCode != HttpStatusCode.Created && r.Code != "seat.taken").Body);
        Assert.Equal(199, results.Count(r => r.StatusCode == HttpStatusCode.Conflict && r.Code == "seat.taken"));

        var held = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().SeatHoldings.CountAsync(h => h.DeskId == floor.Desks["Q1"] && h.Date == date));
        Assert.Equal(1, held);
        var bookings = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().SeatBookings.CountAsync(b => b.DeskId == floor.Desks["Q1"] && b.Date == date));
        Assert.Equal(1, bookings);
    }
}
