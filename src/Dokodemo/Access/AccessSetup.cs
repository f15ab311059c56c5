using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Dokodemo.Access;

/// <summary>
/// What endpoints and pages declare: "access:{resource type}:{action for reads}:{action for writes}:{relation}".
/// Each becomes a question to the decision point (see <see cref="AccessPolicyProvider"/>); no policy decides by itself.
/// </summary>
public static class Policies
{
    /// <summary>Account administration: people, invitations, recovery, their sessions.</summary>
    public const string Admin = "access:admin.users:read:administer:none";

    /// <summary>The staff directory (the default policy lets staff read it, not outsiders).</summary>
    public const string Insider = "access:directory:read:read:none";

    /// <summary>The caller's own account: profile, sessions, devices, passkeys.</summary>
    public const string Self = "access:self:read:update:self";

    /// <summary>The device inventory.</summary>
    public const string Devices = "access:admin.devices:read:administer:none";

    /// <summary>The access policy, labels and country periods.</summary>
    public const string AccessPolicy = "access:admin.policy:read:administer:none";

    /// <summary>The audit log.</summary>
    public const string Audit = "access:audit:read:administer:none";

    /// <summary>The app's general pages: what every endpoint without a declaration gets (the fallback).</summary>
    public const string App = "access:app:read:read:none";

    /// <summary>Only "is signed in": for ending one's own session, which must work even when everything else is refused.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>The audit log's exports (CSV, the auditors' bundle): data leaves the app (R49: from a registered device).</summary>
    public const string AuditExport = "access:audit:export:export:none";

    /// <summary>The audit log for security administrators and administrators (the decision point decides who).</summary>
    public const string Security = Audit;
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
            // It also carries a passkey ceremony's state (Identity's SignInManager keeps it there): no sliding renewal.
            c.SlidingExpiration = false;
        });
        services.AddSingleton<Sessions>();
        services.AddAuditTrail(builder.Configuration);

        // Zero trust: every request is decided by the policy over subject, device, context and resource.
        services.Configure<AccessOptions>(builder.Configuration.GetSection(AccessOptions.Section));
        if (options.IsDemo)
        {
            // The demo runs on loopback: treat it as the town hall's network so the administration pages can be tried.
            services.PostConfigure<AccessOptions>(o =>
            {
                if (o.TownNetworks.Count == 0)
                {
                    o.TownNetworks.AddRange(["127.0.0.0/8", "::1/128"]);
                }
            });
        }

        services.AddSingleton<RequestPlace>();
        services.AddSingleton<TownClock>();
        services.AddSingleton<Devices>();
        services.AddSingleton<Subjects>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<Labels>();
        services.AddSingleton<AccessEvaluator>();
        services.AddSingleton<IAuthorizationHandler, AccessHandler>();
        services.AddSingleton<IAuthorizationPolicyProvider, AccessPolicyProvider>();
        services.AddScoped<AccessCheck>();
        services.AddScoped<AccessAdmin>();
        services.AddScoped<Admin.PeopleAdmin>();

        services.AddAuthorizationBuilder()
            // Deny by default (R01): every endpoint needs a signed-in person unless it says AllowAnonymous, and an
            // endpoint that declares nothing is still decided by the policy, as the app's general pages.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(AccessPolicyProvider.Parse(Policies.App)).Build())
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser());

        services.AddScoped<CurrentUser>();
        services.AddScoped<SignIn>();
        services.AddScoped<Enrolment>();
        services.AddScoped<UserAdmin>();
        services.AddScoped<RoleSetup>();
        services.AddScoped<Personas>();
        // Passkeys (item 1 of the Access issue) and an administrator's lost-factor recovery.
        builder.AddPasskeys(options);
    }

    public static void MapAccess(this WebApplication app)
    {
        app.MapAuthApi();
        app.MapSessionsApi();
        app.MapDevicesApi();
        app.MapAccessAdminApi();
        Admin.PeopleAdminApi.MapPeopleAdminApi(app);
        app.MapPasskeysApi();
        app.MapRecoveryApi();
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
