using System.Globalization;
using Dokodemo.Domain.Audit;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Access;

public sealed record AuditCheckpointDto(long Size, string HeadHash, DateTimeOffset At, string Origin, string KeyName, string KeyId,
    string KeyFingerprint, string PublicKey, string Note);

/// <summary>
/// The audit log for the security administrator (情報セキュリティ管理者) and administrators: search, CSV, verification,
/// checkpoints and the auditors' export. The page at /admin/audit uses the same classes.
/// </summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.Security);
        group.MapGet("", Search);
        group.MapPost("/verify", Verify);
        group.MapGet("/checkpoints/latest", LatestCheckpoint);
        group.MapGet("/public-key", PublicKey);
        group.MapGet("/export", Export).RequireAuthorization(Policies.AuditExport);
        app.MapGet("/api/v1/audit.csv", Csv).WithTags("Audit").RequireAuthorization(Policies.AuditExport);
    }

    /// <summary>Entries matching the filter, newest first; at most <see cref="AuditSearch.MaxPage"/> per call, the total in X-Total-Count.</summary>
    public static async Task<Results<Ok<IReadOnlyList<AuditEntryDto>>, ProblemHttpResult>> Search(
        string? from, string? to, string? @event, string? actor, string? subject, string? outcome, string? decision, int? offset, int? limit,
        AuditSearch search, HttpResponse response, CancellationToken ct)
    {
        var filter = AuditFilter.Parse(from, to, @event, actor, subject, outcome, decision);
        if (!filter.Ok)
        {
            return Problems.From(filter.Error!);
        }

        var (total, items) = await search.SearchAsync(filter.Value!, offset ?? 0, limit ?? AuditSearch.MaxPage, ct);
        response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(items);
    }

    /// <summary>The matching entries as CSV (UTF-8 with BOM), oldest first, headings in the caller's language.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Csv(
        string? from, string? to, string? @event, string? actor, string? subject, string? outcome, string? decision,
        AuditSearch search, CurrentUser me, HttpContext http, CancellationToken ct)
    {
        var filter = AuditFilter.Parse(from, to, @event, actor, subject, outcome, decision);
        if (!filter.Ok)
        {
            return Problems.From(filter.Error!);
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
        await search.WriteCsvAsync(filter.Value!, http.Response.Body, Text.IsEnglish, me.Id, ct);
        return TypedResults.Empty;
    }

    public static async Task<Ok<AuditVerificationResult>> Verify(AuditVerification verification, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await verification.RunAsync(me.Id, ct: ct));

    public static async Task<Results<Ok<AuditCheckpointDto>, ProblemHttpResult>> LatestCheckpoint(AuditNotary notary, CancellationToken ct)
    {
        var latest = await notary.LatestAsync(ct);
        if (latest is null)
        {
            return Problems.From(Errors.NotFound);
        }

        var key = (await notary.KeysAsync(ct)).Single(k => k.KeyId == latest.KeyId);
        return TypedResults.Ok(new AuditCheckpointDto(latest.Size, latest.HeadHash, latest.At, notary.Origin, key.Name, key.KeyId,
            key.Fingerprint, Convert.ToBase64String(key.SubjectPublicKeyInfo), latest.Note));
    }

    /// <summary>The key checkpoints are signed with now, as PEM (SubjectPublicKeyInfo).</summary>
    public static async Task<ContentHttpResult> PublicKey(AuditNotary notary, CancellationToken ct) =>
        TypedResults.Text((await notary.PublicKeyAsync(ct)).Pem, "application/x-pem-file");

    /// <summary>The auditors' bundle for [from, to): a JSON file to verify offline with 'audit verify-export'.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(string? from, string? to, AuditExporter exporter, CurrentUser me, CancellationToken ct)
    {
        var range = AuditFilter.Parse(from, to, null, null, null, null, null);
        if (!range.Ok)
        {
            return Problems.From(range.Error!);
        }

        var bundle = await exporter.ExportAsync(range.Value!, me.Id, ct);
        if (!bundle.Ok)
        {
            return Problems.From(bundle.Error!);
        }

        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(AuditExports.Serialize(bundle.Value!)), "application/json", AuditExporter.FileName(bundle.Value!));
    }
}
