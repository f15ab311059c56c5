using System.Text.Json;
using Dokodemo.Data;

namespace Dokodemo.Live;

/// <summary>
/// The producer API. Stage an event on the same <see cref="AppDbContext"/> as the change it announces, then save as
/// usual (<c>await db.SaveChangesAsync(ct)</c>, inside the caller's transaction or not): the event is written with the
/// change or not at all, <see cref="LiveSaveInterceptor"/> takes the ordering lock, and the hub is woken after commit.
/// <code>
/// LiveEvents.ToChannel(db, channel.Id, "message.new", new { channel = channel.Id, id = message.Id });
/// await db.SaveChangesAsync(ct);
/// </code>
/// Payloads are small JSON objects (ids, a title, counts); a reader fetches anything larger through the API, where the
/// access check decides.
/// </summary>
public static class LiveEvents
{
    public const string Notification = "notification";
    public const string NotificationRead = "notification.read";

    /// <summary>A user event telling the person's streams to ask <see cref="ILiveAudience"/> again (joined or left a channel).</summary>
    public const string AudienceChanged = "audience.changed";

    /// <summary>Sent by the stream itself (never stored): the client must reload, its Last-Event-ID cannot be resumed.</summary>
    public const string Reset = "reset";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Stages an event for one person.</summary>
    public static LiveEvent ToUser<T>(AppDbContext db, string userId, string type, T payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Stage(db, new LiveEvent { UserId = userId, Type = type, Payload = Serialize(payload) });
    }

    /// <summary>Stages an event for a channel's audience.</summary>
    public static LiveEvent ToChannel<T>(AppDbContext db, long channelId, string type, T payload) =>
        Stage(db, new LiveEvent { ChannelId = channelId, Type = type, Payload = Serialize(payload) });

    private static LiveEvent Stage(AppDbContext db, LiveEvent e)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrEmpty(e.Type);
        if (e.Type.Length > LiveEventsModel.MaxType || e.Type.Any(c => c is '\r' or '\n') || e.Type == Reset)
        {
            throw new ArgumentException($"'{e.Type}' is not a live event type (at most {LiveEventsModel.MaxType} characters, one line, not '{Reset}').", nameof(e));
        }

        if (e.Payload.Length > LiveEventsModel.MaxPayload)
        {
            throw new ArgumentException($"A live event's payload is at most {LiveEventsModel.MaxPayload} characters; '{e.Type}' has {e.Payload.Length}.", nameof(e));
        }

        db.LiveEvents.Add(e);
        return e;
    }

    /// <summary>A payload as it is stored (for writers that insert events without EF, e.g. Talk's message writer).</summary>
    public static string Payload<T>(T payload) => Serialize(payload);

    // One line of JSON (System.Text.Json escapes line breaks inside strings), as an SSE data line needs.
    private static string Serialize<T>(T payload) => JsonSerializer.Serialize(payload, Json);
}
