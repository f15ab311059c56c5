using System.Data.Common;
using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Organization;
using Dokodemo.Shared;
using Dokodemo.Work.Places;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>
/// Booking a desk (BookDesk), cancelling, and deciding bookings that need approval. The database decides who gets a
/// desk: the booking and its holdings are inserted together, and the second holder of a (desk, date, half) is refused
/// by the primary key of <see cref="SeatHolding"/> — the checks before the insert only give clearer messages.
/// </summary>
public sealed class SeatBookings(AppDbContext db, TownClock town, WorkPlaces places, AuditLog audit, SeatBookingWriter writer, ILogger<SeatBookings> log)
{
    public const int MaxAlternatives = 5;

    public static BookingPart? PartOf(string? part) => (part ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "full" or "day" => BookingPart.Full,
        "morning" or "am" => BookingPart.Morning,
        "afternoon" or "pm" => BookingPart.Afternoon,
        _ => null,
    };

    public static SeatHalf[] HalvesOf(BookingPart part) => part switch
    {
        BookingPart.Morning => [SeatHalf.Morning],
        BookingPart.Afternoon => [SeatHalf.Afternoon],
        _ => [SeatHalf.Morning, SeatHalf.Afternoon],
    };

    /// <summary>The Monday of the week (Monday to Sunday) a date is in.</summary>
    public static DateOnly WeekOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    public static async Task<SeatRulesDto> RulesOfAsync(AppDbContext db, int siteId, CancellationToken ct)
    {
        var r = await db.SeatSiteRules.AsNoTracking().FirstOrDefaultAsync(x => x.SiteId == siteId, ct) ?? new SeatSiteRules();
        return SeatCheckIn.RulesDto(r);
    }

    /// <summary>The closure that covers a desk on a date (the desk's own or its floor's), if any.</summary>
    public static Task<SeatClosure?> ClosureOfAsync(AppDbContext db, int floorId, int deskId, DateOnly date, CancellationToken ct) =>
        db.SeatClosures.AsNoTracking().Where(c => c.FloorId == floorId && (c.DeskId == null || c.DeskId == deskId) && c.From <= date && c.To >= date)
            .OrderBy(c => c.DeskId == null ? 0 : 1).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Everything the checks before a booking need, read in one query (P6: one round trip instead of eight): the desk with
    /// its floor, site and zone, the site's rules (null: the defaults), the closure that covers the date, the person's
    /// department and name, whether they hold those halves already, their bookings that week at the site, and whether the
    /// 本庁舎 work place link could have anything to declare.
    /// </summary>
    private sealed record BookingFacts(int DeskId, string DeskLabel, int FloorId, string FloorName, int? ZoneId, int SiteId, string SiteName, SiteKind SiteKind,
        int? HorizonDays, int? MaxPerWeek, int? TeamAreaOpenDays, bool? ApprovalRequired, ZoneKind? ZoneKind, int? ZoneDepartmentId,
        string? ClosureReason, DateOnly? ClosureTo, int? DepartmentId, string? UserName, bool OwnHeld, int ThisWeek, bool Declared, bool OtherPattern)
    {
        public SeatRulesDto Rules => new(HorizonDays ?? SeatSiteRules.DefaultHorizonDays, MaxPerWeek ?? SeatSiteRules.DefaultMaxPerWeek,
            TeamAreaOpenDays ?? SeatSiteRules.DefaultTeamAreaOpenDays, ApprovalRequired ?? false);
    }

    private Task<BookingFacts?> FactsAsync(string userId, int deskId, DateOnly date, SeatHalf[] halves, CancellationToken ct)
    {
        var monday = WeekOf(date);
        // One or two halves as two scalars (the same one twice for one half): no collection parameter, so the SQL stays
        // the same for every booking and EF neither rebuilds it nor SQLite parses it anew for another list size.
        var (first, second) = (halves[0], halves[^1]);
        static DayHalf Day(SeatHalf h) => h == SeatHalf.Morning ? DayHalf.Morning : DayHalf.Afternoon;
        return Facts(db, userId, deskId, date, first, second, Day(first), Day(second), monday, monday.AddDays(6), date.DayOfWeek, ct);
    }

    /// <summary>
    /// The facts' query, compiled once (P6): EF then skips building and looking up this large expression on every booking.
    /// </summary>
    private static readonly Func<AppDbContext, string, int, DateOnly, SeatHalf, SeatHalf, DayHalf, DayHalf, DateOnly, DateOnly, DayOfWeek, CancellationToken, Task<BookingFacts?>> Facts =
        EF.CompileAsyncQuery((AppDbContext db, string userId, int deskId, DateOnly date, SeatHalf half1, SeatHalf half2, DayHalf day1, DayHalf day2,
            DateOnly monday, DateOnly sunday, DayOfWeek weekday, CancellationToken ct) =>
            (from d in db.Desks.AsNoTracking()
             join f in db.SeatFloors on d.FloorId equals f.Id
             join s in db.Sites on f.SiteId equals s.Id
             from r in db.SeatSiteRules.Where(r => r.SiteId == s.Id).DefaultIfEmpty()
             from z in db.SeatZones.Where(z => z.Id == d.ZoneId).DefaultIfEmpty()
             from u in db.Users.Where(u => u.Id == userId).DefaultIfEmpty()
             where d.Id == deskId && d.Active
             select new BookingFacts(d.Id, d.Label, f.Id, f.Name, d.ZoneId, s.Id, s.Name, s.Kind,
                 r == null ? null : r.HorizonDays,
                 r == null ? null : r.MaxPerWeek,
                 r == null ? null : r.TeamAreaOpenDays,
                 r == null ? null : r.ApprovalRequired,
                 z == null ? null : z.Kind,
                 z == null ? null : z.DepartmentId,
                 db.SeatClosures.Where(c => c.FloorId == f.Id && (c.DeskId == null || c.DeskId == d.Id) && c.From <= date && c.To >= date)
                     .OrderBy(c => c.DeskId == null ? 0 : 1).Select(c => c.Reason).FirstOrDefault(),
                 db.SeatClosures.Where(c => c.FloorId == f.Id && (c.DeskId == null || c.DeskId == d.Id) && c.From <= date && c.To >= date)
                     .OrderBy(c => c.DeskId == null ? 0 : 1).Select(c => (DateOnly?)c.To).FirstOrDefault(),
                 u == null ? null : u.DepartmentId,
                 u == null ? null : u.DisplayName,
                 db.SeatHoldings.Any(h => h.UserId == userId && h.Date == date && (h.Half == half1 || h.Half == half2)),
                 (from b in db.SeatBookings
                  join d2 in db.Desks on b.DeskId equals d2.Id
                  join f2 in db.SeatFloors on d2.FloorId equals f2.Id
                  where b.UserId == userId && f2.SiteId == s.Id && b.Date >= monday && b.Date <= sunday
                      && (b.State == BookingState.Pending || b.State == BookingState.Confirmed)
                  select b.Id).Count(),
                 db.WorkPlaceDeclarations.Any(x => x.UserId == userId && x.Date == date && (x.Half == day1 || x.Half == day2)),
                 db.WorkPatterns.Any(x => x.UserId == userId && x.Weekday == weekday && (x.Half == day1 || x.Half == day2) && x.Kind != WorkPlaceKind.Office)))
            .FirstOrDefault());

    /// <summary>Books a desk for <paramref name="userId"/>. Bad input is refused with a code and nothing is written.</summary>
    public async Task<Result<BookingDto>> BookAsync(string userId, BookRequest request, CancellationToken ct)
    {
        if (PartOf(request.Part) is not { } part)
        {
            return SeatErrors.PartUnknown;
        }

        if (request.DeskId is not { } deskId)
        {
            return SeatErrors.DeskUnknown;
        }

        if (request.Date is not { } date)
        {
            return await db.Desks.AnyAsync(d => d.Id == deskId && d.Active, ct) ? SeatErrors.DateRequired : SeatErrors.DeskUnknown;
        }

        var halves = HalvesOf(part);
        var facts = await FactsAsync(userId, deskId, date, halves, ct);
        if (facts is null)
        {
            return SeatErrors.DeskUnknown;
        }

        var today = town.Today;
        if (date < today)
        {
            return SeatErrors.DatePast;
        }

        var rules = facts.Rules;
        if (date > today.AddDays(rules.HorizonDays))
        {
            return SeatErrors.BeyondHorizon with { Details = new Dictionary<string, object?> { ["field"] = "date", ["horizonDays"] = rules.HorizonDays } };
        }

        if (Refusal(facts, date, today, rules, alsoThisWeek: 0) is { } refused)
        {
            return refused;
        }

        var departmentId = facts.DepartmentId!.Value;
        var booking = new SeatBooking
        {
            Id = Guid.NewGuid(), DeskId = facts.DeskId, UserId = userId, Date = date, Part = part, CreatedAt = town.Now,
            State = rules.ApprovalRequired ? BookingState.Pending : BookingState.Confirmed,
        };
        try
        {
            // The booking and all its holdings in one savepoint of the group writer's transaction, or nothing (P6).
            await writer.InsertAsync(booking);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            if (!await db.SeatHoldings.AnyAsync(h => h.DeskId == facts.DeskId && h.Date == date && halves.Contains(h.Half), ct))
            {
                // The desk is free; what collided is the person's own booking made at the same moment.
                return SeatErrors.AlreadyBooked;
            }

            var alternatives = await AlternativesAsync(facts.DeskId, date, halves, departmentId, today, rules, ct);
            return SeatErrors.Taken with { Details = new Dictionary<string, object?> { ["alternatives"] = alternatives } };
        }

        // The work place link. At 本庁舎 on a workday with nothing declared and no other place in the weekly pattern for
        // those halves, the day is already 庁舎 and there is nothing to write (most bookings: no second transaction).
        var nothingToDeclare = facts.SiteKind == SiteKind.MainOffice && !facts.Declared && !facts.OtherPattern && town.DayTypeOf(date) == Domain.Access.DayType.Workday;
        if (booking.State == BookingState.Confirmed && !nothingToDeclare)
        {
            await DeclarePlaceAsync(booking, facts.SiteId, facts.SiteKind, ct);
        }

        // The 201 body from what is known: no read-back.
        return new BookingDto(booking.Id, facts.DeskId, facts.DeskLabel, facts.FloorId, facts.FloorName, facts.SiteId, facts.SiteName, userId, facts.UserName,
            date, part, booking.State, booking.CreatedAt);
    }

    /// <summary>An active desk with its floor, zone and site (what the checks and the work place link need).</summary>
    public sealed record DeskPlace(int Id, int FloorId, int? ZoneId, int SiteId, SiteKind SiteKind);

    public Task<DeskPlace?> DeskPlaceAsync(int deskId, CancellationToken ct) =>
        (from d in db.Desks.AsNoTracking()
         join f in db.SeatFloors on d.FloorId equals f.Id
         join s in db.Sites on f.SiteId equals s.Id
         where d.Id == deskId && d.Active
         select new DeskPlace(d.Id, d.FloorId, d.ZoneId, s.Id, s.Kind)).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The checks of one date of a series (<see cref="Refusal"/>, the same as a single booking's) in one query. They only
    /// give a clear code; the holdings' keys are what prevent a double booking.
    /// </summary>
    public async Task<Error?> CheckDateAsync(string userId, DeskPlace desk, DateOnly date, SeatHalf[] halves, DateOnly today,
        SeatRulesDto rules, int alsoThisWeek, CancellationToken ct) =>
        await FactsAsync(userId, desk.Id, date, halves, ct) is { } facts ? Refusal(facts, date, today, rules, alsoThisWeek) : SeatErrors.DeskUnknown;

    /// <summary>
    /// The checks of one date, in this order: a closure, the person (unknown: access denied), a team area not yet open to
    /// them, their own other booking for those halves, the weekly limit (with <paramref name="alsoThisWeek"/> bookings about
    /// to be made in the same week and site). One place for single bookings and series alike.
    /// </summary>
    private static Error? Refusal(BookingFacts facts, DateOnly date, DateOnly today, SeatRulesDto rules, int alsoThisWeek)
    {
        if (facts.ClosureReason is { } reason)
        {
            return SeatErrors.Closed with { Details = new Dictionary<string, object?> { ["reason"] = reason, ["to"] = facts.ClosureTo } };
        }

        if (facts.DepartmentId is not { } departmentId)
        {
            return SeatErrors.AccessDenied;
        }

        if (facts.ZoneKind == ZoneKind.Team && facts.ZoneDepartmentId is { } team && team != departmentId && date > today.AddDays(rules.TeamAreaOpenDays))
        {
            return SeatErrors.TeamArea with { Details = new Dictionary<string, object?> { ["openDays"] = rules.TeamAreaOpenDays } };
        }

        if (facts.OwnHeld)
        {
            return SeatErrors.AlreadyBooked;
        }

        return facts.ThisWeek + alsoThisWeek >= rules.MaxPerWeek
            ? SeatErrors.WeeklyLimit with { Details = new Dictionary<string, object?> { ["maxPerWeek"] = rules.MaxPerWeek } }
            : null;
    }

    /// <summary>SQLite's SQLITE_CONSTRAINT (primary key or unique) and PostgreSQL's unique_violation (23505).</summary>
    /// <summary>
    /// Free desks for the same halves, nearest first: the same zone, then the same floor, then the site's other floors;
    /// within each, desks with at least the same equipment first, then by distance on the plan.
    /// </summary>
    public async Task<IReadOnlyList<AlternativeDesk>> AlternativesAsync(int deskId, DateOnly date, SeatHalf[] halves, int departmentId, DateOnly today,
        SeatRulesDto rules, CancellationToken ct)
    {
        var wanted = await db.Desks.AsNoTracking().Join(db.SeatFloors, d => d.FloorId, f => f.Id, (d, f) => new { d, f.SiteId })
            .FirstAsync(x => x.d.Id == deskId, ct);
        var candidates = await (from d in db.Desks.AsNoTracking()
                                join f in db.SeatFloors on d.FloorId equals f.Id
                                where f.SiteId == wanted.SiteId && d.Active && d.Id != deskId
                                select new { Desk = d, FloorName = f.Name, f.SortOrder }).ToListAsync(ct);
        var floorIds = candidates.Select(c => c.Desk.FloorId).Distinct().ToList();
        var held = (await db.SeatHoldings.AsNoTracking().Where(h => h.Date == date && halves.Contains(h.Half)).Select(h => h.DeskId).ToListAsync(ct)).ToHashSet();
        var closures = await db.SeatClosures.AsNoTracking().Where(c => floorIds.Contains(c.FloorId) && c.From <= date && c.To >= date).ToListAsync(ct);
        var zones = await db.SeatZones.AsNoTracking().Where(z => floorIds.Contains(z.FloorId)).ToDictionaryAsync(z => z.Id, ct);
        var teamOpen = date <= today.AddDays(rules.TeamAreaOpenDays);
        return [.. candidates
            .Where(c => !held.Contains(c.Desk.Id))
            .Where(c => !closures.Any(x => x.FloorId == c.Desk.FloorId && (x.DeskId == null || x.DeskId == c.Desk.Id)))
            .Where(c => c.Desk.ZoneId is not { } z || !zones.TryGetValue(z, out var zone) || zone.Kind != ZoneKind.Team || zone.DepartmentId is null
                || zone.DepartmentId == departmentId || teamOpen)
            .OrderBy(c => wanted.d.ZoneId is not null && c.Desk.ZoneId == wanted.d.ZoneId ? 0 : c.Desk.FloorId == wanted.d.FloorId ? 1 : 2)
            .ThenBy(c => (c.Desk.Equipment & wanted.d.Equipment) == wanted.d.Equipment ? 0 : 1)
            .ThenBy(c => c.Desk.FloorId == wanted.d.FloorId ? Math.Pow(c.Desk.X - wanted.d.X, 2) + Math.Pow(c.Desk.Y - wanted.d.Y, 2) : c.SortOrder)
            .ThenBy(c => c.Desk.Label, StringComparer.Ordinal)
            .Take(MaxAlternatives)
            .Select(c => new AlternativeDesk(c.Desk.Id, c.Desk.Label, c.Desk.FloorId, c.FloorName,
                c.Desk.ZoneId is { } z && zones.TryGetValue(z, out var zone) ? zone.Name : null, EquipmentNames(c.Desk.Equipment)))];
    }

    public static IReadOnlyList<string> EquipmentNames(DeskEquipment equipment) =>
        [.. Enum.GetValues<DeskEquipment>().Where(e => e != DeskEquipment.None && equipment.HasFlag(e)).Select(e => e.ToString())];

    /// <summary>
    /// The work place link: a booking at a satellite office, branch or partner space declares that half day's place as
    /// that site; a booking at 本庁舎 declares 庁舎 for the halves nothing is declared for yet (a declaration wins).
    /// </summary>
    internal async Task DeclarePlaceAsync(SeatBooking booking, int siteId, SiteKind siteKind, CancellationToken ct)
    {
        try
        {
            var partName = booking.Part.ToString();
            if (siteKind == SiteKind.MainOffice)
            {
                var place = await places.PlaceOfAsync(booking.UserId, booking.Date, ct);
                // Only halves nothing was declared for and whose pattern or default is not already 庁舎 (on a day off
                // there is no place yet): no redundant declaration, and no second write for most bookings (P6).
                var open = HalvesOf(booking.Part).Where(h => (h == SeatHalf.Morning ? place.Morning : place.Afternoon) is var half
                    && half.Source != PlaceSource.Declaration && (place.Off || half.Kind != WorkPlaceKind.Office)).ToList();
                if (open.Count == 0)
                {
                    return;
                }

                partName = open.Count == 2 ? "Full" : open[0].ToString();
                await places.DeclareAsync(booking.UserId, booking.Date, new DeclareRequest(partName, nameof(WorkPlaceKind.Office), null, null, null, null, WorksOffDay: true),
                    booking.UserId, mayWritePast: false, ct);
            }
            else
            {
                var result = await places.DeclareAsync(booking.UserId, booking.Date,
                    new DeclareRequest(partName, nameof(WorkPlaceKind.Satellite), siteId, null, null, null, WorksOffDay: true), booking.UserId, mayWritePast: false, ct);
                if (!result.Ok)
                {
                    log.LogWarning("A seat booking could not declare the work place: {Code}", result.Error!.Code);
                }
            }
        }
        catch (DbUpdateException ex)
        {
            // The booking stands; the place can still be declared by hand.
            log.LogWarning(ex, "A seat booking could not declare the work place.");
            db.ChangeTracker.Clear();
        }
    }

    public async Task<BookingDto?> GetAsync(Guid id, CancellationToken ct = default) =>
        (await QueryAsync(b => b.Id == id, ct)).FirstOrDefault();

    /// <summary>A person's pending and confirmed bookings between two dates (the calendar feed).</summary>
    public Task<IReadOnlyList<BookingDto>> BetweenAsync(string userId, DateOnly from, DateOnly to, CancellationToken ct = default) =>
        QueryAsync(b => b.UserId == userId && b.Date >= from && b.Date <= to && (b.State == BookingState.Pending || b.State == BookingState.Confirmed), ct);

    /// <summary>A person's bookings from today on (pending and confirmed), soonest first.</summary>
    public Task<IReadOnlyList<BookingDto>> MineAsync(string userId, CancellationToken ct = default)
    {
        var today = town.Today;
        return QueryAsync(b => b.UserId == userId && b.Date >= today && (b.State == BookingState.Pending || b.State == BookingState.Confirmed), ct);
    }

    /// <summary>The occurrences of a series: all of them, or those still held from <paramref name="activeFrom"/> on.</summary>
    public Task<IReadOnlyList<BookingDto>> SeriesOccurrencesAsync(Guid seriesId, DateOnly? activeFrom, CancellationToken ct = default) =>
        activeFrom is { } from
            ? QueryAsync(b => b.SeriesId == seriesId && b.Date >= from && (b.State == BookingState.Pending || b.State == BookingState.Confirmed), ct)
            : QueryAsync(b => b.SeriesId == seriesId, ct);

    /// <summary>Bookings waiting for approval, optionally at one site.</summary>
    public Task<IReadOnlyList<BookingDto>> PendingAsync(int? siteId, CancellationToken ct = default) =>
        QueryAsync(b => b.State == BookingState.Pending, ct, siteId);

    private async Task<IReadOnlyList<BookingDto>> QueryAsync(System.Linq.Expressions.Expression<Func<SeatBooking, bool>> filter, CancellationToken ct, int? siteId = null) =>
        await (from b in db.SeatBookings.AsNoTracking().Where(filter)
               join d in db.Desks on b.DeskId equals d.Id
               join f in db.SeatFloors on d.FloorId equals f.Id
               join s in db.Sites on f.SiteId equals s.Id
               join u in db.Users on b.UserId equals u.Id
               where siteId == null || s.Id == siteId
               orderby b.Date, b.Part, s.SortOrder, d.Label
               select new BookingDto(b.Id, d.Id, d.Label, f.Id, f.Name, s.Id, s.Name, b.UserId, u.DisplayName, b.Date, b.Part, b.State, b.CreatedAt, b.SeriesId, b.CheckedInAt))
            .ToListAsync(ct);

    /// <summary>The owner of a booking and their department, for the object-level access check.</summary>
    public async Task<(string UserId, int DepartmentId)?> OwnerOfAsync(Guid id, CancellationToken ct = default) =>
        await db.SeatBookings.AsNoTracking().Where(b => b.Id == id).Join(db.Users, b => b.UserId, u => u.Id, (b, u) => new { b.UserId, u.DepartmentId })
            .Select(x => new ValueTuple<string, int>(x.UserId, x.DepartmentId)).FirstOrDefaultAsync(ct) is { Item1: not null } owner ? owner : null;

    /// <summary>Cancels a booking (the access check is the caller's): the desk is free again at once; the row stays as history.</summary>
    public async Task<Result<BookingDto>> CancelAsync(Guid id, string actorId, string? reason, CancellationToken ct)
    {
        var booking = await db.SeatBookings.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (booking is null)
        {
            return SeatErrors.BookingNotFound;
        }

        if (booking.State is not (BookingState.Pending or BookingState.Confirmed))
        {
            return SeatErrors.NotActive;
        }

        if (booking.Date < town.Today)
        {
            return SeatErrors.DayOver;
        }

        booking.State = BookingState.Cancelled;
        booking.CancelledAt = town.Now;
        booking.CancelledById = actorId;
        booking.CancelReason = reason;
        db.SeatHoldings.RemoveRange(await db.SeatHoldings.Where(h => h.BookingId == id).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        if (booking.SeriesId is { } seriesId)
        {
            await SeatSeriesBookings.CloseIfEmptyAsync(db, seriesId, town.Today, town.Now, ct);
        }

        if (actorId != booking.UserId)
        {
            await audit.WriteAsync("seat.booking.cancelled", AuditOutcome.Success, actorId: actorId, subjectId: booking.UserId, details: new Dictionary<string, string?>
            {
                ["booking"] = id.ToString(), ["date"] = booking.Date.ToString("O", CultureInfo.InvariantCulture), ["desk"] = booking.DeskId.ToString(CultureInfo.InvariantCulture),
            }, ct: ct);
        }

        return (await GetAsync(id, ct))!;
    }

    /// <summary>Approves (予約済み) or declines (却下, the desk is free again) a pending booking; audited.</summary>
    public async Task<Result<BookingDto>> DecideAsync(Guid id, bool approve, string actorId, CancellationToken ct)
    {
        var booking = await db.SeatBookings.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (booking is null)
        {
            return SeatErrors.BookingNotFound;
        }

        if (booking.State != BookingState.Pending)
        {
            return SeatErrors.NotPending;
        }

        booking.State = approve ? BookingState.Confirmed : BookingState.Declined;
        booking.DecidedAt = town.Now;
        booking.DecidedById = actorId;
        if (!approve)
        {
            db.SeatHoldings.RemoveRange(await db.SeatHoldings.Where(h => h.BookingId == id).ToListAsync(ct));
        }

        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(approve ? "seat.booking.approved" : "seat.booking.declined", AuditOutcome.Success, actorId: actorId, subjectId: booking.UserId,
            details: new Dictionary<string, string?> { ["booking"] = id.ToString(), ["date"] = booking.Date.ToString("O", CultureInfo.InvariantCulture) }, ct: ct);
        if (approve)
        {
            var site = await db.Desks.AsNoTracking().Where(d => d.Id == booking.DeskId).Join(db.SeatFloors, d => d.FloorId, f => f.Id, (d, f) => f.SiteId)
                .Join(db.Sites, s => s, s => s.Id, (_, s) => new { s.Id, s.Kind }).FirstAsync(ct);
            await DeclarePlaceAsync(booking, site.Id, site.Kind, ct);
        }

        return (await GetAsync(id, ct))!;
    }
}
