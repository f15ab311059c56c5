using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dokodemo.Data;

/// <summary>
/// The group writers' figures as .NET metrics (meter <c>Dokodemo.Writers</c>, tag <c>writer</c>: the write's type): how
/// long a write waits for its transaction, the transactions' sizes and where their time goes. Nothing is recorded while
/// nobody listens.
/// </summary>
public static class WriterMetrics
{
    public const string MeterName = "Dokodemo.Writers";

    public const string Open = "open";
    public const string Begin = "begin";
    public const string Write = "write";
    public const string Commit = "commit";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>From a write's arrival to the start of the transaction that holds it (ms).</summary>
    public static readonly Histogram<double> Wait = Meter.CreateHistogram<double>("dokodemo.writer.wait", "ms",
        "From a write's arrival to the start of its group transaction");

    /// <summary>Each part of a group transaction (ms), tag <c>phase</c>: open, begin, write, commit.</summary>
    public static readonly Histogram<double> Phases = Meter.CreateHistogram<double>("dokodemo.writer.phase", "ms",
        "The parts of a group transaction: open, begin, write, commit");

    /// <summary>Writes per group transaction.</summary>
    public static readonly Histogram<int> Size = Meter.CreateHistogram<int>("dokodemo.writer.size", "{write}",
        "Writes per group transaction");

    /// <summary>Records the phase that ended now (since <paramref name="since"/>) and moves <paramref name="since"/> to now.</summary>
    internal static void Phase(string phase, KeyValuePair<string, object?> writer, ref long since)
    {
        var now = Stopwatch.GetTimestamp();
        if (Phases.Enabled)
        {
            Phases.Record(Stopwatch.GetElapsedTime(since, now).TotalMilliseconds, writer, new KeyValuePair<string, object?>("phase", phase));
        }

        since = now;
    }
}
