using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Demo;
using Dokodemo.Talk;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>
/// P4: the message write path (validate, store, index, fan out) at ≥ 2,000 posts/s sustained. The app unchanged
/// (ServeApp's full variant) on real Kestrel, loopback; a town of <c>--staff</c> people with a real session each, every
/// insider in their department channel (the app's own sync at start). Each request is <c>POST
/// /api/v1/talk/channels/{id}/messages</c> with a Japanese message from <see cref="TalkDemoText"/> by a member of that
/// channel: session, access decision, validation, mentions, the insert with its mentions, read marker, search terms and
/// live event, and the 201 body read back. The budget row is wrk out of process (closed loop, <c>--seconds</c> after a
/// warm-up); the database is counted afterwards. An in-process driver gives a reference figure.
/// dotnet Dokodemo.Bench.dll p4 [--staff 300] [--postgres cs] [--inflight 32] [--seconds 10] [--warm 30] [--quick yes] [--results dir --commit sha]
/// </summary>
public static partial class TalkPostBench
{
    [GeneratedRegex(@"P4STATUS created=(\d+) other=(\d+) others=(.*)$", RegexOptions.Multiline)]
    private static partial Regex Status();

    private static void Log(string line) => Console.Error.WriteLine("[p4] " + line);

    public sealed record Poster(string UserId, string Token, int ChannelId);

    public static async Task<int> MainAsync(IReadOnlyDictionary<string, string> opt, int staff, int seed)
    {
        int Int(string key, int fallback) => opt.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var inflight = Int("inflight", 32);
        var seconds = Int("seconds", 10);
        // The app's own process settles after about 30 s under load: its JIT then has nothing left to compile (measured on
        // P6 through the runtime's perf map: 11,390, 2,006, 1,668, 362, then 15 methods compiled in successive 8 s runs).
        var warmSeconds = Int("warm", 30);
        var work = Path.GetFullPath(opt.GetValueOrDefault("work", Path.Combine(Path.GetTempPath(), "dokodemo-p4-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture))));
        Directory.CreateDirectory(work);
        var commit = opt.GetValueOrDefault("commit", "unknown");
        var loadBefore = Report.LoadAverages();
        var (provider, cs, drop) = await BenchDatabase.CreateAsync(opt.GetValueOrDefault("postgres"), work, "p4");
        var report = new Report(commit, Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));
        var setup = new List<string>();
        try
        {
            Log(Invariant($"generating a {staff}-staff town (seed {seed}) on {provider}"));
            var (town, port, baseUri) = await BenchDatabase.TownAndServerSettingsAsync(provider, cs, work, "p4", staff, seed);
            await using var app = new ServeApp(trivialAllow: false);
            app.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            app.StartServer();
            var services = app.Services;
            var cookieName = services.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).CookieName;
            var people = await BenchSessions.StartAsync(services);
            Dictionary<string, int> channelOf;
            int channels;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var rows = await db.TalkMembers.AsNoTracking()
                    .Join(db.TalkChannels.Where(c => c.Kind == ChannelKind.Department), m => m.ChannelId, c => c.Id, (m, c) => new { m.UserId, m.ChannelId })
                    .ToListAsync();
                channelOf = rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Min(r => r.ChannelId), StringComparer.Ordinal);
                channels = rows.Select(r => r.ChannelId).Distinct().Count();
            }

            var posters = people.Where(p => channelOf.ContainsKey(p.Id)).Select(p => new Poster(p.Id, p.Token, channelOf[p.Id])).ToList();
            Log(Invariant($"{people.Count} sessions, {posters.Count} posters in {channels} department channels"));
            if (posters.Count == 0)
            {
                throw new InvalidOperationException("no one is in a department channel: did the Talk sync run at start?");
            }

            var texts = new TalkDemoText(seed);
            var bodies = Enumerable.Range(0, 500).Select(_ => texts.Message()).ToList();

            // One post checked end to end before measuring.
            using (var probe = Client(baseUri, inflight))
            using (var r = await probe.SendAsync(PostRequest(baseUri, cookieName, posters[0], bodies[0])))
            {
                if (r.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException(Invariant($"a bench post answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}"));
                }
            }

            var before = await CountAsync(services);

            // (1) Reference: the driver in process (shares the cores with the server), a fixed number of posts.
            var total = Int("posts", 10_000);
            // --quick yes (for comparing changes): only the budget's wrk run, without the in-process and reference runs.
            var quick = opt.ContainsKey("quick");
            var inProcess = quick ? null : await InProcessAsync(baseUri, cookieName, posters, bodies, total, inflight);
            if (inProcess is not null)
            {
                Log(Invariant($"in process: {inProcess.Created} × 201 of {total} in {inProcess.Seconds:F1} s = {inProcess.Created / inProcess.Seconds:F0}/s; p50 {inProcess.P50:F1} ms, p99 {inProcess.P99:F1} ms; not 201: {inProcess.Failures}"));
            }

            // (2) Where the time goes: the service alone, one at a time, without HTTP (grant, validate, mentions, insert, read back).
            var t0 = Stopwatch.GetTimestamp();
            var ok = 0;
            for (var i = 0; i < (quick ? 0 : 500); i++)
            {
                var p = posters[(i * 13) % posters.Count];
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var channel = await db.TalkChannels.AsNoTracking().SingleAsync(c => c.Id == p.ChannelId);
                var member = await db.TalkMembers.AsNoTracking().SingleAsync(m => m.ChannelId == p.ChannelId && m.UserId == p.UserId);
                var posted = await scope.ServiceProvider.GetRequiredService<TalkMessages>()
                    .PostAsync(new ChannelGrant(channel, member, CanPost: true, CanModerate: false), p.UserId, new PostRequest(bodies[i % bodies.Count], null), default);
                ok += posted.Ok ? 1 : 0;
            }

            var serviceMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / 500;
            Log(Invariant($"service alone, one at a time: {serviceMs:F2} ms per post ({ok} of 500 made)"));
            var after = await CountAsync(services);
            await AppProcess.StopBenchHostAsync(app);

            // (4) The budget row, last: wrk out of process, pinned, after a warm-up, with the bench's own host stopped so
            // the app's own process is the only app on the database (AppProcess.StopBenchHostAsync).
            (WrkRun Run, long Created, long Other, string Others, long Stored)? outside = null, defaults = null;
            async Task<(WrkRun Run, long Created, long Other, string Others, long Stored)> OutsideAsync(AppProcess.Tiering tiering, string tag)
            {
                // The app as its own process, pinned to its core from the start (AppProcess).
                await using var server = await AppProcess.StartAsync(provider, cs, work, tag, tiering);
                using (var probe = Client(server.BaseUri, inflight))
                using (var r = await probe.SendAsync(PostRequest(server.BaseUri, cookieName, posters[1 % posters.Count], bodies[1])))
                {
                    if (r.StatusCode != HttpStatusCode.Created)
                    {
                        throw new InvalidOperationException(Invariant($"a post to the app's own process answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}"));
                    }
                }

                // A fresh process: its JIT needs a while (tiered compilation on one core) before it runs at speed.
                var warm = await RunWrkAsync(server.BaseUri, cookieName, posters, bodies, warmSeconds, inflight, work, tag + "-warm");
                Log(Invariant($"wrk warm-up ({tiering}): {warm.Created} × 201 in {warm.Run.Seconds:F1} s, {warm.Other} other"));
                // Counted once the posts still in flight when wrk stopped (up to one per connection) are written: the
                // warm-up's last ones must not count in the run's.
                var start = await SettledCountAsync(provider, cs);
                var run = await RunWrkAsync(server.BaseUri, cookieName, posters, bodies, seconds, inflight, work, tag);
                var stored = await SettledCountAsync(provider, cs) - start;
                Log(Invariant($"wrk ({tiering}): {run.Created} × 201 of {run.Run.Requests} in {run.Run.Seconds:F2} s = {run.Created / run.Run.Seconds:F0}/s; p50 {run.Run.P50:F1} ms, p99 {run.Run.P99:F1} ms; {run.Other} other ({run.Others}); stored {stored}"));
                return (run.Run, run.Created, run.Other, run.Others, stored);
            }

            if (WrkScript.Available)
            {
                outside = await OutsideAsync(AppProcess.Tiering.Shipped, "p4");
                defaults = quick ? null : await OutsideAsync(AppProcess.Tiering.RuntimeDefault, "p4-defaults");
            }
            else
            {
                Log("wrk missing (apt-get install wrk): no out-of-process run");
            }

            var loadAfter = Report.LoadAverages();

            setup.Add(Invariant($"P4 on {(provider == "Sqlite" ? "SQLite (file, WAL)" : "PostgreSQL (a database of its own on the shared cluster, created and dropped by the bench)")}: {town.Staff} people in {town.Departments} departments (TownGenerator, seed {seed}, `--staff {staff}`); {channels} department channels made by the app's own Talk sync at start; {posters.Count} posters, each with a real server-side session (BenchSessions) posting in their own department channel."));
            setup.Add("Hosts: for the budget's wrk run, the app as its own process (below); for the town, the sessions and the rows for information, the app unchanged (`ServeApp` full variant, WebApplicationFactory on real Kestrel, Production environment) on 127.0.0.1 in the bench process, on the same database.");
            setup.Add(Invariant($"Requests: `POST /api/v1/talk/channels/{{id}}/messages` with JSON {{body}} (one of 500 Japanese messages from TalkDemoText, seed {seed}), the app's own Origin header; the answer is the 201 with the message as the API returns it."));
            setup.Add(Invariant($"Load average (1, 5, 15 min): {loadBefore} before, {loadAfter} after. Messages in the database: {before:N0} before the runs, {after:N0} after the in-process runs (the wrk runs come after that, each counted on its own)."));
            if (outside is { } o)
            {
                var rate = o.Created / o.Run.Seconds;
                var valid = o.Other == 0 && o.Stored >= o.Created && o.Stored <= o.Created + inflight;
                report.Row("P4", Invariant($"posts sustained, load driver out of process: `wrk -t1 -c{inflight}` pinned to CPU {WrkScript.LoadCpu}; {AppProcess.Described(AppProcess.Tiering.Shipped)}; closed loop for {o.Run.Seconds:F0} s after a {warmSeconds} s warm-up: {o.Created:N0} × 201 of {o.Run.Requests:N0}, other: {o.Others}; messages stored meanwhile {o.Stored:N0} (the 201s plus what was in flight when wrk stopped) — 201s per second"),
                    Invariant($"{rate:N0} posts/s"), "≥ 2,000 posts/s", valid && rate >= 2000);
                report.Row("P4", Invariant($"same run, latency at wrk: p50 {o.Run.P50:F1} ms, p90 {o.Run.P90:F1} ms, max {o.Run.Max:F0} ms — p99 shown"), Invariant($"{o.Run.P99:F1} ms"), "(no budget)", null);
            }

            if (defaults is { } d)
            {
                report.Row("P4", Invariant($"for reference, the same run on a new process with {AppProcess.Described(AppProcess.Tiering.RuntimeDefault)}: {d.Created:N0} × 201 of {d.Run.Requests:N0} in {d.Run.Seconds:F0} s after a {warmSeconds} s warm-up, other: {d.Others}; stored {d.Stored:N0}; latency at wrk p50 {d.Run.P50:F1} ms, p99 {d.Run.P99:F1} ms"),
                    Invariant($"{d.Created / d.Run.Seconds:N0} posts/s"), "(reference)", null);
            }

            if (inProcess is not null)
            {
                report.Row("P4", Invariant($"{(outside is null ? "" : "for information: ")}posts with the driver in process (HttpClient, {inflight} in flight, {total:N0} posts, client and server share both cores): {inProcess.Created:N0} × 201 in {inProcess.Seconds:F1} s, not 201: {inProcess.Failures}; client p50 {inProcess.P50:F1} ms, p99 {inProcess.P99:F1} ms"),
                Invariant($"{inProcess.Created / inProcess.Seconds:N0} posts/s"), outside is null ? "≥ 2,000 posts/s" : "(reference)", outside is null ? inProcess.Created / inProcess.Seconds >= 2000 : null);
                report.Row("P4", "where the time goes: `TalkMessages.PostAsync` in process without HTTP and without the access decision (the grant read from the database), one at a time (500 posts)", Invariant($"{serviceMs:F2} ms per post"), "(reference)", null);
            }

            report.Note("A post is the app's whole path: session lookup, the access decision (enforcement point, then TalkAccess for the channel), validation, mention resolution, the insert of the message with its mentions, the author's read marker, search terms and the live event in one transaction, and the message read back for the 201 body.");
        }
        finally
        {
            drop();
        }

        var at = DateTimeOffset.UtcNow;
        var text = report.Render(at, setup);
        Console.WriteLine(text);
        if (opt.TryGetValue("results", out var dir))
        {
            Directory.CreateDirectory(dir);
            var file = Path.Combine(Path.GetFullPath(dir), Invariant($"{at:yyyyMMdd'T'HHmmss'Z'}-{commit}-p4-{provider.ToLowerInvariant()}.md"));
            await File.WriteAllTextAsync(file, text);
            Console.WriteLine("Report written to " + file);
        }

        return 0;
    }

    private static async Task<long> CountAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().TalkMessages.LongCountAsync();
    }

    private static async Task<long> CountAsync(string provider, string connectionString)
    {
        await using var db = AppProcess.Context(provider, connectionString);
        return await db.TalkMessages.LongCountAsync();
    }

    /// <summary>The messages stored, once the count has stayed the same for 250 ms (at most 10 s of waiting).</summary>
    private static async Task<long> SettledCountAsync(string provider, string connectionString)
    {
        var count = await CountAsync(provider, connectionString);
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(250);
            var again = await CountAsync(provider, connectionString);
            if (again == count)
            {
                break;
            }

            count = again;
        }

        return count;
    }

    private static async Task<(WrkRun Run, long Created, long Other, string Others)> RunWrkAsync(Uri baseUri, string cookieName, IReadOnlyList<Poster> posters,
        IReadOnlyList<string> bodies, int seconds, int connections, string work, string name)
    {
        var lua = new StringBuilder();
        lua.Append("local tokens = {").AppendJoin(",", posters.Select(p => WrkScript.Quote(p.Token))).Append("}\n");
        lua.Append("local channels = {").AppendJoin(",", posters.Select(p => p.ChannelId.ToString(CultureInfo.InvariantCulture))).Append("}\n");
        lua.Append("local bodies = {").AppendJoin(",", bodies.Select(b => WrkScript.Quote(JsonSerializer.Serialize(new { body = b })))).Append("}\n");
        lua.Append("local cookie = ").Append(WrkScript.Quote(cookieName + "=")).Append('\n');
        lua.Append("local origin = ").Append(WrkScript.Quote(baseUri.GetLeftPart(UriPartial.Authority))).Append('\n');
        lua.Append("""
            local k = 0
            created, other = 0, 0
            others = ""
            local threads = {}
            setup = function(thread) table.insert(threads, thread) end
            request = function()
              local i = k
              k = k + 1
              local p = (i * 7) % #tokens + 1
              local path = "/api/v1/talk/channels/" .. channels[p] .. "/messages"
              return wrk.format("POST", path, { ["Content-Type"] = "application/json", ["Origin"] = origin, ["Cookie"] = cookie .. tokens[p] }, bodies[(i % #bodies) + 1])
            end
            response = function(status, headers, body)
              if status == 201 then
                created = created + 1
              else
                other = other + 1
                if #others < 400 then others = others .. status .. " " .. string.sub(body, 1, 80) .. "; " end
              end
            end
            done = function(summary, latency, requests)
              local c, o, s = 0, 0, ""
              for _, thread in ipairs(threads) do
                c = c + thread:get("created")
                o = o + thread:get("other")
                s = s .. thread:get("others")
              end
              io.write(string.format("P4STATUS created=%d other=%d others=%s\n", c, o, string.gsub(s, "\n", " ")))
            end

            """);
        var run = await WrkScript.RunAsync(baseUri, "/api/v1/talk/channels", lua.ToString(), name, seconds, connections, work);
        var st = Status().Match(run.Raw);
        if (!st.Success)
        {
            throw new InvalidOperationException("wrk's output was not understood:\n" + run.Raw);
        }

        return (run, long.Parse(st.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(st.Groups[2].Value, CultureInfo.InvariantCulture),
            st.Groups[3].Value.Trim() is { Length: > 0 } s ? s : "none");
    }

    private sealed record InProcessRun(int Created, double Seconds, double P50, double P99, string Failures);

    private static async Task<InProcessRun> InProcessAsync(Uri baseUri, string cookieName, IReadOnlyList<Poster> posters, IReadOnlyList<string> bodies, int total, int inflight)
    {
        using var client = Client(baseUri, inflight);
        var left = total;
        var created = 0;
        var latencies = new ConcurrentBag<double>();
        var failures = new ConcurrentDictionary<int, int>();
        var t = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, inflight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Decrement(ref left)) >= 0)
            {
                var s = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(PostRequest(baseUri, cookieName, posters[(i * 7) % posters.Count], bodies[i % bodies.Count]));
                await response.Content.ReadAsByteArrayAsync();
                latencies.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref created);
                }
                else
                {
                    failures.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                }
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(t).TotalSeconds;
        var sorted = latencies.Order().ToArray();
        return new InProcessRun(created, seconds, Http.Pct(sorted, 50), Http.Pct(sorted, 99),
            failures.IsEmpty ? "none" : string.Join(", ", failures.Select(f => Invariant($"{f.Value} × {f.Key}"))));
    }

    private static HttpClient Client(Uri baseUri, int connections) => Http.LoadClient(baseUri, connections);

    private static HttpRequestMessage PostRequest(Uri baseUri, string cookieName, Poster p, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Invariant($"/api/v1/talk/channels/{p.ChannelId}/messages"), UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { body }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Origin", baseUri.GetLeftPart(UriPartial.Authority));
        request.Headers.TryAddWithoutValidation("Cookie", cookieName + "=" + p.Token);
        return request;
    }

}
