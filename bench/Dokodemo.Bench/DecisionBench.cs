using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Validators;
using Dokodemo.Domain.Access;
using Perfolizer.Horology;

namespace Dokodemo.Bench;

/// <summary>P2 with BenchmarkDotNet: one <see cref="DecisionPoint.Decide"/> per operation, for each case of <see cref="TownPolicy.Cases"/>.</summary>
public class DecisionBenchmarks
{
    private DecisionPoint pdp = null!;
    private Subject subject = null!;
    private DeviceState device;
    private AccessContext context;
    private ResourceRef resource;
    private AccessAction action;

    public static IEnumerable<string> CaseNames => TownPolicy.Cases().Select(c => c.Name);

    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        pdp = DecisionRun.Compile();
        var c = TownPolicy.Cases().Single(x => x.Name == Case);
        DecisionRun.Check(pdp, c);
        (subject, device, context, resource, action) = (c.Subject, c.Device, c.Context, c.Resource, c.Action);
    }

    [Benchmark]
    public Decision Decide() => pdp.Decide(subject, device, context, resource, action);
}

public sealed record DecisionCaseResult(
    string Name, string What, string Verdict, string Reason, int RulesForType,
    double MeanNs, double MedianNs, double P95Ns, long? AllocatedBytesPerOp,
    double P50Ns, double P90Ns, double P99Ns, double P999Ns, double MaxNs, double[] P99RunsNs, double LoopBytesPerCall);

public sealed record DecisionResults(int Rules, int Types, int CallsPerRun, int Runs, double TimerP50Ns, double TimerP99Ns, string BdnTable, IReadOnlyList<DecisionCaseResult> Cases);

/// <summary>
/// Runs P2: BenchmarkDotNet (in process, MemoryDiagnoser) for mean, median, P95 of iteration means and allocated bytes
/// per operation; then single calls timed one by one with <see cref="Stopwatch.GetTimestamp"/> for the per-call p99
/// that the budget names (BenchmarkDotNet's percentiles are over iterations of many calls, not over calls).
/// </summary>
public static class DecisionRun
{
    public const int CallsPerRun = 1_000_000;
    public const int Runs = 3;
    private static int sink;

    public static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    public static DecisionPoint Compile() => new(TownPolicy.Create(), TownPolicy.AllTypes);

    /// <summary>Each case must be decided as it says, or its figures would measure something else.</summary>
    public static void Check(DecisionPoint pdp, DecisionCase c)
    {
        var d = pdp.Decide(c.Subject, c.Device, c.Context, c.Resource, c.Action);
        if (d.Verdict != c.Verdict || d.Reason != c.Reason)
        {
            throw new InvalidOperationException($"case {c.Name}: expected {c.Verdict}/{c.Reason}, got {d.Verdict}/{d.Reason} (rule {d.Rule?.Id})");
        }
    }

    /// <summary>dotnet Dokodemo.Bench.dll decision --out results.json [--artifacts dir]</summary>
    public static async Task<int> MainAsync(string output, string artifacts)
    {
        var results = Run(artifacts);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, Json));
        return 0;
    }

    public static DecisionResults Run(string artifacts)
    {
        var pdp = Compile();
        var cases = TownPolicy.Cases();
        foreach (var c in cases)
        {
            Check(pdp, c);
        }

        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(5)
            .WithIterationCount(20)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("in-process");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddValidator(JitOptimizationsValidator.FailOnError)
            .WithArtifactsPath(artifacts);
        var summary = BenchmarkRunner.Run<DecisionBenchmarks>(config);
        if (summary.HasCriticalValidationErrors || summary.Reports.Length != cases.Count || summary.Reports.Any(r => !r.Success || r.ResultStatistics is null))
        {
            throw new InvalidOperationException("BenchmarkDotNet did not measure every case; see its log above");
        }

        var table = new AccumulationLogger();
        MarkdownExporter.GitHub.ExportToLog(summary, table);

        var timer = TimeLoop(null, pdp, CallsPerRun);
        var rows = new List<DecisionCaseResult>();
        foreach (var c in cases)
        {
            var report = summary.Reports.Single(r => (string)r.BenchmarkCase.Parameters["Case"] == c.Name);
            var stats = report.ResultStatistics!;
            var runs = Enumerable.Range(0, Runs).Select(_ => TimeLoop(c, pdp, CallsPerRun)).ToList();
            var median = runs.OrderBy(r => r.P99).ElementAt(Runs / 2);
            var typed = pdp.Explain(c.Subject, c.Device, c.Context, c.Resource, c.Action).Trace.Count;
            rows.Add(new DecisionCaseResult(c.Name, c.What, c.Verdict.ToString(), c.Reason.ToString(), typed,
                stats.Mean, stats.Median, stats.Percentiles.P95, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase),
                median.P50, median.P90, median.P99, median.P999, runs.Max(r => r.Max), [.. runs.Select(r => r.P99)], runs.Max(r => r.BytesPerCall)));
        }

        return new DecisionResults(pdp.Policy.Rules.Count, TownPolicy.AllTypes.Count, CallsPerRun, Runs, timer.P50, timer.P99, table.GetLog(), rows);
    }

    private readonly record struct Loop(double P50, double P90, double P99, double P999, double Max, double BytesPerCall);

    /// <summary>
    /// <paramref name="calls"/> single decisions, each timed on its own (after 200,000 untimed warm-up calls). With no case,
    /// times an empty pair of timestamps: the timer's own cost, which every per-call figure includes.
    /// </summary>
    private static Loop TimeLoop(DecisionCase? c, DecisionPoint pdp, int calls)
    {
        var ticks = new long[calls];
        var acc = 0;
        if (c is not null)
        {
            var (subject, device, context, resource, action) = (c.Subject, c.Device, c.Context, c.Resource, c.Action);
            for (var i = 0; i < 200_000; i++)
            {
                acc += (int)pdp.Decide(subject, device, context, resource, action).Verdict;
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < calls; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var d = pdp.Decide(subject, device, context, resource, action);
                ticks[i] = Stopwatch.GetTimestamp() - t0;
                acc += (int)d.Verdict;
            }

            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            sink += acc;
            return Summarise(ticks, (double)bytes / calls);
        }

        for (var i = 0; i < calls; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }

        return Summarise(ticks, 0);
    }

    private static Loop Summarise(long[] ticks, double bytesPerCall)
    {
        Array.Sort(ticks);
        var ns = 1e9 / Stopwatch.Frequency;
        double At(double p) => ticks[Math.Clamp((int)Math.Ceiling(p * ticks.Length) - 1, 0, ticks.Length - 1)] * ns;
        return new Loop(At(0.50), At(0.90), At(0.99), At(0.999), ticks[^1] * ns, bytesPerCall);
    }

    public static string Ns(double v) => double.IsNaN(v) ? "n/a" : v < 1000 ? v.ToString("F0", CultureInfo.InvariantCulture) + " ns" : (v / 1000).ToString("F2", CultureInfo.InvariantCulture) + " µs";

    /// <summary>Runs <c>decision</c> as its own process, pinned to <paramref name="cpu"/>, and reads its results (≤ 10 minutes).</summary>
    public static async Task<DecisionResults> RunChildAsync(BenchSettings s, string pidFile, string cpu)
    {
        var output = Path.Combine(s.WorkDir, "decision.json");
        var psi = new ProcessStartInfo
        {
            FileName = AppServer.HasTaskset ? "taskset" : "dotnet",
            WorkingDirectory = s.WorkDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (AppServer.HasTaskset)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(cpu);
            psi.ArgumentList.Add("dotnet");
        }

        foreach (var a in new[] { typeof(DecisionRun).Assembly.Location, "decision", "--out", output, "--artifacts", Path.Combine(s.WorkDir, "bdn") })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the decision benchmark");
        await File.AppendAllTextAsync(pidFile, p.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("the decision benchmark did not finish within 10 minutes");
        }

        var log = await stdout + await stderr;
        await File.WriteAllTextAsync(Path.Combine(s.WorkDir, "decision.log"), log);
        if (p.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"the decision benchmark failed ({p.ExitCode.ToString(CultureInfo.InvariantCulture)}):\n{log[Math.Max(0, log.Length - 4000)..]}");
        }

        return JsonSerializer.Deserialize<DecisionResults>(await File.ReadAllTextAsync(output), Json)!;
    }
}
