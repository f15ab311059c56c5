using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dokodemo.Live;

/// <summary>
/// The hub's figures as .NET metrics (meter <c>Dokodemo.Live</c>), for <c>dotnet-counters</c>, an OpenTelemetry exporter
/// or the P3 bench's own listener. Recording costs next to nothing while nobody listens.
/// </summary>
public static class LiveMetrics
{
    public const string MeterName = "Dokodemo.Live";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>From the first commit signal after a read to the start of the next read (ms): time spent waiting for a round.</summary>
    public static readonly Histogram<double> ReadDelay = Meter.CreateHistogram<double>("dokodemo.live.read.delay", "ms",
        "From the first commit signal to the start of the hub's read of the new events");

    /// <summary>The hub's read of new rows (ms).</summary>
    public static readonly Histogram<double> ReadDuration = Meter.CreateHistogram<double>("dokodemo.live.read.duration", "ms",
        "The hub's read of new events from the log");

    /// <summary>A fan-out round: from waking its streams until all have written, or the round limit (ms).</summary>
    public static readonly Histogram<double> RoundDuration = Meter.CreateHistogram<double>("dokodemo.live.round.duration", "ms",
        "A fan-out round, from waking its streams until every one has written");

    /// <summary>
    /// A stream's periodic recheck (R20), tagged <c>shared</c>: true when it took the decision another stream of the same
    /// person, session and address had just made, false when it decided itself.
    /// </summary>
    public static readonly Counter<long> Rechecks = Meter.CreateCounter<long>("dokodemo.live.rechecks", "{recheck}",
        "Rechecks of open streams (R20), shared or decided");

    /// <summary>A recheck a stream decided itself (not shared): the access decision and its channels (ms).</summary>
    public static readonly Histogram<double> RecheckDuration = Meter.CreateHistogram<double>("dokodemo.live.recheck.duration", "ms",
        "A stream's recheck decided (not shared): the access decision and the person's channels");

    /// <summary>How many streams a round woke.</summary>
    public static readonly Histogram<int> RoundStreams = Meter.CreateHistogram<int>("dokodemo.live.round.streams", "{stream}",
        "Streams woken by one fan-out round");

    /// <summary>How many events a read brought.</summary>
    public static readonly Histogram<int> ReadEvents = Meter.CreateHistogram<int>("dokodemo.live.read.events", "{event}",
        "Events brought by one read of the log");

    /// <summary>Milliseconds from <paramref name="timestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) to <paramref name="until"/>, or to now.</summary>
    internal static double Since(long timestamp, long? until = null) =>
        Stopwatch.GetElapsedTime(timestamp, until ?? Stopwatch.GetTimestamp()).TotalMilliseconds;
}
