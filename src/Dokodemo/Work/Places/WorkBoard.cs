using Dokodemo.Access;
using Dokodemo.Data;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Places;

public sealed record SiteRef(int Id, string Name, string NameEn);

public sealed record DepartmentRef(int Id, string Name, string NameEn);

/// <summary>Someone working abroad today: where, and their local time now ("14:05", "UTC+1").</summary>
public sealed record AbroadNow(string Country, string TimeZone, string LocalTime, string UtcOffset);

public sealed record BoardPerson(string Id, string Name, string Title, DayPlace Today, IReadOnlyList<DayPlace> Week, AbroadNow? Abroad);

public sealed record BoardDto(DepartmentRef Department, DateOnly Today, DateOnly Week, IReadOnlyList<DateOnly> Days, IReadOnlyList<BoardPerson> People,
    IReadOnlyList<SiteRef> Sites, IReadOnlyList<DepartmentRef> Departments);

/// <summary>勤務場所ボード: who in a department is where today and this week.</summary>
public sealed class WorkBoard(AppDbContext db, WorkPlaces places, TownClock town)
{
    /// <summary>The Monday of the week a date is in.</summary>
    public static DateOnly MondayOf(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));

    /// <returns>null when the department does not exist.</returns>
    public async Task<BoardDto?> ForAsync(int departmentId, DateOnly? week, CancellationToken ct = default)
    {
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).ThenBy(d => d.Id)
            .Select(d => new DepartmentRef(d.Id, d.Name, d.NameEn)).ToListAsync(ct);
        var department = departments.FirstOrDefault(d => d.Id == departmentId);
        if (department is null)
        {
            return null;
        }

        var today = town.Today;
        var monday = MondayOf(week ?? today);
        var friday = monday.AddDays(4);
        var people = await db.Users.AsNoTracking().Where(u => u.DepartmentId == departmentId && !u.IsDisabled)
            .OrderBy(u => u.DisplayNameKana).ThenBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, u.Title }).ToListAsync(ct);
        var ids = people.Select(p => p.Id).ToList();

        // One call for the week (and today, when today is outside it): three queries whatever the department's size.
        var from = today < monday ? today : monday;
        var to = today > friday ? today : friday;
        var all = (await places.PlacesAsync(ids, from, to, ct)).ToLookup(p => p.UserId);
        var now = town.Now;
        var rows = people.Select(p =>
        {
            var mine = all[p.Id].ToList();
            var todayPlace = mine.First(d => d.Date == today);
            var abroadHalf = new[] { todayPlace.Morning, todayPlace.Afternoon }.FirstOrDefault(h => h.Kind == WorkPlaceKind.Abroad && !todayPlace.Off);
            AbroadNow? abroad = null;
            if (abroadHalf is not null && WorkPlaces.LocalTimeNow(abroadHalf.TimeZone, now) is { } local)
            {
                abroad = new AbroadNow(abroadHalf.Country ?? "", abroadHalf.TimeZone!, local.Time, local.Offset);
            }

            return new BoardPerson(p.Id, p.DisplayName, p.Title, todayPlace, [.. mine.Where(d => d.Date >= monday && d.Date <= friday)], abroad);
        }).ToList();
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.SortOrder).ThenBy(s => s.Id).Select(s => new SiteRef(s.Id, s.Name, s.NameEn)).ToListAsync(ct);
        return new BoardDto(department, today, monday, [.. Enumerable.Range(0, 5).Select(i => monday.AddDays(i))], rows, sites, departments);
    }

    public async Task<IReadOnlyList<SiteRef>> SitesAsync(bool workPlacesOnly, CancellationToken ct = default) =>
        await db.Sites.AsNoTracking().Where(s => !workPlacesOnly || s.Kind != Organization.SiteKind.MainOffice)
            .OrderBy(s => s.SortOrder).ThenBy(s => s.Id).Select(s => new SiteRef(s.Id, s.Name, s.NameEn)).ToListAsync(ct);
}
