using System.Text.RegularExpressions;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Live;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>
/// Every write of a message and of what hangs on it (posts and replies, edits with their history, deletion traces,
/// reactions, pins, read markers) goes through this one class; a new message is inserted only by <see cref="InsertAsync"/>.
/// The caller has already asked <see cref="TalkAccess"/> for the channel's <see cref="ChannelGrant"/>.
/// Each write stages its live event (<see cref="TalkLive"/>) on the same context, saved with the change.
/// </summary>
public sealed partial class TalkMessages(AppDbContext db, TimeProvider clock, AuditLog audit, TalkMessageWriter writer, CurrentUser me)
{
    public const int MaxPage = 100;

    /// <summary>The names people write after @: at least one character that is not a space or punctuation.</summary>
    [GeneratedRegex(@"(?<![\w@.])@([^\s@,、。，．!?！？()（）「」『』\[\]<>:;""']+)", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    /// <summary>A channel's messages (not thread replies), newest first; <paramref name="before"/> pages back, <paramref name="after"/> forward.</summary>
    public Task<IReadOnlyList<MessageDto>> ListAsync(ChannelGrant g, string viewerId, long? before, long? after, int? limit, CancellationToken ct) =>
        PageAsync(g, viewerId, db.TalkMessages.Where(m => m.ChannelId == g.Id && m.ThreadRootId == null), before, after, limit, ct);

    /// <summary>A thread: its first message and the replies, oldest first.</summary>
    public async Task<Result<IReadOnlyList<MessageDto>>> ThreadAsync(ChannelGrant g, string viewerId, long rootId, CancellationToken ct)
    {
        if (!await db.TalkMessages.AnyAsync(m => m.Id == rootId && m.ChannelId == g.Id && m.ThreadRootId == null, ct))
        {
            return TalkErrors.MessageNotFound;
        }

        var rows = await db.TalkMessages.AsNoTracking().Where(m => m.Id == rootId || m.ThreadRootId == rootId).OrderBy(m => m.Id).Take(1000).ToListAsync(ct);
        return (await ShapeAsync(g, viewerId, rows, ct)).ToList();
    }

    public async Task<Result<MessageDto>> GetAsync(ChannelGrant g, string viewerId, long id, CancellationToken ct)
    {
        var row = await db.TalkMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.ChannelId == g.Id, ct);
        return row is null ? TalkErrors.MessageNotFound : (await ShapeAsync(g, viewerId, [row], ct))[0];
    }

    private async Task<IReadOnlyList<MessageDto>> PageAsync(ChannelGrant g, string viewerId, IQueryable<TalkMessage> query, long? before, long? after, int? limit,
        CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? TalkLimits.PageSize, 1, MaxPage);
        List<TalkMessage> rows;
        if (after is { } a)
        {
            rows = await query.AsNoTracking().Where(m => m.Id > a).OrderBy(m => m.Id).Take(take).ToListAsync(ct);
            rows.Reverse();
        }
        else
        {
            if (before is { } b)
            {
                query = query.Where(m => m.Id < b);
            }

            rows = await query.AsNoTracking().OrderByDescending(m => m.Id).Take(take).ToListAsync(ct);
        }

        return await ShapeAsync(g, viewerId, rows, ct);
    }

    /// <summary>Rows to what the viewer may see: tombstones for deleted messages (the removed text and its trace for moderators only).</summary>
    private async Task<IReadOnlyList<MessageDto>> ShapeAsync(ChannelGrant g, string viewerId, List<TalkMessage> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToList();
        var people = rows.Select(r => r.AuthorId).Concat(rows.Where(r => r.DeletedById is not null).Select(r => r.DeletedById!)).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var reactions = await db.TalkReactions.AsNoTracking().Where(r => ids.Contains(r.MessageId))
            .GroupBy(r => new { r.MessageId, r.Emoji })
            .Select(x => new { x.Key.MessageId, x.Key.Emoji, Count = x.Count(), Mine = x.Any(r => r.UserId == viewerId) }).ToListAsync(ct);
        var replies = await db.TalkMessages.AsNoTracking().Where(m => m.ThreadRootId != null && ids.Contains(m.ThreadRootId.Value) && m.DeletedAt == null)
            .GroupBy(m => m.ThreadRootId!.Value).Select(x => new { Root = x.Key, Count = x.Count() }).ToDictionaryAsync(x => x.Root, x => x.Count, ct);
        var pins = (await db.TalkPins.AsNoTracking().Where(p => ids.Contains(p.MessageId)).Select(p => p.MessageId).ToListAsync(ct)).ToHashSet();
        IReadOnlyList<MessageDto> shaped =
        [
            .. rows.Select(m =>
            {
                var deleted = m.DeletedAt is not null;
                var showBody = !deleted || g.CanModerate;
                return new MessageDto(m.Id, m.ChannelId, m.AuthorId, names.GetValueOrDefault(m.AuthorId, ""), m.ThreadRootId,
                    showBody ? m.Body : null, showBody ? TalkMarkdown.ToHtml(m.Body) : "", m.CreatedAt, m.EditedAt, deleted,
                    m.DeletedAt, g.CanModerate ? m.DeletedById : null, g.CanModerate && m.DeletedById is not null ? names.GetValueOrDefault(m.DeletedById, "") : null,
                    g.CanModerate ? m.DeleteReason : null, replies.GetValueOrDefault(m.Id), pins.Contains(m.Id), m.RequiresAck, m.MentionsChannel,
                    [.. reactions.Where(r => r.MessageId == m.Id).OrderBy(r => Order(r.Emoji)).Select(r => new ReactionDto(r.Emoji, r.Count, r.Mine))]);
            }),
        ];
        // Files attached (a deleted message's for moderators only).
        return await TalkFiles.WithFilesAsync(db, g, shaped, ct);
    }

    private static int Order(string emoji)
    {
        var i = TalkLimits.Emoji.ToList().IndexOf(emoji);
        return i < 0 ? int.MaxValue : i;
    }

    /// <summary>Posts a message (or a thread reply when <see cref="PostRequest.ThreadRootId"/> is set).</summary>
    public async Task<Result<MessageDto>> PostAsync(ChannelGrant g, string authorId, PostRequest request, CancellationToken ct)
    {
        if (!g.IsMember)
        {
            return TalkErrors.NotMember;
        }

        if (g.Channel.Archived)
        {
            return TalkErrors.Archived;
        }

        if (!g.CanPost)
        {
            return TalkErrors.AccessDenied;
        }

        if (Validate(request.Body) is { } invalid)
        {
            return invalid;
        }

        // A notice (確認を求める): who may post one (TalkNotices.cs).
        if (await TalkNotices.RefusalAsync(db, g, request, ct) is { } notice)
        {
            return notice;
        }

        if (request.ThreadRootId is { } root
            && !await db.TalkMessages.AnyAsync(m => m.Id == root && m.ChannelId == g.Id && m.ThreadRootId == null && m.DeletedAt == null, ct))
        {
            return TalkErrors.ThreadRootInvalid;
        }

        var mentions = await MentionsAsync(g, request.Body!, ct);
        if (!mentions.Ok)
        {
            return mentions.Error!;
        }

        var message = new TalkMessage
        {
            ChannelId = g.Id, AuthorId = authorId, ThreadRootId = request.ThreadRootId, Body = request.Body!, CreatedAt = clock.GetUtcNow(),
            RequiresAck = request.RequiresAck, MentionsChannel = mentions.Value!.Channel,
        };
        await InsertAsync(message, mentions.Value.People, ct);
        return await ShapeNewAsync(message, g, ct);
    }

    /// <summary>
    /// The one place a message row is inserted: through the <see cref="TalkMessageWriter"/> (P4), which writes it with its
    /// mentions, the author's read marker and the live event in one transaction shared with the messages arriving at the
    /// same time. Sets <see cref="TalkMessage.Id"/>.
    /// </summary>
    public Task InsertAsync(TalkMessage message, IReadOnlyCollection<string> mentioned, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Inside a caller's transaction (a message saved with its files, a scheduled message claimed by the sweep) the insert
        // must be part of it: the same rows through EF. So must a message that notifies someone (a mention of another
        // person): the notifications are saved with it. Every other message goes through the writer.
        if (db.Database.CurrentTransaction is not null)
        {
            return InsertInTransactionAsync(message, mentioned, ct);
        }

        return mentioned.Any(u => u != message.AuthorId) ? InsertInOwnTransactionAsync(message, mentioned, ct) : writer.InsertAsync(message, mentioned);
    }

    private async Task InsertInOwnTransactionAsync(TalkMessage message, IReadOnlyCollection<string> mentioned, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await InsertInTransactionAsync(message, mentioned, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// The live events a new message stages for its channel (ids only): <c>message.new</c>, and <c>notice</c> for a notice.
    /// Both insert paths (the writer and <see cref="InsertInTransactionAsync"/>) write exactly these.
    /// </summary>
    public static IEnumerable<(string Type, TalkEvent Payload)> EventsOf(TalkMessage m)
    {
        yield return (TalkEvents.MessageNew, new TalkEvent(m.ChannelId, m.Id, m.ThreadRootId));
        if (m.RequiresAck)
        {
            yield return (TalkNoticeEvents.Notice, new TalkEvent(m.ChannelId, m.Id, null));
        }
    }

    /// <summary>The insert in the caller's transaction, through EF: the same rows as <see cref="TalkMessageWriter"/> writes.</summary>
    private async Task InsertInTransactionAsync(TalkMessage message, IReadOnlyCollection<string> mentioned, CancellationToken ct)
    {
        db.TalkMessages.Add(message);
        await db.SaveChangesAsync(ct);
        foreach (var (type, payload) in EventsOf(message))
        {
            LiveEvents.ToChannel(db, message.ChannelId, type, payload);
        }

        db.TalkMentions.AddRange(mentioned.Select(u => new TalkMention { MessageId = message.Id, UserId = u, ChannelId = message.ChannelId }));
        // Each person mentioned gets a notification (held during their quiet hours), saved with the message.
        await TalkInboxNotices.MentionedAsync(db, clock, message, mentioned, ct);
        await db.SaveChangesAsync(ct);
        // Search: the message is in the index when it is saved (TalkSearchIndex).
        await TalkSearchIndex.WriteAsync(db, message, ct: ct);
        // What one writes one has read.
        if (message.ThreadRootId is null)
        {
            await db.TalkMembers.Where(m => m.ChannelId == message.ChannelId && m.UserId == message.AuthorId && m.LastReadMessageId < message.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadMessageId, message.Id), ct);
        }
    }

    /// <summary>A message just written, as its author sees it: nothing to read back (no reactions, replies or pins yet).</summary>
    private async Task<MessageDto> ShapeNewAsync(TalkMessage m, ChannelGrant g, CancellationToken ct)
    {
        var name = me.Id == m.AuthorId && g.CallerName is { } current
            ? current
            : await db.Users.AsNoTracking().Where(u => u.Id == m.AuthorId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        return new MessageDto(m.Id, m.ChannelId, m.AuthorId, name, m.ThreadRootId, m.Body, TalkMarkdown.ToHtml(m.Body), m.CreatedAt, null, false, null, null,
            null, null, 0, false, m.RequiresAck, m.MentionsChannel, []);
    }

    /// <summary>The author edits their message; the text it replaces is kept as a revision (the visible history).</summary>
    public async Task<Result<MessageDto>> EditAsync(ChannelGrant g, string userId, long id, EditRequest request, CancellationToken ct)
    {
        var message = await db.TalkMessages.FirstOrDefaultAsync(m => m.Id == id && m.ChannelId == g.Id, ct);
        if (message is null)
        {
            return TalkErrors.MessageNotFound;
        }

        if (message.AuthorId != userId || !g.IsMember)
        {
            return TalkErrors.NotAuthor;
        }

        if (message.DeletedAt is not null)
        {
            return TalkErrors.Deleted;
        }

        if (g.Channel.Archived)
        {
            return TalkErrors.Archived;
        }

        if (Validate(request.Body) is { } invalid)
        {
            return invalid;
        }

        if (request.Body == message.Body)
        {
            return (await ShapeAsync(g, userId, [message], ct))[0];
        }

        var mentions = await MentionsAsync(g, request.Body!, ct);
        if (!mentions.Ok)
        {
            return mentions.Error!;
        }

        var now = clock.GetUtcNow();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.TalkRevisions.Add(new TalkRevision { MessageId = id, Body = message.Body, ReplacedAt = now, EditedById = userId });
            message.Body = request.Body!;
            message.EditedAt = now;
            message.MentionsChannel = mentions.Value!.Channel;
            await db.TalkMentions.Where(x => x.MessageId == id).ExecuteDeleteAsync(ct);
            db.TalkMentions.AddRange(mentions.Value.People.Select(u => new TalkMention { MessageId = id, UserId = u, ChannelId = g.Id }));
            LiveEvents.ToChannel(db, g.Id, TalkEvents.MessageEdit, new TalkEvent(g.Id, id, message.ThreadRootId));
            await db.SaveChangesAsync(ct);
            await TalkSearchIndex.WriteAsync(db, message, ct: ct);
            await tx.CommitAsync(ct);
        }

        return (await ShapeAsync(g, userId, [message], ct))[0];
    }

    /// <summary>The earlier texts of a message, newest first (members see them; a deleted message's history only moderators).</summary>
    public async Task<Result<IReadOnlyList<RevisionDto>>> RevisionsAsync(ChannelGrant g, long id, CancellationToken ct)
    {
        var message = await db.TalkMessages.AsNoTracking().Where(m => m.Id == id && m.ChannelId == g.Id).Select(m => new { m.DeletedAt }).FirstOrDefaultAsync(ct);
        if (message is null)
        {
            return TalkErrors.MessageNotFound;
        }

        if (message.DeletedAt is not null && !g.CanModerate)
        {
            return TalkErrors.Deleted;
        }

        var rows = await db.TalkRevisions.AsNoTracking().Where(r => r.MessageId == id).OrderByDescending(r => r.Id).ToListAsync(ct);
        return rows.Select(r => new RevisionDto(r.Id, r.Body, TalkMarkdown.ToHtml(r.Body), r.ReplacedAt, r.EditedById)).ToList();
    }

    /// <summary>
    /// Deletes a message, leaving a trace: the row stays with who deleted it, when and why; members see
    /// "このメッセージは削除されました", moderators also the text. The author deletes their own; a moderator anyone's (audited).
    /// </summary>
    public async Task<Result<MessageDto>> DeleteAsync(ChannelGrant g, string userId, bool mayDeleteOwn, long id, string? reason, CancellationToken ct)
    {
        var message = await db.TalkMessages.FirstOrDefaultAsync(m => m.Id == id && m.ChannelId == g.Id, ct);
        if (message is null)
        {
            return TalkErrors.MessageNotFound;
        }

        var own = message.AuthorId == userId && mayDeleteOwn;
        if (!own && !g.CanModerate)
        {
            return TalkErrors.NotAuthor;
        }

        if ((reason ?? "").Trim().Length > 200)
        {
            return TalkErrors.ReasonTooLong;
        }

        if (message.DeletedAt is null)
        {
            message.DeletedAt = clock.GetUtcNow();
            message.DeletedById = userId;
            message.DeleteReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
            LiveEvents.ToChannel(db, g.Id, TalkEvents.MessageDelete, new TalkEvent(g.Id, id, message.ThreadRootId));
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await db.SaveChangesAsync(ct);
                await db.TalkPins.Where(p => p.MessageId == id).ExecuteDeleteAsync(ct);
                // Search: a deleted message leaves the index with the deletion.
                await TalkSearchIndex.RemoveAsync(db, id, ct);
                // Its mention notifications carry a snippet of its text: those held for quiet hours are never delivered,
                // and those delivered go too (the text must not outlive the deletion on a lock screen or in the bell).
                var link = TalkInboxNotices.Link(message);
                await db.TalkHeldNotifications.Where(h => h.Link == link && h.Kind == TalkInboxNotices.MentionKind).ExecuteDeleteAsync(ct);
                await db.Notifications.Where(n => n.Link == link && n.Kind == TalkInboxNotices.MentionKind).ExecuteDeleteAsync(ct);
                await tx.CommitAsync(ct);
            }

            await audit.WriteAsync("talk.message_deleted", AuditOutcome.Success, actorId: userId, subjectId: message.AuthorId,
                details: new Dictionary<string, string?>
                {
                    ["channel"] = TalkAccess.Id(g.Id), ["message"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["moderation"] = own ? "false" : "true",
                }, ct: ct);
        }

        return (await ShapeAsync(g, userId, [message], ct))[0];
    }

    public async Task<Error?> ReactAsync(ChannelGrant g, string userId, long id, string? emoji, bool add, CancellationToken ct)
    {
        if (!g.IsMember)
        {
            return TalkErrors.NotMember;
        }

        if (emoji is null || !TalkLimits.Emoji.Contains(emoji))
        {
            return TalkErrors.EmojiUnknown;
        }

        if (!await db.TalkMessages.AnyAsync(m => m.Id == id && m.ChannelId == g.Id && m.DeletedAt == null, ct))
        {
            return TalkErrors.MessageNotFound;
        }

        if (!add)
        {
            if (await db.TalkReactions.Where(r => r.MessageId == id && r.UserId == userId && r.Emoji == emoji).ExecuteDeleteAsync(ct) > 0)
            {
                await AnnounceAsync(g.Id, TalkEvents.Reaction, id, ct);
            }

            return null;
        }

        if (!await db.TalkReactions.AnyAsync(r => r.MessageId == id && r.UserId == userId && r.Emoji == emoji, ct))
        {
            db.TalkReactions.Add(new TalkReaction { MessageId = id, UserId = userId, Emoji = emoji, CreatedAt = clock.GetUtcNow() });
            LiveEvents.ToChannel(db, g.Id, TalkEvents.Reaction, new TalkEvent(g.Id, id, null));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same reaction from a second tab at the same moment: already there.
                db.ChangeTracker.Clear();
            }
        }

        return null;
    }

    public async Task<Error?> PinAsync(ChannelGrant g, string userId, long id, bool pin, CancellationToken ct)
    {
        if (!g.IsMember)
        {
            return TalkErrors.NotMember;
        }

        if (!await db.TalkMessages.AnyAsync(m => m.Id == id && m.ChannelId == g.Id && m.DeletedAt == null, ct))
        {
            return TalkErrors.MessageNotFound;
        }

        if (!pin)
        {
            if (await db.TalkPins.Where(p => p.MessageId == id).ExecuteDeleteAsync(ct) > 0)
            {
                await AnnounceAsync(g.Id, TalkEvents.Pin, id, ct);
            }

            return null;
        }

        if (!await db.TalkPins.AnyAsync(p => p.MessageId == id, ct))
        {
            db.TalkPins.Add(new TalkPin { MessageId = id, ChannelId = g.Id, PinnedById = userId, PinnedAt = clock.GetUtcNow() });
            LiveEvents.ToChannel(db, g.Id, TalkEvents.Pin, new TalkEvent(g.Id, id, null));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<MessageDto>> PinsAsync(ChannelGrant g, string viewerId, CancellationToken ct)
    {
        var rows = await (from p in db.TalkPins.AsNoTracking()
                          join m in db.TalkMessages.AsNoTracking() on p.MessageId equals m.Id
                          where p.ChannelId == g.Id
                          orderby p.PinnedAt descending
                          select m).ToListAsync(ct);
        return await ShapeAsync(g, viewerId, rows, ct);
    }

    /// <summary>Moves the caller's read marker forward to <paramref name="messageId"/> (never back, never past the newest message).</summary>
    public async Task<Result<ReadMarker>> MarkReadAsync(ChannelGrant g, string userId, long messageId, CancellationToken ct)
    {
        if (!g.IsMember)
        {
            return TalkErrors.NotMember;
        }

        var newest = await db.TalkMessages.Where(m => m.ChannelId == g.Id).MaxAsync(m => (long?)m.Id, ct) ?? 0;
        var target = Math.Min(messageId, newest);
        var moved = await db.TalkMembers.Where(m => m.ChannelId == g.Id && m.UserId == userId && m.LastReadMessageId < target)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadMessageId, target), ct);
        if (moved > 0)
        {
            // The person's other tabs and devices update their unread counts.
            LiveEvents.ToUser(db, userId, TalkEvents.Read, new TalkEvent(g.Id, target, null));
            await db.SaveChangesAsync(ct);
        }

        var last = await db.TalkMembers.Where(m => m.ChannelId == g.Id && m.UserId == userId).Select(m => m.LastReadMessageId).FirstAsync(ct);
        var unread = await db.TalkMessages.CountAsync(x => x.ChannelId == g.Id && x.Id > last && x.ThreadRootId == null && x.DeletedAt == null && x.AuthorId != userId, ct);
        var mentions = await db.TalkMentions.CountAsync(x => x.UserId == userId && x.ChannelId == g.Id && x.MessageId > last, ct);
        return new ReadMarker(g.Id, last, unread, mentions);
    }

    /// <summary>An event for a change already written by a bulk statement (no entity to save with it).</summary>
    private async Task AnnounceAsync(int channelId, string type, long messageId, CancellationToken ct)
    {
        LiveEvents.ToChannel(db, channelId, type, new TalkEvent(channelId, messageId, null));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Marks everything in the channel read (the channel page does this when it is viewed).</summary>
    public Task<Result<ReadMarker>> MarkAllReadAsync(ChannelGrant g, string userId, CancellationToken ct) => MarkReadAsync(g, userId, long.MaxValue, ct);

    public static Error? Validate(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return TalkErrors.MessageEmpty;
        }

        return body.Length > TalkLimits.MaxBody ? TalkErrors.MessageTooLong : null;
    }

    /// <summary>The @names in a text (without the @), in order, at most 50.</summary>
    public static IReadOnlyList<string> MentionTokens(string body) =>
        [.. MentionPattern().Matches(body).Select(m => m.Groups[1].Value.TrimEnd('.', '。', '、', ',', '!', '?', '！', '？')).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Take(50)];

    public sealed record Mentioned(IReadOnlyCollection<string> People, bool Channel);

    /// <summary>
    /// Resolves @names to the channel's members (by display name without spaces, or the e-mail's local part). A name that
    /// is a person of the town outside the channel refuses the message (422, naming them); an unknown name is just text.
    /// @channel (or @all, @チャンネル) is for owners, or for anyone in a channel of at most <see cref="TalkLimits.ChannelMentionOpenUpTo"/> members.
    /// </summary>
    public async Task<Result<Mentioned>> MentionsAsync(ChannelGrant g, string body, CancellationToken ct)
    {
        var tokens = MentionTokens(body);
        if (tokens.Count == 0)
        {
            return new Mentioned([], false);
        }

        var channelWide = tokens.Any(t => t is "channel" or "all" or "チャンネル" or "全員" || string.Equals(t, "channel", StringComparison.OrdinalIgnoreCase));
        if (channelWide && !g.IsOwner && await db.TalkMembers.CountAsync(m => m.ChannelId == g.Id, ct) > TalkLimits.ChannelMentionOpenUpTo)
        {
            return TalkErrors.ChannelMentionRefused;
        }

        var names = tokens.Where(t => !(t is "channel" or "all" or "チャンネル" or "全員" || string.Equals(t, "channel", StringComparison.OrdinalIgnoreCase))).ToList();
        var members = await (from m in db.TalkMembers.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             where m.ChannelId == g.Id
                             select new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        var people = new HashSet<string>(StringComparer.Ordinal);
        var outside = new List<string>();
        foreach (var name in names)
        {
            var member = members.FirstOrDefault(m => Key(m.DisplayName) == name || string.Equals(LocalPart(m.Email), name, StringComparison.OrdinalIgnoreCase));
            if (member is not null)
            {
                people.Add(member.Id);
                continue;
            }

            var upper = name.ToUpperInvariant() + "@";
            var stranger = await db.Users.AsNoTracking()
                .Where(u => u.DisplayName.Replace(" ", "").Replace("　", "") == name || u.NormalizedEmail!.StartsWith(upper))
                .Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
            if (stranger is not null)
            {
                outside.Add(stranger);
            }
        }

        if (outside.Count > 0)
        {
            return TalkErrors.MentionOutside(outside);
        }

        return new Mentioned(people, channelWide);
    }

    private static string Key(string displayName) => displayName.Replace(" ", "", StringComparison.Ordinal).Replace("　", "", StringComparison.Ordinal);

    private static string LocalPart(string? email) => email is null ? "" : email.Split('@')[0];
}
