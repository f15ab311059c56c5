using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>Floors, plans, zones, desks, closures and each site's rules: what administrators and the DX team manage.</summary>
public sealed class SeatAdmin(AppDbContext db, TownClock town, AuditLog audit, SeatMap map)
{
    public const int MaxName = 100;
    public const int MaxLabel = 20;
    public const int MaxReason = 200;
    public const int MaxPlanSize = 100_000;

    private static bool Named(string? name, int max) => !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= max;

    public async Task<Result<FloorDto>> AddFloorAsync(FloorRequest request, CancellationToken ct)
    {
        if (request.SiteId is not { } siteId || !await db.Sites.AnyAsync(s => s.Id == siteId, ct))
        {
            return SeatErrors.SiteUnknown;
        }

        var floor = new SeatFloor { SiteId = siteId, Name = "", UpdatedAt = town.Now };
        var error = Apply(floor, request);
        if (error is not null)
        {
            return error;
        }

        db.SeatFloors.Add(floor);
        await db.SaveChangesAsync(ct);
        return (await map.FloorAsync(floor.Id, true, ct))!;
    }

    public async Task<Result<FloorDto>> UpdateFloorAsync(int id, FloorRequest request, CancellationToken ct)
    {
        var floor = await db.SeatFloors.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (floor is null)
        {
            return SeatErrors.FloorUnknown;
        }

        var error = Apply(floor, request);
        if (error is not null)
        {
            return error;
        }

        floor.UpdatedAt = town.Now;
        await db.SaveChangesAsync(ct);
        return (await map.FloorAsync(floor.Id, true, ct))!;
    }

    private static Error? Apply(SeatFloor floor, FloorRequest request)
    {
        if (!Named(request.Name, MaxName))
        {
            return SeatErrors.NameRequired;
        }

        var width = request.Width ?? floor.Width;
        var height = request.Height ?? floor.Height;
        if (width is < 10 or > MaxPlanSize || height is < 10 or > MaxPlanSize)
        {
            return SeatErrors.SizeInvalid;
        }

        floor.Name = request.Name!.Trim();
        floor.SortOrder = request.SortOrder ?? floor.SortOrder;
        floor.Width = width;
        floor.Height = height;
        return null;
    }

    /// <summary>Removes a floor with its zones, desks and closures — refused while any desk on it has bookings (history).</summary>
    public async Task<Error?> DeleteFloorAsync(int id, CancellationToken ct)
    {
        var floor = await db.SeatFloors.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (floor is null)
        {
            return SeatErrors.FloorUnknown;
        }

        if (await db.SeatBookings.AnyAsync(b => db.Desks.Any(d => d.Id == b.DeskId && d.FloorId == id), ct))
        {
            return SeatErrors.FloorInUse;
        }

        db.SeatFloors.Remove(floor);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Stores an uploaded plan after sanitising it; a viewBox sets the floor's size in plan units.</summary>
    public async Task<Result<FloorDto>> SetPlanAsync(int id, string? svg, string actorId, CancellationToken ct)
    {
        var floor = await db.SeatFloors.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (floor is null)
        {
            return SeatErrors.FloorUnknown;
        }

        var plan = PlanSanitizer.Sanitize(svg);
        if (!plan.Ok)
        {
            if (plan.Error == SeatErrors.PlanUnsafe)
            {
                await audit.WriteAsync("seat.plan.refused", AuditOutcome.Failure, actorId: actorId,
                    details: new Dictionary<string, string?> { ["floor"] = id.ToString(CultureInfo.InvariantCulture) }, ct: ct);
            }

            return plan.Error!;
        }

        floor.PlanSvg = plan.Value!.Svg;
        if (plan.Value.Width is { } w && plan.Value.Height is { } h && w >= 10 && h >= 10 && w <= MaxPlanSize && h <= MaxPlanSize)
        {
            floor.Width = w;
            floor.Height = h;
        }

        floor.UpdatedAt = town.Now;
        await db.SaveChangesAsync(ct);
        return (await map.FloorAsync(id, true, ct))!;
    }

    public async Task<Result<FloorDto>> RemovePlanAsync(int id, CancellationToken ct)
    {
        var floor = await db.SeatFloors.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (floor is null)
        {
            return SeatErrors.FloorUnknown;
        }

        floor.PlanSvg = null;
        floor.UpdatedAt = town.Now;
        await db.SaveChangesAsync(ct);
        return (await map.FloorAsync(id, true, ct))!;
    }

    public async Task<Result<ZoneDto>> SaveZoneAsync(int? zoneId, int floorId, ZoneRequest request, CancellationToken ct)
    {
        SeatZone? zone = null;
        if (zoneId is { } zid)
        {
            zone = await db.SeatZones.FirstOrDefaultAsync(z => z.Id == zid, ct);
            if (zone is null)
            {
                return SeatErrors.ZoneNotFound;
            }

            floorId = zone.FloorId;
        }

        var floor = await db.SeatFloors.AsNoTracking().FirstOrDefaultAsync(f => f.Id == floorId, ct);
        if (floor is null)
        {
            return SeatErrors.FloorUnknown;
        }

        if (!Named(request.Name, MaxName))
        {
            return SeatErrors.NameRequired;
        }

        if (!Enum.TryParse<ZoneKind>(request.Kind?.Trim(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(request.Kind, out _))
        {
            return SeatErrors.ZoneKindUnknown;
        }

        int? department = null;
        if (kind == ZoneKind.Team)
        {
            if (request.DepartmentId is not { } d || !await db.Departments.AnyAsync(x => x.Id == d, ct))
            {
                return SeatErrors.DepartmentUnknown;
            }

            department = d;
        }

        var (x, y, w, h) = (request.X ?? 0, request.Y ?? 0, request.Width ?? 0, request.Height ?? 0);
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > floor.Width || y + h > floor.Height)
        {
            return SeatErrors.PositionInvalid;
        }

        if (zone is null)
        {
            zone = new SeatZone { FloorId = floorId, Name = "" };
            db.SeatZones.Add(zone);
        }

        (zone.Name, zone.Kind, zone.DepartmentId, zone.X, zone.Y, zone.Width, zone.Height) = (request.Name!.Trim(), kind, department, x, y, w, h);
        await db.SaveChangesAsync(ct);
        return (await map.FloorAsync(floorId, true, ct))!.Zones.First(z => z.Id == zone.Id);
    }

    public async Task<Error?> DeleteZoneAsync(int id, CancellationToken ct)
    {
        var zone = await db.SeatZones.FirstOrDefaultAsync(z => z.Id == id, ct);
        if (zone is null)
        {
            return SeatErrors.ZoneNotFound;
        }

        foreach (var desk in await db.Desks.Where(d => d.ZoneId == id).ToListAsync(ct))
        {
            desk.ZoneId = null;
        }

        db.SeatZones.Remove(zone);
        await db.SaveChangesAsync(ct);
        return null;
    }

    public static DeskEquipment? ParseEquipment(IEnumerable<string>? names)
    {
        var result = DeskEquipment.None;
        foreach (var name in names ?? [])
        {
            if (!Enum.TryParse<DeskEquipment>(name?.Trim(), ignoreCase: true, out var e) || e == DeskEquipment.None || !Enum.IsDefined(e) || int.TryParse(name, out _))
            {
                return null;
            }

            result |= e;
        }

        return result;
    }

    /// <summary>Adds a desk to a floor (<paramref name="deskId"/> null) or changes one: label, position, zone, equipment, active.</summary>
    public async Task<Result<DeskDto>> SaveDeskAsync(int? deskId, int floorId, DeskRequest request, CancellationToken ct)
    {
        Desk? desk = null;
        if (deskId is { } did)
        {
            desk = await db.Desks.FirstOrDefaultAsync(d => d.Id == did, ct);
            if (desk is null)
            {
                return SeatErrors.DeskNotFound;
            }

            floorId = desk.FloorId;
        }

        var floor = await db.SeatFloors.AsNoTracking().FirstOrDefaultAsync(f => f.Id == floorId, ct);
        if (floor is null)
        {
            return SeatErrors.FloorUnknown;
        }

        var label = (request.Label ?? desk?.Label ?? "").Trim();
        if (label.Length is 0 or > MaxLabel || label.Any(char.IsControl))
        {
            return SeatErrors.LabelInvalid;
        }

        var (x, y) = (request.X ?? desk?.X ?? -1, request.Y ?? desk?.Y ?? -1);
        if (x < 0 || y < 0 || x > floor.Width || y > floor.Height)
        {
            return SeatErrors.PositionInvalid;
        }

        var zoneId = request.ZoneId ?? (deskId is null ? null : desk!.ZoneId);
        if (request.ZoneId is 0)
        {
            zoneId = null;
        }

        if (zoneId is { } z && !await db.SeatZones.AnyAsync(x => x.Id == z && x.FloorId == floorId, ct))
        {
            return SeatErrors.ZoneUnknown;
        }

        var equipment = request.Equipment is null ? desk?.Equipment ?? DeskEquipment.None : ParseEquipment(request.Equipment);
        if (equipment is null)
        {
            return SeatErrors.EquipmentUnknown;
        }

        if (await db.Desks.AnyAsync(d => d.FloorId == floorId && d.Label == label && d.Id != (deskId ?? 0), ct))
        {
            return SeatErrors.LabelTaken;
        }

        if (desk is null)
        {
            desk = new Desk { FloorId = floorId, Label = label };
            db.Desks.Add(desk);
        }

        (desk.Label, desk.X, desk.Y, desk.ZoneId, desk.Equipment) = (label, x, y, zoneId, equipment.Value);
        desk.Active = request.Active ?? desk.Active;
        if (!desk.Active)
        {
            // A desk taken out of use releases what it holds from today on (the bookings are kept as cancelled).
            await CancelHeldAsync(db.SeatHoldings.Where(h => h.DeskId == desk.Id && h.Date >= town.Today), "desk inactive", ct);
        }

        await db.SaveChangesAsync(ct);
        return new DeskDto(desk.Id, desk.Label, desk.X, desk.Y, desk.ZoneId, SeatBookings.EquipmentNames(desk.Equipment), desk.Active);
    }

    /// <summary>Deletes a desk that was never booked; one with bookings is deactivated instead (its history stays).</summary>
    public async Task<Result<bool>> DeleteDeskAsync(int id, CancellationToken ct)
    {
        var desk = await db.Desks.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (desk is null)
        {
            return SeatErrors.DeskNotFound;
        }

        if (await db.SeatBookings.AnyAsync(b => b.DeskId == id, ct))
        {
            desk.Active = false;
            await CancelHeldAsync(db.SeatHoldings.Where(h => h.DeskId == id && h.Date >= town.Today), "desk removed", ct);
            await db.SaveChangesAsync(ct);
            return false;
        }

        db.Desks.Remove(desk);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Releases what some desks hold from today on, as deactivating a desk does (within the caller's SaveChanges).</summary>
    internal Task<int> ReleaseDesksAsync(IReadOnlyCollection<int> deskIds, string reason, CancellationToken ct) =>
        deskIds.Count == 0 ? Task.FromResult(0) : CancelHeldAsync(db.SeatHoldings.Where(h => deskIds.Contains(h.DeskId) && h.Date >= town.Today), reason, ct);

    /// <summary>Cancels the bookings behind some holdings (within the caller's SaveChanges); returns how many.</summary>
    private async Task<int> CancelHeldAsync(IQueryable<SeatHolding> holdings, string reason, CancellationToken ct)
    {
        var held = await holdings.ToListAsync(ct);
        var ids = held.Select(h => h.BookingId).Distinct().ToList();
        var bookings = await db.SeatBookings.Where(b => ids.Contains(b.Id)).ToListAsync(ct);
        var all = await db.SeatHoldings.Where(h => ids.Contains(h.BookingId)).ToListAsync(ct);
        db.SeatHoldings.RemoveRange(all);
        foreach (var b in bookings)
        {
            (b.State, b.CancelledAt, b.CancelledById, b.CancelReason) = (BookingState.Cancelled, town.Now, null, reason);
        }

        return bookings.Count;
    }

    public async Task<IReadOnlyList<ClosureDto>> ClosuresAsync(int? siteId, CancellationToken ct = default)
    {
        var today = town.Today;
        return await (from c in db.SeatClosures.AsNoTracking()
                      join f in db.SeatFloors on c.FloorId equals f.Id
                      where c.To >= today && (siteId == null || f.SiteId == siteId)
                      orderby c.From, f.SortOrder
                      select new ClosureDto(c.Id, c.FloorId, f.Name, c.DeskId, db.Desks.Where(d => d.Id == c.DeskId).Select(d => d.Label).FirstOrDefault(),
                          c.From, c.To, c.Reason, 0)).ToListAsync(ct);
    }

    /// <summary>
    /// Closes a desk or a whole floor for a date range. Bookings it covers are cancelled in the same transaction (the
    /// answer says how many), so nobody arrives at a desk that is closed.
    /// </summary>
    public async Task<Result<ClosureDto>> AddClosureAsync(ClosureRequest request, string actorId, CancellationToken ct)
    {
        int floorId;
        string? deskLabel = null;
        if (request.DeskId is { } deskId)
        {
            var desk = await db.Desks.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deskId, ct);
            if (desk is null || (request.FloorId is { } f && f != desk.FloorId))
            {
                return SeatErrors.DeskUnknown;
            }

            (floorId, deskLabel) = (desk.FloorId, desk.Label);
        }
        else if (request.FloorId is { } f && await db.SeatFloors.AnyAsync(x => x.Id == f, ct))
        {
            floorId = f;
        }
        else
        {
            return SeatErrors.FloorUnknown;
        }

        if (request.From is not { } from || request.To is not { } to || to < from || to.DayNumber - from.DayNumber > 366 * 2)
        {
            return SeatErrors.RangeInvalid;
        }

        if (to < town.Today)
        {
            return SeatErrors.DatePast;
        }

        var reason = (request.Reason ?? "").Trim();
        if (reason.Length is 0 or > MaxReason)
        {
            return SeatErrors.ReasonRequired;
        }

        var closure = new SeatClosure { FloorId = floorId, DeskId = request.DeskId, From = from, To = to, Reason = reason, CreatedById = actorId, CreatedAt = town.Now };
        db.SeatClosures.Add(closure);
        var covered = db.SeatHoldings.Where(h => h.Date >= from && h.Date <= to && h.Date >= town.Today
            && (request.DeskId == null ? db.Desks.Any(d => d.Id == h.DeskId && d.FloorId == floorId) : h.DeskId == request.DeskId));
        var cancelled = await CancelHeldAsync(covered, "closed: " + reason, ct);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("seat.closure.added", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["floor"] = floorId.ToString(CultureInfo.InvariantCulture), ["desk"] = request.DeskId?.ToString(CultureInfo.InvariantCulture),
            ["from"] = from.ToString("O", CultureInfo.InvariantCulture), ["to"] = to.ToString("O", CultureInfo.InvariantCulture),
            ["cancelled"] = cancelled.ToString(CultureInfo.InvariantCulture),
        }, ct: ct);
        var floorName = await db.SeatFloors.Where(x => x.Id == floorId).Select(x => x.Name).FirstAsync(ct);
        return new ClosureDto(closure.Id, floorId, floorName, request.DeskId, deskLabel, from, to, reason, cancelled);
    }

    public async Task<Error?> DeleteClosureAsync(int id, CancellationToken ct)
    {
        var closure = await db.SeatClosures.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (closure is null)
        {
            return SeatErrors.ClosureNotFound;
        }

        db.SeatClosures.Remove(closure);
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<Result<SeatRulesDto>> SaveRulesAsync(int siteId, RulesRequest request, string actorId, CancellationToken ct)
    {
        if (!await db.Sites.AnyAsync(s => s.Id == siteId, ct))
        {
            return SeatErrors.SiteUnknown;
        }

        var rules = await db.SeatSiteRules.FirstOrDefaultAsync(r => r.SiteId == siteId, ct);
        var current = rules ?? new SeatSiteRules { SiteId = siteId };
        var (horizon, perWeek, open) = (request.HorizonDays ?? current.HorizonDays, request.MaxPerWeek ?? current.MaxPerWeek, request.TeamAreaOpenDays ?? current.TeamAreaOpenDays);
        if (horizon is < 0 or > 366 || perWeek is < 1 or > 14 || open < 0 || open > horizon)
        {
            return SeatErrors.RulesInvalid;
        }

        // A series may reach further than a single booking, never less far and never beyond a year.
        var seriesHorizon = request.SeriesHorizonDays ?? Math.Max(current.SeriesHorizonDays, horizon);
        if (seriesHorizon < horizon || seriesHorizon > 366)
        {
            return SeatErrors.RulesInvalid with { Details = new Dictionary<string, object?> { ["field"] = "seriesHorizonDays" } };
        }

        // Check-in (0016): release times are "HH:mm" inside the office's morning and afternoon.
        var morning = request.MorningReleaseAt is null ? current.MorningReleaseAt : SeatCheckIn.ParseTime(request.MorningReleaseAt);
        var afternoon = request.AfternoonReleaseAt is null ? current.AfternoonReleaseAt : SeatCheckIn.ParseTime(request.AfternoonReleaseAt);
        if (morning is not { } m || m < SeatCheckIn.MorningReleaseRange.From || m > SeatCheckIn.MorningReleaseRange.To)
        {
            return SeatCheckInErrors.ReleaseTimeInvalid;
        }

        if (afternoon is not { } a || a < SeatCheckIn.AfternoonReleaseRange.From || a > SeatCheckIn.AfternoonReleaseRange.To)
        {
            return SeatCheckInErrors.ReleaseTimeInvalid with { Details = new Dictionary<string, object?> { ["field"] = "afternoonReleaseAt" } };
        }

        if (rules is null)
        {
            db.SeatSiteRules.Add(current);
        }

        (current.HorizonDays, current.MaxPerWeek, current.TeamAreaOpenDays) = (horizon, perWeek, open);
        current.ApprovalRequired = request.ApprovalRequired ?? current.ApprovalRequired;
        current.SeriesHorizonDays = seriesHorizon;
        (current.CheckInRequired, current.MorningReleaseAt, current.AfternoonReleaseAt) = (request.CheckInRequired ?? current.CheckInRequired, m, a);
        (current.UpdatedById, current.UpdatedAt) = (actorId, town.Now);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("seat.rules.changed", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["site"] = siteId.ToString(CultureInfo.InvariantCulture), ["horizonDays"] = horizon.ToString(CultureInfo.InvariantCulture),
            ["maxPerWeek"] = perWeek.ToString(CultureInfo.InvariantCulture), ["teamAreaOpenDays"] = open.ToString(CultureInfo.InvariantCulture),
            ["approvalRequired"] = current.ApprovalRequired ? "true" : "false", ["seriesHorizonDays"] = seriesHorizon.ToString(CultureInfo.InvariantCulture),
            ["checkInRequired"] = current.CheckInRequired ? "true" : "false", ["morningReleaseAt"] = Work.Attendance.JapanTime.Hhmm(m), ["afternoonReleaseAt"] = Work.Attendance.JapanTime.Hhmm(a),
        }, ct: ct);
        return SeatCheckIn.RulesDto(current);
    }
}
