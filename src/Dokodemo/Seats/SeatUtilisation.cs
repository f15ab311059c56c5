using System.Globalization;
using System.Text;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Dokodemo.Work.Payroll;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>
/// One cell of utilisation: a month, a floor's zone (or the floor outside any zone) and a weekday. Capacity is active desks
/// × the workdays of that weekday in the month × 2 half days, less the days a closure
/// covers; held is the half days booked (pending
/// or confirmed, past bookings included — a cancelled one holds nothing).
/// </summary>
public sealed record UtilisationRow(string Month, int SiteId, string Site, int FloorId, string Floor, int? ZoneId, string? Zone, DayOfWeek Weekday,
    int Desks, int CapacityHalfDays, int HeldHalfDays, decimal Rate);

/// <summary>Utilisation rows summed under one label (a month, a floor, a zone or a weekday).</summary>
public sealed record UtilisationTotal(string Label, int CapacityHalfDays, int HeldHalfDays, decimal Rate);

/// <summary>Desk use by site, floor, zone, weekday and month (issue 5 item 8), for the administrators and for Insights later; CSV too.</summary>
public sealed class SeatUtilisation(AppDbContext db)
{
    /// <summary>The longest span asked at once: 24 months.</summary>
    public const int MaxMonths = 24;

    public async Task<IReadOnlyList<UtilisationRow>> ForAsync(DateOnly fromMonth, DateOnly toMonth, int? siteId, CancellationToken ct = default)
    {
        var first = new DateOnly(fromMonth.Year, fromMonth.Month, 1);
        var end = new DateOnly(toMonth.Year, toMonth.Month, 1).AddMonths(1);
        var desks = await (from d in db.Desks.AsNoTracking()
                           join f in db.SeatFloors on d.FloorId equals f.Id
                           join s in db.Sites on f.SiteId equals s.Id
                           where d.Active && (siteId == null || s.Id == siteId)
                           select new { d.Id, d.ZoneId, FloorId = f.Id, Floor = f.Name, SiteId = s.Id, Site = s.Name, SiteOrder = s.SortOrder, FloorOrder = f.SortOrder })
            .ToListAsync(ct);
        var zones = await db.SeatZones.AsNoTracking().ToDictionaryAsync(z => z.Id, z => z.Name, ct);
        var floorIds = desks.Select(d => d.FloorId).Distinct().ToList();
        var closures = await db.SeatClosures.AsNoTracking().Where(c => floorIds.Contains(c.FloorId) && c.From < end && c.To >= first)
            .Select(c => new { c.FloorId, c.DeskId, c.From, c.To }).ToListAsync(ct);
        var held = await (from h in db.SeatHoldings.AsNoTracking()
                          join d in db.Desks on h.DeskId equals d.Id
                          join f in db.SeatFloors on d.FloorId equals f.Id
                          where h.Date >= first && h.Date < end && d.Active && (siteId == null || f.SiteId == siteId)
                          group h by new { h.DeskId, h.Date } into g
                          select new { g.Key.DeskId, g.Key.Date, Halves = g.Count() }).ToListAsync(ct);
        var deskOf = desks.ToDictionary(d => d.Id);
        var heldBy = held.GroupBy(h => (Month: new DateOnly(h.Date.Year, h.Date.Month, 1), deskOf[h.DeskId].FloorId, deskOf[h.DeskId].ZoneId, h.Date.DayOfWeek))
            .ToDictionary(g => g.Key, g => g.Sum(h => h.Halves));

        // Capacity: each active desk on each workday it is not closed (by its own closure or its floor's) offers two half days.
        var calendar = new TownCalendar();
        var capacity = new Dictionary<(DateOnly Month, int FloorId, int? ZoneId, DayOfWeek Weekday), int>();
        var workdays = new Dictionary<DateOnly, SortedSet<DayOfWeek>>();
        for (var d = first; d < end; d = d.AddDays(1))
        {
            if (calendar.Classify(d) != CalendarDay.Workday)
            {
                continue;
            }

            var month = new DateOnly(d.Year, d.Month, 1);
            if (!workdays.TryGetValue(month, out var weekdays))
            {
                workdays[month] = weekdays = [];
            }

            weekdays.Add(d.DayOfWeek);
            var closedToday = closures.Where(c => c.From <= d && c.To >= d).ToList();
            foreach (var desk in desks)
            {
                if (closedToday.Count > 0 && closedToday.Any(c => c.FloorId == desk.FloorId && (c.DeskId == null || c.DeskId == desk.Id)))
                {
                    continue;
                }

                var key = (month, desk.FloorId, desk.ZoneId, d.DayOfWeek);
                capacity[key] = capacity.GetValueOrDefault(key) + 2;
            }
        }

        var rows = new List<UtilisationRow>();
        var groups = desks.GroupBy(d => (d.SiteId, d.Site, d.SiteOrder, d.FloorId, d.Floor, d.FloorOrder, d.ZoneId))
            .OrderBy(g => g.Key.SiteOrder).ThenBy(g => g.Key.FloorOrder).ThenBy(g => g.Key.FloorId).ThenBy(g => g.Key.ZoneId ?? 0).ToList();
        for (var month = first; month < end; month = month.AddMonths(1))
        {
            foreach (var group in groups)
            {
                foreach (var weekday in workdays.GetValueOrDefault(month, []).OrderBy(w => ((int)w + 6) % 7))
                {
                    var key = (month, group.Key.FloorId, group.Key.ZoneId, weekday);
                    var offered = capacity.GetValueOrDefault(key);
                    var taken = heldBy.GetValueOrDefault(key);
                    rows.Add(new UtilisationRow(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), group.Key.SiteId, group.Key.Site, group.Key.FloorId,
                        group.Key.Floor, group.Key.ZoneId, group.Key.ZoneId is { } z ? zones.GetValueOrDefault(z) : null, weekday, group.Count(), offered, taken,
                        Rate(taken, offered)));
                }
            }
        }

        return rows;
    }

    /// <summary>Held ÷ offered, rounded to three places; 0 when nothing was offered.</summary>
    public static decimal Rate(int held, int offered) => offered == 0 ? 0 : Math.Round(held / (decimal)offered, 3);

    /// <summary>The rows summed by a key (month, floor, zone or weekday), in the order the keys first appear.</summary>
    public static IReadOnlyList<UtilisationTotal> TotalsBy(IEnumerable<UtilisationRow> rows, Func<UtilisationRow, string> key) =>
        [.. rows.GroupBy(key).Select(g => new UtilisationTotal(g.Key, g.Sum(r => r.CapacityHalfDays), g.Sum(r => r.HeldHalfDays),
            Rate(g.Sum(r => r.HeldHalfDays), g.Sum(r => r.CapacityHalfDays))))];

    /// <summary>The rows as RFC 4180 CSV in UTF-8 with a BOM (Excel opens it as Japanese text).</summary>
    public static byte[] Csv(IReadOnlyList<UtilisationRow> rows)
    {
        var text = new StringBuilder();
        PayrollExport.Line(text, ["月", "拠点", "フロア", "ゾーン", "曜日", "席数", "席・半日（供給）", "予約・半日", "利用率"]);
        string[] days = ["日", "月", "火", "水", "木", "金", "土"];
        foreach (var r in rows)
        {
            PayrollExport.Line(text, [r.Month, r.Site, r.Floor, r.Zone ?? "", days[(int)r.Weekday], r.Desks.ToString(CultureInfo.InvariantCulture),
                r.CapacityHalfDays.ToString(CultureInfo.InvariantCulture), r.HeldHalfDays.ToString(CultureInfo.InvariantCulture), r.Rate.ToString("0.000", CultureInfo.InvariantCulture)]);
        }

        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        return [.. utf8.GetPreamble(), .. utf8.GetBytes(text.ToString())];
    }
}
