using Dokodemo.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Talk;

/// <summary>
/// Notices, acknowledgements, reminders and read receipts under <c>/api/v1/talk</c> (same gate as <see cref="TalkApi"/>;
/// each handler asks <see cref="TalkAccess"/> for the channel, then <see cref="TalkNotices"/> decides who may see what).
/// </summary>
public static class TalkNoticesApi
{
    public static WebApplication MapTalkNoticesApi(this WebApplication app)
    {
        var talk = app.MapGroup("/api/v1/talk").WithTags("Talk").RequireAuthorization(TalkApi.Policy);
        talk.MapPost("/channels/{id:int}/messages/{messageId:long}/ack", Ack);
        talk.MapGet("/channels/{id:int}/messages/{messageId:long}/acks", Acks);
        talk.MapGet("/channels/{id:int}/messages/{messageId:long}/acks.csv", AcksCsv);
        talk.MapPost("/channels/{id:int}/messages/{messageId:long}/remind", Remind);
        talk.MapGet("/channels/{id:int}/messages/{messageId:long}/readers", Readers);
        talk.MapPut("/channels/{id:int}/read-receipts", ChannelReceipts);
        talk.MapGet("/notices", Notices);
        return app.MapTalkSettingsApi();
    }

    public static async Task<Results<Ok<AckResult>, ProblemHttpResult>> Ack(int id, long messageId, TalkNotices notices, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        var r = await notices.AckAsync(g.Value!, access.UserId, messageId, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }

    public static async Task<Results<Ok<NoticeAcks>, ProblemHttpResult>> Acks(int id, long messageId, TalkNotices notices, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        var r = await notices.AcksAsync(g.Value!, access.UserId, messageId, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> AcksCsv(int id, long messageId, TalkNotices notices, TalkAccess access, TownClock town,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        var r = await notices.AcksAsync(g.Value!, access.UserId, messageId, ct);
        if (!r.Ok)
        {
            return TalkApi.Problem(r.Error!);
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(TalkNotices.Csv(r.Value!, town));
        return TypedResults.File(bytes, "text/csv; charset=utf-8", $"notice-{messageId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.csv");
    }

    public static async Task<Results<Ok<RemindResult>, ProblemHttpResult>> Remind(int id, long messageId, TalkNotices notices, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        var r = await notices.RemindAsync(g.Value!, access.UserId, messageId, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }

    public static async Task<Results<Ok<ReadersDto>, ProblemHttpResult>> Readers(int id, long messageId, TalkNotices notices, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        var r = await notices.ReadersAsync(g.Value!, access.UserId, messageId, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChannelReceipts(int id, ChannelReceiptsRequest request, TalkSettingsStore settings, TalkAccess access,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        return await settings.SetChannelAsync(g.Value!, access.UserId, request.Enabled, ct) is { } e ? TalkApi.Problem(e) : TypedResults.NoContent();
    }

    /// <summary>Notices in my channels; <c>pending=true</c> (the default): only those I have not acknowledged.</summary>
    public static async Task<Ok<IReadOnlyList<NoticeSummary>>> Notices(bool? pending, TalkNotices notices, TalkAccess access, CancellationToken ct) =>
        TypedResults.Ok(await notices.NoticesAsync(access.UserId, pending ?? true, ct));
}
