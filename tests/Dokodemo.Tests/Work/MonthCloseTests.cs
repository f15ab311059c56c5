using System.Net;
using System.Net.Http.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Work.Attendance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.Work.AttendanceKit;

namespace Dokodemo.Tests.Work;

/// <summary>締め: submit after the month ends, approve or return, HR locks; a locked month changes only with HR's approval.</summary>
public class MonthCloseTests(MonthCloseTests.App app) : IClassFixture<MonthCloseTests.App>
{
    public sealed class App : TestApp;

    [Fact]
    public async Task SubmitApproveLock_ThenOnlyAnHrApprovedCorrectionChangesTheMonth()
    {
        var (manager, _) = await PersonAsync(app, "住民課", "住民 課長", Roles.Staff, Roles.Manager);
        var (hr, _) = await PersonAsync(app, "総務課", "人事 係長", Roles.Staff, Roles.Hr);
        var (client, id) = await PersonAsync(app, "住民課", "締め 一子");
        var day = Workday(1);
        await WorkDayAsync(app, client, day, 8, 17, 30);
        app.Clock.Offset = TimeSpan.Zero;
        var month = MonthText(LastMonth);
        var thisMonth = MonthText(new DateOnly(TodayJst.Year, TodayJst.Month, 1));

        var early = await client.PostAsJsonAsync($"/api/v1/work/months/{thisMonth}/submit", new { });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("work.month.not_ended", await CodeOf(early));

        // Nothing to approve or lock before it is submitted.
        Assert.Equal("work.month.wrong_state", await CodeOf(await manager.PostAsJsonAsync($"/api/v1/work/months/{month}/approve", new { person = id })));

        var submitted = await ReadAsync<MonthStateDto>(await client.PostAsJsonAsync($"/api/v1/work/months/{month}/submit", new { }));
        Assert.Equal(MonthStatus.Submitted, submitted.Status);

        // The person cannot approve their own month; HR locks only approved months; a return needs a comment.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/work/months/{month}/approve", new { person = id })).StatusCode);
        Assert.Equal("work.month.wrong_state", await CodeOf(await hr.PostAsJsonAsync($"/api/v1/work/months/{month}/lock", new { person = id })));
        Assert.Equal("work.attendance.comment_required", await CodeOf(await manager.PostAsJsonAsync($"/api/v1/work/months/{month}/return", new { person = id, comment = "" })));

        var returned = await ReadAsync<MonthStateDto>(await manager.PostAsJsonAsync($"/api/v1/work/months/{month}/return", new { person = id, comment = "15日の退勤が抜けています" }));
        Assert.Equal(MonthStatus.Returned, returned.Status);
        Assert.Equal("15日の退勤が抜けています", returned.Comment);
        await ReadAsync<MonthStateDto>(await client.PostAsJsonAsync($"/api/v1/work/months/{month}/submit", new { }));
        var approved = await ReadAsync<MonthStateDto>(await manager.PostAsJsonAsync($"/api/v1/work/months/{month}/approve", new { person = id }));
        Assert.Equal(MonthStatus.Approved, approved.Status);

        // A manager cannot lock; HR locks the department's approved months.
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsJsonAsync($"/api/v1/work/months/{month}/lock", new { person = id })).StatusCode);
        var dept = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Users.Where(u => u.Id == id).Select(u => u.DepartmentId).SingleAsync());
        var locked = await ReadAsync<LockResult>(await hr.PostAsJsonAsync($"/api/v1/work/months/{month}/lock", new { departmentId = dept }));
        Assert.Equal(1, locked.Locked);
        Assert.DoesNotContain(locked.NotLocked, p => p.UserId == id);
        Assert.Contains(locked.NotLocked, p => p.Status == MonthStatus.Open);
        var state = (await MonthAsync(client, id, LastMonth)).State;
        Assert.Equal(MonthStatus.Locked, state.Status);

        // Clocking into the locked month is refused.
        SetClock(app, Jst(day, 18));
        var clocked = await ClockAsync(client, "in");
        Assert.Equal("work.attendance.month_locked", await CodeOf(clocked));
        app.Clock.Offset = TimeSpan.Zero;

        // A correction to the locked month: the manager's approval alone is refused; HR's is recorded.
        var correction = await ReadAsync<CorrectionDto>(await client.PostAsJsonAsync("/api/v1/work/attendance/corrections", new
        {
            date = day, reason = "出勤時刻の誤り",
            records = new[] { new { kind = "work", start = "08:30", end = "17:30" }, new { kind = "break", start = "12:00", end = "13:00" } },
        }));
        Assert.True(correction.NeedsHr);
        var plain = await manager.PostAsJsonAsync($"/api/v1/work/attendance/corrections/{correction.Id}/approve", new { comment = "承認" });
        Assert.Equal(HttpStatusCode.Conflict, plain.StatusCode);
        Assert.Equal("work.attendance.month_locked", await CodeOf(plain));
        Assert.Equal("08:00", (await MonthAsync(client, id, LastMonth)).Days.Single(d => d.Date == day).In);

        var byHr = await ReadAsync<CorrectionDto>(await hr.PostAsJsonAsync($"/api/v1/work/attendance/corrections/{correction.Id}/approve", new { comment = "人事承認" }));
        Assert.Equal(CorrectionStatus.Approved, byHr.Status);
        Assert.True(byHr.LockedMonth);
        var after = await MonthAsync(client, id, LastMonth);
        Assert.Equal("08:30", after.Days.Single(d => d.Date == day).In);
        Assert.Equal(MonthStatus.Locked, after.State.Status);
        Assert.Equal(2, after.Superseded.Count);

        var events = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.SubjectId == id || e.Event == "work.month.locked").Select(e => new { e.Event, e.Details }).ToListAsync());
        Assert.Contains(events, e => e.Event == "work.month.submitted");
        Assert.Contains(events, e => e.Event == "work.month.returned");
        Assert.Contains(events, e => e.Event == "work.month.approved");
        Assert.Contains(events, e => e.Event == "work.month.locked");
        Assert.Contains(events, e => e.Event == "work.attendance.correction_refused");
        Assert.Contains(events, e => e.Event == "work.attendance.correction_approved" && e.Details.Contains("\"lockedMonth\":\"true\"", StringComparison.Ordinal));

        // HR cannot import into a locked month either.
        var import = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new
        {
            person = id, records = new[] { new { start = Jst(Workday(2), 8, 30), end = Jst(Workday(2), 17, 15) } },
        });
        Assert.Equal("work.attendance.month_locked", await CodeOf(import));
    }

    [Fact]
    public async Task TheTeamView_ListsStatesAndPendingWork()
    {
        var (manager, _) = await PersonAsync(app, "税務課", "税務 課長", Roles.Staff, Roles.Manager);
        var (client, id) = await PersonAsync(app, "税務課", "税務 二郎");
        var day = Workday(3);
        SetClock(app, Jst(day.AddDays(1), 9));
        await ReadAsync<CorrectionDto>(await client.PostAsJsonAsync("/api/v1/work/attendance/corrections", new
        {
            date = day, reason = "打刻忘れ", records = new[] { new { kind = "work", start = "08:30", end = "17:15" } },
        }));
        app.Clock.Offset = TimeSpan.Zero;
        await ReadAsync<MonthStateDto>(await client.PostAsJsonAsync($"/api/v1/work/months/{MonthText(LastMonth)}/submit", new { }));

        var team = await ReadAsync<TeamDto>(await manager.GetAsync($"/api/v1/work/team?month={MonthText(LastMonth)}"));
        Assert.Equal(MonthStatus.Submitted, team.People.Single(p => p.UserId == id).Status);
        Assert.Equal(MonthStatus.Open, team.People.Single(p => p.UserId != id).Status);
        Assert.Single(team.PendingCorrections, c => c.UserId == id);
    }
}
