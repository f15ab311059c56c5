using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Live;

/// <summary>
/// One row of the append-only live event log (migration 0018): something a person or a channel's audience should see
/// at once. Ids are visible in commit order (see <see cref="LiveSaveInterceptor"/>), so a reader that has seen id N
/// never later finds a new event below N — the property Last-Event-ID resumption relies on.
/// </summary>
public sealed class LiveEvent
{
    public long Id { get; set; }

    /// <summary>Set when the event is saved, from the app's <see cref="TimeProvider"/>; the retention sweep reads it.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A Talk channel whose audience sees the event (see <see cref="ILiveAudience"/>), or null.</summary>
    public long? ChannelId { get; set; }

    /// <summary>The one person who sees the event, or null.</summary>
    public string? UserId { get; set; }

    /// <summary>What happened, e.g. <c>notification</c>, <c>message.new</c>; the SSE <c>event:</c> name.</summary>
    public required string Type { get; set; }

    /// <summary>A small JSON object (at most <see cref="LiveEventsModel.MaxPayload"/> characters); the SSE <c>data:</c> line.</summary>
    public required string Payload { get; set; }
}

/// <summary>The EF configuration of the live event log.</summary>
public static class LiveEventsModel
{
    public const int MaxType = 50;
    public const int MaxPayload = 4000;

    public static void Configure(ModelBuilder builder) =>
        builder.Entity<LiveEvent>(e =>
        {
            e.ToTable("LiveEvents");
            e.Property(x => x.UserId).HasMaxLength(450);
            e.Property(x => x.Type).HasMaxLength(MaxType);
            e.Property(x => x.Payload).HasMaxLength(MaxPayload);
            // Catching up from the table (a reconnect older than the in-memory buffer) reads one person's or their
            // channels' events after an id; the retention sweep finds the newest id older than its cut-off.
            e.HasIndex(x => new { x.UserId, x.Id });
            e.HasIndex(x => new { x.ChannelId, x.Id });
            e.HasIndex(x => x.CreatedAt);
            // No foreign key to the person: the log is append-only and short-lived (the retention sweep empties it),
            // and an insert that checks nothing else stays cheap under the ordering lock.
        });
}
