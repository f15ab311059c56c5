using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>The stable codes of check-in; each has a sentence in Text.SeatsCheckIn.cs ("error." + code).</summary>
public static class SeatCheckInErrors
{
    /// <summary>The QR code's token names no desk (mistyped, or the desk's code was replaced).</summary>
    public static readonly Error Unknown = new("seat.checkin.unknown", 404);

    /// <summary>No booking of the caller's on this desk today.</summary>
    public static readonly Error NoBooking = new("seat.checkin.no_booking", 409);

    /// <summary>The desk is at another site than the caller's booking today (details name the booked desk).</summary>
    public static readonly Error OtherSite = new("seat.checkin.other_site", 409);

    /// <summary>Before the booking's day, or more than <see cref="SeatCheckIn.OpensBefore"/> before its half starts.</summary>
    public static readonly Error TooEarly = new("seat.checkin.too_early", 409);

    /// <summary>The booking was released (or its release time has passed) because nobody checked in.</summary>
    public static readonly Error Released = new("seat.checkin.released", 409);

    /// <summary>The booking still waits for approval.</summary>
    public static readonly Error Pending = new("seat.checkin.pending", 409);

    public static readonly Error ReleaseTimeInvalid = Errors.Field("seat.checkin.release_time_invalid", "morningReleaseAt");

    public static IReadOnlyList<Error> All { get; } = [Unknown, NoBooking, OtherSite, TooEarly, Released, Pending, ReleaseTimeInvalid];
}

/// <summary>What a desk's QR code page shows before the person presses the button (GET changes nothing).</summary>
/// <param name="Booking">The caller's booking of this desk today that a check-in would use, if any.</param>
/// <param name="Elsewhere">The caller's booking of another desk today, if there is none on this one.</param>
/// <param name="Problem">The code a check-in would be refused with now, or null when it would succeed.</param>
/// <param name="MayBookNow">No booking of the caller's today and the desk is free for the rest of the day: offer to book it.</param>
public sealed record CheckInPreview(int DeskId, string DeskLabel, int FloorId, string FloorName, int SiteId, string SiteName, BookingDto? Booking,
    BookingDto? Elsewhere, string? Problem, bool MayBookNow, BookingPart PartNow);

/// <summary>A desk's QR code for the printable sheet (administrators only: the token is what lets a person check in there).</summary>
/// <param name="PngDataUri">The QR code as a PNG data URI (the CSP allows data: images; an inline SVG would need styles).</param>
public sealed record DeskQr(int Id, string Label, string Url, string PngDataUri);

public sealed record CheckInRequest(bool? Book);

/// <summary>
/// Check-in (チェックイン) at a booked desk, from the app or the desk's QR code. Checking in records
/// <see cref="SeatBooking.CheckedInAt"/> (audited); a booking at a site that requires it and not checked in by its release
/// time is released by <see cref="SeatRelease"/>.
/// </summary>
public sealed class SeatCheckIn(AppDbContext db, TownClock town, SeatBookings bookings, AuditLog audit)
{
    /// <summary>Check-in opens this long before the booked half starts.</summary>
    public static readonly TimeSpan OpensBefore = TimeSpan.FromMinutes(30);

    /// <summary>The town office's day: 午前 from 8:30, 午後 from 13:00 (the 12:00–13:00 break belongs to neither).</summary>
    public static readonly TimeOnly MorningStarts = new(8, 30);

    public static readonly TimeOnly AfternoonStarts = new(13, 0);

    /// <summary>From noon on, "now" is the afternoon: the QR page books the afternoon, and a same-desk afternoon booking is the one checked in.</summary>
    public static readonly TimeOnly Noon = new(12, 0);

    /// <summary>Release times must leave the half's first 30 minutes to check in and fall inside the office day.</summary>
    public static readonly (TimeOnly From, TimeOnly To) MorningReleaseRange = (new(8, 30), new(12, 0));

    public static readonly (TimeOnly From, TimeOnly To) AfternoonReleaseRange = (new(13, 0), new(17, 15));

    public const string NoShow = "no_show";

    /// <summary>A QR token: 128 random bits, base64url (22 characters).</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact((text ?? "").Trim(), ["H:mm", "HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    public static SeatRulesDto RulesDto(SeatSiteRules r) =>
        new(r.HorizonDays, r.MaxPerWeek, r.TeamAreaOpenDays, r.ApprovalRequired, r.SeriesHorizonDays, r.CheckInRequired, Work.Attendance.JapanTime.Hhmm(r.MorningReleaseAt), Work.Attendance.JapanTime.Hhmm(r.AfternoonReleaseAt));

    public static async Task<SeatSiteRules> RulesAsync(AppDbContext db, int siteId, CancellationToken ct) =>
        await db.SeatSiteRules.AsNoTracking().FirstOrDefaultAsync(x => x.SiteId == siteId, ct) ?? new SeatSiteRules { SiteId = siteId };

    /// <summary>
    /// When a booking not checked in is released: the first release time of its halves (morning: <see cref="SeatSiteRules.MorningReleaseAt"/>,
    /// afternoon: <see cref="SeatSiteRules.AfternoonReleaseAt"/>) after it was made — a whole-day booking answers to the morning's time,
    /// unless it was made after it; a booking made after its last release time is never released. Null: never.
    /// </summary>
    public static DateTimeOffset? DeadlineOf(DateOnly date, BookingPart part, DateTimeOffset createdAt, SeatSiteRules rules, TimeZoneInfo zone)
    {
        if (!rules.CheckInRequired)
        {
            return null;
        }

        foreach (var half in SeatBookings.HalvesOf(part))
        {
            var at = Instant(date, half == SeatHalf.Morning ? rules.MorningReleaseAt : rules.AfternoonReleaseAt, zone);
            if (at > createdAt)
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>When check-in opens for a booking: <see cref="OpensBefore"/> before its first half starts.</summary>
    public static DateTimeOffset OpensAt(DateOnly date, BookingPart part, TimeZoneInfo zone) =>
        Instant(date, part == BookingPart.Afternoon ? AfternoonStarts : MorningStarts, zone) - OpensBefore;

    public static DateTimeOffset Instant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// Checks in to a booking (the caller has already asked the access check). Already checked in: the booking again,
    /// nothing changed. The write is conditional (still confirmed, not checked in), so it cannot cross the release sweep.
    /// </summary>
    public async Task<Result<BookingDto>> CheckInAsync(Guid bookingId, string actorId, string method, CancellationToken ct)
    {
        var b = await db.SeatBookings.AsNoTracking().FirstOrDefaultAsync(x => x.Id == bookingId, ct);
        if (b is null)
        {
            return SeatErrors.BookingNotFound;
        }

        if (b.CheckedInAt is not null)
        {
            return (await bookings.GetAsync(bookingId, ct))!;
        }

        if (await RefusalAsync(b, ct) is { } refused)
        {
            return refused;
        }

        var now = town.Now;
        var changed = await db.SeatBookings.Where(x => x.Id == bookingId && x.State == BookingState.Confirmed && x.CheckedInAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CheckedInAt, now), ct);
        if (changed == 0)
        {
            // Released (or cancelled) at this very moment: say what it is now.
            var again = await db.SeatBookings.AsNoTracking().FirstAsync(x => x.Id == bookingId, ct);
            return again.CheckedInAt is not null ? (await bookings.GetAsync(bookingId, ct))! : await RefusalAsync(again, ct) ?? SeatErrors.NotActive;
        }

        await audit.WriteAsync("seat.booking.checked_in", AuditOutcome.Success, actorId: actorId, subjectId: b.UserId, details: new Dictionary<string, string?>
        {
            ["booking"] = bookingId.ToString(), ["desk"] = b.DeskId.ToString(CultureInfo.InvariantCulture),
            ["date"] = b.Date.ToString("O", CultureInfo.InvariantCulture), ["method"] = method,
        }, ct: ct);
        return (await bookings.GetAsync(bookingId, ct))!;
    }

    /// <summary>Why a booking cannot be checked in now, or null.</summary>
    private async Task<Error?> RefusalAsync(SeatBooking b, CancellationToken ct)
    {
        if (b.State == BookingState.Cancelled && b.CancelReason == NoShow)
        {
            return SeatCheckInErrors.Released;
        }

        if (b.State == BookingState.Pending)
        {
            return SeatCheckInErrors.Pending;
        }

        if (b.State != BookingState.Confirmed)
        {
            return SeatErrors.NotActive;
        }

        var now = town.Now;
        var today = town.Local(now).Date;
        if (b.Date < today)
        {
            return SeatErrors.DayOver;
        }

        var opens = OpensAt(b.Date, b.Part, town.Zone);
        if (b.Date > today || now < opens)
        {
            return SeatCheckInErrors.TooEarly with { Details = new Dictionary<string, object?> { ["opensAt"] = opens } };
        }

        var siteId = await db.Desks.AsNoTracking().Where(d => d.Id == b.DeskId).Join(db.SeatFloors, d => d.FloorId, f => f.Id, (d, f) => f.SiteId).FirstAsync(ct);
        var rules = await RulesAsync(db, siteId, ct);
        return DeadlineOf(b.Date, b.Part, b.CreatedAt, rules, town.Zone) is { } deadline && now >= deadline
            ? SeatCheckInErrors.Released with { Details = new Dictionary<string, object?> { ["releaseAt"] = deadline } }
            : null;
    }

    /// <summary>The desk a QR token names, with what checking in there would do for <paramref name="userId"/> now.</summary>
    public async Task<CheckInPreview?> PreviewAsync(string token, string userId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 64)
        {
            return null;
        }

        var desk = await (from d in db.Desks.AsNoTracking()
                          join f in db.SeatFloors on d.FloorId equals f.Id
                          join s in db.Sites on f.SiteId equals s.Id
                          where d.CheckInToken == token && d.Active
                          select new { d.Id, d.Label, FloorId = f.Id, FloorName = f.Name, SiteId = s.Id, SiteName = s.Name }).FirstOrDefaultAsync(ct);
        if (desk is null)
        {
            return null;
        }

        var (today, time) = town.Local(town.Now);
        var partNow = time < Noon ? BookingPart.Full : BookingPart.Afternoon;
        var mine = await db.SeatBookings.AsNoTracking()
            .Where(b => b.UserId == userId && b.Date == today
                && (b.State == BookingState.Pending || b.State == BookingState.Confirmed || (b.State == BookingState.Cancelled && b.CancelReason == NoShow)))
            .ToListAsync(ct);
        var active = mine.Where(b => b.State != BookingState.Cancelled).ToList();
        var here = active.Where(b => b.DeskId == desk.Id)
            .OrderBy(b => partNow == BookingPart.Afternoon && b.Part == BookingPart.Morning ? 1 : 0).ThenBy(b => b.Part).FirstOrDefault();
        if (here is not null)
        {
            var problem = here.CheckedInAt is null ? (await RefusalAsync(here, ct))?.Code : null;
            return new CheckInPreview(desk.Id, desk.Label, desk.FloorId, desk.FloorName, desk.SiteId, desk.SiteName, await bookings.GetAsync(here.Id, ct), null,
                problem, false, partNow);
        }

        if (mine.Any(b => b.DeskId == desk.Id && b.State == BookingState.Cancelled))
        {
            return new CheckInPreview(desk.Id, desk.Label, desk.FloorId, desk.FloorName, desk.SiteId, desk.SiteName, null, null, SeatCheckInErrors.Released.Code,
                false, partNow);
        }

        if (active.FirstOrDefault() is { } other)
        {
            var elsewhere = await bookings.GetAsync(other.Id, ct);
            var code = elsewhere is not null && elsewhere.SiteId != desk.SiteId ? SeatCheckInErrors.OtherSite.Code : SeatCheckInErrors.NoBooking.Code;
            return new CheckInPreview(desk.Id, desk.Label, desk.FloorId, desk.FloorName, desk.SiteId, desk.SiteName, null, elsewhere, code, false, partNow);
        }

        var halves = SeatBookings.HalvesOf(partNow);
        var free = !await db.SeatHoldings.AnyAsync(h => h.DeskId == desk.Id && h.Date == today && halves.Contains(h.Half), ct)
            && await SeatBookings.ClosureOfAsync(db, desk.FloorId, desk.Id, today, ct) is null;
        return new CheckInPreview(desk.Id, desk.Label, desk.FloorId, desk.FloorName, desk.SiteId, desk.SiteName, null, null, SeatCheckInErrors.NoBooking.Code,
            free, partNow);
    }

    /// <summary>
    /// Checks in at the desk a QR token names: the caller's booking of it today; or, with <paramref name="bookNow"/> and no booking
    /// of theirs today, books it for the rest of the day first. Refusals name the problem and change nothing.
    /// </summary>
    public async Task<Result<BookingDto>> CheckInByTokenAsync(string token, string userId, bool bookNow, CancellationToken ct)
    {
        if (await PreviewAsync(token, userId, ct) is not { } preview)
        {
            return SeatCheckInErrors.Unknown;
        }

        if (preview.Booking is { } booking)
        {
            return await CheckInAsync(booking.Id, userId, "qr", ct);
        }

        if (preview.Elsewhere is { } elsewhere)
        {
            var details = new Dictionary<string, object?>
            {
                ["yourDesk"] = elsewhere.DeskLabel, ["yourFloor"] = elsewhere.FloorName, ["yourSite"] = elsewhere.SiteName, ["yourBooking"] = elsewhere.Id,
            };
            return (preview.Problem == SeatCheckInErrors.OtherSite.Code ? SeatCheckInErrors.OtherSite : SeatCheckInErrors.NoBooking) with { Details = details };
        }

        if (preview.Problem == SeatCheckInErrors.Released.Code)
        {
            return SeatCheckInErrors.Released;
        }

        if (!bookNow)
        {
            return SeatCheckInErrors.NoBooking with { Details = new Dictionary<string, object?> { ["deskId"] = preview.DeskId, ["free"] = preview.MayBookNow } };
        }

        // Book it now, but not before check-in opens (a refused check-in must leave no new booking behind).
        var today = town.Today;
        var opens = OpensAt(today, preview.PartNow, town.Zone);
        if (town.Now < opens)
        {
            return SeatCheckInErrors.TooEarly with { Details = new Dictionary<string, object?> { ["opensAt"] = opens } };
        }

        var booked = await bookings.BookAsync(userId, new BookRequest(preview.DeskId, today, preview.PartNow.ToString()), ct);
        if (!booked.Ok)
        {
            return booked.Error!;
        }

        return booked.Value!.State == BookingState.Pending ? booked.Value : await CheckInAsync(booked.Value.Id, userId, "qr", ct);
    }

    /// <summary>The QR codes of a floor's active desks, for the printable sheet.</summary>
    public async Task<IReadOnlyList<DeskQr>> FloorCodesAsync(int floorId, string publicUrl, CancellationToken ct)
    {
        var desks = await db.Desks.Where(d => d.FloorId == floorId && d.Active).ToListAsync(ct);
        // A desk whose token was removed by hand gets a new one here (the unique index keeps tokens apart).
        if (desks.Any(d => string.IsNullOrEmpty(d.CheckInToken)))
        {
            foreach (var d in desks.Where(d => string.IsNullOrEmpty(d.CheckInToken)))
            {
                d.CheckInToken = NewToken();
            }

            await db.SaveChangesAsync(ct);
        }

        return [.. desks.OrderBy(d => d.Label, StringComparer.Ordinal).Select(d => Qr(d, publicUrl))];
    }

    /// <summary>
    /// Replaces a desk's QR token (a printed code leaked or was copied): the old code stops working at once and names no desk,
    /// and the new one is returned for printing. Audited.
    /// </summary>
    public async Task<Result<DeskQr>> ReplaceTokenAsync(int deskId, string actorId, string publicUrl, CancellationToken ct)
    {
        if (await db.Desks.FirstOrDefaultAsync(d => d.Id == deskId && d.Active, ct) is not { } desk)
        {
            return SeatErrors.DeskNotFound;
        }

        desk.CheckInToken = NewToken();
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("seat.desk.qr_replaced", AuditOutcome.Success, actorId: actorId, subjectId: null, details: new Dictionary<string, string?>
        {
            ["deskId"] = desk.Id.ToString(CultureInfo.InvariantCulture), ["desk"] = desk.Label,
        });
        return Qr(desk, publicUrl);
    }

    /// <summary>The check-in address printed on a desk (the app's public URL + its token) and its QR code.</summary>
    private static DeskQr Qr(Desk desk, string publicUrl)
    {
        var url = $"{publicUrl.TrimEnd('/')}/seats/checkin/{desk.CheckInToken}";
        return new DeskQr(desk.Id, desk.Label, url, QrPng(url));
    }

    /// <summary>A QR code as a PNG data URI, 8 pixels a module: sharp when printed at about 3 cm.</summary>
    public static string QrPng(string text)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCoder.QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new QRCoder.PngByteQRCode(data).GetGraphic(8));
    }
}
