using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>A team's month: each person's state and what waits for the approver.</summary>
public sealed record TeamDto(int DepartmentId, string Month, IReadOnlyList<MonthStateDto> People, IReadOnlyList<CorrectionDto> PendingCorrections,
    IReadOnlyList<OvertimeDto> Overtime, IReadOnlyList<UnorderedDto> Unordered);

/// <summary>時間外 worked without an order (命令なし).</summary>
public sealed record UnorderedDto(string UserId, string? PersonName, DateOnly Date, int OutsideMinutes);

/// <summary>
/// The attendance API (work.time). Every route needs at least the caller's own work.time; a route about another person
/// asks the decision point again with the caller's relation to that person (本人 / 同じ所属 / none).
/// </summary>
public static class AttendanceApi
{
    /// <summary>The caller's own attendance (and, checked per object, that of people they may see).</summary>
    public const string OwnPolicy = "access:work.time:read:update:self";

    /// <summary>HR's actions: locking months, importing past records.</summary>
    public const string HrPolicy = "access:work.time:read:administer:none";

    /// <summary>The schedule: every insider reads it; HR and administrators change it.</summary>
    public const string SettingsPolicy = "access:work.settings:read:administer:none";

    /// <summary>A manager's (or HR's) team pages.</summary>
    public const string TeamPolicy = "access:work.time:read:update:samedepartment";

    public static WebApplicationBuilder AddAttendance(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddScoped<IWorkPlaceOfDay, Places.DeclaredWorkPlace>();
        s.AddScoped<AttendanceAccess>();
        s.AddScoped<Schedules>();
        s.AddScoped<MonthLocks>();
        s.AddScoped<ClockInOut>();
        s.AddScoped<Corrections>();
        s.AddScoped<ImportAttendance>();
        s.AddScoped<OvertimeOrders>();
        s.AddScoped<MonthClose>();
        s.AddScoped<AttendanceDays>();
        s.AddScoped<AttendanceMonthView>();
        s.AddScoped<AttendanceTeam>();
        return builder;
    }

    public static WebApplication MapAttendance(this WebApplication app)
    {
        var work = app.MapGroup("/api/v1/work").WithTags("Attendance").RequireAuthorization(OwnPolicy);
        work.MapPost("/clock", Clock);
        work.MapGet("/attendance", Month);
        work.MapPost("/attendance/corrections", ProposeCorrection);
        work.MapPost("/attendance/corrections/{id:guid}/approve", ApproveCorrection);
        work.MapPost("/attendance/corrections/{id:guid}/decline", DeclineCorrection);
        work.MapGet("/overtime", ListOvertime);
        work.MapPost("/overtime", CreateOvertime);
        work.MapPost("/overtime/{id:guid}/order", OrderOvertime);
        work.MapPost("/overtime/{id:guid}/decline", DeclineOvertime);
        work.MapPost("/overtime/{id:guid}/report", ReportOvertime);
        work.MapPost("/overtime/{id:guid}/confirm", ConfirmOvertime);
        work.MapPost("/months/{month}/submit", Submit);
        work.MapPost("/months/{month}/approve", ApproveMonth);
        work.MapPost("/months/{month}/return", ReturnMonth);

        app.MapGet("/api/v1/work/team", Team).WithTags("Attendance").RequireAuthorization(TeamPolicy);

        var hr = app.MapGroup("/api/v1/work").WithTags("Attendance").RequireAuthorization(HrPolicy);
        hr.MapPost("/attendance/import", Import);
        hr.MapPost("/months/{month}/lock", Lock);

        var settings = app.MapGroup("/api/v1/work/schedule").WithTags("Attendance").RequireAuthorization(SettingsPolicy);
        settings.MapGet("", GetSchedule);
        settings.MapPut("", PutSchedule);
        return app;
    }

    public static async Task<Results<Ok<ClockResult>, ProblemHttpResult>> Clock(ClockRequest request, AttendanceAccess access, ClockInOut clock, HttpContext http,
        CancellationToken ct)
    {
        var person = await access.PersonAsync(null, AccessAction.Create, ct);
        if (!person.Ok)
        {
            return Problems.From(person.Error!);
        }

        var result = await clock.ClockAsync(person.Value!, request, Sessions.Current(http)?.DeviceId, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<MonthDto>, ProblemHttpResult>> Month(string? person, string? month, AttendanceAccess access, AttendanceMonthView view,
        TimeProvider clock, CancellationToken ct)
    {
        var first = MonthOrCurrent(month, clock);
        if (first is null)
        {
            return Problems.From(AttendanceErrors.MonthInvalid);
        }

        var who = await access.PersonAsync(person, AccessAction.Read, ct);
        return who.Ok ? TypedResults.Ok(await view.ReadAsync(who.Value!, first.Value, ct)) : Problems.From(who.Error!);
    }

    public static async Task<Results<Ok<CorrectionDto>, ProblemHttpResult>> ProposeCorrection(CorrectionRequest request, AttendanceAccess access,
        Corrections corrections, CancellationToken ct)
    {
        var who = await access.PersonAsync(request.Person, AccessAction.Create, ct);
        if (!who.Ok)
        {
            return Problems.From(who.Error!);
        }

        var result = await corrections.ProposeAsync(who.Value!, request, access.MeId, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<CorrectionDto>, ProblemHttpResult>> ApproveCorrection(Guid id, DecisionRequest? request, AttendanceAccess access,
        Corrections corrections, CancellationToken ct)
    {
        var c = await corrections.FindAsync(id, ct);
        if (c is null)
        {
            return Problems.From(AttendanceErrors.CorrectionNotFound);
        }

        if (await DecideCheckAsync(access, c.UserId, ct) is { } refused)
        {
            return Problems.From(refused);
        }

        var result = await corrections.ApproveAsync(id, access.MeId, access.IsHr, request?.Comment, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<CorrectionDto>, ProblemHttpResult>> DeclineCorrection(Guid id, DecisionRequest? request, AttendanceAccess access,
        Corrections corrections, CancellationToken ct)
    {
        var c = await corrections.FindAsync(id, ct);
        if (c is null)
        {
            return Problems.From(AttendanceErrors.CorrectionNotFound);
        }

        if (await DecideCheckAsync(access, c.UserId, ct) is { } refused)
        {
            return Problems.From(refused);
        }

        var result = await corrections.DeclineAsync(id, access.MeId, request?.Comment, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<IReadOnlyList<OvertimeDto>>, ProblemHttpResult>> ListOvertime(string? person, string? month, AttendanceAccess access,
        OvertimeOrders overtime, TimeProvider clock, CancellationToken ct)
    {
        var first = MonthOrCurrent(month, clock);
        if (first is null)
        {
            return Problems.From(AttendanceErrors.MonthInvalid);
        }

        var who = await access.PersonAsync(person, AccessAction.Read, ct);
        return who.Ok ? TypedResults.Ok(await overtime.ListAsync([who.Value!.Id], first, ct)) : Problems.From(who.Error!);
    }

    /// <summary>The person's approver (or HR) orders; the person themselves requests.</summary>
    public static async Task<Results<Ok<OvertimeDto>, ProblemHttpResult>> CreateOvertime(OvertimeRequest request, AttendanceAccess access,
        OvertimeOrders overtime, CancellationToken ct)
    {
        var who = await access.FindAsync(request.Person, ct);
        if (who is null)
        {
            return Problems.From(AttendanceErrors.PersonNotFound);
        }

        bool asOrder;
        if (who.Id == access.MeId)
        {
            var own = await access.PersonAsync(who.Id, AccessAction.Create, ct);
            if (!own.Ok)
            {
                return Problems.From(own.Error!);
            }

            asOrder = false;
        }
        else
        {
            if (await access.CanDecideAsync(who, ct) is { } refused)
            {
                return Problems.From(refused);
            }

            asOrder = true;
        }

        var result = await overtime.CreateAsync(who, request, access.MeId, asOrder, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static Task<Results<Ok<OvertimeDto>, ProblemHttpResult>> OrderOvertime(Guid id, AttendanceAccess access, OvertimeOrders overtime, CancellationToken ct) =>
        OnOvertimeAsync(id, access, overtime, decider: true, () => overtime.OrderAsync(id, access.MeId, ct), ct);

    public static Task<Results<Ok<OvertimeDto>, ProblemHttpResult>> DeclineOvertime(Guid id, DecisionRequest? request, AttendanceAccess access, OvertimeOrders overtime,
        CancellationToken ct) =>
        OnOvertimeAsync(id, access, overtime, decider: true, () => overtime.DeclineAsync(id, access.MeId, request?.Comment, ct), ct);

    public static Task<Results<Ok<OvertimeDto>, ProblemHttpResult>> ReportOvertime(Guid id, OvertimeReport report, AttendanceAccess access, OvertimeOrders overtime,
        CancellationToken ct) =>
        OnOvertimeAsync(id, access, overtime, decider: false, () => overtime.ReportAsync(id, report, access.MeId, ct), ct);

    public static Task<Results<Ok<OvertimeDto>, ProblemHttpResult>> ConfirmOvertime(Guid id, DecisionRequest? request, AttendanceAccess access, OvertimeOrders overtime,
        CancellationToken ct) =>
        OnOvertimeAsync(id, access, overtime, decider: true, () => overtime.ConfirmAsync(id, access.MeId, request?.Comment, ct), ct);

    private static async Task<Results<Ok<OvertimeDto>, ProblemHttpResult>> OnOvertimeAsync(Guid id, AttendanceAccess access, OvertimeOrders overtime, bool decider,
        Func<Task<Result<OvertimeDto>>> act, CancellationToken ct)
    {
        var o = await overtime.FindAsync(id, ct);
        if (o is null)
        {
            return Problems.From(AttendanceErrors.OvertimeNotFound);
        }

        if (decider)
        {
            if (await DecideCheckAsync(access, o.UserId, ct) is { } refused)
            {
                return Problems.From(refused);
            }
        }
        else if (o.UserId != access.MeId)
        {
            // Only the person reports what they actually worked.
            return Problems.From(AttendanceErrors.AccessDenied);
        }

        var result = await act();
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<MonthStateDto>, ProblemHttpResult>> Submit(string month, MonthActionRequest? request, AttendanceAccess access, MonthClose close,
        CancellationToken ct)
    {
        if (!JapanTime.TryParseMonth(month, out var first))
        {
            return Problems.From(AttendanceErrors.MonthInvalid);
        }

        var who = await access.PersonAsync(request?.Person, AccessAction.Update, ct);
        if (!who.Ok)
        {
            return Problems.From(who.Error!);
        }

        if (who.Value!.Id != access.MeId)
        {
            // Only the person submits their own month.
            return Problems.From(AttendanceErrors.AccessDenied);
        }

        var result = await close.SubmitAsync(who.Value!, first, access.MeId, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static Task<Results<Ok<MonthStateDto>, ProblemHttpResult>> ApproveMonth(string month, MonthActionRequest request, AttendanceAccess access,
        MonthClose close, CancellationToken ct) =>
        DecideMonthAsync(month, request, access, (who, first) => close.ApproveAsync(who, first, access.MeId, ct), ct);

    public static Task<Results<Ok<MonthStateDto>, ProblemHttpResult>> ReturnMonth(string month, MonthActionRequest request, AttendanceAccess access,
        MonthClose close, CancellationToken ct) =>
        DecideMonthAsync(month, request, access, (who, first) => close.ReturnAsync(who, first, access.MeId, request.Comment, ct), ct);

    /// <summary>An approver's decision on someone's month: the month parses, the person exists, the caller may decide for them.</summary>
    private static async Task<Results<Ok<MonthStateDto>, ProblemHttpResult>> DecideMonthAsync(string month, MonthActionRequest request, AttendanceAccess access,
        Func<AttendancePerson, DateOnly, Task<Result<MonthStateDto>>> decide, CancellationToken ct)
    {
        if (!JapanTime.TryParseMonth(month, out var first))
        {
            return Problems.From(AttendanceErrors.MonthInvalid);
        }

        var who = await access.FindAsync(request.Person ?? "-", ct);
        if (who is null)
        {
            return Problems.From(AttendanceErrors.PersonNotFound);
        }

        if (await access.CanDecideAsync(who, ct) is { } refused)
        {
            return Problems.From(refused);
        }

        var result = await decide(who, first);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    /// <summary>HR locks one person's month, or every approved month of a department.</summary>
    public static async Task<Results<Ok<LockResult>, ProblemHttpResult>> Lock(string month, LockRequest request, AttendanceAccess access, MonthClose close,
        AppDbContext db, CancellationToken ct)
    {
        if (!JapanTime.TryParseMonth(month, out var first))
        {
            return Problems.From(AttendanceErrors.MonthInvalid);
        }

        if (request.DepartmentId is { } dept)
        {
            if (!await db.Departments.AnyAsync(d => d.Id == dept, ct))
            {
                return Problems.From(AttendanceErrors.DepartmentNotFound);
            }

            return TypedResults.Ok(await close.LockDepartmentAsync(dept, first, access.MeId, ct));
        }

        var who = await access.FindAsync(request.Person ?? "-", ct);
        if (who is null)
        {
            return Problems.From(AttendanceErrors.PersonNotFound);
        }

        var result = await close.LockAsync(who, first, access.MeId, ct);
        return result.Ok ? TypedResults.Ok(new LockResult(JapanTime.MonthText(first), 1, [])) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Import(ImportRequest request, AttendanceAccess access, ImportAttendance import,
        CancellationToken ct)
    {
        var who = await access.FindAsync(request.Person ?? "-", ct);
        if (who is null)
        {
            return Problems.From(AttendanceErrors.PersonNotFound);
        }

        var result = await import.ImportAsync(who, request, access.MeId, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<TeamDto>, ProblemHttpResult>> Team(int? departmentId, string? month, AttendanceTeam team, TimeProvider clock, CancellationToken ct)
    {
        var first = MonthOrCurrent(month, clock);
        if (first is null)
        {
            return Problems.From(AttendanceErrors.MonthInvalid);
        }

        var result = await team.ReadAsync(departmentId, first.Value, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Ok<ScheduleDto>> GetSchedule(int? departmentId, Schedules schedules, CancellationToken ct)
    {
        var book = await schedules.BookAsync(ct);
        return TypedResults.Ok(book.For(departmentId).ToDto(departmentId, departmentId is not { } d || !book.HasOverride(d)));
    }

    public static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> PutSchedule(ScheduleRequest request, Schedules schedules, CurrentUser me, CancellationToken ct)
    {
        var result = await schedules.SaveAsync(request, me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    /// <summary>For pages, which call these same handlers: the value, or the error code the API would answer.</summary>
    public static (T? Value, string? Error) Outcome<T>(Results<Ok<T>, ProblemHttpResult> result) => result.Result switch
    {
        Ok<T> ok => (ok.Value, null),
        ProblemHttpResult p => (default, p.ProblemDetails.Extensions.TryGetValue("code", out var c) ? c as string : "internal"),
        _ => (default, "internal"),
    };

    private static async Task<Error?> DecideCheckAsync(AttendanceAccess access, string userId, CancellationToken ct)
    {
        var who = await access.FindAsync(userId, ct);
        return who is null ? AttendanceErrors.PersonNotFound : await access.CanDecideAsync(who, ct);
    }

    private static DateOnly? MonthOrCurrent(string? month, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(month))
        {
            return MonthLocks.MonthOf(JapanTime.DateOf(clock.GetUtcNow()));
        }

        return JapanTime.TryParseMonth(month, out var first) ? first : null;
    }
}

/// <summary>The team view: a department's people, their month states, what waits for a decision, 時間外 without an order.</summary>
public sealed class AttendanceTeam(AppDbContext db, CurrentUser me, AccessCheck access, MonthClose close, Corrections corrections, OvertimeOrders overtime,
    AttendanceDays days)
{
    public async Task<Result<TeamDto>> ReadAsync(int? departmentId, DateOnly month, CancellationToken ct = default)
    {
        var dept = departmentId ?? me.DepartmentId;
        if (!await access.AllowsAsync(ResourceTypes.WorkTime, AccessAction.Update, "department:" + dept.ToString(System.Globalization.CultureInfo.InvariantCulture), me.RelationToDepartment(dept), ct))
        {
            return AttendanceErrors.AccessDenied;
        }

        var people = await db.Users.AsNoTracking().Where(u => u.DepartmentId == dept && !u.IsDisabled).Select(u => u.Id).ToListAsync(ct);
        var states = await close.StatesAsync(people, month, ct);
        var pending = await corrections.ListAsync(people, null, CorrectionStatus.Pending, ct);
        var orders = (await overtime.ListAsync(people, month, ct)).Where(o => o.Status is OvertimeStatus.Requested or OvertimeStatus.Reported || o.AfterTheFact).ToList();
        var ordered = (await overtime.ListAsync(people, month, ct))
            .Where(o => o.Status is OvertimeStatus.Ordered or OvertimeStatus.Reported or OvertimeStatus.Confirmed).Select(o => (o.UserId, o.Date)).ToHashSet();
        var names = states.ToDictionary(s => s.UserId, s => s.PersonName);
        var unordered = new List<UnorderedDto>();
        foreach (var (userId, list) in await days.ForPeopleAsync(people, month, ct))
        {
            foreach (var d in list)
            {
                var outside = AttendanceDays.OutsideMinutes(d);
                if (AttendanceDays.IsUnordered(outside, ordered.Contains((userId, d.Date))))
                {
                    unordered.Add(new UnorderedDto(userId, names.GetValueOrDefault(userId), d.Date, outside));
                }
            }
        }

        return new TeamDto(dept, JapanTime.MonthText(month), states, pending.Where(p => p.UserId != me.Id).ToList(), orders,
            unordered.OrderBy(u => u.Date).ThenBy(u => u.PersonName, StringComparer.Ordinal).ToList());
    }
}
