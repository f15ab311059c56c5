using Dokodemo.Shared;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Primitives;

namespace Dokodemo.Hosting;

/// <summary>
/// R36: no state-changing request on someone's behalf from another site, whatever the method (DELETE included).
/// <list type="bullet">
/// <item>JSON API (<c>/api/**</c>), every method but GET/HEAD/OPTIONS: a browser says where a request comes from.
/// An <c>Origin</c> header must be this app's own origin (or one in <c>Dokodemo:Cors:AllowedOrigins</c>); without
/// <c>Origin</c>, <c>Sec-Fetch-Site</c> must be <c>same-origin</c> or <c>none</c>. A request with neither header and with a
/// cookie must carry a valid antiforgery token in the <c>RequestVerificationToken</c> header. Refused: 403, <c>csrf.failed</c>.</item>
/// <item>Pages and forms: antiforgery tokens. The framework checks POST, PUT and PATCH on endpoints that ask for it;
/// this checks every other unsafe method (DELETE …) and endpoints that did not ask, unless they opted out explicitly.
/// Refused: 400, like the framework's own refusal.</item>
/// </list>
/// </summary>
public sealed class CrossSiteRequests(RequestDelegate next, DokodemoOptions options, IAntiforgery antiforgery, ILogger<CrossSiteRequests> logger)
{
    private readonly string publicOrigin = new Uri(options.PublicUrl).GetLeftPart(UriPartial.Authority);
    private readonly HashSet<string> allowed = options.Cors.AllowedOrigins.Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
        {
            await next(context);
            return;
        }

        if (Foundation.IsApi(context.Request.Path))
        {
            if (!await ApiRequestIsOwnAsync(context))
            {
                logger.LogWarning("Cross-site {Method} {Path} refused (Origin {Origin}, Sec-Fetch-Site {Site})", method, context.Request.Path,
                    Clip(context.Request.Headers.Origin), Clip(context.Request.Headers["Sec-Fetch-Site"]));
                await Results.Problem(Problems.Create(Errors.CsrfFailed.Code, Errors.CsrfFailed.Status)).ExecuteAsync(context);
                return;
            }
        }
        else if (NeedsTokenCheckHere(context, method) && !await antiforgery.IsRequestValidAsync(context))
        {
            logger.LogWarning("{Method} {Path} without a valid antiforgery token refused", method, context.Request.Path);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await next(context);
    }

    private async Task<bool> ApiRequestIsOwnAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var origin = headers.Origin;
        if (!StringValues.IsNullOrEmpty(origin))
        {
            // "null" (sandboxed frames, privacy redirects) is never ours.
            var value = origin.ToString();
            return value == publicOrigin || value == $"{context.Request.Scheme}://{context.Request.Host}" || allowed.Contains(value);
        }

        var site = headers["Sec-Fetch-Site"];
        if (!StringValues.IsNullOrEmpty(site))
        {
            return site == "same-origin" || site == "none";
        }

        // No word from a browser. Without a cookie nothing rides along, so nothing can be forged; with one, the caller
        // proves it read one of our pages. Current browsers always send Origin on these methods, so this is for scripts.
        return headers.Cookie.Count == 0 || await antiforgery.IsRequestValidAsync(context);
    }

    private static bool NeedsTokenCheckHere(HttpContext context, string method)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>();
        if (metadata is { RequiresValidation: false })
        {
            return false;
        }

        // UseAntiforgery checks these itself on endpoints that carry the metadata.
        var frameworkChecks = metadata is { RequiresValidation: true }
            && (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method));
        return !frameworkChecks;
    }

    private static string Clip(StringValues value)
    {
        var s = value.ToString();
        return s.Length > 100 ? s[..100] : s;
    }
}
