using System.Globalization;
using System.Text;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Dokodemo.Work.Payroll;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>
/// One cell of utilisation: a month, a floor's zone (or the floor outside any zone) and a weekday. Capacity is active desks
/// × the workdays of that weekday in the month (closures included) × 2 half days; held is the half days booked (pending
/// or confirmed, past bookings included — a cancelled one holds nothing).
/// </summary>
public sealed record UtilisationRow(string Month, int SiteId, string Site, int FloorId, string Floor, int? ZoneId, string? Zone, DayOfWeek Weekday,
    int Desks, int CapacityHalfDays, int HeldHalfDays, decimal Rate);

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
        var deskIds = desks.Select(d => d.Id).ToList();
        var held = await db.SeatHoldings.AsNoTracking().Where(h => h.Date >= first && h.Date < end && deskIds.Contains(h.DeskId))
            .Select(h => new { h.DeskId, h.Date }).ToListAsync(ct);
        var deskOf = desks.ToDictionary(d => d.Id);
        var heldBy = held.GroupBy(h => (Month: new DateOnly(h.Date.Year, h.Date.Month, 1), deskOf[h.DeskId].FloorId, deskOf[h.DeskId].ZoneId, h.Date.DayOfWeek))
            .ToDictionary(g => g.Key, g => g.Count());
        var calendar = new TownCalendar();
        var rows = new List<UtilisationRow>();
        for (var month = first; month < end; month = month.AddMonths(1))
        {
            var workdays = new Dictionary<DayOfWeek, int>();
            for (var d = month; d < month.AddMonths(1); d = d.AddDays(1))
            {
                if (calendar.Classify(d) == CalendarDay.Workday)
                {
                    workdays[d.DayOfWeek] = workdays.GetValueOrDefault(d.DayOfWeek) + 1;
                }
            }

            foreach (var group in desks.GroupBy(d => (d.SiteId, d.Site, d.SiteOrder, d.FloorId, d.Floor, d.FloorOrder, d.ZoneId))
                         .OrderBy(g => g.Key.SiteOrder).ThenBy(g => g.Key.FloorOrder).ThenBy(g => g.Key.FloorId).ThenBy(g => g.Key.ZoneId ?? 0))
            {
                foreach (var (weekday, count) in workdays.OrderBy(w => ((int)w.Key + 6) % 7))
                {
                    var capacity = group.Count() * count * 2;
                    var taken = heldBy.GetValueOrDefault((month, group.Key.FloorId, group.Key.ZoneId, weekday));
                    rows.Add(new UtilisationRow(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), group.Key.SiteId, group.Key.Site, group.Key.FloorId,
                        group.Key.Floor, group.Key.ZoneId, group.Key.ZoneId is { } z ? zones.GetValueOrDefault(z) : null, weekday, group.Count(), capacity, taken,
                        capacity == 0 ? 0 : Math.Round(taken / (decimal)capacity, 3)));
                }
            }
        }

        return rows;
    }

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
