using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Domain.Calendar;
using Dokodemo.Organization;
using Dokodemo.Seats;
using Dokodemo.Shared;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;
using static Dokodemo.Tests.Work.PlacesApp;

namespace Dokodemo.Tests;

/// <summary>
/// Recurring bookings (繰り返し予約) over HTTP: a series books the workdays and reports the dates it skipped with their
/// codes, all in one transaction or nothing; cancelling one date, a range or the rest frees exactly those holdings.
/// </summary>
public class SeatsSeriesTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static Task<HttpResponseMessage> SeriesAsync(HttpClient client, int deskId, DateOnly from, DateOnly until, string[] weekdays, string part = "Full") =>
        client.PostAsJsonAsync("/api/v1/seats/series", new { deskId, part, weekdays, from = Iso(from), until = Iso(until) });

    private static List<DateOnly> Dates(JsonElement list, string property = "date") =>
        [.. list.EnumerateArray().Select(e => DateOnly.Parse(e.GetProperty(property).GetString()!, System.Globalization.CultureInfo.InvariantCulture))];

    private static List<DateOnly> DateList(JsonElement list) =>
        [.. list.EnumerateArray().Select(e => DateOnly.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture))];

    private Task<int> SeriesCountAsync() => app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().SeatSeries.CountAsync());

    private Task<List<DateOnly>> HeldAsync(Guid seriesId) => app.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var dates = await (from h in db.SeatHoldings join b in db.SeatBookings on h.BookingId equals b.Id where b.SeriesId == seriesId select h.Date).ToListAsync();
        return dates.Distinct().Order().ToList();
    });

    /// <summary>The first date after today on a weekday.</summary>
    private DateOnly Next(DayOfWeek day)
    {
        var d = app.Today.AddDays(1);
        while (d.DayOfWeek != day)
        {
            d = d.AddDays(1);
        }

        return d;
    }

    [Fact]
    public async Task EveryTuesday_OverFiveWeeks_BooksTheWorkdays_SkipsAHolidayAndSaysWhy_AndTheOccurrencesAreInTheFeed()
    {
        var floor = await FloorAsync(app);
        var (me, other, hr) = (await app.PersonAsync(), await app.PersonAsync(), await app.PersonAsync(roles: [Roles.Staff, Roles.Hr]));
        var first = Next(DayOfWeek.Tuesday);
        var last = first.AddDays(28);
        // The town closes on the third Tuesday (its own 休日条例): the series must skip it and say so.
        var closing = first.AddDays(14);
        Assert.Equal(HttpStatusCode.Created, (await hr.Client.PostAsJsonAsync("/api/v1/calendar/closing-days", new { date = Iso(closing), name = "町の記念日" })).StatusCode);
        var calendar = new TownCalendar(extraClosingDays: [closing]);
        var tuesdays = Enumerable.Range(0, 5).Select(w => first.AddDays(7 * w)).ToList();
        var expected = tuesdays.Where(d => calendar.Classify(d) == CalendarDay.Workday).ToList();

        var created = await SeriesAsync(me.Client, floor.Desks["A1"], app.Today, last, ["Tuesday"]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var series = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = Guid.Parse(series.GetProperty("id").GetString()!);
        Assert.Equal($"/api/v1/seats/series/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(["Tuesday"], series.GetProperty("weekdays").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(expected, Dates(series.GetProperty("occurrences")));
        Assert.All(series.GetProperty("occurrences").EnumerateArray(), o =>
        {
            Assert.Equal("Confirmed", o.GetProperty("state").GetString());
            Assert.Equal(id.ToString(), o.GetProperty("seriesId").GetString());
            Assert.Equal("A1", o.GetProperty("deskLabel").GetString());
        });
        var skipped = series.GetProperty("skipped").EnumerateArray().ToList();
        Assert.Contains(skipped, s => s.GetProperty("date").GetString() == Iso(closing) && s.GetProperty("code").GetString() == "seat.holiday"
            && s.GetProperty("detail").GetString() == "町の記念日");
        Assert.Equal(tuesdays.Count, expected.Count + skipped.Count);
        Assert.All(skipped, s => Assert.Contains(s.GetProperty("code").GetString(), new[] { "seat.holiday", "seat.rest_day" }));

        // Each occurrence holds the desk: another person is refused on the first one (inside the day-to-day horizon).
        Assert.Equal(expected, await HeldAsync(id));
        await Refused(await BookAsync(other.Client, floor.Desks["A1"], expected[0]), HttpStatusCode.Conflict, "seat.taken");

        // Mine, and one series read by id with all its occurrences.
        var mine = await JsonOf(await me.Client.GetAsync("/api/v1/seats/series"));
        Assert.Contains(mine.EnumerateArray(), s => s.GetProperty("id").GetString() == id.ToString() && s.GetProperty("occurrences").GetArrayLength() == expected.Count);
        Assert.Equal(expected.Count, (await JsonOf(await me.Client.GetAsync($"/api/v1/seats/series/{id}"))).GetProperty("occurrences").GetArrayLength());
        Assert.Contains((await JsonOf(await me.Client.GetAsync("/api/v1/seats/bookings"))).EnumerateArray(), b => b.GetProperty("seriesId").GetString() == id.ToString());

        // An occurrence is an ordinary booking: it is in the person's calendar feed.
        var made = await me.Client.PostAsync("/api/v1/me/calendar-feed", null);
        var url = new Uri((await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        var ics = await anonymous.GetStringAsync(url.PathAndQuery);
        var firstId = Guid.Parse(series.GetProperty("occurrences")[0].GetProperty("id").GetString()!);
        Assert.Contains($"UID:seat-{firstId:N}@dokodemo\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART;VALUE=DATE:" + expected[0].ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADateTakenBySomeoneElse_IsSkippedAsSeatTakenWithTheirName_AndTheOtherDatesAreBooked()
    {
        var floor = await FloorAsync(app);
        var (me, other) = (await app.PersonAsync(), await app.PersonAsync());
        var first = Next(DayOfWeek.Thursday);
        // Tomorrow is a workday (the fixture's week is): someone else holds the desk that morning.
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(other.Client, floor.Desks["Q2"], first, "Morning")).StatusCode);
        var otherName = await app.WithScopeAsync(async sp => (await sp.GetRequiredService<AppDbContext>().Users.SingleAsync(u => u.Id == other.Id)).DisplayName);

        var series = await JsonOf(await SeriesAsync(me.Client, floor.Desks["Q2"], first, first.AddDays(21), ["thu"]));
        var calendar = new TownCalendar();
        var workdays = Enumerable.Range(0, 4).Select(w => first.AddDays(7 * w)).Where(d => calendar.Classify(d) == CalendarDay.Workday).ToList();
        Assert.Equal(workdays.Skip(1), Dates(series.GetProperty("occurrences")));
        var taken = series.GetProperty("skipped").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "seat.taken");
        Assert.Equal(Iso(first), taken.GetProperty("date").GetString());
        // Staff may read the directory, so the holder is named.
        Assert.Equal(otherName, taken.GetProperty("detail").GetString());
        // The other person's morning is untouched.
        Assert.Single((await JsonOf(await other.Client.GetAsync("/api/v1/seats/bookings"))).EnumerateArray());
    }

    [Fact]
    public async Task WhenNoDateCanBeBooked_TheSeriesIsRefused409_AndNothingIsWritten()
    {
        var floor = await FloorAsync(app);
        var (me, other) = (await app.PersonAsync(), await app.PersonAsync());
        var thursday = Next(DayOfWeek.Thursday);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(other.Client, floor.Desks["A3"], thursday)).StatusCode);
        var before = (await CountAsync(app), await SeriesCountAsync());

        var refused = await SeriesAsync(me.Client, floor.Desks["A3"], thursday, thursday.AddDays(6), ["Thursday", "Saturday"]);
        await Refused(refused, HttpStatusCode.Conflict, "seat.series_empty");
        var skipped = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("skipped").EnumerateArray().ToList();
        Assert.Equal([(Iso(thursday), "seat.taken"), (Iso(thursday.AddDays(2)), "seat.rest_day")],
            skipped.Select(s => (s.GetProperty("date").GetString(), s.GetProperty("code").GetString())));
        Assert.Equal(before, (await CountAsync(app), await SeriesCountAsync()));
        Assert.Empty((await JsonOf(await me.Client.GetAsync("/api/v1/seats/series"))).EnumerateArray());
    }

    [Fact]
    public async Task CancellingOneARangeAndTheRest_FreesExactlyThoseDates_AndAColleagueMayNot()
    {
        var floor = await FloorAsync(app);
        var (me, colleague, hr) = (await app.PersonAsync(), await app.PersonAsync(), await app.PersonAsync(roles: [Roles.Staff, Roles.Hr]));
        var series = await JsonOf(await SeriesAsync(me.Client, floor.Desks["Q3"], app.Today, app.Today.AddDays(48), ["Monday", "Friday"], "Afternoon"));
        var id = Guid.Parse(series.GetProperty("id").GetString()!);
        var occurrences = series.GetProperty("occurrences").EnumerateArray().Select(o => (Id: o.GetProperty("id").GetString()!, Date: Iso(DateOnly.Parse(o.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        var dates = Dates(series.GetProperty("occurrences"));
        Assert.True(dates.Count >= 8, $"only {dates.Count} occurrences");
        Assert.True(dates[2] <= app.Today.AddDays(14), "the first three dates are inside the day-to-day horizon");

        // A colleague of the same department may neither cancel the series nor one of its dates.
        await Refused(await colleague.Client.PostAsJsonAsync($"/api/v1/seats/series/{id}/cancel", new { }), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await colleague.Client.PostAsync($"/api/v1/seats/bookings/{occurrences[0].Id}/cancel", null), HttpStatusCode.Forbidden, "access.denied");
        Assert.Equal(dates, await HeldAsync(id));

        // One date: the existing cancel of a booking; the desk is free for someone else that afternoon.
        Assert.Equal("Cancelled", (await JsonOf(await me.Client.PostAsync($"/api/v1/seats/bookings/{occurrences[0].Id}/cancel", null))).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(colleague.Client, floor.Desks["Q3"], dates[0], "Afternoon")).StatusCode);
        Assert.Equal(dates.Skip(1), await HeldAsync(id));

        // A range: the second and third dates; the rest stays held.
        var range = await JsonOf(await me.Client.PostAsJsonAsync($"/api/v1/seats/series/{id}/cancel", new { from = Iso(dates[1]), to = Iso(dates[2]) }));
        Assert.Equal(dates.Skip(1).Take(2), DateList(range.GetProperty("cancelled")));
        Assert.Equal(dates.Skip(3), await HeldAsync(id));
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(colleague.Client, floor.Desks["Q3"], dates[1], "Afternoon")).StatusCode);
        var states = (await JsonOf(await me.Client.GetAsync($"/api/v1/seats/series/{id}"))).GetProperty("occurrences").EnumerateArray()
            .Select(o => o.GetProperty("state").GetString()).ToList();
        Assert.Equal(["Cancelled", "Cancelled", "Cancelled"], states.Take(3));
        Assert.All(states.Skip(3), s => Assert.Equal("Confirmed", s));
        await Refused(await me.Client.PostAsJsonAsync($"/api/v1/seats/series/{id}/cancel", new { from = Iso(dates[1]), to = Iso(dates[2]) }),
            HttpStatusCode.Conflict, "seat.series_nothing_to_cancel");

        // The rest from the fifth date, by HR: the fourth stays; the series is not over yet.
        var rest = await JsonOf(await hr.Client.PostAsJsonAsync($"/api/v1/seats/series/{id}/cancel", new { from = Iso(dates[4]) }));
        Assert.Equal(dates.Skip(4), DateList(rest.GetProperty("cancelled")));
        Assert.Equal([dates[3]], await HeldAsync(id));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("series").GetProperty("cancelledAt").ValueKind);
        var reason = await app.WithScopeAsync(async sp => (await sp.GetRequiredService<AppDbContext>().SeatBookings.FirstAsync(b => b.SeriesId == id && b.Date == dates[4])).CancelReason);
        Assert.Contains("以降", reason, StringComparison.Ordinal);

        // The last one alone: nothing is left, so the series is marked cancelled and leaves my list.
        var lastId = occurrences[3].Id;
        Assert.Equal(HttpStatusCode.OK, (await me.Client.PostAsync($"/api/v1/seats/bookings/{lastId}/cancel", null)).StatusCode);
        Assert.Empty(await HeldAsync(id));
        Assert.NotEqual(JsonValueKind.Null, (await JsonOf(await me.Client.GetAsync($"/api/v1/seats/series/{id}"))).GetProperty("cancelledAt").ValueKind);
        Assert.Empty((await JsonOf(await me.Client.GetAsync("/api/v1/seats/series"))).EnumerateArray());
    }

    [Fact]
    public async Task BadInput_IsRefusedWithAClearCode_AndWritesNothing()
    {
        var floor = await FloorAsync(app);
        var me = await app.PersonAsync();
        var desk = floor.Desks["A2"];
        var (from, until) = (app.Today.AddDays(1), app.Today.AddDays(20));
        var before = (await CountAsync(app), await SeriesCountAsync());

        await Refused(await SeriesAsync(me.Client, desk, from, until, []), HttpStatusCode.BadRequest, "seat.weekdays_required");
        await Refused(await me.Client.PostAsJsonAsync("/api/v1/seats/series", new { deskId = desk, from = Iso(from), until = Iso(until) }), HttpStatusCode.BadRequest,
            "seat.weekdays_required");
        await Refused(await SeriesAsync(me.Client, desk, from, until, ["Funday"]), HttpStatusCode.BadRequest, "seat.weekday_unknown");
        await Refused(await SeriesAsync(me.Client, desk, from, from.AddDays(-1), ["Monday"]), HttpStatusCode.BadRequest, "seat.series_until_before_from");
        await Refused(await SeriesAsync(me.Client, desk, app.Today.AddDays(-7), until, ["Monday"]), (HttpStatusCode)422, "seat.date_past");
        await Refused(await SeriesAsync(me.Client, desk, from, app.Today.AddDays(91), ["Monday"]), (HttpStatusCode)422, "seat.series_beyond_horizon");
        await Refused(await SeriesAsync(me.Client, 999_999, from, until, ["Monday"]), HttpStatusCode.BadRequest, "seat.desk_unknown");
        await Refused(await SeriesAsync(me.Client, desk, from, until, ["Monday"], "Evening"), HttpStatusCode.BadRequest, "seat.part_unknown");
        await Refused(await SeriesAsync(me.Client, desk, from, app.Today.AddDays(88), ["Mon", "Tue", "Wed", "Thu", "Fri"]), HttpStatusCode.BadRequest, "seat.series_too_many");
        await Refused(await me.Client.PostAsJsonAsync("/api/v1/seats/series", new { deskId = desk, weekdays = new[] { "Monday" }, from = Iso(from) }),
            HttpStatusCode.BadRequest, "seat.series_until_required");
        await Refused(await me.Client.PostAsJsonAsync("/api/v1/seats/series", new { deskId = desk, weekdays = new[] { "Monday" }, until = Iso(until) }),
            HttpStatusCode.BadRequest, "seat.series_from_required");
        // Friday to Sunday holds no Wednesday.
        await Refused(await SeriesAsync(me.Client, desk, Next(DayOfWeek.Friday), Next(DayOfWeek.Friday).AddDays(2), ["Wednesday"]), HttpStatusCode.BadRequest,
            "seat.series_no_dates");
        Assert.Equal(before, (await CountAsync(app), await SeriesCountAsync()));

        // Cancelling: unknown, a past start, an end before the start.
        await Refused(await me.Client.PostAsJsonAsync($"/api/v1/seats/series/{Guid.NewGuid()}/cancel", new { }), HttpStatusCode.Forbidden, "access.denied");
        var series = await JsonOf(await SeriesAsync(me.Client, desk, from, until, ["Monday"]));
        var id = series.GetProperty("id").GetString();
        var held = await CountAsync(app);
        await Refused(await me.Client.PostAsJsonAsync($"/api/v1/seats/series/{id}/cancel", new { from = Iso(app.Today.AddDays(-1)) }), (HttpStatusCode)422,
            "seat.series_cancel_past");
        await Refused(await me.Client.PostAsJsonAsync($"/api/v1/seats/series/{id}/cancel", new { from = Iso(until), to = Iso(from) }), HttpStatusCode.BadRequest,
            "seat.series_cancel_range");
        Assert.Equal(held, await CountAsync(app));
    }

    [Fact]
    public async Task TheSeriesHorizonWeeklyLimitAndApproval_AreTheSitesRules()
    {
        var floor = await FloorAsync(app, SiteKind.Branch);
        var (me, dx) = (await app.PersonAsync(), await app.PersonAsync(roles: [Roles.Staff, Roles.Dx]));
        var rules = $"/api/v1/seats/admin/sites/{floor.SiteId}/rules";
        await Refused(await me.Client.PutAsJsonAsync(rules, new { seriesHorizonDays = 30 }), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await dx.Client.PutAsJsonAsync(rules, new { seriesHorizonDays = 7 }), HttpStatusCode.BadRequest, "seat.rules_invalid");
        var saved = await JsonOf(await dx.Client.PutAsJsonAsync(rules, new { seriesHorizonDays = 30, maxPerWeek = 1, approvalRequired = true }));
        Assert.Equal(30, saved.GetProperty("seriesHorizonDays").GetInt32());
        try
        {
            Assert.Equal(30, (await JsonOf(await me.Client.GetAsync("/api/v1/seats/sites"))).EnumerateArray()
                .Single(s => s.GetProperty("id").GetInt32() == floor.SiteId).GetProperty("rules").GetProperty("seriesHorizonDays").GetInt32());
            await Refused(await SeriesAsync(me.Client, floor.Desks["A1"], app.Today, app.Today.AddDays(31), ["Monday"]), (HttpStatusCode)422, "seat.series_beyond_horizon");

            // Mondays and Tuesdays for two weeks with one booking a week: the Monday of each week is booked (pending
            // approval), the Tuesday is skipped for the weekly limit.
            var monday = Next(DayOfWeek.Monday);
            var series = await JsonOf(await SeriesAsync(me.Client, floor.Desks["A1"], monday, monday.AddDays(8), ["Monday", "Tuesday"]));
            var calendar = new TownCalendar();
            var booked = series.GetProperty("occurrences").EnumerateArray().ToList();
            Assert.All(booked, o => Assert.Equal("Pending", o.GetProperty("state").GetString()));
            foreach (var week in new[] { monday, monday.AddDays(7) })
            {
                var days = new[] { week, week.AddDays(1) }.Where(d => calendar.Classify(d) == CalendarDay.Workday).ToList();
                if (days.Count == 0)
                {
                    continue;
                }

                Assert.Contains(booked, o => o.GetProperty("date").GetString() == Iso(days[0]));
                foreach (var d in days.Skip(1))
                {
                    Assert.Contains(series.GetProperty("skipped").EnumerateArray(), s => s.GetProperty("date").GetString() == Iso(d)
                        && s.GetProperty("code").GetString() == "seat.weekly_limit");
                }
            }
        }
        finally
        {
            await JsonOf(await dx.Client.PutAsJsonAsync(rules, new { seriesHorizonDays = 90, maxPerWeek = 5, approvalRequired = false }));
        }
    }

    [Fact]
    public void EverySeriesCode_HasASentence_InBothLanguages()
    {
        foreach (var code in SeatSeriesErrors.All.Select(e => e.Code).Append(SeatSeriesErrors.RestDay).Append(SeatSeriesErrors.Holiday))
        {
            Assert.True(Text.All.ContainsKey("error." + code), "no sentence for " + code);
        }

        foreach (var code in new[] { "seat.rest_day", "seat.holiday", "seat.taken", "seat.closed", "seat.team_area", "seat.already_booked", "seat.weekly_limit" })
        {
            Assert.True(Text.All.ContainsKey("seats.series.why." + code), "no reason for " + code);
        }
    }
}
