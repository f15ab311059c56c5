using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Dokodemo.Access;

/// <summary>Named authorization policies. Until the Access decision point lands, these are the one place that decides.</summary>
public static class Policies
{
    /// <summary>Administrators: users, invites.</summary>
    public const string Admin = "admin";

    /// <summary>Town staff (not side-job workers or partners): the whole directory.</summary>
    public const string Insider = "insider";

    /// <summary>Security administrators (情報セキュリティ管理者) and administrators: the audit log.</summary>
    public const string Security = "security";
}

public static class AccessSetup
{

    public static void AddAccess(this WebApplicationBuilder builder, DokodemoOptions options)
    {
        var services = builder.Services;
        services.AddIdentity<AppUser, AppRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Password.RequiredLength = PasswordPolicy.MinimumLength;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = AppUserManager.FirstLockout;
                o.Tokens.AuthenticatorTokenProvider = TotpTokenProvider.ProviderName;
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserManager<AppUserManager>()
            .AddSignInManager<AppSignInManager>()
            .AddClaimsPrincipalFactory<AppClaimsFactory>()
            .AddPasswordValidator<PolicyPasswordValidator>()
            .AddTokenProvider<TotpTokenProvider>(TotpTokenProvider.ProviderName);


        var https = options.PublicUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        // The application scheme is our session handler instead of Identity's ticket-in-a-cookie (see SessionAuthentication.cs).
        services.Configure<AuthenticationOptions>(o => o.SchemeMap[IdentityConstants.ApplicationScheme].HandlerType = typeof(SessionAuthenticationHandler));
        services.Configure<SessionAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            o.CookieName = https ? "__Host-dokodemo" : "dokodemo.session";
            o.SecureOnly = https;
        });
        services.ConfigureExternalCookie(c => c.Cookie.Name = "dokodemo.external");
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, c =>
        {
            c.Cookie.Name = https ? "__Host-dokodemo.2fa" : "dokodemo.2fa";
            c.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            c.Cookie.HttpOnly = true;
            c.Cookie.SameSite = SameSiteMode.Lax;
            c.ExpireTimeSpan = TimeSpan.FromMinutes(5);
        });
        services.AddSingleton<Sessions>();
        services.AddAuditTrail(builder.Configuration);

        services.AddAuthorizationBuilder()
            // Deny by default (R01): every endpoint needs a signed-in person unless it says AllowAnonymous.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.Security, p => p.RequireAuthenticatedUser().RequireRole(Roles.SecurityAdmin, Roles.Admin))
            .AddPolicy(Policies.Insider, p => p.RequireAuthenticatedUser().RequireAssertion(ctx =>
                ctx.User.FindFirst(AppClaims.Kind)?.Value is nameof(AccountKind.Staff) or nameof(AccountKind.PartTimeStaff)));

        services.AddScoped<CurrentUser>();
        services.AddScoped<SignIn>();
        services.AddScoped<Enrolment>();
        services.AddScoped<UserAdmin>();
        services.AddScoped<RoleSetup>();
        services.AddScoped<Personas>();
    }

    public static void MapAccess(this WebApplication app)
    {
        app.MapAuthApi();
        app.MapSessionsApi();
        app.MapAuditApi();
        app.MapAccessForms();
    }
}

/// <summary>The six roles always exist, in demo and production alike.</summary>
public sealed class RoleSetup(RoleManager<AppRole> roles)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var name in Roles.All)
        {
            if (!await roles.RoleExistsAsync(name))
            {
                await roles.CreateAsync(new AppRole(name));
            }
        }
    }
}
