using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>
/// Demo only: last month and this month (to yesterday) of plausible attendance for one department, so the month and
/// team pages are alive on first run — some overtime (ordered and confirmed, and one day without an order), one
/// correction pending, some months submitted or approved. Deterministic: the same town gives the same records.
/// </summary>
public static class AttendanceDemo
{
    public static async Task SeedAsync(AppDbContext db, int departmentId, string correctionEmail, TimeProvider clock, CancellationToken ct = default)
    {
        var people = await db.Users.Where(u => u.DepartmentId == departmentId).OrderBy(u => u.Email).Select(u => new { u.Id, u.Email }).ToListAsync(ct);
        var managers = await db.UserRoles.Join(db.Roles.Where(r => r.Name == Domain.Accounts.Roles.Manager), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .Where(id => people.Select(p => p.Id).Contains(id)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var today = JapanTime.DateOf(now);
        var lastMonth = MonthLocks.MonthOf(today).AddMonths(-1);
        var calendar = new TownCalendar();
        var unorderedLeft = 1;
        for (var p = 0; p < people.Count; p++)
        {
            var person = people[p];
            var approver = managers.FirstOrDefault(m => m != person.Id) ?? person.Id;
            var dayIndex = 0;
            for (var date = lastMonth; date < today; date = date.AddDays(1), dayIndex++)
            {
                if (calendar.Classify(date) != CalendarDay.Workday)
                {
                    continue;
                }

                var seed = ((p + 1) * 31) + (dayIndex * 17);
                var inMinute = 505 + (seed % 3 * 5);
                var late = seed % 7 == 0;
                var outMinute = late ? 1035 + 45 + (seed % 3 * 30) : 1035 + (seed % 3 * 5);
                Add(db, person.Id, date, ClockKind.Work, inMinute, outMinute, now);
                Add(db, person.Id, date, ClockKind.Break, 720, 780, now);
                if (late)
                {
                    if (unorderedLeft > 0 && date.Month == lastMonth.Month && p == people.Count - 1)
                    {
                        unorderedLeft--;
                        continue;
                    }

                    var end = JapanTime.At(date, outMinute);
                    db.OvertimeOrders.Add(new OvertimeOrder
                    {
                        Id = Guid.NewGuid(), UserId = person.Id, Date = date, Start = JapanTime.At(date, 1035), End = end,
                        Purpose = seed % 2 == 0 ? "窓口繁忙期の住民票交付事務" : "マイナンバーカード交付予約の整理",
                        Status = OvertimeStatus.Confirmed, CreatedAt = JapanTime.At(date, 900), CreatedById = approver,
                        OrderedAt = JapanTime.At(date, 900), OrderedById = approver, ActualStart = JapanTime.At(date, 1035), ActualEnd = end,
                        ReportedAt = end.AddMinutes(10), ConfirmedAt = JapanTime.At(date.AddDays(1), 540), ConfirmedById = approver,
                    });
                }
            }

            if (p % 3 != 2 && today > lastMonth.AddMonths(1).AddDays(1) && person.Email != correctionEmail)
            {
                db.AttendanceMonths.Add(new AttendanceMonth
                {
                    Id = Guid.NewGuid(), UserId = person.Id, Month = lastMonth, Status = p % 3 == 0 ? MonthStatus.Submitted : MonthStatus.Approved,
                    SubmittedAt = JapanTime.At(lastMonth.AddMonths(1), 600),
                    ApprovedAt = p % 3 == 0 ? null : JapanTime.At(lastMonth.AddMonths(1).AddDays(1), 600), ApprovedById = p % 3 == 0 ? null : approver,
                });
            }

            if (person.Email == correctionEmail)
            {
                // The person clocked late one day and asks for the times they actually worked.
                var day = lastMonth.AddDays(9);
                while (calendar.Classify(day) != CalendarDay.Workday)
                {
                    day = day.AddDays(1);
                }

                db.AttendanceCorrections.Add(new AttendanceCorrection
                {
                    Id = Guid.NewGuid(), UserId = person.Id, Date = day, Reason = "出勤・退勤の打刻が遅れたため（実際は8:25〜17:40）",
                    Proposed = JsonSerializer.Serialize(new
                    {
                        TimeZone = "Asia/Tokyo",
                        Records = new[] { new ProposedRecord("work", "08:25", "17:40"), new ProposedRecord("break", "12:00", "13:00") },
                    }, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
                    Status = CorrectionStatus.Pending, RequestedAt = JapanTime.At(day.AddDays(1), 510), RequestedById = person.Id,
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }

    private static void Add(AppDbContext db, string userId, DateOnly date, ClockKind kind, int start, int end, DateTimeOffset now) =>
        db.ClockRecords.Add(new ClockRecord
        {
            Id = Guid.NewGuid(), UserId = userId, Date = date, Kind = kind, Start = JapanTime.At(date, start), End = JapanTime.At(date, end),
            TimeZone = "Asia/Tokyo", Source = ClockSource.Clock, CreatedAt = now, CreatedById = userId,
        });
}
