using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Access;

public sealed record PasswordRequest(string? Email, string? Password);
public sealed record CodeRequest(string? Code);
public sealed record SignInResponse(string Next);
public sealed record MeResponse(string Id, string Email, string DisplayName, string Kind, int DepartmentId, int? SectionId, IReadOnlyList<string> Roles);
public sealed record EnrolmentStateResponse(string DisplayName, string Email, bool PasswordSet);
public sealed record SetPasswordRequest(string? Password);
public sealed record AuthenticatorResponse(string Secret, string OtpAuthUri);
public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
public sealed record BootstrapRequest(string? Name, string? Email, string? Department);
public sealed record BootstrapResponse(string EnrolmentUrl, DateTimeOffset ExpiresAt);

/// <summary>Sign-in and enrolment over JSON, so scripts and native apps need no browser.</summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Auth");
        auth.MapPost("/password", Password).AllowAnonymous().RequireRateLimiting(Foundation.AuthRateLimit);
        auth.MapPost("/totp", Code).AllowAnonymous().RequireRateLimiting(Foundation.AuthRateLimit);
        auth.MapPost("/signout", SignOut).RequireAuthorization(Policies.SignedIn);
        app.MapGet("/api/v1/me", Me).WithTags("Auth").RequireAuthorization(Policies.Self);

        var enrol = app.MapGroup("/api/v1/enrollment/{token}").WithTags("Enrolment").AllowAnonymous().RequireRateLimiting(Foundation.AuthRateLimit);
        enrol.MapGet("", GetEnrolment);
        enrol.MapPost("", SetPassword);
        enrol.MapPost("/confirm", Confirm);

        app.MapPost("/api/v1/bootstrap/{token}", BootstrapAdmin).WithTags("Enrolment").AllowAnonymous().RequireRateLimiting(Foundation.AuthRateLimit);
        return auth;
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> Password(PasswordRequest request, SignIn signIn)
    {
        var result = await signIn.PasswordAsync(request.Email, request.Password);
        return result.Ok ? TypedResults.Ok(new SignInResponse("totp")) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> Code(CodeRequest request, SignIn signIn)
    {
        var result = await signIn.CodeAsync(request.Code);
        return result.Ok ? TypedResults.Ok(new SignInResponse("done")) : Problems.From(result.Error!);
    }

    public static async Task<NoContent> SignOut(SignIn signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> Me(CurrentUser me, AppUserManager users)
    {
        var user = await users.FindByIdAsync(me.Id);
        if (user is null)
        {
            return Problems.From(Errors.Unauthenticated);
        }

        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new MeResponse(user.Id, user.Email ?? "", user.DisplayName, user.Kind.ToString(), user.DepartmentId, user.SectionId, roles));
    }

    public static async Task<Results<Ok<EnrolmentStateResponse>, ProblemHttpResult>> GetEnrolment(string token, Enrolment enrolment)
    {
        var state = await enrolment.GetStateAsync(token);
        return state.Ok
            ? TypedResults.Ok(new EnrolmentStateResponse(state.Value!.DisplayName, state.Value.Email, state.Value.PasswordSet))
            : Problems.From(state.Error!);
    }

    public static async Task<Results<Ok<AuthenticatorResponse>, ProblemHttpResult>> SetPassword(string token, SetPasswordRequest request, Enrolment enrolment)
    {
        var result = await enrolment.SetPasswordAsync(token, request.Password);
        return result.Ok
            ? TypedResults.Ok(new AuthenticatorResponse(result.Value!.Secret.Replace(" ", "", StringComparison.Ordinal), result.Value.OtpAuthUri))
            : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult>> Confirm(string token, CodeRequest request, Enrolment enrolment)
    {
        var result = await enrolment.ConfirmAsync(token, request.Code, signInNow: true);
        return result.Ok ? TypedResults.Ok(new RecoveryCodesResponse(result.Value!)) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<BootstrapResponse>, ProblemHttpResult>> BootstrapAdmin(string token, BootstrapRequest request, Bootstrap bootstrap)
    {
        var result = await bootstrap.CreateAdministratorAsync(token, request.Name, request.Email, request.Department);
        return result.Ok ? TypedResults.Ok(new BootstrapResponse(result.Value!.Url, result.Value.ExpiresAt)) : Problems.From(result.Error!);
    }
}
