using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dokodemo.Bench;

/// <summary>The app as a real process on loopback, pinned to one core when taskset exists. Always killed on dispose.</summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    public int Port { get; }
    public int Pid => process.Id;
    public Uri BaseUri { get; }
    public TimeSpan ReadyAfter { get; private set; }

    private AppServer(Process process, int port, StreamWriter log)
    {
        this.process = process;
        this.log = log;
        Port = port;
        BaseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public static bool HasTaskset { get; } = File.Exists("/usr/bin/taskset") || File.Exists("/bin/taskset");

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts the app and waits (≤ 30 s) for the first 200 from /health/ready, timing from just before the process starts.
    /// <paramref name="command"/> is what <c>dotnet</c> runs: the published app by default, or the bench's own <c>serve</c> verb.
    /// </summary>
    public static async Task<AppServer> StartAsync(BenchSettings s, string pidFile, IReadOnlyList<string>? command = null, string logName = "server.log",
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var psi = new ProcessStartInfo
        {
            FileName = HasTaskset ? "taskset" : "dotnet",
            WorkingDirectory = s.WorkDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (HasTaskset)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(s.ServerCpu);
            psi.ArgumentList.Add("dotnet");
        }

        foreach (var arg in command ?? [s.AppDll])
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["ASPNETCORE_URLS"] = url;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["Database__ConnectionString"] = $"Data Source={s.DatabaseFile}";
        psi.Environment["Dokodemo__SeedDemo"] = "false";
        psi.Environment["Dokodemo__AuthRateLimitPerMinute"] = "100000";
        psi.Environment["Dokodemo__KeyEncryptionKeyFile"] = Path.Combine(s.WorkDir, "kek");
        psi.Environment["Dokodemo__PublicUrl"] = url;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            // null: not set at all, even when the bench's own environment has it
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        var log = new StreamWriter(Path.Combine(s.WorkDir, logName), append: true);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var readyUri = new Uri(url + "/health/ready");
        var sw = Stopwatch.StartNew();
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the app");
        var server = new AppServer(p, port, log);
        await File.AppendAllTextAsync(pidFile, p.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        p.OutputDataReceived += (_, e) => server.Log(e.Data);
        p.ErrorDataReceived += (_, e) => server.Log(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (p.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {p.ExitCode.ToString(CultureInfo.InvariantCulture)}; see {s.WorkDir}/{logName}");
            }

            try
            {
                using var r = await probe.GetAsync(readyUri);
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    server.ReadyAfter = sw.Elapsed;
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(5);
        }

        await server.DisposeAsync();
        throw new TimeoutException("the app was not ready within 30 s");
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in MiB.</summary>
    public double RssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>CPU time (user + system) the process has used, from /proc/&lt;pid&gt;/stat, in seconds.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0: utime (14) and stime (15) are 11 and 12, in clock ticks (100 Hz).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }
}
