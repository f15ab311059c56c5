using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Live;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>
/// P3 (preliminary): live events over SSE. The app unchanged (ServeApp's full variant) on real Kestrel, loopback; a town
/// of <c>--staff</c> people with a session each; <c>--connections</c> idle streams spread over them.
/// (1) Idle memory: the process's VmRSS before and after opening the streams (server and client are one process here, so
/// the figure per connection is an upper bound for the server's). (2) Fan-out latency of user events: <c>--events</c>
/// events at <c>--rate</c>/s, each to one streaming person, timed from just before the save to its arrival on the stream.
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
