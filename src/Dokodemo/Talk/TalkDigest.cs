using System.Globalization;
using System.Text;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
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
                            select new { p.UserId, p.DigestHour, p.DigestSince, p.LastDigestDay, u.TimeZone, u.Email, u.DisplayName, u.Kind }).ToListAsync(ct);
        var sent = 0;
        foreach (var person in people)
        {
            var local = TimeZoneInfo.ConvertTime(now, QuietHours.Zone(person.TimeZone));
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
            var message = Compose(person.Email!, person.DisplayName, items, secret.ToHashSet(), local);
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

    private MailMessageData Compose(string to, string name, IReadOnlyList<InboxItem> items, HashSet<int> secret, DateTimeOffset local)
    {
        var url = options.Value.PublicUrl.TrimEnd('/');
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{name}さん\n\nトークで、あなた宛ての未読のメンションと確認待ちのお知らせが {items.Count} 件あります。\n\n");
        foreach (var i in items.Take(MaxItems))
        {
            var kind = i.Kind switch { "notice" => "確認依頼", "channel" => "@channel", _ => "メンション" };
            text.Append(CultureInfo.InvariantCulture, $"■ #{i.ChannelName}（{kind}）{i.AuthorName} {i.CreatedAt.ToOffset(local.Offset):M/d HH:mm}\n");
            if (!secret.Contains(i.ChannelId))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {TalkInboxNotices.Snippet(i.Snippet, 80)}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"  {url}{i.Link}\n\n");
        }

        if (items.Count > MaxItems)
        {
            text.Append(CultureInfo.InvariantCulture, $"ほか {items.Count - MaxItems} 件は受信箱でご覧ください: {url}/talk/inbox\n\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"受信箱: {url}/talk/inbox\nこのメールの設定: {url}/talk/settings\n");
        var subject = string.Create(CultureInfo.InvariantCulture, $"[どこでも役場] トークのまとめ {local:M/d}（{items.Count} 件）");
        return new MailMessageData(to, subject, text.ToString());
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
