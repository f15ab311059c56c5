using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dokodemo.Tests;

/// <summary>The test servers keep their errors, with the exception, where test.sh prints them when a suite fails.</summary>
public class ServerErrorLogTests(ServerErrorLogTests.App app) : IClassFixture<ServerErrorLogTests.App>
{
    public sealed class App : TestApp;

    [Fact]
    public void AnErrorTheServerLogs_IsKeptWithItsException_AndAWarningIsNot()
    {
        var before = Environment.GetEnvironmentVariable("DOKODEMO_TEST_LOGS");
        var dir = Path.Combine(app.Dir, "server-logs");
        Environment.SetEnvironmentVariable("DOKODEMO_TEST_LOGS", dir);
        try
        {
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dokodemo.Talk.TalkMessages");
            log.LogWarning("(deliberate, ServerErrorLogTests) a warning");
            log.LogError(new InvalidOperationException("(deliberate) the cause"), "(deliberate, ServerErrorLogTests) a post failed");

            var kept = File.ReadAllText(Path.Combine(dir, "server-errors.log"));
            Assert.Contains("Error Dokodemo.Talk.TalkMessages: (deliberate, ServerErrorLogTests) a post failed", kept);
            Assert.Contains("System.InvalidOperationException: (deliberate) the cause", kept);
            Assert.DoesNotContain("a warning", kept);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOKODEMO_TEST_LOGS", before);
        }
    }
}
