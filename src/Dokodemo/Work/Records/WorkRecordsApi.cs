using Dokodemo.Access;
using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Dokodemo.Work.Attendance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Work.Records;

/// <summary>
/// /api/v1/work/records: a person's month of self-reported against logged times (本人, their department's managers, HR),
/// confirmation notes (the person's approver or HR, never the person), and HR's import of PC and entry logs.
/// </summary>
public static class WorkRecordsApi
{
    public static void AddWorkRecords(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AppActivity>();
        builder.Services.AddHostedService<AppActivityWriter>();
        builder.Services.AddHostedService<RecordRetention>();
        builder.Services.AddScoped<WorkRecordLogs>();
        builder.Services.AddScoped<ImportRecords>();
    }

    /// <summary>Records signed-in requests as the app's objective log (C-2); after authentication, before the endpoints.</summary>
    public static WebApplication UseWorkRecords(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(AppActivity.RecordAsync);
        return app;
    }

    public static void MapWorkRecordsApi(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/work/records", Month).WithTags("Work records").RequireAuthorization(AttendanceApi.OwnPolicy);
        app.MapPost("/api/v1/work/records/note", Note).WithTags("Work records").RequireAuthorization(AttendanceApi.TeamPolicy);
        app.MapPost("/api/v1/work/records/import", Import).WithTags("Work records").RequireAuthorization(AttendanceApi.HrPolicy);
    }

    public static async Task<Results<Ok<RecordsMonthDto>, ProblemHttpResult>> Month(string? person, string? month, AttendanceAccess access, WorkRecordLogs records,
        TownClock town, CancellationToken ct)
    {
        DateOnly first;
        if (string.IsNullOrWhiteSpace(month))
        {
            first = new DateOnly(town.Today.Year, town.Today.Month, 1);
        }
        else if (!JapanTime.TryParseMonth(month, out first) || first.Year is < 2000 or > 2100)
        {
            return Problems.From(AttendanceErrors.MonthInvalid);
        }

        var who = await access.PersonAsync(person, AccessAction.Read, ct);
        return who.Ok ? TypedResults.Ok(await records.MonthAsync(who.Value!, first, Text.IsEnglish, ct)) : Problems.From(who.Error!);
    }

    public static async Task<Results<Ok<RecordNoteDto>, ProblemHttpResult>> Note(RecordNoteRequest request, AttendanceAccess access, WorkRecordLogs records,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = await access.FindAsync(string.IsNullOrWhiteSpace(request.Person) ? "-" : request.Person, ct);
        if (who is null)
        {
            return Problems.From(AttendanceErrors.PersonNotFound);
        }

        // The person's approver (their department's managers) or HR, as the decision point agrees; never the person.
        if (await access.CanDecideAsync(who, ct) is { } refused)
        {
            return Problems.From(refused);
        }

        var result = await records.NoteAsync(who, request.Date, request.Note, access.MeId, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    /// <summary>The CSV as the request body (text/csv; UTF-8 with or without BOM, or CP932).</summary>
    public static async Task<Results<Ok<RecordsImportResult>, ProblemHttpResult>> Import(HttpRequest request, ImportRecords import, CurrentUser me, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > ImportRecords.MaxBytes)
            {
                return Problems.From(RecordErrors.ImportTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        var result = await import.ImportAsync(buffer.ToArray(), me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }
}
