using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Places;

/// <summary>Work places, the weekly pattern, the team board, telework requests and the town's telework settings.</summary>
public static class WorkPlacesApi
{
    /// <summary>Own places (the decision point is asked again per record with the real relation: self, department, HR).</summary>
    public const string PlacePolicy = "access:work.place:read:update:self";

    /// <summary>The team board: insiders read everyone's place.</summary>
    public const string BoardPolicy = "access:work.place:read:read:none";

    /// <summary>Telework requests: one's own (create, withdraw, cancel); approvals are decided per record.</summary>
    public const string RequestPolicy = "access:work.time:read:update:self";

    /// <summary>The town's telework rules: insiders read, HR and administrators change.</summary>
    public const string SettingsPolicy = "access:work.settings:read:update:none";

    /// <summary>Training records: HR and administrators only.</summary>
    public const string TrainingPolicy = "access:work.settings:update:update:none";

    public static WebApplicationBuilder AddWorkPlaces(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WorkPlaces>();
        builder.Services.AddScoped<WorkBoard>();
        builder.Services.AddScoped<TeleworkRequests>();
        builder.Services.AddScoped<TeleworkSettingsStore>();
        builder.Services.AddScoped<Calendar.ICalendarFeedSource, WorkPlaceFeed>();
        return builder;
    }

    public static WebApplication MapWorkPlaces(this WebApplication app)
    {
        var places = app.MapGroup("/api/v1/work").WithTags("Work places").RequireAuthorization(PlacePolicy);
        places.MapGet("/places", Range);
        places.MapGet("/places/{date}", Day);
        places.MapPut("/places/{date}", Declare);
        places.MapDelete("/places/{date}", Clear);
        places.MapGet("/pattern", GetPattern);
        places.MapPut("/pattern", SetPattern);

        app.MapGet("/api/v1/work/board", Board).WithTags("Work places").RequireAuthorization(BoardPolicy);

        var requests = app.MapGroup("/api/v1/work/telework/requests").WithTags("Telework").RequireAuthorization(RequestPolicy);
        requests.MapPost("", Request);
        requests.MapGet("", Mine);
        requests.MapGet("/pending", Pending);
        requests.MapGet("/{id:guid}", GetRequest);
        requests.MapPost("/{id:guid}/approve", Approve);
        requests.MapPost("/{id:guid}/decline", Decline);
        requests.MapPost("/{id:guid}/withdraw", Withdraw);
        requests.MapPost("/{id:guid}/cancel", Cancel);

        var settings = app.MapGroup("/api/v1/work/settings").WithTags("Telework").RequireAuthorization(SettingsPolicy);
        settings.MapGet("", GetSettings);
        settings.MapPut("", SaveSettings);
        var training = app.MapGroup("/api/v1/work/telework/training").WithTags("Telework").RequireAuthorization(TrainingPolicy);
        training.MapGet("/{userId}", GetTraining);
        training.MapPut("/{userId}", RecordTraining);
        return app;
    }

    /// <summary>
    /// Asks the decision point about one person's places, with the relation the caller has to them: their own (self),
    /// a colleague of the same department, or anyone else (only HR's rule covers that).
    /// </summary>
    public static async Task<(string UserId, Error? Error)> TargetAsync(string? person, AccessAction action, AppDbContext db, CurrentUser me, AccessCheck access, CancellationToken ct)
    {
        var userId = string.IsNullOrWhiteSpace(person) ? me.Id : person.Trim();
        Relation relation;
        if (userId == me.Id)
        {
            relation = Relation.Self;
        }
        else
        {
            var department = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (int?)u.DepartmentId).FirstOrDefaultAsync(ct);
            if (department is null)
            {
                // Unknown and not-yours look the same to someone who may not see others' places.
                return (userId, await access.AllowsAsync(ResourceTypes.WorkPlace, action, null, Relation.None, ct) ? PlaceErrors.PersonUnknown : PlaceErrors.AccessDenied);
            }

            relation = me.RelationToDepartment(department.Value);
        }

        return await access.AllowsAsync(ResourceTypes.WorkPlace, action, userId, relation, ct) ? (userId, null) : (userId, PlaceErrors.AccessDenied);
    }

    public static async Task<Results<Ok<IReadOnlyList<DayPlace>>, ProblemHttpResult>> Range(string? person, DateOnly? from, DateOnly? to, WorkPlaces places,
        TownClock town, AppDbContext db, CurrentUser me, AccessCheck access, CancellationToken ct)
    {
        var (userId, error) = await TargetAsync(person, AccessAction.Read, db, me, access, ct);
        if (error is not null)
        {
            return Problems.From(error);
        }

        var start = from ?? WorkBoard.MondayOf(town.Today);
        var end = to ?? start.AddDays(6);
        if (end < start || end.DayNumber - start.DayNumber > 92)
        {
            return Problems.From(PlaceErrors.RangeInvalid);
        }

        return TypedResults.Ok(await places.PlacesAsync([userId], start, end, ct));
    }

    public static async Task<Results<Ok<DayPlace>, ProblemHttpResult>> Day(DateOnly date, string? person, WorkPlaces places, AppDbContext db, CurrentUser me,
        AccessCheck access, CancellationToken ct)
    {
        var (userId, error) = await TargetAsync(person, AccessAction.Read, db, me, access, ct);
        return error is not null ? Problems.From(error) : TypedResults.Ok(await places.PlaceOfAsync(userId, date, ct));
    }

    public static async Task<Results<Ok<DayPlace>, ProblemHttpResult>> Declare(DateOnly date, string? person, DeclareRequest request, WorkPlaces places,
        AppDbContext db, CurrentUser me, AccessCheck access, CancellationToken ct)
    {
        var (userId, error) = await TargetAsync(person, AccessAction.Update, db, me, access, ct);
        if (error is not null)
        {
            return Problems.From(error);
        }

        var result = await places.DeclareAsync(userId, date, request, me.Id, await MayWritePastAsync(userId, access, ct), ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<DayPlace>, ProblemHttpResult>> Clear(DateOnly date, string? person, WorkPlaces places, AppDbContext db, CurrentUser me,
        AccessCheck access, CancellationToken ct)
    {
        var (userId, error) = await TargetAsync(person, AccessAction.Update, db, me, access, ct);
        if (error is not null)
        {
            return Problems.From(error);
        }

        var result = await places.ClearAsync(userId, date, me.Id, await MayWritePastAsync(userId, access, ct), ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    /// <summary>Past days are closed, except to whoever the policy lets write anyone's places (HR, loading past records).</summary>
    private static async Task<bool> MayWritePastAsync(string userId, AccessCheck access, CancellationToken ct) =>
        await access.AllowsAsync(ResourceTypes.WorkPlace, AccessAction.Update, userId, Relation.None, ct);

    public static async Task<Results<Ok<PatternDto>, ProblemHttpResult>> GetPattern(string? person, WorkPlaces places, AppDbContext db, CurrentUser me,
        AccessCheck access, CancellationToken ct)
    {
        var (userId, error) = await TargetAsync(person, AccessAction.Read, db, me, access, ct);
        return error is not null ? Problems.From(error) : TypedResults.Ok(await places.PatternAsync(userId, ct));
    }

    public static async Task<Results<Ok<PatternDto>, ProblemHttpResult>> SetPattern(string? person, PatternRequest request, WorkPlaces places, AppDbContext db,
        CurrentUser me, AccessCheck access, CancellationToken ct)
    {
        var (userId, error) = await TargetAsync(person, AccessAction.Update, db, me, access, ct);
        if (error is not null)
        {
            return Problems.From(error);
        }

        var result = await places.SetPatternAsync(userId, request, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<BoardDto>, ProblemHttpResult>> Board(int? department, DateOnly? week, WorkBoard board, CurrentUser me, CancellationToken ct) =>
        await board.ForAsync(department ?? me.DepartmentId, week, ct) is { } dto ? TypedResults.Ok(dto) : Problems.From(PlaceErrors.DepartmentUnknown);

    public static async Task<Results<Created<TeleworkRequestDto>, ProblemHttpResult>> Request(NewTeleworkRequest request, TeleworkRequests requests,
        CurrentUser me, AccessCheck access, CancellationToken ct)
    {
        if (!await access.AllowsAsync(ResourceTypes.WorkTime, AccessAction.Create, me.Id, Relation.Self, ct))
        {
            return Problems.From(PlaceErrors.AccessDenied);
        }

        var result = await requests.CreateAsync(me.Id, request, ct);
        return result.Ok ? TypedResults.Created($"/api/v1/work/telework/requests/{result.Value!.Id}", result.Value) : Problems.From(result.Error!);
    }

    public static async Task<Ok<IReadOnlyList<TeleworkRequestDto>>> Mine(TeleworkRequests requests, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await requests.MineAsync(me.Id, ct));

    public static async Task<Ok<IReadOnlyList<TeleworkRequestDto>>> Pending(TeleworkRequests requests, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await requests.PendingForAsync(me.Id, ct));

    public static async Task<Results<Ok<TeleworkRequestDto>, ProblemHttpResult>> GetRequest(Guid id, TeleworkRequests requests, CancellationToken ct) =>
        Reply(await requests.GetAsync(id, ct));

    public static async Task<Results<Ok<TeleworkRequestDto>, ProblemHttpResult>> Approve(Guid id, DecisionRequest? request, TeleworkRequests requests, CancellationToken ct) =>
        Reply(await requests.DecideAsync(id, approve: true, request?.Comment, ct));

    public static async Task<Results<Ok<TeleworkRequestDto>, ProblemHttpResult>> Decline(Guid id, DecisionRequest? request, TeleworkRequests requests, CancellationToken ct) =>
        Reply(await requests.DecideAsync(id, approve: false, request?.Comment, ct));

    public static async Task<Results<Ok<TeleworkRequestDto>, ProblemHttpResult>> Withdraw(Guid id, TeleworkRequests requests, CancellationToken ct) =>
        Reply(await requests.WithdrawAsync(id, ct));

    public static async Task<Results<Ok<TeleworkRequestDto>, ProblemHttpResult>> Cancel(Guid id, TeleworkRequests requests, CancellationToken ct) =>
        Reply(await requests.CancelAsync(id, ct));

    public static async Task<Ok<TeleworkSettingsDto>> GetSettings(TeleworkSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(TeleworkSettingsStore.ToDto(await store.CurrentAsync(ct)));

    public static async Task<Results<Ok<TeleworkSettingsDto>, ProblemHttpResult>> SaveSettings(SettingsRequest request, TeleworkSettingsStore store, CurrentUser me,
        CancellationToken ct) => Reply(await store.SaveAsync(request, me.Id, ct));

    public static async Task<Ok<TrainingDto>> GetTraining(string userId, TeleworkSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.TrainingOfAsync(userId, ct));

    public static async Task<Results<Ok<TrainingDto>, ProblemHttpResult>> RecordTraining(string userId, TrainingRequest request, TeleworkSettingsStore store,
        CurrentUser me, CancellationToken ct) => Reply(await store.RecordTrainingAsync(userId, request.CompletedOn, me.Id, ct));

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) => result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
}
