using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>The "Dokodemo:Passkeys" configuration section.</summary>
public sealed class PasskeySettings
{
    public const string Section = "Dokodemo:Passkeys";

    /// <summary>The relying-party id (WebAuthn "rp.id"). Default: the host of Dokodemo:PublicUrl.</summary>
    public string? ServerDomain { get; set; }

    /// <summary>How many passkeys one person may register.</summary>
    public int MaxPerPerson { get; set; } = 10;

    /// <summary>The one origin ceremonies may come from: the scheme, host and port of Dokodemo:PublicUrl (filled at start).</summary>
    public string Origin { get; set; } = "";
}

public static class PasskeySetup
{
    /// <summary>A passkey's display name: required, at most this many characters.</summary>
    public const int NameMaxLength = 50;

    public static void AddPasskeys(this WebApplicationBuilder builder, DokodemoOptions options)
    {
        var settings = Read(builder.Configuration, options);
        var services = builder.Services;
        services.AddSingleton(Options.Create(settings));
        services.Configure<IdentityPasskeyOptions>(o =>
        {
            // Fixed, never taken from the Host header of a request (R03).
            o.ServerDomain = settings.ServerDomain;
            // Staff sign in with the passkey alone, so the authenticator must verify the person (PIN, biometrics) (R04).
            o.UserVerificationRequirement = "required";
            // Discoverable credentials: sign-in needs no user name, so it tells no one which accounts exist (R07).
            o.ResidentKeyRequirement = "required";
            o.AttestationConveyancePreference = "none";
            o.AuthenticatorTimeout = CeremonyLifetime;
            o.ValidateOrigin = ctx => ValueTask.FromResult(!ctx.CrossOrigin && SameOrigin(ctx.Origin, settings.Origin));
        });
        services.AddSingleton<PasskeyCeremonies>();
        // Identity's handler, wrapped so that each ceremony is single-use and short-lived on the server as well.
        services.Replace(ServiceDescriptor.Scoped<IPasskeyHandler<AppUser>, SingleUsePasskeyHandler>());
        services.AddScoped<RecentSignIn>();
        services.AddScoped<Passkeys>();
        services.AddScoped<Recovery>();
    }

    /// <summary>How long the options of one ceremony stay usable (also the browser's time-out hint).</summary>
    public static readonly TimeSpan CeremonyLifetime = TimeSpan.FromMinutes(5);

    public static PasskeySettings Read(IConfiguration configuration, DokodemoOptions options)
    {
        var settings = new PasskeySettings();
        try
        {
            configuration.GetSection(PasskeySettings.Section).Bind(settings);
        }
        catch (InvalidOperationException)
        {
            throw new StartupException($"Dokodemo:Passkeys:MaxPerPerson must be a whole number (got '{configuration["Dokodemo:Passkeys:MaxPerPerson"]}').");
        }

        var publicUrl = new Uri(options.PublicUrl);
        var host = publicUrl.IdnHost.ToLowerInvariant();
        var rpId = string.IsNullOrWhiteSpace(settings.ServerDomain) ? host : settings.ServerDomain.Trim().TrimEnd('.').ToLowerInvariant();
        // The browser accepts an rp.id only if it is the page's host or a parent domain of it.
        if (!(host == rpId || host.EndsWith("." + rpId, StringComparison.Ordinal)) || rpId.IndexOfAny(['/', ':', ' ']) >= 0 && rpId != host)
        {
            throw new StartupException(
                $"Dokodemo:Passkeys:ServerDomain must be the host of Dokodemo:PublicUrl ('{host}') or a parent domain of it (got '{settings.ServerDomain}').");
        }

        if (settings.MaxPerPerson is < 1 or > 100)
        {
            throw new StartupException($"Dokodemo:Passkeys:MaxPerPerson must be between 1 and 100 (got {settings.MaxPerPerson.ToString(CultureInfo.InvariantCulture)}).");
        }

        settings.ServerDomain = rpId;
        settings.Origin = publicUrl.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        return settings;
    }

    public static bool SameOrigin(string? origin, string expected) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var o) && o.AbsolutePath == "/" && string.IsNullOrEmpty(o.Query)
        && string.Equals(o.GetLeftPart(UriPartial.Authority), expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>The id under which a passkey appears in the API and the audit log: the first 128 bits of the SHA-256 of its credential id, in hex.</summary>
    public static string IdOf(byte[] credentialId) => Convert.ToHexStringLower(SHA256.HashData(credentialId).AsSpan(0, 16));
}

/// <summary>
/// Ceremony ids already used on this node. Identity keeps a ceremony's state in the browser (an encrypted cookie),
/// so without this a captured cookie and response could be posted again within the ceremony's lifetime.
/// </summary>
public sealed class PasskeyCeremonies(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> used = new(StringComparer.Ordinal);
    private DateTimeOffset nextSweep;

    /// <summary>True the first time a ceremony is presented, false ever after (until it could no longer be accepted anyway).</summary>
    public bool TryClaim(string ceremonyId, DateTimeOffset expiresAt)
    {
        var now = clock.GetUtcNow();
        if (now >= nextSweep)
        {
            nextSweep = now + PasskeySetup.CeremonyLifetime;
            foreach (var (id, expiry) in used)
            {
                if (expiry < now)
                {
                    used.TryRemove(id, out _);
                }
            }
        }

        return used.TryAdd(ceremonyId, expiresAt);
    }
}

/// <summary>
/// Identity's <see cref="PasskeyHandler{TUser}"/> with two additions: the state of each ceremony carries the time it
/// was issued and is refused once older than <see cref="PasskeySetup.CeremonyLifetime"/>, and each state is accepted
/// once only (<see cref="PasskeyCeremonies"/>).
/// </summary>
public sealed class SingleUsePasskeyHandler(AppUserManager users, IOptions<IdentityPasskeyOptions> options, PasskeyCeremonies ceremonies, TimeProvider clock)
    : IPasskeyHandler<AppUser>
{
    public const string Expired = "dokodemo: the ceremony has expired.";
    public const string Replayed = "dokodemo: the ceremony was already used.";
    public const string Unknown = "dokodemo: the ceremony state was not issued by this server.";
    public const string IssuedAtKey = "dokodemo:passkey-issued-at";

    private readonly PasskeyHandler<AppUser> inner = new(users, options);

    public async Task<PasskeyCreationOptionsResult> MakeCreationOptionsAsync(PasskeyUserEntity userEntity, HttpContext httpContext)
    {
        var result = await inner.MakeCreationOptionsAsync(userEntity, httpContext);
        return new PasskeyCreationOptionsResult { CreationOptionsJson = result.CreationOptionsJson, AttestationState = Wrap(result.AttestationState) };
    }

    public async Task<PasskeyRequestOptionsResult> MakeRequestOptionsAsync(AppUser? user, HttpContext httpContext)
    {
        var result = await inner.MakeRequestOptionsAsync(user, httpContext);
        return new PasskeyRequestOptionsResult { RequestOptionsJson = result.RequestOptionsJson, AssertionState = Wrap(result.AssertionState) };
    }

    public async Task<PasskeyAttestationResult> PerformAttestationAsync(PasskeyAttestationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (state, failure) = Unwrap(context.AttestationState, context.HttpContext);
        if (failure is not null)
        {
            return PasskeyAttestationResult.Fail(new PasskeyException(failure));
        }

        return await inner.PerformAttestationAsync(new PasskeyAttestationContext
        {
            HttpContext = context.HttpContext,
            CredentialJson = context.CredentialJson,
            AttestationState = state,
        });
    }

    public async Task<PasskeyAssertionResult<AppUser>> PerformAssertionAsync(PasskeyAssertionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (state, failure) = Unwrap(context.AssertionState, context.HttpContext);
        if (failure is not null)
        {
            return PasskeyAssertionResult.Fail<AppUser>(new PasskeyException(failure));
        }

        return await inner.PerformAssertionAsync(new PasskeyAssertionContext
        {
            HttpContext = context.HttpContext,
            CredentialJson = context.CredentialJson,
            AssertionState = state,
        });
    }

    private string Wrap(string? state) =>
        JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["s"] = state ?? "",
            ["t"] = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        });

    private (string? State, string? Failure) Unwrap(string? wrapped, HttpContext http)
    {
        Dictionary<string, string>? parts = null;
        try
        {
            parts = wrapped is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(wrapped);
        }
        catch (JsonException)
        {
        }

        if (parts is null || !parts.TryGetValue("s", out var state) || !parts.TryGetValue("t", out var t)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs))
        {
            // Every state this server hands out is wrapped; anything else was not issued here (or predates this check).
            return (null, Unknown);
        }

        var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(issuedMs);
        var expiresAt = issuedAt + PasskeySetup.CeremonyLifetime;
        if (clock.GetUtcNow() >= expiresAt)
        {
            return (null, Expired);
        }

        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(wrapped!)));
        if (!ceremonies.TryClaim(id, expiresAt))
        {
            return (null, Replayed);
        }

        http.Items[IssuedAtKey] = issuedAt;
        return (state, null);
    }
}
