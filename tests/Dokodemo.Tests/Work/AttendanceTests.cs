using System.Net;
using System.Net.Http.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Domain.Work;
using Dokodemo.Work.Attendance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.Work.AttendanceKit;

namespace Dokodemo.Tests.Work;

/// <summary>Clocking, corrections, overtime orders, the import and who may see whose attendance — over HTTP, on a real database.</summary>
public class AttendanceTests(AttendanceTests.App app) : IClassFixture<AttendanceTests.App>
{
    public sealed class App : TestApp;

    private async Task<int> RecordCountAsync(string userId) =>
        await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().ClockRecords.CountAsync(r => r.UserId == userId));

    [Fact]
    public async Task ClockingADay_StoresUtcWithTheZone_AndShowsJapanTime()
    {
        var (client, id) = await PersonAsync(app, "住民課", "打刻 一郎");
        var day = Workday(2);
        await WorkDayAsync(app, client, day, 8, 17, 45);

        var month = await MonthAsync(client, id, LastMonth);
        var d = month.Days.Single(x => x.Date == day);
        Assert.Equal("08:00", d.In);
        Assert.Equal("17:45", d.Out);
        Assert.Equal(60, d.BreakMinutes);
        Assert.Equal((9 * 60) + 45 - 60, d.WorkedMinutes);
        // 8:00–8:30 and 17:15–17:45 are outside 8:30–17:15.
        Assert.Equal(60, d.OutsideMinutes);
        Assert.True(d.Unordered);
        var work = d.Records.Single(r => r.Kind == ClockKind.Work);
        Assert.Equal("Asia/Tokyo", work.TimeZone);
        Assert.Equal(TimeSpan.Zero, work.Start.Offset);
        // The clock keeps running after the test moves it: within seconds of 8:00 Japan time, stored as UTC.
        Assert.InRange(work.Start - Jst(day, 8), TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task APersonInParis_IsStoredInUtc_ShownInParisTime_AndCountedOnTheJapanDate()
    {
        var (client, id) = await PersonAsync(app, "住民課", "巴里 花子");
        // 19:30 UTC = 20:30 in Paris (winter) or 21:30 (summer), and 04:30 the next day in Japan.
        var utcDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        var at = new DateTimeOffset(utcDay.ToDateTime(new TimeOnly(19, 30)), TimeSpan.Zero);
        SetClock(app, at);
        var r = await ClockAsync(client, "in", "Europe/Paris");
        var result = await ReadAsync<ClockResult>(r);
        var paris = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        Assert.Equal(paris.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), result.Record.LocalStart);
        Assert.Equal("04:30", result.Record.JapanStart);
        Assert.Equal(utcDay.AddDays(1), result.Record.Date);
        Assert.Equal("Europe/Paris", result.Record.TimeZone);

        var stored = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().ClockRecords.AsNoTracking().SingleAsync(x => x.UserId == id));
        Assert.InRange(stored.Start - at, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, stored.Start.Offset);
        Assert.Equal(utcDay.AddDays(1), stored.Date);

        SetClock(app, at.AddHours(8));
        Assert.Equal(HttpStatusCode.OK, (await ClockAsync(client, "out", "Europe/Paris")).StatusCode);
        var days = await app.WithScopeAsync(async sp =>
        {
            await using var scope = sp.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AttendanceDays>().ForMonthAsync(id, new DateOnly(utcDay.AddDays(1).Year, utcDay.AddDays(1).Month, 1));
        });
        var worked = days.Single(d => d.Date == utcDay.AddDays(1)).Worked.Single();
        Assert.InRange(worked.Start - utcDay.AddDays(1).ToDateTime(new TimeOnly(4, 30)), TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.InRange(worked.End - utcDay.AddDays(1).ToDateTime(new TimeOnly(12, 30)), TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task BadClockActions_AreRefusedWithACode_AndSaveNothing()
    {
        var (client, id) = await PersonAsync(app, "住民課", "誤打 次郎");
        SetClock(app, Jst(Workday(3), 9));
        var outFirst = await ClockAsync(client, "out");
        Assert.Equal(HttpStatusCode.Conflict, outFirst.StatusCode);
        Assert.Equal("work.clock.not_in", await CodeOf(outFirst));
        var breakEnd = await ClockAsync(client, "break_end");
        Assert.Equal("work.clock.no_break", await CodeOf(breakEnd));
        var zone = await ClockAsync(client, "in", "Mars/Olympus_Mons");
        Assert.Equal(HttpStatusCode.BadRequest, zone.StatusCode);
        Assert.Equal("work.timezone_unknown", await CodeOf(zone));
        var action = await ClockAsync(client, "teleport");
        Assert.Equal("work.clock.action_unknown", await CodeOf(action));
        Assert.Equal(0, await RecordCountAsync(id));

        Assert.Equal(HttpStatusCode.OK, (await ClockAsync(client, "in")).StatusCode);
        var twice = await ClockAsync(client, "in");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("work.clock.already_in", await CodeOf(twice));
        Assert.Equal(HttpStatusCode.OK, (await ClockAsync(client, "break_start")).StatusCode);
        Assert.Equal("work.clock.break_open", await CodeOf(await ClockAsync(client, "break_start")));
        Assert.Equal(2, await RecordCountAsync(id));

        // The audit trail is not asked for each clock, but the device of the session is kept on the record (C-2).
        var record = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().ClockRecords.AsNoTracking().FirstAsync(x => x.UserId == id && x.Kind == ClockKind.Work));
        var session = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Sessions.AsNoTracking().FirstAsync(s => s.UserId == id));
        Assert.Equal(session.DeviceId, record.DeviceId);
    }

    [Fact]
    public async Task AForgottenClockOut_DoesNotBlockTheNextDay_AndShowsAnOpenDay()
    {
        var (client, id) = await PersonAsync(app, "住民課", "忘却 十二");
        var first = Workday(11);
        var next = Workday(12);
        SetClock(app, Jst(first, 8, 30));
        Assert.Equal(HttpStatusCode.OK, (await ClockAsync(client, "in")).StatusCode);
        SetClock(app, Jst(next, 9));
        Assert.Equal(HttpStatusCode.OK, (await ClockAsync(client, "in")).StatusCode);
        SetClock(app, Jst(next, 17, 30));
        var closed = await ReadAsync<ClockResult>(await ClockAsync(client, "out"));
        Assert.Equal(next, closed.Record.Date);

        var month = await MonthAsync(client, id, LastMonth);
        var open = month.Days.Single(d => d.Date == first);
        Assert.Equal("08:30", open.In);
        Assert.Null(open.Out);
        Assert.Equal(0, open.WorkedMinutes);
        Assert.Equal("17:30", month.Days.Single(d => d.Date == next).Out);
    }

    [Fact]
    public async Task ACorrection_ValidatesItsRecords()
    {
        var (client, id) = await PersonAsync(app, "住民課", "修正 三郎");
        var day = Workday(4);
        async Task<string?> ProposeAsync(object records, string? reason = "打刻忘れ", DateOnly? date = null) =>
            await CodeOf(await client.PostAsJsonAsync("/api/v1/work/attendance/corrections", new { date = date ?? day, reason, records }));

        Assert.Equal("work.attendance.end_before_start", await ProposeAsync(new[] { new { kind = "work", start = "17:15", end = "08:30" } }));
        Assert.Equal("work.attendance.overlap", await ProposeAsync(new[]
        {
            new { kind = "work", start = "08:30", end = "12:00" }, new { kind = "work", start = "11:00", end = "17:15" },
        }));
        Assert.Equal("work.attendance.future", await ProposeAsync(new[] { new { kind = "work", start = "08:30", end = "17:15" } }, date: TodayJst.AddDays(2)));
        Assert.Equal("work.attendance.reason_required", await ProposeAsync(new[] { new { kind = "work", start = "08:30", end = "17:15" } }, reason: " "));
        Assert.Equal("work.attendance.break_outside", await ProposeAsync(new[]
        {
            new { kind = "work", start = "08:30", end = "12:00" }, new { kind = "break", start = "12:00", end = "13:00" },
        }));
        var none = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AttendanceCorrections.CountAsync(c => c.UserId == id));
        Assert.Equal(0, none);
    }

    [Fact]
    public async Task AnApprovedCorrection_ReplacesTheDay_AndKeepsTheOriginals()
    {
        var (manager, _) = await PersonAsync(app, "保健福祉課", "福祉 課長", Roles.Staff, Roles.Manager);
        var (client, id) = await PersonAsync(app, "保健福祉課", "修正 四郎");
        var day = Workday(5);
        SetClock(app, Jst(day, 8, 25));
        Assert.Equal(HttpStatusCode.OK, (await ClockAsync(client, "in")).StatusCode);
        SetClock(app, Jst(day, 20));
        Assert.Equal(HttpStatusCode.OK, (await ClockAsync(client, "out")).StatusCode);

        SetClock(app, Jst(day.AddDays(1), 9));
        var proposed = await ReadAsync<CorrectionDto>(await client.PostAsJsonAsync("/api/v1/work/attendance/corrections", new
        {
            date = day, reason = "退勤の打刻を忘れ、夜に押した",
            records = new[] { new { kind = "work", start = "08:25", end = "17:30" }, new { kind = "break", start = "12:00", end = "13:00" } },
        }));
        Assert.Equal(CorrectionStatus.Pending, proposed.Status);

        // The person cannot approve their own correction.
        var self = await client.PostAsJsonAsync($"/api/v1/work/attendance/corrections/{proposed.Id}/approve", new { comment = "ok" });
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);

        var approved = await ReadAsync<CorrectionDto>(await manager.PostAsJsonAsync($"/api/v1/work/attendance/corrections/{proposed.Id}/approve", new { comment = "確認しました" }));
        Assert.Equal(CorrectionStatus.Approved, approved.Status);

        var month = await MonthAsync(client, id, LastMonth);
        var d = month.Days.Single(x => x.Date == day);
        Assert.Equal("08:25", d.In);
        Assert.Equal("17:30", d.Out);
        Assert.Equal(60, d.BreakMinutes);
        Assert.All(d.Records, r => Assert.Equal(ClockSource.Correction, r.Source));
        var original = Assert.Single(month.Superseded);
        Assert.Equal("20:00", original.JapanEnd);
        Assert.Equal(proposed.Id, original.SupersededBy);
        var history = Assert.Single(month.Corrections);
        Assert.Equal("退勤の打刻を忘れ、夜に押した", history.Reason);
        Assert.Equal("確認しました", history.Comment);
        Assert.NotNull(history.DecidedById);

        var again = await manager.PostAsJsonAsync($"/api/v1/work/attendance/corrections/{proposed.Id}/decline", new { comment = "x" });
        Assert.Equal("work.attendance.already_decided", await CodeOf(again));

        var audit = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.SubjectId == id && e.Event.StartsWith("work.attendance.correction")).Select(e => e.Event).ToListAsync());
        Assert.Contains("work.attendance.correction_requested", audit);
        Assert.Contains("work.attendance.correction_approved", audit);
    }

    [Fact]
    public async Task Overtime_OrderedAfterTheFactIsFlagged_InsideTheBreakRefused_ReportedAndConfirmed()
    {
        var (manager, _) = await PersonAsync(app, "建設課", "建設 課長", Roles.Staff, Roles.Manager);
        var (client, id) = await PersonAsync(app, "建設課", "残業 五郎");
        var day = Workday(6);

        SetClock(app, Jst(day, 10));
        var inBreak = await manager.PostAsJsonAsync("/api/v1/work/overtime", new { person = id, date = day, start = "12:00", end = "12:30", purpose = "窓口対応" });
        Assert.Equal(HttpStatusCode.BadRequest, inBreak.StatusCode);
        Assert.Equal("work.overtime.in_break", await CodeOf(inBreak));
        Assert.Equal("work.overtime.purpose_required",
            await CodeOf(await manager.PostAsJsonAsync("/api/v1/work/overtime", new { person = id, date = day, start = "17:15", end = "19:00", purpose = "" })));

        var before = await ReadAsync<OvertimeDto>(await manager.PostAsJsonAsync("/api/v1/work/overtime",
            new { person = id, date = day, start = "17:15", end = "19:00", purpose = "議会資料の作成" }));
        Assert.Equal(OvertimeStatus.Ordered, before.Status);
        Assert.False(before.AfterTheFact);

        // The person asks; nothing is ordered until the manager orders.
        var request = await ReadAsync<OvertimeDto>(await client.PostAsJsonAsync("/api/v1/work/overtime",
            new { date = day.AddDays(1), start = "17:15", end = "18:00", purpose = "検査準備" }));
        Assert.Equal(OvertimeStatus.Requested, request.Status);

        // Reporting before the ordered time has begun is refused.
        Assert.Equal("work.overtime.not_yet", await CodeOf(await client.PostAsJsonAsync($"/api/v1/work/overtime/{before.Id}/report", new { start = "17:15", end = "18:40" })));

        SetClock(app, Jst(day, 21));
        var late = await ReadAsync<OvertimeDto>(await manager.PostAsJsonAsync("/api/v1/work/overtime",
            new { person = id, date = day, start = "19:00", end = "20:30", purpose = "災害対応" }));
        Assert.True(late.AfterTheFact);

        var reported = await ReadAsync<OvertimeDto>(await client.PostAsJsonAsync($"/api/v1/work/overtime/{before.Id}/report", new { start = "17:15", end = "18:40" }));
        Assert.Equal(OvertimeStatus.Reported, reported.Status);
        Assert.Equal("18:40", reported.ActualJapanEnd);
        // Only the approver confirms (確認).
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/work/overtime/{before.Id}/confirm", new { })).StatusCode);
        var confirmed = await ReadAsync<OvertimeDto>(await manager.PostAsJsonAsync($"/api/v1/work/overtime/{before.Id}/confirm", new { comment = "確認" }));
        Assert.Equal(OvertimeStatus.Confirmed, confirmed.Status);

        var ordered = await ReadAsync<OvertimeDto>(await manager.PostAsync($"/api/v1/work/overtime/{request.Id}/order", null));
        Assert.Equal(OvertimeStatus.Ordered, ordered.Status);

        var list = await ReadAsync<List<OvertimeDto>>(await client.GetAsync($"/api/v1/work/overtime?month={MonthText(LastMonth)}"));
        Assert.Equal(3, list.Count);
        var events = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.SubjectId == id && e.Event.StartsWith("work.overtime")).Select(e => e.Event).ToListAsync());
        Assert.Contains("work.overtime.ordered", events);
        Assert.Contains("work.overtime.confirmed", events);
    }

    [Fact]
    public async Task WorkWithoutAnOrder_ShowsAsUnorderedForTheManager()
    {
        var (manager, _) = await PersonAsync(app, "教育委員会", "教育 課長", Roles.Staff, Roles.Manager);
        var (client, id) = await PersonAsync(app, "教育委員会", "無命令 六郎");
        var day = Workday(7);
        await WorkDayAsync(app, client, day, 8, 19);
        var team = await ReadAsync<TeamDto>(await manager.GetAsync($"/api/v1/work/team?month={MonthText(LastMonth)}"));
        var flagged = Assert.Single(team.Unordered, u => u.UserId == id);
        Assert.Equal(day, flagged.Date);
        Assert.Equal(30 + 105, flagged.OutsideMinutes);
    }

    [Fact]
    public async Task TheImport_IsAllOrNothing()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 係長", Roles.Staff, Roles.Hr);
        var (_, id) = await PersonAsync(app, "税務課", "取込 七子");
        var d1 = Workday(8);
        var d2 = Workday(9);
        object Row(DateOnly d, int outHour) => new
        {
            start = Jst(d, 8, 30), end = Jst(d, outHour, 15), timeZone = "Asia/Tokyo",
            breaks = new[] { new { start = Jst(d, 12), end = Jst(d, 13) } },
        };

        var bad = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new
        {
            person = id,
            records = new[] { Row(d1, 17), new { start = Jst(d2, 17), end = Jst(d2, 8), timeZone = "Asia/Tokyo", breaks = Array.Empty<object>() } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("work.attendance.end_before_start", problem.GetProperty("code").GetString());
        Assert.Equal(1, problem.GetProperty("row").GetInt32());
        Assert.Equal(0, await RecordCountAsync(id));

        var zone = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new
        {
            person = id, records = new[] { new { start = Jst(d1, 8, 30), end = Jst(d1, 17, 15), timeZone = "Nowhere/Town" } },
        });
        Assert.Equal("work.timezone_unknown", await CodeOf(zone));
        Assert.Equal(0, await RecordCountAsync(id));

        var ok = await ReadAsync<ImportResult>(await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new { person = id, records = new[] { Row(d1, 17), Row(d2, 18) } }));
        Assert.Equal(2, ok.Imported);
        Assert.Equal(4, await RecordCountAsync(id));

        var overlap = await hr.PostAsJsonAsync("/api/v1/work/attendance/import", new { person = id, records = new[] { Row(d2, 17) } });
        Assert.Equal("work.attendance.overlap", await CodeOf(overlap));
        Assert.Equal(4, await RecordCountAsync(id));

        // Only HR imports.
        var (staff, _) = await PersonAsync(app, "税務課", "税務 八郎");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync("/api/v1/work/attendance/import", new { person = id, records = new[] { Row(d1, 17) } })).StatusCode);
        var imported = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AsNoTracking().CountAsync(e => e.SubjectId == id && e.Event == "work.attendance.imported"));
        Assert.Equal(1, imported);
    }

    [Fact]
    public async Task ReadingAnothersAttendance_FollowsTheAccessPolicy()
    {
        var (manager, _) = await PersonAsync(app, "産業振興課", "産業 課長", Roles.Staff, Roles.Manager);
        var (colleague, _) = await PersonAsync(app, "産業振興課", "同僚 九郎");
        var (otherManager, _) = await PersonAsync(app, "企画政策課", "企画 課長", Roles.Staff, Roles.Manager);
        var (hr, _) = await PersonAsync(app, "総務課", "人事 担当", Roles.Staff, Roles.Hr);
        var (self, id) = await PersonAsync(app, "産業振興課", "閲覧 十子");
        var url = $"/api/v1/work/attendance?person={id}&month={MonthText(LastMonth)}";

        Assert.Equal(HttpStatusCode.OK, (await self.GetAsync(url)).StatusCode);
        var denied = await colleague.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("access.denied", await CodeOf(denied));
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherManager.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync(url)).StatusCode);

        // The team view: a manager sees their own department, not another one; a plain member sees none.
        Assert.Equal(HttpStatusCode.Forbidden, (await colleague.GetAsync("/api/v1/work/team")).StatusCode);
        var team = await ReadAsync<TeamDto>(await manager.GetAsync("/api/v1/work/team"));
        Assert.Contains(team.People, p => p.UserId == id);
        var otherTeam = await otherManager.GetAsync($"/api/v1/work/team?departmentId={team.DepartmentId}");
        Assert.Equal(HttpStatusCode.Forbidden, otherTeam.StatusCode);
    }

    [Fact]
    public async Task TheSchedule_HasATownDefault_AndADepartmentOverrideThatHrSets()
    {
        var (hr, _) = await PersonAsync(app, "総務課", "人事 設定", Roles.Staff, Roles.Hr);
        var (staff, _) = await PersonAsync(app, "税務課", "税務 職員");
        var town = await ReadAsync<ScheduleDto>(await staff.GetAsync("/api/v1/work/schedule"));
        Assert.Equal("8:30", town.Start);
        Assert.Equal("17:15", town.End);
        Assert.Equal(465, town.RegularMinutes);
        Assert.Equal(DayOfWeek.Sunday, town.LegalRestDay);

        var dept = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Departments.Where(d => d.Name == "税務課").Select(d => d.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PutAsJsonAsync("/api/v1/work/schedule",
            new { departmentId = dept, start = "8:30", end = "17:00", breakStart = "12:00", breakEnd = "12:45" })).StatusCode);
        var bad = await hr.PutAsJsonAsync("/api/v1/work/schedule", new { departmentId = dept, start = "8:30", end = "17:00", breakStart = "13:00", breakEnd = "12:45" });
        Assert.Equal("work.schedule.invalid", await CodeOf(bad));
        var set = await ReadAsync<ScheduleDto>(await hr.PutAsJsonAsync("/api/v1/work/schedule",
            new { departmentId = dept, start = "8:30", end = "17:00", breakStart = "12:00", breakEnd = "12:45", legalRestDay = "Saturday" }));
        Assert.Equal(465, set.RegularMinutes);
        var read = await ReadAsync<ScheduleDto>(await staff.GetAsync($"/api/v1/work/schedule?departmentId={dept}"));
        Assert.Equal("17:00", read.End);
        Assert.False(read.IsTownDefault);
        Assert.Equal(DayOfWeek.Saturday, read.LegalRestDay);
    }

    [Fact]
    public async Task TheRulesEngineAdapter_GivesEveryDayOfTheMonth_WithKindAssignedAndWorked()
    {
        var (client, id) = await PersonAsync(app, "住民課", "適用 十一");
        var day = Workday(10);
        await WorkDayAsync(app, client, day, 8, 18);
        var (days, batch) = await app.WithScopeAsync(async sp =>
        {
            var adapter = sp.GetRequiredService<AttendanceDays>();
            var one = await adapter.ForMonthAsync(id, LastMonth);
            var dept = await sp.GetRequiredService<AppDbContext>().Users.Where(u => u.Id == id).Select(u => u.DepartmentId).SingleAsync();
            return (one, await adapter.ForDepartmentAsync(dept, LastMonth));
        });
        Assert.Equal(DateTime.DaysInMonth(LastMonth.Year, LastMonth.Month), days.Count);
        var d = days.Single(x => x.Date == day);
        Assert.Equal(StaffDayKind.Workday, d.Kind);
        Assert.Equal(465, d.AssignedMinutes);
        Assert.Equal(60, Assert.Single(d.AssignedBreaks).Minutes);
        Assert.Equal(9 * 60, d.WorkedMinutes);
        Assert.Equal(2, d.Worked.Count);
        var sunday = days.First(x => x.Date.DayOfWeek == DayOfWeek.Sunday);
        Assert.Equal(StaffDayKind.WeeklyRest, sunday.Kind);
        Assert.True(sunday.IsLegalRestDay);
        Assert.Empty(sunday.Assigned);
        Assert.Equal(d.WorkedMinutes, batch[id].Single(x => x.Date == day).WorkedMinutes);
    }
}
