using Dokodemo.Access;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Notifications;

/// <summary>
/// お知らせ — one thing the app tells one person (a desk released for a no-show, …). Written when it happens, in the town's
/// language (Japanese) unless the sender uses the person's stored language (Talk notice reminders do); read on
/// /notifications and through /api/v1/me/notifications. A future Talk inbox will absorb these.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }

    /// <summary>A stable machine-readable kind, e.g. <c>seat.released</c>.</summary>
    public required string Kind { get; set; }

    public required string Title { get; set; }
    public required string Body { get; set; }

    /// <summary>A local path in the app (e.g. /seats) the notification leads to, or null.</summary>
    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>The EF configuration of notifications (migration 0016).</summary>
public static class NotificationsModel
{
    public const int MaxKind = 50;
    public const int MaxTitle = 200;
    public const int MaxBody = 2000;
    public const int MaxLink = 300;

    public static void Configure(ModelBuilder builder) =>
        builder.Entity<Notification>(n =>
        {
            n.ToTable("Notifications");
            n.Property(x => x.UserId).HasMaxLength(450);
            n.Property(x => x.Kind).HasMaxLength(MaxKind);
            n.Property(x => x.Title).HasMaxLength(MaxTitle);
            n.Property(x => x.Body).HasMaxLength(MaxBody);
            n.Property(x => x.Link).HasMaxLength(MaxLink);
            // A person's list, newest first, and their unread count.
            n.HasIndex(x => new { x.UserId, x.CreatedAt });
            n.HasIndex(x => new { x.UserId, x.ReadAt });
            n.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
}
