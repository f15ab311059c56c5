using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Live;
using Dokodemo.Notifications;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>The reminder state of a notice (migration 0020): when it was last reminded, and whether the automatic reminder was sent.</summary>
public sealed class TalkNoticeState
{
    public long MessageId { get; set; }
    public DateTimeOffset? LastRemindedAt { get; set; }
    public string? LastRemindedById { get; set; }

    /// <summary>The automatic reminder (<see cref="TalkNoticeSweep"/>) is sent once per notice.</summary>
    public DateTimeOffset? AutoRemindedAt { get; set; }
}

/// <summary>The live events of notices (ids only, like every Talk event).</summary>
public static class TalkNoticeEvents
{
    public const string Notice = "notice";
    public const string Ack = "ack";
}

public static class TalkNoticeErrors
{
    public static readonly Error NoticeRefused = new("talk.notice_refused", 403);
    public static readonly Error NoticeInThread = Errors.Field("talk.notice_in_thread", "requiresAck") with { Status = 422 };
    public static readonly Error NotNotice = new("talk.not_a_notice", 409);
    public static readonly Error DetailRefused = new("talk.notice_detail_refused", 403);
    public static readonly Error ReadReceiptsOff = new("talk.read_receipts_off", 403);
    public static readonly Error ReadReceiptsLocked = new("talk.read_receipts_locked", 409);

    /// <summary>409 with the time the next reminder may be sent (<c>nextAt</c>).</summary>
    public static Error RemindTooSoon(DateTimeOffset next) =>
        new("talk.remind_too_soon", 409, new Dictionary<string, object?> { ["nextAt"] = next });

    public static IReadOnlyList<Error> All { get; } =
        [NoticeRefused, NoticeInThread, NotNotice, DetailRefused, ReadReceiptsOff, ReadReceiptsLocked, RemindTooSoon(default), TalkSettingsStore.Invalid];
}

/// <summary>A member as a notice's author sees them: acknowledged when, or read, or not.</summary>
public sealed record NoticePerson(string UserId, string Name, string? Department, DateTimeOffset? AcknowledgedAt);

/// <summary>Who has acknowledged a notice, who has read it without acknowledging, who has not read it (the author excluded).</summary>
public sealed record NoticeAcks(long MessageId, int ChannelId, string AuthorId, string AuthorName, string Body, DateTimeOffset CreatedAt, int Total,
    IReadOnlyList<NoticePerson> Acknowledged, IReadOnlyList<NoticePerson> ReadNotAcknowledged, IReadOnlyList<NoticePerson> NotRead,
    DateTimeOffset? LastRemindedAt, DateTimeOffset NextRemindAt);

public sealed record AckResult(long MessageId, DateTimeOffset AcknowledgedAt);

public sealed record RemindResult(long MessageId, int Reminded, DateTimeOffset At);

public sealed record ReaderDto(string UserId, string Name);

public sealed record ReadersDto(long MessageId, int Count, IReadOnlyList<ReaderDto> Readers);

/// <summary>A notice in one of my channels (for the inbox): whether I have acknowledged it.</summary>
public sealed record NoticeSummary(int ChannelId, string ChannelName, long MessageId, string AuthorId, string AuthorName, string Excerpt,
    DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt);

/// <summary>
/// What a message list shows under a message: 既読 n (when read receipts are on for the viewer), and for a notice the
/// viewer's own state, and 確認済み n/m for those who may see the detail.
/// </summary>
public sealed record MessageReceipt(long MessageId, int? ReadCount, bool Notice, bool MustAck, DateTimeOffset? MyAckAt, bool CanSeeDetail, int AckCount, int Audience);

/// <summary>
/// Notices (周知) with acknowledgement, read receipts and reminders. Who may post a notice: the channel's owners, moderators
/// (managers and administrators who can read it), and any member of a channel of at most
/// <see cref="TalkLimits.ChannelMentionOpenUpTo"/> members — the same rule as @channel. Who may see who has acknowledged
/// and read: the author, the channel's owners and moderators. Acknowledging: current members (the author need not).
/// </summary>
public sealed class TalkNotices(AppDbContext db, TimeProvider clock, NotificationService notifications, TalkSettingsStore settings, AuditLog audit,
    IConfiguration configuration)
{
    public const string RemindAfterKey = "Dokodemo:Talk:NoticeRemindAfter";
    public const string RemindEveryKey = "Dokodemo:Talk:NoticeRemindEvery";
    public static readonly TimeSpan DefaultRemindAfter = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultRemindEvery = TimeSpan.FromHours(6);

    /// <summary>The automatic reminder looks back this far (older notices are not reminded after a long stop).</summary>
    public static readonly TimeSpan SweepWindow = TimeSpan.FromDays(7);

    private TimeSpan RemindEvery => configuration.GetValue(RemindEveryKey, DefaultRemindEvery);

    /// <summary>May the caller post a notice in this channel (owners, moderators, or anyone in a small channel)?</summary>
    public static async Task<bool> MayPostNoticeAsync(AppDbContext db, ChannelGrant g, CancellationToken ct) =>
        g.IsMember && g.CanPost
        && (g.IsOwner || g.CanModerate || await db.TalkMembers.CountAsync(m => m.ChannelId == g.Id, ct) <= TalkLimits.ChannelMentionOpenUpTo);

    /// <summary>May the caller post a notice here (the post form shows the checkbox)?</summary>
    public Task<bool> MayPostNoticeAsync(ChannelGrant g, CancellationToken ct = default) => MayPostNoticeAsync(db, g, ct);

    /// <summary>The refusal of a post that asks for acknowledgement, or null (called by <see cref="TalkMessages.PostAsync"/>).</summary>
    public static async Task<Error?> RefusalAsync(AppDbContext db, ChannelGrant g, PostRequest request, CancellationToken ct)
    {
        if (!request.RequiresAck)
        {
            return null;
        }

        if (request.ThreadRootId is not null)
        {
            return TalkNoticeErrors.NoticeInThread;
        }

        return await MayPostNoticeAsync(db, g, ct) ? null : TalkNoticeErrors.NoticeRefused;
    }

    /// <summary>The author, the channel's owners and moderators see who has acknowledged and read a notice.</summary>
    public static bool MaySeeDetail(ChannelGrant g, string authorId, string userId) => authorId == userId || g.IsOwner || g.CanModerate;

    private async Task<Result<TalkMessage>> NoticeAsync(ChannelGrant g, long id, CancellationToken ct)
    {
        var m = await db.TalkMessages.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.ChannelId == g.Id, ct);
        if (m is null || m.ThreadRootId is not null && !m.RequiresAck)
        {
            return TalkErrors.MessageNotFound;
        }

        return m.RequiresAck ? m : TalkNoticeErrors.NotNotice;
    }

    /// <summary>The caller acknowledges a notice (確認しました). Idempotent: a second time answers the first time.</summary>
    public async Task<Result<AckResult>> AckAsync(ChannelGrant g, string userId, long id, CancellationToken ct = default)
    {
        var notice = await NoticeAsync(g, id, ct);
        if (!notice.Ok)
        {
            return notice.Error!;
        }

        if (!g.IsMember)
        {
            return TalkErrors.NotMember;
        }

        if (notice.Value!.DeletedAt is not null)
        {
            return TalkErrors.Deleted;
        }

        var existing = await db.TalkAcks.AsNoTracking().Where(a => a.MessageId == id && a.UserId == userId).Select(a => (DateTimeOffset?)a.At).FirstOrDefaultAsync(ct);
        if (existing is { } at)
        {
            return new AckResult(id, at);
        }

        // Whole milliseconds: what SQLite stores, so this answer equals every later one.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        db.TalkAcks.Add(new TalkAck { MessageId = id, UserId = userId, At = now });
        LiveEvents.ToChannel(db, g.Id, TalkNoticeEvents.Ack, new TalkEvent(g.Id, id, null));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same acknowledgement from a second tab at the same moment: the first one stands.
            db.ChangeTracker.Clear();
            now = await db.TalkAcks.AsNoTracking().Where(a => a.MessageId == id && a.UserId == userId).Select(a => a.At).FirstAsync(ct);
        }

        return new AckResult(id, now);
    }

    private sealed record Audience(string UserId, string Name, string Kana, string? Department, long LastRead);

    /// <summary>The channel's members other than the author (a hand-made outsider row in a department channel is not a member).</summary>
    private async Task<List<Audience>> AudienceAsync(ChannelGrant g, string authorId, CancellationToken ct)
    {
        var department = g.Channel.Kind == ChannelKind.Department;
        return await (from m in db.TalkMembers.AsNoTracking()
                      join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                      where m.ChannelId == g.Id && m.UserId != authorId
                            && !(department && (u.Kind == AccountKind.SideJobWorker || u.Kind == AccountKind.Partner))
                      select new Audience(u.Id, u.DisplayName, u.DisplayNameKana, u.Department == null ? null : u.Department.Name, m.LastReadMessageId))
            .ToListAsync(ct);
    }

    /// <summary>Who has acknowledged, read, not read a notice — for the author, the channel's owners and moderators.</summary>
    public async Task<Result<NoticeAcks>> AcksAsync(ChannelGrant g, string userId, long id, CancellationToken ct = default)
    {
        var notice = await NoticeAsync(g, id, ct);
        if (!notice.Ok)
        {
            return notice.Error!;
        }

        var m = notice.Value!;
        if (!MaySeeDetail(g, m.AuthorId, userId))
        {
            return TalkNoticeErrors.DetailRefused;
        }

        var people = await AudienceAsync(g, m.AuthorId, ct);
        var acks = await db.TalkAcks.AsNoTracking().Where(a => a.MessageId == id).ToDictionaryAsync(a => a.UserId, a => a.At, ct);
        var author = await db.Users.AsNoTracking().Where(u => u.Id == m.AuthorId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var state = await db.TalkNoticeStates.AsNoTracking().FirstOrDefaultAsync(s => s.MessageId == id, ct);
        var ordered = people.OrderBy(p => p.Kana, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        var acknowledged = ordered.Where(p => acks.ContainsKey(p.UserId)).OrderBy(p => acks[p.UserId])
            .Select(p => new NoticePerson(p.UserId, p.Name, p.Department, acks[p.UserId])).ToList();
        var read = ordered.Where(p => !acks.ContainsKey(p.UserId) && p.LastRead >= id).Select(p => new NoticePerson(p.UserId, p.Name, p.Department, null)).ToList();
        var unread = ordered.Where(p => !acks.ContainsKey(p.UserId) && p.LastRead < id).Select(p => new NoticePerson(p.UserId, p.Name, p.Department, null)).ToList();
        var last = state?.LastRemindedAt;
        return new NoticeAcks(id, g.Id, m.AuthorId, author, m.DeletedAt is null ? m.Body : "", m.CreatedAt, people.Count, acknowledged, read, unread, last,
            last is { } l ? l + RemindEvery : m.CreatedAt);
    }

    /// <summary>
    /// Reminds everyone who has not acknowledged (a notification each), at most once per <c>Dokodemo:Talk:NoticeRemindEvery</c>
    /// (default 6 hours) per notice; the author, the channel's owners and moderators may.
    /// </summary>
    public async Task<Result<RemindResult>> RemindAsync(ChannelGrant g, string userId, long id, CancellationToken ct = default)
    {
        var notice = await NoticeAsync(g, id, ct);
        if (!notice.Ok)
        {
            return notice.Error!;
        }

        var m = notice.Value!;
        if (!MaySeeDetail(g, m.AuthorId, userId))
        {
            return TalkNoticeErrors.DetailRefused;
        }

        if (m.DeletedAt is not null)
        {
            return TalkErrors.Deleted;
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var state = await db.TalkNoticeStates.FirstOrDefaultAsync(s => s.MessageId == id, ct);
        if (state?.LastRemindedAt is { } last && last + RemindEvery > now)
        {
            return TalkNoticeErrors.RemindTooSoon(last + RemindEvery);
        }

        if (state is null)
        {
            state = new TalkNoticeState { MessageId = id };
            db.TalkNoticeStates.Add(state);
        }

        state.LastRemindedAt = now;
        state.LastRemindedById = userId;
        var count = await NotifyPendingAsync(g.Channel, m, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A second reminder at the same moment (the state row's key): that one was sent.
            db.ChangeTracker.Clear();
            return TalkNoticeErrors.RemindTooSoon(now + RemindEvery);
        }

        await tx.CommitAsync(ct);
        await audit.WriteAsync("talk.notice_reminded", AuditOutcome.Success, actorId: userId, subjectId: m.AuthorId, details: new Dictionary<string, string?>
        {
            ["channel"] = TalkAccess.Id(g.Id), ["message"] = Num(id), ["reminded"] = Num(count),
        }, ct: ct);
        return new RemindResult(id, count, now);
    }

    /// <summary>Stages a reminder notification to each member (not the author) who has not acknowledged the notice; not saved.</summary>
    private async Task<int> NotifyPendingAsync(TalkChannel channel, TalkMessage m, CancellationToken ct)
    {
        var outsiders = channel.Kind == ChannelKind.Department;
        var pending = await (from mem in db.TalkMembers.AsNoTracking()
                             join u in db.Users.AsNoTracking() on mem.UserId equals u.Id
                             where mem.ChannelId == channel.Id && mem.UserId != m.AuthorId && !u.IsDisabled
                                   && !(outsiders && (u.Kind == AccountKind.SideJobWorker || u.Kind == AccountKind.Partner))
                                   && !db.TalkAcks.Any(a => a.MessageId == m.Id && a.UserId == mem.UserId)
                             select new { mem.UserId, u.Language }).ToListAsync(ct);
        var body = Excerpt(m.Body, 200);
        foreach (var person in pending)
        {
            // In each person's stored language: the sweep has no request, and the manual reminder's request is the sender's.
            var title = Text.For(person.Language, "talk.notice.remind_title", channel.Name);
            notifications.Add(person.UserId, "talk.notice_reminder", title, body, $"/talk/c/{channel.Id}#m-{m.Id}");
        }

        return pending.Count;
    }

    /// <summary>
    /// The automatic reminder: each notice older than <c>Dokodemo:Talk:NoticeRemindAfter</c> (default 24 hours, zero turns it
    /// off) and younger than that plus <see cref="SweepWindow"/> is reminded once to those who have not acknowledged it.
    /// Safe on several nodes: the state row is claimed by a conditional write before anyone is notified.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var after = configuration.GetValue(RemindAfterKey, DefaultRemindAfter);
        if (after <= TimeSpan.Zero)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var cutoff = now - after;
        var floor = cutoff - SweepWindow;
        var due = await db.TalkMessages.AsNoTracking()
            .Where(m => m.RequiresAck && m.ThreadRootId == null && m.DeletedAt == null && m.CreatedAt <= cutoff && m.CreatedAt > floor
                        && !db.TalkNoticeStates.Any(s => s.MessageId == m.Id && s.AutoRemindedAt != null))
            .OrderBy(m => m.Id).Take(200).ToListAsync(ct);
        var reminded = 0;
        foreach (var m in due)
        {
            var channel = await db.TalkChannels.AsNoTracking().FirstAsync(c => c.Id == m.ChannelId, ct);
            if (channel.Archived)
            {
                continue;
            }

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var claimed = await db.TalkNoticeStates.Where(s => s.MessageId == m.Id && s.AutoRemindedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.AutoRemindedAt, now).SetProperty(x => x.LastRemindedAt, now), ct);
            if (claimed == 0)
            {
                if (await db.TalkNoticeStates.AnyAsync(s => s.MessageId == m.Id, ct))
                {
                    continue;
                }

                db.TalkNoticeStates.Add(new TalkNoticeState { MessageId = m.Id, AutoRemindedAt = now, LastRemindedAt = now });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    db.ChangeTracker.Clear();
                    continue;
                }
            }

            reminded += await NotifyPendingAsync(channel, m, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return reminded;
    }

    /// <summary>Whether members of the channel see read state (the town's setting and the channel's).</summary>
    public async Task<bool> ReceiptsOnAsync(ChannelGrant g, CancellationToken ct = default) => (await settings.GetAsync(ct)).ReceiptsIn(g.Channel);

    /// <summary>
    /// Who has read a message (their read marker is at or past it), the author excluded: members when read receipts are on
    /// in the channel; when off, only for a notice and only to those who may see its detail.
    /// </summary>
    public async Task<Result<ReadersDto>> ReadersAsync(ChannelGrant g, string userId, long id, CancellationToken ct = default)
    {
        var m = await db.TalkMessages.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.ChannelId == g.Id, ct);
        if (m is null || m.ThreadRootId is not null)
        {
            return TalkErrors.MessageNotFound;
        }

        var allowed = (g.IsMember && await ReceiptsOnAsync(g, ct)) || (m.RequiresAck && MaySeeDetail(g, m.AuthorId, userId));
        if (!allowed)
        {
            return TalkNoticeErrors.ReadReceiptsOff;
        }

        var readers = (await AudienceAsync(g, m.AuthorId, ct)).Where(p => p.LastRead >= id)
            .OrderBy(p => p.Kana, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).Select(p => new ReaderDto(p.UserId, p.Name)).ToList();
        return new ReadersDto(id, readers.Count, readers);
    }

    /// <summary>What a message list shows for each message (既読 n; a notice's state), for the viewer.</summary>
    public async Task<IReadOnlyDictionary<long, MessageReceipt>> ReceiptsAsync(ChannelGrant g, string userId, IReadOnlyList<MessageDto> messages,
        CancellationToken ct = default)
    {
        var shown = messages.Where(m => !m.Deleted && m.ThreadRootId is null).ToList();
        if (shown.Count == 0 || !g.IsMember && !g.CanModerate)
        {
            return new Dictionary<long, MessageReceipt>();
        }

        var on = g.IsMember && await ReceiptsOnAsync(g, ct);
        var notices = shown.Where(m => m.RequiresAck).Select(m => m.Id).ToList();
        if (!on && notices.Count == 0)
        {
            return new Dictionary<long, MessageReceipt>();
        }

        var department = g.Channel.Kind == ChannelKind.Department;
        var markers = await (from mem in db.TalkMembers.AsNoTracking()
                             join u in db.Users.AsNoTracking() on mem.UserId equals u.Id
                             where mem.ChannelId == g.Id && !(department && (u.Kind == AccountKind.SideJobWorker || u.Kind == AccountKind.Partner))
                             select new { mem.UserId, mem.LastReadMessageId }).ToListAsync(ct);
        var members = markers.Select(x => x.UserId).ToHashSet(StringComparer.Ordinal);
        var acks = await db.TalkAcks.AsNoTracking().Where(a => notices.Contains(a.MessageId)).Select(a => new { a.MessageId, a.UserId, a.At }).ToListAsync(ct);
        var result = new Dictionary<long, MessageReceipt>();
        foreach (var m in shown)
        {
            int? read = on ? markers.Count(x => x.UserId != m.AuthorId && x.LastReadMessageId >= m.Id) : null;
            if (!m.RequiresAck)
            {
                if (read is not null)
                {
                    result[m.Id] = new MessageReceipt(m.Id, read, false, false, null, false, 0, 0);
                }

                continue;
            }

            var mine = acks.FirstOrDefault(a => a.MessageId == m.Id && a.UserId == userId)?.At;
            var detail = MaySeeDetail(g, m.AuthorId, userId);
            result[m.Id] = new MessageReceipt(m.Id, read, true, g.IsMember && m.AuthorId != userId, mine, detail,
                acks.Count(a => a.MessageId == m.Id && a.UserId != m.AuthorId && members.Contains(a.UserId)), members.Count(u => u != m.AuthorId));
        }

        return result;
    }

    /// <summary>
    /// Notices in my channels (not my own, not deleted, already sent), newest first, at most 100; with
    /// <paramref name="pendingOnly"/> only those I have not acknowledged. For the inbox page.
    /// </summary>
    public async Task<IReadOnlyList<NoticeSummary>> NoticesAsync(string userId, bool pendingOnly, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var kind = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Kind).FirstOrDefaultAsync(ct);
        var outsider = AccountKinds.IsOutsider(kind);
        var rows = await (from mem in db.TalkMembers.AsNoTracking()
                          join c in db.TalkChannels.AsNoTracking() on mem.ChannelId equals c.Id
                          join m in db.TalkMessages.AsNoTracking() on c.Id equals m.ChannelId
                          join u in db.Users.AsNoTracking() on m.AuthorId equals u.Id
                          where mem.UserId == userId && m.RequiresAck && m.ThreadRootId == null && m.DeletedAt == null && m.AuthorId != userId
                                && (m.ScheduledFor == null || m.ScheduledFor <= now) && !(outsider && c.Kind == ChannelKind.Department)
                          let ack = db.TalkAcks.Where(a => a.MessageId == m.Id && a.UserId == userId).Select(a => (DateTimeOffset?)a.At).FirstOrDefault()
                          where !pendingOnly || ack == null
                          orderby m.Id descending
                          select new { c.Id, c.Name, MessageId = m.Id, m.AuthorId, u.DisplayName, m.Body, m.CreatedAt, Ack = ack }).Take(100).ToListAsync(ct);
        return [.. rows.Select(r => new NoticeSummary(r.Id, r.Name, r.MessageId, r.AuthorId, r.DisplayName, Excerpt(r.Body, 120), r.CreatedAt, r.Ack))];
    }

    /// <summary>The notices in my channels I have not acknowledged yet (for the inbox built elsewhere).</summary>
    public Task<IReadOnlyList<NoticeSummary>> PendingNoticesAsync(string userId, CancellationToken ct = default) => NoticesAsync(userId, pendingOnly: true, ct);

    /// <summary>The acknowledgement list as CSV (UTF-8 with BOM for Excel): 状態, 氏名, 所属, 確認日時 (town time).</summary>
    public static string Csv(NoticeAcks a, TownClock town)
    {
        var sb = new System.Text.StringBuilder("\uFEFF状態,氏名,所属,確認日時\r\n");
        void Row(string state, NoticePerson p)
        {
            var at = p.AcknowledgedAt is { } t ? town.Local(t) : default;
            var when = p.AcknowledgedAt is null ? "" : $"{at.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)} {at.Time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)}";
            sb.Append(Cell(state)).Append(',').Append(Cell(p.Name)).Append(',').Append(Cell(p.Department ?? "")).Append(',').Append(Cell(when)).Append("\r\n");
        }

        foreach (var p in a.Acknowledged)
        {
            Row("確認済み", p);
        }

        foreach (var p in a.ReadNotAcknowledged)
        {
            Row("既読・未確認", p);
        }

        foreach (var p in a.NotRead)
        {
            Row("未読", p);
        }

        return sb.ToString();
    }

    /// <summary>A CSV cell: quoted, and a leading = + - @ neutralised so a spreadsheet does not run it as a formula.</summary>
    private static string Cell(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Excerpt(string body, int max)
    {
        var flat = string.Join(' ', body.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= max ? flat : flat[..max] + "…";
    }

    private static string Num(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static void Configure(ModelBuilder builder)
    {
        // The reminder sweep finds notices by time without reading every message.
        builder.Entity<TalkMessage>().HasIndex(x => new { x.RequiresAck, x.CreatedAt });
        builder.Entity<TalkNoticeState>(s =>
        {
            s.ToTable("TalkNoticeStates");
            s.HasKey(x => x.MessageId);
            s.Property(x => x.MessageId).ValueGeneratedNever();
            s.Property(x => x.LastRemindedById).HasMaxLength(450);
            s.HasOne<TalkMessage>().WithOne().HasForeignKey<TalkNoticeState>(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>The automatic notice reminder every <c>Dokodemo:Talk:NoticeSweepEvery</c> (default 15 minutes; zero turns it off).</summary>
public sealed class TalkNoticeSweep(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<TalkNoticeSweep> log)
    : Hosting.PeriodicSweep(scopes, configuration, log)
{
    public const string Key = "Dokodemo:Talk:NoticeSweepEvery";

    protected override string EveryKey => Key;
    protected override TimeSpan DefaultEvery => TimeSpan.FromMinutes(15);
    protected override string Name => "The Talk notice reminder";

    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var n = await services.GetRequiredService<TalkNotices>().SweepAsync(ct);
        if (n > 0)
        {
            Log.LogInformation("Reminded {Count} people of notices they have not acknowledged.", n);
        }
    }
}
