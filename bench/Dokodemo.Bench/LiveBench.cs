using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Live;
using Dokodemo.Talk;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>
/// P3: live events over SSE. The app unchanged (ServeApp's full variant) on real Kestrel, loopback; a town
/// of <c>--staff</c> people with a session each; <c>--connections</c> idle streams spread over them.
/// (1) Idle memory: the process's VmRSS before and after opening the streams (server and client are one process here, so
/// the figure per connection is an upper bound for the server's). (2) Fan-out latency of user events: <c>--events</c>
/// events at <c>--rate</c>/s, each to one streaming person, timed from just before the save to its arrival on the stream.
/// (2b) Channel fan-out: <c>--posts</c> messages at <c>--rate</c>/s into a channel of <c>--members</c> streaming people.
/// (3) Catch-up: one person misses 1,000 events, reconnects with Last-Event-ID; time until the last arrives (10 times).
/// dotnet Dokodemo.Bench.dll p3 [--staff 300] [--connections 1000] [--events 1000] [--rate 200] [--postgres cs]
/// </summary>
public static class LiveBench
{
    private static void Log(string line) => Console.Error.WriteLine("[p3] " + line);

    public static async Task<int> MainAsync(IReadOnlyDictionary<string, string> opt, int staff, int seed)
    {
        int Int(string key, int fallback) => opt.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var connections = Int("connections", 1000);
        var events = Int("events", 1000);
        var rate = Int("rate", 200);
        var work = Path.GetFullPath(opt.GetValueOrDefault("work", Path.Combine(Path.GetTempPath(), "dokodemo-p3-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture))));
        Directory.CreateDirectory(work);
        var (provider, cs, drop) = await BenchDatabase.CreateAsync(opt.GetValueOrDefault("postgres"), work, "p3");
        try
        {
            Log(Invariant($"generating a {staff}-staff town (seed {seed}) on {provider}"));
            var (_, port, baseUri) = await BenchDatabase.TownAndServerSettingsAsync(provider, cs, work, "p3", staff, seed);

            await using var app = new ServeApp(trivialAllow: false);
            app.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            app.StartServer();
            var services = app.Services;
            var cookieName = services.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).CookieName;
            var people = await BenchSessions.StartAsync(services);
            Log(Invariant($"{people.Count} sessions"));

            // The bench channel: a topic channel whose members are the people who will stream (up to --members), made
            // before the streams open so each stream's audience has it from the start.
            var memberCount = Math.Min(Int("members", 1000), Math.Min(people.Count, connections));
            int channelId;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var channel = new TalkChannel { Kind = ChannelKind.Topic, Visibility = ChannelVisibility.Private, Name = "P3 一斉配信", CreatedAt = DateTimeOffset.UtcNow };
                db.TalkChannels.Add(channel);
                await db.SaveChangesAsync();
                channelId = channel.Id;
                db.TalkMembers.AddRange(people.Take(memberCount).Select((p, i) => new TalkMember
                {
                    ChannelId = channelId, UserId = p.Id, Role = i == 0 ? MemberRole.Owner : MemberRole.Member, JoinedAt = DateTimeOffset.UtcNow,
                }));
                await db.SaveChangesAsync();
            }

            // (1) Idle streams.
            using var handler = new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = connections + 16, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) };
            using var client = new HttpClient(handler) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
            GC.Collect();
            await Task.Delay(2000);
            var before = VmRssKb();
            var streams = new List<Reader>(connections);
            for (var i = 0; i < connections; i++)
            {
                var person = people[i % people.Count];
                streams.Add(await Reader.OpenAsync(client, cookieName, person, null));
            }

            GC.Collect();
            await Task.Delay(3000);
            var after = VmRssKb();
            var hub = services.GetRequiredService<LiveHub>();
            Log(Invariant($"idle: {connections} streams open ({hub.OpenStreams} on the hub); VmRSS {before / 1024} MB → {after / 1024} MB = {(after - before) / (double)connections:F1} KB per connection (server + client)"));

            // (2) Fan-out of user events to streaming people, open loop.
            var streamingPeople = streams.Select(s => s.Person).Distinct().ToList();
            var clock = Stopwatch.StartNew();
            var sends = new List<Task>(events);
            for (var i = 0; i < events; i++)
            {
                var due = TimeSpan.FromSeconds(i / (double)rate);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait);
                }

                var to = streamingPeople[i % streamingPeople.Count];
                sends.Add(Task.Run(async () =>
                {
                    await using var scope = services.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    LiveEvents.ToUser(db, to.Id, "bench", new { t = Stopwatch.GetTimestamp() });
                    await db.SaveChangesAsync();
                }));
            }

            await Task.WhenAll(sends);
            var expected = streams.Sum(s => streamingPeople.Count == 0 ? 0 : Enumerable.Range(0, events).Count(i => streamingPeople[i % streamingPeople.Count] == s.Person));
            var deadline = Stopwatch.StartNew();
            while (streams.Sum(s => s.Latencies.Count) < expected && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }

            var latencies = streams.SelectMany(s => s.Latencies.ToArray()).Order().ToArray();
            Log(Invariant($"fan-out: {events} user events at {rate}/s, {latencies.Length} of {expected} deliveries; p50 {Http.Pct(latencies, 50):F1} ms, p99 {Http.Pct(latencies, 99):F1} ms, max {(latencies.Length == 0 ? double.NaN : latencies[^1]):F1} ms"));

            // (2b) Fan-out of channel posts: --posts messages at --rate/s into the bench channel through the app's message
            // writer (the insert with its live event), each timed from just before the write to its arrival on every
            // member's stream (matched by message id: events carry ids only).
            var posts = Int("posts", 1000);
            var started = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
            var writer = services.GetRequiredService<TalkMessageWriter>();
            var author = people[0].Id;
            clock.Restart();
            var writes = new List<Task>(posts);
            for (var i = 0; i < posts; i++)
            {
                var due = TimeSpan.FromSeconds(i / (double)rate);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait);
                }

                var n = i;
                writes.Add(Task.Run(async () =>
                {
                    var t = Stopwatch.GetTimestamp();
                    var message = new TalkMessage { ChannelId = channelId, AuthorId = author, Body = Invariant($"一斉配信の試験 {n}"), CreatedAt = DateTimeOffset.UtcNow };
                    await writer.InsertAsync(message, []);
                    started[message.Id] = t;
                }));
            }

            await Task.WhenAll(writes);
            var members = streams.Where(s => people.Take(memberCount).Contains(s.Person)).ToList();
            var expectedDeliveries = (long)posts * members.Count;
            deadline.Restart();
            while (members.Sum(s => (long)s.Arrivals.Count) < expectedDeliveries && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }

            var channelLatencies = members.SelectMany(s => s.Arrivals.ToArray())
                .Where(a => started.ContainsKey(a.Id)).Select(a => Stopwatch.GetElapsedTime(started[a.Id], a.At).TotalMilliseconds).Order().ToArray();
            var delivered = members.Sum(s => (long)s.Arrivals.Count);
            Log(Invariant($"channel fan-out: {posts} posts at {rate}/s to {members.Count} member streams, {delivered} of {expectedDeliveries} deliveries; p50 {Http.Pct(channelLatencies, 50):F1} ms, p99 {Http.Pct(channelLatencies, 99):F1} ms, max {(channelLatencies.Length == 0 ? double.NaN : channelLatencies[^1]):F1} ms"));

            foreach (var s in streams)
            {
                s.Dispose();
            }

            // (3) Catch-up after missing 1,000 events (more than the default 10,000 buffer would need; here from memory).
            var catchUps = new List<double>();
            var lonely = people[^1];
            for (var round = 0; round < 10; round++)
            {
                long last;
                await using (var scope = services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    last = await db.LiveEvents.MaxAsync(e => (long?)e.Id) ?? 0;
                    for (var i = 0; i < 1000; i++)
                    {
                        LiveEvents.ToUser(db, lonely.Id, "bench.missed", new { i });
                    }

                    await db.SaveChangesAsync();
                }

                await hub.RefreshAsync(CancellationToken.None);
                var t = Stopwatch.StartNew();
                using var again = await Reader.OpenAsync(client, cookieName, lonely, last.ToString(CultureInfo.InvariantCulture), countOnly: 1000);
                await again.Done.WaitAsync(TimeSpan.FromSeconds(30));
                catchUps.Add(t.Elapsed.TotalMilliseconds);
            }

            var sorted = catchUps.Order().ToArray();
            Log(Invariant($"catch-up of 1,000 missed events: p50 {Http.Pct(sorted, 50):F1} ms, p95 {Http.Pct(sorted, 95):F1} ms (10 reconnects)"));

            var perConnection = (after - before) / (double)connections;
            var report = new Report(opt.GetValueOrDefault("commit", "unknown"), Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));
            var tag = provider == "Sqlite" ? "" : " — PostgreSQL";
            report.Row("P3", Invariant($"idle streams{tag}: {connections:N0} open (`GET /api/v1/talk/stream`, {people.Count} people with real sessions), VmRSS of the one process holding server and client {before / 1024:N0} MB → {after / 1024:N0} MB, per connection (an upper bound for the server's)"),
                Invariant($"{perConnection:F1} KB"), "≤ 64 KB per connection", perConnection <= 64);
            report.Row("P3", Invariant($"channel fan-out{tag}: {posts:N0} posts at {rate}/s (open loop, through the app's message writer) into a channel of {members.Count:N0} members each streaming; {delivered:N0} of {expectedDeliveries:N0} deliveries; timed from just before the write to the arrival on each stream; p99 {Http.Pct(channelLatencies, 99):F0} ms, max {(channelLatencies.Length == 0 ? double.NaN : channelLatencies[^1]):F0} ms — p50 shown"),
                Invariant($"{Http.Pct(channelLatencies, 50):F1} ms"), "p50 ≤ 20 ms", delivered == expectedDeliveries && Http.Pct(channelLatencies, 50) <= 20);
            report.Row("P3", "same run, p99", Invariant($"{Http.Pct(channelLatencies, 99):F1} ms"), "p99 ≤ 150 ms", delivered == expectedDeliveries && Http.Pct(channelLatencies, 99) <= 150);
            report.Row("P3", Invariant($"user events{tag}: {events:N0} at {rate}/s, each to one streaming person; {latencies.Length:N0} of {expected:N0} deliveries; p50 {Http.Pct(latencies, 50):F1} ms — p99 shown"),
                Invariant($"{Http.Pct(latencies, 99):F1} ms"), "(reference: p99 ≤ 150 ms)", null);
            report.Row("P3", Invariant($"catch-up{tag}: a client that missed 1,000 events reconnects with Last-Event-ID, until the 1,000th arrives (10 reconnects; p50 {Http.Pct(sorted, 50):F1} ms) — p95 shown"),
                Invariant($"{Http.Pct(sorted, 95):F1} ms"), "p95 ≤ 100 ms", Http.Pct(sorted, 95) <= 100);
            var setup = new List<string>
            {
                Invariant($"P3 on {(provider == "Sqlite" ? "SQLite (file, WAL)" : "PostgreSQL")}: a {staff}-staff town (seed {seed}); the app unchanged (`ServeApp` full variant) on Kestrel, 127.0.0.1, in the bench process; the stream clients (HttpClient, one connection each) share the process and both cores, so every latency includes the client's own reading and parsing."),
                Invariant($"Load average (1, 5, 15 min) after the run: {Report.LoadAverages()}."),
            };
            var at = DateTimeOffset.UtcNow;
            var text = report.Render(at, setup);
            Console.WriteLine(text);
            if (opt.TryGetValue("results", out var dir))
            {
                Directory.CreateDirectory(dir);
                var file = Path.Combine(Path.GetFullPath(dir), Invariant($"{at:yyyyMMdd'T'HHmmss'Z'}-{opt.GetValueOrDefault("commit", "unknown")}-p3-{provider.ToLowerInvariant()}.md"));
                await File.WriteAllTextAsync(file, text);
                Console.WriteLine("Report written to " + file);
            }

            return 0;
        }
        finally
        {
            drop();
        }
    }

    private static long VmRssKb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>One stream, read line by line; records each "bench" event's latency, or completes after a count of events.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly HttpResponseMessage response;
        private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Reader(Person person, HttpResponseMessage response)
        {
            Person = person;
            this.response = response;
        }

        public Person Person { get; }
        public System.Collections.Concurrent.ConcurrentBag<double> Latencies { get; } = [];

        /// <summary>Talk events (message ids) and when they arrived.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<(long Id, long At)> Arrivals { get; } = [];
        public Task Done => done.Task;

        public static async Task<Reader> OpenAsync(HttpClient client, string cookieName, Person person, string? lastEventId, int countOnly = 0)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/talk/stream", UriKind.Relative));
            request.Headers.TryAddWithoutValidation("Cookie", cookieName + "=" + person.Token);
            if (lastEventId is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            }

            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException(Invariant($"the stream answered {(int)response.StatusCode}"));
            }

            var reader = new Reader(person, response);
            var body = await response.Content.ReadAsStreamAsync();
            _ = Task.Run(() => reader.PumpAsync(body, countOnly));
            return reader;
        }

        private async Task PumpAsync(Stream body, int countOnly)
        {
            var seen = 0;
            try
            {
                using var text = new StreamReader(body);
                while (await text.ReadLineAsync() is { } line)
                {
                    if (!line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (countOnly > 0)
                    {
                        if (++seen == countOnly)
                        {
                            done.TrySetResult();
                        }

                        continue;
                    }

                    using var json = JsonDocument.Parse(line.AsMemory(6));
                    if (json.RootElement.TryGetProperty("t", out var t))
                    {
                        Latencies.Add(Stopwatch.GetElapsedTime(t.GetInt64()).TotalMilliseconds);
                    }
                    else if (json.RootElement.TryGetProperty("channel", out _) && json.RootElement.TryGetProperty("id", out var id))
                    {
                        Arrivals.Enqueue((id.GetInt64(), Stopwatch.GetTimestamp()));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
            {
                // Closed.
            }

            done.TrySetResult();
        }

        public void Dispose() => response.Dispose();
    }
}
