using System.Globalization;

namespace Dokodemo.Bench;

/// <summary>
/// The app as its own process for a wrk run (P4, P6): the Release build beside the bench (<c>dotnet Dokodemo.dll</c>,
/// unchanged, Production), on the database the bench prepared (the <c>Database__*</c> and <c>Dokodemo__*</c> settings the
/// bench put in its environment), started under <c>taskset -c</c> <see cref="WrkScript.ServerCpu"/>. Started pinned, the
/// runtime sees one core from the start and sizes itself for it (thread pool, spinning, GC), as an app deployed on one
/// core would; a process pinned after it started still behaves as if it had two. Sessions made by the bench are rows in
/// the shared database, so they work here too.
/// </summary>
public static class AppProcess
{
    public static async Task<AppServer> StartAsync(string provider, string connectionString, string work, string tag)
    {
        var settings = new BenchSettings(Path.Combine(AppContext.BaseDirectory, "Dokodemo.dll"), work, "", WrkScript.ServerCpu, WrkScript.LoadCpu);
        var pids = Path.Combine(work, tag + "-server.pid");
        return await AppServer.StartAsync(settings, pids, logName: tag + "-server.log", environment: new Dictionary<string, string>
        {
            ["Database__Provider"] = provider,
            ["Database__ConnectionString"] = connectionString,
            ["Logging__LogLevel__Default"] = "Warning",
        });
    }

    /// <summary>How the report names this host.</summary>
    public static string Described =>
        string.Create(CultureInfo.InvariantCulture, $"the app as its own process (`dotnet Dokodemo.dll`, Release, Production, unchanged) started under `taskset -c {WrkScript.ServerCpu}`, on the same database; the bench process (which made the town and the sessions) pinned to CPU {WrkScript.LoadCpu} with wrk for the run");
}
