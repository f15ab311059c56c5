using System.Globalization;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Calendar;
using Dokodemo.Notifications;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>
/// Quiet hours (通知を控える時間): from–to in the person's own time zone (wrapping past midnight when from &gt; to), and
/// optionally all of Saturdays, Sundays and national holidays of their local date.
/// </summary>
public static class QuietHours
{
    public static bool IsQuiet(TalkPreference? p, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (p is null)
        {
            return false;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        if (p.QuietWeekends && (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || JapaneseHolidays.IsHoliday(date)))
        {
            return true;
        }

        if (p.QuietFromMinute is not { } from || p.QuietToMinute is not { } to || from == to)
        {
            return false;
        }

        var minute = (local.Hour * 60) + local.Minute;
        return from < to ? minute >= from && minute < to : minute >= from || minute < to;
    }

    /// <summary>The person's zone (IANA id); an unknown id falls back to the town's (Asia/Tokyo).</summary>
    public static TimeZoneInfo Zone(string? id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(id) ? "Asia/Tokyo" : id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        }
    }
}

/// <summary>
/// Talk's notifications: a mention tells the person (お知らせ, with a link to the message), unless they are in their quiet
/// hours — then it is held and delivered by <see cref="ReleaseHeldAsync"/> when the quiet hours end. The inbox shows the
/// mention either way.
/// </summary>
public static class TalkInboxNotices
{
    public const string MentionKind = "talk.mention";

    /// <summary>Stages the notifications (or held notifications) for the people a new message mentions; the caller saves.</summary>
    public static async Task MentionedAsync(AppDbContext db, TimeProvider clock, TalkMessage message, IReadOnlyCollection<string> mentioned, CancellationToken ct)
    {
        var people = mentioned.Where(u => u != message.AuthorId).Distinct(StringComparer.Ordinal).ToList();
        if (people.Count == 0)
        {
            return;
        }

        var author = await db.Users.AsNoTracking().Where(u => u.Id == message.AuthorId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var channel = await db.TalkChannels.AsNoTracking().Where(c => c.Id == message.ChannelId).Select(c => new { c.Name, c.Classification }).FirstAsync(ct);
        // Each person's language (unset: Japanese), zone and quiet hours, in one read.
        var recipients = await (from u in db.Users.AsNoTracking()
                                where people.Contains(u.Id)
                                join p in db.TalkPreferences.AsNoTracking() on u.Id equals p.UserId into prefs
                                from p in prefs.DefaultIfEmpty()
                                select new { u.Id, u.Language, u.TimeZone, Preferences = p }).ToDictionaryAsync(r => r.Id, StringComparer.Ordinal, ct);
        var now = clock.GetUtcNow();
        // The text only for channels up to 機密性2; a notification may be read on a lock screen.
        var body = channel.Classification <= Confidentiality.Level2 ? $"#{channel.Name}: {Snippet(message.Body, 100)}" : $"#{channel.Name}";
        var link = Link(message);
        var notifications = new NotificationService(db, clock);
        foreach (var person in people)
        {
            var r = recipients.GetValueOrDefault(person);
            var title = Text.For(r?.Language, "talk.mention.title", author);
            if (r is not null && QuietHours.IsQuiet(r.Preferences, QuietHours.Zone(r.TimeZone), now))
            {
                db.TalkHeldNotifications.Add(new TalkHeldNotification { UserId = person, Kind = MentionKind, Title = title, Body = body, Link = link, CreatedAt = now });
            }
            else
            {
                notifications.Add(person, MentionKind, title, body, link);
            }
        }
    }

    /// <summary>The page of a message: its channel (or thread) with the message's anchor.</summary>
    public static string Link(TalkMessage m) =>
        m.ThreadRootId is { } root
            ? string.Create(CultureInfo.InvariantCulture, $"/talk/c/{m.ChannelId}/t/{root}#m-{m.Id}")
            : string.Create(CultureInfo.InvariantCulture, $"/talk/c/{m.ChannelId}#m-{m.Id}");

    /// <summary>The first characters of a text on one line.</summary>
    public static string Snippet(string body, int max)
    {
        var line = string.Join(' ', body.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= max ? line : line[..max] + "…";
    }

    /// <summary>
    /// Delivers the held notifications of everyone whose quiet hours are over; returns how many. Per person in one
    /// transaction: the held rows are deleted by a bounded DELETE, and only the node whose DELETE removed them all adds
    /// the notifications (so two nodes never deliver twice).
    /// </summary>
    public static async Task<int> ReleaseHeldAsync(AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var users = await db.TalkHeldNotifications.AsNoTracking().Select(h => h.UserId).Distinct().Take(1000).ToListAsync(ct);
        var released = 0;
        foreach (var user in users)
        {
            var pref = await db.TalkPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == user, ct);
            var zone = await db.Users.AsNoTracking().Where(u => u.Id == user).Select(u => u.TimeZone).FirstOrDefaultAsync(ct);
            if (QuietHours.IsQuiet(pref, QuietHours.Zone(zone), now))
            {
                continue;
            }

            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var held = await db.TalkHeldNotifications.AsNoTracking().Where(h => h.UserId == user).OrderBy(h => h.Id).ToListAsync(ct);
            if (held.Count == 0)
            {
                continue;
            }

            var last = held[^1].Id;
            var deleted = await db.TalkHeldNotifications.Where(h => h.UserId == user && h.Id <= last).ExecuteDeleteAsync(ct);
            if (deleted != held.Count)
            {
                // Another node is delivering them.
                await tx.RollbackAsync(ct);
                continue;
            }

            var notifications = new NotificationService(db, clock);
            foreach (var h in held)
            {
                notifications.Add(user, h.Kind, h.Title, h.Body, h.Link);
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            released += held.Count;
        }

        return released;
    }
}
