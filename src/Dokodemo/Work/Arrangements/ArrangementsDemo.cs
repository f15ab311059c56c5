using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Dokodemo.Work.Attendance;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Arrangements;

/// <summary>
/// Demo only: one person of a department works the 早出A pattern (7:30–16:15) for the coming two weeks, for childcare,
/// assigned by their manager — so the month page and the arrangements page show an assigned shift on first run.
/// </summary>
public static class ArrangementsDemo
{
    public static async Task SeedAsync(AppDbContext db, int departmentId, string managerEmail, IReadOnlyCollection<string> skipEmails, TimeProvider clock,
        CancellationToken ct = default)
    {
        var manager = await db.Users.Where(u => u.Email == managerEmail).Select(u => u.Id).SingleOrDefaultAsync(ct);
        var person = await db.Users.Where(u => u.DepartmentId == departmentId && u.Email != managerEmail && !skipEmails.Contains(u.Email!))
            .OrderBy(u => u.Email).Select(u => u.Id).FirstOrDefaultAsync(ct);
        if (manager is null || person is null)
        {
            return;
        }

        var pattern = ArrangementSettings.Default.Patterns[0];
        var now = clock.GetUtcNow();
        var from = JapanTime.DateOf(now).AddDays(1);
        var to = from.AddDays(13);
        var calendar = new TownCalendar();
        var arrangement = new WorkArrangement
        {
            Id = Guid.NewGuid(), UserId = person, Kind = ArrangementKind.Pattern, From = from, To = to, PatternName = pattern.Name,
            PlanJson = JsonSerializer.Serialize(pattern, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Reason = "育児（保育所の送迎）",
            Status = ArrangementStatus.Assigned, RequestedAt = now.AddDays(-10), RequestedById = person, DecidedAt = now.AddDays(-9), DecidedById = manager,
        };
        db.WorkArrangements.Add(arrangement);
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (calendar.Classify(d) == CalendarDay.Workday)
            {
                db.WorkDayAssignments.Add(new WorkDayAssignment
                {
                    ArrangementId = arrangement.Id, UserId = person, Date = d, StartMinute = (pattern.Start.Hour * 60) + pattern.Start.Minute,
                    EndMinute = (pattern.End.Hour * 60) + pattern.End.Minute, BreakStartMinute = 12 * 60, BreakEndMinute = 13 * 60,
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
