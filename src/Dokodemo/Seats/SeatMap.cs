using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>Sites, floors, desks, and a floor's availability for a date: what the map and the list show.</summary>
public sealed class SeatMap(AppDbContext db, TownClock town)
{
    public async Task<IReadOnlyList<SeatSiteDto>> SitesAsync(CancellationToken ct = default)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.SortOrder).ThenBy(s => s.Id).ToListAsync(ct);
        var rules = await db.SeatSiteRules.AsNoTracking().ToDictionaryAsync(r => r.SiteId, ct);
        var floors = await db.SeatFloors.AsNoTracking().OrderBy(f => f.SortOrder).ThenBy(f => f.Id)
            .Select(f => new { f.Id, f.SiteId, f.Name, f.SortOrder, HasPlan = f.PlanSvg != null, Desks = db.Desks.Count(d => d.FloorId == f.Id && d.Active) })
            .ToListAsync(ct);
        return [.. sites.Select(s =>
        {
            var r = rules.GetValueOrDefault(s.Id) ?? new SeatSiteRules();
            return new SeatSiteDto(s.Id, s.Name, s.NameEn, s.Kind.ToString(), SeatCheckIn.RulesDto(r),
                [.. floors.Where(f => f.SiteId == s.Id).Select(f => new FloorRef(f.Id, f.Name, f.SortOrder, f.HasPlan, f.Desks))]);
        })];
    }

    public async Task<FloorDto?> FloorAsync(int floorId, bool includeInactive = false, CancellationToken ct = default)
    {
        var floor = await db.SeatFloors.AsNoTracking().Where(f => f.Id == floorId)
            .Join(db.Sites, f => f.SiteId, s => s.Id, (f, s) => new { f.Id, f.SiteId, SiteName = s.Name, f.Name, f.SortOrder, f.Width, f.Height, HasPlan = f.PlanSvg != null })
            .FirstOrDefaultAsync(ct);
        if (floor is null)
        {
            return null;
        }

        var zones = await db.SeatZones.AsNoTracking().Where(z => z.FloorId == floorId).OrderBy(z => z.Id)
            .Select(z => new ZoneDto(z.Id, z.Name, z.Kind, z.DepartmentId, db.Departments.Where(d => d.Id == z.DepartmentId).Select(d => d.Name).FirstOrDefault(),
                z.X, z.Y, z.Width, z.Height)).ToListAsync(ct);
        var desks = await db.Desks.AsNoTracking().Where(d => d.FloorId == floorId && (includeInactive || d.Active)).ToListAsync(ct);
        return new FloorDto(floor.Id, floor.SiteId, floor.SiteName, floor.Name, floor.SortOrder, floor.Width, floor.Height, floor.HasPlan, zones,
            [.. desks.OrderBy(d => d.Label, StringComparer.Ordinal).Select(d => new DeskDto(d.Id, d.Label, d.X, d.Y, d.ZoneId, SeatBookings.EquipmentNames(d.Equipment), d.Active))]);
    }

    public async Task<string?> PlanAsync(int floorId, CancellationToken ct = default) =>
        await db.SeatFloors.AsNoTracking().Where(f => f.Id == floorId).Select(f => f.PlanSvg).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Each active desk of a floor on a date and part of the day, for <paramref name="readerId"/>: free, taken, the
    /// reader's own, or closed. <paramref name="mayName"/> says, per holder (id and department), whether the reader may
    /// see who it is — the access policy's answer for the directory, asked by the caller.
    /// </summary>
    public async Task<FloorAvailability?> AvailabilityAsync(int floorId, DateOnly date, BookingPart part, string readerId, int readerDepartmentId,
        Func<int, bool> mayName, CancellationToken ct = default)
    {
        var floor = await db.SeatFloors.AsNoTracking().Where(f => f.Id == floorId).Select(f => new { f.Id, f.SiteId }).FirstOrDefaultAsync(ct);
        if (floor is null)
        {
            return null;
        }

        var rules = await SeatBookings.RulesOfAsync(db, floor.SiteId, ct);
        var halves = SeatBookings.HalvesOf(part);
        var desks = await db.Desks.AsNoTracking().Where(d => d.FloorId == floorId && d.Active).ToListAsync(ct);
        var holdings = await (from h in db.SeatHoldings.AsNoTracking()
                              join d in db.Desks on h.DeskId equals d.Id
                              join b in db.SeatBookings on h.BookingId equals b.Id
                              join u in db.Users on h.UserId equals u.Id
                              where d.FloorId == floorId && h.Date == date && halves.Contains(h.Half)
                              select new { h.DeskId, h.UserId, h.BookingId, b.State, u.DisplayName, u.DepartmentId }).ToListAsync(ct);
        var closures = await db.SeatClosures.AsNoTracking().Where(c => c.FloorId == floorId && c.From <= date && c.To >= date).ToListAsync(ct);
        var zones = await db.SeatZones.AsNoTracking().Where(z => z.FloorId == floorId).ToDictionaryAsync(z => z.Id, ct);
        var teamOpen = date <= town.Today.AddDays(rules.TeamAreaOpenDays);

        return new FloorAvailability(floorId, date, part, [.. desks.OrderBy(d => d.Label, StringComparer.Ordinal).Select(d =>
        {
            var closure = closures.Where(c => c.DeskId == null || c.DeskId == d.Id).OrderBy(c => c.DeskId == null ? 0 : 1).FirstOrDefault();
            var held = holdings.Where(h => h.DeskId == d.Id).ToList();
            var mine = held.FirstOrDefault(h => h.UserId == readerId);
            var other = held.FirstOrDefault(h => h.UserId != readerId);
            var teamOnly = d.ZoneId is { } z && zones.TryGetValue(z, out var zone) && zone.Kind == ZoneKind.Team && zone.DepartmentId is { } owner
                && owner != readerDepartmentId && !teamOpen;
            var equipment = SeatBookings.EquipmentNames(d.Equipment);
            if (closure is not null)
            {
                return new DeskAvailability(d.Id, d.Label, d.X, d.Y, d.ZoneId, equipment, DeskStatus.Closed, null, null, false, closure.Reason, teamOnly);
            }

            if (mine is not null)
            {
                return new DeskAvailability(d.Id, d.Label, d.X, d.Y, d.ZoneId, equipment, DeskStatus.Yours, null, mine.BookingId, mine.State == BookingState.Pending, null, teamOnly);
            }

            if (other is not null)
            {
                return new DeskAvailability(d.Id, d.Label, d.X, d.Y, d.ZoneId, equipment, DeskStatus.Taken, mayName(other.DepartmentId) ? other.DisplayName : null, null,
                    other.State == BookingState.Pending, null, teamOnly);
            }

            return new DeskAvailability(d.Id, d.Label, d.X, d.Y, d.ZoneId, equipment, DeskStatus.Free, null, null, false, null, teamOnly);
        })]);
    }
}

/// <summary>The object-level access questions of Seats, asked of the one decision point.</summary>
public sealed class SeatAccess(AccessCheck access, CurrentUser me, SeatBookings bookings)
{
    /// <summary>
    /// Whose names the reader may see on the map: everyone's when the policy lets them read the directory, their own
    /// department's when only that rule applies (e.g. an outsider allowed to book), nobody's otherwise.
    /// </summary>
    public async Task<Func<int, bool>> NamesAsync(CancellationToken ct = default)
    {
        if (await access.AllowsAsync(ResourceTypes.Directory, AccessAction.Read, null, Relation.None, ct))
        {
            return _ => true;
        }

        var own = await access.AllowsAsync(ResourceTypes.Directory, AccessAction.Read, null, Relation.SameDepartment, ct);
        var department = me.DepartmentId;
        return d => own && d == department;
    }

    /// <summary>
    /// Whether the caller may act on a booking (cancel: Delete; check in: Update): their own (本人) under the staff rule,
    /// anyone else's only under a rule without a relation (HR, administrators). Unknown and not-yours look the same.
    /// </summary>
    public async Task<Shared.Error?> MayActOnAsync(Guid bookingId, AccessAction action, CancellationToken ct = default)
    {
        if (await bookings.OwnerOfAsync(bookingId, ct) is not { } owner)
        {
            return await access.AllowsAsync(ResourceTypes.Seat, action, null, Relation.None, ct) ? SeatErrors.BookingNotFound : SeatErrors.AccessDenied;
        }

        return await access.AllowsAsync(ResourceTypes.Seat, action, bookingId.ToString(), me.RelationTo(owner.UserId, owner.DepartmentId), ct)
            ? null
            : SeatErrors.AccessDenied;
    }
}
