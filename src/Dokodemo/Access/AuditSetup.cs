using Dokodemo.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dokodemo.Access;

/// <summary>The "Dokodemo:Audit" configuration section.</summary>
public sealed class AuditOptions
{
    public const string Section = "Dokodemo:Audit";

    /// <summary>How often a signed checkpoint is written (R45: at least hourly).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where each checkpoint is also written as a file; mount another machine's storage here for the off-site copy.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>How often the background service looks whether a checkpoint is due.</summary>
    public TimeSpan CheckpointPoll { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The audit trail: the log, its where-source, signed checkpoints and the use cases of the audit page and API.</summary>
public static class AuditSetup
{
    public static void AddAuditTrail(this IServiceCollection services, IConfiguration configuration)
    {
        var read = Read(configuration);
        services.Configure<AuditOptions>(o =>
        {
            o.CheckpointInterval = read.CheckpointInterval;
            o.CheckpointDirectory = read.CheckpointDirectory;
            o.CheckpointPoll = read.CheckpointPoll;
        });
        // Another source (device, network zone, country) may be registered in its place.
        services.TryAddSingleton<IAuditContextSource, HttpAuditContextSource>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditNotary>();
        services.AddHostedService<AuditCheckpointService>();
        services.AddScoped<AuditSearch>();
        services.AddScoped<AuditVerification>();
        services.AddScoped<AuditExporter>();
    }

    /// <summary>Reads and checks the section; a bad value stops the start with one sentence.</summary>
    public static AuditOptions Read(IConfiguration configuration)
    {
        var options = new AuditOptions();
        try
        {
            configuration.GetSection(AuditOptions.Section).Bind(options);
        }
        catch (InvalidOperationException)
        {
            throw new StartupException(
                $"Dokodemo:Audit:CheckpointInterval and CheckpointPoll must be times such as 01:00:00 (got '{configuration[AuditOptions.Section + ":CheckpointInterval"]}', '{configuration[AuditOptions.Section + ":CheckpointPoll"]}').");
        }

        if (options.CheckpointInterval < TimeSpan.FromMinutes(1) || options.CheckpointInterval > TimeSpan.FromHours(24))
        {
            throw new StartupException($"Dokodemo:Audit:CheckpointInterval must be between 00:01:00 and 1.00:00:00 (got {options.CheckpointInterval}).");
        }

        if (options.CheckpointPoll <= TimeSpan.Zero || options.CheckpointPoll > options.CheckpointInterval)
        {
            throw new StartupException($"Dokodemo:Audit:CheckpointPoll must be more than zero and at most the checkpoint interval (got {options.CheckpointPoll}).");
        }

        if (string.IsNullOrWhiteSpace(options.CheckpointDirectory))
        {
            options.CheckpointDirectory = null;
        }

        return options;
    }
}
