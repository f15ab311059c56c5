using System.Text;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Talk;

/// <summary>
/// The daily e-mail digest (opt-in): once per person and local day, from their chosen hour, one e-mail listing the inbox
/// items (unread mentions, @channel, pending notices) that came since the last digest; none when nothing is new, none
/// at all when SMTP is not configured. Channels the person is no longer a member of never appear; for channels above
/// 機密性2 only the channel and the author are named, never the text.
/// </summary>
public sealed class TalkDigest(AppDbContext db, TimeProvider clock, IMailSender mail, IOptions<DokodemoOptions> options, ILogger<TalkDigest> log)
{
    public const int MaxItems = 30;

    /// <summary>Sends the digests that are due; returns how many e-mails were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        if (!mail.IsConfigured)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var people = await (from p in db.TalkPreferences.AsNoTracking()
                            join u in db.Users.AsNoTracking() on p.UserId equals u.Id
                            where p.DigestEnabled && !u.IsDisabled && u.Email != null
                            select new { p.UserId, p.DigestHour, p.DigestSince, p.LastDigestDay, u.TimeZone, u.Email, u.DisplayName, u.Kind, u.Language }).ToListAsync(ct);
        var sent = 0;
        foreach (var person in people)
        {
            var zone = QuietHours.Zone(person.TimeZone);
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var today = DateOnly.FromDateTime(local.DateTime);
            if (local.Hour < person.DigestHour || (person.LastDigestDay is { } last && last >= today))
            {
                continue;
            }

            // Claim the day (a conditional UPDATE: one node, once).
            var claimed = await db.TalkPreferences.Where(p => p.UserId == person.UserId && (p.LastDigestDay == null || p.LastDigestDay < today))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastDigestDay, today).SetProperty(p => p.DigestSince, now), ct);
            if (claimed == 0)
            {
                continue;
            }

            var items = (await TalkInbox.ItemsAsync(db, person.UserId, AccountKinds.IsOutsider(person.Kind), person.DigestSince, ct))
                .Where(i => i.CreatedAt <= now).ToList();
            if (items.Count == 0)
            {
                continue;
            }

            var secret = await db.TalkChannels.AsNoTracking().Where(c => c.Classification > Confidentiality.Level2).Select(c => c.Id).ToListAsync(ct);
            var message = Compose(person.Email!, person.DisplayName, person.Language, items, secret.ToHashSet(), zone, local);
            try
            {
                await mail.SendAsync(message, ct);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Give the day back, so the next sweep tries again.
                await db.TalkPreferences.Where(p => p.UserId == person.UserId && p.LastDigestDay == today)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastDigestDay, person.LastDigestDay).SetProperty(p => p.DigestSince, person.DigestSince), ct);
                log.LogWarning("The Talk digest for a person could not be sent ({Kind}); it is tried again.", ex.GetType().Name);
            }
        }

        return sent;
    }

    /// <summary>
    /// The e-mail in the person's stored language (null: Japanese), from the catalog's pairs and never from the ambient
    /// culture (a sweep has no request); times in their own <paramref name="zone"/>, written their language's way.
    /// </summary>
    private MailMessageData Compose(string to, string name, string? language, IReadOnlyList<InboxItem> items, HashSet<int> secret, TimeZoneInfo zone,
        DateTimeOffset local)
    {
        var url = options.Value.PublicUrl.TrimEnd('/');
        var culture = Languages.Culture(language);
        var text = new StringBuilder();
        text.Append(Text.For(language, "talk.digest.greeting", name)).Append("\n\n");
        text.Append(Text.For(language, "talk.digest.intro", items.Count)).Append("\n\n");
        foreach (var i in items.Take(MaxItems))
        {
            var kind = Text.For(language, i.Kind switch { "notice" => "talk.inbox.kind.notice", "channel" => "talk.inbox.kind.channel", _ => "talk.inbox.kind.mention" });
            var at = TimeZoneInfo.ConvertTime(i.CreatedAt, zone).ToString(Text.For(language, "talk.digest.time_format"), culture);
            text.Append(Text.For(language, "talk.digest.item", i.ChannelName, kind, i.AuthorName, at)).Append('\n');
            if (!secret.Contains(i.ChannelId))
            {
                text.Append("  ").Append(TalkInboxNotices.Snippet(i.Snippet, 80)).Append('\n');
            }

            text.Append("  ").Append(url).Append(i.Link).Append("\n\n");
        }

        if (items.Count > MaxItems)
        {
            text.Append(Text.For(language, "talk.digest.more", items.Count - MaxItems, $"{url}/talk/inbox")).Append("\n\n");
        }

        text.Append(Text.For(language, "talk.digest.inbox", $"{url}/talk/inbox")).Append('\n');
        text.Append(Text.For(language, "talk.digest.settings", $"{url}/talk/settings")).Append('\n');
        var day = local.ToString(Text.For(language, "talk.digest.day_format"), culture);
        return new MailMessageData(to, Text.For(language, "talk.digest.subject", day, items.Count), text.ToString());
    }
}

/// <summary>
/// Every <c>Dokodemo:Talk:InboxSweep</c> (default 30 seconds; zero turns it off): publishes due scheduled messages,
/// delivers notifications held for quiet hours that have ended, and sends due digests. Each step is safe to run on
/// several nodes at once (each claims its rows with a conditional write).
/// </summary>
public sealed class TalkInboxSweep(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<TalkInboxSweep> log)
    : Hosting.PeriodicSweep(scopes, configuration, log)
{
    public const string Key = "Dokodemo:Talk:InboxSweep";

    protected override string EveryKey => Key;
    protected override TimeSpan DefaultEvery => TimeSpan.FromSeconds(30);
    protected override string Name => "The Talk inbox sweep";

    /// <summary>One round of the three steps (tests call it with the fake clock).</summary>
    public static async Task RunOnceAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await services.GetRequiredService<TalkSchedule>().PublishDueAsync(ct);
        await TalkInboxNotices.ReleaseHeldAsync(services.GetRequiredService<AppDbContext>(), services.GetRequiredService<TimeProvider>(), ct);
        await services.GetRequiredService<TalkDigest>().SendDueAsync(ct);
    }

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) => RunOnceAsync(services, ct);
}
