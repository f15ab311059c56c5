using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dokodemo.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Dokodemo.Access;

/// <summary>
/// Server-side sessions. The browser holds a random 256-bit token; the database holds only a hash of it (the
/// session id), so a copy of the database signs no one in. Idle and absolute time-outs are enforced here, on
/// the server (R18), and ending a session makes a replayed cookie fail at once on this node (R19) and within
/// <see cref="CacheFor"/> on the others.
/// </summary>
public sealed class Sessions(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider clock, AuditLog audit)
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);

    // A short cache saves a database read on most requests; ending a session evicts it here at once.
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public sealed record SessionDto(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, string AuthMethod, string UserAgent, string IpAddress, bool Current, Guid? DeviceId);

    private sealed record Cached(AuthenticationTicket Ticket, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, SessionInfo Info);

    /// <summary>The session id stored for a token: the first 128 bits of its SHA-256.</summary>
    public static Guid IdOf(string token) => new(SHA256.HashData(Encoding.ASCII.GetBytes(token)).AsSpan(0, 16));

    public static bool LooksLikeToken(string? token) => InviteTokens.LooksValid(token);

    /// <summary>Starts a session for a signed-in principal and returns the token for the cookie.</summary>
    public async Task<string> StartAsync(AuthenticationTicket ticket, HttpContext? http, Guid? deviceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var token = InviteTokens.NewToken();
        var now = clock.GetUtcNow();
        var session = new UserSession
        {
            Id = IdOf(token),
            UserId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A session needs a user."),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + AbsoluteTimeout,
            AuthMethod = ticket.Principal.FindFirstValue(AppClaims.AuthMethod) ?? "",
            DeviceId = deviceId,
            UserAgent = Truncate(http?.Request.Headers.UserAgent.ToString(), 300),
            IpAddress = Truncate(http?.Connection.RemoteIpAddress?.ToString(), 64),
            Ticket = TicketSerializer.Default.Serialize(ticket),
        };
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>The ticket of a live session, or null when the token is unknown, ended, idle too long or too old.</summary>
    public async Task<(AuthenticationTicket Ticket, SessionInfo Info)?> FindAsync(string token, CancellationToken ct)
    {
        if (!LooksLikeToken(token))
        {
            return null;
        }

        var id = IdOf(token);
        var now = clock.GetUtcNow();
        if (!cache.TryGetValue(id, out Cached? entry) || entry is null)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var row = await db.Sessions.AsNoTracking()
                .Where(s => s.Id == id && s.EndedAt == null)
                .Select(s => new { s.Ticket, s.LastSeenAt, s.ExpiresAt, s.CreatedAt, s.DeviceId, s.AuthMethod })
                .FirstOrDefaultAsync(ct);
            if (row is null || TicketSerializer.Default.Deserialize(row.Ticket) is not { } ticket)
            {
                return null;
            }

            entry = new Cached(ticket, row.LastSeenAt, row.ExpiresAt, new SessionInfo(id, row.DeviceId, row.CreatedAt, row.AuthMethod));
            cache.Set(id, entry, CacheFor);
        }

        if (now >= entry.ExpiresAt || now - entry.LastSeenAt >= IdleTimeout)
        {
            await EndAsync(id, ct);
            return null;
        }

        if (now - entry.LastSeenAt >= TouchEvery)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), ct);
            cache.Set(id, entry with { LastSeenAt = now }, CacheFor);
        }

        return (entry.Ticket, entry.Info);
    }

    public async Task EndAsync(string token, CancellationToken ct)
    {
        if (LooksLikeToken(token))
        {
            await EndAsync(IdOf(token), ct);
        }
    }

    /// <summary>Ends every session of a person (disabled account, lost device), or every one but <paramref name="except"/>.</summary>
    public async Task<int> EndAllAsync(string userId, CancellationToken ct, Guid? except = null)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var keep = except ?? Guid.Empty;
        var ids = await db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keep).Select(s => s.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var ended = await db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keep)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), ct);
        foreach (var id in ids)
        {
            cache.Remove(id);
        }

        return ended;
    }

    /// <summary>Ends every session started from a device (it was removed).</summary>
    public async Task<int> EndForDeviceAsync(Guid deviceId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = await db.Sessions.Where(s => s.DeviceId == deviceId && s.EndedAt == null).Select(s => s.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var ended = await db.Sessions.Where(s => s.DeviceId == deviceId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), ct);
        foreach (var id in ids)
        {
            cache.Remove(id);
        }

        return ended;
    }

    /// <summary>A person's live sessions, newest use first.</summary>
    public async Task<IReadOnlyList<SessionDto>> ListAsync(string userId, Guid? current, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var idleSince = now - IdleTimeout;
        var rows = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now && s.LastSeenAt > idleSince)
            .OrderByDescending(s => s.LastSeenAt).Take(100)
            .Select(s => new { s.Id, s.CreatedAt, s.LastSeenAt, s.AuthMethod, s.UserAgent, s.IpAddress, s.DeviceId })
            .ToListAsync(ct);
        return rows.Select(s => new SessionDto(s.Id, s.CreatedAt, s.LastSeenAt, s.AuthMethod, s.UserAgent, s.IpAddress, s.Id == current, s.DeviceId)).ToList();
    }

    /// <summary>Ends one session if it is this person's (object-level check, R27); false when it is not theirs or already over.</summary>
    public async Task<bool> EndOneAsync(string userId, Guid id, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var ended = await db.Sessions.Where(s => s.Id == id && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), ct);
        cache.Remove(id);
        return ended == 1;
    }

    /// <summary>A person ends one of their own sessions; false when the id is not theirs or already over.</summary>
    public async Task<bool> EndOwnAsync(string userId, Guid id, CancellationToken ct)
    {
        if (!await EndOneAsync(userId, id, ct))
        {
            return false;
        }

        await audit.WriteAsync("session.ended", AuditOutcome.Success, actorId: userId, subjectId: userId, details: Scope("one"), ct: ct);
        return true;
    }

    /// <summary>A person ends every session but the one they are using.</summary>
    public async Task<int> EndOthersAsync(string userId, Guid? current, CancellationToken ct)
    {
        var ended = await EndAllAsync(userId, ct, except: current);
        await audit.WriteAsync("session.ended", AuditOutcome.Success, actorId: userId, subjectId: userId, details: Scope("others"), ct: ct);
        return ended;
    }

    /// <summary>An administrator ends every session of a person.</summary>
    public async Task<int> EndAllForAdminAsync(string adminId, string userId, CancellationToken ct)
    {
        var ended = await EndAllAsync(userId, ct);
        await audit.WriteAsync("session.ended", AuditOutcome.Success, actorId: adminId, subjectId: userId, details: Scope("all"), ct: ct);
        return ended;
    }

    private static Dictionary<string, string?> Scope(string scope) => new() { ["scope"] = scope };

    private const string CurrentKey = "dokodemo:session-id";

    /// <summary>The id of the session this request came with (set by the authentication handler).</summary>
    public static Guid? CurrentId(HttpContext? http) => Current(http)?.Id;

    /// <summary>The session this request came with: its device, when and how it was authenticated.</summary>
    public static SessionInfo? Current(HttpContext? http) => http?.Items[CurrentKey] as SessionInfo;

    public static void SetCurrent(HttpContext http, SessionInfo info) => http.Items[CurrentKey] = info;

    private async Task EndAsync(Guid id, CancellationToken ct)
    {
        cache.Remove(id);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        await db.Sessions.Where(s => s.Id == id && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), ct);
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}

/// <summary>What the access decision needs to know about the session of a request.</summary>
public sealed record SessionInfo(Guid Id, Guid? DeviceId, DateTimeOffset AuthenticatedAt, string AuthMethod);
