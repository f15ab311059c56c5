using Dokodemo.Access;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

public enum ScheduledState
{
    /// <summary>Waiting for its time; only the author sees it.</summary>
    Pending = 0,

    /// <summary>Published as the message <see cref="TalkScheduledMessage.MessageId"/>.</summary>
    Sent = 1,

    Cancelled = 2,

    /// <summary>Could not be published at its time (the author left the channel, or it was archived); the author was told.</summary>
    Failed = 3,
}

/// <summary>
/// A message the author scheduled (予約送信). It lives in its own table until its time, and is then published as a new
/// <see cref="TalkMessage"/> through <see cref="TalkMessages.InsertAsync"/>: the message gets its id (and so its place in
/// the channel, unread counts and read markers, which all go by id) at the moment it is sent, not when it was written.
/// </summary>
public sealed class TalkScheduledMessage
{
    public long Id { get; set; }
    public int ChannelId { get; set; }
    public required string AuthorId { get; set; }
    public long? ThreadRootId { get; set; }
    public required string Body { get; set; }
    public bool RequiresAck { get; set; }
    public DateTimeOffset ScheduledFor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public ScheduledState State { get; set; }

    /// <summary>The published message.</summary>
    public long? MessageId { get; set; }

    public DateTimeOffset? DoneAt { get; set; }
}

/// <summary>A person's Talk preferences: quiet hours (in their own time zone) and the daily e-mail digest.</summary>
public sealed class TalkPreference
{
    public required string UserId { get; set; }

    /// <summary>Quiet from this minute of the day (local), or null: no quiet hours.</summary>
    public int? QuietFromMinute { get; set; }

    /// <summary>Quiet until this minute of the day (local); before <see cref="QuietFromMinute"/> means "the next morning".</summary>
    public int? QuietToMinute { get; set; }

    /// <summary>Quiet all day on Saturdays, Sundays and national holidays (in the person's local date).</summary>
    public bool QuietWeekends { get; set; }

    public bool DigestEnabled { get; set; }

    /// <summary>The local hour (0–23) from which the day's digest is sent.</summary>
    public int DigestHour { get; set; } = 8;

    /// <summary>The end of the period the last digest covered (the next one lists what came after).</summary>
    public DateTimeOffset? DigestSince { get; set; }

    /// <summary>The person's local date of the last digest (one per day).</summary>
    public DateOnly? LastDigestDay { get; set; }
}

/// <summary>A notification held during the person's quiet hours; delivered (as a <see cref="Notifications.Notification"/>) when they end.</summary>
public sealed class TalkHeldNotification
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An inbox item the person marked done (so it leaves their inbox without moving the channel's read marker).</summary>
public sealed class TalkInboxDone
{
    public required string UserId { get; set; }
    public long MessageId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>The EF configuration of scheduled send, preferences, held notifications and the inbox (migration 0022).</summary>
public static class TalkInboxModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<TalkScheduledMessage>(s =>
        {
            s.ToTable("TalkScheduledMessages");
            s.Property(x => x.AuthorId).HasMaxLength(450);
            s.Property(x => x.Body).HasMaxLength(TalkLimits.MaxBody);
            // The sweep's "due" query, and the author's list.
            s.HasIndex(x => new { x.State, x.ScheduledFor });
            s.HasIndex(x => new { x.AuthorId, x.State });
            s.HasOne<TalkChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
            s.HasOne<AppUser>().WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TalkPreference>(p =>
        {
            p.ToTable("TalkPreferences");
            p.HasKey(x => x.UserId);
            p.Property(x => x.UserId).HasMaxLength(450);
            p.HasIndex(x => x.DigestEnabled);
            p.HasOne<AppUser>().WithOne().HasForeignKey<TalkPreference>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TalkHeldNotification>(h =>
        {
            h.ToTable("TalkHeldNotifications");
            h.Property(x => x.UserId).HasMaxLength(450);
            h.Property(x => x.Kind).HasMaxLength(Notifications.NotificationsModel.MaxKind);
            h.Property(x => x.Title).HasMaxLength(Notifications.NotificationsModel.MaxTitle);
            h.Property(x => x.Body).HasMaxLength(Notifications.NotificationsModel.MaxBody);
            h.Property(x => x.Link).HasMaxLength(Notifications.NotificationsModel.MaxLink);
            h.HasIndex(x => new { x.UserId, x.Id });
            h.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TalkInboxDone>(d =>
        {
            d.ToTable("TalkInboxDone");
            d.HasKey(x => new { x.UserId, x.MessageId });
            d.Property(x => x.UserId).HasMaxLength(450);
            d.HasOne<TalkMessage>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            d.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
