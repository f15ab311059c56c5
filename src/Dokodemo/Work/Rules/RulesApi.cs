using Dokodemo.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Work.Rules;

public sealed record RulesView(RuleParameters Parameters, IReadOnlyList<DesignationDto> Designations, IReadOnlyList<AgreementDto> Agreements);

/// <summary>/api/v1/work/rules (the town's rule settings) and /api/v1/work/special-duties (HR: 特例業務 and their analyses).</summary>
public static class RulesApi
{
    /// <summary>Insiders read the town's rules; HR and administrators change them.</summary>
    public const string SettingsPolicy = "access:work.settings:read:administer:none";

    /// <summary>特例業務 names people and months: HR only (the policy's work.time rule for HR).</summary>
    public const string SpecialDutyPolicy = "access:work.time:administer:administer:none";

    public static void MapRulesApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/v1/work/rules").WithTags("Work rules").RequireAuthorization(SettingsPolicy);
        rules.MapGet("", Get);
        rules.MapPut("/parameters", SaveParameters);
        rules.MapPost("/designations", AddDesignation);
        rules.MapDelete("/designations/{id:int}", RemoveDesignation);
        rules.MapPost("/agreements", AddAgreement);
        rules.MapDelete("/agreements/{id:int}", RemoveAgreement);

        var duty = app.MapGroup("/api/v1/work/special-duties").WithTags("Work rules").RequireAuthorization(SpecialDutyPolicy);
        duty.MapGet("", SpecialDuties);
        duty.MapPost("", AddSpecialDuty);
        duty.MapPost("/{id:int}/analysis", Analyse);
    }

    public static async Task<Ok<RulesView>> Get(WorkRules rules, CancellationToken ct) =>
        TypedResults.Ok(new RulesView(await rules.ParametersAsync(ct), await rules.DesignationsAsync(ct), await rules.AgreementsAsync(ct)));

    public static async Task<Results<Ok<RuleParameters>, ProblemHttpResult>> SaveParameters(RuleParameters parameters, WorkRules rules, CurrentUser me, CancellationToken ct) =>
        Reply(await rules.SaveParametersAsync(parameters, me.Id, ct));

    public static async Task<Results<Ok<DesignationDto>, ProblemHttpResult>> AddDesignation(DesignationRequest request, WorkRules rules, CurrentUser me, CancellationToken ct) =>
        Reply(await rules.AddDesignationAsync(request, me.Id, ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveDesignation(int id, WorkRules rules, CurrentUser me, CancellationToken ct) =>
        await rules.RemoveDesignationAsync(id, me.Id, ct) ? TypedResults.NoContent() : Problems.From(Errors.NotFound);

    public static async Task<Results<Ok<AgreementDto>, ProblemHttpResult>> AddAgreement(AgreementRequest request, WorkRules rules, CurrentUser me, CancellationToken ct) =>
        Reply(await rules.AddAgreementAsync(request, me.Id, ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAgreement(int id, WorkRules rules, CurrentUser me, CancellationToken ct) =>
        await rules.RemoveAgreementAsync(id, me.Id, ct) ? TypedResults.NoContent() : Problems.From(Errors.NotFound);

    public static async Task<Ok<IReadOnlyList<SpecialDutyDto>>> SpecialDuties(string? person, WorkRules rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.SpecialDutiesAsync(person, ct));

    public static async Task<Results<Ok<SpecialDutyDto>, ProblemHttpResult>> AddSpecialDuty(SpecialDutyRequest request, WorkRules rules, CurrentUser me, CancellationToken ct) =>
        Reply(await rules.AddSpecialDutyAsync(request, me.Id, ct));

    public static async Task<Results<Ok<SpecialDutyDto>, ProblemHttpResult>> Analyse(int id, AnalysisRequest request, WorkRules rules, CurrentUser me, CancellationToken ct) =>
        Reply(await rules.AnalyseAsync(id, request.Analysis, me.Id, ct));

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) => result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
}
