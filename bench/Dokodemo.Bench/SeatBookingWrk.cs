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
/// requests wrap round and come back 409, which the report shows. wrk and the bench process are pinned to the load CPU and the
/// app runs as its own process pinned to the server CPU (<see cref="AppProcess"/>), so the driver takes nothing from the server.
/// </summary>
public static partial class SeatBookingWrk
{
    [GeneratedRegex(@"P6STATUS created=(\d+) taken=(\d+) other=(\d+) others=(.*)$", RegexOptions.Multiline)]
    private static partial Regex Status();

    public const string ServerCpu = WrkScript.ServerCpu;
    public const string LoadCpu = WrkScript.LoadCpu;

    public static bool Available => WrkScript.Available;

    public static async Task<WrkBookings> RunAsync(Uri baseUri, string cookieName, IReadOnlyList<Person> people, IReadOnlyList<SeatBookingBench.BenchDesk> desks,
        IReadOnlyList<(DateOnly Date, string Part)> slots, int seconds, int connections, int personOffset, string workDir)
    {
        var run = await WrkScript.RunAsync(baseUri, "/api/v1/seats/bookings", Script(baseUri, cookieName, people, desks, slots, personOffset),
            Invariant($"p6-{personOffset}"), seconds, connections, workDir);
        var st = Status().Match(run.Raw);
        if (!st.Success)
        {
            throw new InvalidOperationException("wrk's output was not understood:\n" + run.Raw);
        }

        return new WrkBookings(run.Requests, run.Seconds,
            long.Parse(st.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(st.Groups[2].Value, CultureInfo.InvariantCulture),
            long.Parse(st.Groups[3].Value, CultureInfo.InvariantCulture), st.Groups[4].Value.Trim() is { Length: > 0 } o ? o : "none",
            run.P50, run.P90, run.P99, run.Max, run.Raw);
    }

    /// <summary>The Lua script: the people's session tokens, the desks and the slots as tables, one booking per request.</summary>
    private static string Script(Uri baseUri, string cookieName, IReadOnlyList<Person> people, IReadOnlyList<SeatBookingBench.BenchDesk> desks,
        IReadOnlyList<(DateOnly Date, string Part)> slots, int personOffset)
    {
        var lua = new StringBuilder();
        lua.Append("local tokens = {").AppendJoin(",", people.Select(p => WrkScript.Quote(p.Token))).Append("}\n");
        lua.Append("local desks = {").AppendJoin(",", desks.Select(d => d.Id.ToString(CultureInfo.InvariantCulture))).Append("}\n");
        lua.Append("local slots = {").AppendJoin(",", slots.Select(s => Invariant($"{{\"{s.Date:yyyy-MM-dd}\",\"{s.Part}\"}}"))).Append("}\n");
        lua.Append(Invariant($"local offset = {personOffset * 7}\n"));
        lua.Append("local cookie = ").Append(WrkScript.Quote(cookieName + "=")).Append('\n');
        lua.Append("local origin = ").Append(WrkScript.Quote(baseUri.GetLeftPart(UriPartial.Authority))).Append('\n');
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
