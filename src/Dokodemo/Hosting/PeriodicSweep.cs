namespace Dokodemo.Hosting;

/// <summary>
/// A background job that runs one round every <c>configuration[EveryKey]</c> (a TimeSpan; zero or less turns it off),
/// each round in a scope of its own. A failed round is logged (its kind, never its details) and the next one runs on time.
/// </summary>
public abstract class PeriodicSweep(IServiceScopeFactory scopes, IConfiguration configuration, ILogger log) : BackgroundService
{
    /// <summary>The job's log, for what a round reports.</summary>
    protected ILogger Log => log;

    /// <summary>The configuration key of the interval.</summary>
    protected abstract string EveryKey { get; }

    /// <summary>The interval when the configuration says nothing.</summary>
    protected abstract TimeSpan DefaultEvery { get; }

    /// <summary>What the job is called in the log ("the Talk department sync").</summary>
    protected abstract string Name { get; }

    /// <summary>One round, with the round's scoped services.</summary>
    protected abstract Task RunAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = configuration.GetValue(EveryKey, DefaultEvery);
        if (every <= TimeSpan.Zero)
        {
            log.LogInformation("{Name} is off ({Key} = {Every}).", Name, EveryKey, every);
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(every, stoppingToken);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await RunAsync(scope.ServiceProvider, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning("{Name} failed ({Kind}); it runs again in {Every}.", Name, ex.GetType().Name, every);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
