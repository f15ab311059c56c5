using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>What wrk measured in one scripted run: requests, seconds, latency percentiles (ms), and its whole output.</summary>
public sealed record WrkRun(long Requests, double Seconds, double P50, double P90, double P99, double Max, string Raw);

/// <summary>
/// A closed-loop wrk run (Debian package) with a Lua script, the load driver out of process: wrk and this process pinned
/// to <see cref="LoadCpu"/> for the run, the app being a process of its own on <see cref="ServerCpu"/>
/// (<see cref="AppProcess"/>), so the driver takes nothing from the server. The script's <c>done</c> prints its own status line, which the caller parses.
/// </summary>
public static partial class WrkScript
{
    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m)")]
    private static partial Regex Total();

    [GeneratedRegex(@"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentile();

    [GeneratedRegex(@"Max\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s)")]
    private static partial Regex MaxLatency();

    public const string ServerCpu = "0";
    public const string LoadCpu = "1";

    public static bool Available => Wrk.Path is not null;

    /// <summary>Runs wrk with <paramref name="script"/> (written to <paramref name="workDir"/>) against <paramref name="path"/> for <paramref name="seconds"/>.</summary>
    public static async Task<WrkRun> RunAsync(Uri baseUri, string path, string script, string name, int seconds, int connections, string workDir)
    {
        if (!baseUri.IsLoopback)
        {
            throw new ArgumentException("load only ever targets loopback", nameof(baseUri));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, 60);
        var file = Path.Combine(workDir, name + ".lua");
        await File.WriteAllTextAsync(file, script);
        var psi = new ProcessStartInfo { FileName = AppServer.HasTaskset ? "taskset" : Wrk.Path!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (AppServer.HasTaskset)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(LoadCpu);
            psi.ArgumentList.Add(Wrk.Path!);
        }

        foreach (var a in new[] { "-t1", Invariant($"-c{connections}"), Invariant($"-d{seconds}s"), "--latency", "--timeout", "10s", "-s", file, baseUri.GetLeftPart(UriPartial.Authority) + path })
        {
            psi.ArgumentList.Add(a);
        }

        await PinSelfAsync(LoadCpu);
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
        if (!t.Success)
        {
            throw new InvalidOperationException("wrk's output was not understood:\n" + raw);
        }

        var pct = Percentile().Matches(raw).ToDictionary(m => m.Groups[1].Value, m => Ms(m.Groups[3].Value, m.Groups[2].Value));
        var max = MaxLatency().Match(raw);
        return new WrkRun(long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture), Ms(t.Groups[3].Value, t.Groups[2].Value) / 1000,
            pct.GetValueOrDefault("50", double.NaN), pct.GetValueOrDefault("90", double.NaN), pct.GetValueOrDefault("99", double.NaN),
            max.Success ? Ms(max.Groups[2].Value, max.Groups[1].Value) : double.NaN, raw);
    }

    /// <summary>A Lua string literal.</summary>
    public static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    /// <summary>Every thread of this process (the hosted app's included) onto <paramref name="cpus"/>; nothing when taskset is missing.</summary>
    public static async Task PinSelfAsync(string cpus)
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
}
