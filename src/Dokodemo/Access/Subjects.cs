using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Dokodemo.Access;

/// <summary>
/// The access subject of each person (kind, roles, contract end, country periods), read from the database and kept
/// for <see cref="CacheFor"/>. Decisions never trust the roles in a session's claims: removing a role or a country
/// period takes effect at the next request on this node, and within <see cref="CacheFor"/> on the others (R20).
/// </summary>
public sealed class Subjects(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    /// <summary>The subject, or null when the person does not exist or is disabled.</summary>
    public async ValueTask<Subject?> GetAsync(string userId, CancellationToken ct)
    {
        if (cache.TryGetValue(("subject", userId), out Subject? subject))
        {
            return subject;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        subject = (await LoadAsync(db, userId, ct)).FirstOrDefault();
        if (subject is not null)
        {
            // Only people are cached, not their absence: a re-enabled account is seen at once.
            cache.Set(("subject", userId), subject, CacheFor);
        }

        return subject;
    }

    public void Invalidate(string userId) => cache.Remove(("subject", userId));

    /// <summary>Every active person's subject (for the policy preview). Not cached.</summary>
    public async Task<IReadOnlyList<(Subject Subject, string Name)>> AllAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var subjects = await LoadAsync(db, null, ct);
        var names = await db.Users.AsNoTracking().Where(u => !u.IsDisabled).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. subjects.Select(s => (s, names.GetValueOrDefault(s.Id, s.Id)))];
    }

    private async Task<List<Subject>> LoadAsync(AppDbContext db, string? userId, CancellationToken ct)
    {
        var users = db.Users.AsNoTracking().Where(u => !u.IsDisabled);
        if (userId is not null)
        {
            users = users.Where(u => u.Id == userId);
        }

        var people = await users.Select(u => new { u.Id, u.Kind, u.ContractEnd }).ToListAsync(ct);
        if (people.Count == 0)
        {
            return [];
        }

        var ids = people.Select(p => p.Id).ToList();
        var roles = await db.UserRoles.AsNoTracking().Where(ur => userId == null || ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        var yesterday = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        // Periods abroad come from approved telework requests (Work/Places); a cancelled one no longer counts.
        var grants = await db.TeleworkRequests.AsNoTracking()
            .Where(r => (userId == null || r.UserId == userId) && r.Kind == Work.Places.TeleworkKind.Abroad
                && r.State == Work.Places.TeleworkState.Approved && r.To >= yesterday)
            .Select(r => new { r.UserId, Country = r.Country ?? "", r.From, r.To }).ToListAsync(ct);
        var rolesOf = roles.ToLookup(r => r.UserId, r => r.Name ?? "");
        var grantsOf = grants.ToLookup(g => g.UserId, g => new CountryWindow(g.Country, g.From, g.To));
        return [.. people.Select(p => new Subject(p.Id, p.Kind, RoleSets.Of(rolesOf[p.Id]), p.ContractEnd, [.. grantsOf[p.Id]]))];
    }
}
