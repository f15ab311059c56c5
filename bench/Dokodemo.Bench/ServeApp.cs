using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dokodemo.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dokodemo.Bench;

/// <summary>
/// The P1 access-check A/B: the app hosted with <see cref="WebApplicationFactory{TEntryPoint}"/> on real Kestrel, configured
/// by the same environment variables as the published app. Variant <c>full</c> is the app unchanged; variant
/// <c>trivial-allow</c> replaces the app's <see cref="AccessHandler"/> by <see cref="TrivialAllowHandler"/>. Nothing in the
/// product changes: the swap is a service registration made here.
/// </summary>
public sealed class ServeApp(bool trivialAllow, Action<IServiceCollection>? extra = null) : WebApplicationFactory<Program>
{
    public const string Full = "full";
    public const string TrivialAllow = "trivial-allow";

    /// <summary>How many AccessHandler registrations the trivial-allow variant removed (must be exactly one).</summary>
    public int Removed { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // WebApplicationFactory defaults to Development; the published app runs as Production.
        builder.UseEnvironment(Environments.Production);
        if (extra is not null)
        {
            // Bench-only additions that change nothing the app does (P6: a request timer in front of the pipeline).
            builder.ConfigureServices(extra);
        }

        if (!trivialAllow)
        {
            return;
        }

        builder.ConfigureServices(services =>
        {
            for (var i = services.Count - 1; i >= 0; i--)
            {
                if (services[i].ServiceType == typeof(IAuthorizationHandler) && services[i].ImplementationType == typeof(AccessHandler))
                {
                    services.RemoveAt(i);
                    Removed++;
                }
            }

            if (Removed != 1)
            {
                throw new InvalidOperationException($"expected one AccessHandler registration to replace, found {Removed.ToString(CultureInfo.InvariantCulture)}");
            }

            services.AddSingleton<IAuthorizationHandler, TrivialAllowHandler>();
        });
    }

    /// <summary>
    /// dotnet Dokodemo.Bench.dll serve --variant full|trivial-allow [--parent PID]. Listens on the port of ASPNETCORE_URLS
    /// (127.0.0.1 only) until it is killed or stopped (SIGTERM), its parent exits, or 30 minutes pass.
    /// </summary>
    public static async Task<int> RunAsync(string variant, int? parentPid)
    {
        if (variant is not (Full or TrivialAllow))
        {
            await Console.Error.WriteLineAsync($"unknown variant '{variant}' (full or trivial-allow)");
            return 2;
        }

        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? throw new InvalidOperationException("set ASPNETCORE_URLS to http://127.0.0.1:<port>");
        var url = new Uri(urls.Split(';')[0]);
        if (!url.IsLoopback)
        {
            throw new InvalidOperationException("the bench serves on loopback only");
        }

        // The app's content root is the folder beside its binary (Program sets it); say so, or the factory looks for a
        // solution folder above the bench's output and fails when the bench runs from a temporary folder.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_DOKODEMO", AppContext.BaseDirectory);
        await using var app = new ServeApp(variant == TrivialAllow);
        app.UseKestrel(k => k.Listen(IPAddress.Loopback, url.Port));
        app.StartServer();

        var environment = app.Services.GetRequiredService<IHostEnvironment>().EnvironmentName;
        var handlers = app.Services.GetServices<IAuthorizationHandler>().Select(h => h.GetType().Name).ToList();
        var hasAccess = handlers.Contains(nameof(AccessHandler));
        var hasTrivial = handlers.Contains(nameof(TrivialAllowHandler));
        if (hasAccess == hasTrivial || hasTrivial != (variant == TrivialAllow) || environment != Environments.Production)
        {
            throw new InvalidOperationException($"variant {variant} is not what it should be: environment {environment}, authorization handlers {string.Join(", ", handlers)}");
        }

        Console.WriteLine($"serving variant {variant} on {url} ({environment}); authorization handlers: {string.Join(", ", handlers)}");
        // SIGTERM / Ctrl+C stop the host; stop then too.
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromMinutes(30) && !stopping.IsCancellationRequested && ParentAlive(parentPid))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return 0;
    }

    private static bool ParentAlive(int? pid)
    {
        if (pid is not { } p)
        {
            return true;
        }

        try
        {
            using var parent = Process.GetProcessById(p);
            return !parent.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>The "trivial allow" of budget P1: every <see cref="AccessRequirement"/> succeeds without evaluating anything.</summary>
public sealed class TrivialAllowHandler : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
