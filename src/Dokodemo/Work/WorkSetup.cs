namespace Dokodemo.Work;

/// <summary>The Work capability: work places, telework, attendance, the working-time rules, the town calendar.</summary>
public static class WorkSetup
{
    public static WebApplicationBuilder AddWork(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Approvers>();
        return builder;
    }

    public static WebApplication MapWork(this WebApplication app) => app;
}
