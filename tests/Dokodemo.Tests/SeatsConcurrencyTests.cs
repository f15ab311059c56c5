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

    /// <summary>
    /// The group writer (P6): bookings queued together share a transaction, each in its own savepoint. A refused one (its desk
    /// and half already held, by a booking before the group or earlier in the same group) is rolled back alone and its caller
    /// gets the unique violation; every other booking of the group commits with its holdings.
    /// </summary>
    [Fact]
    public async Task GroupWriter_RefusesOnlyTheTakenBookingsOfAGroup_AndCommitsTheRest()
    {
        var floor = await FloorAsync(app);
        var people = (await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => app.PersonAsync()))).ToList();
        var date = app.Today.AddDays(5);
        var labels = new[] { "Q1", "Q2", "Q3", "T1", "T2", "A1", "A2", "A3" };
        var writer = app.Services.GetRequiredService<Dokodemo.Seats.SeatBookingWriter>();

        Dokodemo.Seats.SeatBooking Booking(int person, string desk, Dokodemo.Seats.BookingPart part) => new()
        {
            Id = Guid.NewGuid(), DeskId = floor.Desks[desk], UserId = people[person].Id, Date = date, Part = part,
            State = Dokodemo.Seats.BookingState.Confirmed, CreatedAt = DateTimeOffset.UtcNow,
        };

        // Before the group: A3 taken for the whole day.
        var first = Booking(23, "A3", Dokodemo.Seats.BookingPart.Full);
        await writer.InsertAsync(first);
        var before = writer.Counts;

        // The group, all queued at once: people 0–7 take the eight desks' mornings (A3's is taken); people 8–15 the same
        // mornings again (all taken); people 16–22 the afternoons of the first seven desks (free).
        var bookings = Enumerable.Range(0, 8).Select(i => Booking(i, labels[i], Dokodemo.Seats.BookingPart.Morning))
            .Concat(Enumerable.Range(0, 8).Select(i => Booking(8 + i, labels[i], Dokodemo.Seats.BookingPart.Morning)))
            .Concat(Enumerable.Range(0, 7).Select(i => Booking(16 + i, labels[i], Dokodemo.Seats.BookingPart.Afternoon)))
            .ToList();
        var outcomes = await Task.WhenAll(bookings.Select(async b =>
        {
            try
            {
                await writer.InsertAsync(b);
                return (b, Refused: false);
            }
            catch (System.Data.Common.DbException ex) when (Dokodemo.Data.DbErrors.IsUniqueViolation(ex))
            {
                return (b, Refused: true);
            }
        }));

        var made = outcomes.Where(o => !o.Refused).Select(o => o.b.Id).ToHashSet();
        Assert.Equal(7 + 7, made.Count);
        Assert.All(outcomes.Take(7), o => Assert.False(o.Refused));
        Assert.True(outcomes[7].Refused);
        Assert.All(outcomes.Skip(8).Take(8), o => Assert.True(o.Refused));
        Assert.All(outcomes.Skip(16), o => Assert.False(o.Refused));
        var after = writer.Counts;
        Assert.Equal(23, after.Writes - before.Writes);
        Assert.True(after.Transactions - before.Transactions < 23, $"{after.Transactions - before.Transactions} transactions for 23 writes: no grouping");

        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var stored = await db.SeatBookings.Where(b => b.Date == date && floor.Desks.Values.Contains(b.DeskId)).Select(b => b.Id).ToListAsync();
            Assert.Equal(made.Append(first.Id).ToHashSet(), stored.ToHashSet());
            var holdings = await db.SeatHoldings.Where(h => h.Date == date && floor.Desks.Values.Contains(h.DeskId)).ToListAsync();
            Assert.Equal(14 + 2, holdings.Count);
            Assert.All(holdings, h => Assert.True(made.Contains(h.BookingId) || h.DeskId == floor.Desks["A3"]));
            // What the writer stored reads back through the EF model (ids, dates and instants in the model's storage).
            var one = await db.SeatBookings.AsNoTracking().SingleAsync(b => b.Id == bookings[0].Id);
            Assert.Equal((bookings[0].UserId, bookings[0].Date, bookings[0].Part), (one.UserId, one.Date, one.Part));
            Assert.Equal(bookings[0].CreatedAt.ToUnixTimeMilliseconds(), one.CreatedAt.ToUnixTimeMilliseconds());
            return 0;
        });
    }
}
