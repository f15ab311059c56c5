using Microsoft.Extensions.Logging;

namespace Dokodemo.Tests;

/// <summary>
/// Keeps what the test servers log at Error and above, with the exception, in a file under <c>DOKODEMO_TEST_LOGS</c>
/// (test.sh prints its end when a suite fails). A page that answers 500 shows the test only its status; this says why.
/// </summary>
public sealed class ServerErrorLog : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public static string? LogDirectory => Environment.GetEnvironmentVariable("DOKODEMO_TEST_LOGS") is { Length: > 0 } dir ? dir : null;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error && LogDirectory is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var entry = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}\n{exception}\n";
            lock (Gate)
            {
                Directory.CreateDirectory(LogDirectory!);
                File.AppendAllText(Path.Combine(LogDirectory!, "server-errors.log"), entry);
            }
        }
    }
}
