using System.Text;
using System.Text.Json;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Access;

public sealed record PasskeyNameRequest(string? Name);

/// <summary>
/// Passkeys over JSON. The options endpoints return WebAuthn's own JSON (PublicKeyCredentialCreationOptionsJSON /
/// PublicKeyCredentialRequestOptionsJSON) for navigator.credentials.create() / get(); the finishing endpoints take the
/// browser's PublicKeyCredential serialised as JSON (its toJSON()). The account and sign-in pages' script uses the same.
/// </summary>
public static class PasskeysApi
{
    public static void MapPasskeysApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth/passkey").WithTags("Passkeys").AllowAnonymous().RequireRateLimiting(Foundation.AuthRateLimit);
        auth.MapPost("/options", SignInOptions);
        auth.MapPost("", SignIn);

        var mine = app.MapGroup("/api/v1/me/passkeys").WithTags("Passkeys").RequireAuthorization(Policies.Self);
        mine.MapGet("", List);
        mine.MapPost("/options", CreationOptions).RequireRateLimiting(Foundation.AuthRateLimit);
        mine.MapPost("", Register).RequireRateLimiting(Foundation.AuthRateLimit);
        mine.MapPatch("/{id}", Rename);
        mine.MapDelete("/{id}", Remove);
    }

    /// <summary>Username-less: the same kind of options for everyone, so the answer says nothing about any account (R07).</summary>
    public static async Task<ContentHttpResult> SignInOptions(Passkeys passkeys) =>
        TypedResults.Content(await passkeys.SignInOptionsAsync(), "application/json", Encoding.UTF8);

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignIn(HttpRequest request, Passkeys passkeys)
    {
        if (!request.HasJsonContentType())
        {
            return Problems.From(new Error("request.unsupported_media_type", 415));
        }

        var result = await passkeys.SignInAsync(await ReadBodyAsync(request));
        return result.Ok ? TypedResults.Ok(new SignInResponse("done")) : Problems.From(result.Error!);
    }

    public static async Task<Ok<IReadOnlyList<PasskeyDto>>> List(CurrentUser me, Passkeys passkeys, CancellationToken ct) =>
        TypedResults.Ok(await passkeys.ListAsync(me.Id, ct));

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> CreationOptions(CurrentUser me, Passkeys passkeys)
    {
        var result = await passkeys.CreationOptionsAsync(me.Id);
        return result.Ok ? TypedResults.Content(result.Value!, "application/json", Encoding.UTF8) : Problems.From(result.Error!);
    }

    /// <summary>Body: <c>{"name": "…", "credential": {…the browser's PublicKeyCredential JSON…}}</c>.</summary>
    public static async Task<Results<Created<PasskeyDto>, ProblemHttpResult>> Register(HttpRequest request, CurrentUser me, Passkeys passkeys)
    {
        if (!request.HasJsonContentType())
        {
            return Problems.From(new Error("request.unsupported_media_type", 415));
        }

        // Read by hand, not bound: a malformed body is a refused ceremony and is audited like one.
        var body = await ReadBodyAsync(request);
        string? name = null;
        string? credential = null;
        try
        {
            using var doc = JsonDocument.Parse(body ?? "");
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                {
                    name = n.GetString();
                }

                if (doc.RootElement.TryGetProperty("credential", out var c))
                {
                    credential = c.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
            credential = null;
        }

        var result = await passkeys.RegisterAsync(me.Id, name, credential);
        return result.Ok ? TypedResults.Created($"/api/v1/me/passkeys/{result.Value!.Id}", result.Value) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<PasskeyDto>, ProblemHttpResult>> Rename(string id, PasskeyNameRequest request, CurrentUser me, Passkeys passkeys)
    {
        var result = await passkeys.RenameAsync(me.Id, id, request.Name);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(string id, CurrentUser me, Passkeys passkeys)
    {
        var result = await passkeys.RemoveAsync(me.Id, id);
        return result.Ok ? TypedResults.NoContent() : Problems.From(result.Error!);
    }

    /// <summary>The body as text, or null when it is longer than any real credential.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        var buffer = new char[Passkeys.MaxCredentialJson + 2];
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(total), request.HttpContext.RequestAborted)) > 0)
        {
            total += read;
        }

        return total > Passkeys.MaxCredentialJson ? null : new string(buffer, 0, total);
    }
}
