using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>What a per-account limit counts. Each has its own bucket per account.</summary>
public enum LimitedAction
{
    /// <summary>Password step of sign-in, keyed by the normalised e-mail address (also for addresses nobody has).</summary>
    Password = 0,

    /// <summary>Authenticator or recovery code, keyed by the person half-way through signing in.</summary>
    SecondFactor = 1,

    /// <summary>Passkey assertions, keyed by the account the credential belongs to.</summary>
    Passkey = 2,

    /// <summary>Setting the password and confirming the first code from an invite, keyed by the invited person.</summary>
    Enrolment = 3,

    /// <summary>An administrator creating people and issuing invites, keyed by the administrator.</summary>
    Invitation = 4,
}

/// <summary>
/// R11, per account. The per-address limit is the <see cref="Foundation.AuthRateLimit"/> policy on the endpoints;
/// the per-account limit is consulted here, inside the use case, once the account is known (from the request the
/// endpoint has already bound, so the body is read once). Both answer 429 with Retry-After and the code
/// <c>rate_limited</c>. Counters are per node (fixed one-minute windows in memory).
/// </summary>
public sealed class RateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> perAccount;
    private readonly IHttpContextAccessor http;
    private readonly ILogger<RateLimits> logger;

    public RateLimits(IOptions<DokodemoOptions> options, IHttpContextAccessor http, ILogger<RateLimits> logger)
    {
        this.http = http;
        this.logger = logger;
        var limit = options.Value.AccountRateLimitPerMinute;
        perAccount = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>Counts one attempt for the account; returns <see cref="Errors.RateLimited"/> (and sets Retry-After) when it is one too many.</summary>
    public Error? Account(LimitedAction action, string? account)
    {
        if (string.IsNullOrEmpty(account))
        {
            return null;
        }

        using var lease = perAccount.AttemptAcquire(action.ToString() + ":" + account);
        if (lease.IsAcquired)
        {
            return null;
        }

        var seconds = RetryAfterSeconds(lease);
        if (http.HttpContext is { } context && !context.Response.HasStarted)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        logger.LogWarning("Rate limit per account reached for {Action}", action);
        return Errors.RateLimited with { Details = new Dictionary<string, object?> { ["retryAfter"] = seconds } };
    }

    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;

    /// <summary>
    /// The per-address partition: the IPv4 address, or the /64 of an IPv6 address (one household or one phone gets a
    /// whole /64, so counting single IPv6 addresses would let one client rotate through billions of them).
    /// </summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose() => perAccount.Dispose();
}
