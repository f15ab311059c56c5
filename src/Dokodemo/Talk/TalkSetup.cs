namespace Dokodemo.Talk;

/// <summary>Talk (トーク): one line in Program.cs to add the services, one to map the API, one to sync department channels at start.</summary>
public static class TalkSetup
{
    public static WebApplicationBuilder AddTalk(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TalkAccess>();
        builder.Services.AddSingleton<TalkGrantReader>();
        builder.Services.AddScoped<TalkChannels>();
        builder.Services.AddScoped<TalkMessages>();
        builder.Services.AddSingleton<TalkMessageWriter>();
        builder.Services.AddScoped<TalkSync>();
        builder.Services.AddHostedService<TalkSyncSweep>();
        builder.Services.AddScoped<TalkPageActions>();
        builder.Services.AddScoped<Live.ILiveAudience, TalkAudience>();
        // Notices, read receipts, reminders and the town's Talk settings (TalkNotices.cs, TalkSettings.cs).
        builder.Services.AddScoped<TalkSettingsStore>();
        builder.Services.AddScoped<TalkNotices>();
        builder.Services.AddHostedService<TalkNoticeSweep>();
        // Search (TalkSearch.cs, TalkSearchIndex.cs).
        builder.Services.AddScoped<TalkSearch>();
        // Files (TalkFiles*.cs).
        builder.Services.Configure<TalkFileOptions>(builder.Configuration.GetSection(TalkFileOptions.Section));
        builder.Services.AddSingleton<IFileStore, LocalFileStore>();
        builder.Services.AddScoped<TalkFiles>();
        // Scheduled send, the inbox, quiet hours and the digest (TalkSchedule, TalkInbox, TalkDigest).
        builder.Services.AddScoped<TalkSchedule>();
        builder.Services.AddScoped<TalkInbox>();
        builder.Services.AddScoped<TalkDigest>();
        builder.Services.AddHostedService<TalkInboxSweep>();
        Hosting.MailSetup.AddMail(builder);
        // Retention (保存期間, legal hold) and the export for records requests (TalkRetention*.cs, TalkExport.cs).
        builder.Services.AddScoped<TalkRetention>();
        builder.Services.AddScoped<TalkRecordsAccess>();
        builder.Services.AddScoped<TalkExport>();
        builder.Services.AddHostedService<TalkRetentionSweep>();
        // What hangs on messages goes with them, and files are part of the export (TalkRecordsParts.cs).
        builder.Services.AddScoped<ITalkDisposalStep, TalkSearchDisposal>();
        builder.Services.AddScoped<ITalkDisposalStep, TalkFilesDisposal>();
        builder.Services.AddScoped<ITalkExportPart, TalkFilesExport>();
        return builder;
    }

    public static WebApplication MapTalk(this WebApplication app) => app.MapTalkApi().MapTalkNoticesApi().MapTalkSearchApi().MapTalkFilesApi().MapTalkInboxApi().MapTalkRetentionApi();

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

        // Search: index the messages written before the index existed (or by a bulk load); nothing to do otherwise.
        await TalkSearchIndex.CatchUpAsync(scope.ServiceProvider.GetRequiredService<Data.AppDbContext>());
    }
}
