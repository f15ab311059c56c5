using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Talk;

/// <summary>GET /api/v1/talk/search — Talk's search (see <see cref="TalkSearch"/>), behind Talk's gate; the channels are decided per caller.</summary>
public static class TalkSearchApi
{
    public static WebApplication MapTalkSearchApi(this WebApplication app)
    {
        app.MapGet("/api/v1/talk/search", Search).WithTags("Talk").RequireAuthorization(TalkApi.Policy);
        return app;
    }

    public static async Task<Results<Ok<SearchPage>, ProblemHttpResult>> Search(TalkSearch search, string? q, int? channel, string? person, DateOnly? from,
        DateOnly? to, long? before, int? limit, CancellationToken ct)
    {
        var r = await search.SearchAsync(new SearchRequest(q, channel, person, from, to, before, limit), ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }
}
