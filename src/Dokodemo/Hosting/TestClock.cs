using System.Globalization;

namespace Dokodemo.Hosting;

/// <summary>
/// A test-only clock for the browser tests, which run the real app as a process: now = real now + an offset read from
/// the file named by <c>Dokodemo:TestClock:File</c> (a TimeSpan such as <c>1.02:30:00</c> or <c>-03:00:00</c>), re-read
/// when the file changes. Registered only when that setting is present, with a loud warning; never otherwise (the
/// default is <see cref="TimeProvider.System"/>, registered in <see cref="Foundation"/>).
/// </summary>
public sealed class TestClock(string file) : TimeProvider
{
    public const string FileKey = "Dokodemo:TestClock:File";

    private readonly object gate = new();
    private DateTime readStamp = DateTime.MinValue;
    private TimeSpan offset;

    public string File => file;

    public TimeSpan Offset
    {
        get
        {
            lock (gate)
            {
                // The file's write time says whether to read it again; a missing or unreadable file keeps the last offset.
                var stamp = global::System.IO.File.Exists(file) ? global::System.IO.File.GetLastWriteTimeUtc(file) : DateTime.MinValue;
                if (stamp != readStamp)
                {
                    try
                    {
                        var text = global::System.IO.File.ReadAllText(file).Trim();
                        offset = text.Length == 0 ? TimeSpan.Zero : TimeSpan.Parse(text, CultureInfo.InvariantCulture);
                        readStamp = stamp;
                    }
                    catch (Exception ex) when (ex is IOException or FormatException or OverflowException)
                    {
                        // Half-written: read it again next time.
                    }
                }

                return offset;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    /// <summary>Registers the test clock when <see cref="FileKey"/> is set (demo mode only); returns whether it did.</summary>
    public static bool TryRegister(WebApplicationBuilder builder, DokodemoOptions options)
    {
        var file = builder.Configuration[FileKey];
        if (string.IsNullOrWhiteSpace(file))
        {
            return false;
        }

        if (!options.IsDemo)
        {
            throw new StartupException($"{FileKey} is set, but a test clock is allowed only in demo mode. Remove the setting.");
        }

        var clock = new TestClock(Path.GetFullPath(file));
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(clock);
        builder.Services.AddHostedService<TestClockWarning>();
        return true;
    }

    /// <summary>Says loudly, at start, that the clock is not the real one.</summary>
    private sealed class TestClockWarning(TestClock clock, ILogger<TestClock> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            log.LogWarning("!!!!! TEST CLOCK ACTIVE: the app's time is the real time plus the offset in {File} (now {Offset}). Never use this setting outside tests. !!!!!",
                clock.File, clock.Offset);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
