using Dokodemo.Data;
using Dokodemo.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>One day of a person's month: the records, the day's totals, what is pending.</summary>
public sealed record DayDto(DateOnly Date, StaffDayKind Kind, string? In, string? Out, int BreakMinutes, int WorkedMinutes, int OutsideMinutes,
    bool Unordered, IReadOnlyList<ClockRecordDto> Records, string? Arranged = null);

public sealed record MonthDto(string UserId, string PersonName, string TimeZone, string Month, MonthStateDto State, ScheduleDto Schedule,
    IReadOnlyList<DayDto> Days, int WorkedMinutes, int OutsideMinutes, IReadOnlyList<CorrectionDto> Corrections, IReadOnlyList<OvertimeDto> Overtime,
    IReadOnlyList<ClockRecordDto> Superseded);

/// <summary>A person's month as the API and the month page show it.</summary>
public sealed class AttendanceMonthView(AppDbContext db, AttendanceDays days, Schedules schedules, Corrections corrections, OvertimeOrders overtime, MonthClose close)
{
    public async Task<MonthDto> ReadAsync(AttendancePerson person, DateOnly month, CancellationToken ct = default)
    {
        var next = month.AddMonths(1);
        var records = await db.ClockRecords.AsNoTracking().Where(r => r.UserId == person.Id && r.Date >= month && r.Date < next)
            .OrderBy(r => r.Start).ToListAsync(ct);
        var workDays = await days.ForMonthAsync(person.Id, month, ct);
        var orders = await overtime.ListAsync([person.Id], month, ct);
        var ordered = orders.Where(o => o.Status is OvertimeStatus.Ordered or OvertimeStatus.Reported or OvertimeStatus.Confirmed).Select(o => o.Date).ToHashSet();
        var current = records.Where(r => r.SupersededAt == null).GroupBy(r => r.Date).ToDictionary(g => g.Key, g => g.ToList());
        var regular = await schedules.ForUserAsync(person.Id, ct);
        var list = new List<DayDto>();
        foreach (var d in workDays)
        {
            var rows = current.GetValueOrDefault(d.Date) ?? [];
            var work = rows.Where(r => r.Kind == ClockKind.Work).ToList();
            var outside = AttendanceDays.OutsideMinutes(d);
            list.Add(new DayDto(d.Date, d.Kind,
                work.Count > 0 ? JapanTime.Show(work.Min(r => r.Start), JapanTime.Zone) : null,
                work.Count > 0 && work.All(r => r.End is not null) ? JapanTime.Show(work.Max(r => r.End!.Value), JapanTime.Zone, d.Date) : null,
                d.Breaks.Sum(b => b.Minutes), d.WorkedMinutes, outside, AttendanceDays.IsUnordered(outside, ordered.Contains(d.Date)),
                rows.Select(ClockInOut.ToDto).ToList(), Arranged(d, regular)));
        }

        var book = await schedules.BookAsync(ct);
        return new MonthDto(person.Id, person.DisplayName, person.TimeZone, JapanTime.MonthText(month), await close.StateAsync(person.Id, month, ct),
            book.For(person.DepartmentId).ToDto(person.DepartmentId, !book.HasOverride(person.DepartmentId)),
            list, list.Sum(d => d.WorkedMinutes), list.Sum(d => d.OutsideMinutes),
            await corrections.ListAsync([person.Id], month, null, ct), orders,
            records.Where(r => r.SupersededAt != null).Select(ClockInOut.ToDto).ToList());
    }

    /// <summary>Today's current records for a person (Japan date) and any still-live open record, for the clock page.</summary>
    public async Task<IReadOnlyList<ClockRecordDto>> DayAsync(string userId, DateOnly date, DateTimeOffset now, CancellationToken ct = default)
    {
        var liveSince = now - ClockInOut.LiveFor;
        return (await db.ClockRecords.AsNoTracking()
                .Where(r => r.UserId == userId && r.SupersededAt == null && (r.Date == date || (r.End == null && r.Start > liveSince)))
                .OrderBy(r => r.Start).ToListAsync(ct))
            .Select(ClockInOut.ToDto).ToList();
    }

    /// <summary>The day's hours when a flex plan or 早出遅出 pattern assigned other hours than the regular schedule ("7:30–16:15").</summary>
    private static string? Arranged(WorkDay d, DaySchedule regular)
    {
        if (d.Assigned.Count == 0)
        {
            return null;
        }

        var start = d.Assigned[0].Start;
        var end = d.Assigned[^1].End;
        var day = d.Date.ToDateTime(TimeOnly.MinValue);
        return start == day.AddMinutes(regular.Start) && end == day.AddMinutes(regular.End) && d.AssignedMinutes == regular.RegularMinutes
            ? null
            : $"{JapanTime.Hm((int)(start - day).TotalMinutes)}–{JapanTime.Hm((int)(end - day).TotalMinutes)}";
    }
}
