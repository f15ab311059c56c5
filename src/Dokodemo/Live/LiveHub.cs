using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Tasks.Sources;
using Dokodemo.Access;
using Dokodemo.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Live;

/// <summary>An event as streams see it (immutable, shared by every stream of the node).</summary>
public sealed record LiveItem(long Id, long? ChannelId, string? UserId, string Type, string Payload)
{
    /// <summary>
    /// The event as SSE bytes (<c>id:</c>, <c>event:</c>, <c>data:</c>), encoded once when the hub reads it and written as
    /// is to every stream that passes it (P3: a channel event reaches a thousand streams; none encodes it again).
    /// </summary>
    public byte[] Frame { get; } = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {Id}\nevent: {Type}\ndata: {Payload}\n\n"));
}

/// <summary>
/// One per node. Reads new rows of the log once (<c>Id &gt; last</c>) — woken after each local commit, and every
/// <see cref="LiveOptions.PollInterval"/> for other nodes' — into a ring buffer of the newest
/// <see cref="LiveOptions.BufferSize"/> events, and wakes the streams, which filter in memory. So the database sees
/// one read per batch of events, never one per connection per event (P3). It also ends the streams of sessions that
/// ended (one query for all open streams every <see cref="LiveOptions.Recheck"/>, R20) and runs the retention sweep.
/// </summary>
public sealed class LiveHub(IServiceScopeFactory scopes, IOptions<LiveOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<LiveHub> log)
    : BackgroundService
{
    private const int ReadPage = 1000;

    // The poll's read, once per group commit under load (P4): compiled once, so each read skips building and translating
    // the LINQ expression.
    private static readonly Func<AppDbContext, long, IAsyncEnumerable<LiveItem>> NewRows = EF.CompileAsyncQuery(
        (AppDbContext db, long after) => db.LiveEvents.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(ReadPage)
            .Select(e => new LiveItem(e.Id, e.ChannelId, e.UserId, e.Type, e.Payload)));

    private readonly LiveOptions settings = options.Value;
    private readonly Lock gate = new();
    private readonly LiveItem[] ring = new LiveItem[Math.Max(16, options.Value.BufferSize)];
    private int head;
    private int count;
    private long floor;
    private long last;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim reading = new(1, 1);
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly ConcurrentDictionary<LiveConnection, byte> connections = new();

    // The open streams by person and by channel (their audience), so a batch wakes its streams without looking at the
    // others; guarded by `index`. toWake is used by the one reader at a time (under `reading`).
    private readonly Lock index = new();
    private readonly Dictionary<string, HashSet<LiveConnection>> byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<long, HashSet<LiveConnection>> byChannel = [];
    private readonly HashSet<LiveConnection> toWake = [];

    // Rechecks (R20) shared by a person's streams of one session and address, and per person the number of
    // audience.changed events read so far: a recheck decided before the person's audience changed is not shared after.
    private readonly ConcurrentDictionary<(string User, Guid? Session, string? Address), SharedRecheck> rechecks = new();
    private readonly ConcurrentDictionary<string, int> audienceChanges = new(StringComparer.Ordinal);

    private sealed record SharedRecheck(long At, int Audience, Task<LiveRecheck> Result);
    private long opened;

    // The first commit signal not yet read (a timestamp, 0: none), for the read-delay metric.
    private long signalledAt;

    /// <summary>The newest event id this node has read.</summary>
    public long Last
    {
        get { lock (gate) { return last; } }
    }

    /// <summary>The buffer holds every event with an id above this.</summary>
    public long Floor
    {
        get { lock (gate) { return floor; } }
    }

    /// <summary>Completes when the next batch of events has been read (take it before looking, then wait on it).</summary>
    public Task Changed
    {
        get { lock (gate) { return changed.Task; } }
    }

    /// <summary>How many streams are open on this node.</summary>
    public int OpenStreams => connections.Count;

    /// <summary>Completes once the buffer has been filled at start-up.</summary>
    public Task ReadyAsync(CancellationToken ct) => ready.Task.WaitAsync(ct);

    /// <summary>Something was committed: read it now rather than at the next poll. Cheap, and several signals coalesce.</summary>
    public void Signal()
    {
        if (LiveMetrics.ReadDelay.Enabled)
        {
            Interlocked.CompareExchange(ref signalledAt, Stopwatch.GetTimestamp(), 0);
        }

        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A read is already due.
        }
    }

    /// <summary>
    /// Copies up to <paramref name="max"/> buffered events after <paramref name="position"/> into <paramref name="into"/>;
    /// false when the buffer no longer holds all of them (the reader must catch up from the table first).
    /// </summary>
    public bool After(long position, int max, List<LiveItem> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (gate)
        {
            if (position < floor)
            {
                return false;
            }

            // Binary search for the first event with an id above the position.
            int lo = 0, hi = count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (ring[(head + mid) % ring.Length].Id <= position)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            for (var i = lo; i < count && into.Count < max; i++)
            {
                into.Add(ring[(head + i) % ring.Length]);
            }

            return true;
        }
    }

    /// <summary>Reads what is new now (a reconnect with an id this node has not seen yet may come from a faster node).</summary>
    public Task RefreshAsync(CancellationToken ct) => ReadNewAsync(ct);

    /// <summary>Registers an open stream, so that it is ended when its session ends.</summary>
    public LiveConnection Open(string userId, Guid? sessionId, CancellationToken requestAborted)
    {
        var connection = new LiveConnection(this, userId, sessionId, requestAborted, lifetime.ApplicationStopping, Interlocked.Increment(ref opened));
        connections[connection] = 0;
        List<LiveConnection> theirs;
        lock (index)
        {
            Add(byUser, userId, connection);
            // Their streams from the index (a pass over every open stream made opening 10,000 streams quadratic).
            theirs = [.. byUser[userId].Where(c => c.EndReason is null)];
        }

        // A person's streams beyond the limit: the oldest end (a forgotten tab), the newest (the one in use) stays.
        foreach (var old in theirs.OrderBy(c => c.Sequence).Take(Math.Max(0, theirs.Count - Math.Max(1, settings.MaxStreamsPerPerson))))
        {
            old.End("too_many");
        }

        return connection;
    }

    internal void Close(LiveConnection connection)
    {
        connections.TryRemove(connection, out _);
        lock (index)
        {
            connection.Closed = true;
            Remove(byUser, connection.UserId, connection);
            foreach (var c in connection.Channels)
            {
                Remove(byChannel, c, connection);
            }
        }
    }

    /// <summary>The stream's audience is now <paramref name="after"/>: sets it and moves the stream in the index.</summary>
    internal void Listen(LiveConnection connection, IReadOnlySet<long> after)
    {
        lock (index)
        {
            var before = connection.Channels;
            connection.SetChannels(after);
            if (connection.Closed)
            {
                return;
            }

            foreach (var c in before)
            {
                if (!after.Contains(c))
                {
                    Remove(byChannel, c, connection);
                }
            }

            foreach (var c in after)
            {
                Add(byChannel, c, connection);
            }
        }
    }

    private static void Add<TKey>(Dictionary<TKey, HashSet<LiveConnection>> map, TKey key, LiveConnection connection)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set))
        {
            map[key] = set = [];
        }

        set.Add(connection);
    }

    private static void Remove<TKey>(Dictionary<TKey, HashSet<LiveConnection>> map, TKey key, LiveConnection connection)
        where TKey : notnull
    {
        if (map.TryGetValue(key, out var set) && set.Remove(connection) && set.Count == 0)
        {
            map.Remove(key);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoadAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A node without its buffer still serves: the streams catch up from the table.
            log.LogError(ex, "Live events: the buffer could not be filled at start; streams read from the table.");
        }
        finally
        {
            ready.TrySetResult();
        }

        await Task.WhenAll(Every(settings.PollInterval, ReadPacedAsync, wake, stoppingToken),
            Every(settings.Recheck, EndRevokedAsync, null, stoppingToken),
            Every(settings.RetentionSweep, async ct => await SweepAsync(ct), null, stoppingToken));
    }

    private async Task Every(TimeSpan interval, Func<CancellationToken, Task> work, SemaphoreSlim? woken, CancellationToken ct)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (woken is not null)
                {
                    await woken.WaitAsync(interval, ct);
                }
                else
                {
                    await Task.Delay(interval, ct);
                }

                await work(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogWarning("Live events: {Work} failed ({Kind}); it runs again in {Interval}.", work.Method.Name, ex.GetType().Name, interval);
            }
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var newest = await db.LiveEvents.AsNoTracking().OrderByDescending(e => e.Id).Take(ring.Length)
            .Select(e => new LiveItem(e.Id, e.ChannelId, e.UserId, e.Type, e.Payload)).ToListAsync(ct);
        newest.Reverse();
        lock (gate)
        {
            // Everything above the oldest loaded id is here; below it the table answers (or a reset, when purged).
            floor = newest.Count > 0 ? newest[0].Id - 1 : 0;
            foreach (var e in newest)
            {
                Append(e);
            }
        }
    }

    // Fan-out rounds (P3): the streams a read woke, counted down as each has written and is waiting again.
    private long currentRound;
    private int roundPending;
    private readonly SemaphoreSlim roundDone = new(0, 1);

    /// <summary>
    /// The poll loop's read. After a read that woke streams, the next waits until that round's streams have all written
    /// (at most <see cref="LiveOptions.FanOutRoundLimit"/>: a slow client is not waited for) and at least
    /// <see cref="LiveOptions.FanOutInterval"/> has passed. Signals meanwhile are kept by the semaphore. So a stream is
    /// woken at most once per round, and when the node is busy, each round carries more events in each stream's one write
    /// instead of waking every stream again for every commit.
    /// </summary>
    private async Task ReadPacedAsync(CancellationToken ct)
    {
        // Forget a round that ended after the last wait had given up on it.
        _ = roundDone.Wait(0, ct);

        if (!await ReadNewAsync(ct))
        {
            return;
        }

        var interval = settings.FanOutInterval > TimeSpan.Zero ? Task.Delay(settings.FanOutInterval, ct) : Task.CompletedTask;
        var roundStart = Stopwatch.GetTimestamp();
        await roundDone.WaitAsync(settings.FanOutRoundLimit, ct);
        LiveMetrics.RoundDuration.Record(LiveMetrics.Since(roundStart));
        await interval;
    }

    /// <summary>A stream of <paramref name="round"/> has written what it was woken for (or the hub has marked them all).</summary>
    internal void LeaveRound(long round)
    {
        if (round == Interlocked.Read(ref currentRound) && Interlocked.Decrement(ref roundPending) == 0)
        {
            try
            {
                roundDone.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already told.
            }
        }
    }

    /// <summary>
    /// A stream's periodic recheck (R20): runs <paramref name="decide"/>, unless another stream of the same person, session
    /// and address decided less than half of <see cref="LiveOptions.Recheck"/> ago and the person's audience has not
    /// changed since; then that decision is the answer. Returns it with the moment it was made
    /// (<see cref="Environment.TickCount64"/>): the stream's next recheck falls due <see cref="LiveOptions.Recheck"/> after
    /// that, so the person's streams recheck together and the decision in force is never older than that interval.
    /// A person with four tabs open costs the server one recheck every interval instead of four (P3: 10,000 streams of
    /// 2,258 people rechecked every 30 s).
    /// </summary>
    public async Task<(LiveRecheck Result, long DecidedAt)> RecheckAsync(
        string userId, Guid? sessionId, string? address, Func<Task<LiveRecheck>> decide, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decide);
        var key = (userId, sessionId, address);
        var now = Environment.TickCount64;
        var audience = audienceChanges.GetValueOrDefault(userId);
        if (rechecks.TryGetValue(key, out var shared) && shared.Audience == audience && now - shared.At <= settings.Recheck.TotalMilliseconds / 2)
        {
            try
            {
                var result = await shared.Result.WaitAsync(ct);
                LiveMetrics.Rechecks.Add(1, new KeyValuePair<string, object?>("shared", true));
                return (result, shared.At);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The stream that was deciding went away before it finished: this one decides for itself.
            }
        }

        var mine = new TaskCompletionSource<LiveRecheck>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = new SharedRecheck(now, audience, mine.Task);
        rechecks[key] = entry;
        try
        {
            var start = Stopwatch.GetTimestamp();
            var result = await decide();
            mine.SetResult(result);
            LiveMetrics.Rechecks.Add(1, new KeyValuePair<string, object?>("shared", false));
            LiveMetrics.RecheckDuration.Record(LiveMetrics.Since(start));
            return (result, now);
        }
        catch
        {
            // Not shared: another stream waiting for it decides itself (a cancelled task is never "unobserved").
            rechecks.TryRemove(KeyValuePair.Create(key, entry));
            mine.SetCanceled(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Reads the new rows of the log into the buffer and wakes their streams; true when it woke any.</summary>
    private async Task<bool> ReadNewAsync(CancellationToken ct)
    {
        await reading.WaitAsync(ct);
        try
        {
            var signalled = Interlocked.Exchange(ref signalledAt, 0);
            var readStart = Stopwatch.GetTimestamp();
            if (signalled != 0)
            {
                LiveMetrics.ReadDelay.Record(LiveMetrics.Since(signalled, readStart));
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var read = 0;
            var users = new HashSet<string>(StringComparer.Ordinal);
            var channels = new HashSet<long>();
            while (true)
            {
                var after = Last;
                var rows = await NewRows(db, after).ToListAsync(ct);
                lock (gate)
                {
                    foreach (var e in rows)
                    {
                        Append(e);
                    }
                }

                foreach (var e in rows)
                {
                    if (e.UserId is { } u)
                    {
                        users.Add(u);
                        if (e.Type == LiveEvents.AudienceChanged)
                        {
                            audienceChanges.AddOrUpdate(u, 1, static (_, n) => n + 1);
                        }
                    }

                    if (e.ChannelId is { } c)
                    {
                        channels.Add(c);
                    }
                }

                read += rows.Count;
                if (rows.Count < ReadPage)
                {
                    break;
                }
            }

            LiveMetrics.ReadDuration.Record(LiveMetrics.Since(readStart));
            if (read > 0)
            {
                LiveMetrics.ReadEvents.Record(read);
                TaskCompletionSource woken;
                lock (gate)
                {
                    woken = changed;
                    changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                woken.TrySetResult();

                // Wake only the streams with something in this batch: the others would find nothing and sleep again
                // (at 200 events/s and 1,000 streams, waking all is 200,000 wake-ups a second). A stream not woken
                // still moves through the buffer at its heartbeat, so it does not fall behind it. The streams are found
                // through the index by person and by channel: no pass over every open stream per batch (P3: 10,000).
                lock (index)
                {
                    foreach (var u in users)
                    {
                        if (byUser.TryGetValue(u, out var theirs))
                        {
                            toWake.UnionWith(theirs);
                        }
                    }

                    foreach (var c in channels)
                    {
                        if (byChannel.TryGetValue(c, out var listening))
                        {
                            toWake.UnionWith(listening);
                        }
                    }
                }

                // A new round: the hub holds one count until every stream of it is marked, so the round cannot end early.
                var round = Interlocked.Increment(ref currentRound);
                Volatile.Write(ref roundPending, 1);
                foreach (var c in toWake)
                {
                    Interlocked.Increment(ref roundPending);
                    if (!c.JoinRound(round))
                    {
                        // Still writing an earlier round (a slow client): it is not waited for.
                        Interlocked.Decrement(ref roundPending);
                    }

                    c.Wake();
                }

                var woke = toWake.Count > 0;
                LiveMetrics.RoundStreams.Record(toWake.Count);
                toWake.Clear();
                LeaveRound(round);
                return woke;
            }

            return false;
        }
        finally
        {
            reading.Release();
        }
    }

    private void Append(LiveItem e)
    {
        if (count == ring.Length)
        {
            floor = ring[head].Id;
            ring[head] = e;
            head = (head + 1) % ring.Length;
        }
        else
        {
            ring[(head + count) % ring.Length] = e;
            count++;
        }

        last = e.Id;
    }

    /// <summary>
    /// Every <see cref="LiveOptions.Recheck"/>: forgets the shared rechecks too old to be shared again, and ends the streams
    /// whose session has ended, expired or gone idle (one query for all of them).
    /// </summary>
    private async Task EndRevokedAsync(CancellationToken ct)
    {
        ForgetOldRechecks();
        var open = connections.Keys.Where(c => c.SessionId is not null).ToList();
        if (open.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var idleSince = now - Sessions.IdleTimeout;
        var live = new HashSet<Guid>();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var chunk in open.Select(c => c.SessionId!.Value).Distinct().Chunk(500))
        {
            live.UnionWith(await db.Sessions.AsNoTracking()
                .Where(s => chunk.Contains(s.Id) && s.EndedAt == null && s.ExpiresAt > now && s.LastSeenAt > idleSince)
                .Select(s => s.Id).ToListAsync(ct));
        }

        foreach (var c in open.Where(c => !live.Contains(c.SessionId!.Value)))
        {
            c.End("session");
        }
    }

    private void ForgetOldRechecks()
    {
        var stale = Environment.TickCount64 - (long)settings.Recheck.TotalMilliseconds;
        foreach (var pair in rechecks)
        {
            if (pair.Value.At < stale)
            {
                rechecks.TryRemove(pair);
            }
        }
    }

    /// <summary>Deletes events older than <see cref="LiveOptions.Retention"/>, always a prefix of the ids; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().ToUniversalTime() - settings.Retention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // By id, not by time: a reconnect can then tell "purged" (its id is below the oldest row) from "still here".
        var upTo = await db.LiveEvents.Where(e => e.CreatedAt < cutoff).MaxAsync(e => (long?)e.Id, ct);
        if (upTo is null)
        {
            return 0;
        }

        var deleted = await db.LiveEvents.Where(e => e.Id <= upTo).ExecuteDeleteAsync(ct);
        log.LogInformation("Live events: deleted {Count} events older than {Retention}.", deleted, settings.Retention);
        return deleted;
    }

    public override void Dispose()
    {
        reading.Dispose();
        roundDone.Dispose();
        wake.Dispose();
        base.Dispose();
    }
}

/// <summary>What a stream's periodic recheck (R20) decided: whether the policy still allows the stream, and its channels.</summary>
public sealed record LiveRecheck(bool Allowed, IReadOnlySet<long> Channels);

/// <summary>An open stream: ended by its request going away, the app stopping, or <see cref="End"/> (its session ended).</summary>
public sealed class LiveConnection : IDisposable, IValueTaskSource
{
    private readonly LiveHub hub;
    private readonly CancellationTokenSource ended;

    internal LiveConnection(LiveHub hub, string userId, Guid? sessionId, CancellationToken requestAborted, CancellationToken stopping, long sequence)
    {
        this.hub = hub;
        Sequence = sequence;
        UserId = userId;
        SessionId = sessionId;
        ended = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        // The stream waits on Woken alone: ending it, and its own heartbeat or recheck falling due, wake it too. One
        // timer per stream, moved only when those times change — not a new timer per wait (at 200 events/s to a
        // thousand streams that was 200,000 timers a second, all through the runtime's one timer lock).
        timer = new Timer(static s => ((LiveConnection)s!).TimeIsUp(), this, Timeout.Infinite, Timeout.Infinite);
        ended.Token.UnsafeRegister(static s => ((LiveConnection)s!).Wake(), this);
    }

    private readonly Timer timer;
    private long wakeAt = long.MaxValue;

    // Forgotten first, so that the stream's next WakeAt arms the timer again even for the same time.
    private void TimeIsUp()
    {
        Interlocked.Exchange(ref wakeAt, long.MaxValue);
        Wake();
    }

    /// <summary>Wakes the stream at <paramref name="tick"/> (<see cref="Environment.TickCount64"/>), unless already set for then.</summary>
    public void WakeAt(long tick)
    {
        if (Interlocked.Exchange(ref wakeAt, tick) == tick)
        {
            return;
        }

        try
        {
            timer.Change(Math.Max(0, tick - Environment.TickCount64), Timeout.Infinite);
        }
        catch (ObjectDisposedException)
        {
            // Closed.
        }
    }

    public string UserId { get; }
    public Guid? SessionId { get; }

    /// <summary>The order in which the node opened its streams (the oldest of a person's ends first).</summary>
    public long Sequence { get; }

    /// <summary>The channels whose events this stream receives (set by the stream from <see cref="ILiveAudience"/>).</summary>
    public IReadOnlySet<long> Channels
    {
        get => channels;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            hub.Listen(this, value);
        }
    }

    // Read and written by the hub under its index lock (with the index), read by the stream.
    private volatile IReadOnlySet<long> channels = new HashSet<long>();

    internal void SetChannels(IReadOnlySet<long> value) => channels = value;

    /// <summary>Set by the hub (under its index lock) when the stream is closed: it is no longer indexed.</summary>
    internal bool Closed { get; set; }

    // The wake-up signal, reused for the stream's whole life (P3: a new TaskCompletionSource per wake-up was 1,000
    // objects per fan-out round, each stored in a long-lived connection, and a large part of the collections' work).
    private readonly Lock gate = new();
    private ManualResetValueTaskSourceCore<bool> waiter = new() { RunContinuationsAsynchronously = true };
    private bool woken;
    private bool waiting;

    /// <summary>Forgets earlier wake-ups: call before looking for events, then <see cref="WaitAsync"/> if there were none.</summary>
    public void Arm()
    {
        lock (gate)
        {
            woken = false;
        }
    }

    /// <summary>
    /// Completes when the hub has read an event for this stream's person or channels, the stream ends, or its timer falls
    /// due — at once when that happened since <see cref="Arm"/>. One waiter at a time (the stream's own loop).
    /// </summary>
    public ValueTask WaitAsync()
    {
        lock (gate)
        {
            if (woken)
            {
                woken = false;
                return ValueTask.CompletedTask;
            }

            waiter.Reset();
            waiting = true;
            return new ValueTask(this, waiter.Version);
        }
    }

    // The fan-out round this stream was woken in and has not yet finished writing (0: none).
    private long round;

    /// <summary>Marks the stream as woken in <paramref name="number"/>; false when it is still busy with an earlier round.</summary>
    internal bool JoinRound(long number) => Interlocked.CompareExchange(ref round, number, 0) == 0;

    /// <summary>The stream has written all it had and is about to wait: its round, if any, is done for it.</summary>
    internal void Idle()
    {
        var number = Interlocked.Exchange(ref round, 0);
        if (number != 0)
        {
            hub.LeaveRound(number);
        }
    }

    internal void Wake()
    {
        lock (gate)
        {
            if (!waiting)
            {
                woken = true;
                return;
            }

            waiting = false;
            waiter.SetResult(true);
        }
    }

    void IValueTaskSource.GetResult(short token)
    {
        lock (gate)
        {
            waiter.GetResult(token);
        }
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token)
    {
        lock (gate)
        {
            return waiter.GetStatus(token);
        }
    }

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        lock (gate)
        {
            waiter.OnCompleted(continuation, state, token, flags);
        }
    }

    /// <summary>Why the server ended the stream (<c>session</c>, <c>access</c>, <c>too_many</c>), or null.</summary>
    public string? EndReason { get; private set; }

    public CancellationToken Token => ended.Token;

    public void End(string reason)
    {
        EndReason ??= reason;
        try
        {
            ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public void Dispose()
    {
        Idle();
        hub.Close(this);
        timer.Dispose();
        ended.Dispose();
    }
}
