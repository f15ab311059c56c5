using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Work.Places;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

public sealed record PersonDeskDto(int SiteId, string SiteName, int FloorId, string FloorName, int DeskId, string DeskLabel, BookingPart Part);

/// <summary>A person on a date: where they work (the day's place, in the reader's language) and the desks they booked.</summary>
public sealed record PersonSeatDto(string UserId, string Name, int DepartmentId, string Place, bool InOffice, bool Off, IReadOnlyList<PersonDeskDto> Desks);

/// <summary>
/// "Where does a colleague sit today", "who from my team is in on Thursday" (issue 5 item 5): people of a department, or
/// found by name, with the day's work place and their desks. Only people whose names the reader may see are listed
/// (the same rule as the map: <see cref="SeatAccess.NamesAsync"/>, and no department the directory hides).
/// </summary>
public sealed class SeatPeople(AppDbContext db, WorkPlaces places, SeatAccess seatAccess, AccessCheck access, Organization.Directory directory)
{
    public const int MaxResults = 100;

    public async Task<IReadOnlyList<PersonSeatDto>> FindAsync(int? departmentId, string? name, DateOnly date, CancellationToken ct = default)
    {
        var visible = await seatAccess.NamesAsync(ct);
        var hidden = await directory.HiddenDepartmentsAsync(access, ct);
        var q = db.Users.AsNoTracking().Where(u => !u.IsDisabled);
        if (departmentId is { } d)
        {
            q = q.Where(u => u.DepartmentId == d);
        }

        if (!string.IsNullOrWhiteSpace(name))
        {
            var n = name.Trim();
            q = q.Where(u => u.DisplayName.Contains(n) || u.DisplayNameKana.Contains(n));
        }

        var people = (await q.OrderBy(u => u.DisplayNameKana).ThenBy(u => u.DisplayName)
                .Select(u => new { u.Id, u.DisplayName, u.DepartmentId }).Take(MaxResults * 4).ToListAsync(ct))
            .Where(p => visible(p.DepartmentId) && !hidden.Contains(p.DepartmentId)).Take(MaxResults).ToList();
        if (people.Count == 0)
        {
            return [];
        }

        var ids = people.Select(p => p.Id).ToList();
        var days = (await places.PlacesAsync(ids, date, date, ct)).ToDictionary(p => p.UserId);
        var desks = await (from h in db.SeatBookings.AsNoTracking()
                           join k in db.Desks on h.DeskId equals k.Id
                           join f in db.SeatFloors on k.FloorId equals f.Id
                           join s in db.Sites on f.SiteId equals s.Id
                           where h.Date == date && ids.Contains(h.UserId) && (h.State == BookingState.Confirmed || h.State == BookingState.Pending)
                           orderby h.Part
                           select new { h.UserId, Desk = new PersonDeskDto(s.Id, s.Name, f.Id, f.Name, k.Id, k.Label, h.Part) }).ToListAsync(ct);
        var siteNames = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return [.. people.Select(p =>
        {
            var mine = desks.Where(x => x.UserId == p.Id).Select(x => x.Desk).ToList();
            var day = days.GetValueOrDefault(p.Id);
            var off = day is null || day.Off;
            string place;
            var inOffice = mine.Count > 0;
            if (off)
            {
                place = Shared.Text.T("seats.people.off");
            }
            else
            {
                var (m, a) = (DeclaredWorkPlace.Code(day!.Morning), DeclaredWorkPlace.Code(day.Afternoon));
                place = PlaceCodes.Describe(m == a ? m : $"{m}/{a}", siteNames);
                inOffice |= day.Morning.Kind is WorkPlaceKind.Office or WorkPlaceKind.Satellite || day.Afternoon.Kind is WorkPlaceKind.Office or WorkPlaceKind.Satellite;
            }

            return new PersonSeatDto(p.Id, p.DisplayName, p.DepartmentId, place, inOffice, off, mine);
        })];
    }
}
