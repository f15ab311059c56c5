using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>
/// The live event stream (issue 6 item 4) over real HTTP on SQLite and PostgreSQL: events arrive live and only to their
/// person; a reconnect with Last-Event-ID gets exactly the missed ones (from the buffer or the table); stale ids get a
/// reset; a stream ends when its session ends (R20); concurrent producers never make a reader skip or repeat an id.
/// </summary>
public class LiveTests(LiveApp app) : IClassFixture<LiveApp>
{
    private static long IdOf(SseEvent e) => long.Parse(e.Id!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ANotification_ArrivesLive_OnlyToItsPerson()
    {
        var (a, aId) = await app.PersonAsync();
        var (b, bId) = await app.PersonAsync();
        await using var streamA = await SseClient.OpenAsync(a);
        await using var streamB = await SseClient.OpenAsync(b);

        var added = await app.NotifyAsync(aId, "A への お知らせ");
        var e = await streamA.ExpectAsync(LiveEvents.Notification);
        Assert.Equal(added.Id.ToString(), e.Json.GetProperty("id").GetString());
        Assert.Equal("A への お知らせ", e.Json.GetProperty("title").GetString());
        Assert.Equal(1, e.Json.GetProperty("unread").GetInt32());

        // B's next event is B's own: A's, written before it, never reached B's stream.
        await app.NotifyAsync(bId, "B への お知らせ");
        var f = await streamB.ExpectAsync(LiveEvents.Notification);
        Assert.Equal("B への お知らせ", f.Json.GetProperty("title").GetString());
        Assert.True(IdOf(f) > IdOf(e));

        // Marking it read tells A's other pages the new count.
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsync($"/api/v1/me/notifications/{added.Id}/read", null)).StatusCode);
        var read = await streamA.ExpectAsync(LiveEvents.NotificationRead);
        Assert.Equal(0, read.Json.GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task AReconnect_WithLastEventId_GetsExactlyTheMissedEvents_InOrder()
    {
        var (a, aId) = await app.PersonAsync();
        var (_, bId) = await app.PersonAsync();
        string seen;
        await using (var stream = await SseClient.OpenAsync(a))
        {
            await app.NotifyAsync(aId, "1");
            seen = (await stream.ExpectAsync(LiveEvents.Notification)).Id!;
        }

        // Missed while away: two for A, one for B between them.
        await app.NotifyAsync(aId, "2");
        await app.NotifyAsync(bId, "B");
        await app.NotifyAsync(aId, "3");

        await using var again = await SseClient.OpenAsync(a, lastEventId: seen);
        var two = await again.ExpectAsync(LiveEvents.Notification);
        var three = await again.ExpectAsync(LiveEvents.Notification);
        Assert.Equal("2", two.Json.GetProperty("title").GetString());
        Assert.Equal("3", three.Json.GetProperty("title").GetString());
        Assert.True(IdOf(two) < IdOf(three));

        // And then live again, with nothing repeated in between.
        await app.NotifyAsync(aId, "4");
        Assert.Equal("4", (await again.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString());

        // The query parameter does the same for a client that cannot set the header (the page's first connection).
        await using var byQuery = await SseClient.OpenAsync(a, query: seen);
        Assert.Equal("2", (await byQuery.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString());
        Assert.Equal("3", (await byQuery.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString());
        Assert.Equal("4", (await byQuery.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AReconnect_OlderThanTheBuffer_CatchesUpFromTheTable()
    {
        var (a, aId) = await app.PersonAsync();
        var (_, bId) = await app.PersonAsync();
        string seen;
        await using (var stream = await SseClient.OpenAsync(a))
        {
            await app.NotifyAsync(aId, "before");
            seen = (await stream.ExpectAsync(LiveEvents.Notification)).Id!;
        }

        // Far more than the buffer (16) holds, A's three among them.
        for (var i = 0; i < 20; i++)
        {
            await app.NotifyAsync(bId, "b" + i.ToString(CultureInfo.InvariantCulture));
        }

        await app.NotifyAsync(aId, "x");
        await app.NotifyAsync(aId, "y");
        for (var i = 0; i < 20; i++)
        {
            await app.NotifyAsync(bId, "c" + i.ToString(CultureInfo.InvariantCulture));
        }

        await app.NotifyAsync(aId, "z");
        var hub = app.Services.GetRequiredService<LiveHub>();
        await hub.RefreshAsync(CancellationToken.None);
        Assert.True(long.Parse(seen, CultureInfo.InvariantCulture) < hub.Floor, "the reconnect must start below the buffer");

        await using var again = await SseClient.OpenAsync(a, lastEventId: seen);
        var titles = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            titles.Add((await again.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString()!);
        }

        Assert.Equal(["x", "y", "z"], titles);
        await app.NotifyAsync(aId, "live");
        Assert.Equal("live", (await again.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AStaleId_GetsOneReset_WithTheNewestId()
    {
        var (a, aId) = await app.PersonAsync();
        await app.NotifyAsync(aId, "now");
        var hub = app.Services.GetRequiredService<LiveHub>();
        await hub.RefreshAsync(CancellationToken.None);

        foreach (var stale in new[] { (hub.Last + 1000).ToString(CultureInfo.InvariantCulture), "abc", "-5" })
        {
            await using var stream = await SseClient.OpenAsync(a, lastEventId: stale);
            var reset = await stream.ExpectAsync(LiveEvents.Reset);
            Assert.Equal(hub.Last, IdOf(reset));

            // After the reset the stream goes on live from there.
            await app.NotifyAsync(aId, "after " + stale);
            Assert.Equal("after " + stale, (await stream.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task AnIdOlderThanTheLogKeeps_GetsAReset()
    {
        var (a, aId) = await app.PersonAsync();
        string seen;
        await using (var stream = await SseClient.OpenAsync(a))
        {
            await app.NotifyAsync(aId, "old");
            seen = (await stream.ExpectAsync(LiveEvents.Notification)).Id!;
        }

        // Enough newer events that the old one is out of the buffer, then the retention sweep a week and more later.
        var (_, bId) = await app.PersonAsync();
        for (var i = 0; i < 20; i++)
        {
            await app.NotifyAsync(bId, "b");
        }

        var hub = app.Services.GetRequiredService<LiveHub>();
        app.Clock.Offset = TimeSpan.FromDays(8);
        int deleted;
        try
        {
            deleted = await hub.SweepAsync(CancellationToken.None);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }

        Assert.True(deleted >= 21);
        Assert.Equal(0, await app.WithScopeAsync(async sp => await sp.GetRequiredService<AppDbContext>().LiveEvents.CountAsync(e => e.Id <= long.Parse(seen, CultureInfo.InvariantCulture))));

        await using var again = await SseClient.OpenAsync(a, lastEventId: seen);
        var reset = await again.ExpectAsync(LiveEvents.Reset);
        Assert.Equal("expired", reset.Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task SigningOut_EndsTheOpenStream_WithinTheBound()
    {
        var (a, _) = await app.PersonAsync();
        await using var stream = await SseClient.OpenAsync(a);
        // Heartbeats keep an idle stream open (one a second here).
        await Task.Delay(2500);
        Assert.True(stream.Comments >= 2, $"{stream.Comments} heartbeats");
        Assert.False(stream.Ended.IsCompleted);

        var clock = Stopwatch.StartNew();
        Assert.True((await a.PostAsync("/api/v1/auth/signout", null)).IsSuccessStatusCode);
        var end = await stream.ExpectAsync("end", seconds: 10);
        Assert.Equal("session", end.Json.GetProperty("reason").GetString());
        await stream.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        // The bound is the re-check (1 s here; 30 s by default) plus a query.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"ended after {clock.Elapsed}");

        // The same cookie cannot open another.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/talk/stream");
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task APersonsStreams_AreCapped_TheOldestEnds_OthersPeopleAreUntouched()
    {
        var (a, aId) = await app.PersonAsync();
        var (b, _) = await app.PersonAsync();
        await using var other = await SseClient.OpenAsync(b);
        var streams = new List<SseClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                streams.Add(await SseClient.OpenAsync(a));
            }

            // A fourth stream of the same person (the limit is 3 here, 8 by default): the first one ends, told why.
            streams.Add(await SseClient.OpenAsync(a));
            var end = await streams[0].ExpectAsync("end", seconds: 10);
            Assert.Equal("too_many", end.Json.GetProperty("reason").GetString());
            await streams[0].Ended.WaitAsync(TimeSpan.FromSeconds(5));

            // The other three still carry A's events; B's stream was not touched.
            await app.NotifyAsync(aId, "まだ届く");
            foreach (var s in streams.Skip(1))
            {
                Assert.Equal("まだ届く", (await s.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString());
            }

            Assert.False(other.Ended.IsCompleted);
        }
        finally
        {
            foreach (var s in streams)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task APersonsStreams_ShareTheirRecheck_AndAChangeOfAudienceIsNotLostByIt()
    {
        // Rechecks as they are counted (the counter is process-wide; the test classes run one after another).
        long shared = 0, decided = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == LiveMetrics.Rechecks)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var t in tags)
            {
                if (t.Key == "shared")
                {
                    _ = t.Value is true ? Interlocked.Add(ref shared, value) : Interlocked.Add(ref decided, value);
                }
            }
        });
        listener.Start();

        var (owner, _) = await app.PersonAsync();
        var (a, aId) = await app.PersonAsync();
        var channel = await TalkKit.CreateChannelAsync(owner);
        await using var first = await SseClient.OpenAsync(a);
        await using var second = await SseClient.OpenAsync(a);

        // Two streams of one session and address, rechecked every second: one decides, the other takes its decision.
        await Task.Delay(3500);
        Assert.True(Interlocked.Read(ref shared) >= 1, $"shared {shared}, decided {decided}");
        Assert.True(Interlocked.Read(ref decided) >= 1, $"shared {shared}, decided {decided}");

        // Added to a channel: both streams carry its messages, before and after the rechecks that follow.
        await TalkKit.AddAsync(owner, channel, aId);
        foreach (var s in new[] { first, second })
        {
            Assert.Equal(channel, (await s.ExpectAsync(LiveEvents.AudienceChanged)).Json.GetProperty("channel").GetInt32());
        }

        for (var round = 0; round < 2; round++)
        {
            var id = await TalkKit.PostIdAsync(owner, channel, $"共有の確認 {round}");
            foreach (var s in new[] { first, second })
            {
                Assert.Equal(id, (await s.ExpectAsync(Talk.TalkEvents.MessageNew)).Json.GetProperty("id").GetInt64());
            }

            await Task.Delay(2500);
        }

        // Removed: neither stream carries the channel any more, whatever a recheck shared before the change said.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"{TalkKit.Api}/channels/{channel}/members/{aId}")).StatusCode);
        foreach (var s in new[] { first, second })
        {
            Assert.Equal(LiveEvents.AudienceChanged, (await s.NextAsync())!.Type);
        }

        await Task.Delay(2500);
        await TalkKit.PostIdAsync(owner, channel, "もう届かない");
        await app.NotifyAsync(aId, "次はこれ");
        foreach (var s in new[] { first, second })
        {
            Assert.Equal("次はこれ", (await s.ExpectAsync(LiveEvents.Notification)).Json.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task DisablingThePerson_EndsTheirStream()
    {
        var (a, aId) = await app.PersonAsync();
        await using var stream = await SseClient.OpenAsync(a);
        await app.WithScopeAsync(async sp =>
        {
            var result = await sp.GetRequiredService<UserAdmin>().DisableAsync(aId, null);
            Assert.True(result.Ok, result.Error?.Code);
            return 0;
        });

        await stream.ExpectAsync("end", seconds: 10);
        await stream.Ended.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ConcurrentProducers_AReaderSeesEveryIdOnce_Ascending()
    {
        var (a, aId) = await app.PersonAsync();
        await using var stream = await SseClient.OpenAsync(a);
        const int producers = 8, each = 15;
        var random = new Random(6);
        var delays = Enumerable.Range(0, producers * each).Select(_ => random.Next(0, 15)).ToArray();

        // Each producer stages an event inside its own transaction and keeps it open a moment before committing, so
        // without the ordering lock a later id would often commit (and be read) before an earlier one.
        var work = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                await using var tx = await db.Database.BeginTransactionAsync();
                LiveEvents.ToUser(db, aId, "test.burst", new { p, i });
                await db.SaveChangesAsync();
                await Task.Delay(delays[p * each + i]);
                await tx.CommitAsync();
            }
        })).ToList();

        var ids = new List<long>();
        var seen = new HashSet<(int, int)>();
        while (ids.Count < producers * each)
        {
            var e = await stream.NextAsync(seconds: 15);
            Assert.NotNull(e);
            Assert.Equal("test.burst", e!.Type);
            ids.Add(IdOf(e));
            Assert.True(seen.Add((e.Json.GetProperty("p").GetInt32(), e.Json.GetProperty("i").GetInt32())), "an event arrived twice");
        }

        await Task.WhenAll(work);
        Assert.Equal(producers * each, ids.Distinct().Count());
        Assert.True(ids.Zip(ids.Skip(1)).All(x => x.First < x.Second), "ids arrive ascending");

        // Every stored event of the burst reached the reader.
        var stored = await app.WithScopeAsync(async sp => await sp.GetRequiredService<AppDbContext>().LiveEvents
            .Where(e => e.UserId == aId && e.Type == "test.burst").Select(e => e.Id).OrderBy(x => x).ToListAsync());
        Assert.Equal(stored, ids);
    }

    [Fact]
    public async Task AnEventWrittenOnAnotherNode_ArrivesByThePoll()
    {
        var (a, aId) = await app.PersonAsync();
        await using var stream = await SseClient.OpenAsync(a);
        // A second node on the same database: its saves wake its own hub only; this node reads them at its next poll.
        using var other = new TestApp("Demo", seed: false, sameDatabaseAs: app);
        var clock = Stopwatch.StartNew();
        await other.WithScopeAsync(sp => sp.GetRequiredService<Notifications.NotificationService>().NotifyAsync(aId, "test", "他のノードから", "本文", null));
        // The second node's start may also tell A of a channel change (Talk's department sync puts A in their department's
        // channel): that comes first, by the same poll.
        var e = (await stream.NextAsync())!;
        if (e.Type == LiveEvents.AudienceChanged)
        {
            e = (await stream.NextAsync())!;
        }

        Assert.Equal(LiveEvents.Notification, e.Type);
        Assert.Equal("他のノードから", e.Json.GetProperty("title").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"arrived after {clock.Elapsed}");
    }

    [Fact]
    public async Task AnEventAndItsChange_AreSavedTogether_OrNotAtAll()
    {
        var (_, aId) = await app.PersonAsync();
        var before = await app.WithScopeAsync(async sp => await sp.GetRequiredService<AppDbContext>().LiveEvents.CountAsync(e => e.UserId == aId));
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            sp.GetRequiredService<Notifications.NotificationService>().Add(aId, "test", "rolled back", "本文", null);
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
            return 0;
        });

        var after = await app.WithScopeAsync(async sp => await sp.GetRequiredService<AppDbContext>().LiveEvents.CountAsync(e => e.UserId == aId));
        Assert.Equal(before, after);
        Assert.Throws<ArgumentException>(() => app.WithScopeAsync(sp =>
            Task.FromResult(LiveEvents.ToUser(sp.GetRequiredService<AppDbContext>(), aId, "too.big", new { text = new string('x', 5000) }))).GetAwaiter().GetResult());
    }
}
