using Dokodemo.Access;
using Dokodemo.Admin;
using Dokodemo.Cli;
using Dokodemo.Hosting;
using Dokodemo.Organization;
using Dokodemo.Work;
using Dokodemo.Work.Places;
using Dokodemo.Work.Attendance;
using Dokodemo.Seats;

// One binary: the web app, or a CLI command (migrate, users …, import staff …) when one is named.
// An auditor's offline check needs no configuration and no database, so it runs before any of it is read.
if (AuditCommands.RunOffline(args) is { } offline)
{
    return offline;
}

var command = CommandLine.Parse(args);
try
{
    // Content (appsettings.json, wwwroot manifest) comes from beside the binary, wherever it is started from;
    // relative data paths (data/dokodemo.db) are relative to the working directory.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = command is null ? args : [],
        ContentRootPath = AppContext.BaseDirectory,
    });
    if (command is not null)
    {
        // A command's result goes to standard output (to be piped or saved as a file); its log goes to standard error.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    var (options, database) = ConfigurationChecks.Read(builder.Configuration);

    builder.AddFoundation(options, database, listening: command is null);
    builder.AddAccess(options);
    builder.AddOrganization();
    builder.AddAdmin();
    builder.AddWork();
    builder.AddWorkPlaces();
    builder.AddAttendance();
    builder.AddSeats();
    Dokodemo.Notifications.NotificationsApi.AddNotifications(builder);
    Dokodemo.Talk.TalkSetup.AddTalk(builder);
    Dokodemo.Live.LiveApi.AddLive(builder);

    var app = builder.Build();
    if (command is not null)
    {
        return await command.RunAsync(app.Services);
    }

    await app.Services.PrepareDatabaseAsync(options);
    await Dokodemo.Talk.TalkSetup.SyncTalkAsync(app.Services); // department channels follow the org chart

    app.UseFoundation(options);
    Dokodemo.Work.Records.WorkRecordsApi.UseWorkRecords(app);
    app.MapFoundation(options);
    app.MapAccess();
    app.MapOrganization();
    app.MapAdmin();
    app.MapWork();
    app.MapWorkPlaces();
    app.MapAttendance();
    app.MapSeats();
    Dokodemo.Notifications.NotificationsApi.MapNotifications(app);
    Dokodemo.Talk.TalkSetup.MapTalk(app);
    Dokodemo.Live.LiveApi.MapLive(app);

    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // One sentence saying what to fix; no stack trace.
    Console.Error.WriteLine($"Dokodemo cannot start: {ex.Message}");
    return 2;
}

/// <summary>Lets WebApplicationFactory find the entry point.</summary>
public partial class Program;
