namespace Dokodemo.Talk;

/// <summary>Talk (トーク): one line in Program.cs to add the services, one to map the API, one to sync department channels at start.</summary>
public static class TalkSetup
{
    public static WebApplicationBuilder AddTalk(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TalkAccess>();
        builder.Services.AddScoped<TalkChannels>();
        builder.Services.AddScoped<TalkMessages>();
        builder.Services.AddScoped<TalkSync>();
        builder.Services.AddHostedService<TalkSyncSweep>();
        builder.Services.AddScoped<TalkPageActions>();
        builder.Services.AddScoped<Live.ILiveAudience, TalkAudience>();
        // Retention (保存期間, legal hold) and the export for records requests (TalkRetention*.cs, TalkExport.cs).
        builder.Services.AddScoped<TalkRetention>();
        builder.Services.AddScoped<TalkRecordsAccess>();
        builder.Services.AddScoped<TalkExport>();
        builder.Services.AddHostedService<TalkRetentionSweep>();
        return builder;
    }

    public static WebApplication MapTalk(this WebApplication app) => app.MapTalkApi().MapTalkRetentionApi();

    /// <summary>After migration: department channels follow the org chart (see <see cref="TalkSync"/>).</summary>
    public static async Task SyncTalkAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TalkSync>().RunAsync();
        var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.DokodemoOptions>>().Value;
        if (options.IsDemo && options.SeedDemo)
        {
            await TalkDemo.SeedAsync(scope.ServiceProvider.GetRequiredService<Data.AppDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
        }
    }
}
