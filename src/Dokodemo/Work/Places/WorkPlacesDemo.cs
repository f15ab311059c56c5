using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Places;

/// <summary>
/// The demo town's work places: weekly patterns (在宅 on Wednesdays for some), a mix of places on the next working day
/// (satellite office, branch, travel, one person abroad in Paris with an approved period), approved home days, and
/// two pending requests for 住民課's manager (高橋 健一) to decide. 佐藤 美咲 is left alone for the guided walk-through.
/// </summary>
public static class WorkPlacesDemo
{
    public static async Task SeedAsync(AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var japan = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, japan).DateTime);
        var calendar = new Domain.Calendar.TownCalendar();
        DateOnly NextWorkday(DateOnly from, int skip = 0)
        {
            var d = from;
            while (calendar.DayTypeOf(d) != DayType.Workday || skip-- > 0)
            {
                d = d.AddDays(1);
            }

            return d;
        }

        var day = NextWorkday(today);
        var sites = await db.Sites.AsNoTracking().ToListAsync(ct);
        var satellite = sites.First(s => s.Kind == SiteKind.Satellite).Id;
        var branch = sites.First(s => s.Kind == SiteKind.Branch).Id;
        var people = await db.Users.AsNoTracking().Include(u => u.Department)
            .Where(u => u.Kind == AccountKind.Staff || u.Kind == AccountKind.PartTimeStaff)
            .OrderBy(u => u.CreatedAt).ThenBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.Title, Department = u.Department!.Name, u.DepartmentId }).ToListAsync(ct);
        var heads = people.Where(p => p.Title == "課長").ToDictionary(p => p.DepartmentId, p => p.Id);
        var sato = people.FirstOrDefault(p => p.Email!.StartsWith("sato.misaki@", StringComparison.Ordinal))?.Id;
        var staff = people.Where(p => p.Title != "課長" && p.Id != sato).ToList();

        // Weekly patterns: every fourth person works from home on Wednesdays; every ninth at the satellite office on Friday afternoons.
        for (var i = 0; i < staff.Count; i++)
        {
            if (i % 4 == 1)
            {
                foreach (var half in new[] { DayHalf.Morning, DayHalf.Afternoon })
                {
                    db.WorkPatterns.Add(new WorkPattern { UserId = staff[i].Id, Weekday = DayOfWeek.Wednesday, Half = half, Kind = WorkPlaceKind.Home });
                }
            }

            if (i % 9 == 4)
            {
                db.WorkPatterns.Add(new WorkPattern { UserId = staff[i].Id, Weekday = DayOfWeek.Friday, Half = DayHalf.Afternoon, Kind = WorkPlaceKind.Satellite, SiteId = satellite });
            }
        }

        void Declare(string userId, WorkPlaceKind kind, int? site = null, string? country = null, string? zone = null, Guid? request = null, string note = "", DayHalf[]? halves = null)
        {
            foreach (var half in halves ?? [DayHalf.Morning, DayHalf.Afternoon])
            {
                db.WorkPlaceDeclarations.Add(new WorkPlaceDeclaration
                {
                    Id = Guid.NewGuid(), UserId = userId, Date = day, Half = half, Kind = kind, SiteId = site, Country = country, TimeZone = zone,
                    RequestId = request, Note = note, DeclaredById = userId, DeclaredAt = now,
                });
            }
        }

        TeleworkRequest Request(string userId, TeleworkKind kind, DateOnly from, DateOnly to, string reason, TeleworkState state, string? country = null, string? zone = null)
        {
            var days = new List<DateOnly>();
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                if (calendar.DayTypeOf(d) == DayType.Workday)
                {
                    days.Add(d);
                }
            }

            var approved = state == TeleworkState.Approved;
            var department = people.First(p => p.Id == userId).DepartmentId;
            var r = new TeleworkRequest
            {
                Id = Guid.NewGuid(), UserId = userId, Kind = kind, From = from, To = to, Country = country, TimeZone = zone, Reason = reason, State = state,
                CreatedAt = now.AddDays(-3), DecidedById = approved ? heads.GetValueOrDefault(department) : null, DecidedAt = approved ? now.AddDays(-2) : null,
                DecisionComment = approved ? "承認します。" : "",
                Days = [.. days.Select(d => new TeleworkRequestDay { UserId = userId, Date = d })],
            };
            db.TeleworkRequests.Add(r);
            return r;
        }

        if (staff.Count >= 12)
        {
            // A mix of places on the day: satellite, branch, travelling, approved home days, and one person abroad.
            Declare(staff[2].Id, WorkPlaceKind.Satellite, satellite);
            Declare(staff[3].Id, WorkPlaceKind.Satellite, satellite);
            Declare(staff[6].Id, WorkPlaceKind.Satellite, satellite, note: "午後は窓口応援");
            Declare(staff[7].Id, WorkPlaceKind.Satellite, branch);
            Declare(staff[8].Id, WorkPlaceKind.Mobile, note: "県庁で打合せ");
            Declare(staff[10].Id, WorkPlaceKind.Mobile, halves: [DayHalf.Afternoon]);
            var home = Request(staff[11].Id, TeleworkKind.Home, day, day, "資料作成に集中するため", TeleworkState.Approved);
            Declare(staff[11].Id, WorkPlaceKind.Home, request: home.Id);
            var abroad = people.FirstOrDefault(p => p.Department == "企画政策課" && p.Title != "課長") ?? staff[0];
            var paris = Request(abroad.Id, TeleworkKind.Abroad, today.AddDays(-2), today.AddDays(5), "姉妹都市との交流事業（パリ）", TeleworkState.Approved, "FR", "Europe/Paris");
            Declare(abroad.Id, WorkPlaceKind.Abroad, country: "FR", zone: "Europe/Paris", request: paris.Id);
        }

        // Two pending requests for 住民課's manager (高橋 健一).
        var jumin = people.Where(p => p.Department == "住民課" && p.Title != "課長" && p.Id != sato).Take(2).ToList();
        if (jumin.Count == 2)
        {
            var later = NextWorkday(today.AddDays(7));
            Request(jumin[0].Id, TeleworkKind.Home, later, NextWorkday(later.AddDays(1)), "子の看護のため、在宅で勤務したい。", TeleworkState.Pending);
            var trip = NextWorkday(today.AddDays(14));
            Request(jumin[1].Id, TeleworkKind.Abroad, trip, trip.AddDays(4), "家族の事情で台湾に滞在。現地から勤務したい。", TeleworkState.Pending, "TW", "Asia/Taipei");
        }

        await db.SaveChangesAsync(ct);
    }
}
