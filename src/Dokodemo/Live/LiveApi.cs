using System.Buffers;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dokodemo.Live;

/// <summary>
/// <c>GET /api/v1/talk/stream</c>: the caller's live events as Server-Sent Events — their own user events and the
/// events of the channels in their audience (<see cref="ILiveAudience"/>). Access: the "self" resource (a person's
/// own stream, Relation.Self), decided at the start and again every <see cref="LiveOptions.Recheck"/> (R20);
/// channel events pass only for channels the audience names, which Talk decides through its own access checks.
/// </summary>
public static class LiveApi
{
    public const string Path = "/api/v1/talk/stream";

    /// <summary>The query parameter for clients that cannot set the Last-Event-ID header (a page's first connection).</summary>
    public const string LastEventIdParameter = "lastEventId";

    private const int BatchSize = 500;

    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<LiveOptions>(builder.Configuration.GetSection(LiveOptions.Section));
        builder.Services.AddSingleton<LiveHub>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveHub>());
        builder.Services.AddSingleton<LiveSaveInterceptor>();
        builder.Services.ConfigureDbContext<AppDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<LiveSaveInterceptor>()));
        builder.Services.TryAddScoped<ILiveAudience, NoChannels>();
        return builder;
    }

    public static WebApplication MapLive(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Path, Stream).WithTags("Live").RequireAuthorization(Policies.Self)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return app;
    }

    /// <summary>Streams until the client goes, the app stops, the session ends or the policy no longer allows it.</summary>
    public static async Task Stream(HttpContext http, LiveHub hub, AccessEvaluator access, ILiveAudience audience, IServiceScopeFactory scopes,
        IOptions<LiveOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        var settings = options.Value;
        var me = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A stream needs a signed-in person.");
        using var connection = hub.Open(me, Sessions.CurrentId(http), http.RequestAborted);
        var ct = connection.Token;

        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var text = new StringBuilder();
        try
        {
            var channels = await audience.ChannelsOfAsync(me, ct);
            connection.Channels = channels;
            await hub.ReadyAsync(ct);

            // Where to start: after the id the client last saw, or now.
            var asked = http.Request.Headers["Last-Event-ID"].ToString();
            if (string.IsNullOrEmpty(asked))
            {
                asked = http.Request.Query[LastEventIdParameter].ToString();
            }

            long position;
            string? stale = null;
            if (string.IsNullOrEmpty(asked))
            {
                position = hub.Last;
            }
            else if (!long.TryParse(asked, NumberStyles.None, CultureInfo.InvariantCulture, out position))
            {
                stale = "malformed";
            }
            else
            {
                if (position > hub.Last)
                {
                    await hub.RefreshAsync(ct);
                }

                if (position > hub.Last)
                {
                    stale = "unknown";
                }
                else if (position < hub.Floor && !await TableHoldsAfterAsync(scopes, position, ct))
                {
                    stale = "expired";
                }
            }

            // The reconnection delay, and a first line so the client knows the stream is open.
            text.Append("retry: 3000\n: open\n\n");
            if (stale is not null)
            {
                // One reset telling the client to reload, with the newest id so its next reconnect resumes from here.
                position = hub.Last;
                text.Append("id: ").Append(position.ToString(CultureInfo.InvariantCulture)).Append("\nevent: ").Append(LiveEvents.Reset)
                    .Append("\ndata: {\"reason\":\"").Append(stale).Append("\"}\n\n");
            }

            await FlushAsync(response, text, ct);

            var batch = new List<LiveItem>(BatchSize);
            var nextHeartbeat = Environment.TickCount64 + (long)settings.Heartbeat.TotalMilliseconds;
            // The first recheck anywhere in the interval: streams opened together (a node's restart) do not all recheck in
            // the same second ever after.
            var nextRecheck = Environment.TickCount64 + (long)(settings.Recheck.TotalMilliseconds * Random.Shared.NextDouble());
            var address = http.Connection.RemoteIpAddress?.ToString();
            while (!ct.IsCancellationRequested)
            {
                // Armed before looking: a wake-up after this ends the next wait at once, so nothing is missed between.
                connection.Arm();
                batch.Clear();
                if (!hub.After(position, BatchSize, batch))
                {
                    // Behind the buffer (a long-offline client, or a slow one): the table has the rest.
                    position = await CatchUpAsync(scopes, hub, me, channels, position, response, text, ct);
                    continue;
                }

                if (batch.Count > 0)
                {
                    // Everything pending goes out in one write and one flush; each event's bytes were encoded once by the hub.
                    var audienceChanged = false;
                    var body = response.BodyWriter;
                    foreach (var e in batch)
                    {
                        if (e.UserId == me || (e.ChannelId is { } c && channels.Contains(c)))
                        {
                            body.Write(e.Frame);
                            audienceChanged |= e.UserId == me && e.Type == LiveEvents.AudienceChanged;
                        }
                    }

                    position = batch[^1].Id;
                    await body.FlushAsync(ct);
                    if (audienceChanged)
                    {
                        channels = await audience.ChannelsOfAsync(me, ct);
                        connection.Channels = channels;
                    }

                    continue;
                }

                var now = Environment.TickCount64;
                if (now < nextHeartbeat && now < nextRecheck)
                {
                    // Sleep until the hub has something for this stream, the stream ends, or its heartbeat or recheck is due.
                    // Written all it was woken for: the hub's fan-out round need not wait for this stream.
                    connection.Idle();
                    connection.WakeAt(Math.Min(nextHeartbeat, nextRecheck));
                    if (ct.IsCancellationRequested)
                    {
                        break;
                    }

                    await connection.WaitAsync();
                    now = Environment.TickCount64;
                }

                if (now >= nextRecheck)
                {
                    // R20: the same decision as at the start (a removed role, a disabled account, a changed policy), shared
                    // with the person's other streams of this session and address (LiveHub.RecheckAsync).
                    var (recheck, decidedAt) = await hub.RecheckAsync(me, connection.SessionId, address, async () =>
                    {
                        var decision = await access.DecideAsync(http, http.User, ResourceTypes.Self, AccessAction.Read, null, Relation.Self, ct);
                        return decision.IsAllowed ? new LiveRecheck(true, await audience.ChannelsOfAsync(me, ct)) : new LiveRecheck(false, NoChannels.None);
                    }, ct);
                    if (!recheck.Allowed)
                    {
                        connection.End("access");
                        break;
                    }

                    channels = recheck.Channels;
                    connection.Channels = channels;
                    nextRecheck = decidedAt + (long)settings.Recheck.TotalMilliseconds;
                }

                if (now >= nextHeartbeat)
                {
                    text.Append(": heartbeat\n\n");
                    await FlushAsync(response, text, ct);
                    nextHeartbeat = now + (long)settings.Heartbeat.TotalMilliseconds;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went, the app is stopping, or the session ended.
        }

        if (connection.EndReason is { } reason && !http.RequestAborted.IsCancellationRequested)
        {
            // Tell the client why, so it reloads (and meets the sign-in page) instead of reconnecting at once.
            text.Clear().Append("event: end\ndata: {\"reason\":\"").Append(reason).Append("\"}\n\n");
            try
            {
                await FlushAsync(response, text, http.RequestAborted);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The client is gone already.
            }
        }
    }

    /// <summary>True when no event after <paramref name="position"/> has been purged (purges delete a prefix of the ids).</summary>
    private static async Task<bool> TableHoldsAfterAsync(IServiceScopeFactory scopes, long position, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var oldest = await db.LiveEvents.MinAsync(e => (long?)e.Id, ct);
        return oldest is { } o && o <= position;
    }

    /// <summary>Sends the person's events between <paramref name="position"/> and the buffer's floor from the table; returns the floor.</summary>
    private static async Task<long> CatchUpAsync(IServiceScopeFactory scopes, LiveHub hub, string me, IReadOnlySet<long> channels, long position,
        HttpResponse response, StringBuilder text, CancellationToken ct)
    {
        var upTo = hub.Floor;
        var ids = channels.ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        while (true)
        {
            var after = position;
            var rows = await db.LiveEvents.AsNoTracking()
                .Where(e => e.Id > after && e.Id <= upTo && (e.UserId == me || (e.ChannelId != null && ids.Contains(e.ChannelId.Value))))
                .OrderBy(e => e.Id).Take(BatchSize)
                .Select(e => new LiveItem(e.Id, e.ChannelId, e.UserId, e.Type, e.Payload)).ToListAsync(ct);
            foreach (var e in rows)
            {
                response.BodyWriter.Write(e.Frame);
            }

            await FlushAsync(response, text, ct);
            if (rows.Count < BatchSize)
            {
                return upTo;
            }

            position = rows[^1].Id;
        }
    }

    /// <summary>Writes the text lines (if any) after what is already in the response's pipe, and flushes both.</summary>
    private static async Task FlushAsync(HttpResponse response, StringBuilder text, CancellationToken ct)
    {
        if (text.Length > 0)
        {
            Encoding.UTF8.GetBytes(text.ToString().AsSpan(), response.BodyWriter);
            text.Clear();
        }

        await response.BodyWriter.FlushAsync(ct);
    }
}
