using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Access;

public sealed record EndedResponse(int Ended);

/// <summary>A person's own sessions (list, end one, end all others) and an administrator's "end all of this person's sessions".</summary>
public static class SessionsApi
{
    public static void MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/v1/me/sessions").WithTags("Sessions").RequireAuthorization(Policies.Self);
        mine.MapGet("", List);
        mine.MapDelete("/{id:guid}", EndOne);
        mine.MapPost("/end-others", EndOthers);
        app.MapPost("/api/v1/users/{id}/sessions/end", EndAllOfPerson).WithTags("Sessions").RequireAuthorization(Policies.Admin);
    }

    public static async Task<Ok<IReadOnlyList<Sessions.SessionDto>>> List(CurrentUser me, Sessions sessions, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await sessions.ListAsync(me.Id, Sessions.CurrentId(http), ct));

    // Someone else's session id answers exactly like an unknown one.
    public static async Task<Results<NoContent, ProblemHttpResult>> EndOne(Guid id, CurrentUser me, Sessions sessions, CancellationToken ct) =>
        await sessions.EndOwnAsync(me.Id, id, ct) ? TypedResults.NoContent() : Problems.From(Errors.NotFound);

    public static async Task<Ok<EndedResponse>> EndOthers(CurrentUser me, Sessions sessions, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(new EndedResponse(await sessions.EndOthersAsync(me.Id, Sessions.CurrentId(http), ct)));

    public static async Task<Results<Ok<EndedResponse>, ProblemHttpResult>> EndAllOfPerson(string id, CurrentUser me, AppUserManager users, Sessions sessions, CancellationToken ct) =>
        await users.FindByIdAsync(id) is null
            ? Problems.From(Errors.NotFound)
            : TypedResults.Ok(new EndedResponse(await sessions.EndAllForAdminAsync(me.Id, id, ct)));
}
