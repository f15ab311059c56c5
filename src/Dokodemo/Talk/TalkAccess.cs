using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>What the caller may do in one channel, decided once per request by <see cref="TalkAccess"/>.</summary>
/// <param name="CallerName">The caller's display name as stored now (read with the channel: a post's answer shows it
/// without another query, and a rename is seen at once, unlike the name in the session's claims).</param>
public sealed record ChannelGrant(TalkChannel Channel, TalkMember? Membership, bool CanPost, bool CanModerate, string? CallerName = null)
{
    public bool IsMember => Membership is not null;
    public bool IsOwner => Membership?.Role == MemberRole.Owner;
    public int Id => Channel.Id;
}

/// <summary>
/// The one object-level check of Talk: it combines the access policy's decision (told the channel's relation to the
/// caller — member or not — and, through the label, its classification) with the channel's own facts (kind, visibility,
/// archived). Every page and endpoint asks it before touching a channel or its messages.
/// <list type="bullet">
/// <item>Invisible channels answer 404 (their existence is not told): a private channel the caller is not in, any
/// channel a side-job worker or partner is not in, and every department channel for them.</item>
/// <item>Reading: members (policy, relation member) and, for public project/topic channels, insiders (policy, relation none,
/// up to 機密性2).</item>
/// <item>Posting: members only, not in an archived channel.</item>
/// <item>Moderating (deleting others' messages, seeing deletion traces): managers and administrators (policy action
/// Administer) in channels they can read.</item>
/// </list>
/// </summary>
public sealed class TalkAccess(AppDbContext db, AccessCheck access, CurrentUser me, TalkGrantReader reader)
{
    private sealed record Row(TalkChannel Channel, TalkMember? Membership, string? CallerName);

    // Every request on a channel starts here (each post, P4): one statement, compiled once, for the channel, the caller's
    // row in it and the caller's current display name.
    private static readonly Func<AppDbContext, int, string, Task<Row?>> ChannelAndMembership = EF.CompileAsyncQuery(
        (AppDbContext db, int channelId, string userId) =>
            (from c in db.TalkChannels.AsNoTracking()
             where c.Id == channelId
             join m in db.TalkMembers.AsNoTracking().Where(m => m.UserId == userId) on c.Id equals m.ChannelId into ms
             from m in ms.DefaultIfEmpty()
             select new Row(c, m, db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefault())).FirstOrDefault());

    public string UserId => me.Id;
    public bool IsOutsider => AccountKinds.IsOutsider(me.Kind);

    /// <summary>The channel as the caller may see it, or the error to answer (404 invisible, 403 refused by the policy).</summary>
    public async Task<Result<ChannelGrant>> ChannelAsync(int channelId, CancellationToken ct)
    {
        var row = await RowAsync(channelId);
        if (row is null)
        {
            return TalkErrors.ChannelNotFound;
        }

        var (channel, membership) = (row.Channel, row.Membership);
        var id = channelId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (membership is null)
        {
            if (IsOutsider || !IsBrowsable(channel))
            {
                return TalkErrors.ChannelNotFound;
            }

            if (!await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Read, id, Relation.None, ct))
            {
                return TalkErrors.AccessDenied;
            }

            return new ChannelGrant(channel, null, CanPost: false, await ModeratesAsync(id, Relation.None, ct), row.CallerName);
        }

        // Outsiders never belong to department channels; a row that says otherwise (hand-made) is not honoured.
        if (IsOutsider && channel.Kind == ChannelKind.Department)
        {
            return TalkErrors.ChannelNotFound;
        }

        if (!await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Read, id, Relation.Member, ct))
        {
            return TalkErrors.AccessDenied;
        }

        var canPost = !channel.Archived && await access.AllowsAsync(ResourceTypes.TalkMessage, AccessAction.Create, id, Relation.Member, ct);
        return new ChannelGrant(channel, membership, canPost, await ModeratesAsync(id, Relation.Member, ct), row.CallerName);
    }

    /// <summary>
    /// The row: through <see cref="TalkGrantReader"/> (SQLite: its prepared statement; PostgreSQL: its multiplexing data
    /// source), unless the context is inside a transaction (its own uncommitted changes must count) or, on SQLite, no reader
    /// connection is free; otherwise the compiled query.
    /// </summary>
    private async Task<Row?> RowAsync(int channelId)
    {
        if (db.Database.CurrentTransaction is null && db.Database.GetConnectionString() is { } cs)
        {
            var (found, channel, membership, name) = db.IsPostgres
                ? await reader.ReadPostgresAsync(cs, channelId, me.Id, CancellationToken.None)
                : reader.Read(cs, channelId, me.Id);
            if (found)
            {
                return channel is null ? null : new Row(channel, membership, name);
            }
        }

        return await ChannelAndMembership(db, channelId, me.Id);
    }

    /// <summary>Whether a channel is offered to insiders who are not in it (browse, read, join).</summary>
    public static bool IsBrowsable(TalkChannel c) =>
        c.Visibility == ChannelVisibility.Public && c.Kind is ChannelKind.Project or ChannelKind.Topic;

    /// <summary>May the caller browse the town's public channels at all (insiders; the policy decides)?</summary>
    public async Task<bool> MayBrowseAsync(CancellationToken ct) =>
        !IsOutsider && await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Read, null, Relation.None, ct);

    /// <summary>May the caller create channels, direct and group messages (insiders; the policy decides)?</summary>
    public async Task<bool> MayCreateAsync(CancellationToken ct) =>
        !IsOutsider && await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Create, null, Relation.None, ct);

    /// <summary>Can the caller edit (own) or delete (own, or as moderator) messages in the channel?</summary>
    public async Task<bool> MayWriteMessageAsync(ChannelGrant g, AccessAction action, CancellationToken ct) =>
        g.IsMember && await access.AllowsAsync(ResourceTypes.TalkMessage, action, Id(g.Id), Relation.Member, ct);

    /// <summary>
    /// Moderation is asked of the policy only for managers and administrators (the roles the default rule names): asking
    /// for everyone would write an access denial to the audit log each time anyone opened a channel.
    /// </summary>
    private async Task<bool> ModeratesAsync(string id, Relation relation, CancellationToken ct) =>
        (me.IsInRole(Roles.Manager) || me.IsInRole(Roles.Admin))
        && await access.AllowsAsync(ResourceTypes.TalkMessage, AccessAction.Administer, id, relation, ct);

    /// <summary>The object id of a channel in access checks and labels.</summary>
    public static string Id(int channelId) => channelId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
