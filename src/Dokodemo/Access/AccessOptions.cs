using System.Net;

namespace Dokodemo.Access;

/// <summary>The "Dokodemo:Access" configuration section: the town's network, its proxy and its clock.</summary>
public sealed class AccessOptions
{
    public const string Section = "Dokodemo:Access";

    /// <summary>The town's own address ranges (CIDR). A request from one of them is in the town network zone.</summary>
    public List<string> TownNetworks { get; set; } = [];

    /// <summary>
    /// Reverse proxies whose headers are believed (R26). Only when the connection comes from one of these are
    /// <see cref="ClientIpHeader"/> and <see cref="CountryHeader"/> read; from anyone else they are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public string ClientIpHeader { get; set; } = "X-Forwarded-For";

    /// <summary>The header in which the trusted proxy reports the client's country (e.g. CF-IPCountry).</summary>
    public string CountryHeader { get; set; } = "X-Client-Country";

    /// <summary>
    /// The country assumed when none is known (no trusted proxy, or it sent none). The default is the home country,
    /// which is only safe when the app is reachable from Japan alone; configure a proxy that reports countries otherwise.
    /// </summary>
    public string UnknownCountry { get; set; } = "JP";

    /// <summary>The town's time zone: contract ends, country periods and working hours are dates and times there.</summary>
    public string TimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>Extra 閉庁日 of the town (条例), besides weekends, national holidays and 12/29–1/3.</summary>
    public List<DateOnly> ClosingDays { get; set; } = [];
}

/// <summary>An address range in CIDR notation.</summary>
public readonly record struct IpRange(IPAddress Network, int PrefixLength)
{
    public static bool TryParse(string text, out IpRange range)
    {
        range = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressPart.Trim(), out var address))
        {
            return false;
        }

        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix < 0 || prefix > max))
        {
            return false;
        }

        range = new IpRange(address, prefix);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && Network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != Network.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out var length);
        Network.TryWriteBytes(n, out _);
        var bits = PrefixLength;
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? (byte)0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
