using Dokodemo.Access;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Admin;

public sealed record CreateUserRequest(string? Email, string? Name, string? Kana, string? Kind, string? Department, string? Section, string? Title, IReadOnlyList<string>? Roles, DateOnly? ContractEnd);

/// <summary>Administrators add people (an invite link comes back), list them and disable them.</summary>
public static class UsersApi
{
    public static void AddAdmin(this WebApplicationBuilder builder) => builder.Services.AddScoped<Cli.StaffImport>();

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("", List);
        group.MapPost("", Create);
        group.MapPost("/{id}/disable", Disable);
        group.MapPost("/{id}/enable", Enable);
        group.MapPost("/{id}/invite", Reinvite);
        return group;
    }

    public static async Task<Ok<IReadOnlyList<UserSummary>>> List(UserAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(ct));

    public static async Task<Results<Created<InviteLink>, ProblemHttpResult>> Create(CreateUserRequest request, UserAdmin admin, CurrentUser me, RateLimits limits, CancellationToken ct)
    {
        if (limits.Account(LimitedAction.Invitation, me.Id) is { } limited)
        {
            return Problems.From(limited);
        }

        if (!AccountKinds.TryParse(request.Kind ?? "Staff", out var kind))
        {
            return Problems.From(Errors.Field("user.kind_unknown", "kind"));
        }

        var result = await admin.AddAsync(new NewUser(request.Email ?? "", request.Name ?? "", kind, request.Department ?? "", request.Section,
            request.Roles ?? [], request.Title ?? "", request.ContractEnd, request.Kana ?? ""), me.Id, ct);
        return result.Ok ? TypedResults.Created($"/api/v1/users/{result.Value!.UserId}", result.Value) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Disable(string id, UserAdmin admin, CurrentUser me, CancellationToken ct)
    {
        if (id == me.Id)
        {
            return Problems.From(new Error("user.cannot_disable_self", 409));
        }

        var result = await admin.DisableAsync(id, me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> Enable(string id, UserAdmin admin, CurrentUser me, CancellationToken ct)
    {
        var result = await admin.EnableAsync(id, me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<InviteLink>, ProblemHttpResult>> Reinvite(string id, UserAdmin admin, AppUserManager users, CurrentUser me, RateLimits limits, CancellationToken ct)
    {
        if (limits.Account(LimitedAction.Invitation, me.Id) is { } limited)
        {
            return Problems.From(limited);
        }

        var user = await users.FindByIdAsync(id);
        if (user is null || user.IsDisabled)
        {
            return Problems.From(Errors.NotFound);
        }

        if (user.TwoFactorEnabled)
        {
            return Problems.From(new Error("user.already_enrolled", 409));
        }

        return TypedResults.Ok(await admin.IssueInviteAsync(user, me.Id, ct));
    }
}
