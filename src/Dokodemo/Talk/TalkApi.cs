using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Talk;

/// <summary>/api/v1/talk/…: channels, membership, messages, threads, reactions, pins and read markers.</summary>
public static class TalkApi
{
    /// <summary>
    /// The group's gate: "the caller may use Talk for what they are a member of" — every person with a live contract,
    /// side-job workers and partners included. Each handler then asks <see cref="TalkAccess"/> about the one channel, with
    /// the real relation (member or not) and the channel's classification.
    /// </summary>
    public const string Policy = "access:talk.channel:read:read:member";

    public static WebApplication MapTalkApi(this WebApplication app)
    {
        var talk = app.MapGroup("/api/v1/talk").WithTags("Talk").RequireAuthorization(Policy);
        talk.MapGet("/channels", Mine);
        talk.MapGet("/channels/browse", Browse);
        talk.MapPost("/channels", Create);
        talk.MapGet("/channels/{id:int}", Get);
        talk.MapPost("/channels/{id:int}/join", Join);
        talk.MapPost("/channels/{id:int}/leave", Leave);
        talk.MapPost("/channels/{id:int}/archive", Archive);
        talk.MapGet("/channels/{id:int}/members", Members);
        talk.MapPost("/channels/{id:int}/members", AddMember);
        talk.MapDelete("/channels/{id:int}/members/{userId}", RemoveMember);
        talk.MapPost("/direct", Direct);
        talk.MapPost("/groups", Group);
        talk.MapGet("/channels/{id:int}/messages", Messages);
        talk.MapPost("/channels/{id:int}/messages", Post);
        talk.MapGet("/channels/{id:int}/messages/{messageId:long}", Message);
        talk.MapPut("/channels/{id:int}/messages/{messageId:long}", Edit);
        talk.MapDelete("/channels/{id:int}/messages/{messageId:long}", Delete);
        talk.MapGet("/channels/{id:int}/messages/{messageId:long}/thread", Thread);
        talk.MapGet("/channels/{id:int}/messages/{messageId:long}/revisions", Revisions);
        talk.MapPost("/channels/{id:int}/messages/{messageId:long}/reactions", React);
        talk.MapDelete("/channels/{id:int}/messages/{messageId:long}/reactions", Unreact);
        talk.MapPost("/channels/{id:int}/messages/{messageId:long}/pin", Pin);
        talk.MapDelete("/channels/{id:int}/messages/{messageId:long}/pin", Unpin);
        talk.MapGet("/channels/{id:int}/pins", Pins);
        talk.MapPost("/channels/{id:int}/read", Read);
        return app;
    }

    /// <summary>A Talk refusal as ProblemDetails; a refused mention names the people in the sentence too.</summary>
    public static ProblemHttpResult Problem(Error error)
    {
        var problem = Problems.Create(error.Code, error.Status, error.Details);
        if (error.Details?.GetValueOrDefault("names") is IReadOnlyList<string> { Count: > 0 } names)
        {
            problem.Detail = $"{problem.Detail} ({string.Join("、", names)})";
        }

        return TypedResults.Problem(problem);
    }

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> r) => r.Ok ? TypedResults.Ok(r.Value!) : Problem(r.Error!);

    private static Results<NoContent, ProblemHttpResult> Done(Error? e) => e is null ? TypedResults.NoContent() : Problem(e);

    public static async Task<Ok<IReadOnlyList<ChannelSummary>>> Mine(TalkChannels channels, TalkAccess access, CancellationToken ct) =>
        TypedResults.Ok(await channels.MineAsync(access.UserId, access.IsOutsider, ct));

    public static async Task<Results<Ok<IReadOnlyList<ChannelSummary>>, ProblemHttpResult>> Browse(TalkChannels channels, TalkAccess access, CancellationToken ct) =>
        await access.MayBrowseAsync(ct) ? TypedResults.Ok(await channels.BrowseAsync(access.UserId, ct)) : Problem(TalkErrors.AccessDenied);

    public static async Task<Results<Created<ChannelSummary>, ProblemHttpResult>> Create(CreateChannelRequest request, TalkChannels channels, TalkAccess access,
        CancellationToken ct)
    {
        if (!await access.MayCreateAsync(ct))
        {
            return Problem(TalkErrors.AccessDenied);
        }

        var r = await channels.CreateAsync(access.UserId, request, ct);
        return r.Ok ? TypedResults.Created($"/api/v1/talk/channels/{r.Value!.Id}", r.Value) : Problem(r.Error!);
    }

    public static async Task<Results<Ok<ChannelSummary>, ProblemHttpResult>> Get(int id, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? TypedResults.Ok(await channels.SummaryAsync(g.Value!, access.UserId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Join(int id, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await channels.JoinAsync(g.Value!, access.UserId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Leave(int id, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await channels.LeaveAsync(g.Value!, access.UserId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Archive(int id, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await channels.ArchiveAsync(g.Value!, access.UserId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<Ok<IReadOnlyList<MemberDto>>, ProblemHttpResult>> Members(int id, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? TypedResults.Ok(await channels.MembersAsync(id, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> AddMember(int id, PersonRequest request, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await channels.AddMemberAsync(g.Value!, access.UserId, request.UserId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(int id, string userId, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await channels.RemoveMemberAsync(g.Value!, access.UserId, userId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<Ok<ChannelSummary>, ProblemHttpResult>> Direct(PersonRequest request, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        if (!await access.MayCreateAsync(ct))
        {
            return Problem(TalkErrors.AccessDenied);
        }

        var r = await channels.DirectAsync(access.UserId, request.UserId, ct);
        return r.Ok ? await GetOk(r.Value, channels, access, ct) : Problem(r.Error!);
    }

    public static async Task<Results<Ok<ChannelSummary>, ProblemHttpResult>> Group(GroupRequest request, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        if (!await access.MayCreateAsync(ct))
        {
            return Problem(TalkErrors.AccessDenied);
        }

        var r = await channels.GroupAsync(access.UserId, request, ct);
        return r.Ok ? await GetOk(r.Value, channels, access, ct) : Problem(r.Error!);
    }

    private static async Task<Results<Ok<ChannelSummary>, ProblemHttpResult>> GetOk(int id, TalkChannels channels, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? TypedResults.Ok(await channels.SummaryAsync(g.Value!, access.UserId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<Ok<IReadOnlyList<MessageDto>>, ProblemHttpResult>> Messages(int id, long? before, long? after, int? limit, TalkMessages messages,
        TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? TypedResults.Ok(await messages.ListAsync(g.Value!, access.UserId, before, after, limit, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<Created<MessageDto>, Created<ScheduledDto>, ProblemHttpResult>> Post(int id, PostRequest request, TalkMessages messages,
        TalkAccess access, TalkSchedule schedule, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return Problem(g.Error!);
        }

        // Scheduled send (予約送信): kept out of sight until its time (TalkSchedule).
        if (request.ScheduledFor is not null)
        {
            return await TalkInboxApi.ScheduleAsync(g.Value!, request, schedule, access.UserId, ct);
        }

        var r = await messages.PostAsync(g.Value!, access.UserId, request, ct);
        return r.Ok ? TypedResults.Created($"/api/v1/talk/channels/{id}/messages/{r.Value!.Id}", r.Value) : Problem(r.Error!);
    }

    public static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> Message(int id, long messageId, TalkMessages messages, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Reply(await messages.GetAsync(g.Value!, access.UserId, messageId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> Edit(int id, long messageId, EditRequest request, TalkMessages messages, TalkAccess access,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return Problem(g.Error!);
        }

        if (!await access.MayWriteMessageAsync(g.Value!, Domain.Access.AccessAction.Update, ct))
        {
            return Problem(TalkErrors.NotAuthor);
        }

        return Reply(await messages.EditAsync(g.Value!, access.UserId, messageId, request, ct));
    }

    public static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> Delete(int id, long messageId, string? reason, TalkMessages messages, TalkAccess access,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        if (!g.Ok)
        {
            return Problem(g.Error!);
        }

        var own = await access.MayWriteMessageAsync(g.Value!, Domain.Access.AccessAction.Delete, ct);
        return Reply(await messages.DeleteAsync(g.Value!, access.UserId, own, messageId, reason, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<MessageDto>>, ProblemHttpResult>> Thread(int id, long messageId, TalkMessages messages, TalkAccess access,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Reply(await messages.ThreadAsync(g.Value!, access.UserId, messageId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<Ok<IReadOnlyList<RevisionDto>>, ProblemHttpResult>> Revisions(int id, long messageId, TalkMessages messages, TalkAccess access,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Reply(await messages.RevisionsAsync(g.Value!, messageId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> React(int id, long messageId, ReactRequest request, TalkMessages messages, TalkAccess access,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await messages.ReactAsync(g.Value!, access.UserId, messageId, request.Emoji, add: true, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unreact(int id, long messageId, string? emoji, TalkMessages messages, TalkAccess access,
        CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await messages.ReactAsync(g.Value!, access.UserId, messageId, emoji, add: false, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Pin(int id, long messageId, TalkMessages messages, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await messages.PinAsync(g.Value!, access.UserId, messageId, pin: true, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unpin(int id, long messageId, TalkMessages messages, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Done(await messages.PinAsync(g.Value!, access.UserId, messageId, pin: false, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<Ok<IReadOnlyList<MessageDto>>, ProblemHttpResult>> Pins(int id, TalkMessages messages, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? TypedResults.Ok(await messages.PinsAsync(g.Value!, access.UserId, ct)) : Problem(g.Error!);
    }

    public static async Task<Results<Ok<ReadMarker>, ProblemHttpResult>> Read(int id, ReadRequest request, TalkMessages messages, TalkAccess access, CancellationToken ct)
    {
        var g = await access.ChannelAsync(id, ct);
        return g.Ok ? Reply(await messages.MarkReadAsync(g.Value!, access.UserId, request.MessageId, ct)) : Problem(g.Error!);
    }
}
