using Dokodemo.Access;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Work;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Dokodemo.Work.Attendance;
using Dokodemo.Work.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Work.Arrangements;

/// <summary>What a person may ask for: the town's patterns, the flex rules and the notice.</summary>
public sealed record ArrangementOptionsDto(bool FlexEnabled, int NoticeDays, DateOnly EarliestFrom, IReadOnlyList<PatternDto> Patterns, FlexSettings Flex);

public sealed record PatternDto(string Name, string Start, string End, string BreakStart, string BreakEnd, decimal Hours);

/// <summary>
/// <c>/api/v1/work/arrangements</c>: flex 申告 and 早出遅出 請求, and their 割振り. Reading or asking for a person's
/// arrangements asks the decision point with the caller's relation to them; assigning or returning needs the caller to
/// be the person's approver (or HR) as well.
/// </summary>
public static class ArrangementsApi
{
    public static WebApplicationBuilder AddArrangements(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WorkArrangements>();
        return builder;
    }

    public static WebApplication MapArrangements(this WebApplication app)
    {
        var g = app.MapGroup("/api/v1/work/arrangements").WithTags("Arrangements").RequireAuthorization(AttendanceApi.OwnPolicy);
        g.MapGet("", List);
        g.MapGet("/options", Options);
        g.MapGet("/pending", Pending);
        g.MapPost("/flex", RequestFlex);
        g.MapPost("/pattern", RequestPattern);
        g.MapPost("/{id:guid}/assign", Assign);
        g.MapPost("/{id:guid}/return", Return);
        g.MapPost("/{id:guid}/withdraw", Withdraw);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ArrangementDto>>, ProblemHttpResult>> List(string? person, DateOnly? since, AttendanceAccess access,
        WorkArrangements arrangements, TownClock town, CancellationToken ct)
    {
        var who = await access.PersonAsync(person, AccessAction.Read, ct);
        return who.Ok
            ? TypedResults.Ok(await arrangements.ListAsync(who.Value!.Id, since ?? MonthLocks.MonthOf(town.Today).AddMonths(-3), ct))
            : Problems.From(who.Error!);
    }

    public static async Task<Ok<ArrangementOptionsDto>> Options(WorkRules rules, TownClock town, CancellationToken ct) =>
        TypedResults.Ok(OptionsOf(await rules.ParametersAsync(ct), town.Today));

    public static ArrangementOptionsDto OptionsOf(RuleParameters p, DateOnly today) =>
        new(p.Arrangements.FlexEnabled, p.Arrangements.NoticeDays, today.AddDays(Math.Max(1, p.Arrangements.NoticeDays)),
            [.. p.Arrangements.Patterns.Select(x => new PatternDto(x.Name, JapanTime.Hm(x.Start), JapanTime.Hm(x.End), JapanTime.Hm(x.BreakStart), JapanTime.Hm(x.BreakEnd),
                Math.Round(x.Minutes / 60m, 2)))], p.Flex);

    public static async Task<Ok<IReadOnlyList<ArrangementDto>>> Pending(AttendanceAccess access, WorkArrangements arrangements, CancellationToken ct) =>
        TypedResults.Ok(await arrangements.PendingForAsync(access.MeId, ct));

    public static async Task<Results<Ok<ArrangementDto>, ProblemHttpResult>> RequestFlex(FlexRequest request, AttendanceAccess access,
        WorkArrangements arrangements, CancellationToken ct)
    {
        var who = await access.PersonAsync(request.Person, AccessAction.Create, ct);
        if (!who.Ok)
        {
            return Problems.From(who.Error!);
        }

        var result = await arrangements.RequestFlexAsync(who.Value!, request, access.MeId, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<ArrangementDto>, ProblemHttpResult>> RequestPattern(PatternRequest request, AttendanceAccess access,
        WorkArrangements arrangements, CancellationToken ct)
    {
        var who = await access.PersonAsync(request.Person, AccessAction.Create, ct);
        if (!who.Ok)
        {
            return Problems.From(who.Error!);
        }

        var result = await arrangements.RequestPatternAsync(who.Value!, request, access.MeId, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static Task<Results<Ok<ArrangementDto>, ProblemHttpResult>> Assign(Guid id, DecisionRequest? request, AttendanceAccess access,
        WorkArrangements arrangements, CancellationToken ct) =>
        OnAsync(id, access, arrangements, decider: true, () => arrangements.AssignAsync(id, access.MeId, request?.Comment, ct), ct);

    public static Task<Results<Ok<ArrangementDto>, ProblemHttpResult>> Return(Guid id, DecisionRequest? request, AttendanceAccess access,
        WorkArrangements arrangements, CancellationToken ct) =>
        OnAsync(id, access, arrangements, decider: true, () => arrangements.ReturnAsync(id, access.MeId, request?.Comment, ct), ct);

    public static Task<Results<Ok<ArrangementDto>, ProblemHttpResult>> Withdraw(Guid id, AttendanceAccess access, WorkArrangements arrangements,
        CancellationToken ct) =>
        OnAsync(id, access, arrangements, decider: false, () => arrangements.WithdrawAsync(id, access.MeId, ct), ct);

    /// <summary>The person acts on their own arrangement (withdraw); the approver (or HR) decides, and may also cancel.</summary>
    private static async Task<Results<Ok<ArrangementDto>, ProblemHttpResult>> OnAsync(Guid id, AttendanceAccess access, WorkArrangements arrangements,
        bool decider, Func<Task<Result<ArrangementDto>>> act, CancellationToken ct)
    {
        if (await CheckAsync(id, access, arrangements, decider, ct) is { } refused)
        {
            return Problems.From(refused);
        }

        var result = await act();
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    /// <summary>Null when the caller may act on the arrangement (pages and the API ask the same question), else why not.</summary>
    public static async Task<Error?> CheckAsync(Guid id, AttendanceAccess access, WorkArrangements arrangements, bool decider, CancellationToken ct)
    {
        var a = await arrangements.FindAsync(id, ct);
        if (a is null)
        {
            return ArrangementErrors.NotFound;
        }

        var who = await access.FindAsync(a.UserId, ct);
        if (who is null)
        {
            return AttendanceErrors.PersonNotFound;
        }

        if (decider || a.UserId != access.MeId)
        {
            return await access.CanDecideAsync(who, ct);
        }

        return (await access.PersonAsync(who.Id, AccessAction.Update, ct)).Ok ? null : AttendanceErrors.AccessDenied;
    }

}
