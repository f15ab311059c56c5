using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Dokodemo.Work.Attendance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Work.Payroll;

/// <summary>
/// /api/v1/work/payroll: the monthly payroll CSV (HR, and — the default policy's "require-personal-export-device" — only
/// from a registered device) and its JSON preview (HR). Every download is audited with who, which month, how many rows;
/// never with anyone's figures.
/// </summary>
public static class PayrollApi
{
    /// <summary>The download: data leaves the app, so the decision point is asked for an export of everyone's working time.</summary>
    public const string ExportPolicy = "access:work.time:export:export:none";

    /// <summary>The preview and the page: reading everyone's working time (HR's rule; a manager's covers only their department).</summary>
    public const string PreviewPolicy = "access:work.time:read:administer:none";

    public static readonly Error MonthInvalid = Errors.Field("work.payroll.month_invalid", "month");
    public static readonly Error EncodingUnknown = Errors.Field("work.payroll.encoding_unknown", "encoding");

    public static void AddPayroll(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TeleworkAllowances>();
        builder.Services.AddScoped<PayrollExport>();
    }

    public static void MapPayrollApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/work/payroll", Export).WithTags("Payroll").RequireAuthorization(ExportPolicy);
        app.MapGet("/api/v1/work/payroll/preview", Preview).WithTags("Payroll").RequireAuthorization(PreviewPolicy);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(string? month, string? encoding, PayrollExport export, CurrentUser me,
        AuditLog audit, CancellationToken ct)
    {
        if (!JapanTime.TryParseMonth(month, out var first) || month!.Trim().Length != 7 || first.Year is < 2000 or > 2100)
        {
            return Problems.From(MonthInvalid);
        }

        bool? sjis = (encoding ?? "utf8").Trim().ToLowerInvariant() switch
        {
            "utf8" or "utf-8" => false,
            "sjis" or "shift_jis" or "cp932" => true,
            _ => null,
        };
        if (sjis is null)
        {
            return Problems.From(EncodingUnknown);
        }

        var preview = await export.BuildAsync(first, english: false, ct);
        var bytes = PayrollExport.Csv(preview, sjis.Value);
        await audit.WriteAsync("work.payroll.exported", AuditOutcome.Success, actorId: me.Id, details: new Dictionary<string, string?>
        {
            ["month"] = preview.Month,
            ["rows"] = preview.Rows.ToString(CultureInfo.InvariantCulture),
            ["locked"] = preview.Locked.ToString(CultureInfo.InvariantCulture),
            ["encoding"] = sjis.Value ? "shift_jis" : "utf-8",
        }, ct: ct);
        return TypedResults.File(bytes, sjis.Value ? "text/csv; charset=shift_jis" : "text/csv; charset=utf-8", FileName(preview.Month, sjis.Value));
    }

    public static async Task<Results<Ok<PayrollPreview>, ProblemHttpResult>> Preview(string? month, PayrollExport export, CancellationToken ct)
    {
        if (!JapanTime.TryParseMonth(month, out var first) || month!.Trim().Length != 7 || first.Year is < 2000 or > 2100)
        {
            return Problems.From(MonthInvalid);
        }

        return TypedResults.Ok(await export.BuildAsync(first, Text.IsEnglish, ct));
    }

    /// <summary>"payroll-2024-04.csv" (or "payroll-2024-04-sjis.csv"): the file says its month and its encoding.</summary>
    public static string FileName(string month, bool shiftJis) => $"payroll-{month}{(shiftJis ? "-sjis" : "")}.csv";
}
