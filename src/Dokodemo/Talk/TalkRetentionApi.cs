using Dokodemo.Domain.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Talk;

/// <summary>
/// /api/v1/talk/channels/{id}/retention (GET, PUT) and /api/v1/talk/channels/{id}/export (POST → ZIP). Behind the Talk
/// group's gate; the decision per channel is <see cref="TalkRecordsAccess"/>.
/// </summary>
public static class TalkRetentionApi
{
    public static WebApplication MapTalkRetentionApi(this WebApplication app)
    {
        var talk = app.MapGroup("/api/v1/talk").WithTags("Talk").RequireAuthorization(TalkApi.Policy);
        talk.MapGet("/channels/{id:int}/retention", Get);
        talk.MapPut("/channels/{id:int}/retention", Put);
        talk.MapPost("/channels/{id:int}/export", Export);
        return app;
    }

    public static async Task<Results<Ok<RetentionDto>, ProblemHttpResult>> Get(int id, TalkRecordsAccess access, TalkRetention retention, CancellationToken ct)
    {
        var v = await access.ViewAsync(id, ct);
        if (!v.Ok)
        {
            return TalkApi.Problem(v.Error!);
        }

        var (channel, mayChange, mayHold) = v.Value;
        return TypedResults.Ok(await retention.GetAsync(channel, mayChange, mayHold, ct));
    }

    public static async Task<Results<Ok<RetentionDto>, ProblemHttpResult>> Put(int id, RetentionRequest request, TalkRecordsAccess access, TalkRetention retention,
        CancellationToken ct)
    {
        var g = await access.GrantAsync(id, AccessAction.Update, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        var r = await retention.SetAsync(g.Value!, access.UserId, request, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }

    /// <summary>The ZIP for a records request; <c>from</c>/<c>to</c> (yyyy-MM-dd, inclusive) from the query, or from a form post (the page's button).</summary>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Export(int id, HttpRequest http, TalkRecordsAccess access, TalkExport export,
        CancellationToken ct)
    {
        string? from = http.Query["from"], to = http.Query["to"];
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(ct);
            from = string.IsNullOrEmpty(from) ? form["from"].ToString() : from;
            to = string.IsNullOrEmpty(to) ? form["to"].ToString() : to;
        }

        var g = await access.GrantAsync(id, AccessAction.Export, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        var r = await export.ExportAsync(g.Value!, access.UserId, from, to, ct);
        return r.Ok ? TypedResults.File(r.Value!.Content, "application/zip", r.Value.FileName) : TalkApi.Problem(r.Error!);
    }
}
