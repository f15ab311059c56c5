using System.Text.Encodings.Web;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Authentication;
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
    IOptionsMonitor<SessionAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, Sessions sessions)
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

        var ticket = await sessions.FindAsync(token, Context.RequestAborted);
        if (ticket is not null)
        {
            Sessions.SetCurrent(Context, token);
        }

        return ticket is null
            ? AuthenticateResult.Fail("No live session for this cookie.")
            : AuthenticateResult.Success(new AuthenticationTicket(ticket.Principal, ticket.Properties, Scheme.Name));
    }

    protected override async Task HandleSignInAsync(System.Security.Claims.ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        await EndCurrentAsync();
        var ticket = new AuthenticationTicket(user, properties ?? new AuthenticationProperties(), Scheme.Name);
        var token = await sessions.StartAsync(ticket, Context, Context.RequestAborted);
        Context.Items[NewTokenKey] = token;
        Sessions.SetCurrent(Context, token);
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
        if (Foundation.IsApi(Request.Path))
        {
            Response.StatusCode = status;
            return Results.Problem(Problems.Create(code, status)).ExecuteAsync(Context);
        }

        var returnUrl = properties.RedirectUri ?? (Request.PathBase + Request.Path + Request.QueryString).ToString();
        Response.Redirect($"{page}?returnUrl={Uri.EscapeDataString(Foundation.SafeReturnUrl(returnUrl))}");
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
