using System.Collections.Concurrent;
using System.Security.Claims;
using System.Threading.Channels;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Work.Attendance;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Records;

/// <summary>One signed-in request worth recording: who, from which device, when.</summary>
public readonly record struct ActivitySeen(string UserId, Guid? DeviceId, DateTimeOffset At);

/// <summary>
/// The app's own objective record (C-2): signed-in requests extend the person's span of the day per device. The request
/// only does an in-memory check and queues (at most one write per person, device and day every
/// <see cref="Throttle"/>); a background writer saves, so a slow or failing database never slows or fails the request.
/// </summary>
public sealed class AppActivity(TimeProvider clock, ILogger<AppActivity> log)
{
    public static readonly TimeSpan Throttle = TimeSpan.FromMinutes(5);
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string UserId, Guid? DeviceId, DateOnly Date), DateTimeOffset> last = new();
    private DateOnly sweptDate;
    private DateTimeOffset lastSweep;
    private readonly Channel<ActivitySeen> queue = Channel.CreateBounded<ActivitySeen>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public ChannelReader<ActivitySeen> Reader => queue.Reader;

    /// <summary>Requests that are not a person's work: static files, the health checks, framework assets.</summary>
    public static bool Ignored(PathString path)
    {
        var p = path.Value ?? "";
        return p.StartsWith("/health", StringComparison.OrdinalIgnoreCase) || p.StartsWith("/_", StringComparison.Ordinal)
            || p.StartsWith("/.well-known", StringComparison.OrdinalIgnoreCase) || Path.HasExtension(p);
    }

    /// <summary>Notes a signed-in request; true when it was queued for writing (not throttled).</summary>
    public bool Seen(string userId, Guid? deviceId)
    {
        var now = clock.GetUtcNow();
        var key = (userId, deviceId, JapanTime.DateOf(now));
        if (last.TryGetValue(key, out var before) && (now - before).Duration() < Throttle)
        {
            return false;
        }

        last[key] = now;
        Sweep(now, key.Item3);

        if (!queue.Writer.TryWrite(new ActivitySeen(userId, deviceId, now)))
        {
            log.LogWarning("The app activity queue is full; an activity record was dropped.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Forgets the throttle entries of earlier days: once per Japan date (the first request of a day), and when the
    /// table passes its capacity at most once per <see cref="Throttle"/> — never a scan on every request.
    /// </summary>
    private void Sweep(DateTimeOffset now, DateOnly today)
    {
        var since = now - lastSweep;
        if (today == sweptDate && (last.Count <= Capacity || since.Duration() < Throttle))
        {
            return;
        }

        lock (last)
        {
            if (today == sweptDate && (now - lastSweep).Duration() < Throttle)
            {
                return;
            }

            (sweptDate, lastSweep) = (today, now);
            var stale = last.Count > Capacity ? TimeSpan.FromMinutes(30) : TimeSpan.FromDays(1);
            foreach (var old in last.Where(e => e.Key.Date < today || (now - e.Value).Duration() > stale).Select(e => e.Key).ToList())
            {
                last.TryRemove(old, out _);
            }
        }
    }

    /// <summary>How many people, devices and days the throttle remembers now (for tests).</summary>
    public int Remembered => last.Count;

    /// <summary>Middleware: after authentication, before the endpoint; never throws.</summary>
    public static async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            if (context.User.Identity?.IsAuthenticated == true && !Ignored(context.Request.Path)
                && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } userId)
            {
                context.RequestServices.GetRequiredService<AppActivity>().Seen(userId, Sessions.Current(context)?.DeviceId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Recording is never a reason to fail the request.
            context.RequestServices.GetService<ILogger<AppActivity>>()?.LogWarning("An app activity record could not be queued ({Kind}).", ex.GetType().Name);
        }

        await next(context);
    }
}

/// <summary>Writes the queued activity: extends the day's app span for the person and device, or starts it.</summary>
public sealed class AppActivityWriter(AppActivity activity, IServiceScopeFactory scopes, TimeProvider clock, ILogger<AppActivityWriter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var seen in activity.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await WriteAsync(seen, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failure to record never stops the writer; it is logged without personal data.
                log.LogWarning("An app activity record could not be saved ({Kind}).", ex.GetType().Name);
            }
        }
    }

    private async Task WriteAsync(ActivitySeen seen, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var date = JapanTime.DateOf(seen.At);
        var at = seen.At.ToUniversalTime();
        var device = seen.DeviceId;
        var updated = await db.WorkRecordLogs
            .Where(l => l.UserId == seen.UserId && l.Date == date && l.Source == RecordSource.App && l.DeviceId == device)
            .ExecuteUpdateAsync(u => u
                .SetProperty(l => l.Start, l => l.Start > at ? at : l.Start)
                .SetProperty(l => l.End, l => l.End < at ? at : l.End), ct);
        if (updated > 0)
        {
            return;
        }

        db.WorkRecordLogs.Add(new WorkRecordLog
        {
            Id = Guid.NewGuid(), UserId = seen.UserId, Date = date, Source = RecordSource.App, DeviceId = device, Start = at, End = at,
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// C-2 retention: once a day (the first run an hour after start), removes app, PC and entry logs older than three years.
/// Nothing younger is ever removed; notes are kept. Every node may run it: deleting what is already gone does nothing.
/// </summary>
public sealed class RecordRetention(IServiceScopeFactory scopes, TownClock town, ILogger<RecordRetention> log) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromHours(1);
    public static readonly TimeSpan Every = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRunAfter, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    using var scope = scopes.CreateScope();
                    var removed = await scope.ServiceProvider.GetRequiredService<WorkRecordLogs>().PurgeAsync(town.Today.AddYears(-WorkRecordLogs.KeepYears), null, stoppingToken);
                    if (removed > 0)
                    {
                        log.LogInformation("Removed {Rows} working-time log rows older than {Years} years.", removed, WorkRecordLogs.KeepYears);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning("Removing old working-time logs failed ({Kind}); it is tried again tomorrow.", ex.GetType().Name);
                }

                await Task.Delay(Every, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
