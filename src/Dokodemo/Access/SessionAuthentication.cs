using System.Text.Encodings.Web;
using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Authentication;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

public sealed class SessionAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>__Host-dokodemo over https (R16); plain-http loopback (demo, tests) cannot carry the __Host- prefix.</summary>
    public string CookieName { get; set; } = "dokodemo.session";
    public bool SecureOnly { get; set; }
    public string SignInPath { get; set; } = "/signin";
    public string DeniedPath { get; set; } = "/denied";
}

/// <summary>
/// The application's sign-in scheme (Identity's "Identity.Application"). The cookie is an opaque session token
/// looked up in <see cref="Sessions"/>: no ticket travels to the browser, and each request costs a cache lookup,
/// not a decryption. Every sign-in starts a new session and ends the one the request came with (R17).
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<SessionAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, Sessions sessions, Devices devices, TimeProvider clock)
    : SignInAuthenticationHandler<SessionAuthenticationOptions>(options, logger, encoder)
{
    private const string NewTokenKey = "dokodemo:session-token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Context.Items[NewTokenKey] as string ?? Request.Cookies[Options.CookieName];
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var found = await sessions.FindAsync(token, Context.RequestAborted);
        if (found is not { } live)
        {
            return AuthenticateResult.Fail("No live session for this cookie.");
        }

        Sessions.SetCurrent(Context, live.Info);
        return AuthenticateResult.Success(new AuthenticationTicket(live.Ticket.Principal, live.Ticket.Properties, Scheme.Name));
    }

    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        await EndCurrentAsync();
        var ticket = new AuthenticationTicket(user, properties ?? new AuthenticationProperties(), Scheme.Name);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A session needs a user.");
        var deviceId = await devices.ForSignInAsync(userId, Context, Options.SecureOnly, Context.RequestAborted);
        var token = await sessions.StartAsync(ticket, Context, deviceId, Context.RequestAborted);
        Context.Items[NewTokenKey] = token;
        Sessions.SetCurrent(Context, new SessionInfo(Sessions.IdOf(token), deviceId, clock.GetUtcNow(), user.FindFirstValue(AppClaims.AuthMethod) ?? ""));
        Response.Cookies.Append(Options.CookieName, token, CookieOptions());
    }

    protected override async Task HandleSignOutAsync(AuthenticationProperties? properties)
    {
        await EndCurrentAsync();
        Response.Cookies.Delete(Options.CookieName, CookieOptions());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Refuse(properties, Options.SignInPath, "unauthenticated", StatusCodes.Status401Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Refuse(properties, Options.DeniedPath, "forbidden", StatusCodes.Status403Forbidden);

    private async Task EndCurrentAsync()
    {
        var current = Context.Items[NewTokenKey] as string ?? Request.Cookies[Options.CookieName];
        Context.Items.Remove(NewTokenKey);
        if (!string.IsNullOrEmpty(current))
        {
            await sessions.EndAsync(current, Context.RequestAborted);
        }
    }

    private Task Refuse(AuthenticationProperties properties, string page, string code, int status)
    {
        // A refusal by the decision point says why and what to do (on the page and in the API's ProblemDetails).
        var decision = Context.Items[AccessEvaluator.DecisionKey] as Decision?;
        if (Foundation.IsApi(Request.Path))
        {
            Response.StatusCode = status;
            if (decision is { } d && status == StatusCodes.Status403Forbidden)
            {
                return Results.Problem(Problems.Create(d.Verdict == Verdict.StepUp ? "access.step_up" : "access.denied", status, new Dictionary<string, object?>
                {
                    ["reason"] = d.Reason.ToString(),
                    ["reasonText"] = Text.T("access.reason." + d.Reason),
                    ["remedy"] = d.Remedy.ToString(),
                    ["remedyText"] = Text.T("access.remedy." + d.Remedy),
                    ["rule"] = d.Rule?.Id,
                    ["policyVersion"] = d.PolicyVersion,
                })).ExecuteAsync(Context);
            }

            return Results.Problem(Problems.Create(code, status)).ExecuteAsync(Context);
        }

        var returnUrl = Uri.EscapeDataString(Foundation.SafeReturnUrl(properties.RedirectUri ?? (Request.PathBase + Request.Path + Request.QueryString).ToString()));
        Response.Redirect(decision is { } denied && status == StatusCodes.Status403Forbidden
            ? $"{page}?reason={denied.Reason}&remedy={denied.Remedy}&verdict={(denied.Verdict == Verdict.StepUp ? "step_up" : "deny")}&returnUrl={returnUrl}"
            : $"{page}?returnUrl={returnUrl}");
        return Task.CompletedTask;
    }

    private CookieOptions CookieOptions() => new()
    {
        HttpOnly = true,
        Secure = Options.SecureOnly || Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };
}
