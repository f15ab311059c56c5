using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>What one wrk run of bookings gave: what wrk counted, what the script counted per status, and wrk's latency.</summary>
public sealed record WrkBookings(long Requests, double Seconds, long Created, long Taken, long Other, string OtherStatuses, double P50, double P90, double P99, double Max, string Raw);

/// <summary>
/// P6 throughput with the load driver out of process: <c>wrk</c> (Debian package) with a generated Lua script that POSTs
/// booking k as desk k mod 600 on slot k / 600 by person (k + offset) mod people — the same plan as the in-process driver —
/// for a fixed number of seconds (closed loop, as P1 measures); the slots must outnumber what can be booked meanwhile, or
/// requests wrap round and come back 409, which the report shows. wrk is pinned to the load CPU and the bench process (which hosts
/// the app) to the server CPU for the run, as P1 does, so the driver takes nothing from the server.
/// </summary>
public static partial class SeatBookingWrk
{
    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m)")]
    private static partial Regex Total();

    [GeneratedRegex(@"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentile();

    [GeneratedRegex(@"Max\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s)")]
    private static partial Regex MaxLatency();

    [GeneratedRegex(@"P6STATUS created=(\d+) taken=(\d+) other=(\d+) others=(.*)$", RegexOptions.Multiline)]
    private static partial Regex Status();

    public const string ServerCpu = "0";
    public const string LoadCpu = "1";

    public static bool Available => Wrk.Path is not null;

    public static async Task<WrkBookings> RunAsync(Uri baseUri, string cookieName, IReadOnlyList<SeatBookingBench.Person> people, IReadOnlyList<SeatBookingBench.BenchDesk> desks,
        IReadOnlyList<(DateOnly Date, string Part)> slots, int seconds, int connections, int personOffset, string workDir)
    {
        if (!baseUri.IsLoopback)
        {
            throw new ArgumentException("load only ever targets loopback", nameof(baseUri));
        }

        var script = Path.Combine(workDir, Invariant($"p6-{personOffset}.lua"));
        await File.WriteAllTextAsync(script, Script(baseUri, cookieName, people, desks, slots, personOffset));
        var psi = new ProcessStartInfo { FileName = AppServer.HasTaskset ? "taskset" : Wrk.Path!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (AppServer.HasTaskset)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(LoadCpu);
            psi.ArgumentList.Add(Wrk.Path!);
        }

        foreach (var a in new[] { "-t1", Invariant($"-c{connections}"), Invariant($"-d{seconds}s"), "--latency", "--timeout", "10s", "-s", script, baseUri.GetLeftPart(UriPartial.Authority) + "/api/v1/seats/bookings" })
        {
            psi.ArgumentList.Add(a);
        }

        await PinSelfAsync(ServerCpu);
        string raw;
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException("wrk did not stop by itself");
            }

            raw = await stdout + await stderr;
        }
        finally
        {
            await PinSelfAsync(Invariant($"0-{Environment.ProcessorCount - 1}"));
        }

        static double Ms(string unit, string value) =>
            double.Parse(value, CultureInfo.InvariantCulture) * unit switch { "us" => 0.001, "ms" => 1, "s" => 1000, _ => 60_000 };
        var t = Total().Match(raw);
        var st = Status().Match(raw);
        if (!t.Success || !st.Success)
        {
            throw new InvalidOperationException("wrk's output was not understood:\n" + raw);
        }

        var pct = Percentile().Matches(raw).ToDictionary(m => m.Groups[1].Value, m => Ms(m.Groups[3].Value, m.Groups[2].Value));
        var max = MaxLatency().Match(raw);
        return new WrkBookings(long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture), Ms(t.Groups[3].Value, t.Groups[2].Value) / 1000,
            long.Parse(st.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(st.Groups[2].Value, CultureInfo.InvariantCulture),
            long.Parse(st.Groups[3].Value, CultureInfo.InvariantCulture), st.Groups[4].Value.Trim() is { Length: > 0 } o ? o : "none",
            pct.GetValueOrDefault("50", double.NaN), pct.GetValueOrDefault("90", double.NaN), pct.GetValueOrDefault("99", double.NaN),
            max.Success ? Ms(max.Groups[2].Value, max.Groups[1].Value) : double.NaN, raw);
    }

    /// <summary>Every thread of this process (the hosted app's included) onto <paramref name="cpus"/>; nothing when taskset is missing.</summary>
    private static async Task PinSelfAsync(string cpus)
    {
        if (!AppServer.HasTaskset)
        {
            return;
        }

        var psi = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-a", "-p", "-c", cpus, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
    }

    /// <summary>The Lua script: the people's session tokens, the desks and the slots as tables, one booking per request.</summary>
    private static string Script(Uri baseUri, string cookieName, IReadOnlyList<SeatBookingBench.Person> people, IReadOnlyList<SeatBookingBench.BenchDesk> desks,
        IReadOnlyList<(DateOnly Date, string Part)> slots, int personOffset)
    {
        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        var lua = new StringBuilder();
        lua.Append("local tokens = {").AppendJoin(",", people.Select(p => Quote(p.Token))).Append("}\n");
        lua.Append("local desks = {").AppendJoin(",", desks.Select(d => d.Id.ToString(CultureInfo.InvariantCulture))).Append("}\n");
        lua.Append("local slots = {").AppendJoin(",", slots.Select(s => Invariant($"{{\"{s.Date:yyyy-MM-dd}\",\"{s.Part}\"}}"))).Append("}\n");
        lua.Append(Invariant($"local offset = {personOffset * 7}\n"));
        lua.Append("local cookie = ").Append(Quote(cookieName + "=")).Append('\n');
        lua.Append("local origin = ").Append(Quote(baseUri.GetLeftPart(UriPartial.Authority))).Append('\n');
        lua.Append("""
            local k = 0
            created, taken, other = 0, 0, 0
            others = ""
            local threads = {}
            setup = function(thread) table.insert(threads, thread) end
            request = function()
              local i = k
              k = k + 1
              local slot = slots[(math.floor(i / #desks) % #slots) + 1]
              local desk = desks[(i % #desks) + 1]
              local person = tokens[((i + offset) % #tokens) + 1]
              local body = string.format('{"deskId":%d,"date":"%s","part":"%s"}', desk, slot[1], slot[2])
              return wrk.format("POST", "/api/v1/seats/bookings", { ["Content-Type"] = "application/json", ["Origin"] = origin, ["Cookie"] = cookie .. person }, body)
            end
            response = function(status, headers, body)
              if status == 201 then
                created = created + 1
              elseif status == 409 and string.find(body, '"seat.taken"', 1, true) then
                taken = taken + 1
              else
                other = other + 1
                if #others < 400 then others = others .. status .. " " .. string.sub(body, 1, 80) .. "; " end
              end
            end
            done = function(summary, latency, requests)
              local c, t, o, s = 0, 0, 0, ""
              for _, thread in ipairs(threads) do
                c = c + thread:get("created")
                t = t + thread:get("taken")
                o = o + thread:get("other")
                s = s .. thread:get("others")
              end
              io.write(string.format("P6STATUS created=%d taken=%d other=%d others=%s\n", c, t, o, string.gsub(s, "\n", " ")))
            end

            """);
        return lua.ToString();
    }
}
