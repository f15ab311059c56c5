using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Dokodemo.Work.Attendance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Work.Rules;

/// <summary>
/// /api/v1/work/findings: a person's year with rule codes; a team's month (with forecasts while it runs); a department's
/// year. Each asks the decision point about the person or department (本人 / 同じ所属 / HR).
/// </summary>
public static class FindingsApi
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    public static void MapFindingsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/work/findings", Person).WithTags("Work rules").RequireAuthorization(AttendanceApi.OwnPolicy);
        var team = app.MapGroup("/api/v1/work/findings").WithTags("Work rules").RequireAuthorization(AttendanceApi.TeamPolicy);
        team.MapGet("/team", Team);
        team.MapGet("/department-year", DepartmentYear);
    }

    public static async Task<Results<Ok<PersonFindings>, ProblemHttpResult>> Person(string? person, int? fiscalYear, AttendanceAccess access, WorkFindings findings,
        TownClock town, CancellationToken ct)
    {
        var year = fiscalYear ?? Domain.Calendar.JapaneseDates.FiscalYear(town.Today);
        if (year is < FirstYear or > LastYear)
        {
            return Problems.From(Errors.FindingsYearInvalid);
        }

        var who = await access.PersonAsync(person, AccessAction.Read, ct);
        return who.Ok ? TypedResults.Ok(await findings.ForPersonYearAsync(who.Value!, year, Text.IsEnglish, ct)) : Problems.From(who.Error!);
    }

    public static async Task<Results<Ok<IReadOnlyList<TeamMonthRow>>, ProblemHttpResult>> Team(int? department, string? month, DepartmentAccess departments,
        WorkFindings findings, TownClock town, CancellationToken ct)
    {
        var today = town.Today;
        DateOnly first;
        if (month is null)
        {
            first = new DateOnly(today.Year, today.Month, 1);
        }
        else if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first) || first.Year is < FirstYear or > LastYear)
        {
            return Problems.From(AttendanceErrors.MonthInvalid);
        }

        var dept = await departments.AllowedAsync(department, ct);
        return dept.Ok ? TypedResults.Ok(await findings.ForDepartmentMonthAsync(dept.Value, first, Text.IsEnglish, ct)) : Problems.From(dept.Error!);
    }

    public static async Task<Results<Ok<IReadOnlyList<PersonYearRow>>, ProblemHttpResult>> DepartmentYear(int? department, int? fiscalYear, DepartmentAccess departments,
        WorkFindings findings, TownClock town, CancellationToken ct)
    {
        var year = fiscalYear ?? Domain.Calendar.JapaneseDates.FiscalYear(town.Today);
        if (year is < FirstYear or > LastYear)
        {
            return Problems.From(Errors.FindingsYearInvalid);
        }

        var dept = await departments.AllowedAsync(department, ct);
        return dept.Ok ? TypedResults.Ok(await findings.ForDepartmentYearAsync(dept.Value, year, ct)) : Problems.From(dept.Error!);
    }
}

/// <summary>Whether the caller may read a department's working time: their own (managers) or any (HR), as the decision point says.</summary>
public sealed class DepartmentAccess(CurrentUser me, AccessCheck access, Data.AppDbContext db)
{
    public async Task<Result<int>> AllowedAsync(int? department, CancellationToken ct)
    {
        var id = department ?? me.DepartmentId;
        if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Departments, d => d.Id == id, ct))
        {
            return Errors.NotFound;
        }

        return await access.AllowsAsync(ResourceTypes.WorkTime, AccessAction.Read, "department:" + id.ToString(CultureInfo.InvariantCulture), me.RelationToDepartment(id), ct)
            ? id : AttendanceErrors.AccessDenied;
    }
}
