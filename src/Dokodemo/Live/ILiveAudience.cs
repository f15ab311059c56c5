namespace Dokodemo.Live;

/// <summary>
/// Which channels' events a person may receive on their stream. Asked when a stream opens, at each re-check, and when a
/// user event of type <see cref="LiveEvents.AudienceChanged"/> reaches the person. Talk implements it (its channel
/// memberships, through its own access checks); until then nobody is in any channel's audience.
/// </summary>
public interface ILiveAudience
{
    ValueTask<IReadOnlySet<long>> ChannelsOfAsync(string userId, CancellationToken ct);
}

/// <summary>The default audience before Talk exists: no channels.</summary>
public sealed class NoChannels : ILiveAudience
{
    /// <summary>The empty set of channels.</summary>
    public static readonly IReadOnlySet<long> None = new HashSet<long>();

    public ValueTask<IReadOnlySet<long>> ChannelsOfAsync(string userId, CancellationToken ct) => ValueTask.FromResult(None);
}
