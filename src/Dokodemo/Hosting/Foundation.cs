using System.Globalization;
using System.Threading.RateLimiting;
using Dokodemo.Access;
using Dokodemo.Components;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Dokodemo.Hosting;

/// <summary>The host: data, UI shell, errors, headers, languages, health. Every capability plugs into it.</summary>
public static class Foundation
{
    public const string DefaultUrl = "http://localhost:5080";
    public const string LanguageCookie = "dokodemo.lang";
    public const string AuthRateLimit = "auth";

    public static void AddFoundation(this WebApplicationBuilder builder, DokodemoOptions options, DatabaseOptions database, bool listening)
    {
        var services = builder.Services;
        services.Configure<DokodemoOptions>(builder.Configuration.GetSection(DokodemoOptions.Section));
        services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));
        // Browser tests only: a clock moved by a file (Dokodemo:TestClock:File); never active otherwise.
        TestClock.TryRegister(builder, options);
        services.TryAddSingleton(TimeProvider.System);

        if (listening)
        {
            var urls = ConfigurationChecks.ConfiguredUrls(builder.Configuration).ToList();
            if (urls.Count == 0)
            {
                builder.WebHost.UseUrls(DefaultUrl);
                urls.Add(DefaultUrl);
            }

            ConfigurationChecks.CheckDemoBinding(options, urls);
        }

        // Serve wwwroot and framework assets from the build output too, not only in Development.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxRequestBody;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });

        AddDatabase(services, database);

        // The key ring lives in the database (every node shares it), encrypted with the key-encryption key (R40).
        services.AddDatabaseKeyRing(KeyEncryptionKey.Load(options, database));

        services.AddRazorComponents();
        // Japanese text goes out as UTF-8, not as &#x...; entities (smaller pages, readable source).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddOpenApi();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.AddCodes);
        // Bad JSON or parameters answer 400 (a ProblemDetails with a code, written by the status-code pages), in every environment.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ex => ex is BadHttpRequestException b ? b.StatusCode : 500);
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJson.Default);
        });
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        services.AddScoped<SchemaMigrator>();
        services.AddScoped<Demo.DemoTown>();
        services.AddScoped<Bootstrap>();

        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = new[] { new CultureInfo("ja-JP"), new CultureInfo("en") };
            o.DefaultRequestCulture = new RequestCulture("ja-JP");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = LanguageCookie },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });

        // R37: only the configured origins (none by default) may call the API from a browser; never "*".
        services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (options.Cors.AllowedOrigins.Count > 0)
            {
                p.WithOrigins([.. options.Cors.AllowedOrigins.Select(x => x.TrimEnd('/'))])
                    .AllowCredentials()
                    .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                    .WithHeaders("Content-Type", "Accept-Language", "RequestVerificationToken")
                    .WithExposedHeaders("Retry-After", "X-Total-Count")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }
        }));

        // R11 per client address, on every endpoint that names the policy (sign-in, code, passkey, enrolment, bootstrap and
        // their pages). Pages count only their form posts, not being shown. The per-account half is RateLimits.Account.
        services.AddSingleton<RateLimits>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AuthRateLimit, ctx =>
                !IsApi(ctx.Request.Path) && (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method))
                    ? RateLimitPartition.GetNoLimiter("page")
                    : RateLimitPartition.GetFixedWindowLimiter(RateLimits.AddressKey(ctx.RequestServices.GetRequiredService<RequestPlace>().Of(ctx).ClientIp),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = options.AuthRateLimitPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (ctx, ct) =>
            {
                var seconds = RateLimits.RetryAfterSeconds(ctx.Lease);
                ctx.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (!IsApi(ctx.HttpContext.Request.Path))
                {
                    // A page: the status-code page says it in the person's language.
                    return;
                }

                await Results.Problem(Problems.Create(Errors.RateLimited.Code, Errors.RateLimited.Status,
                    new Dictionary<string, object?> { ["retryAfter"] = seconds })).ExecuteAsync(ctx.HttpContext);
            };
        });
    }

    private static void AddDatabase(IServiceCollection services, DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Sqlite && SqliteFile(database) is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        }

        services.AddDbContextPool<AppDbContext>((sp, o) =>
        {
            switch (database.Provider)
            {
                case DatabaseProvider.Sqlite:
                    o.UseSqlite(database.ConnectionString);
                    o.AddInterceptors(new Data.SqlitePragmas(database.SqliteSynchronous, sp.GetService<ILoggerFactory>()?.CreateLogger<Data.SqlitePragmas>()));
                    break;
                case DatabaseProvider.Postgres:
                    o.UseNpgsql(NpgsqlConnectionString(database.ConnectionString));
                    break;
            }
        });
    }

    /// <summary>
    /// Npgsql's pool as the app uses it, for what the connection string does not set:
    /// <list type="bullet">
    /// <item>automatic preparation (Max Auto Prepare): the statements a connection runs often become server-side prepared
    /// statements, so PostgreSQL stops planning the same large queries (the booking checks, P6) on every request
    /// (Seats/README.md);</item>
    /// <item>no reset when a connection goes back to the pool (No Reset On Close): the app keeps no session state on a
    /// connection (no SET, LISTEN, temporary table or prepared statement of its own; its advisory locks are transaction
    /// locks, and the migrator releases its one session lock before it closes), and the reset was seven statements
    /// (CLOSE ALL … SET SESSION AUTHORIZATION DEFAULT) at every pooled open, 1.17 opens per post in P4.</item>
    /// </list>
    /// </summary>
    public static string NpgsqlConnectionString(string connectionString)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (b.MaxAutoPrepare == 0)
        {
            b.MaxAutoPrepare = 64;
        }

        // Npgsql's builder answers ContainsKey for every keyword it knows; the given text says whether it was set.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("NoResetOnClose", StringComparison.OrdinalIgnoreCase)))
        {
            b.NoResetOnClose = true;
        }

        return b.ConnectionString;
    }

    public static string? SqliteFile(DatabaseOptions database)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return null;
        }

        var b = new SqliteConnectionStringBuilder(database.ConnectionString);
        return string.IsNullOrEmpty(b.DataSource) || b.DataSource == ":memory:" || b.Mode == SqliteOpenMode.Memory ? null : b.DataSource;
    }

    public static void UseFoundation(this WebApplication app, DokodemoOptions options)
    {
        var https = options.PublicUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        app.UseMiddleware<SecurityHeaders>(https);
        app.Use(RefuseTrace);
        app.UseExceptionHandler();
        app.UseWhen(c => IsApi(c.Request.Path), a => a.UseStatusCodePages());
        app.UseWhen(c => !IsApi(c.Request.Path), a => a.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.Use(ShowStatusPageAsGet);
        // Routing after the status-code pages, so a re-executed /not-found is routed (and allowed) afresh.
        app.UseRouting();
        // After routing: an endpoint may declare a larger limit of its own (Talk's file uploads).
        app.Use(RefuseOversizedBodies);
        app.UseCors();
        app.UseRequestLocalization();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<CrossSiteRequests>(options);
        app.UseAntiforgery();
    }

    /// <summary>
    /// The status-code page is re-executed with the original method. For a refused form post (a bad antiforgery token,
    /// too many attempts) that would run the antiforgery check again on the page, over a form already found invalid,
    /// and fail with 500. The page is only shown, so it is shown as a GET.
    /// </summary>
    private static async Task ShowStatusPageAsGet(HttpContext context, RequestDelegate next)
    {
        var method = context.Request.Method;
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is null || HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            await next(context);
            return;
        }

        context.Request.Method = HttpMethods.Get;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Method = method;
        }
    }

    /// <summary>TRACE (and IIS's TRACK) would echo the request, cookies included, back to a script (R39).</summary>
    private static async Task RefuseTrace(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsTrace(context.Request.Method) || string.Equals(context.Request.Method, "TRACK", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            await Results.Problem(Problems.Create("request.method_not_allowed", 405)).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    public const long MaxRequestBody = 1024 * 1024;

    /// <summary>
    /// Kestrel enforces the body limit while reading; this also answers a declared oversize at once, with a code,
    /// whatever server runs the app.
    /// </summary>
    private static async Task RefuseOversizedBodies(HttpContext context, RequestDelegate next)
    {
        // An endpoint's own limit ([RequestSizeLimit] metadata) replaces the app's, for Kestrel too.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxRequestBody;
        if (limit != MaxRequestBody && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Results.Problem(Problems.Create("request.too_large", 413)).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static void MapFoundation(this WebApplication app, DokodemoOptions options)
    {
        app.MapStaticAssets().AllowAnonymous();
        var openApi = app.MapOpenApi("/openapi/{documentName}.json");
        if (options.IsDemo)
        {
            // In production the API description is for signed-in people only (R39).
            openApi.AllowAnonymous();
        }

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();

        // The language switch: a plain form post, so it works without JavaScript and before sign-in.
        app.MapPost("/language", SwitchLanguageAsync).AllowAnonymous().ExcludeFromDescription();

        app.MapRazorComponents<App>();
    }

    /// <summary>
    /// The browser keeps the choice in a cookie; a signed-in person's choice is also stored on their account, so that the
    /// mails the app sends them on its own speak it. Anything but "ja" or "en" is refused and changes nothing.
    /// </summary>
    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SwitchLanguageAsync([FromForm] string lang, [FromForm] string? returnUrl,
        HttpContext http, CurrentUser me, AppDbContext db)
    {
        if (!Languages.IsKnown(lang))
        {
            return Problems.From(Errors.LanguageUnknown);
        }

        if (me.IsSignedIn)
        {
            await db.Users.Where(u => u.Id == me.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Language, lang), http.RequestAborted);
        }

        http.Response.Cookies.Append(LanguageCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Languages.Culture(lang).Name)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true });
        return TypedResults.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    /// <summary>Only local paths: an open redirect would let a phishing link borrow our name.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/";

    /// <summary>
    /// Before serving: the database must be reachable; demo mode migrates and seeds it, production only
    /// checks it is migrated (the migrate command does that) and prints the bootstrap link if no administrator exists.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, DokodemoOptions options)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var dbOptions = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await EnsureReachableAsync(db, dbOptions);
        var migrator = sp.GetRequiredService<SchemaMigrator>();
        if (options.IsDemo)
        {
            await migrator.MigrateAsync();
        }
        else
        {
            var status = await migrator.GetStatusAsync();
            if (status.Pending.Count > 0)
            {
                throw new StartupException(
                    $"The database schema is at version {status.CurrentVersion} but this build needs {status.LatestVersion}: run 'Dokodemo migrate' (dotnet Dokodemo.dll migrate) first.");
            }
        }

        // A wrong key-encryption key stops the start here, not later as every form failing.
        await DataProtectionSetup.VerifyKeyRingAsync(db, sp.GetRequiredService<KeyEncryptionKey>());
        await sp.GetRequiredService<RoleSetup>().EnsureRolesAsync();
        if (options.IsDemo && options.SeedDemo)
        {
            await sp.GetRequiredService<Demo.DemoTown>().SeedAsync();
        }

        if (!options.IsDemo)
        {
            await sp.GetRequiredService<Bootstrap>().AnnounceIfNeededAsync();
        }
    }

    public static async Task EnsureReachableAsync(AppDbContext db, DatabaseOptions options)
    {
        try
        {
            await db.Database.OpenConnectionAsync();
            if (options.Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets readers go on while one writer writes; the setting is stored in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            await db.Database.CloseConnectionAsync();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new StartupException(options.Provider == DatabaseProvider.Postgres
                ? $"Cannot reach PostgreSQL ({DescribeTarget(options)}): {ex.Message.TrimEnd('.')}. Check Database:ConnectionString and that the server is running."
                : $"Cannot open the SQLite database ({DescribeTarget(options)}): {ex.Message.TrimEnd('.')}. Check Database:ConnectionString and that the folder is writable.");
        }
    }

    private static string DescribeTarget(DatabaseOptions options)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            return SqliteFile(options) ?? "in memory";
        }

        var b = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
        return $"host {b.Host}, port {b.Port}, database {b.Database}";
    }
}

/// <summary>/health/ready: the database answers and its schema is at this build's version.</summary>
public sealed class DatabaseReadyCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var status = await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().GetStatusAsync(cancellationToken);
            return status.Pending.Count == 0
                ? HealthCheckResult.Healthy($"schema {status.CurrentVersion}")
                : HealthCheckResult.Unhealthy($"schema {status.CurrentVersion} of {status.LatestVersion}");
        }
#pragma warning disable CA1031 // Any failure means "not ready"; the detail goes to the log, not to the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("database unreachable", ex);
        }
    }
}
