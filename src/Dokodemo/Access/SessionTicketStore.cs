using System.Security.Claims;
using Dokodemo.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Dokodemo.Access;

/// <summary>
/// Server-side sessions: the cookie carries only a random session id; the ticket lives in UserSessions.
/// Idle and absolute time-outs are enforced here, on the server (R18), and ending a session makes a
/// replayed cookie fail (R19).
/// </summary>
public sealed class SessionTicketStore(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider clock) : ITicketStore
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);

    // A short cache saves a database read on most requests; ending a session evicts it here at once.
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private sealed record Cached(AuthenticationTicket Ticket, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt);

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null!, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var now = clock.GetUtcNow();
        var session = new UserSession
        {
            Id = Guid.NewGuid(),
            UserId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A session needs a user."),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + AbsoluteTimeout,
            AuthMethod = ticket.Principal.FindFirstValue(AppClaims.AuthMethod) ?? "",
            UserAgent = Truncate(httpContext?.Request.Headers.UserAgent.ToString(), 300),
            IpAddress = Truncate(httpContext?.Connection.RemoteIpAddress?.ToString(), 64),
            Ticket = TicketSerializer.Default.Serialize(ticket),
        };
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id.ToString("N");
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, null!, CancellationToken.None);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(key, "N", out var id))
        {
            return;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var bytes = TicketSerializer.Default.Serialize(ticket);
        var now = clock.GetUtcNow();
        await db.Sessions.Where(s => s.Id == id && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.LastSeenAt, now), cancellationToken);
        cache.Remove(id);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, null!, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(key, "N", out var id))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (!cache.TryGetValue(id, out Cached? entry) || entry is null)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var row = await db.Sessions.AsNoTracking()
                .Where(s => s.Id == id && s.EndedAt == null)
                .Select(s => new { s.Ticket, s.CreatedAt, s.LastSeenAt, s.ExpiresAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            var ticket = TicketSerializer.Default.Deserialize(row.Ticket);
            if (ticket is null)
            {
                return null;
            }

            entry = new Cached(ticket, row.CreatedAt, row.LastSeenAt, row.ExpiresAt);
            cache.Set(id, entry, CacheFor);
        }

        if (now >= entry.ExpiresAt || now - entry.LastSeenAt >= IdleTimeout)
        {
            await EndAsync(id, cancellationToken);
            return null;
        }

        if (now - entry.LastSeenAt >= TouchEvery)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), cancellationToken);
            cache.Set(id, entry with { LastSeenAt = now }, CacheFor);
        }

        return entry.Ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, null!, CancellationToken.None);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (Guid.TryParseExact(key, "N", out var id))
        {
            await EndAsync(id, cancellationToken);
        }
    }

    /// <summary>Ends every session of a person (disabled account, lost device).</summary>
    public async Task EndAllAsync(string userId, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = await db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), cancellationToken);
        foreach (var id in ids)
        {
            cache.Remove(id);
        }
    }

    private async Task EndAsync(Guid id, CancellationToken cancellationToken)
    {
        cache.Remove(id);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        await db.Sessions.Where(s => s.Id == id && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), cancellationToken);
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}

/// <summary>Wires the ticket store into the Identity application cookie.</summary>
public sealed class SessionCookieSetup(SessionTicketStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme)
        {
            options.SessionStore = store;
        }
    }
}
