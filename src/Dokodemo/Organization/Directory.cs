using Dokodemo.Access;
using Dokodemo.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Organization;

public sealed record SectionDto(int Id, string Name, string NameEn);
public sealed record DepartmentDto(int Id, string Code, string Name, string NameEn, IReadOnlyList<SectionDto> Sections, int Members);
public sealed record PersonDto(string Id, string DisplayName, string Kana, string Title, string Kind, int DepartmentId, string Department, int? SectionId, string? Section, string Email);
public sealed record SiteDto(int Id, string Name, string NameEn, string Kind, string Address);

/// <summary>The org chart and the people in it. Read queries project to DTOs (STYLE.md §9).</summary>
public sealed class Directory(AppDbContext db)
{
    public async Task<IReadOnlyList<DepartmentDto>> DepartmentsAsync(CancellationToken ct = default)
    {
        var counts = await db.Users.AsNoTracking().Where(u => !u.IsDisabled).GroupBy(u => u.DepartmentId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var depts = await db.Departments.AsNoTracking().OrderBy(d => d.SortOrder).ThenBy(d => d.Id)
            .Select(d => new { d.Id, d.Code, d.Name, d.NameEn, Sections = d.Sections.OrderBy(s => s.SortOrder).Select(s => new SectionDto(s.Id, s.Name, s.NameEn)).ToList() })
            .ToListAsync(ct);
        return depts.Select(d => new DepartmentDto(d.Id, d.Code, d.Name, d.NameEn, d.Sections, counts.GetValueOrDefault(d.Id))).ToList();
    }

    /// <summary>People, optionally in one department or section or matching a search; disabled accounts are hidden.</summary>
    public async Task<IReadOnlyList<PersonDto>> PeopleAsync(int? departmentId = null, int? sectionId = null, string? search = null, CancellationToken ct = default)
    {
        var q = db.Users.AsNoTracking().Where(u => !u.IsDisabled);
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
            var term = search.Trim();
            var compact = term.Replace(" ", "", StringComparison.Ordinal).Replace("　", "", StringComparison.Ordinal);
            q = q.Where(u => u.DisplayName.Contains(term) || u.DisplayNameKana.Contains(term) || u.Email!.Contains(term)
                || u.DisplayName.Replace(" ", "").Contains(compact) || u.DisplayNameKana.Replace(" ", "").Contains(compact));
        }

        return await q.OrderBy(u => u.Department!.SortOrder).ThenBy(u => u.Section!.SortOrder).ThenBy(u => u.DisplayNameKana)
            .Select(u => new PersonDto(u.Id, u.DisplayName, u.DisplayNameKana, u.Title, u.Kind.ToString(), u.DepartmentId, u.Department!.Name,
                u.SectionId, u.Section!.Name, u.Email ?? ""))
            .Take(500)
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<SiteDto>> SitesAsync(CancellationToken ct = default) =>
        await db.Sites.AsNoTracking().OrderBy(s => s.SortOrder)
            .Select(s => new SiteDto(s.Id, s.Name, s.NameEn, s.Kind.ToString(), s.Address)).ToListAsync(ct);
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

    public static async Task<Ok<IReadOnlyList<PersonDto>>> People(Directory directory, int? departmentId, int? sectionId, string? q, CancellationToken ct) =>
        TypedResults.Ok(await directory.PeopleAsync(departmentId, sectionId, q is { Length: > 100 } ? q[..100] : q, ct));

    public static async Task<Ok<IReadOnlyList<SiteDto>>> Sites(Directory directory, CancellationToken ct) =>
        TypedResults.Ok(await directory.SitesAsync(ct));
}
