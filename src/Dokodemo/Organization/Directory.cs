using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Dokodemo.Organization;

public sealed record SectionDto(int Id, string Name, string NameEn);
public sealed record DepartmentDto(int Id, string Code, string Name, string NameEn, IReadOnlyList<SectionDto> Sections, int Members);
public sealed record PersonDto(string Id, string DisplayName, string Kana, string Title, string Kind, int DepartmentId, string Department, int? SectionId, string? Section, string Email);
public sealed record SiteDto(int Id, string Name, string NameEn, string Kind, string Address);

/// <summary>
/// The org chart and the people in it. Reads come from an in-memory snapshot of the whole directory (a town of
/// 1,000 people is a few hundred kilobytes), rebuilt at most every <see cref="SnapshotLifetime"/> and at once
/// after a change made through this node (<see cref="Invalidate"/>); other nodes see a change within that lifetime.
/// The snapshot carries no permissions: every request is still authorized before it is read.
/// </summary>
public sealed class Directory(AppDbContext db, IMemoryCache cache)
{
    public static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(15);

    /// <summary>The most people one API call returns; page with offset and limit.</summary>
    public const int MaxPage = 500;
    private const string CacheKey = "dokodemo:directory";

    private sealed record Snapshot(IReadOnlyList<DepartmentDto> Departments, IReadOnlyList<PersonDto> People, IReadOnlyList<SiteDto> Sites);

    /// <summary>Forget the snapshot after people, departments or sites change.</summary>
    public static void Invalidate(IMemoryCache cache) => cache.Remove(CacheKey);

    private async Task<Snapshot> SnapshotAsync(CancellationToken ct)
    {
        if (cache.TryGetValue(CacheKey, out Snapshot? snapshot) && snapshot is not null)
        {
            return snapshot;
        }

        var people = await db.Users.AsNoTracking().Where(u => !u.IsDisabled)
            .OrderBy(u => u.Department!.SortOrder).ThenBy(u => u.Section!.SortOrder).ThenBy(u => u.DisplayNameKana).ThenBy(u => u.Id)
            .Select(u => new PersonDto(u.Id, u.DisplayName, u.DisplayNameKana, u.Title, u.Kind.ToString(), u.DepartmentId, u.Department!.Name,
                u.SectionId, u.Section!.Name, u.Email ?? ""))
            .ToListAsync(ct);
        var counts = people.GroupBy(p => p.DepartmentId).ToDictionary(g => g.Key, g => g.Count());
        var depts = await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).ThenBy(d => d.Id)
            .Select(d => new { d.Id, d.Code, d.Name, d.NameEn, Sections = d.Sections.OrderBy(s => s.SortOrder).Select(s => new SectionDto(s.Id, s.Name, s.NameEn)).ToList() })
            .ToListAsync(ct);
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.SortOrder)
            .Select(s => new SiteDto(s.Id, s.Name, s.NameEn, s.Kind.ToString(), s.Address)).ToListAsync(ct);
        snapshot = new Snapshot(
            depts.Select(d => new DepartmentDto(d.Id, d.Code, d.Name, d.NameEn, d.Sections, counts.GetValueOrDefault(d.Id))).ToList(),
            people,
            sites);
        cache.Set(CacheKey, snapshot, SnapshotLifetime);
        return snapshot;
    }

    public async Task<IReadOnlyList<DepartmentDto>> DepartmentsAsync(CancellationToken ct = default) => (await SnapshotAsync(ct)).Departments;

    /// <summary>People, optionally in one department or section or matching a search; disabled accounts are hidden.</summary>
    public async Task<IReadOnlyList<PersonDto>> PeopleAsync(int? departmentId = null, int? sectionId = null, string? search = null, int offset = 0, int limit = MaxPage, CancellationToken ct = default)
    {
        IEnumerable<PersonDto> q = (await SnapshotAsync(ct)).People;
        if (departmentId is { } d)
        {
            q = q.Where(u => u.DepartmentId == d);
        }

        if (sectionId is { } s)
        {
            q = q.Where(u => u.SectionId == s);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            // Width- and case-folded, spaces ignored: "さとう" finds "さとう みさき", "ＳＡＴＯ" finds sato.misaki@….
            var term = Fold(search);
            q = q.Where(u => Fold(u.DisplayName).Contains(term, StringComparison.Ordinal) || Fold(u.Kana).Contains(term, StringComparison.Ordinal)
                || Fold(u.Email).Contains(term, StringComparison.Ordinal));
        }

        return q.Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).ToList();
    }

    /// <summary>
    /// Departments whose people this request may not see: a department can be relabelled (e.g. 機密性3 for a
    /// department handling sensitive cases) and is then decided on its own label (R27, R50).
    /// </summary>
    public async Task<HashSet<int>> HiddenDepartmentsAsync(AccessCheck access, CancellationToken ct = default)
    {
        var hidden = new HashSet<int>();
        var relabelled = await access.RelabelledAsync(ResourceTypes.Directory, ct);
        if (relabelled.Count == 0)
        {
            return hidden;
        }

        foreach (var d in await DepartmentsAsync(ct))
        {
            if (relabelled.Contains(d.Code) && !await access.AllowsAsync(ResourceTypes.Directory, AccessAction.Read, d.Code, ct: ct))
            {
                hidden.Add(d.Id);
            }
        }

        return hidden;
    }

    public async Task<IReadOnlyList<SiteDto>> SitesAsync(CancellationToken ct = default) => (await SnapshotAsync(ct)).Sites;

    private static string Fold(string text) =>
        text.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("\u3000", "", StringComparison.Ordinal);
}

public static class DirectoryApi
{
    public static void AddOrganization(this WebApplicationBuilder builder) => builder.Services.AddScoped<Directory>();

    public static RouteGroupBuilder MapOrganization(this IEndpointRouteBuilder app)
    {
        // The whole org chart is for town staff; side-job workers and partners see their own section on the home page.
        var group = app.MapGroup("/api/v1/directory").WithTags("Directory").RequireAuthorization(Policies.Insider);
        group.MapGet("/departments", Departments);
        group.MapGet("/people", People);
        group.MapGet("/sites", Sites);
        return group;
    }

    public static async Task<Ok<IReadOnlyList<DepartmentDto>>> Departments(Directory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.DepartmentsAsync(ct));

    /// <summary>People in the directory; at most <see cref="Directory.MaxPage"/> per call (offset, limit), the total in X-Total-Count.</summary>
    public static async Task<Ok<IReadOnlyList<PersonDto>>> People(Directory directory, AccessCheck access, HttpResponse response, int? departmentId, int? sectionId, string? q,
        int? offset, int? limit, CancellationToken ct)
    {
        var search = q is { Length: > 100 } ? q[..100] : q;
        var hidden = await directory.HiddenDepartmentsAsync(access, ct);
        var all = (await directory.PeopleAsync(departmentId, sectionId, search, limit: int.MaxValue, ct: ct)).Where(p => !hidden.Contains(p.DepartmentId)).ToList();
        response.Headers["X-Total-Count"] = all.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var from = Math.Max(0, offset ?? 0);
        var take = Math.Clamp(limit ?? Directory.MaxPage, 0, Directory.MaxPage);
        return TypedResults.Ok((IReadOnlyList<PersonDto>)all.Skip(from).Take(take).ToList());
    }

    public static async Task<Ok<IReadOnlyList<SiteDto>>> Sites(Directory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.SitesAsync(ct));
}
