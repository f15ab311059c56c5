using System.Net;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

public sealed record Persona(string Key, string Email);

/// <summary>
/// Demo only: sign in as a fictional person without a password, and only from loopback.
/// In production these are never offered and the endpoint answers 404.
/// </summary>
public sealed class Personas(AppUserManager users, AppSignInManager signIn, IOptions<DokodemoOptions> options, AuditLog audit)
{
    public static readonly IReadOnlyList<Persona> All =
    [
        new("staff", "sato.misaki@dokodemo.example"),
        new("manager", "takahashi.kenichi@dokodemo.example"),
        new("dx", "nakamura.sakura@dokodemo.example"),
        new("security", "ito.makoto@dokodemo.example"),
        new("sidejob", "kobayashi.aoi@dokodemo.example"),
        new("hr", "morita.naoko@dokodemo.example"),
    ];

    public static bool IsAvailable(DokodemoOptions options, HttpContext http) =>
        options.IsDemo && http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);

    public async Task<bool> SignInAsync(string key, HttpContext http)
    {
        if (!IsAvailable(options.Value, http) || All.FirstOrDefault(p => p.Key == key) is not { } persona)
        {
            return false;
        }

        var user = await users.FindByEmailAsync(persona.Email);
        if (user is null || !await signIn.CanSignInAsync(user))
        {
            return false;
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new(AppClaims.AuthMethod, "persona")]);
        await audit.WriteAsync("auth.signin", AuditOutcome.Success, actorId: user.Id, details: new Dictionary<string, string?> { ["method"] = "persona" });
        return true;
    }
}

/// <summary>Form posts that need no page of their own.</summary>
public static class AccessForms
{
    public static void MapAccessForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/signin/persona", async ([FromForm] string persona, Personas personas, HttpContext http) =>
            await personas.SignInAsync(persona, http) ? Results.LocalRedirect("/") : Results.NotFound())
            .AllowAnonymous().RequireRateLimiting(Foundation.AuthRateLimit).ExcludeFromDescription();

        app.MapPost("/signout", async (SignIn signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/signin");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
    }
}
