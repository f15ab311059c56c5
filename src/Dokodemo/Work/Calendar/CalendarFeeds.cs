using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Calendar;

/// <summary>An all-day event in a person's feed (a work place, an approved telework day, a holiday).</summary>
public sealed record FeedEvent(string Uid, DateOnly Start, DateOnly EndExclusive, string Summary, string Category, string? Description = null);

/// <summary>A feature that puts a person's events in their calendar feed (work places, telework, desk bookings…).</summary>
public interface ICalendarFeedSource
{
    Task<IReadOnlyList<FeedEvent>> EventsAsync(string userId, DateOnly from, DateOnly to, CancellationToken ct);
}

public sealed record FeedStatus(bool Active, DateTimeOffset? CreatedAt, DateTimeOffset? LastUsedAt);

public sealed record NewFeed(string Url, DateTimeOffset CreatedAt);

/// <summary>
/// Private iCalendar feeds (RFC 5545): one secret URL per person, revocable; only the token's hash is stored. The feed
/// covers the last 3 months to 12 months ahead: the town's holidays and closing days, and what the feature sources add.
/// </summary>
public sealed class CalendarFeeds(AppDbContext db, CalendarStore store, TownClock town, TimeProvider clock, AuditLog audit,
    IEnumerable<ICalendarFeedSource> sources)
{
    public const string PathPrefix = "/calendar/feed/";

    public async Task<FeedStatus> StatusAsync(string userId, CancellationToken ct)
    {
        var feed = await db.CalendarFeeds.AsNoTracking().Where(f => f.UserId == userId && f.RevokedAt == null).OrderByDescending(f => f.CreatedAt).FirstOrDefaultAsync(ct);
        return new FeedStatus(feed is not null, feed?.CreatedAt, feed?.LastUsedAt);
    }

    /// <summary>Makes a new secret URL, turning off any earlier one.</summary>
    public async Task<NewFeed> CreateAsync(string userId, string origin, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await RevokeAllAsync(userId, now, ct);
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        db.CalendarFeeds.Add(new CalendarFeed { Id = Guid.NewGuid(), UserId = userId, TokenHash = Hash(token), CreatedAt = now });
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("calendar.feed_created", AuditOutcome.Success, actorId: userId, subjectId: userId, ct: ct);
        return new NewFeed($"{origin.TrimEnd('/')}{PathPrefix}{token}.ics", now);
    }

    public async Task<bool> RevokeAsync(string userId, CancellationToken ct)
    {
        var any = await RevokeAllAsync(userId, clock.GetUtcNow(), ct);
        if (any)
        {
            await audit.WriteAsync("calendar.feed_revoked", AuditOutcome.Success, actorId: userId, subjectId: userId, ct: ct);
        }

        return any;
    }

    private async Task<bool> RevokeAllAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        var live = await db.CalendarFeeds.Where(f => f.UserId == userId && f.RevokedAt == null).ToListAsync(ct);
        foreach (var f in live)
        {
            f.RevokedAt = now;
        }

        await db.SaveChangesAsync(ct);
        return live.Count > 0;
    }

    /// <summary>The feed for a token, or null when the token is unknown, revoked, or its person may no longer sign in.</summary>
    public async Task<string?> RenderAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var feed = await db.CalendarFeeds.SingleOrDefaultAsync(f => f.TokenHash == hash && f.RevokedAt == null, ct);
        if (feed is null)
        {
            return null;
        }

        var today = town.Today;
        var person = await db.Users.AsNoTracking().Where(u => u.Id == feed.UserId)
            .Select(u => new { u.DisplayName, u.IsDisabled, u.ContractEnd }).SingleOrDefaultAsync(ct);
        if (person is null || person.IsDisabled || person.ContractEnd < today)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (feed.LastUsedAt is null || now - feed.LastUsedAt > TimeSpan.FromHours(1))
        {
            feed.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }

        var from = today.AddMonths(-3);
        var to = today.AddMonths(12);
        var events = new List<FeedEvent>();
        var calendar = await store.CurrentAsync(ct);
        for (var y = from.Year; y <= to.Year; y++)
        {
            foreach (var h in calendar.HolidaysOf(y).Where(h => h.Date >= from && h.Date <= to))
            {
                events.Add(new FeedEvent($"holiday-{h.Date:yyyyMMdd}@dokodemo", h.Date, h.Date.AddDays(1), h.Name, "祝日",
                    h.Kind == HolidayKind.NationalHoliday ? null : CalendarApi.KindName(h.Kind)));
            }
        }

        for (var d = from; d <= to; d = d.AddDays(1))
        {
            var kind = calendar.Classify(d);
            if (kind is CalendarDay.YearEndClosing or CalendarDay.TownClosingDay)
            {
                events.Add(new FeedEvent($"closed-{d:yyyyMMdd}@dokodemo", d, d.AddDays(1), kind == CalendarDay.YearEndClosing ? "年末年始（閉庁）" : "閉庁日", "閉庁日"));
            }
        }

        foreach (var source in sources)
        {
            events.AddRange(await source.EventsAsync(feed.UserId, from, to, ct));
        }

        return Ics.Write($"Dokodemo — {person.DisplayName}", now, events.OrderBy(e => e.Start).ThenBy(e => e.Uid, StringComparer.Ordinal));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Writes iCalendar (RFC 5545): CRLF lines folded at 75 octets, text values escaped.</summary>
public static class Ics
{
    public static string Write(string name, DateTimeOffset stamp, IEnumerable<FeedEvent> events)
    {
        var sb = new StringBuilder();
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "VERSION:2.0");
        Line(sb, "PRODID:-//Dokodemo//Dokodemo Town Office//JA");
        Line(sb, "CALSCALE:GREGORIAN");
        Line(sb, "METHOD:PUBLISH");
        Line(sb, "X-WR-CALNAME:" + Escape(name));
        Line(sb, "X-WR-TIMEZONE:Asia/Tokyo");
        Line(sb, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
        Line(sb, "X-PUBLISHED-TTL:PT1H");
        var dtstamp = stamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        foreach (var e in events)
        {
            Line(sb, "BEGIN:VEVENT");
            Line(sb, "UID:" + Escape(e.Uid));
            Line(sb, "DTSTAMP:" + dtstamp);
            Line(sb, "DTSTART;VALUE=DATE:" + e.Start.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            Line(sb, "DTEND;VALUE=DATE:" + e.EndExclusive.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            Line(sb, "SUMMARY:" + Escape(e.Summary));
            if (e.Description is { Length: > 0 } d)
            {
                Line(sb, "DESCRIPTION:" + Escape(d));
            }

            Line(sb, "CATEGORIES:" + Escape(e.Category));
            Line(sb, "TRANSP:TRANSPARENT");
            Line(sb, "END:VEVENT");
        }

        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);

    /// <summary>Appends a content line, folded so no physical line exceeds 75 octets of UTF-8 (never inside a character).</summary>
    private static void Line(StringBuilder sb, string line)
    {
        var octets = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                sb.Append("\r\n ");
                octets = 0;
                limit = 74; // the leading space counts
            }

            sb.Append(rune.ToString());
            octets += size;
        }

        sb.Append("\r\n");
    }
}
