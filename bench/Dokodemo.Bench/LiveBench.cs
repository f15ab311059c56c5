using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
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
/// P3: live events over SSE, measured on the server. The app unchanged (ServeApp's full variant) on real Kestrel,
/// loopback, hosted by this process and pinned to CPU 0 while streams are open; the stream clients are
/// <see cref="LiveClients"/> in a child process pinned to CPU 1. A town of <c>--staff</c> people with a session each;
/// <c>--members</c> of them in one channel with one stream each, the rest of <c>--connections</c> idle streams spread over
/// the others (at most the app's per-person limit each).
/// (1) Idle memory: this process's VmRSS before and after the child opened the streams, per connection.
/// (2) User events: <c>--events</c> at <c>--rate</c>/s, each to one member, from just before the save to the arrival.
/// (2b) Channel fan-out: <c>--posts</c> messages at <c>--rate</c>/s into the members' channel through the app's writer.
/// (3) Catch-up: one person misses 1,000 events, reconnects with Last-Event-ID; time until the last arrives (10 times).
/// dotnet Dokodemo.Bench.dll p3 [--staff 2400] [--connections 10000] [--members 1000] [--events 1000] [--posts 1000] [--rate 200] [--postgres cs]
/// </summary>
public static class LiveBench
{
    private static void Log(string line) => Console.Error.WriteLine("[p3] " + line);

    public static async Task<int> MainAsync(IReadOnlyDictionary<string, string> opt, int staff, int seed)
    {
        int Int(string key, int fallback) => opt.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var connections = Int("connections", 10_000);
        var events = Int("events", 1000);
        var rate = Int("rate", 200);
        var posts = Int("posts", 1000);
        var warmPosts = Int("warm-posts", 200);
        var work = Path.GetFullPath(opt.GetValueOrDefault("work", Path.Combine(Path.GetTempPath(), "dokodemo-p3-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture))));
        Directory.CreateDirectory(work);
        var loadBefore = Report.LoadAverages();
        var (provider, cs, drop) = await BenchDatabase.CreateAsync(opt.GetValueOrDefault("postgres"), work, "p3");
        Process? child = null;
        try
        {
            Log(Invariant($"generating a {staff}-staff town (seed {seed}) on {provider}; load average before: {loadBefore}"));
            var (_, port, baseUri) = await BenchDatabase.TownAndServerSettingsAsync(provider, cs, work, "p3", staff, seed);

            await using var app = new ServeApp(trivialAllow: false);
            app.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            app.StartServer();
            var services = app.Services;
            var cookieName = services.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).CookieName;
            var perPerson = Math.Max(1, services.GetRequiredService<IOptions<LiveOptions>>().Value.MaxStreamsPerPerson);
            var people = await BenchSessions.StartAsync(services);
            Log(Invariant($"{people.Count} sessions"));

            // Who streams: the first --members people one stream each (the channel's members, whose deliveries are
            // timed); the other streams spread over everyone else, at most the app's per-person limit each (more would
            // end the oldest). Fewer people than that need: fewer streams, and the report says so.
            var memberCount = Math.Min(Int("members", 1000), Math.Min(people.Count, connections));
            var members = people.Take(memberCount).ToList();
            var others = people.Skip(memberCount).ToList();
            var idleCount = Math.Min(connections - memberCount, others.Count * perPerson);
            var streamsOf = members.Select(p => (p, Record: true)).Concat(Enumerable.Range(0, idleCount).Select(i => (others[i % others.Count], Record: false))).ToList();
            var capped = streamsOf.Count < connections
                ? Invariant($" ({connections:N0} asked: {people.Count:N0} people × {perPerson} streams each at most)")
                : "";

            // The bench channel: a topic channel of the members, made before the streams open so each stream's audience
            // has it from the start.
            int channelId;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var channel = new TalkChannel { Kind = ChannelKind.Topic, Visibility = ChannelVisibility.Private, Name = "P3 一斉配信", CreatedAt = DateTimeOffset.UtcNow };
                db.TalkChannels.Add(channel);
                await db.SaveChangesAsync();
                channelId = channel.Id;
                db.TalkMembers.AddRange(members.Select((p, i) => new TalkMember
                {
                    ChannelId = channelId, UserId = p.Id, Role = i == 0 ? MemberRole.Owner : MemberRole.Member, JoinedAt = DateTimeOffset.UtcNow,
                }));
                await db.SaveChangesAsync();
            }

            // From here the server (this process: Kestrel, the hub, the writers) runs on one core and the clients on the other.
            await WrkScript.PinSelfAsync(WrkScript.ServerCpu);
            var hub = services.GetRequiredService<LiveHub>();
            var sessionsFile = Path.Combine(work, "streams.tsv");
            await File.WriteAllLinesAsync(sessionsFile, streamsOf.Select(s => s.Item1.Token + "\t" + (s.Record ? "1" : "0")));

            // (1) Idle streams: the server's VmRSS before and after the child opened them.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(2000);
            var before = VmRssKb();
            var t0 = Stopwatch.StartNew();
            child = StartClients(port, cookieName, sessionsFile, opt.GetValueOrDefault("clients-inline") == "yes");
            var openLine = await child.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the stream clients ended before opening");
            var parts = openLine.Split(' ', 4);
            var open = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var failed = int.Parse(parts[2], CultureInfo.InvariantCulture);
            Log(Invariant($"clients: {open:N0} streams open, {failed:N0} failed {(parts.Length > 3 ? parts[3] : "")} in {t0.Elapsed.TotalSeconds:F1} s"));
            var wait = Stopwatch.StartNew();
            while (hub.OpenStreams < open && wait.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(3000);
            var after = VmRssKb();
            var onHub = hub.OpenStreams;
            var perConnection = (after - before) / (double)Math.Max(1, onHub);
            Log(Invariant($"idle: {onHub:N0} streams on the hub; server VmRSS {before / 1024} MB → {after / 1024} MB = {perConnection:F1} KB per connection"));

            // (2) Fan-out of user events, open loop: each to one member (one stream each), stamped with the time just
            // before its save; the child's arrival minus that stamp (one monotonic clock) is the latency.
            var clock = Stopwatch.StartNew();
            var sends = new List<Task>(events);
            for (var i = 0; i < events; i++)
            {
                await Due(clock, i, rate);
                var to = members[i % members.Count];
                sends.Add(Task.Run(async () =>
                {
                    await using var scope = services.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    LiveEvents.ToUser(db, to.Id, "bench", new { t = Stopwatch.GetTimestamp() });
                    await db.SaveChangesAsync();
                }));
            }

            await Task.WhenAll(sends);
            var userArrivals = await CollectAsync(child, work, LiveClients.KindUser, events, TimeSpan.FromSeconds(30));
            var latencies = userArrivals.Select(a => Stopwatch.GetElapsedTime(a.Key, a.At).TotalMilliseconds).Order().ToArray();
            Log(Invariant($"user events: {events} at {rate}/s, {latencies.Length} of {events} deliveries; p50 {Http.Pct(latencies, 50):F1} ms, p99 {Http.Pct(latencies, 99):F1} ms"));

            // (2b) Channel fan-out: --posts messages at --rate/s into the bench channel through the app's message writer
            // (the insert with its live event), each timed from just before the write to its arrival on every member's
            // stream (matched by message id: events carry ids only).
            var started = new ConcurrentDictionary<long, long>();
            var committed = new ConcurrentDictionary<long, long>();
            var writer = services.GetRequiredService<TalkMessageWriter>();
            var author = members[0].Id;

            // Posts at --rate/s through the writer, each told to `written` with the times just before the write and at its commit.
            async Task PostAtRateAsync(int count, string text, Action<long, long, long>? written)
            {
                clock.Restart();
                var tasks = new List<Task>(count);
                for (var i = 0; i < count; i++)
                {
                    await Due(clock, i, rate);
                    var n = i;
                    tasks.Add(Task.Run(async () =>
                    {
                        var t = Stopwatch.GetTimestamp();
                        var message = new TalkMessage { ChannelId = channelId, AuthorId = author, Body = Invariant($"{text} {n}"), CreatedAt = DateTimeOffset.UtcNow };
                        await writer.InsertAsync(message, []);
                        written?.Invoke(message.Id, t, Stopwatch.GetTimestamp());
                    }));
                }

                await Task.WhenAll(tasks);
            }

            // Warm-up: the same fan-out for --warm-posts posts, not measured, so the runtime has compiled the fan-out's
            // path (tiered compilation) before the measured run, as P4 and P6 warm up before theirs.
            await PostAtRateAsync(warmPosts, "準備", null);
            var warmed = await CollectAsync(child, work, LiveClients.KindMessage, (long)warmPosts * members.Count, TimeSpan.FromSeconds(60));
            Log(Invariant($"warm-up: {warmPosts} posts at {rate}/s, {warmed.Count} deliveries (not measured)"));
            await Task.Delay(1000);
            using var hubFigures = new HubFigures();
            var gcBefore = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var writeStart = Stopwatch.GetTimestamp();
            await PostAtRateAsync(posts, "一斉配信の試験", (id, t, done) =>
            {
                started[id] = t;
                committed[id] = done;
            });
            var postSeconds = clock.Elapsed.TotalSeconds;
            var gc = Invariant($"collections during the posts: gen0 {GC.CollectionCount(0) - gcBefore.Item2}, gen1 {GC.CollectionCount(1) - gcBefore.Item3}, gen2 {GC.CollectionCount(2) - gcBefore.Item4}, paused {(GC.GetTotalPauseDuration() - gcBefore.Item1).TotalMilliseconds:F0} ms ({(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC)");
            Log(gc);
            var hubSummary = hubFigures.Summary();
            Log("hub: " + hubSummary);
            var expectedDeliveries = (long)posts * members.Count;
            var arrivals = await CollectAsync(child, work, LiveClients.KindMessage, expectedDeliveries, TimeSpan.FromSeconds(60));
            var channelLatencies = arrivals.Where(a => started.ContainsKey(a.Key)).Select(a => Stopwatch.GetElapsedTime(started[a.Key], a.At).TotalMilliseconds).Order().ToArray();
            long delivered = channelLatencies.Length;
            // The same deliveries by the second of the run their post was written in: a stall at the start (the JIT, a
            // collection) shows apart from a server that falls behind as the run goes on.
            var perSecond = BySecond(writeStart, arrivals.Where(a => started.ContainsKey(a.Key)).Select(a => (started[a.Key], a.At)),
                l => Invariant($"p50 {Http.Pct(l, 50):F0} p99 {Http.Pct(l, 99):F0} ms"));
            // How long the write itself took (to its commit), by the same seconds: a stall there is the writer's.
            var writesSummary = BySecond(writeStart, started.Select(p => (p.Value, committed[p.Key])), l => Invariant($"p50 {Http.Pct(l, 50):F0} max {l[^1]:F0} ms"));
            Log("writes to their commit by second: " + writesSummary);
            Log("channel fan-out by second of the run: " + perSecond);
            Log(Invariant($"channel fan-out: {posts} posts at {rate}/s (written in {postSeconds:F1} s) to {members.Count} member streams, {delivered} of {expectedDeliveries} deliveries; p50 {Http.Pct(channelLatencies, 50):F1} ms, p99 {Http.Pct(channelLatencies, 99):F1} ms, max {(channelLatencies.Length == 0 ? double.NaN : channelLatencies[^1]):F1} ms"));

            await child.StandardInput.WriteLineAsync("quit");
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var closing = Stopwatch.StartNew();
            while (hub.OpenStreams > 0 && closing.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }

            // (3) Catch-up after missing 1,000 events: one reconnect at a time, read in this process (the server's core).
            using var handler = new SocketsHttpHandler { UseCookies = false, MaxResponseDrainSize = 0 };
            using var client = new HttpClient(handler) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
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
            await WrkScript.PinSelfAsync(Invariant($"0-{Environment.ProcessorCount - 1}"));
            var loadAfter = Report.LoadAverages();

            var report = new Report(opt.GetValueOrDefault("commit", "unknown"), Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));
            var tag = provider == "Sqlite" ? "" : " — PostgreSQL";
            report.Row("P3", Invariant($"idle streams{tag}: {onHub:N0} open{capped} (`GET /api/v1/talk/stream`, {streamsOf.Select(x => x.Item1).Distinct().Count():N0} people with real sessions, clients in their own process); VmRSS of the server process {before / 1024:N0} MB → {after / 1024:N0} MB, per connection"),
                Invariant($"{perConnection:F1} KB"), "10,000 idle connections, ≤ 64 KB each", onHub >= 10_000 && perConnection <= 64);
            report.Row("P3", Invariant($"channel fan-out{tag}: {posts:N0} posts at {rate}/s (open loop, through the app's message writer; after {warmPosts:N0} unmeasured posts of warm-up) into a channel of {members.Count:N0} members each streaming once, {onHub - members.Count:N0} other streams open; {delivered:N0} of {expectedDeliveries:N0} deliveries; from just before the write to the read completing in the client process; p99 {Http.Pct(channelLatencies, 99):F0} ms, max {(channelLatencies.Length == 0 ? double.NaN : channelLatencies[^1]):F0} ms — p50 shown"),
                Invariant($"{Http.Pct(channelLatencies, 50):F1} ms"), "p50 ≤ 20 ms", delivered == expectedDeliveries && Http.Pct(channelLatencies, 50) <= 20);
            report.Row("P3", "same run, p99", Invariant($"{Http.Pct(channelLatencies, 99):F1} ms"), "p99 ≤ 150 ms", delivered == expectedDeliveries && Http.Pct(channelLatencies, 99) <= 150);
            report.Row("P3", Invariant($"user events{tag}: {events:N0} at {rate}/s, each to one member's stream (client process); {latencies.Length:N0} of {events:N0} deliveries; p50 {Http.Pct(latencies, 50):F1} ms — p99 shown"),
                Invariant($"{Http.Pct(latencies, 99):F1} ms"), "(reference: p99 ≤ 150 ms)", null);
            report.Row("P3", Invariant($"catch-up{tag}: a client that missed 1,000 events reconnects with Last-Event-ID, until the 1,000th arrives (10 reconnects, read in the server's process on its core; p50 {Http.Pct(sorted, 50):F1} ms) — p95 shown"),
                Invariant($"{Http.Pct(sorted, 95):F1} ms"), "p95 ≤ 100 ms", Http.Pct(sorted, 95) <= 100);
            var setup = new List<string>
            {
                Invariant($"P3 on {(provider == "Sqlite" ? "SQLite (file, WAL)" : "PostgreSQL")}: a {staff}-staff town (seed {seed}); the app unchanged (`ServeApp` full variant) on Kestrel, 127.0.0.1, hosted by the bench process, {(AppServer.HasTaskset ? "pinned to CPU 0 (taskset -a) from the opening of the streams to the end" : "not pinned (taskset missing)")}; the writers (user events, posts) run in that process too."),
                Invariant($"Stream clients: `Dokodemo.Bench p3-clients`, a separate process {(AppServer.HasTaskset ? "pinned to CPU 1" : "not pinned")}: raw sockets, HTTP/1.1, a chunked decoder and a byte scan of `data:` lines; arrival = Stopwatch.GetTimestamp() (CLOCK_MONOTONIC, the parent's clock) when the read completes. Memory is the server process's VmRSS only."),
                Invariant($"Channel fan-out by the second of the run its post was written in: {perSecond}. The same posts to their commit: {writesSummary}. {gc}."),
                Invariant($"The hub during the posts (its `Dokodemo.Live` metrics): {hubSummary}."),
                Invariant($"Stream clients' process: at least 8 pool threads from the start and the parent's commands read on a thread of their own (pinned to one CPU, the runtime had started one pool thread, which reading the commands held: the clients' reads then waited up to a second for the pool to grow, several times a run)."),
                Invariant($"Open file limit per process: {OpenFileLimit()}. Load average (1, 5, 15 min) before the run: {loadBefore}; after: {loadAfter}."),
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
            if (child is { HasExited: false })
            {
                child.Kill(entireProcessTree: true);
            }

            child?.Dispose();
            drop();
        }
    }

    private static async Task Due(Stopwatch clock, int i, int rate)
    {
        var wait = TimeSpan.FromSeconds(i / (double)rate) - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }
    }

    /// <summary>Starts <see cref="LiveClients"/> on the load core.</summary>
    private static Process StartClients(int port, string cookieName, string sessionsFile, bool inline)
    {
        var psi = new ProcessStartInfo
        {
            FileName = AppServer.HasTaskset ? "taskset" : "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (AppServer.HasTaskset)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(WrkScript.LoadCpu);
            psi.ArgumentList.Add("dotnet");
        }

        foreach (var a in new[] { typeof(LiveClients).Assembly.Location, "p3-clients", "--port", port.ToString(CultureInfo.InvariantCulture), "--cookie", cookieName, "--sessions", sessionsFile })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_gcServer"] = "0";
        if (inline)
        {
            // The sockets' completions run on the runtime's epoll thread instead of a pool thread (the clients only).
            psi.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
        }
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start the stream clients");
    }

    /// <summary>
    /// Latencies (<c>From</c> → <c>To</c>, timestamps) grouped by the second after <paramref name="start"/> their <c>From</c>
    /// falls in, each second shown by <paramref name="show"/> over its sorted milliseconds: "s0: …; s1: …".
    /// </summary>
    private static string BySecond(long start, IEnumerable<(long From, long To)> samples, Func<double[], string> show) =>
        string.Join("; ", samples.GroupBy(x => (int)Stopwatch.GetElapsedTime(start, x.From).TotalSeconds).OrderBy(g => g.Key)
            .Select(g => Invariant($"s{g.Key}: {show(g.Select(x => Stopwatch.GetElapsedTime(x.From, x.To).TotalMilliseconds).Order().ToArray())}")));

    /// <summary>Asks the clients for their deliveries of one kind every second until <paramref name="expected"/> arrived or the time is up.</summary>
    private static async Task<List<(long Key, long At)>> CollectAsync(Process child, string work, long kind, long expected, TimeSpan patience)
    {
        var all = new List<(long Key, long At)>();
        var file = Path.Combine(work, "deliveries.bin");
        var until = Stopwatch.StartNew();
        while (true)
        {
            await child.StandardInput.WriteLineAsync("dump " + file);
            await child.StandardInput.FlushAsync();
            var answer = await child.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the stream clients ended");
            if (!answer.StartsWith("dumped ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the stream clients said: " + answer);
            }

            var bytes = await File.ReadAllBytesAsync(file);
            for (var i = 0; i + 24 <= bytes.Length; i += 24)
            {
                if (BitConverter.ToInt64(bytes, i) == kind)
                {
                    all.Add((BitConverter.ToInt64(bytes, i + 8), BitConverter.ToInt64(bytes, i + 16)));
                }
            }

            if (all.Count >= expected || until.Elapsed > patience)
            {
                return all;
            }

            await Task.Delay(1000);
        }
    }

    private static string OpenFileLimit()
    {
        var line = File.Exists("/proc/self/limits") ? File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) : null;
        return line is null ? "n/a" : string.Join(" / ", line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2)) + " (soft / hard)";
    }

    private static long VmRssKb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>One stream read line by line in this process (the catch-up): completes after a count of <c>data:</c> lines.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly HttpResponseMessage response;
        private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Reader(HttpResponseMessage response) => this.response = response;

        public Task Done => done.Task;

        public static async Task<Reader> OpenAsync(HttpClient client, string cookieName, Person person, string? lastEventId, int countOnly)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/talk/stream", UriKind.Relative));
            request.Headers.TryAddWithoutValidation("Cookie", cookieName + "=" + person.Token);
            // A stream is never reused: dropping one mid-body must not leave its connection in the pool.
            request.Headers.ConnectionClose = true;
            if (lastEventId is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            }

            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException(Invariant($"the stream answered {(int)response.StatusCode}"));
            }

            var reader = new Reader(response);
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
                    if (line.StartsWith("data: ", StringComparison.Ordinal) && ++seen == countOnly)
                    {
                        done.TrySetResult();
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

    /// <summary>
    /// The hub's own figures (meter <see cref="LiveMetrics.MeterName"/>) while it lives: how long a commit waited for the hub
    /// to read, the reads, and the fan-out rounds — where a delivery's time goes on the server.
    /// </summary>
    private sealed class HubFigures : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> values = new();
        private readonly ConcurrentDictionary<string, long> counts = new();

        public HubFigures()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name is LiveMetrics.MeterName or WriterMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<double>((i, v, tags, _) => values.GetOrAdd(Key(i.Name, tags), _ => new()).Enqueue(v));
            listener.SetMeasurementEventCallback<int>((i, v, _, _) => values.GetOrAdd(i.Name, _ => new()).Enqueue(v));
            listener.SetMeasurementEventCallback<long>((i, v, tags, _) => counts.AddOrUpdate(Key(i.Name, tags), v, (_, n) => n + v));
            listener.Start();
        }

        // The writers' phases apart (tag "phase"), the rechecks shared or not (tag "shared"); the writer's name is left out
        // (only the message writer runs here).
        private static string Key(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var t in tags)
            {
                if (t.Key is "phase" or "shared")
                {
                    return name + "." + t.Value;
                }
            }

            return name;
        }

        public string Summary()
        {
            string One(string name, string label, string unit)
            {
                var sorted = values.TryGetValue(name, out var q) ? q.Order().ToArray() : [];
                return sorted.Length == 0
                    ? label + " none"
                    : Invariant($"{label} ×{sorted.Length:N0} p50 {Http.Pct(sorted, 50):F1}{unit} p90 {Http.Pct(sorted, 90):F1}{unit} max {sorted[^1]:F1}{unit}");
            }

            static string PhaseOf(string phase) => WriterMetrics.Phases.Name + "." + phase;
            long Count(bool shared) => counts.GetValueOrDefault(LiveMetrics.Rechecks.Name + "." + shared);
            return string.Join("; ", Invariant($"stream rechecks (R20) {Count(false):N0} decided, {Count(true):N0} shared"),
                One(LiveMetrics.RecheckDuration.Name, "a decided recheck", " ms"), One(LiveMetrics.ReadDelay.Name, "commit signal to read", " ms"),
                One(LiveMetrics.ReadDuration.Name, "read", " ms"),
                One(LiveMetrics.ReadEvents.Name, "events per read", ""), One(LiveMetrics.RoundStreams.Name, "streams per round", ""),
                One(LiveMetrics.RoundDuration.Name, "round", " ms"), One(WriterMetrics.Wait.Name, "message writer: wait for a transaction", " ms"),
                One(WriterMetrics.Size.Name, "writes per transaction", ""), One(PhaseOf(WriterMetrics.Open), "open", " ms"),
                One(PhaseOf(WriterMetrics.Begin), "begin (PostgreSQL: lock and ids)", " ms"), One(PhaseOf(WriterMetrics.Write), "write", " ms"),
                One(PhaseOf(WriterMetrics.Commit), "commit", " ms"));
        }

        public void Dispose() => listener.Dispose();
    }
}
