using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Live;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>A scheduled message as its author sees it (nobody else sees it before its time).</summary>
public sealed record ScheduledDto(long Id, int ChannelId, string ChannelName, long? ThreadRootId, string Body, bool RequiresAck, DateTimeOffset ScheduledFor,
    string State, long? MessageId, DateTimeOffset CreatedAt);

/// <summary>A change to a scheduled message: the text, the time, or both (null keeps it).</summary>
public sealed record ScheduleEditRequest(string? Body, DateTimeOffset? ScheduledFor);

/// <summary>The stable codes of scheduled send; each has a sentence in Text.TalkInbox.cs ("error." + code).</summary>
public static class TalkScheduleErrors
{
    public static readonly Error InPast = Errors.Field("talk.schedule_in_past", "scheduledFor") with { Status = 422 };
    public static readonly Error TooFar = Errors.Field("talk.schedule_too_far", "scheduledFor") with { Status = 422 };
    public static readonly Error NotFound = new("talk.scheduled_not_found", 404);
    public static readonly Error NotPending = new("talk.scheduled_not_pending", 409);

    public static IReadOnlyList<Error> All { get; } = [InPast, TooFar, NotFound, NotPending];
}

/// <summary>
/// Scheduled send (予約送信): the author writes now, the message appears at its time. Until then it is in
/// <see cref="TalkScheduledMessage"/> only, so no list, thread, unread count, search or live event of the channel sees it;
/// the author lists, edits and cancels it. <see cref="PublishDueAsync"/> (the sweep) publishes it through
/// <see cref="TalkMessages.InsertAsync"/> exactly once, even with several nodes: a conditional UPDATE claims the row in
/// the same transaction as the insert.
/// </summary>
public sealed class TalkSchedule(AppDbContext db, TimeProvider clock, TalkMessages messages, ILogger<TalkSchedule> log)
{
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(30);

    public const string ScheduledEvent = "scheduled";

    /// <summary>Schedules a post (the same checks as posting now, plus the time: in the future, at most 30 days ahead).</summary>
    public async Task<Result<ScheduledDto>> ScheduleAsync(ChannelGrant g, string authorId, PostRequest request, DateTimeOffset at, CancellationToken ct)
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

        if (TalkMessages.Validate(request.Body) is { } invalid)
        {
            return invalid;
        }

        // Stored in UTC (PostgreSQL's timestamptz takes offset 0 only; a client may send +09:00).
        at = at.ToUniversalTime();
        if (CheckTime(at) is { } late)
        {
            return late;
        }

        if (request.ThreadRootId is { } root
            && !await db.TalkMessages.AnyAsync(m => m.Id == root && m.ChannelId == g.Id && m.ThreadRootId == null && m.DeletedAt == null, ct))
        {
            return TalkErrors.ThreadRootInvalid;
        }

        var mentions = await messages.MentionsAsync(g, request.Body!, ct);
        if (!mentions.Ok)
        {
            return mentions.Error!;
        }

        var row = new TalkScheduledMessage
        {
            ChannelId = g.Id, AuthorId = authorId, ThreadRootId = request.ThreadRootId, Body = request.Body!, RequiresAck = request.RequiresAck,
            ScheduledFor = at, CreatedAt = clock.GetUtcNow(), State = ScheduledState.Pending,
        };
        db.TalkScheduledMessages.Add(row);
        // Only the author's own streams hear of it (ids only).
        LiveEvents.ToUser(db, authorId, ScheduledEvent, new { channel = g.Id });
        await db.SaveChangesAsync(ct);
        return Dto(row, g.Channel.Name);
    }

    private Error? CheckTime(DateTimeOffset at)
    {
        var now = clock.GetUtcNow();
        if (at <= now)
        {
            return TalkScheduleErrors.InPast;
        }

        return at > now + MaxAhead ? TalkScheduleErrors.TooFar : null;
    }

    /// <summary>The author's pending scheduled messages (of one channel, or all), soonest first.</summary>
    public async Task<IReadOnlyList<ScheduledDto>> MineAsync(string authorId, int? channelId, CancellationToken ct)
    {
        var rows = await (from s in db.TalkScheduledMessages.AsNoTracking()
                          join c in db.TalkChannels.AsNoTracking() on s.ChannelId equals c.Id
                          where s.AuthorId == authorId && s.State == ScheduledState.Pending && (channelId == null || s.ChannelId == channelId)
                          select new { s, c.Name }).ToListAsync(ct);
        return [.. rows.OrderBy(x => x.s.ScheduledFor).ThenBy(x => x.s.Id).Select(x => Dto(x.s, x.Name))];
    }

    /// <summary>The author's own scheduled message (another person's is "not found").</summary>
    public Task<TalkScheduledMessage?> FindAsync(string authorId, long id, CancellationToken ct) =>
        db.TalkScheduledMessages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.AuthorId == authorId, ct);

    /// <summary>Changes the text and/or the time of a pending scheduled message (the same checks as scheduling).</summary>
    public async Task<Result<ScheduledDto>> EditAsync(ChannelGrant g, string authorId, long id, ScheduleEditRequest request, CancellationToken ct)
    {
        var row = await db.TalkScheduledMessages.FirstOrDefaultAsync(s => s.Id == id && s.AuthorId == authorId && s.ChannelId == g.Id, ct);
        if (row is null)
        {
            return TalkScheduleErrors.NotFound;
        }

        if (row.State != ScheduledState.Pending)
        {
            return TalkScheduleErrors.NotPending;
        }

        var body = request.Body ?? row.Body;
        if (TalkMessages.Validate(body) is { } invalid)
        {
            return invalid;
        }

        if (request.ScheduledFor is { } at && CheckTime(at) is { } late)
        {
            return late;
        }

        var mentions = await messages.MentionsAsync(g, body, ct);
        if (!mentions.Ok)
        {
            return mentions.Error!;
        }

        var newTime = request.ScheduledFor?.ToUniversalTime() ?? row.ScheduledFor;
        var now = clock.GetUtcNow();
        // Conditional: the sweep may have claimed it a moment ago.
        var changed = await db.TalkScheduledMessages.Where(s => s.Id == id && s.State == ScheduledState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Body, body).SetProperty(x => x.ScheduledFor, newTime).SetProperty(x => x.UpdatedAt, now), ct);
        if (changed == 0)
        {
            return TalkScheduleErrors.NotPending;
        }

        LiveEvents.ToUser(db, authorId, ScheduledEvent, new { channel = g.Id });
        await db.SaveChangesAsync(ct);
        row.Body = body;
        row.ScheduledFor = newTime;
        return Dto(row, g.Channel.Name);
    }

    /// <summary>Cancels a pending scheduled message of the author's.</summary>
    public async Task<Error?> CancelAsync(string authorId, long id, CancellationToken ct)
    {
        var row = await FindAsync(authorId, id, ct);
        if (row is null)
        {
            return TalkScheduleErrors.NotFound;
        }

        var now = clock.GetUtcNow();
        var cancelled = await db.TalkScheduledMessages.Where(s => s.Id == id && s.AuthorId == authorId && s.State == ScheduledState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, ScheduledState.Cancelled).SetProperty(x => x.DoneAt, now), ct);
        if (cancelled == 0)
        {
            return TalkScheduleErrors.NotPending;
        }

        LiveEvents.ToUser(db, authorId, ScheduledEvent, new { channel = row.ChannelId });
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Publishes every scheduled message whose time has come; returns how many this node published.</summary>
    public async Task<int> PublishDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var due = await db.TalkScheduledMessages.AsNoTracking().Where(s => s.State == ScheduledState.Pending && s.ScheduledFor <= now)
            .OrderBy(s => s.ScheduledFor).ThenBy(s => s.Id).Select(s => s.Id).Take(500).ToListAsync(ct);
        var published = 0;
        foreach (var id in due)
        {
            try
            {
                if (await PublishAsync(id, ct))
                {
                    published++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                db.ChangeTracker.Clear();
                log.LogWarning("Scheduled message {Id} could not be published ({Kind}); the sweep tries again.", id, ex.GetType().Name);
            }
        }

        return published;
    }

    /// <summary>
    /// Claims one due row (State Pending → Sent, a conditional UPDATE: only one node can succeed) and inserts the message
    /// in the same transaction. Mentions are resolved again against the channel's members now: a person who left is
    /// dropped. If the author can no longer post there (left, disabled, channel archived), it fails and the author is told.
    /// </summary>
    private async Task<bool> PublishAsync(long id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.TalkScheduledMessages.Where(s => s.Id == id && s.State == ScheduledState.Pending && s.ScheduledFor <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, ScheduledState.Sent).SetProperty(x => x.DoneAt, now), ct);
        if (claimed == 0)
        {
            await tx.RollbackAsync(ct);
            return false;
        }

        var row = await db.TalkScheduledMessages.AsNoTracking().FirstAsync(s => s.Id == id, ct);
        var channel = await db.TalkChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == row.ChannelId, ct);
        var author = await db.Users.AsNoTracking().Where(u => u.Id == row.AuthorId).Select(u => new { u.IsDisabled, u.Kind, u.Language, u.TimeZone }).FirstOrDefaultAsync(ct);
        var membership = await db.TalkMembers.AsNoTracking().FirstOrDefaultAsync(m => m.ChannelId == row.ChannelId && m.UserId == row.AuthorId, ct);
        var rootOk = row.ThreadRootId is not { } root
            || await db.TalkMessages.AnyAsync(m => m.Id == root && m.ChannelId == row.ChannelId && m.ThreadRootId == null && m.DeletedAt == null, ct);
        if (channel is null || channel.Archived || author is null || author.IsDisabled || membership is null || !rootOk
            || (AccountKinds.IsOutsider(author.Kind) && channel.Kind == ChannelKind.Department))
        {
            await db.TalkScheduledMessages.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.State, ScheduledState.Failed), ct);
            if (author is not null && channel is not null)
            {
                // In the author's language, the time in their own zone (QuietHours.Zone: the town's when unset).
                var when = TimeZoneInfo.ConvertTime(row.ScheduledFor, QuietHours.Zone(author.TimeZone)).ToString("M/d HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                new Notifications.NotificationService(db, clock).Add(row.AuthorId, "talk.scheduled_failed", Text.For(author.Language, "talk.scheduled_failed.title"),
                    Text.For(author.Language, "talk.scheduled_failed.body", channel.Name, when), "/talk/inbox");
                await db.SaveChangesAsync(ct);
            }

            await tx.CommitAsync(ct);
            log.LogInformation("Scheduled message {Id} was not published: its author can no longer post in channel {Channel}.", id, row.ChannelId);
            return false;
        }

        var (people, channelWide) = await MentionsNowAsync(row.ChannelId, row.Body, membership.Role == MemberRole.Owner, ct);
        var message = new TalkMessage
        {
            ChannelId = row.ChannelId, AuthorId = row.AuthorId, ThreadRootId = row.ThreadRootId, Body = row.Body, CreatedAt = now,
            RequiresAck = row.RequiresAck, MentionsChannel = channelWide, ScheduledFor = row.ScheduledFor,
        };
        await messages.InsertAsync(message, people, ct);
        await db.TalkScheduledMessages.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.MessageId, message.Id), ct);
        LiveEvents.ToUser(db, row.AuthorId, ScheduledEvent, new { channel = row.ChannelId });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The @names of a text resolved against the channel's members as they are now (no refusal: a person who left is dropped).</summary>
    private async Task<(IReadOnlyCollection<string> People, bool Channel)> MentionsNowAsync(int channelId, string body, bool authorIsOwner, CancellationToken ct)
    {
        var tokens = TalkMessages.MentionTokens(body);
        if (tokens.Count == 0)
        {
            return ([], false);
        }

        static bool IsChannelWord(string t) => t is "all" or "チャンネル" or "全員" || string.Equals(t, "channel", StringComparison.OrdinalIgnoreCase);
        var members = await (from m in db.TalkMembers.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             where m.ChannelId == channelId
                             select new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        var channelWide = tokens.Any(IsChannelWord) && (authorIsOwner || members.Count <= TalkLimits.ChannelMentionOpenUpTo);
        var people = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in tokens.Where(t => !IsChannelWord(t)))
        {
            var member = members.FirstOrDefault(m => m.DisplayName.Replace(" ", "", StringComparison.Ordinal).Replace("　", "", StringComparison.Ordinal) == name
                || string.Equals((m.Email ?? "").Split('@')[0], name, StringComparison.OrdinalIgnoreCase));
            if (member is not null)
            {
                people.Add(member.Id);
            }
        }

        return (people, channelWide);
    }

    private static ScheduledDto Dto(TalkScheduledMessage s, string channelName) =>
        new(s.Id, s.ChannelId, channelName, s.ThreadRootId, s.Body, s.RequiresAck, s.ScheduledFor, s.State.ToString(), s.MessageId, s.CreatedAt);
}
