namespace Dokodemo.Live;

/// <summary>Settings of live events (<c>Dokodemo:Live:*</c>).</summary>
public sealed class LiveOptions
{
    public const string Section = "Dokodemo:Live";

    /// <summary>How many of the newest events each node keeps in memory to serve streams and short reconnects.</summary>
    public int BufferSize { get; set; } = 10_000;

    /// <summary>How often each node reads new events without being woken (events written by other nodes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The comment line that keeps proxies from closing an idle stream (15–25 s is safe behind most).</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The least time between two fan-out rounds (zero, the default: none). A round already waits until the streams it
    /// woke have written (<see cref="FanOutRoundLimit"/>), so under load each round carries several events per stream in
    /// one write anyway. Measured (P3, 1,000 members at 200 posts/s, SQLite, paired runs on the same machine): 10 ms gave
    /// p50 32–139 ms and p99 94–987 ms, zero 24–76 ms and 73–243 ms; zero was better in every pair. A node that would
    /// rather spend less CPU per event than deliver sooner can set a few milliseconds.
    /// </summary>
    public TimeSpan FanOutInterval { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The longest the hub waits for the streams of one round to write before it reads again: a client that does not
    /// read (its connection's buffer full) holds up no one for longer.
    /// </summary>
    public TimeSpan FanOutRoundLimit { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often an open stream checks again that its session is live and the policy still allows it (R20). A stream
    /// ends within this time, plus the access caches (≤ 15 s), of a sign-out, a revocation, or a disabled account.
    /// </summary>
    public TimeSpan Recheck { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// At most this many open streams per person (tabs, devices). Opening one more ends that person's oldest stream with
    /// <c>end</c> (reason <c>too_many</c>): one person cannot hold the server's memory with connections.
    /// </summary>
    public int MaxStreamsPerPerson { get; set; } = 8;

    /// <summary>Events older than this are deleted by the retention sweep; a reconnect from before gets <c>reset</c>.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention sweep runs (zero turns it off).</summary>
    public TimeSpan RetentionSweep { get; set; } = TimeSpan.FromHours(1);
}
