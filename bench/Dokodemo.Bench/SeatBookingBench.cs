using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using SiteKind = Dokodemo.Organization.SiteKind;
using Dokodemo.Seats;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>One contention round: <see cref="SeatBookingBench.Contenders"/> people POST the same desk, date and part at once.</summary>
public sealed record ContentionRound(int Round, string DeskLabel, DateOnly Date, string Part, int Attempts, int Created, int Taken, int OtherConflicts, int Other,
    string OtherStatuses, double P50, double P95, double Max, int HeldRows, int HeldHalves, int ActiveBookings, bool WinnerMatches, int Alternatives)
{
    /// <summary>The same requests timed inside the server (p50, p95, max, count).</summary>
    public (double P50, double P95, double Max, int Count) Server { get; init; }
}

/// <summary>
/// P6, desk booking: <c>dotnet Dokodemo.Bench.dll p6 [--staff 1000] [--seed 20250401] [--postgres "Host=…"] [--inflight 32]
/// [--bookings 10000] [--contenders 200] [--rounds 5] [--work dir] [--results bench/results --commit sha]</c>.
/// Generates the town into a fresh database, adds the demo floors and a 600-desk floor at 本庁舎 with rules that do not get
/// in the way, hosts the app in process on real Kestrel (loopback, Production environment, the app unchanged: the
/// <c>full</c> variant of <see cref="ServeApp"/>), gives every insider a real server-side session without the UI, then
/// measures (1) contention: 200 people book the same desk and slot at once, five times; (2) throughput: 10,000 bookings
/// of different desks, dates and halves with a fixed number of requests in flight.
/// </summary>
public static class SeatBookingBench
{
    public const int Desks = 600;
    public const int Contenders = 200;
    public const int HorizonDays = 70;
    public const int MaxPerWeek = 14; // the most /seats/admin accepts
    private static readonly string[] RoundParts = ["day", "am", "pm", "day", "am"];

    private static void Log(string line) => Console.Error.WriteLine("[p6] " + line);

    public static async Task<int> MainAsync(IReadOnlyDictionary<string, string> opt, int staff, int seed)
    {
        int Int(string key, int fallback) => opt.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var inflight = Int("inflight", 32);
        var total = Int("bookings", 10_000);
        var contenders = Int("contenders", Contenders);
        var rounds = Int("rounds", 5);
        var work = Path.GetFullPath(opt.GetValueOrDefault("work", Path.Combine(Path.GetTempPath(), "dokodemo-p6-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture))));
        Directory.CreateDirectory(work);
        var postgresBase = opt.GetValueOrDefault("postgres");
        var commit = opt.GetValueOrDefault("commit", "unknown");
        var loadBefore = Report.LoadAverages();

        var (provider, cs, drop) = await BenchDatabase.CreateAsync(postgresBase, work, "p6");

        var report = new Report(commit, Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));
        var setup = new List<string>();
        try
        {
            Log(Invariant($"generating a {staff}-staff town (seed {seed}) on {provider}"));
            var (town, port, baseUri) = await BenchDatabase.TownAndServerSettingsAsync(provider, cs, work, "p6", staff, seed);

            // The app unchanged (ServeApp's full variant), on real Kestrel, loopback only.
            var timer = new ServerTimer();
            await using var app = new ServeApp(trivialAllow: false, services => services.AddSingleton<IStartupFilter>(timer));
            app.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            app.StartServer();
            var services = app.Services;
            var environment = services.GetRequiredService<IHostEnvironment>().EnvironmentName;
            var handlers = services.GetServices<IAuthorizationHandler>().Select(h => h.GetType().Name).ToList();
            if (environment != Environments.Production || !handlers.Contains(nameof(AccessHandler)))
            {
                throw new InvalidOperationException($"the app is not what it should be: environment {environment}, authorization handlers {string.Join(", ", handlers)}");
            }

            var seats = await SeatsAsync(services);
            Log(Invariant($"{seats.Desks.Count} desks on the bench floor, {seats.AllDesks} desks at the site in all; rules: horizon {HorizonDays} days, {MaxPerWeek} per week, no approval"));

            var cookieName = services.GetRequiredService<IOptionsMonitor<SessionAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).CookieName;
            var t = Stopwatch.GetTimestamp();
            var people = await BenchSessions.StartAsync(services);
            Log(Invariant($"{people.Count} sessions started in {Stopwatch.GetElapsedTime(t).TotalSeconds:F1} s (cookie {cookieName})"));
            if (people.Count < contenders || people.Count < Desks)
            {
                throw new InvalidOperationException(Invariant($"only {people.Count} people may book; need at least {Math.Max(contenders, Desks)}"));
            }

            // One session, checked end to end before measuring: the cookie the app set is accepted, the policy lets the person in.
            using (var probe = Client(baseUri, cookieName, people[0].Token, 1))
            using (var r = await probe.GetAsync(new Uri("/api/v1/seats/bookings", UriKind.Relative)))
            {
                if (r.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException(Invariant($"GET /api/v1/seats/bookings answered {(int)r.StatusCode} for a bench session: {await r.Content.ReadAsStringAsync()}"));
                }
            }

            // The town's workdays: a booking at 本庁舎 on a holiday (年末年始, 成人の日) also declares that day's work place, a
            // second write transaction, and costs about two and a half times a workday's booking (measured: 296/s against
            // 790/s) — not the booking people make day to day.
            var clock = services.GetRequiredService<TownClock>();
            var today = clock.Today;
            var weekdays = Enumerable.Range(1, HorizonDays).Select(today.AddDays).Where(d => clock.DayTypeOf(d) == Dokodemo.Domain.Access.DayType.Workday).ToList();
            var slotsNeeded = (total + Desks - 1) / Desks;
            var daysNeeded = rounds + 1 + ((slotsNeeded + 1) / 2);
            if (weekdays.Count < daysNeeded)
            {
                throw new InvalidOperationException(Invariant($"{total} bookings need {daysNeeded} weekdays within the {HorizonDays}-day horizon; there are {weekdays.Count}"));
            }

            // (1) Contention: each round its own date (so no contender holds another desk then), desk and part.
            var results = new List<ContentionRound>();
            for (var round = 0; round < rounds; round++)
            {
                var desk = seats.Desks[(round * 97 + 13) % seats.Desks.Count];
                var who = Enumerable.Range(0, contenders).Select(i => people[(round * contenders + i) % people.Count]).ToList();
                timer.Reset();
                var r = await ContendAsync(services, baseUri, cookieName, round + 1, desk, weekdays[round], RoundParts[round % RoundParts.Length], who);
                r = r with { Server = timer.Percentiles() };
                results.Add(r);
                Log(Invariant($"contention {r.Round}: desk {r.DeskLabel} {r.Date:yyyy-MM-dd} {r.Part}: {r.Created} × 201, {r.Taken} × 409 seat.taken, {r.OtherConflicts} other 409, {r.Other} other ({r.OtherStatuses}); p50 {r.P50:F0} ms, p95 {r.P95:F0} ms, max {r.Max:F0} ms; held rows {r.HeldRows}, active bookings {r.ActiveBookings}"));
            }

            // (2) Throughput. Warm-up first (JIT, pools, caches) on a date of its own, then the measured bookings on later dates.
            var warmDate = weekdays[rounds];
            var warm = await ThroughputAsync(baseUri, cookieName, people, seats.Desks, [(warmDate, "am")], Desks, inflight, TimeSpan.FromSeconds(120), 0);
            Log(Invariant($"warm-up: {warm.Created} bookings in {warm.Seconds:F1} s ({warm.Created / warm.Seconds:F0}/s), {warm.Failed} not 201"));
            var slots = weekdays.Skip(rounds + 1).SelectMany(d => new[] { (d, "am"), (d, "pm") }).Take(slotsNeeded).ToList();
            var loadMid = Report.LoadAverages();
            timer.Reset();
            var run = await ThroughputAsync(baseUri, cookieName, people, seats.Desks, slots, total, inflight, TimeSpan.FromSeconds(180), 1);
            run = run with { Server = timer.Percentiles(99) };
            Log(Invariant($"throughput: {run.Created} bookings in {run.Seconds:F1} s = {run.Created / run.Seconds:F0}/s; p50 {run.P50:F1} ms, p95 {run.P95:F1} ms, p99 {run.P99:F1} ms; {run.Failed} not 201 ({run.Failures})"));

            // The database afterwards: exactly the 201s are active bookings on those dates, each holding its one half.
            var from = slots[0].Item1;
            var to = slots[^1].Item1;
            int activeRows, heldRows;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var deskIds = seats.Desks.Select(d => d.Id).ToList();
                activeRows = await db.SeatBookings.CountAsync(b => deskIds.Contains(b.DeskId) && b.Date >= from && b.Date <= to && b.State == BookingState.Confirmed);
                heldRows = await db.SeatHoldings.CountAsync(h => deskIds.Contains(h.DeskId) && h.Date >= from && h.Date <= to);
            }

            var nextDay = rounds + 1 + ((slots.Count + 1) / 2);

            // Where the limit is: the same bookings with fewer (or more) requests in flight, 1,200 each (two half days), for information.
            var sweep = new List<(int Inflight, Throughput Result)>();
            foreach (var n in opt.GetValueOrDefault("sweep", "1,4,16").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture)))
            {
                if (nextDay >= weekdays.Count)
                {
                    break;
                }

                timer.Reset();
                var sw = await ThroughputAsync(baseUri, cookieName, people, seats.Desks, [(weekdays[nextDay], "am"), (weekdays[nextDay], "pm")], 2 * Desks, n, TimeSpan.FromSeconds(60), 2 + n);
                sweep.Add((n, sw with { Server = timer.Percentiles(99) }));
                Log(Invariant($"sweep, {n} in flight: {sw.Created} bookings in {sw.Seconds:F1} s = {sw.Created / sw.Seconds:F0}/s; p50 {sw.P50:F1} ms, p99 {sw.P99:F1} ms; {sw.Failed} not 201 ({sw.Failures})"));
                nextDay++;
            }

            // Where the time goes: the booking service alone in process without HTTP, one at a time (a booking is two write
            // transactions: the booking with its holdings, then the 本庁舎 work place declaration), and a read-only request
            // over the same session and access path.
            var costs = new List<(string What, double PerOpMs, double PerSecond)>();
            if (nextDay < weekdays.Count)
            {
                var day = weekdays[nextDay];
                var t0 = Stopwatch.GetTimestamp();
                var ok = 0;
                for (var i = 0; i < 300; i++)
                {
                    await using var scope = services.CreateAsyncScope();
                    var result = await scope.ServiceProvider.GetRequiredService<SeatBookings>()
                        .BookAsync(people[(i + 11) % people.Count].Id, new BookRequest(seats.Desks[i].Id, day, "am"), default);
                    ok += result.Ok ? 1 : 0;
                }

                var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                costs.Add((Invariant($"SeatBookings.BookAsync alone, in process, one at a time (300 bookings, {ok} made)"), ms / 300, 300 / (ms / 1000)));
                nextDay++;
            }

            // The same HTTP path without the booking's writes: GET the person's own bookings (session, access decision, one query, JSON).
            var reads = 0;
            var left = 3000;
            using (var reader = Client(baseUri, cookieName, null, inflight))
            {
                var t1 = Stopwatch.GetTimestamp();
                await Task.WhenAll(Enumerable.Range(0, inflight).Select(_ => Task.Run(async () =>
                {
                    int i;
                    while ((i = Interlocked.Decrement(ref left)) >= 0)
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/seats/bookings", UriKind.Relative));
                        request.Headers.TryAddWithoutValidation("Cookie", $"{cookieName}={people[i % people.Count].Token}");
                        using var response = await reader.SendAsync(request);
                        await response.Content.ReadAsByteArrayAsync();
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref reads);
                        }
                    }
                })));
                var readMs = Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
                costs.Add((Invariant($"`GET /api/v1/seats/bookings` (the person's own bookings: the same session and access path, one query, no write), {inflight} in flight, 3,000 requests, {reads:N0} × 200"),
                    readMs / 3000, 3000 / (readMs / 1000)));
            }

            foreach (var (what, per, rate) in costs)
            {
                Log(Invariant($"{what}: {per:F2} ms each, {rate:F0}/s"));
            }

            // The bench's own host stops first: the app's own process is then the only app on the database.
            OutOfProcess? outside = null, defaults = null;
            await AppProcess.StopBenchHostAsync(app);

            // (3) Throughput with the load driver out of process (wrk, pinned to the other core): the budget row when wrk is there.
            var wrkDays = (2 * total + 2 * Desks - 1) / (2 * Desks); // room for twice the bookings the budget asks in the run's 10 s
            if (SeatBookingWrk.Available && nextDay + 2 + wrkDays < weekdays.Count)
            {
                // The warm-up books the days that are left over (two at least, five at most) again and again (below).
                var warmDays = Math.Clamp(weekdays.Count - nextDay - wrkDays - 1, 2, 5);
                var warmSlots = weekdays.Skip(nextDay).Take(warmDays).SelectMany(d => new[] { (d, "am"), (d, "pm") }).ToList();
                nextDay += warmDays;
                var wrkSlots = weekdays.Skip(nextDay).Take(wrkDays).SelectMany(d => new[] { (d, "am"), (d, "pm") }).ToList();
                nextDay += wrkDays;
                var deskIds = seats.Desks.Select(d => d.Id).ToList();
                var (first, last) = (warmSlots[0].Item1, wrkSlots[^1].Item1);

                // The bench floor's bookings (nobody else books there) between two dates, and the places they declared.
                async Task RemoveBookingsAsync(DateOnly from, DateOnly to)
                {
                    await using var db = AppProcess.Context(provider, cs);
                    await db.SeatHoldings.Where(h => deskIds.Contains(h.DeskId) && h.Date >= from && h.Date <= to).ExecuteDeleteAsync();
                    await db.SeatBookings.Where(b => deskIds.Contains(b.DeskId) && b.Date >= from && b.Date <= to).ExecuteDeleteAsync();
                    await db.WorkPlaceDeclarations.Where(x => x.Date >= from && x.Date <= to).ExecuteDeleteAsync();
                }

                async Task<OutOfProcess> OutsideAsync(AppProcess.Tiering tiering, string tag)
                {
                    // The app as its own process, pinned to its core from the start (AppProcess).
                    await using var appProcess = await AppProcess.StartAsync(provider, cs, work, tag, tiering);
                    // The app's own process settles after about 30 s under load, when its JIT has nothing left to compile
                    // (measured through the runtime's perf map: 11,390, 2,006, 1,668, 362, then 15 methods compiled in
                    // successive 8 s runs). The warm-up days hold fewer bookings than that, so it books them in rounds of
                    // 4 s, removing the bench floor's bookings on them after each round.
                    var warmUntil = Stopwatch.StartNew();
                    WrkBookings? wrkWarm = null;
                    var warmRounds = 0;
                    while (warmUntil.Elapsed.TotalSeconds < Int("warm", 30))
                    {
                        var round = await SeatBookingWrk.RunAsync(appProcess.BaseUri, cookieName, people, seats.Desks, warmSlots, 4, inflight, 40 + warmRounds, work);
                        wrkWarm = wrkWarm is null ? round : wrkWarm with
                        {
                            Requests = wrkWarm.Requests + round.Requests, Seconds = wrkWarm.Seconds + round.Seconds, Created = wrkWarm.Created + round.Created,
                            Taken = wrkWarm.Taken + round.Taken, Other = wrkWarm.Other + round.Other,
                        };
                        warmRounds++;
                        await RemoveBookingsAsync(warmSlots[0].Item1, warmSlots[^1].Item1);
                    }

                    Log(Invariant($"wrk warm-up ({tiering}): {wrkWarm!.Created} × 201 in {wrkWarm.Seconds:F1} s ({warmRounds} rounds), {wrkWarm.Taken} taken, {wrkWarm.Other} other"));
                    var wrkRun = await SeatBookingWrk.RunAsync(appProcess.BaseUri, cookieName, people, seats.Desks, wrkSlots, 10, inflight, 50, work);
                    int wrkActive, wrkHeld;
                    await using (var db = AppProcess.Context(provider, cs))
                    {
                        var (f, l) = (wrkSlots[0].Item1, wrkSlots[^1].Item1);
                        wrkActive = await db.SeatBookings.CountAsync(b => deskIds.Contains(b.DeskId) && b.Date >= f && b.Date <= l && b.State == BookingState.Confirmed);
                        wrkHeld = await db.SeatHoldings.CountAsync(h => deskIds.Contains(h.DeskId) && h.Date >= f && h.Date <= l);
                    }

                    Log(Invariant($"wrk throughput ({tiering}): {wrkRun.Created} × 201 of {wrkRun.Requests} in {wrkRun.Seconds:F2} s = {wrkRun.Created / wrkRun.Seconds:F0}/s; p50 {wrkRun.P50:F1} ms, p99 {wrkRun.P99:F1} ms; {wrkRun.Taken} taken, {wrkRun.Other} other ({wrkRun.OtherStatuses}); database: {wrkActive} confirmed, {wrkHeld} holdings"));
                    return new OutOfProcess(wrkWarm, wrkRun, wrkSlots, wrkActive, wrkHeld);
                }

                outside = await OutsideAsync(AppProcess.Tiering.Shipped, "p6");
                // The reference run with the runtime's defaults books the same days again: the bench floor's bookings on
                // them (its own, nobody else books there) are removed first.
                await RemoveBookingsAsync(first, last);

                defaults = await OutsideAsync(AppProcess.Tiering.RuntimeDefault, "p6-defaults");
            }
            else
            {
                Log("wrk missing (apt-get install wrk) or too few days left: no out-of-process run");
            }

            var loadAfter = Report.LoadAverages();
            Rows(report, setup, provider, town, seats, people.Count, staff, seed, inflight, results, warm, run, slots, activeRows, heldRows, sweep, costs, loadBefore, loadMid, loadAfter, outside, defaults);
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
            var file = Path.Combine(Path.GetFullPath(dir), Invariant($"{at:yyyyMMdd'T'HHmmss'Z'}-{commit}-p6-{provider.ToLowerInvariant()}.md"));
            await File.WriteAllTextAsync(file, text);
            Console.WriteLine("Report written to " + file);
        }

        return 0;
    }

    public sealed record BenchDesk(int Id, string Label);

    public sealed record SeatSetup(int SiteId, int FloorId, IReadOnlyList<BenchDesk> Desks, int AllDesks, int Zones);

    /// <summary>The demo floors (SeatsDemo) and the bench floor 本庁舎 3階 with 600 desks in six general zones, with the app's EF model; rules that do not get in the way.</summary>
    private static async Task<SeatSetup> SeatsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        await SeatsDemo.SeedAsync(db, clock, default);
        var hall = await db.Sites.Where(s => s.Kind == SiteKind.MainOffice).Select(s => s.Id).FirstAsync();
        var floor = new SeatFloor { SiteId = hall, Name = "3階（ベンチ）", SortOrder = 3, Width = 2400, Height = 1400, UpdatedAt = clock.GetUtcNow() };
        db.SeatFloors.Add(floor);
        await db.SaveChangesAsync();

        // Six zones of 100 desks (10 × 10 each, 2 rows of 3 zones); a mix of equipment as on the demo floors.
        var zones = new List<SeatZone>();
        for (var z = 0; z < 6; z++)
        {
            var zone = new SeatZone
            {
                FloorId = floor.Id, Name = Invariant($"エリア{(char)('A' + z)}"), Kind = z == 5 ? ZoneKind.Quiet : ZoneKind.General,
                X = 40 + (z % 3) * 780, Y = 40 + (z / 3) * 680, Width = 760, Height = 660,
            };
            zones.Add(zone);
            db.SeatZones.Add(zone);
        }

        await db.SaveChangesAsync();
        for (var i = 0; i < Desks; i++)
        {
            var z = i / 100;
            var n = i % 100;
            db.Desks.Add(new Desk
            {
                FloorId = floor.Id, ZoneId = zones[z].Id, Label = Invariant($"3{(char)('A' + z)}-{n + 1:000}"),
                X = zones[z].X + 30 + (n % 10) * 72, Y = zones[z].Y + 30 + (n / 10) * 62,
                Equipment = (n % 3) switch { 0 => DeskEquipment.Monitor | DeskEquipment.Docking, 1 => DeskEquipment.Monitor, _ => DeskEquipment.None },
            });
        }

        var rules = await db.SeatSiteRules.FirstOrDefaultAsync(r => r.SiteId == hall);
        if (rules is null)
        {
            rules = new SeatSiteRules { SiteId = hall };
            db.SeatSiteRules.Add(rules);
        }

        (rules.HorizonDays, rules.MaxPerWeek, rules.TeamAreaOpenDays, rules.ApprovalRequired, rules.UpdatedAt) = (HorizonDays, MaxPerWeek, 1, false, clock.GetUtcNow());
        await db.SaveChangesAsync();
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE;");
        }

        var desks = await db.Desks.AsNoTracking().Where(d => d.FloorId == floor.Id).OrderBy(d => d.Label).Select(d => new BenchDesk(d.Id, d.Label)).ToListAsync();
        var all = await db.Desks.CountAsync(d => db.SeatFloors.Any(f => f.Id == d.FloorId && f.SiteId == hall));
        return new SeatSetup(hall, floor.Id, desks, all, zones.Count);
    }

    private static HttpClient Client(Uri baseUri, string cookieName, string? token, int connections)
    {
        var client = Http.LoadClient(baseUri, connections);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", $"{cookieName}={token}");
        }

        return client;
    }

    /// <summary>A booking as the page's script or an API client sends it: JSON, with the app's own Origin (its CSRF rule for cookie-authenticated API calls).</summary>
    private static HttpRequestMessage BookRequest(Uri baseUri, string? cookie, int deskId, DateOnly date, string part)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/seats/bookings", UriKind.Relative))
        {
            Content = new StringContent(Invariant($"{{\"deskId\":{deskId},\"date\":\"{date:yyyy-MM-dd}\",\"part\":\"{part}\"}}"), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Origin", baseUri.GetLeftPart(UriPartial.Authority));
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        return request;
    }

    private static string? CodeOf(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<ContentionRound> ContendAsync(IServiceProvider services, Uri baseUri, string cookieName, int round, BenchDesk desk, DateOnly date, string part,
        IReadOnlyList<Person> who)
    {
        // One client (and one connection) per person, opened and checked before the start: GET their bookings (200).
        var clients = who.Select(p => Client(baseUri, cookieName, p.Token, 1)).ToList();
        try
        {
            await Task.WhenAll(clients.Select(async c =>
            {
                using var r = await c.GetAsync(new Uri("/api/v1/seats/bookings", UriKind.Relative));
                if (r.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException(Invariant($"a contender's session answered {(int)r.StatusCode}"));
                }
            }));

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            long start = 0;
            var attempts = clients.Select(async (c, i) =>
            {
                using var request = BookRequest(baseUri, null, desk.Id, date, part);
                await gate.Task;
                using var response = await c.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var ms = Stopwatch.GetElapsedTime(Volatile.Read(ref start)).TotalMilliseconds;
                string? userId = null;
                var alternatives = 0;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    userId = JsonDocument.Parse(body).RootElement.GetProperty("userId").GetString();
                }
                else if (CodeOf(body) == "seat.taken" && JsonDocument.Parse(body).RootElement.TryGetProperty("alternatives", out var alt) && alt.ValueKind == JsonValueKind.Array)
                {
                    alternatives = alt.GetArrayLength();
                }

                return (Status: (int)response.StatusCode, Code: CodeOf(body), Ms: ms, UserId: userId, Person: who[i].Id, Alternatives: alternatives);
            }).ToList();
            await Task.Delay(200); // every attempt waits at the gate
            Volatile.Write(ref start, Stopwatch.GetTimestamp());
            gate.SetResult();
            var results = await Task.WhenAll(attempts);

            var created = results.Where(r => r.Status == 201).ToList();
            var taken = results.Count(r => r.Status == 409 && r.Code == "seat.taken");
            var otherConflicts = results.Count(r => r.Status == 409 && r.Code != "seat.taken");
            var other = results.Where(r => r.Status is not (201 or 409)).ToList();
            var latencies = results.Select(r => r.Ms).Order().ToArray();
            var halves = SeatBookings.HalvesOf(SeatBookings.PartOf(part)!.Value);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var held = await db.SeatHoldings.AsNoTracking().Where(h => h.DeskId == desk.Id && h.Date == date).ToListAsync();
            var active = await db.SeatBookings.AsNoTracking().Where(b => b.DeskId == desk.Id && b.Date == date && (b.State == BookingState.Confirmed || b.State == BookingState.Pending)).ToListAsync();
            var winnerMatches = created.Count == 1 && active.Count == 1 && active[0].UserId == created[0].UserId && created[0].UserId == created[0].Person
                && held.All(h => h.BookingId == active[0].Id && h.UserId == created[0].Person);
            var otherStatuses = string.Join(", ", results.Where(r => !(r.Status == 201 || (r.Status == 409 && r.Code == "seat.taken")))
                .GroupBy(r => Invariant($"{r.Status} {r.Code}")).Select(g => Invariant($"{g.Key} × {g.Count()}")));
            return new ContentionRound(round, desk.Label, date, part, results.Length, created.Count, taken, otherConflicts, other.Count, otherStatuses.Length == 0 ? "none" : otherStatuses,
                Http.Pct(latencies, 50), Http.Pct(latencies, 95), latencies[^1], held.Count, halves.Length, active.Count, winnerMatches,
                results.Where(r => r.Alternatives > 0).Select(r => r.Alternatives).DefaultIfEmpty(0).Min());
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>The out-of-process (wrk) run: its warm-up, the measured run, its slots, the database afterwards.</summary>
    public sealed record OutOfProcess(WrkBookings Warm, WrkBookings Run, IReadOnlyList<(DateOnly Date, string Part)> Slots, int Active, int Held);

    public sealed record Throughput(int Sent, int Created, int Failed, string Failures, double Seconds, double P50, double P95, double P99, double Max)
    {
        /// <summary>The same requests timed inside the server (p50, p95, p99, count).</summary>
        public (double P50, double P95, double P99, int Count) Server { get; init; }
    }

    /// <summary>
    /// Closed loop with <paramref name="inflight"/> requests in flight over one connection pool: booking k takes slot k / 600 and
    /// desk k % 600 of it, by person (k mod people) — so no person books twice in one slot and no desk is asked for twice.
    /// Stops after <paramref name="count"/> bookings or <paramref name="cap"/>, whichever comes first.
    /// </summary>
    private static async Task<Throughput> ThroughputAsync(Uri baseUri, string cookieName, IReadOnlyList<Person> people, IReadOnlyList<BenchDesk> desks,
        IReadOnlyList<(DateOnly Date, string Part)> slots, int count, int inflight, TimeSpan cap, int personOffset)
    {
        count = Math.Min(count, slots.Count * desks.Count);
        using var client = Client(baseUri, cookieName, null, inflight);
        var latencies = new double[count];
        var status = new int[count];
        var codes = new string?[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inflight).Select(_ => Task.Run(async () =>
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < count && clock.Elapsed < cap)
            {
                var (date, part) = slots[k / desks.Count];
                var desk = desks[k % desks.Count];
                var person = people[(k + personOffset * 7) % people.Count];
                using var request = BookRequest(baseUri, $"{cookieName}={person.Token}", desk.Id, date, part);
                var t = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    status[k] = (int)response.StatusCode;
                    codes[k] = status[k] == 201 ? null : CodeOf(body);
                }
                catch (HttpRequestException e)
                {
                    codes[k] = e.GetType().Name;
                }
                catch (TaskCanceledException e)
                {
                    codes[k] = e.GetType().Name;
                }

                latencies[k] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var sent = Math.Min(count, next);
        var ok = Enumerable.Range(0, sent).Where(i => status[i] == 201).Select(i => latencies[i]).Order().ToArray();
        var all = latencies.Take(sent).Order().ToArray();
        var failures = string.Join(", ", Enumerable.Range(0, sent).Where(i => status[i] != 201).GroupBy(i => Invariant($"{status[i]} {codes[i]}")).Select(g => Invariant($"{g.Key} × {g.Count()}")));
        return new Throughput(sent, ok.Length, sent - ok.Length, failures.Length == 0 ? "none" : failures, seconds, Http.Pct(all, 50), Http.Pct(all, 95), Http.Pct(all, 99), all.Length == 0 ? double.NaN : all[^1]);
    }

    private static string Ms(double v) => double.IsNaN(v) ? "n/a" : v.ToString(v < 10 ? "F1" : "F0", CultureInfo.InvariantCulture) + " ms";

    private static void Rows(Report report, List<string> setup, string provider, GeneratedTown town, SeatSetup seats, int sessions, int staff, int seed, int inflight,
        IReadOnlyList<ContentionRound> rounds, Throughput warm, Throughput run, IReadOnlyList<(DateOnly Date, string Part)> slots, int activeRows, int heldRows,
        IReadOnlyList<(int Inflight, Throughput Result)> sweep, IReadOnlyList<(string What, double PerOpMs, double PerSecond)> probe, string loadBefore, string loadMid, string loadAfter,
        OutOfProcess? outside, OutOfProcess? defaults)
    {
        var db = provider == "Sqlite" ? "SQLite (file, WAL)" : "PostgreSQL (a database of its own on the shared cluster, created and dropped by the bench)";
        setup.Add(Invariant($"P6 on {db}: {town.Staff} people in {town.Departments} departments (TownGenerator, seed {seed}, `--staff {staff}`); the demo floors (SeatsDemo: 本庁舎 1階/2階, 駅前サテライト) plus the bench floor 本庁舎 3階 with {seats.Desks.Count} desks in {seats.Zones} zones ({seats.AllDesks} desks at 本庁舎 in all), written with the app's EF model; 本庁舎 rules: horizon {HorizonDays} days, {MaxPerWeek} bookings per week (the most the admin page accepts), no approval."));
        setup.Add(Invariant($"Host: the app unchanged (`ServeApp` full variant, WebApplicationFactory on real Kestrel, Production environment, demo mode without seeding) listening on 127.0.0.1, in the bench process; {(GCSettings.IsServerGC ? "server" : "workstation")} GC, JIT; {Environment.ProcessorCount} cores shared by the server and the load driver (same process, not pinned)."));
        setup.Add(Invariant($"Sessions: {sessions} insiders (staff and part-time staff; side-job workers and partners may not book by the default policy) each got a real server-side session without the UI: the principal from the app's AppSignInManager.CreateUserPrincipalAsync (its claims factory) plus the AuthMethod claim `pwd+totp`, then `Sessions.StartAsync` — what the session handler does on sign-in; the cookie is the app's own (`dokodemo.session` over http). No device registered (trust Unknown): the seat rules need none. One session checked with GET /api/v1/seats/bookings → 200 before measuring; each contender's too."));
        setup.Add("Requests: `POST /api/v1/seats/bookings` with JSON {deskId, date, part} and the app's own `Origin` header (its CSRF rule for cookie-authenticated API calls).");
        setup.Add(Invariant($"Load average (1, 5, 15 min): {loadBefore} before, {loadMid} before the throughput run, {loadAfter} after; the machine is shared with other engineers' builds."));

        var tag = provider == "Sqlite" ? "" : " — PostgreSQL";
        foreach (var r in rounds)
        {
            var ok = r.Created == 1 && r.Taken == r.Attempts - 1 && r.Other == 0 && r.OtherConflicts == 0 && r.HeldRows == r.HeldHalves && r.ActiveBookings == 1 && r.WinnerMatches;
            report.Row("P6", Invariant($"contention {r.Round}{tag}: {r.Attempts} people POST desk {r.DeskLabel}, {r.Date:yyyy-MM-dd} `{r.Part}` at once: {r.Created} × 201, {r.Taken} × 409 `seat.taken` (each with ≥ {r.Alternatives} alternatives), other: {r.OtherStatuses}; latency from the common start p50 {Ms(r.P50)}, p95 {Ms(r.P95)}, max {Ms(r.Max)} (inside the server: p50 {Ms(r.Server.P50)}, p95 {Ms(r.Server.P95)}, max {Ms(r.Server.Max)}); afterwards the database holds {r.ActiveBookings} active booking with {r.HeldRows} holding row(s) for {r.HeldHalves} half/halves, {(r.WinnerMatches ? "the winner's" : "**not** the winner's")}"),
                Invariant($"{r.Created} of {r.Attempts}"), "exactly one 201, the rest 409 `seat.taken`", ok);
        }

        if (outside is { } o)
        {
            var w = o.Run;
            var ok = w.Other == 0 && w.Taken == 0 && o.Held == o.Active && o.Active >= w.Created && o.Active <= w.Created + inflight; // wrk drops what is in flight when its time is up
            var perSecond = w.Created / w.Seconds;
            report.Row("P6", Invariant($"throughput{tag}, load driver out of process: `wrk -t1 -c{inflight}` pinned to CPU {SeatBookingWrk.LoadCpu}, {AppProcess.Described(AppProcess.Tiering.Shipped)}; {w.Requests:N0} POSTs of different desks ({seats.Desks.Count} desks × {o.Slots.Count} half-day slots, {o.Slots[0].Date:yyyy-MM-dd} … {o.Slots[^1].Date:yyyy-MM-dd}) by {sessions} people, closed loop for {w.Seconds:F0} s: {w.Created:N0} × 201, {w.Taken} × 409 seat.taken, other: {w.OtherStatuses}; database afterwards: {o.Active:N0} confirmed bookings (the 201s plus what was in flight when wrk's time was up), {o.Held:N0} holdings — 201s per second"),
                Invariant($"{perSecond:N0} bookings/s"), "≥ 1,000 bookings/s", ok && perSecond >= 1000);
            report.Row("P6", Invariant($"same run, latency at wrk: p50 {Ms(w.P50)}, p90 {Ms(w.P90)}, max {Ms(w.Max)}; not timed inside the server (the app's own process has no bench timer) — wrk p99 shown"), Ms(w.P99), "(no budget)", null);
            report.Row("P6", Invariant($"its warm-up (not counted, the app's own process just started): {o.Warm.Requests:N0} POSTs on days of their own, {o.Warm.Created:N0} × 201 in {o.Warm.Seconds:F2} s"), Invariant($"{o.Warm.Created / o.Warm.Seconds:N0} bookings/s"), "(reference)", null);
            if (defaults is { } d)
            {
                var dw = d.Run;
                report.Row("P6", Invariant($"for reference, the same days booked again (the first run's bookings removed) by a new process with {AppProcess.Described(AppProcess.Tiering.RuntimeDefault)}: {dw.Created:N0} × 201 of {dw.Requests:N0} in {dw.Seconds:F0} s after the same warm-up, {dw.Taken} × 409 seat.taken, other: {dw.OtherStatuses}; latency at wrk p50 {Ms(dw.P50)}, p99 {Ms(dw.P99)}"),
                    Invariant($"{dw.Created / dw.Seconds:N0} bookings/s"), "(reference)", null);
            }

            setup.Add("Out-of-process driver: wrk (Debian package) with a generated Lua script holding the people's session tokens, the desk ids and the slots; each request is the same JSON POST as the in-process driver sends (cookie, Origin, content type); the script counts 201, 409 `seat.taken` and anything else from the bodies, for 10 s after a 30 s warm-up in 4 s rounds on days of their own (their bookings removed after each round). The bench's own host is stopped before these runs, so the app's process is the only app on the database. The database is counted afterwards.");
        }

        var valid = run.Failed == 0 && activeRows == run.Created && heldRows == run.Created;
        var rate = run.Created / run.Seconds;
        report.Row("P6", Invariant($"throughput{tag}{(outside is null ? "" : " (for information: driver in process)")}: {run.Sent:N0} bookings of different desks ({seats.Desks.Count} desks × {slots.Count} half-day slots, {slots[0].Date:yyyy-MM-dd} … {slots[^1].Date:yyyy-MM-dd}) by {sessions} people, {inflight} in flight, closed loop; {run.Created:N0} × 201 in {run.Seconds:F1} s, not 201: {run.Failures}; database afterwards: {activeRows:N0} confirmed bookings, {heldRows:N0} holdings — 201s per second of wall time"),
            Invariant($"{rate:N0} bookings/s"), outside is null ? "≥ 1,000 bookings/s" : "(reference)", outside is null ? valid && rate >= 1000 : null);
        report.Row("P6", Invariant($"same run, latency per booking at the client (p50 {Ms(run.P50)}, p95 {Ms(run.P95)}, max {Ms(run.Max)}; inside the server p50 {Ms(run.Server.P50)}, p95 {Ms(run.Server.P95)}, p99 {Ms(run.Server.P99)}) — client p99 shown"), Ms(run.P99), "(no budget)", null);
        foreach (var (n, w) in sweep)
        {
            report.Row("P6", Invariant($"for information{tag}: {w.Sent:N0} more bookings (two half days) with {n} in flight: {w.Created:N0} × 201 in {w.Seconds:F1} s, not 201: {w.Failures}; client p50 {Ms(w.P50)}, p99 {Ms(w.P99)}; server p50 {Ms(w.Server.P50)}, p99 {Ms(w.Server.P99)}"),
                Invariant($"{w.Created / w.Seconds:N0} bookings/s"), "(reference)", null);
        }
        report.Row("P6", Invariant($"warm-up before it (not counted): {warm.Sent:N0} bookings on one half day, {warm.Created:N0} × 201 in {warm.Seconds:F1} s, not 201: {warm.Failures}"),
            Invariant($"{warm.Created / warm.Seconds:N0} bookings/s"), "(reference)", null);
        foreach (var (what, per, perSecond) in probe)
        {
            report.Row("P6", Invariant($"where the time goes{tag}: {what}: {per:F2} ms per request of wall time"), Invariant($"{perSecond:N0}/s"), "(reference)", null);
        }

        report.Note("Contention latency is measured from the moment the gate opens (all 200 requests released together, each over its own already-open connection) to each response; the losers' 409 includes computing up to 5 alternatives. "
            + "The client and the server share one thread pool (same process), so a client continuation can wait behind the server's queued work: client p50 close to the max means \"answered when the burst was over\", not that every request took that long. "
            + "\"Inside the server\" is a timer in front of the app's pipeline (an `IStartupFilter` added by the bench, the first middleware): from the request reaching the app to its response being written, without the wait for a thread before that.");
        report.Note("A booking is the app's whole path: session lookup, the access decision (enforcement point and the endpoint's own check), the checks before the insert (desk, horizon, closure, team area, own other booking, weekly limit), the insert of the booking and its holding in one transaction, the work place declaration (本庁舎: 庁舎 for an undeclared half), and reading the booking back for the 201 body.");
        report.Note("Server and load driver share the process and both cores, so the driver's own CPU (HttpClient, JSON) is taken from the server: the throughput is a lower bound of what the server alone would do on this machine.");
    }

    /// <summary>
    /// Bench-only: the first middleware of the app's pipeline times every <c>POST /api/v1/seats/bookings</c> from the moment
    /// the app sees it until its response is written. It changes nothing the app does.
    /// </summary>
    private sealed class ServerTimer : IStartupFilter
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<double> times = new();

        public void Reset() => times.Clear();

        public (double, double, double, int) Percentiles(double third = 100)
        {
            var a = times.Order().ToArray();
            return (Http.Pct(a, 50), Http.Pct(a, 95), Http.Pct(a, third), a.Length);
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/api/v1/seats/bookings")
                {
                    await nextMiddleware(context);
                    return;
                }

                var t = Stopwatch.GetTimestamp();
                await nextMiddleware(context);
                times.Enqueue(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            });
            next(app);
        };
    }
}
