using Dokodemo.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Talk;

/// <summary>
/// /api/v1/talk/inbox, /scheduled and /preferences: the caller's own inbox, scheduled messages and preferences. Every
/// query is scoped to the caller; the group has Talk's gate (<see cref="TalkApi.Policy"/>) and the inbox asks the access
/// check per channel.
/// </summary>
public static class TalkInboxApi
{
    public static WebApplication MapTalkInboxApi(this WebApplication app)
    {
        var talk = app.MapGroup("/api/v1/talk").WithTags("Talk").RequireAuthorization(TalkApi.Policy);
        talk.MapGet("/inbox", Inbox);
        talk.MapPost("/inbox/{messageId:long}/done", Done);
        talk.MapPost("/inbox/done", AllDone);
        talk.MapGet("/scheduled", Scheduled);
        talk.MapPut("/scheduled/{id:long}", EditScheduled);
        talk.MapDelete("/scheduled/{id:long}", CancelScheduled);
        talk.MapGet("/preferences", Preferences);
        talk.MapPut("/preferences", SavePreferences);
        return app;
    }

    public static async Task<Ok<InboxDto>> Inbox(TalkInbox inbox, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await inbox.MineAsync(me.Id, me.Kind, ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> Done(long messageId, TalkInbox inbox, CurrentUser me, CancellationToken ct) =>
        await inbox.DoneAsync(me.Id, me.Kind, messageId, ct) is { } e ? TalkApi.Problem(e) : TypedResults.NoContent();

    public static async Task<Ok<InboxDone>> AllDone(TalkInbox inbox, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(new InboxDone(await inbox.AllDoneAsync(me.Id, me.Kind, ct)));

    public static async Task<Ok<IReadOnlyList<ScheduledDto>>> Scheduled(int? channelId, TalkSchedule schedule, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await schedule.MineAsync(me.Id, channelId, ct));

    public static async Task<Results<Ok<ScheduledDto>, ProblemHttpResult>> EditScheduled(long id, ScheduleEditRequest request, TalkSchedule schedule, TalkAccess access,
        CancellationToken ct)
    {
        if (await schedule.FindAsync(access.UserId, id, ct) is not { } row)
        {
            return TalkApi.Problem(TalkScheduleErrors.NotFound);
        }

        var g = await access.ChannelAsync(row.ChannelId, ct);
        if (!g.Ok)
        {
            return TalkApi.Problem(g.Error!);
        }

        var r = await schedule.EditAsync(g.Value!, access.UserId, id, request, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> CancelScheduled(long id, TalkSchedule schedule, CurrentUser me, CancellationToken ct) =>
        await schedule.CancelAsync(me.Id, id, ct) is { } e ? TalkApi.Problem(e) : TypedResults.NoContent();

    public static async Task<Ok<TalkPreferencesDto>> Preferences(TalkInbox inbox, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await inbox.PreferencesAsync(me.Id, ct));

    public static async Task<Results<Ok<TalkPreferencesDto>, ProblemHttpResult>> SavePreferences(TalkPreferencesRequest request, TalkInbox inbox, CurrentUser me,
        CancellationToken ct)
    {
        var r = await inbox.SavePreferencesAsync(me.Id, request, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }

    /// <summary>Posting with <c>scheduledFor</c>: the message is scheduled instead (the hook in <see cref="TalkApi"/>'s post).</summary>
    public static async Task<Results<Created<MessageDto>, Created<ScheduledDto>, ProblemHttpResult>> ScheduleAsync(ChannelGrant g, PostRequest request,
        TalkSchedule schedule, string userId, CancellationToken ct)
    {
        var r = await schedule.ScheduleAsync(g, userId, request, request.ScheduledFor!.Value, ct);
        return r.Ok ? TypedResults.Created($"/api/v1/talk/scheduled/{r.Value!.Id}", r.Value) : TalkApi.Problem(r.Error!);
    }
}

public sealed record InboxDone(int Marked);
