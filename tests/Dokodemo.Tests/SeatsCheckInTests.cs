using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Dokodemo.Seats;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;
using static Dokodemo.Tests.Work.PlacesApp;

namespace Dokodemo.Tests;

/// <summary>
/// Check-in (app and QR token), every refusal, the release of no-shows at the set time (the sweep is called with an explicit
/// "now"), the notification and who may read it — over HTTP on a real database.
/// </summary>
public class SeatsCheckInTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    /// <summary>Moves the app's clock to hour:minute (JST) on the fixture's working Wednesday.</summary>
    private void At(int hour, int minute) =>
        app.Clock.Offset = new DateTimeOffset(app.Today.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(9)) - DateTimeOffset.UtcNow;

    private DateTimeOffset Jst(int hour, int minute, int second = 0) =>
        new(app.Today.ToDateTime(new TimeOnly(hour, minute, second)), TimeSpan.FromHours(9));

    private Task<IReadOnlyList<SeatRelease.Released>> ReleaseAsync(DateTimeOffset now) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<SeatRelease>().ReleaseDueAsync(now));

    private Task<string> TokenAsync(int deskId) =>
        app.WithScopeAsync(async sp => (await sp.GetRequiredService<AppDbContext>().Desks.AsNoTracking().FirstAsync(d => d.Id == deskId)).CheckInToken!);

    private Task<SeatBooking> BookingRowAsync(Guid id) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().SeatBookings.AsNoTracking().FirstAsync(b => b.Id == id));

    private Task<int> HoldingsAsync(Guid id) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().SeatHoldings.CountAsync(h => h.BookingId == id));

    private Task<List<string>> AuditDetailsAsync(string @event) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking().Where(e => e.Event == @event).Select(e => e.Details).ToListAsync());

    private static async Task<Guid> BookedAsync(HttpResponseMessage r)
    {
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> CheckInAsync(HttpClient client, Guid id) => client.PostAsync($"/api/v1/seats/bookings/{id}/checkin", null);

    [Fact]
    public async Task CheckIn_FromTheApp_RecordsTheTime_IsAudited_AndTwiceIsHarmless()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var me = await app.PersonAsync();
        var id = await BookedAsync(await BookAsync(me.Client, floor.Desks["A1"], app.Today));

        var done = await JsonOf(await CheckInAsync(me.Client, id));
        Assert.Equal(id, done.GetProperty("id").GetGuid());
        var at = done.GetProperty("checkedInAt").GetDateTimeOffset();
        Assert.InRange(at, Jst(9, 44), Jst(9, 50));
        Assert.Equal(at, (await BookingRowAsync(id)).CheckedInAt);
        Assert.Contains(await AuditDetailsAsync("seat.booking.checked_in"), d => d.Contains(id.ToString(), StringComparison.Ordinal) && d.Contains("\"app\"", StringComparison.Ordinal));

        // Again: the same booking, the first time kept.
        var again = await JsonOf(await CheckInAsync(me.Client, id));
        Assert.Equal(at, again.GetProperty("checkedInAt").GetDateTimeOffset());

        // My bookings say so.
        var mine = await JsonOf(await me.Client.GetAsync("/api/v1/seats/bookings"));
        Assert.Contains(mine.EnumerateArray(), b => b.GetProperty("id").GetGuid() == id && b.GetProperty("checkedInAt").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task CheckIn_OfSomeoneElsesBooking_Is403_EvenInTheSameDepartment_AndChangesNothing()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var owner = await app.PersonAsync();
        var colleague = await app.PersonAsync();
        var id = await BookedAsync(await BookAsync(owner.Client, floor.Desks["A2"], app.Today));

        await Refused(await CheckInAsync(colleague.Client, id), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await CheckInAsync(colleague.Client, Guid.NewGuid()), HttpStatusCode.Forbidden, "access.denied");
        Assert.Null((await BookingRowAsync(id)).CheckedInAt);
    }

    [Fact]
    public async Task CheckIn_ByQrToken_GetShowsTheDesk_PostChecksIn()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var me = await app.PersonAsync();
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        var id = await BookedAsync(await BookAsync(me.Client, floor.Desks["Q2"], app.Today));

        // The administrator's QR sheet gives each desk a URL with its token; PublicUrl is http://localhost in tests.
        var codes = await JsonOf(await admin.Client.GetAsync($"/api/v1/seats/admin/floors/{floor.Id}/qr"));
        var q2 = codes.EnumerateArray().Single(c => c.GetProperty("label").GetString() == "Q2");
        var url = q2.GetProperty("url").GetString()!;
        Assert.StartsWith("http://localhost/seats/checkin/", url, StringComparison.Ordinal);
        Assert.StartsWith("data:image/png;base64,", q2.GetProperty("pngDataUri").GetString(), StringComparison.Ordinal);
        var token = url[(url.LastIndexOf('/') + 1)..];
        Assert.Equal(await TokenAsync(floor.Desks["Q2"]), token);
        Assert.True(token.Length >= 22);
        Assert.Equal(floor.Desks.Count, codes.GetArrayLength());
        Assert.Equal(floor.Desks.Count, codes.EnumerateArray().Select(c => c.GetProperty("url").GetString()).Distinct().Count());
        // Staff may not read the sheet.
        Assert.Equal(HttpStatusCode.Forbidden, (await me.Client.GetAsync($"/api/v1/seats/admin/floors/{floor.Id}/qr")).StatusCode);

        // GET changes nothing.
        var preview = await JsonOf(await me.Client.GetAsync($"/api/v1/seats/checkin/{token}"));
        Assert.Equal("Q2", preview.GetProperty("deskLabel").GetString());
        Assert.Equal(id, preview.GetProperty("booking").GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Null, preview.GetProperty("problem").ValueKind);
        Assert.Null((await BookingRowAsync(id)).CheckedInAt);

        var done = await JsonOf(await me.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{token}", new { }));
        Assert.Equal(id, done.GetProperty("id").GetGuid());
        Assert.NotNull((await BookingRowAsync(id)).CheckedInAt);
        Assert.Contains(await AuditDetailsAsync("seat.booking.checked_in"), d => d.Contains(id.ToString(), StringComparison.Ordinal) && d.Contains("\"qr\"", StringComparison.Ordinal));

        // The page: signed out it sends to sign-in and back; signed in it shows the desk, checked in.
        var anonymous = app.NewClient();
        var signIn = await anonymous.GetAsync($"/seats/checkin/{token}");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("returnUrl=" + Uri.EscapeDataString($"/seats/checkin/{token}"), signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var page = await me.Client.GetStringAsync($"/seats/checkin/{token}");
        Assert.Contains("Q2", page, StringComparison.Ordinal);
        Assert.Contains("チェックイン済み", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QrCode_Replaced_OldCodeStopsWorking_NewOneChecksIn_OnlyForAdministrators()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var me = await app.PersonAsync();
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        var id = await BookedAsync(await BookAsync(me.Client, floor.Desks["A2"], app.Today));
        var old = await TokenAsync(floor.Desks["A2"]);
        var others = await Task.WhenAll(new[] { "A1", "A3" }.Select(l => TokenAsync(floor.Desks[l])));

        // Staff may not replace a code; an unknown desk is refused by its code. Nothing changes.
        Assert.Equal(HttpStatusCode.Forbidden, (await me.Client.PostAsJsonAsync($"/api/v1/seats/admin/desks/{floor.Desks["A2"]}/qr/replace", new { })).StatusCode);
        await Refused(await admin.Client.PostAsJsonAsync("/api/v1/seats/admin/desks/999999/qr/replace", new { }), HttpStatusCode.NotFound, "seat.desk_not_found");
        Assert.Equal(old, await TokenAsync(floor.Desks["A2"]));

        var fresh = await JsonOf(await admin.Client.PostAsJsonAsync($"/api/v1/seats/admin/desks/{floor.Desks["A2"]}/qr/replace", new { }));
        var url = fresh.GetProperty("url").GetString()!;
        var token = url[(url.LastIndexOf('/') + 1)..];
        Assert.NotEqual(old, token);
        Assert.Equal(await TokenAsync(floor.Desks["A2"]), token);
        Assert.StartsWith("data:image/png;base64,", fresh.GetProperty("pngDataUri").GetString(), StringComparison.Ordinal);
        Assert.Equal(others, await Task.WhenAll(new[] { "A1", "A3" }.Select(l => TokenAsync(floor.Desks[l]))));
        Assert.Contains(await AuditDetailsAsync("seat.desk.qr_replaced"), d => d.Contains("\"A2\"", StringComparison.Ordinal));

        // The old code names no desk any more; the new one checks in.
        await Refused(await me.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{old}", new { }), HttpStatusCode.NotFound, "seat.checkin.unknown");
        Assert.Null((await BookingRowAsync(id)).CheckedInAt);
        Assert.Equal(id, (await JsonOf(await me.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{token}", new { }))).GetProperty("id").GetGuid());

        // The printable sheet's button does the same for a person in a browser.
        var sheet = await admin.Client.GetStringAsync($"/seats/admin/floors/{floor.Id}/qr");
        Assert.Contains(token, sheet, StringComparison.Ordinal);
        var antiforgery = System.Text.RegularExpressions.Regex.Match(sheet, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var posted = await admin.Client.PostAsync($"/seats/admin/floors/{floor.Id}/qr", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = $"replace-{floor.Desks["A2"]}", ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var after = await posted.Content.ReadAsStringAsync();
        var newest = await TokenAsync(floor.Desks["A2"]);
        Assert.NotEqual(token, newest);
        Assert.Contains("座席 A2 のQRコードを再発行しました", after, StringComparison.Ordinal);
        Assert.Contains(newest, after, StringComparison.Ordinal);
        Assert.DoesNotContain(token, after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckIn_ByQr_BadInput_IsRefusedWithItsCode_AndChangesNothing()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var satellite = await FloorAsync(app, SiteKind.Satellite);
        var me = await app.PersonAsync();
        var other = await app.PersonAsync();
        var nobody = await app.PersonAsync();

        // Unknown token.
        await Refused(await me.Client.GetAsync("/api/v1/seats/checkin/no-such-token"), HttpStatusCode.NotFound, "seat.checkin.unknown");
        await Refused(await me.Client.PostAsJsonAsync("/api/v1/seats/checkin/no-such-token", new { }), HttpStatusCode.NotFound, "seat.checkin.unknown");
        Assert.Equal(HttpStatusCode.NotFound, (await me.Client.GetAsync("/seats/checkin/no-such-token")).StatusCode);

        // I booked A3 here; the QR code of A1 (same site) names my desk.
        var mine = await BookedAsync(await BookAsync(me.Client, floor.Desks["A3"], app.Today));
        var before = await CountAsync(app);
        var wrongDesk = await me.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{await TokenAsync(floor.Desks["A1"])}", new { book = true });
        await Refused(wrongDesk, HttpStatusCode.Conflict, "seat.checkin.no_booking");
        var body = await wrongDesk.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("A3", body.GetProperty("yourDesk").GetString());
        Assert.Contains("A3", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A QR code at another site than my booking: named, refused.
        var otherSite = await me.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{await TokenAsync(satellite.Desks["A1"])}", new { });
        await Refused(otherSite, HttpStatusCode.Conflict, "seat.checkin.other_site");
        var otherBody = await otherSite.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("A3", otherBody.GetProperty("yourDesk").GetString());
        Assert.Contains("A3", otherBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("別の拠点", otherBody.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Someone else's desk: no booking of mine there (theirs is not touched).
        var theirs = await BookedAsync(await BookAsync(other.Client, floor.Desks["Q1"], app.Today));
        await Refused(await nobody.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{await TokenAsync(floor.Desks["Q1"])}", new { }),
            HttpStatusCode.Conflict, "seat.checkin.no_booking");
        // Asked to book it now, the desk is taken: the booking's own answer, with alternatives.
        await Refused(await nobody.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{await TokenAsync(floor.Desks["Q1"])}", new { book = true }),
            HttpStatusCode.Conflict, "seat.taken");
        var taken = await JsonOf(await nobody.Client.GetAsync($"/api/v1/seats/checkin/{await TokenAsync(floor.Desks["Q1"])}"));
        Assert.False(taken.GetProperty("mayBookNow").GetBoolean());

        // Too early: the afternoon's booking at 9:45, and tomorrow's booking.
        var afternoonPerson = await app.PersonAsync();
        var afternoon = await BookedAsync(await BookAsync(afternoonPerson.Client, floor.Desks["Q3"], app.Today, "Afternoon"));
        await Refused(await afternoonPerson.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{await TokenAsync(floor.Desks["Q3"])}", new { }),
            HttpStatusCode.Conflict, "seat.checkin.too_early");
        var tomorrow = await BookedAsync(await BookAsync(nobody.Client, floor.Desks["A2"], app.Today.AddDays(1)));
        await Refused(await CheckInAsync(nobody.Client, tomorrow), HttpStatusCode.Conflict, "seat.checkin.too_early");

        // And before 8:00 even today's morning booking is too early.
        At(7, 50);
        await Refused(await CheckInAsync(me.Client, mine), HttpStatusCode.Conflict, "seat.checkin.too_early");
        At(9, 46);

        Assert.Equal(before + 3 * 1000 + 1 + 2 + 2, await CountAsync(app));
        foreach (var id in new[] { mine, theirs, afternoon, tomorrow })
        {
            Assert.Null((await BookingRowAsync(id)).CheckedInAt);
        }
    }

    [Fact]
    public async Task CheckIn_ByQr_WithNoBookingToday_OffersTheFreeDesk_AndBooksAndChecksIn()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var me = await app.PersonAsync();
        var token = await TokenAsync(floor.Desks["A2"]);

        var preview = await JsonOf(await me.Client.GetAsync($"/api/v1/seats/checkin/{token}"));
        Assert.Equal("seat.checkin.no_booking", preview.GetProperty("problem").GetString());
        Assert.True(preview.GetProperty("mayBookNow").GetBoolean());
        Assert.Equal("Full", preview.GetProperty("partNow").GetString());
        var refused = await me.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{token}", new { });
        await Refused(refused, HttpStatusCode.Conflict, "seat.checkin.no_booking");
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("free").GetBoolean());

        var done = await JsonOf(await me.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{token}", new { book = true }));
        Assert.Equal(("A2", "Full"), (done.GetProperty("deskLabel").GetString(), done.GetProperty("part").GetString()));
        Assert.Equal(JsonValueKind.String, done.GetProperty("checkedInAt").ValueKind);
        Assert.Equal(2, await HoldingsAsync(done.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Release_AtTheSetTime_FreesTheDesk_TellsThePerson_AndKeepsTheHistory()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var noShow = await app.PersonAsync();
        var present = await app.PersonAsync();
        var next = await app.PersonAsync();
        var released = await BookedAsync(await BookAsync(noShow.Client, floor.Desks["A1"], app.Today));
        var kept = await BookedAsync(await BookAsync(present.Client, floor.Desks["A2"], app.Today));
        var token = await TokenAsync(floor.Desks["A1"]);
        await JsonOf(await CheckInAsync(present.Client, kept));

        // Before 10:00: nothing.
        Assert.DoesNotContain(await ReleaseAsync(Jst(9, 59, 59)), r => r.BookingId == released || r.BookingId == kept);
        Assert.Equal(2, await HoldingsAsync(released));

        // At 10:00 the no-show is released; the checked-in booking stays.
        var result = await ReleaseAsync(Jst(10, 0, 1));
        Assert.Contains(result, r => r.BookingId == released);
        Assert.DoesNotContain(result, r => r.BookingId == kept);
        var row = await BookingRowAsync(released);
        Assert.Equal((BookingState.Cancelled, "no_show"), (row.State, row.CancelReason));
        Assert.Null(row.CancelledById);
        Assert.Equal(0, await HoldingsAsync(released));
        Assert.Equal(2, await HoldingsAsync(kept));
        Assert.Contains(await AuditDetailsAsync("seat.booking.released"), d => d.Contains(released.ToString(), StringComparison.Ordinal));
        // Swept again: nothing more.
        Assert.DoesNotContain(await ReleaseAsync(Jst(10, 0, 30)), r => r.BookingId == released);

        // The map shows A1 free and A2 taken; someone else can book A1.
        var map = await JsonOf(await next.Client.GetAsync($"/api/v1/seats/floors/{floor.Id}/availability?date={Iso(app.Today)}&part=Full"));
        var desks = map.GetProperty("desks").EnumerateArray().ToDictionary(d => d.GetProperty("label").GetString()!, d => d.GetProperty("status").GetString());
        Assert.Equal(("Free", "Taken"), (desks["A1"], desks["A2"]));

        // The person who did not come: check-in now says released (app and QR); the booking is no longer theirs.
        await Refused(await CheckInAsync(noShow.Client, released), HttpStatusCode.Conflict, "seat.checkin.released");
        await Refused(await noShow.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{token}", new { }), HttpStatusCode.Conflict, "seat.checkin.released");
        Assert.DoesNotContain((await JsonOf(await noShow.Client.GetAsync("/api/v1/seats/bookings"))).EnumerateArray(), b => b.GetProperty("id").GetGuid() == released);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(next.Client, floor.Desks["A1"], app.Today, "Afternoon")).StatusCode);

        // They are told, once, with a link to /seats.
        var list = await JsonOf(await noShow.Client.GetAsync("/api/v1/me/notifications"));
        Assert.Equal(1, list.GetProperty("unread").GetInt32());
        var notice = list.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(("seat.released", "/seats"), (notice.GetProperty("kind").GetString(), notice.GetProperty("link").GetString()));
        Assert.Equal($"座席 A1 の {app.Today.Month}/{app.Today.Day} 終日の予約は、10:00 までにチェックインがなかったため取り消されました", notice.GetProperty("body").GetString());

        // Only the owner reads or marks it.
        var noticeId = notice.GetProperty("id").GetGuid();
        var others = await JsonOf(await present.Client.GetAsync("/api/v1/me/notifications"));
        Assert.Equal(0, others.GetProperty("unread").GetInt32());
        Assert.Empty(others.GetProperty("items").EnumerateArray());
        await Refused(await present.Client.PostAsync($"/api/v1/me/notifications/{noticeId}/read", null), HttpStatusCode.NotFound, "notification.not_found");
        Assert.Equal(1, (await JsonOf(await noShow.Client.GetAsync("/api/v1/me/notifications"))).GetProperty("unread").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.NewClient().GetAsync("/api/v1/me/notifications")).StatusCode);

        var read = await JsonOf(await noShow.Client.PostAsync($"/api/v1/me/notifications/{noticeId}/read", null));
        Assert.Equal(JsonValueKind.String, read.GetProperty("readAt").ValueKind);
        Assert.Equal(0, (await JsonOf(await noShow.Client.GetAsync("/api/v1/me/notifications"))).GetProperty("unread").GetInt32());

        // The page lists it; the menu shows the count while unread.
        var page = await noShow.Client.GetStringAsync("/notifications");
        Assert.Contains("チェックインがなかったため取り消されました", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_AfternoonRule_SiteWithoutCheckIn_AndBookingsMadeAfterTheTime()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var satellite = await FloorAsync(app, SiteKind.Satellite);
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        var (a, b, c) = (await app.PersonAsync(), await app.PersonAsync(), await app.PersonAsync());

        // The satellite office does not require check-in.
        var rules = await JsonOf(await admin.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{satellite.SiteId}/rules", new { checkInRequired = false }));
        Assert.False(rules.GetProperty("checkInRequired").GetBoolean());
        Assert.Equal(("10:00", "14:00"), (rules.GetProperty("morningReleaseAt").GetString(), rules.GetProperty("afternoonReleaseAt").GetString()));

        var afternoon = await BookedAsync(await BookAsync(a.Client, floor.Desks["Q1"], app.Today, "Afternoon"));
        var morning = await BookedAsync(await BookAsync(b.Client, floor.Desks["Q2"], app.Today, "Morning"));
        var atSatellite = await BookedAsync(await BookAsync(c.Client, satellite.Desks["A1"], app.Today));

        // 10:00 releases the morning booking, not the afternoon's, not the satellite's.
        var first = await ReleaseAsync(Jst(10, 0, 1));
        Assert.Contains(first, r => r.BookingId == morning);
        Assert.DoesNotContain(first, r => r.BookingId == afternoon || r.BookingId == atSatellite);

        // A whole day booked at 10:30 answers to 14:00, not to the morning's time already past.
        At(10, 30);
        var d = await app.PersonAsync();
        var late = await BookedAsync(await BookAsync(d.Client, floor.Desks["Q3"], app.Today));
        Assert.DoesNotContain(await ReleaseAsync(Jst(10, 31)), r => r.BookingId == late);

        // The afternoon booking checks in from 12:30 (before: too early); not checked in by 14:00 it goes.
        Assert.DoesNotContain(await ReleaseAsync(Jst(13, 59, 59)), r => r.BookingId == afternoon || r.BookingId == late);
        var second = await ReleaseAsync(Jst(14, 0, 1));
        Assert.Contains(second, r => r.BookingId == afternoon);
        Assert.Contains(second, r => r.BookingId == late);
        Assert.DoesNotContain(second, r => r.BookingId == atSatellite);
        Assert.Equal(2, await HoldingsAsync(atSatellite));
        // (The clock moved past the session's idle time: sign in again.)
        var again = await app.SignInAgainAsync(a);
        var notice = (await JsonOf(await again.GetAsync("/api/v1/me/notifications"))).GetProperty("items").EnumerateArray().Single();
        Assert.Contains("午後の予約は、14:00 までに", notice.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_PastTheTimeButBeforeTheSweep_CheckInIsRefused_AndAFullDayCheckedInInTheMorningKeepsBothHalves()
    {
        At(9, 45);
        var floor = await FloorAsync(app);
        var (late, early) = (await app.PersonAsync(), await app.PersonAsync());
        var lateId = await BookedAsync(await BookAsync(late.Client, floor.Desks["A1"], app.Today));
        var earlyId = await BookedAsync(await BookAsync(early.Client, floor.Desks["A2"], app.Today));
        await JsonOf(await CheckInAsync(early.Client, earlyId));

        // 10:05, the sweep has not run yet: too late all the same, and nothing is written.
        At(10, 5);
        await Refused(await CheckInAsync(late.Client, lateId), HttpStatusCode.Conflict, "seat.checkin.released");
        Assert.Null((await BookingRowAsync(lateId)).CheckedInAt);
        Assert.Equal(BookingState.Confirmed, (await BookingRowAsync(lateId)).State);

        Assert.DoesNotContain(await ReleaseAsync(Jst(14, 0, 1)), r => r.BookingId == earlyId);
        Assert.Equal(2, await HoldingsAsync(earlyId));
        Assert.Equal(BookingState.Confirmed, (await BookingRowAsync(earlyId)).State);
    }

    [Fact]
    public async Task CheckIn_OfABookingWaitingForApproval_IsRefused_AndItIsNotReleased()
    {
        At(9, 45);
        var floor = await FloorAsync(app, SiteKind.Partner);
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        var me = await app.PersonAsync();
        await JsonOf(await admin.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{floor.SiteId}/rules", new { approvalRequired = true }));
        var id = await BookedAsync(await BookAsync(me.Client, floor.Desks["A1"], app.Today));
        Assert.Equal(BookingState.Pending, (await BookingRowAsync(id)).State);

        await Refused(await CheckInAsync(me.Client, id), HttpStatusCode.Conflict, "seat.checkin.pending");
        await Refused(await me.Client.PostAsJsonAsync($"/api/v1/seats/checkin/{await TokenAsync(floor.Desks["A1"])}", new { }), HttpStatusCode.Conflict,
            "seat.checkin.pending");
        Assert.Null((await BookingRowAsync(id)).CheckedInAt);
        // Only confirmed bookings are released; a pending one waits for its approver.
        Assert.DoesNotContain(await ReleaseAsync(Jst(14, 0, 1)), r => r.BookingId == id);
        Assert.Equal(2, await HoldingsAsync(id));
    }

    [Fact]
    public async Task Rules_AreValidated_AndShownToEveryone()
    {
        At(9, 45);
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        var staff = await app.PersonAsync();
        var site = await app.SiteIdAsync(SiteKind.Branch);

        foreach (var bad in new object[]
        {
            new { morningReleaseAt = "07:00" }, new { morningReleaseAt = "12:30" }, new { morningReleaseAt = "10時" },
            new { afternoonReleaseAt = "12:00" }, new { afternoonReleaseAt = "18:00" }, new { afternoonReleaseAt = "25:00" },
        })
        {
            await Refused(await admin.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{site}/rules", bad), HttpStatusCode.BadRequest, "seat.checkin.release_time_invalid");
        }

        await Refused(await staff.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{site}/rules", new { checkInRequired = false }), HttpStatusCode.Forbidden, "access.denied");
        var sites = await JsonOf(await staff.Client.GetAsync("/api/v1/seats/sites"));
        var rules = sites.EnumerateArray().Single(s => s.GetProperty("id").GetInt32() == site).GetProperty("rules");
        Assert.Equal((true, "10:00", "14:00"), (rules.GetProperty("checkInRequired").GetBoolean(), rules.GetProperty("morningReleaseAt").GetString(),
            rules.GetProperty("afternoonReleaseAt").GetString()));

        var saved = await JsonOf(await admin.Client.PutAsJsonAsync($"/api/v1/seats/admin/sites/{site}/rules",
            new { checkInRequired = true, morningReleaseAt = "9:30", afternoonReleaseAt = "13:45" }));
        Assert.Equal(("09:30", "13:45"), (saved.GetProperty("morningReleaseAt").GetString(), saved.GetProperty("afternoonReleaseAt").GetString()));
        var after = (await JsonOf(await staff.Client.GetAsync("/api/v1/seats/sites"))).EnumerateArray().Single(s => s.GetProperty("id").GetInt32() == site).GetProperty("rules");
        Assert.Equal("09:30", after.GetProperty("morningReleaseAt").GetString());
    }
}
