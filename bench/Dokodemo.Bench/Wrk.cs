using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Dokodemo.Bench;

public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Non2xx, long SocketErrors, string Raw);

/// <summary>Closed-loop maximum throughput with wrk (Debian package), pinned to the load core.</summary>
public static partial class Wrk
{
    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rps();

    [GeneratedRegex(@"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentile();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Total();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    public static string? Path { get; } = new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists);

    public static async Task<WrkResult> RunAsync(BenchSettings s, Uri url, string? session, int seconds, int connections = 32)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, 15);
        if (!url.IsLoopback)
        {
            throw new ArgumentException("load only ever targets loopback", nameof(url));
        }

        var psi = new ProcessStartInfo { FileName = AppServer.HasTaskset ? "taskset" : Path!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (AppServer.HasTaskset)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(s.LoadCpu);
            psi.ArgumentList.Add(Path!);
        }

        foreach (var a in new[] { "-t1", $"-c{connections.ToString(CultureInfo.InvariantCulture)}", $"-d{seconds.ToString(CultureInfo.InvariantCulture)}s", "--latency", "--timeout", "5s" })
        {
            psi.ArgumentList.Add(a);
        }

        if (session is not null)
        {
            psi.ArgumentList.Add("-H");
            psi.ArgumentList.Add($"Cookie: dokodemo.session={session}");
        }

        psi.ArgumentList.Add(url.ToString());
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 10));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("wrk did not stop by itself");
        }

        var raw = await stdout + await stderr;
        double Ms(string unit, string value) => double.Parse(value, CultureInfo.InvariantCulture) * unit switch { "us" => 0.001, "ms" => 1, _ => 1000 };
        double p50 = double.NaN, p99 = double.NaN;
        foreach (Match m in Percentile().Matches(raw))
        {
            var v = Ms(m.Groups[3].Value, m.Groups[2].Value);
            if (m.Groups[1].Value == "50")
            {
                p50 = v;
            }
            else
            {
                p99 = v;
            }
        }

        var se = SocketErrors().Match(raw);
        var socketErrors = se.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(se.Groups[i].Value, CultureInfo.InvariantCulture)) : 0;
        var non = Non2xx().Match(raw);
        return new WrkResult(
            double.Parse(Rps().Match(raw).Groups[1].Value, CultureInfo.InvariantCulture), p50, p99,
            long.Parse(Total().Match(raw).Groups[1].Value, CultureInfo.InvariantCulture),
            non.Success ? long.Parse(non.Groups[1].Value, CultureInfo.InvariantCulture) : 0, socketErrors, raw);
    }
}
