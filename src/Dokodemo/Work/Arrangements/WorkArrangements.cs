using System.Text.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Dokodemo.Domain.Work;
using Dokodemo.Shared;
using Dokodemo.Work.Attendance;
using Dokodemo.Work.Rules;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Arrangements;

/// <summary>One day of a flex 申告 as asked: "HH:mm" times in Japan time, or a fixed day (出張/研修/年休), or the 特例対象日.</summary>
public sealed record FlexDayInput(DateOnly Date, string? Start, string? End, string? BreakStart, string? BreakEnd, bool Fixed = false, bool Special = false);

/// <summary>A flex 申告 for a 単位期間. Days left out are the regular schedule; 休日 count as fixed days.</summary>
public sealed record FlexRequest(string? Person, DateOnly? From, DateOnly? To, string? CoreStart, string? CoreEnd, IReadOnlyList<FlexDayInput>? Days, string? Reason);

/// <summary>An 早出遅出 請求: one of the town's patterns for the workdays from..to.</summary>
public sealed record PatternRequest(string? Person, string? Pattern, DateOnly? From, DateOnly? To, string? Reason);

public sealed record ArrangementDayDto(DateOnly Date, string? Start, string? End, string? BreakStart, string? BreakEnd, bool Fixed, bool Special, decimal Hours);

public sealed record ArrangementDto(Guid Id, string UserId, string? PersonName, ArrangementKind Kind, DateOnly From, DateOnly To, string? Pattern,
    string? CoreStart, string? CoreEnd, IReadOnlyList<ArrangementDayDto> Days, decimal PlannedHours, string Reason, ArrangementStatus Status,
    DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, string? DecidedById, string? Comment);

/// <summary>The arrangement error codes (sentences in Text.Arrangements.cs).</summary>
public static class ArrangementErrors
{
    public static readonly Error FlexOff = new("work.arrangement.flex_off", 409);
    public static readonly Error PeriodRequired = Errors.Field("work.arrangement.period_invalid", "from");
    public static readonly Error TooSoon = Errors.Field("work.arrangement.too_soon", "from");
    public static readonly Error TimeInvalid = Errors.Field("work.arrangement.time_invalid", "days");
    public static readonly Error FlexInvalid = Errors.Field("work.arrangement.flex_invalid", "days");
    public static readonly Error PatternUnknown = Errors.Field("work.arrangement.pattern_unknown", "pattern");
    public static readonly Error NoWorkdays = Errors.Field("work.arrangement.no_workdays", "from");
    public static readonly Error Overlap = new("work.arrangement.overlap", 409);
    public static readonly Error NotFound = new("work.arrangement.not_found", 404);
    public static readonly Error State = new("work.arrangement.wrong_state", 409);
    public static readonly Error MonthLocked = new("work.arrangement.month_locked", 409);
    public static readonly Error CommentRequired = Errors.Field("work.attendance.comment_required", "comment");
}

/// <summary>
/// 割振り beyond the regular schedule: a person 申告s a flex plan (D-4) or asks for an 早出遅出 pattern (D-5); their
/// approver assigns it or returns it. An assigned arrangement's days (<see cref="WorkDayAssignment"/>, one per person
/// and date, enforced by the database) replace the regular schedule in attendance and the rules engine, so work
/// outside them is 時間外 (D-4-4). Every step is audited.
/// </summary>
public sealed class WorkArrangements(AppDbContext db, TownClock town, TimeProvider clock, AuditLog audit, WorkRules rules, Schedules schedules,
    Approvers approvers)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The longest range an 早出遅出 請求 may cover.</summary>
    public const int MaxPatternDays = 366;

    public async Task<Result<ArrangementDto>> RequestFlexAsync(AttendancePerson person, FlexRequest r, string actorId, CancellationToken ct = default)
    {
        var p = await rules.ParametersAsync(ct);
        if (!p.Arrangements.FlexEnabled)
        {
            return ArrangementErrors.FlexOff;
        }

        if (r.From is not { } from || r.To is not { } to || to < from || to.DayNumber - from.DayNumber > 7 * 5)
        {
            return ArrangementErrors.PeriodRequired;
        }

        if (from < town.Today.AddDays(Math.Max(1, p.Arrangements.NoticeDays)))
        {
            return TooSoon(p.Arrangements.NoticeDays);
        }

        if (!JapanTime.TryParseMinutes(r.CoreStart, out var coreStart) || !JapanTime.TryParseMinutes(r.CoreEnd, out var coreEnd) || coreEnd > 24 * 60)
        {
            return ArrangementErrors.TimeInvalid with { Details = new Dictionary<string, object?> { ["field"] = "coreStart" } };
        }

        var schedule = await schedules.ForUserAsync(person.Id, ct);
        var plan = new List<FlexDayInput>();
        var given = new Dictionary<DateOnly, FlexDayInput>();
        var row = 0;
        foreach (var d in r.Days ?? [])
        {
            row++;
            if (!d.Fixed && !TryDay(d, out _))
            {
                return ArrangementErrors.TimeInvalid.AtRow(row);
            }

            if (!given.TryAdd(d.Date, d) || d.Date < from || d.Date > to)
            {
                // The domain names a day outside the period or given twice; keep it in the plan so it does.
                plan.Add(d);
            }
        }

        for (var date = from; date <= to; date = date.AddDays(1))
        {
            var kind = town.Calendar.Classify(date);
            if (given.TryGetValue(date, out var d) && kind == CalendarDay.WeeklyRestDay && (d.Fixed || !TryDay(d, out _)))
            {
                // A 週休日 is never a fixed day and without hours it is simply not planned.
            }
            else if (given.TryGetValue(date, out d))
            {
                // A 休日 counts as a fixed day whatever was asked; hours on a 週休日 are judged by the weekday rule.
                plan.Add(kind is CalendarDay.NationalHoliday or CalendarDay.YearEndClosing or CalendarDay.TownClosingDay ? d with { Fixed = true } : d);
            }
            else if (kind == CalendarDay.Workday)
            {
                plan.Add(new FlexDayInput(date, JapanTime.Hm(schedule.Start), JapanTime.Hm(schedule.End), JapanTime.Hm(schedule.BreakStart),
                    JapanTime.Hm(schedule.BreakEnd)));
            }
            else if (kind != CalendarDay.WeeklyRestDay)
            {
                plan.Add(new FlexDayInput(date, null, null, null, null, Fixed: true));
            }
        }

        plan.Sort((a, b) => a.Date.CompareTo(b.Date));
        var domainPlan = new FlexPlan(from, to, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(coreStart)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(coreEnd % (24 * 60))),
            [.. plan.Select(ToDomain)]);
        if (Flex.Validate(domainPlan, p.Flex) is { Count: > 0 } problems)
        {
            return Invalid(problems);
        }

        if (await OverlapsAsync(person.Id, from, to, ct))
        {
            return ArrangementErrors.Overlap;
        }

        return await SaveRequestAsync(new WorkArrangement
        {
            Id = Guid.NewGuid(), UserId = person.Id, Kind = ArrangementKind.Flex, From = from, To = to, CoreStartMinute = coreStart, CoreEndMinute = coreEnd,
            PlanJson = JsonSerializer.Serialize(plan, Json), Reason = Cut(r.Reason) ?? "", Status = ArrangementStatus.Requested,
            RequestedAt = clock.GetUtcNow(), RequestedById = actorId,
        }, ct);
    }

    public async Task<Result<ArrangementDto>> RequestPatternAsync(AttendancePerson person, PatternRequest r, string actorId, CancellationToken ct = default)
    {
        var p = await rules.ParametersAsync(ct);
        var pattern = p.Arrangements.Patterns.FirstOrDefault(x => string.Equals(x.Name, r.Pattern?.Trim(), StringComparison.Ordinal));
        if (pattern is null)
        {
            return ArrangementErrors.PatternUnknown;
        }

        if (r.From is not { } from || r.To is not { } to || to < from || to.DayNumber - from.DayNumber >= MaxPatternDays)
        {
            return ArrangementErrors.PeriodRequired;
        }

        if (from < town.Today.AddDays(Math.Max(1, p.Arrangements.NoticeDays)))
        {
            return TooSoon(p.Arrangements.NoticeDays);
        }

        if (PatternDays(from, to).Count == 0)
        {
            return ArrangementErrors.NoWorkdays;
        }

        if (await OverlapsAsync(person.Id, from, to, ct))
        {
            return ArrangementErrors.Overlap;
        }

        return await SaveRequestAsync(new WorkArrangement
        {
            Id = Guid.NewGuid(), UserId = person.Id, Kind = ArrangementKind.Pattern, From = from, To = to, PatternName = pattern.Name,
            PlanJson = JsonSerializer.Serialize(pattern, Json), Reason = Cut(r.Reason) ?? "", Status = ArrangementStatus.Requested,
            RequestedAt = clock.GetUtcNow(), RequestedById = actorId,
        }, ct);
    }

    /// <summary>割振り: the approver assigns the request; its days replace the regular schedule. All days or none.</summary>
    public async Task<Result<ArrangementDto>> AssignAsync(Guid id, string actorId, string? comment, CancellationToken ct = default)
    {
        var a = await db.WorkArrangements.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return ArrangementErrors.NotFound;
        }

        if (a.Status != ArrangementStatus.Requested)
        {
            return ArrangementErrors.State;
        }

        var first = MonthLocks.MonthOf(a.From);
        if (await db.AttendanceMonths.AnyAsync(m => m.UserId == a.UserId && m.Month >= first && m.Month <= a.To && m.Status == MonthStatus.Locked, ct))
        {
            return ArrangementErrors.MonthLocked;
        }

        a.Status = ArrangementStatus.Assigned;
        a.DecidedAt = clock.GetUtcNow();
        a.DecidedById = actorId;
        a.Comment = Cut(comment);
        foreach (var day in DaysOf(a))
        {
            if (day.Fixed || day.Start is null)
            {
                continue;
            }

            db.WorkDayAssignments.Add(new WorkDayAssignment
            {
                ArrangementId = a.Id, UserId = a.UserId, Date = day.Date, StartMinute = Minutes(day.Start), EndMinute = Minutes(day.End),
                BreakStartMinute = day.BreakStart is null ? null : Minutes(day.BreakStart), BreakEndMinute = day.BreakEnd is null ? null : Minutes(day.BreakEnd),
                SpecialDay = day.Special,
            });
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique (person, date) index: another arrangement was assigned these days meanwhile.
            db.ChangeTracker.Clear();
            return ArrangementErrors.Overlap;
        }

        await WriteAsync("work.arrangement.assigned", actorId, a, ct);
        return await DtoAsync(a, ct);
    }

    public async Task<Result<ArrangementDto>> ReturnAsync(Guid id, string actorId, string? comment, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return ArrangementErrors.CommentRequired;
        }

        var a = await db.WorkArrangements.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return ArrangementErrors.NotFound;
        }

        if (a.Status != ArrangementStatus.Requested)
        {
            return ArrangementErrors.State;
        }

        a.Status = ArrangementStatus.Returned;
        a.DecidedAt = clock.GetUtcNow();
        a.DecidedById = actorId;
        a.Comment = Cut(comment);
        await db.SaveChangesAsync(ct);
        await WriteAsync("work.arrangement.returned", actorId, a, ct);
        return await DtoAsync(a, ct);
    }

    /// <summary>
    /// The person (or their approver) takes an arrangement back: a request is withdrawn; an assigned one is cancelled
    /// while none of its days has begun, and those days fall back to the regular schedule.
    /// </summary>
    public async Task<Result<ArrangementDto>> WithdrawAsync(Guid id, string actorId, CancellationToken ct = default)
    {
        var a = await db.WorkArrangements.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return ArrangementErrors.NotFound;
        }

        if (a.Status == ArrangementStatus.Assigned && a.From <= town.Today)
        {
            return ArrangementErrors.State;
        }

        if (a.Status is not (ArrangementStatus.Requested or ArrangementStatus.Assigned))
        {
            return ArrangementErrors.State;
        }

        var cancelled = a.Status == ArrangementStatus.Assigned;
        a.Status = cancelled ? ArrangementStatus.Cancelled : ArrangementStatus.Withdrawn;
        if (cancelled)
        {
            db.WorkDayAssignments.RemoveRange(await db.WorkDayAssignments.Where(d => d.ArrangementId == a.Id).ToListAsync(ct));
        }

        await db.SaveChangesAsync(ct);
        await WriteAsync(cancelled ? "work.arrangement.cancelled" : "work.arrangement.withdrawn", actorId, a, ct);
        return await DtoAsync(a, ct);
    }

    public async Task<WorkArrangement?> FindAsync(Guid id, CancellationToken ct = default) =>
        await db.WorkArrangements.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);

    /// <summary>A person's arrangements touching the months from <paramref name="since"/> on, newest first.</summary>
    public async Task<IReadOnlyList<ArrangementDto>> ListAsync(string userId, DateOnly since, CancellationToken ct = default)
    {
        var rows = await db.WorkArrangements.AsNoTracking().Where(a => a.UserId == userId && a.To >= since)
            .OrderByDescending(a => a.From).ThenByDescending(a => a.RequestedAt).Take(200).ToListAsync(ct);
        return await DtosAsync(rows, ct);
    }

    /// <summary>Requests waiting for the caller (Approvers: the department's managers, else HR).</summary>
    public async Task<IReadOnlyList<ArrangementDto>> PendingForAsync(string approverId, CancellationToken ct = default)
    {
        var rows = await db.WorkArrangements.AsNoTracking().Where(a => a.Status == ArrangementStatus.Requested)
            .OrderBy(a => a.From).Take(1000).ToListAsync(ct);
        var approved = await approvers.ApprovedByAsync(approverId, rows.Select(r => r.UserId), ct);
        var mine = rows.Where(r => approved.Contains(r.UserId)).ToList();

        return await DtosAsync([.. mine.OrderBy(a => a.From)], ct);
    }

    /// <summary>The assigned hours of these people between the dates, keyed by person and date (attendance reads this).</summary>
    public static async Task<Dictionary<(string UserId, DateOnly Date), WorkDayAssignment>> AssignedAsync(AppDbContext db, IQueryable<string> userIds,
        DateOnly from, DateOnly to, CancellationToken ct)
    {
        var rows = await db.WorkDayAssignments.AsNoTracking().Where(d => d.Date >= from && d.Date <= to && userIds.Contains(d.UserId)).ToListAsync(ct);
        return rows.ToDictionary(d => (d.UserId, d.Date));
    }

    /// <summary>The day as the rules engine sees it: the assigned stretches with the break taken out, and the break.</summary>
    public static (LocalInterval[] Assigned, LocalInterval[] Breaks) Intervals(WorkDayAssignment d)
    {
        var day = d.Date.ToDateTime(TimeOnly.MinValue);
        if (d.BreakStartMinute is { } bs && d.BreakEndMinute is { } be && bs > d.StartMinute && be < d.EndMinute && be > bs)
        {
            return ([new(day.AddMinutes(d.StartMinute), day.AddMinutes(bs)), new(day.AddMinutes(be), day.AddMinutes(d.EndMinute))],
                [new(day.AddMinutes(bs), day.AddMinutes(be))]);
        }

        return ([new(day.AddMinutes(d.StartMinute), day.AddMinutes(d.EndMinute))], []);
    }

    private List<DateOnly> PatternDays(DateOnly from, DateOnly to)
    {
        var days = new List<DateOnly>();
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            if (town.Calendar.Classify(date) == CalendarDay.Workday)
            {
                days.Add(date);
            }
        }

        return days;
    }

    private IReadOnlyList<FlexDayInput> DaysOf(WorkArrangement a)
    {
        if (a.Kind == ArrangementKind.Flex)
        {
            return JsonSerializer.Deserialize<List<FlexDayInput>>(a.PlanJson ?? "[]", Json) ?? [];
        }

        var pattern = JsonSerializer.Deserialize<ShiftPattern>(a.PlanJson ?? "{}", Json);
        if (pattern is null)
        {
            return [];
        }

        return [.. PatternDays(a.From, a.To).Select(d => new FlexDayInput(d, JapanTime.Hhmm(pattern.Start), JapanTime.Hhmm(pattern.End), JapanTime.Hhmm(pattern.BreakStart), JapanTime.Hhmm(pattern.BreakEnd)))];
    }

    private async Task<bool> OverlapsAsync(string userId, DateOnly from, DateOnly to, CancellationToken ct) =>
        await db.WorkArrangements.AnyAsync(a => a.UserId == userId && (a.Status == ArrangementStatus.Requested || a.Status == ArrangementStatus.Assigned)
            && a.From <= to && a.To >= from, ct);

    private async Task<Result<ArrangementDto>> SaveRequestAsync(WorkArrangement a, CancellationToken ct)
    {
        db.WorkArrangements.Add(a);
        await db.SaveChangesAsync(ct);
        await WriteAsync("work.arrangement.requested", a.RequestedById, a, ct);
        return await DtoAsync(a, ct);
    }

    private static Error TooSoon(int noticeDays) =>
        ArrangementErrors.TooSoon with { Details = new Dictionary<string, object?> { ["field"] = "from", ["noticeDays"] = Math.Max(1, noticeDays) } };

    private static Error Invalid(IReadOnlyList<Finding> problems) => ArrangementErrors.FlexInvalid with
    {
        Details = new Dictionary<string, object?>
        {
            ["field"] = "days",
            ["problem"] = Text.IsEnglish ? problems[0].MessageEn : problems[0].MessageJa,
            ["problems"] = problems.Select(f => WorkFindings.ToDto(f, Text.IsEnglish)).ToList(),
        },
    };

    private static bool TryDay(FlexDayInput d, out (int Start, int End, int? BreakStart, int? BreakEnd) day)
    {
        day = default;
        if (!JapanTime.TryParseMinutes(d.Start, out var s) || !JapanTime.TryParseMinutes(d.End, out var e) || e <= s || e > 24 * 60)
        {
            return false;
        }

        int? bs = null, be = null;
        if (!string.IsNullOrWhiteSpace(d.BreakStart) || !string.IsNullOrWhiteSpace(d.BreakEnd))
        {
            if (!JapanTime.TryParseMinutes(d.BreakStart, out var b1) || !JapanTime.TryParseMinutes(d.BreakEnd, out var b2) || !(s < b1 && b1 < b2 && b2 < e))
            {
                return false;
            }

            (bs, be) = (b1, b2);
        }

        day = (s, e, bs, be);
        return true;
    }

    private static FlexPlanDay ToDomain(FlexDayInput d)
    {
        if (d.Fixed || !TryDay(d, out var t))
        {
            return new FlexPlanDay(d.Date, [], Fixed: d.Fixed, SpecialDay: d.Special);
        }

        var day = d.Date.ToDateTime(TimeOnly.MinValue);
        LocalInterval[] assigned = t.BreakStart is { } bs && t.BreakEnd is { } be
            ? [new(day.AddMinutes(t.Start), day.AddMinutes(bs)), new(day.AddMinutes(be), day.AddMinutes(t.End))]
            : [new(day.AddMinutes(t.Start), day.AddMinutes(t.End))];
        return new FlexPlanDay(d.Date, assigned, SpecialDay: d.Special);
    }

    private static ArrangementDayDto ToDayDto(FlexDayInput d, int fixedMinutes) =>
        new(d.Date, d.Fixed ? null : d.Start, d.Fixed ? null : d.End, d.Fixed ? null : d.BreakStart, d.Fixed ? null : d.BreakEnd, d.Fixed, d.Special,
            Math.Round((d.Fixed ? fixedMinutes : ToDomain(d).Minutes) / 60m, 2));

    private static int Minutes(string? hm) => JapanTime.TryParseMinutes(hm, out var m) ? m : 0;


    private static string? Cut(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim()[..Math.Min(500, text.Trim().Length)];

    private Task WriteAsync(string @event, string actorId, WorkArrangement a, CancellationToken ct) =>
        audit.WriteAsync(@event, AuditOutcome.Success, actorId: actorId, subjectId: a.UserId, details: new Dictionary<string, string?>
        {
            ["arrangement"] = a.Id.ToString(), ["kind"] = a.Kind.ToString(), ["from"] = Corrections.Iso(a.From), ["to"] = Corrections.Iso(a.To),
            ["pattern"] = a.PatternName,
        }, ct: ct);

    private async Task<ArrangementDto> DtoAsync(WorkArrangement a, CancellationToken ct) => (await DtosAsync([a], ct))[0];

    private async Task<IReadOnlyList<ArrangementDto>> DtosAsync(IReadOnlyList<WorkArrangement> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var p = await rules.ParametersAsync(ct);
        return [.. rows.Select(a =>
        {
            var days = DaysOf(a).Select(d => ToDayDto(d, p.Flex.FixedDayMinutes)).ToList();
            return new ArrangementDto(a.Id, a.UserId, names.GetValueOrDefault(a.UserId), a.Kind, a.From, a.To, a.PatternName,
                a.CoreStartMinute is { } cs ? JapanTime.Hm(cs) : null, a.CoreEndMinute is { } ce ? JapanTime.Hm(ce) : null, days,
                days.Sum(d => d.Hours), a.Reason, a.Status, a.RequestedAt, a.DecidedAt, a.DecidedById, a.Comment);
        })];
    }
}
