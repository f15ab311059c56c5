using System.Globalization;
using Dokodemo.Data;
using Dokodemo.Organization;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>
/// The demo town's seats: 本庁舎 with two floors (1階: 住民課's team area, an accessible zone; 2階: a quiet zone and
/// 企画政策課's team area; 40 desks in all) and the station satellite office with 8 desks, each floor with a simple plan.
/// </summary>
public static class SeatsDemo
{
    public static async Task SeedAsync(AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.SeatFloors.AnyAsync(ct))
        {
            return;
        }

        var sites = await db.Sites.AsNoTracking().ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Name, d => d.Id, ct);
        var hall = sites.First(s => s.Kind == SiteKind.MainOffice).Id;
        var satellite = sites.First(s => s.Kind == SiteKind.Satellite).Id;
        var now = clock.GetUtcNow();

        async Task<SeatFloor> FloorAsync(int siteId, string name, int order, int width, int height)
        {
            var plan = PlanSanitizer.Sanitize(Plan(width, height));
            var floor = new SeatFloor { SiteId = siteId, Name = name, SortOrder = order, Width = width, Height = height, PlanSvg = plan.Value!.Svg, UpdatedAt = now };
            db.SeatFloors.Add(floor);
            await db.SaveChangesAsync(ct);
            return floor;
        }

        async Task<SeatZone> ZoneAsync(SeatFloor floor, string name, ZoneKind kind, string? department, int x, int y, int w, int h)
        {
            var zone = new SeatZone { FloorId = floor.Id, Name = name, Kind = kind, X = x, Y = y, Width = w, Height = h,
                DepartmentId = department is null ? null : departments.GetValueOrDefault(department) is var id and > 0 ? id : null };
            db.SeatZones.Add(zone);
            await db.SaveChangesAsync(ct);
            return zone;
        }

        void Row(SeatFloor floor, string prefix, int first, int count, int x, int y, SeatZone? zone, DeskEquipment equipment, int step = 90)
        {
            for (var i = 0; i < count; i++)
            {
                db.Desks.Add(new Desk
                {
                    FloorId = floor.Id, ZoneId = zone?.Id, Label = prefix + (first + i).ToString("00", CultureInfo.InvariantCulture),
                    X = x + i * step, Y = y, Equipment = i % 3 == 0 ? equipment | DeskEquipment.Docking : equipment,
                });
            }
        }

        var first = await FloorAsync(hall, "1階", 1, 1000, 600);
        var jumin = await ZoneAsync(first, "住民課チーム", ZoneKind.Team, "住民課", 40, 60, 440, 220);
        var access = await ZoneAsync(first, "バリアフリー席", ZoneKind.Accessible, null, 540, 60, 420, 160);
        Row(first, "1A-", 1, 5, 90, 130, jumin, DeskEquipment.Monitor);
        Row(first, "1A-", 6, 5, 90, 220, jumin, DeskEquipment.Monitor);
        Row(first, "1B-", 1, 4, 600, 140, access, DeskEquipment.Monitor);
        Row(first, "1C-", 1, 6, 120, 420, null, DeskEquipment.None, 130);

        var second = await FloorAsync(hall, "2階", 2, 1000, 600);
        var quiet = await ZoneAsync(second, "集中エリア", ZoneKind.Quiet, null, 40, 60, 440, 220);
        var kikaku = await ZoneAsync(second, "企画政策課チーム", ZoneKind.Team, "企画政策課", 540, 60, 420, 220);
        Row(second, "2Q-", 1, 5, 90, 160, quiet, DeskEquipment.Monitor);
        Row(second, "2K-", 1, 4, 600, 130, kikaku, DeskEquipment.Monitor);
        Row(second, "2K-", 5, 4, 600, 220, kikaku, DeskEquipment.Standing);
        Row(second, "2F-", 1, 6, 120, 420, null, DeskEquipment.None, 130);
        db.Desks.Add(new Desk { FloorId = second.Id, Label = "2P-01", X = 900, Y = 420, Equipment = DeskEquipment.PhoneBooth });

        var station = await FloorAsync(satellite, "2階", 1, 800, 400);
        var booths = await ZoneAsync(station, "集中ブース", ZoneKind.Quiet, null, 500, 40, 260, 320);
        Row(station, "S-", 1, 5, 80, 120, null, DeskEquipment.Monitor);
        Row(station, "S-", 6, 3, 560, 120, booths, DeskEquipment.Monitor, 80);
        // Check-in: required at 本庁舎 (released at 10:00 / 14:00 when nobody checked in), not at the satellite office.
        db.SeatSiteRules.Add(new SeatSiteRules { SiteId = hall, CheckInRequired = true, UpdatedAt = now });
        db.SeatSiteRules.Add(new SeatSiteRules { SiteId = satellite, CheckInRequired = false, UpdatedAt = now });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Eight weeks of past bookings, up to last Sunday, so the utilisation page has something to show: on each town
    /// workday a share of the desks (busiest on Monday, quietest on Friday) is booked by different staff, mostly for the
    /// whole day, and checked in. Nothing falls in the current week, so no one's weekly limit is touched.
    /// </summary>
    public static async Task SeedHistoryAsync(AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.SeatBookings.AnyAsync(ct))
        {
            return;
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime);
        var thisMonday = SeatBookings.WeekOf(today);
        var desks = await db.Desks.AsNoTracking().Where(d => d.Active).Select(d => d.Id).OrderBy(id => id).ToListAsync(ct);
        var staff = await db.Users.AsNoTracking().Where(u => !u.IsDisabled && u.Kind == Domain.Accounts.AccountKind.Staff).Select(u => u.Id).OrderBy(id => id).ToListAsync(ct);
        if (desks.Count == 0 || staff.Count < desks.Count)
        {
            return;
        }

        var calendar = new Domain.Calendar.TownCalendar();
        var random = new Random(20261122);
        double[] share = [0, 0.75, 0.6, 0.5, 0.6, 0.4, 0]; // by DayOfWeek, Sunday first
        for (var date = thisMonday.AddDays(-56); date < thisMonday; date = date.AddDays(1))
        {
            if (calendar.Classify(date) != Domain.Calendar.CalendarDay.Workday)
            {
                continue;
            }

            var people = staff.OrderBy(_ => random.Next()).ToList();
            var chosen = desks.OrderBy(_ => random.Next()).Take((int)(desks.Count * share[(int)date.DayOfWeek])).ToList();
            var at = new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 40)), TimeSpan.FromHours(9)).ToUniversalTime(); // PostgreSQL stores UTC only
            for (var i = 0; i < chosen.Count; i++)
            {
                var part = (i % 6) switch { 4 => BookingPart.Morning, 5 => BookingPart.Afternoon, _ => BookingPart.Full };
                var booking = new SeatBooking
                {
                    Id = Guid.NewGuid(), DeskId = chosen[i], UserId = people[i], Date = date, Part = part, State = BookingState.Confirmed,
                    CreatedAt = at.AddDays(-2), CheckedInAt = part == BookingPart.Afternoon ? at.AddHours(4) : at,
                };
                db.SeatBookings.Add(booking);
                foreach (var half in SeatBookings.HalvesOf(part))
                {
                    db.SeatHoldings.Add(new SeatHolding { DeskId = chosen[i], Date = date, Half = half, BookingId = booking.Id, UserId = people[i] });
                }
            }
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>A plain plan: outer walls, a corridor, windows along the top, an entrance.</summary>
    private static string Plan(int w, int h) => string.Create(CultureInfo.InvariantCulture, $"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}">
          <rect x="10" y="10" width="{w - 20}" height="{h - 20}" fill="#fafafa" stroke="#555" stroke-width="6"/>
          <line x1="20" y1="{h / 2 + 40}" x2="{w - 20}" y2="{h / 2 + 40}" stroke="#bbb" stroke-width="3" stroke-dasharray="12 8"/>
          <rect x="60" y="4" width="{w - 120}" height="12" fill="#cfe3ff" stroke="#555" stroke-width="2"/>
          <rect x="{w / 2 - 40}" y="{h - 16}" width="80" height="12" fill="#ffffff" stroke="#555" stroke-width="2"/>
          <text x="{w / 2}" y="{h - 24}" font-size="18" text-anchor="middle" fill="#555">入口</text>
        </svg>
        """);
}
