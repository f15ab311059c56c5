using Dokodemo.Data;
using Dokodemo.Live;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Notifications;

public sealed record NotificationDto(Guid Id, string Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>Adding, listing and marking read a person's notifications. Every query is scoped to one person in its WHERE.</summary>
public sealed class NotificationService(AppDbContext db, TimeProvider clock)
{
    public const int PageSize = 50;

    public static readonly Error NotFound = new("notification.not_found", 404);

    /// <summary>
    /// Adds a notification to the context without saving, so a caller can write it in the same transaction as the change
    /// it tells about (a released booking and its notice are saved together or not at all). A live <c>notification</c>
    /// event (id, title, link, the unread count) is staged with it, so the person's open pages learn of it at once.
    /// </summary>
    public Notification Add(string userId, string kind, string title, string body, string? link)
    {
        var n = new Notification
        {
            Id = Guid.NewGuid(), UserId = userId, Kind = Cut(kind, NotificationsModel.MaxKind), Title = Cut(title, NotificationsModel.MaxTitle),
            Body = Cut(body, NotificationsModel.MaxBody), Link = link is { } l && l.StartsWith('/') && !l.StartsWith("//", StringComparison.Ordinal) ? Cut(l, NotificationsModel.MaxLink) : null,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Notifications.Add(n);
        // The unread count as it will be after this save: the stored unread ones and those staged in this context.
        // Synchronous because callers add without awaiting; one indexed count (UserId, ReadAt).
        var unread = db.Notifications.Count(x => x.UserId == userId && x.ReadAt == null)
            + db.ChangeTracker.Entries<Notification>().Count(e => e.State == EntityState.Added && e.Entity.UserId == userId && e.Entity.ReadAt == null);
        LiveEvents.ToUser(db, userId, LiveEvents.Notification, new { id = n.Id, kind = n.Kind, title = n.Title, link = n.Link, unread });
        return n;
    }

    /// <summary>Adds and saves one notification.</summary>
    public async Task<NotificationDto> NotifyAsync(string userId, string kind, string title, string body, string? link, CancellationToken ct = default)
    {
        var n = Add(userId, kind, title, body, link);
        await db.SaveChangesAsync(ct);
        return Dto(n);
    }

    /// <summary>A person's notifications, newest first (the latest <see cref="PageSize"/>), unread ones only if asked.</summary>
    public async Task<IReadOnlyList<NotificationDto>> ListAsync(string userId, bool unreadOnly = false, CancellationToken ct = default) =>
        await db.Notifications.AsNoTracking().Where(n => n.UserId == userId && (!unreadOnly || n.ReadAt == null))
            .OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id).Take(PageSize)
            .Select(n => new NotificationDto(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt)).ToListAsync(ct);

    public Task<int> UnreadCountAsync(string userId, CancellationToken ct = default) =>
        db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);

    /// <summary>Marks one of the person's own notifications read (again: no change). Another person's is "not found".</summary>
    public async Task<Result<NotificationDto>> MarkReadAsync(string userId, Guid id, CancellationToken ct = default)
    {
        var n = await db.Notifications.FirstOrDefaultAsync(x => x.Id == id && x.UserId == userId, ct);
        if (n is null)
        {
            return NotFound;
        }

        if (n.ReadAt is null)
        {
            n.ReadAt = clock.GetUtcNow();
            var unread = await UnreadCountAsync(userId, ct) - 1;
            LiveEvents.ToUser(db, userId, LiveEvents.NotificationRead, new { id = n.Id, unread = Math.Max(0, unread) });
            await db.SaveChangesAsync(ct);
        }

        return Dto(n);
    }

    /// <summary>Marks all of the person's unread notifications read; returns how many. The person's other pages hear of it live.</summary>
    public async Task<int> MarkAllReadAsync(string userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var marked = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (marked > 0)
        {
            LiveEvents.ToUser(db, userId, LiveEvents.NotificationRead, new { id = (Guid?)null, unread = 0 });
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        return marked;
    }

    private static NotificationDto Dto(Notification n) => new(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
