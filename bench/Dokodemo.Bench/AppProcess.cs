using System.Globalization;
using Microsoft.Data.Sqlite;
using Dokodemo.Data;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Bench;

/// <summary>
/// The app as its own process for a wrk run (P4, P6): the Release build beside the bench (<c>dotnet Dokodemo.dll</c>,
/// unchanged, Production), on the database the bench prepared (the <c>Database__*</c> and <c>Dokodemo__*</c> settings the
/// bench put in its environment), started under <c>taskset -c</c> <see cref="WrkScript.ServerCpu"/>. Started pinned, the
/// runtime sees one core from the start and sizes itself for it (thread pool, spinning, GC), as an app deployed on one
/// core would; a process pinned after it started still behaves as if it had two. Sessions made by the bench are rows in
/// the shared database, so they work here too.
/// </summary>
/// <remarks>
/// On one core the runtime waits ten times longer (1 s instead of 100 ms, <c>TC_DelaySingleProcMultiplier</c>) after any
/// method runs for the first time before it counts calls to optimise hot code, and under constant load that keeps most of
/// the request path at tier 0 for minutes (measured: a profile after 30 s under load still showed the booking path
/// "QuickJitted"; 650–930 bookings/s against 1,250–1,370/s without the delay). The app ships with the delay at 0 in its
/// runtimeconfig (<c>System.Runtime.TieredCompilation.CallCountingDelayMs</c>), so the budget's run is the app as built
/// (<see cref="Tiering.Shipped"/>); the runtime's own default, put back through the environment variable, is measured too
/// for reference (<see cref="Tiering.RuntimeDefault"/>).
/// </remarks>
public static class AppProcess
{
    public const string TieringVariable = "DOTNET_TC_CallCountingDelayMs";

    public enum Tiering
    {
        /// <summary>The app as built: its runtimeconfig's delay of 0 (the variable unset, even if the bench's own environment has it).</summary>
        Shipped,

        /// <summary>The runtime's own default delay (100 ms, ten times that on one core) put back with <c>DOTNET_TC_CallCountingDelayMs=100</c>.</summary>
        RuntimeDefault,
    }

    public static async Task<AppServer> StartAsync(string provider, string connectionString, string work, string tag, Tiering tiering = Tiering.Shipped)
    {
        var settings = new BenchSettings(Path.Combine(AppContext.BaseDirectory, "Dokodemo.dll"), work, "", WrkScript.ServerCpu, WrkScript.LoadCpu);
        var pids = Path.Combine(work, tag + "-server.pid");
        return await AppServer.StartAsync(settings, pids, logName: tag + "-server.log", environment: new Dictionary<string, string?>
        {
            ["Database__Provider"] = provider,
            ["Database__ConnectionString"] = connectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            [TieringVariable] = tiering == Tiering.Shipped ? null : "100",
        });
    }

    /// <summary>How the report names this host.</summary>
    public static string Described(Tiering tiering) =>
        string.Create(CultureInfo.InvariantCulture, $"the app as its own process (`dotnet Dokodemo.dll`, Release, Production, unchanged) started under `taskset -c {WrkScript.ServerCpu}`{(tiering == Tiering.Shipped ? " as built (its runtimeconfig's tiering delay of 0)" : $" with the runtime's default tiering delay put back (`{TieringVariable}=100`)")}, on the same database; the bench process (which made the town and the sessions) pinned to CPU {WrkScript.LoadCpu} with wrk for the run");

    /// <summary>
    /// Stops the app the bench hosts itself (a proper host shutdown) before the app's own process is measured on the same
    /// database: two apps on one SQLite file are not how the app is deployed, and the idle one's readers cost the measured
    /// one about a fifth of its bookings per second (865–1,044/s with a second idle app, 1,210–1,264/s without).
    /// </summary>
    public static async Task StopBenchHostAsync(IAsyncDisposable host)
    {
        ArgumentNullException.ThrowIfNull(host);
        await host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>A context on the bench's database without the app (for counting rows once the bench's host is stopped).</summary>
    public static AppDbContext Context(string provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        return new AppDbContext((provider == "Sqlite" ? builder.UseSqlite(connectionString) : builder.UseNpgsql(connectionString)).Options);
    }
}
