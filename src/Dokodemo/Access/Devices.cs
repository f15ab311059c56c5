using System.Security.Cryptography;
using System.Text;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Dokodemo.Access;

public sealed record DeviceDto(Guid Id, string Name, DeviceTrust Trust, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt,
    string UserAgent, string LastIp, DateTimeOffset? RegisteredAt, DateTimeOffset? ManagedAt, bool Current, int Sessions);

public sealed record AdminDeviceDto(Guid Id, string UserId, string UserName, string Name, DeviceTrust Trust, DateTimeOffset LastSeenAt,
    string UserAgent, string LastIp, DateTimeOffset? ManagedAt);

/// <summary>
/// The device registry: which browser or client a session comes from, and how far it is trusted. A long-lived
/// random cookie names the browser; only its hash is stored, per person (two people on one browser are two devices).
/// </summary>
public sealed class Devices(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider clock, AuditLog audit, Sessions sessions)
{
    public const int MaxNameLength = 50;
    public const int MaxPerPerson = 50;
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    public static string CookieName(bool https) => https ? "__Host-dokodemo.device" : "dokodemo.device";

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>At sign-in: the device this browser already is for this person, or a new unknown one (and its cookie).</summary>
    public async Task<Guid> ForSignInAsync(string userId, HttpContext http, bool secureCookie, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var name = CookieName(secureCookie);
        var token = http.Request.Cookies[name];
        var now = clock.GetUtcNow();
        var userAgent = Truncate(http.Request.Headers.UserAgent.ToString(), 300);
        var ip = Truncate(http.Connection.RemoteIpAddress?.ToString(), 64);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (InviteTokens.LooksValid(token))
        {
            var hash = Hash(token!);
            var known = await db.Devices.FirstOrDefaultAsync(d => d.TokenHash == hash && d.UserId == userId && d.RemovedAt == null, ct);
            if (known is not null)
            {
                known.LastSeenAt = now;
                known.UserAgent = userAgent;
                known.LastIp = ip;
                await db.SaveChangesAsync(ct);
                return known.Id;
            }
        }
        else
        {
            token = InviteTokens.NewToken();
            http.Response.Cookies.Append(name, token, new CookieOptions
            {
                HttpOnly = true,
                Secure = secureCookie || http.Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                Path = "/",
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(400),
            });
        }

        var device = new Device
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            TokenHash = Hash(token!),
            Name = DefaultName(userAgent),
            Trust = DeviceTrust.Unknown,
            CreatedAt = now,
            LastSeenAt = now,
            UserAgent = userAgent,
            LastIp = ip,
        };
        db.Devices.Add(device);
        await db.SaveChangesAsync(ct);

        // A person collects at most so many devices; the oldest unused unknown ones go first.
        var stale = await db.Devices.Where(d => d.UserId == userId && d.RemovedAt == null && d.Trust == DeviceTrust.Unknown)
            .OrderByDescending(d => d.LastSeenAt).Skip(MaxPerPerson).Select(d => d.Id).ToListAsync(ct);
        if (stale.Count > 0)
        {
            await db.Devices.Where(d => stale.Contains(d.Id)).ExecuteUpdateAsync(u => u.SetProperty(d => d.RemovedAt, now), ct);
        }

        await audit.WriteAsync("device.first_seen", AuditOutcome.Success, actorId: userId, subjectId: userId,
            details: new Dictionary<string, string?> { ["device"] = device.Id.ToString(), ["name"] = device.Name }, ct: ct);
        return device.Id;
    }

    /// <summary>The trust of a device, cached briefly; a removed or unknown id is untrusted.</summary>
    public async ValueTask<DeviceTrust> TrustOfAsync(Guid? deviceId, CancellationToken ct)
    {
        if (deviceId is not { } id)
        {
            return DeviceTrust.Unknown;
        }

        if (cache.TryGetValue(("device", id), out DeviceTrust trust))
        {
            return trust;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        trust = await db.Devices.AsNoTracking().Where(d => d.Id == id && d.RemovedAt == null).Select(d => (DeviceTrust?)d.Trust).FirstOrDefaultAsync(ct) ?? DeviceTrust.Unknown;
        cache.Set(("device", id), trust, CacheFor);
        return trust;
    }

    public async Task<IReadOnlyList<DeviceDto>> ListAsync(string userId, Guid? current, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var live = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now && s.DeviceId != null)
            .GroupBy(s => s.DeviceId).Select(g => new { Id = g.Key, Count = g.Count() }).ToListAsync(ct);
        var rows = await db.Devices.AsNoTracking().Where(d => d.UserId == userId && d.RemovedAt == null)
            .OrderByDescending(d => d.LastSeenAt).ToListAsync(ct);
        return [.. rows.Select(d => new DeviceDto(d.Id, d.Name, d.Trust, d.CreatedAt, d.LastSeenAt, d.UserAgent, d.LastIp, d.RegisteredAt, d.ManagedAt,
            d.Id == current, live.FirstOrDefault(l => l.Id == d.Id)?.Count ?? 0))];
    }

    public async Task<IReadOnlyList<AdminDeviceDto>> ListAllAsync(DeviceTrust? trust, int offset, int limit, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var query = db.Devices.AsNoTracking().Where(d => d.RemovedAt == null);
        if (trust is { } t)
        {
            query = query.Where(d => d.Trust == t);
        }

        return await query.OrderByDescending(d => d.LastSeenAt).Skip(offset).Take(limit)
            .Join(db.Users, d => d.UserId, u => u.Id, (d, u) => new AdminDeviceDto(d.Id, d.UserId, u.DisplayName, d.Name, d.Trust, d.LastSeenAt, d.UserAgent, d.LastIp, d.ManagedAt))
            .ToListAsync(ct);
    }

    /// <summary>The person renames one of their devices.</summary>
    public async Task<Result<bool>> RenameAsync(string userId, Guid id, string? name, CancellationToken ct)
    {
        var clean = (name ?? "").Trim();
        if (clean.Length == 0)
        {
            return Errors.DeviceNameRequired;
        }

        if (clean.Length > MaxNameLength)
        {
            return Errors.DeviceNameTooLong;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var changed = await db.Devices.Where(d => d.Id == id && d.UserId == userId && d.RemovedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Name, clean), ct);
        return changed == 1 ? true : Errors.DeviceNotFound;
    }

    /// <summary>
    /// The person confirms the device they are using is theirs. Only the current device (a stolen cookie cannot
    /// register another one), and only soon after a sign-in.
    /// </summary>
    public async Task<Result<bool>> RegisterCurrentAsync(string userId, Guid? current, DateTimeOffset authenticatedAt, CancellationToken ct)
    {
        if (current is not { } id)
        {
            return Errors.DeviceNotFound;
        }

        // Registering raises trust, so it needs a recent sign-in (R22).
        var now = clock.GetUtcNow();
        if (!RecentSignIn.IsRecent(authenticatedAt, now))
        {
            return RecentSignIn.Required;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var changed = await db.Devices.Where(d => d.Id == id && d.UserId == userId && d.RemovedAt == null && d.Trust == DeviceTrust.Unknown)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Trust, DeviceTrust.Registered).SetProperty(d => d.RegisteredAt, now), ct);
        cache.Remove(("device", id));
        if (changed == 1)
        {
            await audit.WriteAsync("device.registered", AuditOutcome.Success, actorId: userId, subjectId: userId, details: Detail(id), ct: ct);
        }

        return true;
    }

    /// <summary>Removes a device: its sessions end at once. A person removes their own; the security admin anyone's.</summary>
    public async Task<Result<int>> RemoveAsync(string actorId, string? ownerId, Guid id, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == id && d.RemovedAt == null && (ownerId == null || d.UserId == ownerId), ct);
        if (device is null)
        {
            return Errors.DeviceNotFound;
        }

        device.RemovedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        cache.Remove(("device", id));
        var ended = await sessions.EndForDeviceAsync(id, ct);
        await audit.WriteAsync("device.removed", AuditOutcome.Success, actorId: actorId, subjectId: device.UserId,
            details: new Dictionary<string, string?> { ["device"] = id.ToString(), ["sessions_ended"] = ended.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct: ct);
        return ended;
    }

    /// <summary>The security admin marks a device as town-issued (管理端末), or takes that mark away.</summary>
    public async Task<Result<bool>> SetManagedAsync(string actorId, Guid id, bool managed, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == id && d.RemovedAt == null, ct);
        if (device is null)
        {
            return Errors.DeviceNotFound;
        }

        var now = clock.GetUtcNow();
        device.Trust = managed ? DeviceTrust.Managed : device.RegisteredAt is null ? DeviceTrust.Unknown : DeviceTrust.Registered;
        device.ManagedAt = managed ? now : null;
        device.ManagedById = managed ? actorId : null;
        await db.SaveChangesAsync(ct);
        cache.Remove(("device", id));
        await audit.WriteAsync(managed ? "device.managed" : "device.unmanaged", AuditOutcome.Success, actorId: actorId, subjectId: device.UserId, details: Detail(id), ct: ct);
        return true;
    }

    /// <summary>Offboarding: every device of a person is removed (their sessions end too).</summary>
    public async Task<int> RemoveAllAsync(string userId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = await db.Devices.Where(d => d.UserId == userId && d.RemovedAt == null).Select(d => d.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        await db.Devices.Where(d => d.UserId == userId && d.RemovedAt == null).ExecuteUpdateAsync(u => u.SetProperty(d => d.RemovedAt, now), ct);
        foreach (var id in ids)
        {
            cache.Remove(("device", id));
        }

        return ids.Count;
    }

    private static Dictionary<string, string?> Detail(Guid id) => new() { ["device"] = id.ToString() };

    /// <summary>"Chrome (Windows)" and the like, so a person recognises the entry.</summary>
    public static string DefaultName(string userAgent)
    {
        var ua = userAgent;
        var browser = ua.Contains("Edg/", StringComparison.Ordinal) ? "Edge"
            : ua.Contains("Firefox/", StringComparison.Ordinal) ? "Firefox"
            : ua.Contains("Chrome/", StringComparison.Ordinal) || ua.Contains("Chromium/", StringComparison.Ordinal) ? "Chrome"
            : ua.Contains("Safari/", StringComparison.Ordinal) ? "Safari"
            : ua.Length == 0 ? "" : "Client";
        var os = ua.Contains("iPhone", StringComparison.Ordinal) ? "iPhone"
            : ua.Contains("iPad", StringComparison.Ordinal) ? "iPad"
            : ua.Contains("Android", StringComparison.Ordinal) ? "Android"
            : ua.Contains("Windows", StringComparison.Ordinal) ? "Windows"
            : ua.Contains("Mac OS", StringComparison.Ordinal) ? "Mac"
            : ua.Contains("Linux", StringComparison.Ordinal) ? "Linux"
            : "";
        var name = (browser, os) switch
        {
            ("", "") => "端末",
            (_, "") => browser,
            ("", _) => os,
            _ => $"{browser} ({os})",
        };
        return Truncate(name, MaxNameLength);
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}
