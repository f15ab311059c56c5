using System.Globalization;
using System.Net;

namespace Dokodemo.Hosting;

/// <summary>Checks made before the host is built, so a bad configuration stops the start with one sentence.</summary>
public static class ConfigurationChecks
{
    public static (DokodemoOptions App, DatabaseOptions Db) Read(IConfiguration configuration)
    {
        var app = new DokodemoOptions();
        var db = new DatabaseOptions();
        try
        {
            configuration.GetSection(DokodemoOptions.Section).Bind(app);
        }
        catch (InvalidOperationException)
        {
            throw new StartupException(
                $"Dokodemo:Mode must be Demo or Production (got '{configuration["Dokodemo:Mode"]}').");
        }

        try
        {
            configuration.GetSection(DatabaseOptions.Section).Bind(db);
        }
        catch (InvalidOperationException)
        {
            throw new StartupException(
                $"Database:Provider must be Sqlite or Postgres (got '{configuration["Database:Provider"]}').");
        }

        if (string.IsNullOrWhiteSpace(db.ConnectionString))
        {
            throw new StartupException("Set Database:ConnectionString (environment variable Database__ConnectionString) to the database to use.");
        }

        if (!Uri.TryCreate(app.PublicUrl, UriKind.Absolute, out var publicUrl) || publicUrl.Scheme is not ("http" or "https"))
        {
            throw new StartupException($"Dokodemo:PublicUrl must be an absolute http(s) address (got '{app.PublicUrl}').");
        }

        if (!string.IsNullOrWhiteSpace(configuration["Dokodemo:KeyRingPath"]))
        {
            // Said out loud, so nobody believes the keys are still in that folder (or backs up the wrong thing).
            throw new StartupException(
                "Dokodemo:KeyRingPath is no longer used: the key ring is now kept in the database, encrypted with the key in Dokodemo:KeyEncryptionKeyFile; remove the KeyRingPath setting.");
        }

        CheckRateLimits(app);
        CheckCors(app.Cors);

        if (app.Mode == RunMode.Production)
        {
            if (string.IsNullOrWhiteSpace(app.KeyEncryptionKeyFile) && string.IsNullOrWhiteSpace(app.KeyEncryptionKey))
            {
                throw new StartupException(
                    "Production mode needs Dokodemo:KeyEncryptionKeyFile (environment variable Dokodemo__KeyEncryptionKeyFile): a file, readable only by this service, holding the key that encrypts the key ring in the database (create it with: head -c 32 /dev/urandom | base64 > dokodemo-kek; chmod 600 dokodemo-kek).");
            }

            if (publicUrl.Scheme != "https" && !IsLoopbackHost(publicUrl.Host))
            {
                throw new StartupException($"Production mode needs Dokodemo:PublicUrl to be an https:// address (got '{app.PublicUrl}').");
            }
        }

        return (app, db);
    }

    private static void CheckRateLimits(DokodemoOptions app)
    {
        if (app.AuthRateLimitPerMinute < 1 || app.AccountRateLimitPerMinute < 1)
        {
            throw new StartupException(
                $"Dokodemo:AuthRateLimitPerMinute and Dokodemo:AccountRateLimitPerMinute must be at least 1 (got {app.AuthRateLimitPerMinute.ToString(CultureInfo.InvariantCulture)} and {app.AccountRateLimitPerMinute.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    /// <summary>Each allowed origin is exactly scheme://host[:port]; "*" would hand every site the signed-in person's session (R37).</summary>
    private static void CheckCors(CorsSettings cors)
    {
        foreach (var origin in cors.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/') || origin.Contains('*', StringComparison.Ordinal))
            {
                throw new StartupException(
                    $"Each entry of Dokodemo:Cors:AllowedOrigins must be an origin such as https://portal.town.example.jp, without a path or wildcard (got '{origin}').");
            }
        }
    }

    /// <summary>
    /// Demo mode lets anyone sign in as a persona, so it may listen only on loopback.
    /// </summary>
    public static void CheckDemoBinding(DokodemoOptions app, IEnumerable<string> urls)
    {
        if (!app.IsDemo)
        {
            return;
        }

        foreach (var url in urls)
        {
            var host = HostOf(url);
            if (!IsLoopbackHost(host))
            {
                throw new StartupException(
                    $"Demo mode may listen only on loopback, but it is bound to '{url}': listen on http://localhost:5080 or set Dokodemo:Mode to Production.");
            }
        }
    }

    public static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? configuration["URLS"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            foreach (var u in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return u;
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }

        var httpPorts = configuration["http_ports"] ?? configuration["ASPNETCORE_HTTP_PORTS"];
        if (!string.IsNullOrWhiteSpace(httpPorts))
        {
            // HTTP_PORTS binds every interface.
            yield return $"http://*:{httpPorts.Split(';')[0]}";
        }
    }

    private static string HostOf(string url)
    {
        // Kestrel accepts "http://*:5080" and "http://+:5080", which Uri does not parse.
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        if (rest.StartsWith('['))
        {
            var end = rest.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? rest[1..end] : rest;
        }

        var stop = rest.IndexOfAny([':', '/']);
        return stop >= 0 ? rest[..stop] : rest;
    }

    public static bool IsLoopbackHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
