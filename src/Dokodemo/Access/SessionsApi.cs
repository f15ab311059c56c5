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
        var mine = app.MapGroup("/api/v1/me/sessions").WithTags("Sessions");
        mine.MapGet("", List);
        mine.MapDelete("/{id:guid}", EndOne);
        mine.MapPost("/end-others", EndOthers);
        app.MapPost("/api/v1/users/{id}/sessions/end", EndAllOfPerson).WithTags("Sessions").RequireAuthorization(Policies.Admin);
    }

    public static async Task<Ok<IReadOnlyList<Sessions.SessionDto>>> List(CurrentUser me, Sessions sessions, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await sessions.ListAsync(me.Id, Sessions.CurrentId(http), ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> EndOne(Guid id, CurrentUser me, Sessions sessions, AuditLog audit, CancellationToken ct)
    {
        // Someone else's session id answers exactly like an unknown one.
        if (!await sessions.EndOneAsync(me.Id, id, ct))
        {
            return Problems.From(Errors.NotFound);
        }

        await audit.WriteAsync("session.ended", AuditOutcome.Success, actorId: me.Id, subjectId: me.Id, details: new Dictionary<string, string?> { ["scope"] = "one" }, ct: ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<EndedResponse>> EndOthers(CurrentUser me, Sessions sessions, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var ended = await sessions.EndAllAsync(me.Id, ct, except: Sessions.CurrentId(http));
        await audit.WriteAsync("session.ended", AuditOutcome.Success, actorId: me.Id, subjectId: me.Id, details: new Dictionary<string, string?> { ["scope"] = "others" }, ct: ct);
        return TypedResults.Ok(new EndedResponse(ended));
    }

    public static async Task<Results<Ok<EndedResponse>, ProblemHttpResult>> EndAllOfPerson(string id, CurrentUser me, AppUserManager users, Sessions sessions, AuditLog audit, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is null)
        {
            return Problems.From(Errors.NotFound);
        }

        var ended = await sessions.EndAllAsync(id, ct);
        await audit.WriteAsync("session.ended", AuditOutcome.Success, actorId: me.Id, subjectId: id, details: new Dictionary<string, string?> { ["scope"] = "all", ["by"] = "admin" }, ct: ct);
        return TypedResults.Ok(new EndedResponse(ended));
    }
}
