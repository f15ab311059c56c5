using System.Net;
using Dokodemo.Domain.Access;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>Where a request comes from, as far as the server can tell without believing the client.</summary>
public sealed record PlaceInfo(IPAddress? ClientIp, NetworkZone Zone, string Country, bool CountryKnown);

/// <summary>
/// Works out the client address, network zone and country of a request. Forwarded headers are read only when the
/// connection itself comes from a configured trusted proxy (R26); from anyone else they are ignored, in the decision
/// and in the audit log alike.
/// </summary>
public sealed class RequestPlace
{
    private const string ItemKey = "dokodemo:place";
    private readonly IpRange[] town;
    private readonly IpRange[] proxies;
    private readonly AccessOptions options;

    public RequestPlace(IOptions<AccessOptions> accessOptions)
    {
        ArgumentNullException.ThrowIfNull(accessOptions);
        options = accessOptions.Value;
        town = Parse(options.TownNetworks, "Dokodemo:Access:TownNetworks");
        proxies = Parse(options.TrustedProxies, "Dokodemo:Access:TrustedProxies");
    }

    public static IpRange[] Parse(IEnumerable<string> ranges, string setting) =>
        [.. ranges.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => IpRange.TryParse(r, out var range)
            ? range
            : throw new Hosting.StartupException($"{setting} has '{r}', which is not an address or a CIDR range (e.g. 192.0.2.0/24)."))];

    public PlaceInfo Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items[ItemKey] is PlaceInfo cached)
        {
            return cached;
        }

        var remote = http.Connection.RemoteIpAddress;
        var client = remote;
        string? country = null;
        if (remote is not null && InAny(proxies, remote))
        {
            // The rightmost address the proxy appended is the one it saw; anything left of it came from the client.
            var forwarded = http.Request.Headers[options.ClientIpHeader].ToString();
            var last = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (last is not null && IPAddress.TryParse(last, out var parsed))
            {
                client = parsed;
            }

            var reported = http.Request.Headers[options.CountryHeader].ToString().Trim();
            if (reported.Length == 2 && reported.All(char.IsAsciiLetter))
            {
                country = reported.ToUpperInvariant();
            }
        }

        var zone = client is not null && InAny(town, client) ? NetworkZone.Town : NetworkZone.Internet;
        var place = new PlaceInfo(client, zone, country ?? options.UnknownCountry, country is not null);
        http.Items[ItemKey] = place;
        return place;
    }

    private static bool InAny(IpRange[] ranges, IPAddress address)
    {
        foreach (var r in ranges)
        {
            if (r.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
