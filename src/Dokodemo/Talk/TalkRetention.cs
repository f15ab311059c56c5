using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Domain.Calendar;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>The stable codes of retention and export; each has a sentence in Text.TalkRetention.cs.</summary>
public static class TalkRetentionErrors
{
    public static readonly Error ClassUnknown = Errors.Field("talk.retention_class_unknown", "class") with { Status = 422 };
    public static readonly Error BelowDefault = Errors.Field("talk.retention_below_default", "class") with { Status = 422 };
    public static readonly Error HoldAdminOnly = new("talk.hold_admin_only", 403);
    public static readonly Error HoldReasonRequired = Errors.Field("talk.hold_reason_required", "holdReason") with { Status = 422 };
    public static readonly Error HoldReasonTooLong = Errors.Field("talk.hold_reason_too_long", "holdReason") with { Status = 422 };
    public static readonly Error DateInvalid = Errors.Field("talk.export_date_invalid", "from") with { Status = 422 };
    public static readonly Error DateInvalidTo = Errors.Field("talk.export_date_invalid", "to") with { Status = 422 };
    public static readonly Error RangeInvalid = Errors.Field("talk.export_range_invalid", "to") with { Status = 422 };
    public static readonly Error TooLarge = new("talk.export_too_large", 422);
    public static readonly Error ChangedMeanwhile = new("talk.retention_changed_meanwhile", 409);

    public static IReadOnlyList<Error> All { get; } = [ClassUnknown, BelowDefault, HoldAdminOnly, HoldReasonRequired, HoldReasonTooLong, DateInvalid, RangeInvalid, TooLarge, ChangedMeanwhile];
}

/// <summary>Who reaches a channel's records functions, and as what.</summary>
/// <param name="IsOwner">The channel's owner (policy: talk.records, relation member).</param>
/// <param name="IsRecordsAdmin">An administrator / records officer (policy: talk.records Administer) — reaches every channel, including DMs they are not in.</param>
public sealed record RecordsGrant(TalkChannel Channel, bool IsOwner, bool IsRecordsAdmin);

/// <summary>A channel's retention as the API and page show it.</summary>
/// <param name="Class">The channel's own class, null when the town default applies.</param>
/// <param name="EffectiveClass">The class in force ("days" when only the old <c>RetentionDays</c> column says something).</param>
/// <param name="Source">"channel", "days" (the old column) or "default" (the town's default for the kind).</param>
/// <param name="DisposableBefore">Messages created before this instant are disposed by the next sweep (null: nothing is, e.g. 常用・永年 or on hold).</param>
public sealed record RetentionDto(int ChannelId, string Kind, string? Class, string EffectiveClass, string Source, int? RetentionDays, string DefaultClass,
    bool LegalHold, string? HoldReason, DateTimeOffset? HoldSince, DateTimeOffset? DisposableBefore, bool MayChange, bool MayHold);

/// <summary>PUT …/retention: <c>class</c> (a code, or null for the town default); <c>legalHold</c> and <c>holdReason</c> (administrators only).</summary>
public sealed record RetentionRequest(string? Class, bool? LegalHold = null, string? HoldReason = null);

/// <summary>What one sweep did.</summary>
public sealed record RetentionSweepReport(int Channels, int Messages, int Revisions, int Reactions, int Mentions, int HeldChannels, int PinnedKept);

/// <summary>
/// Extension point: another part of Talk whose data hangs on messages (files, the search index) registers one of these
/// (<c>services.AddScoped&lt;ITalkDisposalStep, …&gt;()</c>); the sweep calls each inside the transaction that disposes a
/// batch, with the message ids, so the part's rows go with the text or not at all.
/// </summary>
public interface ITalkDisposalStep
{
    /// <summary>A short name for the audit details (e.g. "files").</summary>
    string Name { get; }

    /// <summary>Remove what belongs to these messages; return how many rows went.</summary>
    Task<int> DisposeAsync(AppDbContext db, IReadOnlyList<long> messageIds, CancellationToken ct);

    /// <summary>After the batch's transaction committed (e.g. remove bytes outside the database). Nothing by default.</summary>
    Task CommittedAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// Retention (保存期間) of Talk, aligned with the town's 文書管理規程.
/// <list type="bullet">
/// <item><b>Class in force</b>: the channel's own class if set; else the old <c>TalkChannel.RetentionDays</c> if set (counted
/// in days from the message, as before); else the town default for the kind (<c>Dokodemo:Talk:RetentionDefaults:{Kind}</c>,
/// built in: department and project 5年, topic 3年, direct and group 1年).</item>
/// <item><b>年度末起算</b>: a class of N years runs from 1 April after the end of the fiscal year (年度) in which the message
/// was written, in town time: a message of 2025-03-31 (2024年度) with 1年 is disposed from 2026-04-01; one of 2025-04-01
/// (2025年度) from 2027-04-01. 常用・永年 is never disposed.</item>
/// <item><b>Disposal</b> keeps the row as a tombstone (id, channel, author, time, thread) with the text emptied and the reason
/// <see cref="DisposedReason"/>; revisions, reactions, mentions and acknowledgements are deleted. Threads and the records
/// of what existed stay intact. Pinned messages are kept while pinned (in use, like 常用). Channels on legal hold are not touched.</item>
/// </list>
/// </summary>
public sealed class TalkRetention(AppDbContext db, TimeProvider clock, TownClock town, AuditLog audit, IConfiguration configuration,
    IEnumerable<ITalkDisposalStep> steps)
{
    public const string DisposedReason = "保存期間満了により廃棄";
    public const int MaxHoldReason = 200;
    public const int Batch = 500;
    public const string DefaultsKey = "Dokodemo:Talk:RetentionDefaults";

    /// <summary>The town default class for a kind (configuration, else the built-in one).</summary>
    public RetentionClass DefaultFor(ChannelKind kind) =>
        RetentionClasses.Find(configuration[$"{DefaultsKey}:{kind}"]) ?? RetentionClasses.BuiltInDefault(kind);

    /// <summary>The instant before which messages are past their period now (null: none is).</summary>
    public DateTimeOffset? CutoffFor(ChannelKind kind, int? retentionDays, TalkChannelRetention? settings, DateTimeOffset now)
    {
        if (settings?.LegalHold == true)
        {
            return null;
        }

        if (RetentionClasses.Find(settings?.Class) is null && retentionDays is { } days)
        {
            return days > 0 ? now.AddDays(-days) : null;
        }

        var c = RetentionClasses.Find(settings?.Class) ?? DefaultFor(kind);
        return c.Years is { } years ? FiscalCutoff(years, now, town.Zone) : null;
    }

    /// <summary>
    /// 年度末起算: a message is past a period of <paramref name="years"/> once 1 April of (its 年度 + 1 + years) has begun,
    /// i.e. it was written before 1 April of (this 年度 − years), town time. UTC (PostgreSQL stores instants in UTC only).
    /// </summary>
    public static DateTimeOffset FiscalCutoff(int years, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var start = new DateTime(JapaneseDates.FiscalYear(today) - years, 4, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(start, zone.GetUtcOffset(start)).ToUniversalTime();
    }

    public async Task<RetentionDto> GetAsync(TalkChannel channel, bool mayChange, bool mayHold, CancellationToken ct)
    {
        var settings = await db.TalkChannelRetention.AsNoTracking().FirstOrDefaultAsync(r => r.ChannelId == channel.Id, ct);
        return Shape(channel, settings, mayChange, mayHold);
    }

    private RetentionDto Shape(TalkChannel channel, TalkChannelRetention? settings, bool mayChange, bool mayHold)
    {
        var own = RetentionClasses.Find(settings?.Class);
        var (effective, source) = own is not null ? (own.Code, "channel")
            : channel.RetentionDays is not null ? ("days", "days")
            : (DefaultFor(channel.Kind).Code, "default");
        return new RetentionDto(channel.Id, channel.Kind.ToString(), own?.Code, effective, source, channel.RetentionDays, DefaultFor(channel.Kind).Code,
            settings?.LegalHold ?? false, settings?.HoldReason, settings?.HoldSince,
            CutoffFor(channel.Kind, channel.RetentionDays, settings, clock.GetUtcNow()), mayChange, mayHold);
    }

    /// <summary>
    /// Sets the class and/or the hold. Owners may choose a class no shorter than the town default; administrators any,
    /// and only they set or release a legal hold (with a reason). Validated first: a refusal changes nothing.
    /// </summary>
    public async Task<Result<RetentionDto>> SetAsync(RecordsGrant g, string actorId, RetentionRequest request, CancellationToken ct)
    {
        var wanted = request.Class is null or "" or "default" ? null : RetentionClasses.Find(request.Class);
        if (request.Class is not (null or "" or "default") && wanted is null)
        {
            return TalkRetentionErrors.ClassUnknown;
        }

        if (wanted is not null && !g.IsRecordsAdmin && RetentionClasses.Rank(wanted) < RetentionClasses.Rank(DefaultFor(g.Channel.Kind)))
        {
            return TalkRetentionErrors.BelowDefault;
        }

        var settings = await db.TalkChannelRetention.FirstOrDefaultAsync(r => r.ChannelId == g.Channel.Id, ct);
        var holdChanges = request.LegalHold is { } h && h != (settings?.LegalHold ?? false);
        var reason = request.HoldReason?.Trim();
        if (holdChanges && !g.IsRecordsAdmin)
        {
            return TalkRetentionErrors.HoldAdminOnly;
        }

        if (holdChanges && request.LegalHold == true && string.IsNullOrEmpty(reason))
        {
            return TalkRetentionErrors.HoldReasonRequired;
        }

        if (reason is { Length: > MaxHoldReason })
        {
            return TalkRetentionErrors.HoldReasonTooLong;
        }

        var now = clock.GetUtcNow();
        if (settings is null)
        {
            settings = new TalkChannelRetention { ChannelId = g.Channel.Id };
            db.TalkChannelRetention.Add(settings);
        }

        var before = settings.Class;
        settings.Class = wanted?.Code;
        settings.UpdatedAt = now;
        settings.UpdatedById = actorId;
        if (holdChanges)
        {
            settings.LegalHold = request.LegalHold!.Value;
            settings.HoldReason = settings.LegalHold ? reason : null;
            settings.HoldSince = settings.LegalHold ? now : null;
            settings.HoldById = settings.LegalHold ? actorId : null;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Someone else saved this channel's first settings between our read and our insert: theirs stand, nothing of
            // ours was written; the caller sees the current settings and may try again.
            return TalkRetentionErrors.ChangedMeanwhile;
        }

        var id = TalkAccess.Id(g.Channel.Id);
        if (before != settings.Class)
        {
            await audit.WriteAsync("talk.retention_changed", AuditOutcome.Success, actorId, id, new Dictionary<string, string?>
            {
                ["from"] = before ?? "default", ["to"] = settings.Class ?? "default", ["as"] = g.IsRecordsAdmin ? "admin" : "owner",
            }, ct: ct);
        }

        if (holdChanges)
        {
            await audit.WriteAsync(settings.LegalHold ? "talk.legal_hold_set" : "talk.legal_hold_released", AuditOutcome.Success, actorId, id,
                new Dictionary<string, string?> { ["reason"] = reason }, ct: ct);
        }

        return Shape(g.Channel, settings, mayChange: true, mayHold: g.IsRecordsAdmin);
    }

    /// <summary>
    /// One sweep over every channel (the hosted loop calls it; tests call it directly). Disposes in batches of
    /// <see cref="Batch"/>, each in its own transaction that checks the hold again; writes one <c>talk.retention_disposed</c>
    /// per channel with counts. Idempotent: disposed messages are not candidates again.
    /// </summary>
    public async Task<RetentionSweepReport> SweepAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var channels = await db.TalkChannels.AsNoTracking().Select(c => new { c.Id, c.Kind, c.RetentionDays }).ToListAsync(ct);
        var settings = await db.TalkChannelRetention.AsNoTracking().ToDictionaryAsync(r => r.ChannelId, ct);
        int touched = 0, messages = 0, revisions = 0, reactions = 0, mentions = 0, held = 0, pinned = 0;
        foreach (var c in channels)
        {
            var s = settings.GetValueOrDefault(c.Id);
            if (s?.LegalHold == true)
            {
                held++;
                continue;
            }

            if (CutoffFor(c.Kind, c.RetentionDays, s, now) is not { } cutoff)
            {
                continue;
            }

            var counts = new int[4];
            var extra = new Dictionary<string, int>(StringComparer.Ordinal);
            while (true)
            {
                var ids = await db.TalkMessages.AsNoTracking()
                    .Where(m => m.ChannelId == c.Id && m.CreatedAt < cutoff && !(m.Body == "" && m.DeleteReason == DisposedReason))
                    .Where(m => !db.TalkPins.Any(p => p.MessageId == m.Id))
                    .OrderBy(m => m.Id).Select(m => m.Id).Take(Batch).ToListAsync(ct);
                if (ids.Count == 0)
                {
                    break;
                }

                await using var tx = await db.Database.BeginTransactionAsync(ct);
                if (await db.TalkChannelRetention.AnyAsync(r => r.ChannelId == c.Id && r.LegalHold, ct))
                {
                    // A hold arrived during the sweep: nothing more goes.
                    break;
                }

                counts[1] += await db.TalkRevisions.Where(r => ids.Contains(r.MessageId)).ExecuteDeleteAsync(ct);
                counts[2] += await db.TalkReactions.Where(r => ids.Contains(r.MessageId)).ExecuteDeleteAsync(ct);
                counts[3] += await db.TalkMentions.Where(r => ids.Contains(r.MessageId)).ExecuteDeleteAsync(ct);
                await db.TalkAcks.Where(r => ids.Contains(r.MessageId)).ExecuteDeleteAsync(ct);
                foreach (var step in steps)
                {
                    extra[step.Name] = extra.GetValueOrDefault(step.Name) + await step.DisposeAsync(db, ids, ct);
                }

                counts[0] += await db.TalkMessages.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.Body, "")
                    .SetProperty(m => m.DeleteReason, DisposedReason)
                    .SetProperty(m => m.DeletedAt, m => m.DeletedAt ?? now), ct);
                await tx.CommitAsync(ct);
                foreach (var step in steps)
                {
                    await step.CommittedAsync(ct);
                }
            }

            pinned += await db.TalkPins.CountAsync(p => p.ChannelId == c.Id && db.TalkMessages.Any(m => m.Id == p.MessageId && m.CreatedAt < cutoff), ct);
            if (counts[0] == 0)
            {
                continue;
            }

            touched++;
            messages += counts[0];
            revisions += counts[1];
            reactions += counts[2];
            mentions += counts[3];
            var details = new Dictionary<string, string?>
            {
                ["messages"] = Num(counts[0]), ["revisions"] = Num(counts[1]), ["reactions"] = Num(counts[2]), ["mentions"] = Num(counts[3]),
                ["class"] = RetentionClasses.Find(s?.Class)?.Code ?? (c.RetentionDays is not null ? "days" : DefaultFor(c.Kind).Code),
                ["before"] = cutoff.ToString("O", CultureInfo.InvariantCulture),
            };
            foreach (var (name, n) in extra)
            {
                details[name] = Num(n);
            }

            await audit.WriteAsync("talk.retention_disposed", AuditOutcome.Success, subjectId: TalkAccess.Id(c.Id), details: details, ct: ct);
        }

        return new RetentionSweepReport(touched, messages, revisions, reactions, mentions, held, pinned);
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Who may reach a channel's records functions. The owner (visible channel, owner row, policy <c>talk.records</c> with
/// relation member) reads, changes the class and exports; an administrator (policy <c>talk.records</c> Administer, asked only
/// of people with the admin role so that ordinary refusals do not flood the audit log) does all of that on every channel —
/// DMs and private channels they are not in included, since records requests reach them — and sets legal holds. Anyone
/// else who can see the channel gets 403 (the policy is asked, so the refusal is audited); a channel they cannot see, 404.
/// </summary>
public sealed class TalkRecordsAccess(AppDbContext db, TalkAccess talk, AccessCheck access, CurrentUser me)
{
    public string UserId => me.Id;

    public async Task<Result<RecordsGrant>> GrantAsync(int channelId, AccessAction action, CancellationToken ct)
    {
        var id = TalkAccess.Id(channelId);
        var g = await talk.ChannelAsync(channelId, ct);
        if (g.Ok && g.Value!.IsOwner && !talk.IsOutsider && await access.AllowsAsync(ResourceTypes.TalkRecords, action, id, Relation.Member, ct))
        {
            return new RecordsGrant(g.Value.Channel, IsOwner: true, IsRecordsAdmin: await IsAdminAsync(id, ct));
        }

        if (await IsAdminAsync(id, ct))
        {
            var channel = g.Ok ? g.Value!.Channel : await db.TalkChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId, ct);
            return channel is null ? TalkErrors.ChannelNotFound : new RecordsGrant(channel, g.Ok && g.Value!.IsOwner, IsRecordsAdmin: true);
        }

        if (!g.Ok)
        {
            return g.Error!;
        }

        // Visible but not theirs: ask the policy with relation none, so the refusal is decided (and audited) there.
        return await access.AllowsAsync(ResourceTypes.TalkRecords, action, id, Relation.None, ct)
            ? new RecordsGrant(g.Value!.Channel, false, false)
            : TalkErrors.AccessDenied;
    }

    /// <summary>For the GET: anyone who may read the channel sees its retention; owners and administrators also learn what they may change.</summary>
    public async Task<Result<(TalkChannel Channel, bool MayChange, bool MayHold)>> ViewAsync(int channelId, CancellationToken ct)
    {
        var g = await talk.ChannelAsync(channelId, ct);
        if (g.Ok && !g.Value!.IsOwner && !me.IsInRole(Roles.Admin))
        {
            return (g.Value.Channel, false, false);
        }

        var records = await GrantAsync(channelId, AccessAction.Read, ct);
        if (records.Ok)
        {
            return (records.Value!.Channel, true, records.Value.IsRecordsAdmin);
        }

        return g.Ok ? (g.Value!.Channel, false, false) : g.Error!;
    }

    private async Task<bool> IsAdminAsync(string id, CancellationToken ct) =>
        me.IsInRole(Roles.Admin) && await access.AllowsAsync(ResourceTypes.TalkRecords, AccessAction.Administer, id, Relation.None, ct);
}

/// <summary>
/// The retention sweep every <c>Dokodemo:Talk:RetentionEvery</c> (default 6 hours; zero turns it off). Several nodes may
/// run it: a batch is idempotent (disposed messages are not candidates again).
/// </summary>
public sealed class TalkRetentionSweep(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<TalkRetentionSweep> log)
    : Hosting.PeriodicSweep(scopes, configuration, log)
{
    public const string Key = "Dokodemo:Talk:RetentionEvery";

    protected override string EveryKey => Key;
    protected override TimeSpan DefaultEvery => TimeSpan.FromHours(6);
    protected override string Name => "The Talk retention sweep";

    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var report = await services.GetRequiredService<TalkRetention>().SweepAsync(ct);
        if (report.Messages > 0)
        {
            Log.LogInformation("Talk retention: {Messages} messages disposed in {Channels} channels.", report.Messages, report.Channels);
        }
    }
}
