using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Dokodemo.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>
/// The rules engine's input: a person's month as <see cref="WorkDay"/>s in Japan time — the kind of day from the town
/// calendar, the assigned hours and breaks from the schedule, the worked stretches (breaks taken out) from the
/// current clock records. The batch form reads a whole department or town with one query per month (P7).
/// </summary>
public sealed class AttendanceDays(AppDbContext db, TownClock town, Schedules schedules)
{
    public async Task<IReadOnlyList<WorkDay>> ForMonthAsync(string userId, DateOnly month, CancellationToken ct = default)
    {
        var all = await ForPeopleAsync(db.Users.Where(u => u.Id == userId), month, ct);
        return all.TryGetValue(userId, out var days) ? days : [];
    }

    /// <summary>Everyone in a department (or the whole town when null), keyed by user id.</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<WorkDay>>> ForDepartmentAsync(int? departmentId, DateOnly month, CancellationToken ct = default) =>
        ForPeopleAsync(departmentId is { } d ? db.Users.Where(u => u.DepartmentId == d && !u.IsDisabled) : db.Users.Where(u => !u.IsDisabled), month, ct);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<WorkDay>>> ForPeopleAsync(IReadOnlyCollection<string> userIds, DateOnly month, CancellationToken ct = default) =>
        ForPeopleAsync(db.Users.Where(u => userIds.Contains(u.Id)), month, ct);

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<WorkDay>>> ForPeopleAsync(IQueryable<AppUser> users, DateOnly month, CancellationToken ct)
    {
        var first = MonthLocks.MonthOf(month);
        var next = first.AddMonths(1);
        var people = await users.AsNoTracking().Select(u => new { u.Id, u.DepartmentId }).ToListAsync(ct);
        var ids = users.Select(u => u.Id);
        var records = await db.ClockRecords.AsNoTracking()
            .Where(r => r.Date >= first && r.Date < next && r.SupersededAt == null && r.End != null && ids.Contains(r.UserId))
            .Select(r => new RecordRow(r.UserId, r.Date, r.Kind, r.Start, r.End!.Value))
            .ToListAsync(ct);
        var book = await schedules.BookAsync(ct);
        var assigned = await Arrangements.WorkArrangements.AssignedAsync(db, ids, first, next.AddDays(-1), ct);
        var byUser = records.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.ToList());
        var result = new Dictionary<string, IReadOnlyList<WorkDay>>(people.Count);
        foreach (var p in people)
        {
            result[p.Id] = Build(first, book.For(p.DepartmentId), byUser.GetValueOrDefault(p.Id) ?? [], town.Calendar,
                date => assigned.GetValueOrDefault((p.Id, date)));
        }

        return result;
    }

    internal sealed record RecordRow(string UserId, DateOnly Date, ClockKind Kind, DateTimeOffset Start, DateTimeOffset End);

    /// <param name="assignedOn">The day's hours from an assigned flex plan or 早出遅出 pattern, which replace the schedule.</param>
    internal static IReadOnlyList<WorkDay> Build(DateOnly first, DaySchedule schedule, List<RecordRow> records, TownCalendar calendar,
        Func<DateOnly, Arrangements.WorkDayAssignment?> assignedOn)
    {
        var byDate = records.GroupBy(r => r.Date).ToDictionary(g => g.Key, g => g.ToList());
        var days = new List<WorkDay>(31);
        for (var date = first; date < first.AddMonths(1); date = date.AddDays(1))
        {
            var kind = KindOf(calendar.Classify(date));
            var rows = byDate.GetValueOrDefault(date) ?? [];
            var breaks = rows.Where(r => r.Kind == ClockKind.Break).Select(r => new LocalInterval(JapanTime.Local(r.Start), JapanTime.Local(r.End)))
                .OrderBy(b => b.Start).ToList();
            var worked = new List<LocalInterval>();
            foreach (var w in rows.Where(r => r.Kind == ClockKind.Work).OrderBy(r => r.Start))
            {
                worked.AddRange(Subtract(new LocalInterval(JapanTime.Local(w.Start), JapanTime.Local(w.End)), breaks));
            }

            IReadOnlyList<LocalInterval> hours = [], assignedBreaks = [];
            if (kind != StaffDayKind.WeeklyRest && assignedOn(date) is { } a)
            {
                (hours, assignedBreaks) = Arrangements.WorkArrangements.Intervals(a);
            }
            else if (kind != StaffDayKind.WeeklyRest)
            {
                (hours, assignedBreaks) = (schedule.Assigned(date), [schedule.Break(date)]);
            }

            days.Add(new WorkDay
            {
                Date = date,
                Kind = kind,
                IsLegalRestDay = kind == StaffDayKind.WeeklyRest && date.DayOfWeek == schedule.LegalRestDay,
                Assigned = hours,
                AssignedBreaks = assignedBreaks,
                Worked = worked,
                Breaks = breaks,
            });
        }

        return days;
    }

    public static StaffDayKind KindOf(CalendarDay day) => day switch
    {
        CalendarDay.Workday => StaffDayKind.Workday,
        CalendarDay.WeeklyRestDay => StaffDayKind.WeeklyRest,
        CalendarDay.NationalHoliday or CalendarDay.YearEndClosing or CalendarDay.TownClosingDay => StaffDayKind.Holiday,
    };

    /// <summary>A work stretch with the breaks inside it taken out.</summary>
    public static IEnumerable<LocalInterval> Subtract(LocalInterval work, IReadOnlyList<LocalInterval> breaks)
    {
        var start = work.Start;
        foreach (var b in breaks)
        {
            if (b.End <= start || b.Start >= work.End)
            {
                continue;
            }

            if (b.Start > start)
            {
                yield return new LocalInterval(start, b.Start);
            }

            start = b.End > start ? b.End : start;
        }

        if (work.End > start)
        {
            yield return new LocalInterval(start, work.End);
        }
    }

    /// <summary>
    /// Minutes outside the regular hours below which a day is not flagged 命令なし: clocking in a few minutes early is not
    /// overtime work (the same tolerance C-2 uses between reported and logged times).
    /// </summary>
    public const int UnorderedToleranceMinutes = 15;

    /// <summary>Worked outside the regular hours, beyond the tolerance, and no overtime order for the day.</summary>
    public static bool IsUnordered(int outsideMinutes, bool ordered) => outsideMinutes > UnorderedToleranceMinutes && !ordered;

    /// <summary>
    /// Minutes worked outside the assigned hours (a simple 時間外 figure for the month page; the rules engine will
    /// replace it): on a 週休日 everything, otherwise what lies outside 正規の勤務時間.
    /// </summary>
    public static int OutsideMinutes(WorkDay day)
    {
        var inside = 0;
        foreach (var w in day.Worked)
        {
            foreach (var a in day.Assigned)
            {
                inside += w.OverlapMinutes(a);
            }
        }

        return day.WorkedMinutes - inside;
    }
}
