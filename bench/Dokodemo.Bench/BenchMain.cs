using System.Globalization;
using System.Net;
using System.Text.Json;
using static System.FormattableString;

namespace Dokodemo.Bench;

public sealed record BenchSettings(string AppDll, string WorkDir, string DatabaseFile, string ServerCpu, string LoadCpu);

/// <summary>
/// dotnet Dokodemo.Bench.dll generate --db town.db [--staff 300] [--seed 20250401]
/// dotnet Dokodemo.Bench.dll run --app publish/Dokodemo.dll --work tmpdir --results bench/results --commit abc1234 [--staff 300] [--seed 20250401] [--starts 5]
/// dotnet Dokodemo.Bench.dll decision --out results.json [--artifacts dir]      (P2 alone; run starts it itself)
/// dotnet Dokodemo.Bench.dll serve --variant full|trivial-allow [--parent pid]  (P1 A/B server; run starts it itself)
/// dotnet Dokodemo.Bench.dll p7 [--staff 1000] [--postgres cs] [--results dir]  (P7 month close alone; run starts it itself)
/// dotnet Dokodemo.Bench.dll p6 [--staff 1000] [--postgres cs] [--results dir]  (P6 desk booking, on its own)
/// dotnet Dokodemo.Bench.dll p4 [--staff 300] [--postgres cs] [--inflight 32] [--seconds 10]  (P4 message posts)
/// dotnet Dokodemo.Bench.dll p3 [--staff 2400] [--connections 10000] [--members 1000] [--events 1000] [--posts 1000] [--rate 200] [--postgres cs]  (P3 live events)
/// dotnet Dokodemo.Bench.dll p3-clients --port P --cookie NAME --sessions FILE  (P3's stream clients; p3 starts it itself)
/// </summary>
public static class BenchMain
{
    /// <summary>Alternating A/B pairs of wrk runs for the access-check cost, and the length of each run.</summary>
    private const int AbPairs = 20;
    private const int AbSeconds = 3;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("generate" or "run" or "decision" or "serve" or "p7" or "p6" or "p3" or "p4" or "p5" or "p3-clients"))
        {
            await Console.Error.WriteLineAsync("usage: Dokodemo.Bench generate --db <file> [--staff N] [--seed S] | run --app <Dokodemo.dll> --work <dir> --results <dir> --commit <sha>"
                + " | decision --out <file.json> [--artifacts <dir>] | serve --variant full|trivial-allow [--parent <pid>]"
                + " | p7 [--staff 1000] [--seed S] [--reps 7] [--postgres <connection string>] [--work <dir>] [--out <file.json>] [--results <dir> --commit <sha>]"
                + " | p6 [--staff 1000] [--seed S] [--postgres <connection string>] [--inflight 32] [--bookings 10000] [--work <dir>] [--results <dir> --commit <sha>]");
            return 2;
        }

        var opt = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            opt[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string key, int fallback) => opt.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var staff = Int("staff", 300);
        var seed = Int("seed", 20250401);

        if (args[0] == "decision")
        {
            return await DecisionRun.MainAsync(Path.GetFullPath(opt["out"]), Path.GetFullPath(opt.GetValueOrDefault("artifacts", "BenchmarkDotNet.Artifacts")));
        }

        if (args[0] == "serve")
        {
            return await ServeApp.RunAsync(opt.GetValueOrDefault("variant", ""), opt.TryGetValue("parent", out var parent) ? int.Parse(parent, CultureInfo.InvariantCulture) : null);
        }

        if (args[0] == "p7")
        {
            return await MonthCloseBench.MainAsync(opt, Int("staff", 1000), seed);
        }

        if (args[0] == "p3")
        {
            return await LiveBench.MainAsync(opt, Int("staff", 2400), seed);
        }

        if (args[0] == "p3-clients")
        {
            return await LiveClients.MainAsync(opt);
        }

        if (args[0] == "p4")
        {
            return await TalkPostBench.MainAsync(opt, staff, seed);
        }

        if (args[0] == "p5")
        {
            return await TalkSearchBench.MainAsync(opt, staff, seed);
        }

        if (args[0] == "p6")
        {
            return await SeatBookingBench.MainAsync(opt, Int("staff", 1000), seed);
        }

        if (args[0] == "generate")
        {
            var town = await TownGenerator.GenerateAsync(Path.GetFullPath(opt["db"]), staff, seed);
            Console.WriteLine(JsonSerializer.Serialize(town));
            return 0;
        }

        var work = Path.GetFullPath(opt["work"]);
        var settings = new BenchSettings(Path.GetFullPath(opt["app"]), work, Path.Combine(work, "bench.db"), "1", "0");
        var results = Path.GetFullPath(opt["results"]);
        Directory.CreateDirectory(results);
        var commit = opt.GetValueOrDefault("commit", "unknown");
        var p7Postgres = opt.GetValueOrDefault("p7postgres", "");
        var report = await RunAsync(settings, commit, opt.GetValueOrDefault("cpus", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)), staff, seed, Int("starts", 5),
            Int("p7staff", 1000), p7Postgres.Length > 0 ? p7Postgres : null);
        var at = DateTimeOffset.UtcNow;
        var file = Path.Combine(results, Invariant($"{at:yyyyMMdd'T'HHmmss'Z'}-{commit}.md"));
        await File.WriteAllTextAsync(file, report);
        Console.WriteLine(report);
        Console.WriteLine("Report written to " + file);
        return 0;
    }

    private static string Ms(double v) => double.IsNaN(v) ? "n/a" : v.ToString(v < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";

    private static string Kb(long bytes) => (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KB";

    private static double Median(IEnumerable<double> xs)
    {
        var a = xs.Order().ToArray();
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }

    private static async Task<string> RunAsync(BenchSettings s, string commit, string cpus, int staff, int seed, int starts, int p7Staff, string? p7Postgres)
    {
        var pidFile = Path.Combine(s.WorkDir, "pids");
        var report = new Report(commit, cpus);
        var at = DateTimeOffset.UtcNow;
        var loadAtStart = Report.LoadAverages();

        Console.Error.WriteLine(Invariant($"[bench] generating a {staff}-staff town (seed {seed})"));
        var town = await TownGenerator.GenerateAsync(s.DatabaseFile, staff, seed);
        var setup = new List<string>
        {
            Invariant($"Town: {town.Staff} people, {town.Departments} departments, {town.Sections} sections, {town.Sites} sites (TownGenerator, seed {seed}); SQLite file, WAL."),
            Invariant($"App: Release build, `dotnet Dokodemo.dll`, demo mode without seeding (the generated town includes the demo personas), {(AppServer.HasTaskset ? $"server pinned to CPU {s.ServerCpu}, load driver and wrk to CPU {s.LoadCpu} (taskset)" : "taskset missing: nothing pinned")}; all traffic to 127.0.0.1."),
        };

        // P2 first, while no server runs: the decision point in process, on the server's CPU.
        Console.Error.WriteLine(Invariant($"[bench] P2: BenchmarkDotNet and {DecisionRun.Runs} × {DecisionRun.CallsPerRun:N0} timed single decisions (a few minutes)"));
        var decision = await DecisionRun.RunChildAsync(s, pidFile, s.ServerCpu);

        // P9: start to ready, and resident memory at rest, over several starts.
        var ready = new List<double>();
        var rss = new List<double>();
        AppServer? server = null;
        try
        {
            for (var i = 1; i <= starts; i++)
            {
                server = await AppServer.StartAsync(s, pidFile);
                ready.Add(server.ReadyAfter.TotalMilliseconds);
                await Task.Delay(TimeSpan.FromSeconds(5));
                rss.Add(server.RssMiB());
                Console.Error.WriteLine(Invariant($"[bench] P9 start {i}: ready after {server.ReadyAfter.TotalMilliseconds:F0} ms, VmRSS {rss[^1]:F1} MiB after 5 s idle"));
                if (i < starts)
                {
                    await server.DisposeAsync();
                    server = null;
                }
            }

            var readyMedian = Median(ready);
            var rssMedian = Median(rss);
            report.Row("P9", Invariant($"start → first 200 from /health/ready (median of {starts} starts; all: {string.Join(", ", ready.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} ms)"),
                Invariant($"{readyMedian / 1000:F2} s"), "≤ 3 s", readyMedian <= 3000);
            report.Row("P9", Invariant($"VmRSS at rest, 5 s after ready, {town.Staff}-staff town (median of {starts}; all: {string.Join(", ", rss.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} MiB)"),
                Invariant($"{rssMedian:F1} MiB"), "≤ 200 MB", rssMedian * 1024 * 1024 <= 200_000_000);

            var baseUri = server!.BaseUri;
            Console.Error.WriteLine("[bench] signing in as personas manager and security");
            var manager = await Http.SignInAsync(baseUri, "manager");
            var security = await Http.SignInAsync(baseUri, "security");

            // P8: page weight of each main page, first load.
            var pages = new (string Path, string? Session, string Who)[]
            {
                ("/", manager, "manager"), ("/people", manager, "manager"), ("/account", manager, "manager"),
                ("/signin", null, "anonymous"), ("/admin/users", security, "security"),
            };
            var weights = new List<PageWeight>();
            foreach (var (path, session, who) in pages)
            {
                var w = await Http.WeighAsync(baseUri, path, session, who);
                weights.Add(w);
                report.Row("P8", Invariant($"page weight `{path}` as {who} (HTTP {w.Status}): HTML {Kb(w.HtmlGzip)} + CSS {Kb(w.CssGzip)} + JS {Kb(w.JsGzip)}, gzip"),
                    Kb(w.TotalGzip), "≤ 100 KB", w.Status == 200 && w.TotalGzip <= 100 * 1024);
                report.Row("P8", Invariant($"JavaScript on `{path}` ({w.Scripts} scripts)"), Kb(w.JsGzip), "≤ 30 KB", w.Status == 200 && w.JsGzip <= 30 * 1024);
            }

            var table = new System.Text.StringBuilder("| page | as | status | HTML raw | HTML gzip | CSS gzip (sheets) | JS gzip (scripts) | total gzip |\n|---|---|---|---|---|---|---|---|\n");
            foreach (var w in weights)
            {
                table.Append(Invariant($"| `{w.Path}` | {w.As} | {w.Status} | {Kb(w.HtmlRaw)} | {Kb(w.HtmlGzip)} | {Kb(w.CssGzip)} ({w.Stylesheets}) | {Kb(w.JsGzip)} ({w.Scripts}) | {Kb(w.TotalGzip)} |\n"));
            }

            report.Details("P8 page weights", table.ToString());
            report.Note("P8 weights: the server sends HTML and CSS uncompressed (no `Content-Encoding` even when the request accepts gzip); "
                + "the figures are the sizes after gzip (GZipStream, CompressionLevel.Optimal), i.e. what a compressing reverse proxy would send. Favicon and images are not counted.");

            // P8: server time at 50 req/s, open loop.
            foreach (var (path, budgeted) in new[] { ("/", true), ("/people", false) })
            {
                // Steady state: enough requests for tiered compilation to finish re-jitting the hot path (a ReadyToRun
                // build starts on precompiled code and re-jits it in the background), then a pause to let it settle.
                await Http.WarmUpAsync(baseUri, path, manager, 2000);
                await Task.Delay(TimeSpan.FromSeconds(3));
                var l = await Http.OpenLoopAsync(baseUri, path, manager, 50, TimeSpan.FromSeconds(10));
                var what = Invariant($"`{path}` as manager, open loop 50 req/s × 10 s ({l.Sent} sent, {l.Failed} failed, achieved {l.AchievedRate:F1}/s): p50 {Ms(l.P50)}, p99 {Ms(l.P99)}, max {Ms(l.Max)} — p95 shown");
                if (budgeted)
                {
                    report.Row("P8", what, Ms(l.P95), "p95 ≤ 30 ms", l.Failed == 0 && l.P95 <= 30);
                }
                else
                {
                    report.Row("P8", what + " (the heaviest page, for information)", Ms(l.P95), "p95 ≤ 30 ms", l.Failed == 0 ? l.P95 <= 30 : false);
                }
            }

            report.Note("P8 server time is measured at the client on loopback from each request's scheduled start (open loop, no coordinated omission); it includes loopback and HttpClient overhead, so it is an upper bound of server time.");
            report.Pending("P8", "Lighthouse (mobile) performance and accessibility", "not measured", "≥ 95 / 100", "no Lighthouse in this bench");

            // P1: authorized JSON list, closed loop, with wrk.
            var listPath = Invariant($"/api/v1/directory/people?sectionId={town.BoardSectionId}");
            using (var c = Http.Client(baseUri, manager))
            using (var r = await c.GetAsync(new Uri(listPath, UriKind.Relative)))
            {
                var body = await r.Content.ReadAsByteArrayAsync();
                var count = r.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(body).RootElement.GetArrayLength() : -1;
                if (r.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException(Invariant($"{listPath} answered {(int)r.StatusCode} for the manager persona"));
                }

                setup.Add(Invariant($"P1 endpoint: GET {listPath} (住民課 住民係, {count} people, {body.Length} bytes of JSON), as persona manager."));
            }

            if (Wrk.Path is null)
            {
                report.Row("P1", "authorized JSON read (wrk not installed)", "not measured", "≥ 5,000 req/s, p99 ≤ 20 ms", false);
            }
            else
            {
                var listUri = new Uri(baseUri, listPath);
                var liveUri = new Uri(baseUri, "/health/live");
                await Wrk.RunAsync(s, listUri, manager, 3);
                await Wrk.RunAsync(s, liveUri, null, 2);
                var live = await Wrk.RunAsync(s, liveUri, null, 10);
                var list = await Wrk.RunAsync(s, listUri, manager, 10);
                var valid = list.Non2xx == 0 && list.SocketErrors == 0;
                report.Row("P1", Invariant($"`{listPath}` signed in, wrk -t1 -c32 -d10s ({list.Requests} requests, {list.Non2xx} non-2xx, {list.SocketErrors} socket errors)"),
                    Invariant($"{list.RequestsPerSecond:F0} req/s"), "≥ 5,000 req/s", valid && list.RequestsPerSecond >= 5000);
                report.Row("P1", Invariant($"same run, latency (p50 {Ms(list.P50Ms)}) — p99 shown"), Ms(list.P99Ms), "p99 ≤ 20 ms", valid && list.P99Ms <= 20);
                report.Row("P1", Invariant($"`/health/live` anonymous, same settings, same server ({live.Requests} requests, {live.Non2xx} non-2xx): p50 {Ms(live.P50Ms)}, p99 {Ms(live.P99Ms)}"),
                    Invariant($"{live.RequestsPerSecond:F0} req/s"), "(reference)", null);
                var ratio = list.RequestsPerSecond / live.RequestsPerSecond;
                report.Row("P1", Invariant($"throughput ratio authorized list ÷ anonymous /health/live, same run: {ratio:P0} (everything the request does: session, authorization, the SQLite query and JSON; the access check alone is the A/B below)"),
                    Invariant($"{ratio:F2}"), "(reference)", null);
                report.Details("P1 wrk output (authorized list)", "```\n" + list.Raw.Trim() + "\n```");
                report.Details("P1 wrk output (/health/live)", "```\n" + live.Raw.Trim() + "\n```");
            }

            report.Row("P9", "VmRSS after all the load above (for information)", Invariant($"{server.RssMiB():F1} MiB"), "≤ 200 MB at rest", null);
            await server.DisposeAsync();
            server = null;

            if (Wrk.Path is not null)
            {
                await AccessAbAsync(s, pidFile, report, setup, listPath, town.Departments);
            }
            else
            {
                report.Row("P1", "access check vs. trivial allow (wrk not installed)", "not measured", "≤ 10 %", false);
            }

            DecisionRows(report, decision);

            // P7 last, when no server of the bench runs any more: the month close of a 1,000-staff town.
            Console.Error.WriteLine(Invariant($"[bench] P7: month close of a {p7Staff}-staff town on SQLite{(p7Postgres is null ? "" : " and PostgreSQL")} (several minutes each)"));
            MonthCloseBench.Rows(report, setup, await MonthCloseBench.RunChildAsync(s, pidFile, p7Staff, seed, null));
            if (p7Postgres is not null)
            {
                MonthCloseBench.Rows(report, setup, await MonthCloseBench.RunChildAsync(s, pidFile, p7Staff, seed, p7Postgres));
            }
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        setup.Add(Invariant($"Load average (1, 5, 15 min) {loadAtStart} at the start, {Report.LoadAverages()} at the end: the 2 cores are shared with other builds and tests, so compare figures within this report."));
        return report.Render(at, setup);
    }

    /// <summary>
    /// P1, the access check's cost: the same endpoint on two servers hosted by the bench's <c>serve</c> verb, A with the app's
    /// AccessHandler, B with a handler that allows every AccessRequirement without evaluating anything. Both run at once,
    /// pinned to the server CPU, signed in as the same persona; wrk alternates A,B / B,A so drift cancels out.
    /// </summary>
    private static async Task AccessAbAsync(BenchSettings s, string pidFile, Report report, List<string> setup, string listPath, int departments)
    {
        // Mirror the published app's GC mode (the bench's own runtimeconfig says workstation GC, for the load driver).
        var runtimeConfig = Path.ChangeExtension(s.AppDll, ".runtimeconfig.json");
        var serverGc = File.Exists(runtimeConfig) && File.ReadAllText(runtimeConfig).Contains("\"System.GC.Server\": true", StringComparison.Ordinal);
        var env = new Dictionary<string, string?> { ["DOTNET_gcServer"] = serverGc ? "1" : "0" };
        var bench = typeof(BenchMain).Assembly.Location;
        var parent = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        Console.Error.WriteLine("[bench] P1 A/B: starting variant A (full access decision) and variant B (trivial allow)");
        await using var a = await AppServer.StartAsync(s, pidFile, [bench, "serve", "--variant", ServeApp.Full, "--parent", parent], "serve-full.log", env);
        await using var b = await AppServer.StartAsync(s, pidFile, [bench, "serve", "--variant", ServeApp.TrivialAllow, "--parent", parent], "serve-trivial-allow.log", env);
        var sessionA = await Http.SignInAsync(a.BaseUri, "manager");
        var sessionB = await Http.SignInAsync(b.BaseUri, "manager");

        // The variants must differ only in the check: same answer for the manager, and the side-job worker (refused by the
        // policy at the endpoint) refused by A but let through by B's trivial allow.
        var outsiderA = await StatusAsync(a.BaseUri, listPath, await Http.SignInAsync(a.BaseUri, "sidejob"));
        var outsiderB = await StatusAsync(b.BaseUri, listPath, await Http.SignInAsync(b.BaseUri, "sidejob"));
        var bodyA = await BodyAsync(a.BaseUri, listPath, sessionA);
        var bodyB = await BodyAsync(b.BaseUri, listPath, sessionB);
        if (outsiderA != HttpStatusCode.Forbidden || outsiderB != HttpStatusCode.OK || bodyA != bodyB)
        {
            throw new InvalidOperationException(Invariant($"A/B variants are not what they should be: side-job worker gets {(int)outsiderA} on A and {(int)outsiderB} on B (want 403 and 200); manager's lists equal: {bodyA == bodyB}"));
        }

        var uriA = new Uri(a.BaseUri, listPath);
        var uriB = new Uri(b.BaseUri, listPath);
        var loadBefore = LoadAverage();

        // These servers run JIT-compiled code (no ReadyToRun): warm both up until tiered compilation has settled.
        for (var i = 0; i < 3; i++)
        {
            await Wrk.RunAsync(s, uriA, sessionA, 5);
            await Wrk.RunAsync(s, uriB, sessionB, 5);
        }

        var runsA = new List<AbRun>();
        var runsB = new List<AbRun>();
        var table = new System.Text.StringBuilder("| pair | order | A req/s | A p50 | A p99 | A CPU share | B req/s | B p50 | B p99 | B CPU share | 1 − A/B | 1 − A/B per CPU-second |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (var i = 0; i < AbPairs; i++)
        {
            AbRun ra, rb;
            if (i % 2 == 0)
            {
                ra = await MeasureAsync(s, a, uriA, sessionA);
                rb = await MeasureAsync(s, b, uriB, sessionB);
            }
            else
            {
                rb = await MeasureAsync(s, b, uriB, sessionB);
                ra = await MeasureAsync(s, a, uriA, sessionA);
            }

            runsA.Add(ra);
            runsB.Add(rb);
            table.Append(Invariant($"| {i + 1} | {(i % 2 == 0 ? "A, B" : "B, A")} | {ra.Wrk.RequestsPerSecond:F0} | {Ms(ra.Wrk.P50Ms)} | {Ms(ra.Wrk.P99Ms)} | {ra.CpuShare:P0} | {rb.Wrk.RequestsPerSecond:F0} | {Ms(rb.Wrk.P50Ms)} | {Ms(rb.Wrk.P99Ms)} | {rb.CpuShare:P0} | {1 - ra.Wrk.RequestsPerSecond / rb.Wrk.RequestsPerSecond:P1} | {1 - ra.PerCpuSecond / rb.PerCpuSecond:P1} |\n"));
            Console.Error.WriteLine(Invariant($"[bench] P1 A/B pair {i + 1}: A {ra.Wrk.RequestsPerSecond:F0} req/s ({ra.PerCpuSecond:F0} per CPU-s), B {rb.Wrk.RequestsPerSecond:F0} req/s ({rb.PerCpuSecond:F0} per CPU-s)"));
        }

        var loadAfter = LoadAverage();
        var all = runsA.Concat(runsB).ToList();
        var valid = all.All(r => r.Wrk.Non2xx == 0 && r.Wrk.SocketErrors == 0);
        var errors = all.Sum(r => r.Wrk.Non2xx + r.Wrk.SocketErrors);
        var overheads = runsA.Zip(runsB, (x, y) => 1 - x.Wrk.RequestsPerSecond / y.Wrk.RequestsPerSecond).ToList();
        var overhead = Median(overheads);
        var pooled = 1 - runsA.Sum(r => (double)r.Wrk.Requests) / runsB.Sum(r => (double)r.Wrk.Requests);
        var cpuOverheads = runsA.Zip(runsB, (x, y) => 1 - x.PerCpuSecond / y.PerCpuSecond).ToList();
        var rpsA = Median(runsA.Select(r => r.Wrk.RequestsPerSecond));
        var rpsB = Median(runsB.Select(r => r.Wrk.RequestsPerSecond));
        string All(IEnumerable<AbRun> runs) => string.Join(", ", runs.Select(r => r.Wrk.RequestsPerSecond.ToString("F0", CultureInfo.InvariantCulture)));
        string Pcts(IEnumerable<double> xs) => string.Join(", ", xs.Select(o => o.ToString("P1", CultureInfo.InvariantCulture)));

        setup.Add(Invariant($"P1 A/B: the app hosted by the bench (`serve` verb: WebApplicationFactory<Program> on Kestrel, same environment variables, Production, {(serverGc ? "server" : "workstation")} GC like the published app, JIT without ReadyToRun), A and B running at once, both pinned to CPU {s.ServerCpu}; 3 × 5 s warm-up each, alternating, then {AbPairs} pairs of `wrk -t1 -c32 -d{AbSeconds}s` alternating A,B / B,A; side-job worker check: {(int)outsiderA} on A, {(int)outsiderB} on B. Load average (1 min) {loadBefore} before the A/B, {loadAfter} after: other work shared the machine."));
        report.Row("P1", Invariant($"A — full access decision (app unchanged), `{listPath}` as manager, median of {AbPairs} runs (all: {All(runsA)} req/s; p99 median {Ms(Median(runsA.Select(r => r.Wrk.P99Ms)))}, p50 {Ms(Median(runsA.Select(r => r.Wrk.P50Ms)))}; server CPU share median {Median(runsA.Select(r => r.CpuShare)):P0})"),
            Invariant($"{rpsA:F0} req/s"), "(A/B reference)", null);
        report.Row("P1", Invariant($"B — trivial allow (AccessHandler replaced), same endpoint and persona, median of {AbPairs} runs (all: {All(runsB)} req/s; p99 median {Ms(Median(runsB.Select(r => r.Wrk.P99Ms)))}, p50 {Ms(Median(runsB.Select(r => r.Wrk.P50Ms)))}; server CPU share median {Median(runsB.Select(r => r.CpuShare)):P0})"),
            Invariant($"{rpsB:F0} req/s"), "(A/B reference)", null);
        var sorted = overheads.Order().ToArray();
        var (q1, q3) = (Http.Pct(sorted, 25), Http.Pct(sorted, 75));
        var noisy = q3 - q1 > 0.10;
        var what = Invariant($"access check cost 1 − A/B in req/s, median of {AbPairs} alternating pairs (pairs: {Pcts(overheads)}; pooled over all runs {pooled:P1}; middle half of the pairs {q1:P1} to {q3:P1}; {errors} non-2xx/socket errors)");
        if (noisy && valid)
        {
            report.Pending("P1", what, Invariant($"{overhead:P1}"), "≤ 10 %",
                "inconclusive — the middle half of the pairs is wider than the budget, other work on the machine moved the figures more than the check could (see the CPU-time cross-check and the pairs table)");
        }
        else
        {
            report.Row("P1", what, Invariant($"{overhead:P1}"), "≤ 10 %", valid && overhead <= 0.10);
        }

        var cpuSorted = cpuOverheads.Order().ToArray();
        report.Row("P1", Invariant($"cross-check: the same in requests per second of the server's own CPU time (/proc/<pid>/stat), less disturbed by other work on CPU {s.ServerCpu} than req/s (pairs: {Pcts(cpuOverheads)}; middle half {Http.Pct(cpuSorted, 25):P1} to {Http.Pct(cpuSorted, 75):P1}; server CPU per request: A {1e6 / Median(runsA.Select(r => r.PerCpuSecond)):F1} µs, B {1e6 / Median(runsB.Select(r => r.PerCpuSecond)):F1} µs)"),
            Invariant($"{Median(cpuOverheads):P1}"), "≤ 10 %", null);
        report.Details("P1 A/B runs (A = full access decision, B = trivial allow; CPU share = the server's CPU time ÷ the run's wall time on its one core)", table.ToString());
        report.Note(Invariant($"P1 A/B: B replaces only the enforcement point (AccessHandler, one decision per request). The endpoint also asks the decision point once per department inside the handler (`Directory.HiddenDepartmentsAsync`, {departments} departments in this town, R27 row-level labels); those checks run in A and B alike, so 1 − A/B is the cost of the enforcement point's check, not of all {departments + 1} decisions of the request."));
    }

    private sealed record AbRun(WrkResult Wrk, double ServerCpuSeconds, double WallSeconds)
    {
        /// <summary>The server's share of its one core during the run (1 = it had the core to itself and used all of it).</summary>
        public double CpuShare => ServerCpuSeconds / WallSeconds;

        public double PerCpuSecond => Wrk.Requests / ServerCpuSeconds;
    }

    private static async Task<AbRun> MeasureAsync(BenchSettings s, AppServer server, Uri uri, string session)
    {
        var cpu = server.CpuSeconds();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var wrk = await Wrk.RunAsync(s, uri, session, AbSeconds);
        var wall = clock.Elapsed.TotalSeconds;
        return new AbRun(wrk, server.CpuSeconds() - cpu, wall);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static async Task<HttpStatusCode> StatusAsync(Uri baseUri, string path, string session)
    {
        using var c = Http.Client(baseUri, session);
        using var r = await c.GetAsync(new Uri(path, UriKind.Relative));
        return r.StatusCode;
    }

    private static async Task<string> BodyAsync(Uri baseUri, string path, string session)
    {
        using var c = Http.Client(baseUri, session);
        return await c.GetStringAsync(new Uri(path, UriKind.Relative));
    }

    /// <summary>P2 rows: per-call p99 against the budget for each case, and allocation on the allow paths.</summary>
    private static void DecisionRows(Report report, DecisionResults d)
    {
        foreach (var c in d.Cases)
        {
            report.Row("P2", Invariant($"`{c.Name}` ({c.Verdict}{(c.Reason == "None" ? "" : "/" + c.Reason)}): {c.What}; {c.RulesForType} of {d.Rules} rules apply to its type — per call p50 {DecisionRun.Ns(c.P50Ns)}, p99.9 {DecisionRun.Ns(c.P999Ns)}; BenchmarkDotNet mean {DecisionRun.Ns(c.MeanNs)}, P95 {DecisionRun.Ns(c.P95Ns)}; allocated {c.AllocatedBytesPerOp?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} B/op — p99 shown (median of {d.Runs} runs: {string.Join(", ", c.P99RunsNs.Select(DecisionRun.Ns))})"),
                DecisionRun.Ns(c.P99Ns), "p99 ≤ 20 µs", c.P99Ns <= 20_000);
        }

        foreach (var c in d.Cases.Where(c => c.Verdict == "Allow"))
        {
            report.Row("P2", Invariant($"allocation on the allow path `{c.Name}`: BenchmarkDotNet MemoryDiagnoser Allocated (and GC.GetAllocatedBytesForCurrentThread over {d.Runs} × {d.CallsPerRun:N0} calls: {c.LoopBytesPerCall:F3} B/call)"),
                Invariant($"{c.AllocatedBytesPerOp?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} B"), "0 B", c.AllocatedBytesPerOp == 0 && c.LoopBytesPerCall == 0);
        }

        report.Note(Invariant($"P2: policy = the default policy plus generated rules for later capabilities, {d.Rules} rules over {d.Types} resource types (bench/Dokodemo.Bench/TownPolicy.cs), compiled once by DecisionPoint. Per-call figures time each Decide alone with Stopwatch.GetTimestamp ({d.Runs} runs of {d.CallsPerRun:N0} calls after 200,000 warm-up calls, on the server CPU, before any server starts) and include the timer's own cost (an empty timed pair: p50 {DecisionRun.Ns(d.TimerP50Ns)}, p99 {DecisionRun.Ns(d.TimerP99Ns)}). BenchmarkDotNet's P95 is over iteration means (many calls each), not over single calls."));
        report.Details("P2 BenchmarkDotNet summary", d.BdnTable.Trim());
    }
}
