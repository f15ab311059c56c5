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
/// The default: only the IP address of the current request ("cli" outside a request, for the command line and
/// background work). Device, zone and country come with the device registry and the decision point.
/// </summary>
public sealed class HttpAuditContextSource(IHttpContextAccessor http) : IAuditContextSource
{
    public AuditWhere Current()
    {
        var context = http.HttpContext;
        var ip = context is null ? "cli" : context.Connection.RemoteIpAddress?.ToString() ?? "";
        return new AuditWhere(ip, null, null, null);
    }
}
