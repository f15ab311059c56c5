using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Live;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>The types of Talk's live events (on the person's SSE stream, <c>GET /api/v1/talk/stream</c>).</summary>
public static class TalkEvents
{
    public const string MessageNew = "message.new";
    public const string MessageEdit = "message.edit";
    public const string MessageDelete = "message.delete";
    public const string Reaction = "reaction";
    public const string Pin = "pin";

    /// <summary>A user event: the person's read marker moved (their other tabs and devices update the unread count).</summary>
    public const string Read = "read";
}

/// <summary>
/// A Talk event's payload: ids only. A client fetches the message through the API or the page, where the access check
/// decides again; the stream never carries a message's text.
/// </summary>
public sealed record TalkEvent(int Channel, long Id, long? Thread);

/// <summary>Talk's side of the live stream: who hears a channel, and the event that tells a person their channels changed.</summary>
public static class TalkLive
{
    /// <summary>Stages a user event for each person whose channel list changed, so their open streams ask the audience again.</summary>
    public static void AudienceChanged(AppDbContext db, int channelId, params IEnumerable<string> userIds)
    {
        foreach (var user in userIds.Distinct(StringComparer.Ordinal))
        {
            LiveEvents.ToUser(db, user, LiveEvents.AudienceChanged, new { channel = channelId });
        }
    }
}

/// <summary>
/// The channels whose events a person's stream carries: the channels they are a member of that the access policy lets
/// them read as a member (the same decision as <see cref="TalkAccess"/>), never a department channel for a side-job worker
/// or partner. Asked by the stream in its own request, when it opens, at each re-check and when the person's channels
/// change.
/// </summary>
public sealed class TalkAudience(AppDbContext db, AccessCheck access, CurrentUser me) : ILiveAudience
{
    // Compiled once: every open stream asks again at each recheck (P3: 10,000 streams every 30 s).
    private static readonly Func<AppDbContext, string, bool, IAsyncEnumerable<int>> MemberChannels = EF.CompileAsyncQuery(
        (AppDbContext db, string userId, bool outsider) =>
            from m in db.TalkMembers.AsNoTracking()
            join c in db.TalkChannels.AsNoTracking() on m.ChannelId equals c.Id
            where m.UserId == userId && !(outsider && c.Kind == ChannelKind.Department)
            select c.Id);

    public async ValueTask<IReadOnlySet<long>> ChannelsOfAsync(string userId, CancellationToken ct)
    {
        // The access check decides for the request's own person; a stream only ever asks for its own.
        if (userId != me.Id)
        {
            return new HashSet<long>();
        }

        var outsider = AccountKinds.IsOutsider(me.Kind);
        var channels = await MemberChannels(db, userId, outsider).ToListAsync(ct);
        var allowed = new HashSet<long>();
        foreach (var id in channels)
        {
            if (await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Read, TalkAccess.Id(id), Relation.Member, ct))
            {
                allowed.Add(id);
            }
        }

        return allowed;
    }
}
