using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>
/// The town's Talk settings (one row, id 1; migration 0020). Without a row the defaults hold: read receipts on, and
/// channel owners may turn them off for their channel.
/// </summary>
public sealed class TalkTownSettings
{
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;

    /// <summary>既読表示 town-wide: when off, nobody sees who has read what, except a notice's author and moderators for that notice.</summary>
    public bool ReadReceipts { get; set; } = true;

    /// <summary>Whether a channel's owner may turn read receipts off for their channel.</summary>
    public bool ChannelsMayDisable { get; set; } = true;

    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedById { get; set; }

    /// <summary>Whether members of this channel see read state (既読 n, who has read): the town's switch, then the channel's.</summary>
    public bool ReceiptsIn(TalkChannel channel) => ReadReceipts && (channel.ReadReceipts || !ChannelsMayDisable);
}

public sealed record TalkSettingsDto(bool ReadReceipts, bool ChannelsMayDisable, DateTimeOffset? UpdatedAt);

public sealed record TalkSettingsRequest(bool? ReadReceipts, bool? ChannelsMayDisable);

public sealed record ChannelReceiptsRequest(bool? Enabled);

/// <summary>Reads and changes the town's Talk settings (changes are audited).</summary>
public sealed class TalkSettingsStore(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    public static readonly Error Invalid = Errors.Field("talk.settings_invalid", "readReceipts");

    public async Task<TalkTownSettings> GetAsync(CancellationToken ct = default) =>
        await db.TalkTownSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == TalkTownSettings.SingleId, ct) ?? new TalkTownSettings();

    public static TalkSettingsDto Dto(TalkTownSettings s) => new(s.ReadReceipts, s.ChannelsMayDisable, s.UpdatedAt == default ? null : s.UpdatedAt);

    public async Task<Result<TalkSettingsDto>> SaveAsync(string userId, TalkSettingsRequest request, CancellationToken ct = default)
    {
        if (request.ReadReceipts is not { } receipts || request.ChannelsMayDisable is not { } mayDisable)
        {
            return Invalid;
        }

        var row = await db.TalkTownSettings.FirstOrDefaultAsync(s => s.Id == TalkTownSettings.SingleId, ct);
        if (row is null)
        {
            row = new TalkTownSettings();
            db.TalkTownSettings.Add(row);
        }

        row.ReadReceipts = receipts;
        row.ChannelsMayDisable = mayDisable;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedById = userId;
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("talk.settings_changed", AuditOutcome.Success, actorId: userId, details: new Dictionary<string, string?>
        {
            ["readReceipts"] = receipts ? "true" : "false", ["channelsMayDisable"] = mayDisable ? "true" : "false",
        }, ct: ct);
        return Dto(row);
    }

    /// <summary>A channel's owner turns read receipts on or off for the channel (off only when the town allows it).</summary>
    public async Task<Error?> SetChannelAsync(ChannelGrant g, string userId, bool? enabled, CancellationToken ct = default)
    {
        if (enabled is not { } on)
        {
            return Errors.Field("talk.settings_invalid", "enabled");
        }

        if (!g.IsOwner)
        {
            return TalkErrors.NotOwner;
        }

        if (!on && !(await GetAsync(ct)).ChannelsMayDisable)
        {
            return TalkNoticeErrors.ReadReceiptsLocked;
        }

        await db.TalkChannels.Where(c => c.Id == g.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ReadReceipts, on), ct);
        await audit.WriteAsync("talk.channel_read_receipts", AuditOutcome.Success, actorId: userId, details: new Dictionary<string, string?>
        {
            ["channel"] = TalkAccess.Id(g.Id), ["enabled"] = on ? "true" : "false",
        }, ct: ct);
        return null;
    }

    public static void Configure(ModelBuilder builder) =>
        builder.Entity<TalkTownSettings>(s =>
        {
            s.ToTable("TalkSettings");
            s.Property(x => x.Id).ValueGeneratedNever();
            s.Property(x => x.UpdatedById).HasMaxLength(450);
        });
}

/// <summary><c>/api/v1/talk/settings</c>: everyone inside reads the town's Talk settings; administrators change them.</summary>
public static class TalkSettingsApi
{
    /// <summary>Read: insiders (what the pages show); change: administrators (DefaultPolicy <c>allow-admin-talk-settings</c>).</summary>
    public const string Policy = "access:talk.settings:read:administer:none";

    /// <summary>The admin page: administrators only.</summary>
    public const string AdminPolicy = "access:talk.settings:administer:administer:none";

    public static WebApplication MapTalkSettingsApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/talk/settings").WithTags("Talk").RequireAuthorization(Policy);
        group.MapGet("", Get);
        group.MapPut("", Put);
        return app;
    }

    public static async Task<Ok<TalkSettingsDto>> Get(TalkSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(TalkSettingsStore.Dto(await store.GetAsync(ct)));

    public static async Task<Results<Ok<TalkSettingsDto>, ProblemHttpResult>> Put(TalkSettingsRequest request, TalkSettingsStore store, CurrentUser me,
        CancellationToken ct)
    {
        var r = await store.SaveAsync(me.Id, request, ct);
        return r.Ok ? TypedResults.Ok(r.Value!) : TalkApi.Problem(r.Error!);
    }
}
