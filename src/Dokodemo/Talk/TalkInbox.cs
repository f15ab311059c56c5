using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>One thing in a person's inbox: a mention of them (<c>mention</c>), an @channel (<c>channel</c>), or a notice asking for acknowledgement (<c>notice</c>).</summary>
public sealed record InboxItem(long MessageId, int ChannelId, string ChannelName, string AuthorId, string AuthorName, string Kind, string Snippet, string Link,
    DateTimeOffset CreatedAt);

public sealed record InboxDto(int Count, IReadOnlyList<InboxItem> Items);

/// <summary>
/// Quiet hours ("20:00"–"07:00", both or neither), weekends and holidays, the daily digest (with its local hour), and the
/// language of the mails and reminders: the person's stored choice ("ja" / "en"), null until they choose (then Japanese).
/// </summary>
public sealed record TalkPreferencesDto(string? QuietFrom, string? QuietTo, bool QuietWeekends, bool DigestEnabled, int DigestHour, string TimeZone,
    bool MailAvailable, bool QuietNow, string? Language);

/// <summary>The preferences to save; <see cref="Language"/> is optional: null keeps the stored one, else "ja" or "en".</summary>
public sealed record TalkPreferencesRequest(string? QuietFrom, string? QuietTo, bool QuietWeekends, bool DigestEnabled, int? DigestHour, string? Language = null);

public static class TalkInboxErrors
{
    public static readonly Error QuietTimeInvalid = Errors.Field("talk.quiet_time_invalid", "quietFrom") with { Status = 422 };
    public static readonly Error DigestHourInvalid = Errors.Field("talk.digest_hour_invalid", "digestHour") with { Status = 422 };
    public static readonly Error DigestUnavailable = Errors.Field("talk.digest_unavailable", "digestEnabled") with { Status = 422 };
    public static readonly Error ItemNotFound = new("talk.inbox_item_not_found", 404);

    public static IReadOnlyList<Error> All { get; } = [QuietTimeInvalid, DigestHourInvalid, DigestUnavailable, ItemNotFound];
}

/// <summary>
/// The personal inbox (受信箱): across the person's channels, their unread mentions and @channel messages, and the notices
/// asking for acknowledgement they have not acknowledged, newest first; an item leaves it when read (the channel's read
/// marker passes it), acknowledged, or marked done. Only channels the access check lets them read now.
/// </summary>
public sealed class TalkInbox(AppDbContext db, AccessCheck access, TimeProvider clock, IMailSender mail)
{
    public const int MaxItems = 200;

    /// <summary>The caller's inbox: <see cref="ItemsAsync"/> of the channels the policy lets them read as a member now.</summary>
    public async Task<InboxDto> MineAsync(string userId, AccountKind kind, CancellationToken ct)
    {
        var items = await ItemsAsync(db, userId, AccountKinds.IsOutsider(kind), since: null, ct);
        var allowed = new Dictionary<int, bool>();
        foreach (var channel in items.Select(i => i.ChannelId).Distinct())
        {
            allowed[channel] = await access.AllowsAsync(ResourceTypes.TalkChannel, AccessAction.Read, TalkAccess.Id(channel), Relation.Member, ct);
        }

        var mine = items.Where(i => allowed[i.ChannelId]).ToList();
        return new InboxDto(mine.Count, mine);
    }

    /// <summary>
    /// The inbox items of a person in the channels they are a member of now (never a department channel for a side-job
    /// worker or partner), newest first; <paramref name="since"/> keeps those created after it (the digest).
    /// </summary>
    public static async Task<IReadOnlyList<InboxItem>> ItemsAsync(AppDbContext db, string userId, bool outsider, DateTimeOffset? since, CancellationToken ct)
    {
        var members = from m in db.TalkMembers
                      join c in db.TalkChannels on m.ChannelId equals c.Id
                      where m.UserId == userId && !(outsider && c.Kind == ChannelKind.Department)
                      select m;
        var done = db.TalkInboxDone.Where(d => d.UserId == userId);
        var mentions = await (from n in db.TalkMentions.AsNoTracking()
                              join m in members on n.ChannelId equals m.ChannelId
                              join x in db.TalkMessages.AsNoTracking() on n.MessageId equals x.Id
                              where n.UserId == userId && x.Id > m.LastReadMessageId && x.DeletedAt == null && x.AuthorId != userId
                                    && (since == null || x.CreatedAt > since) && !done.Any(d => d.MessageId == x.Id)
                              orderby x.Id descending
                              select x).Take(MaxItems).ToListAsync(ct);
        var channelWide = await (from x in db.TalkMessages.AsNoTracking()
                                 join m in members on x.ChannelId equals m.ChannelId
                                 where x.MentionsChannel && x.Id > m.LastReadMessageId && x.DeletedAt == null && x.AuthorId != userId
                                       && (since == null || x.CreatedAt > since) && !done.Any(d => d.MessageId == x.Id)
                                 orderby x.Id descending
                                 select x).Take(MaxItems).ToListAsync(ct);
        var notices = await (from x in db.TalkMessages.AsNoTracking()
                             join m in members on x.ChannelId equals m.ChannelId
                             where x.RequiresAck && x.DeletedAt == null && x.AuthorId != userId
                                   && !db.TalkAcks.Any(a => a.MessageId == x.Id && a.UserId == userId)
                                   && (since == null || x.CreatedAt > since) && !done.Any(d => d.MessageId == x.Id)
                             orderby x.Id descending
                             select x).Take(MaxItems).ToListAsync(ct);
        var rows = new Dictionary<long, (TalkMessage Message, string Kind)>();
        foreach (var x in mentions)
        {
            rows[x.Id] = (x, "mention");
        }

        foreach (var x in channelWide)
        {
            rows.TryAdd(x.Id, (x, "channel"));
        }

        foreach (var x in notices)
        {
            // A notice is a notice even when it also mentions the person: it asks for more than reading.
            rows[x.Id] = (x, "notice");
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var authorIds = rows.Values.Select(r => r.Message.AuthorId).Distinct().ToList();
        var channelIds = rows.Values.Select(r => r.Message.ChannelId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var channels = await db.TalkChannels.AsNoTracking().Where(c => channelIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return
        [
            .. rows.Values.OrderByDescending(r => r.Message.Id).Take(MaxItems).Select(r => new InboxItem(r.Message.Id, r.Message.ChannelId,
                channels.GetValueOrDefault(r.Message.ChannelId, ""), r.Message.AuthorId, names.GetValueOrDefault(r.Message.AuthorId, ""), r.Kind,
                TalkInboxNotices.Snippet(r.Message.Body, 120), TalkInboxNotices.Link(r.Message), r.Message.CreatedAt)),
        ];
    }

    /// <summary>Marks one item of the caller's inbox done (again: no change). A message not in their inbox is "not found".</summary>
    public async Task<Error?> DoneAsync(string userId, AccountKind kind, long messageId, CancellationToken ct)
    {
        var inbox = await MineAsync(userId, kind, ct);
        if (inbox.Items.All(i => i.MessageId != messageId))
        {
            return TalkInboxErrors.ItemNotFound;
        }

        await MarkAsync(userId, [messageId], ct);
        return null;
    }

    /// <summary>Marks everything in the caller's inbox done; returns how many.</summary>
    public async Task<int> AllDoneAsync(string userId, AccountKind kind, CancellationToken ct)
    {
        var inbox = await MineAsync(userId, kind, ct);
        await MarkAsync(userId, [.. inbox.Items.Select(i => i.MessageId)], ct);
        return inbox.Count;
    }

    private async Task MarkAsync(string userId, IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var already = await db.TalkInboxDone.Where(d => d.UserId == userId && ids.Contains(d.MessageId)).Select(d => d.MessageId).ToListAsync(ct);
        var now = clock.GetUtcNow();
        db.TalkInboxDone.AddRange(ids.Except(already).Select(id => new TalkInboxDone { UserId = userId, MessageId = id, At = now }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same item marked from a second tab at the same moment: already done.
            db.ChangeTracker.Clear();
        }
    }

    public async Task<TalkPreferencesDto> PreferencesAsync(string userId, CancellationToken ct)
    {
        var p = await db.TalkPreferences.AsNoTracking().FirstOrDefaultAsync(x => x.UserId == userId, ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.TimeZone, u.Language }).FirstAsync(ct);
        return new TalkPreferencesDto(Hhmm(p?.QuietFromMinute), Hhmm(p?.QuietToMinute), p?.QuietWeekends ?? false, (p?.DigestEnabled ?? false) && mail.IsConfigured,
            p?.DigestHour ?? 8, user.TimeZone, mail.IsConfigured, QuietHours.IsQuiet(p, QuietHours.Zone(user.TimeZone), clock.GetUtcNow()), user.Language);
    }

    /// <summary>Saves the caller's preferences (all fields; a refusal changes nothing).</summary>
    public async Task<Result<TalkPreferencesDto>> SavePreferencesAsync(string userId, TalkPreferencesRequest request, CancellationToken ct)
    {
        int? from = null, to = null;
        var hasFrom = !string.IsNullOrWhiteSpace(request.QuietFrom);
        var hasTo = !string.IsNullOrWhiteSpace(request.QuietTo);
        if (hasFrom || hasTo)
        {
            from = Minute(request.QuietFrom);
            to = Minute(request.QuietTo);
            if (from is null || to is null || from == to)
            {
                return TalkInboxErrors.QuietTimeInvalid;
            }
        }

        var hour = request.DigestHour ?? 8;
        if (hour is < 0 or > 23)
        {
            return TalkInboxErrors.DigestHourInvalid;
        }

        if (request.DigestEnabled && !mail.IsConfigured)
        {
            return TalkInboxErrors.DigestUnavailable;
        }

        if (request.Language is not null && !Languages.IsKnown(request.Language))
        {
            return Errors.LanguageUnknown;
        }

        var p = await db.TalkPreferences.FirstOrDefaultAsync(x => x.UserId == userId, ct);
        if (p is null)
        {
            p = new TalkPreference { UserId = userId };
            db.TalkPreferences.Add(p);
        }

        // The first digest lists what comes after it was turned on.
        if (request.DigestEnabled && !p.DigestEnabled)
        {
            p.DigestSince = clock.GetUtcNow();
        }

        p.QuietFromMinute = from;
        p.QuietToMinute = to;
        p.QuietWeekends = request.QuietWeekends;
        p.DigestEnabled = request.DigestEnabled;
        p.DigestHour = hour;
        if (request.Language is { } language)
        {
            // Saved with the rest: the language of the digest belongs with the digest's other settings.
            var user = await db.Users.FirstAsync(u => u.Id == userId, ct);
            user.Language = language;
        }

        await db.SaveChangesAsync(ct);
        return await PreferencesAsync(userId, ct);
    }

    private static string? Hhmm(int? minute) =>
        minute is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m / 60:00}:{m % 60:00}") : null;

    private static int? Minute(string? text) =>
        TimeOnly.TryParseExact((text ?? "").Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? (t.Hour * 60) + t.Minute : null;
}
