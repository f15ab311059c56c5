using System.Collections.Concurrent;
using Dokodemo.Access;
using Dokodemo.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Live;

/// <summary>An event as streams see it (immutable, shared by every stream of the node).</summary>
public sealed record LiveItem(long Id, long? ChannelId, string? UserId, string Type, string Payload);

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
    private long opened;

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
        // A person's streams beyond the limit: the oldest end (a forgotten tab), the newest (the one in use) stays.
        var theirs = connections.Keys.Where(c => c.UserId == userId && c.EndReason is null).ToList();
        foreach (var old in theirs.OrderBy(c => c.Sequence).Take(Math.Max(0, theirs.Count - Math.Max(1, settings.MaxStreamsPerPerson))))
        {
            old.End("too_many");
        }

        return connection;
    }

    internal void Close(LiveConnection connection) => connections.TryRemove(connection, out _);

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

        await Task.WhenAll(Every(settings.PollInterval, ReadNewAsync, wake, stoppingToken),
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

    private async Task ReadNewAsync(CancellationToken ct)
    {
        await reading.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var read = 0;
            var users = new HashSet<string>(StringComparer.Ordinal);
            var channels = new HashSet<long>();
            while (true)
            {
                var after = Last;
                var rows = await db.LiveEvents.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(ReadPage)
                    .Select(e => new LiveItem(e.Id, e.ChannelId, e.UserId, e.Type, e.Payload)).ToListAsync(ct);
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

            if (read > 0)
            {
                TaskCompletionSource woken;
                lock (gate)
                {
                    woken = changed;
                    changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                woken.TrySetResult();

                // Wake only the streams with something in this batch: the others would find nothing and sleep again
                // (at 200 events/s and 1,000 streams, waking all is 200,000 wake-ups a second). A stream not woken
                // still moves through the buffer at its heartbeat, so it does not fall behind it.
                foreach (var c in connections.Keys)
                {
                    if (users.Contains(c.UserId) || (channels.Count > 0 && c.Channels.Overlaps(channels)))
                    {
                        c.Wake();
                    }
                }
            }
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

    /// <summary>Ends the streams whose session has ended, expired or gone idle: one query for all of them.</summary>
    private async Task EndRevokedAsync(CancellationToken ct)
    {
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
        wake.Dispose();
        base.Dispose();
    }
}

/// <summary>An open stream: ended by its request going away, the app stopping, or <see cref="End"/> (its session ended).</summary>
public sealed class LiveConnection : IDisposable
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
    }

    public string UserId { get; }
    public Guid? SessionId { get; }

    /// <summary>The order in which the node opened its streams (the oldest of a person's ends first).</summary>
    public long Sequence { get; }

    /// <summary>The channels whose events this stream receives (set by the stream from <see cref="ILiveAudience"/>).</summary>
    public IReadOnlySet<long> Channels { get; set; } = new HashSet<long>();

    private TaskCompletionSource woken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();

    /// <summary>Completes when the hub has read an event for this stream's person or channels (take it before looking).</summary>
    public Task Woken
    {
        get { lock (gate) { return woken.Task; } }
    }

    internal void Wake()
    {
        TaskCompletionSource old;
        lock (gate)
        {
            old = woken;
            woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
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
        hub.Close(this);
        ended.Dispose();
    }
}
