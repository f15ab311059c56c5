using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Access;

public sealed record PreviewRequest(string? Json);

public sealed record SavedPolicy(int Version);

public sealed record LabelRequest(string? ResourceType, string? ObjectId, Confidentiality Level, IReadOnlyList<ResourceFlags>? Flags);

/// <summary>The policy (read, preview, save, history), labels, periods abroad and the "could this person…?" check.</summary>
public static class AccessAdminApi
{
    public static void MapAccessAdminApi(this IEndpointRouteBuilder app)
    {
        var policy = app.MapGroup("/api/v1/access").WithTags("Access policy").RequireAuthorization(Policies.AccessPolicy);
        policy.MapGet("/policy", GetPolicy);
        policy.MapGet("/policy/versions", Versions);
        policy.MapGet("/policy/versions/{version:int}", GetVersion);
        policy.MapPost("/policy/preview", Preview);
        policy.MapPut("/policy", SavePolicy);
        policy.MapPost("/check", Check);
        policy.MapGet("/policy/missing-defaults", MissingDefaults);
        policy.MapPost("/policy/missing-defaults", AddMissingDefaults);
        policy.MapGet("/labels", ListLabels);
        policy.MapPut("/labels", SetLabel);
        policy.MapDelete("/labels/{type}", ResetLabel);
        policy.MapGet("/abroad-periods", AbroadPeriods);
    }

    public static async Task<Ok<PolicyView>> GetPolicy(AccessAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.CurrentAsync(ct));

    public static async Task<Ok<IReadOnlyList<PolicyVersionDto>>> Versions(PolicyStore store, CancellationToken ct) => TypedResults.Ok(await store.HistoryAsync(ct));

    public static async Task<Results<Ok<PolicyView>, ProblemHttpResult>> GetVersion(int version, PolicyStore store, CancellationToken ct) =>
        await store.VersionAsync(version, ct) is { } doc
            ? TypedResults.Ok(new PolicyView(version, doc.ToJson(), AccessAdmin.Describe(doc)))
            : Problems.From(Errors.NotFound);

    /// <summary>Who would gain or lose access under a candidate policy; nothing is saved.</summary>
    public static async Task<Results<Ok<PolicyPreview>, ProblemHttpResult>> Preview(PreviewRequest request, AccessAdmin admin, CancellationToken ct)
    {
        var preview = await admin.PreviewAsync(request.Json, ct);
        return preview.Errors.Count > 0
            ? Problems.From(Errors.PolicyInvalid with { Details = new Dictionary<string, object?> { ["policyErrors"] = preview.Errors } })
            : TypedResults.Ok(preview);
    }

    public static async Task<Results<Ok<SavedPolicy>, ProblemHttpResult>> SavePolicy(SavePolicyRequest request, AccessAdmin admin, CurrentUser me, CancellationToken ct)
    {
        var result = await admin.SaveAsync(request, me.Id, ct);
        return result.Ok ? TypedResults.Ok(new SavedPolicy(result.Value)) : Problems.From(result.Error!);
    }

    public static async Task<Ok<IReadOnlyList<RuleView>>> MissingDefaults(AccessAdmin admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.MissingDefaultsAsync(ct));

    public static async Task<Results<Ok<SavedPolicy>, ProblemHttpResult>> AddMissingDefaults(AccessAdmin admin, CurrentUser me, CancellationToken ct)
    {
        var result = await admin.AddMissingDefaultsAsync(me.Id, ct);
        return result.Ok ? TypedResults.Ok(new SavedPolicy(result.Value)) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<CheckResult>, ProblemHttpResult>> Check(CheckRequest request, AccessAdmin admin, CancellationToken ct)
    {
        var result = await admin.CheckAsync(request, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Ok<IReadOnlyList<LabelDto>>> ListLabels(Labels labels, CancellationToken ct) => TypedResults.Ok(await labels.ListAsync(ct));

    public static async Task<Results<Ok<LabelDto>, ProblemHttpResult>> SetLabel(LabelRequest request, Labels labels, CurrentUser me, CancellationToken ct)
    {
        var flags = (request.Flags ?? []).Aggregate(ResourceFlags.None, (a, f) => a | f);
        var result = await labels.SetAsync(request.ResourceType, request.ObjectId, request.Level, flags, me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResetLabel(string type, string? objectId, Labels labels, CurrentUser me, CancellationToken ct) =>
        await labels.ResetAsync(type, objectId, me.Id, ct) ? TypedResults.NoContent() : Problems.From(Errors.NotFound);

    /// <summary>Approved periods abroad (read-only: they are decided as telework requests in Work).</summary>
    public static async Task<Ok<IReadOnlyList<AbroadPeriodDto>>> AbroadPeriods(string? userId, AccessAdmin admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.AbroadPeriodsAsync(userId, ct));
}
