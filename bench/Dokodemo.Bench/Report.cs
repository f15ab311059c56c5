using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>The Markdown report: machine, commit, every figure with its budget and PASS / MISS beside it.</summary>
public sealed class Report(string commit, string cpus)
{
    private readonly List<(string Id, string What, string Figure, string Budget, string Verdict)> rows = [];
    private readonly StringBuilder details = new();
    private readonly List<string> notes = [];

    public void Row(string id, string what, string figure, string budget, bool? pass) =>
        rows.Add((id, what, figure, budget, pass switch { true => "PASS", false => "**MISS**", null => "info" }));

    public void Pending(string id, string what, string figure, string budget, string why) =>
        rows.Add((id, what, figure, budget, "pending: " + why));

    public void Note(string text) => notes.Add(text);

    public void Details(string heading, string body) => details.Append(Invariant($"\n### {heading}\n\n{body}\n"));

    /// <summary>The load average (1, 5, 15 min), or "n/a": the benches print it before and after their runs.</summary>
    public static string LoadAverages() => File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Machine(string cpus)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
        var memKb = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)
            : 0;
        return Invariant($"{cpus} cores (nproc, outside the taskset pinning), {memKb / 1024.0 / 1024.0:F1} GiB memory, CPU: {cpu}; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}");
    }

    public string Render(DateTimeOffset at, IEnumerable<string> setup)
    {
        var sb = new StringBuilder();
        sb.Append(Invariant($"# Dokodemo benchmarks — {at:yyyy-MM-dd HH:mm} UTC, commit {commit}\n\n"));
        sb.Append("- Machine: ").Append(Machine(cpus)).Append('\n');
        foreach (var line in setup)
        {
            sb.Append("- ").Append(line).Append('\n');
        }

        sb.Append("\n| # | what | measured | budget | verdict |\n|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            sb.Append(Invariant($"| {r.Id} | {r.What} | {r.Figure} | {r.Budget} | {r.Verdict} |\n"));
        }

        var misses = rows.Count(r => r.Verdict.Contains("MISS", StringComparison.Ordinal));
        sb.Append(Invariant($"\n{rows.Count(r => r.Verdict == "PASS")} pass, {misses} miss, {rows.Count(r => r.Verdict.StartsWith("pending", StringComparison.Ordinal))} pending, {rows.Count(r => r.Verdict == "info")} for information.\n"));
        if (notes.Count > 0)
        {
            sb.Append("\n## Notes\n\n");
            foreach (var n in notes)
            {
                sb.Append("- ").Append(n).Append('\n');
            }
        }

        if (details.Length > 0)
        {
            sb.Append("\n## Details\n").Append(details);
        }

        return sb.ToString();
    }
}
