using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Work.Attendance;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Dokodemo.Tests.Work;

/// <summary>
/// P7 at full size, for correctness: a month of 1,000 staff loads whole for the rules engine, every month is checked, and
/// HR locks all of them in one go. How long it takes is measured by the benchmark (bench/, P7), not asserted here.
/// </summary>
public class MonthCloseScaleTests(MonthCloseScaleTests.App app, ITestOutputHelper output) : IClassFixture<MonthCloseScaleTests.App>
{
    public sealed class App : TestApp;

    [Fact]
    public async Task AMonthOfAThousandStaff_LoadsWhole_IsChecked_AndLocksInOneGo()
    {
        var month = AttendanceKit.LastMonth;
        var calendar = new Domain.Calendar.TownCalendar();
        var workdays = Enumerable.Range(0, DateTime.DaysInMonth(month.Year, month.Month)).Select(month.AddDays)
            .Where(d => calendar.Classify(d) == Domain.Calendar.CalendarDay.Workday).ToList();
        await app.WithScopeAsync(async sp =>
        {
            await TestApp.EnsureDepartmentAsync(sp);
            var db = sp.GetRequiredService<AppDbContext>();
            var dept = db.Departments.Single(d => d.Name == "総務課").Id;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = 0; i < 1000; i++)
            {
                var id = Guid.NewGuid().ToString();
                var email = $"scale{i:0000}@example.jp";
                db.Users.Add(new AppUser
                {
                    Id = id, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                    DisplayName = $"規模 {i}", DepartmentId = dept, SecurityStamp = Guid.NewGuid().ToString(),
                });
                foreach (var d in workdays)
                {
                    db.ClockRecords.Add(new ClockRecord
                    {
                        Id = Guid.NewGuid(), UserId = id, Date = d, Kind = ClockKind.Work, Start = JapanTime.At(d, 510 - (i % 20)),
                        End = JapanTime.At(d, 1035 + (i % 90)), TimeZone = "Asia/Tokyo", CreatedAt = DateTimeOffset.UtcNow,
                    });
                    db.ClockRecords.Add(new ClockRecord
                    {
                        Id = Guid.NewGuid(), UserId = id, Date = d, Kind = ClockKind.Break, Start = JapanTime.At(d, 720), End = JapanTime.At(d, 780),
                        TimeZone = "Asia/Tokyo", CreatedAt = DateTimeOffset.UtcNow,
                    });
                }
            }

            await db.SaveChangesAsync();
            return 0;
        });

        var (people, days) = await app.WithScopeAsync(async sp =>
        {
            var all = await sp.GetRequiredService<AttendanceDays>().ForDepartmentAsync(null, month);
            return (all.Count, all.Values.Sum(days => days.Count(d => d.WorkedMinutes > 0)));
        });
        Assert.Equal(1000, people);
        Assert.Equal(1000 * workdays.Count, days);

        // Every rule checked for every one of them: each row has the month's figures; 8:30 − i%20 min to 17:15 + i%90 min means
        // some people worked more than 45 minutes outside the schedule every day (i%20 + i%90 > 45 → over 15h a month).
        var rows = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var dept = db.Departments.Single(d => d.Name == "総務課").Id;
            return await sp.GetRequiredService<Dokodemo.Work.Rules.WorkFindings>().ForDepartmentMonthAsync(dept, month, english: false, default);
        });
        Assert.Equal(1000, rows.Count(r => r.Name.StartsWith("規模 ", StringComparison.Ordinal)));
        var most = rows.MaxBy(r => r.Month.Overtime)!;
        Assert.Equal(Math.Round((19 + 89) * workdays.Count / 60m, 2), most.Month.Overtime);
        output.WriteLine($"P7 (correctness): {people} people, {days} worked days; most overtime {most.Month.Overtime}h ({app.Provider})");

        // The close itself: every month approved, HR locks the department's 1,000 in one go and reads the states back.
        var (locked, open) = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var dept = db.Departments.Single(d => d.Name == "総務課").Id;
            var ids = db.Users.Where(u => u.DepartmentId == dept).Select(u => u.Id).ToList();
            db.AttendanceMonths.AddRange(ids.Select(id => new AttendanceMonth { Id = Guid.NewGuid(), UserId = id, Month = month, Status = MonthStatus.Approved }));
            await db.SaveChangesAsync();
            var result = await sp.GetRequiredService<MonthClose>().LockDepartmentAsync(dept, month, ids[0]);
            return (result.Locked, result.NotLocked.Count);
        });
        Assert.Equal(1000, locked);
        Assert.Equal(0, open);
    }
}
