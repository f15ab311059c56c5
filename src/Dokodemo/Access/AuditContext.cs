namespace Dokodemo.Access;

/// <summary>
/// Where an audited action came from (R43 "where/device"): the IP address, and when known the registered device,
/// the network zone ("town" for the office network, "internet", …) and the ISO 3166 country code.
/// </summary>
public sealed record AuditWhere(string Ip, string? DeviceId, string? NetworkZone, string? Country);

/// <summary>Tells the audit log where the current action comes from. Replaceable: register another implementation.</summary>
public interface IAuditContextSource
{
    AuditWhere Current();
}

/// <summary>
/// Where the current request comes from, as the access decision sees it: the client address (through a trusted
/// proxy only, R26), the session's device, the network zone and the country. Outside a request: "cli".
/// </summary>
public sealed class HttpAuditContextSource(IHttpContextAccessor http, RequestPlace place) : IAuditContextSource
{
    public AuditWhere Current()
    {
        var context = http.HttpContext;
        if (context is null)
        {
            return new AuditWhere("cli", null, null, null);
        }

        var where = place.Of(context);
        var zone = where.Zone == Domain.Access.NetworkZone.Town ? "town" : "internet";
        return new AuditWhere(where.ClientIp?.ToString() ?? "", Sessions.Current(context)?.DeviceId?.ToString(), zone, where.Country);
    }
}
