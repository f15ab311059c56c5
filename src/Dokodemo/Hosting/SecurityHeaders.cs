using System.Security.Cryptography;

namespace Dokodemo.Hosting;

/// <summary>
/// CSP with a per-request nonce, and the other headers of R34/R35, on every response including errors
/// and static files. Nothing is loaded from anywhere but this app (R48).
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, bool https)
{
    public const string NonceKey = "csp-nonce";

    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            h.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; " +
                "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h.XFrameOptions = "DENY";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Permissions-Policy"] = "camera=(self), geolocation=(), microphone=(), payment=()";
            if (https)
            {
                h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    public static string Nonce(HttpContext? context) => context?.Items[NonceKey] as string ?? "";
}
