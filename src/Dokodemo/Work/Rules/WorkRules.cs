using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Work;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Rules;

/// <summary>The town's parameters of the working-time rules (work-rules section J), with the spec's defaults.</summary>
public sealed record RuleParameters
{
    public CapSettings Caps { get; init; } = CapSettings.Default;
    public DayRuleSettings DayRules { get; init; } = DayRuleSettings.Default;
    public CountingSettings Counting { get; init; } = CountingSettings.Default;

    /// <summary>Overtime pay rates, the 60h line and the monthly rounding for the payroll export (I-1).</summary>
    public PaySettings Pay { get; init; } = PaySettings.Default;

    /// <summary>Flex (D-4): the 単位期間, the hours it must add up to, core time and band.</summary>
    public FlexSettings Flex { get; init; } = FlexSettings.Default;

    /// <summary>早出遅出 patterns (D-5) and how far ahead people ask for them or for flex.</summary>
    public Arrangements.ArrangementSettings Arrangements { get; init; } = Work.Arrangements.ArrangementSettings.Default;
}

public sealed record DesignationDto(int Id, int? DepartmentId, string? UserId, DepartmentPace Pace, DateOnly From, DateOnly? To, string Note);

public sealed record DesignationRequest(int? DepartmentId, string? UserId, DepartmentPace? Pace, DateOnly? From, DateOnly? To, string? Note);

public sealed record AgreementDto(int Id, int DepartmentId, string Name, DateOnly From, DateOnly? To, int StartMonth, bool SpecialClause, bool YearlyVariable);

public sealed record AgreementRequest(int? DepartmentId, string? Name, DateOnly? From, DateOnly? To, int? StartMonth, bool SpecialClause, bool YearlyVariable);

public sealed record SpecialDutyDto(int Id, string UserId, DateOnly Month, string Duty, string? Analysis, string? AnalysisById, DateTimeOffset? AnalysisAt,
    DateTimeOffset CreatedAt, string? CreatedById);

public sealed record SpecialDutyRequest(string? UserId, string? Month, string? Duty);

public sealed record AnalysisRequest(string? Analysis);

/// <summary>What the engine needs about one person besides their days.</summary>
public sealed record PersonRules(IReadOnlyList<Designation> Designations, IReadOnlyList<LaborAgreement> Agreements, IReadOnlyList<SpecialDutyMonth> SpecialDuty);

/// <summary>
/// The town's rule settings: designations (他律/自律), 36協定 workplaces, 特例業務 with their analyses, and the parameters.
/// Every change is audited; the engine reads them through <see cref="ForPeopleAsync"/>.
/// </summary>
public sealed class WorkRules(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<RuleParameters> ParametersAsync(CancellationToken ct)
    {
        var json = await db.WorkRuleSettings.AsNoTracking().OrderByDescending(v => v.Version).Select(v => v.Json).FirstOrDefaultAsync(ct);
        return json is null ? new RuleParameters() : JsonSerializer.Deserialize<RuleParameters>(json, Json) ?? new RuleParameters();
    }

    public async Task<Result<RuleParameters>> SaveParametersAsync(RuleParameters? p, string actorId, CancellationToken ct)
    {
        if (p is null || Problem(p) is { } problem)
        {
            return Errors.RulesInvalid with { Details = new Dictionary<string, object?> { ["problem"] = p is null ? "missing" : Problem(p) } };
        }

        var version = (await db.WorkRuleSettings.MaxAsync(v => (int?)v.Version, ct) ?? 0) + 1;
        db.WorkRuleSettings.Add(new WorkRuleSettingsVersion { Version = version, Json = JsonSerializer.Serialize(p, Json), CreatedAt = clock.GetUtcNow(), CreatedById = actorId });
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.rules_changed", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?> { ["version"] = version.ToString(CultureInfo.InvariantCulture) }, ct: ct);
        return p;
    }

    /// <summary>The first thing wrong with the parameters, in English for the API's "problem" field, or null.</summary>
    public static string? Problem(RuleParameters p)
    {
        var c = p.Caps;
        int[] positive = [c.MonthlyMinutes, c.AnnualMinutes, c.OtherDirectedMonthlyMinutes, c.OtherDirectedAnnualMinutes, c.AverageMinutes,
            c.TransitionRemainderMinutesPerMonth, c.InterviewWithoutRequestMinutes, c.HealthExcessMinutes, c.AgreementMonthlyMinutes,
            c.AgreementAnnualMinutes, c.AgreementVariableMonthlyMinutes, c.AgreementVariableAnnualMinutes, c.AgreementSpecialAnnualMinutes,
            c.AgreementMonthlyCeilingMinutes, p.Counting.LaborDailyMinutes, p.Counting.LaborWeeklyMinutes, p.DayRules.RegularBreakMinutes];
        if (positive.Any(m => m is <= 0 or > 10_000 * 60))
        {
            return "every hour limit must be more than 0";
        }

        if (c.YearStartMonth is < 1 or > 12)
        {
            return "caps.yearStartMonth must be 1–12";
        }

        if (c.AverageWindowMonths is < 2 or > 12 || c.MonthsOverMonthlyMax is < 0 or > 12)
        {
            return "caps.averageWindowMonths must be 2–12 and caps.monthsOverMonthlyMax 0–12";
        }

        if (c.ForecastMarginPercent is < 1 or > 100)
        {
            return "caps.forecastMarginPercent must be 1–100";
        }

        if (p.DayRules.IntervalMinutes is < 0 or > 24 * 60 || p.DayRules.RecordToleranceMinutes is < 0 or > 240)
        {
            return "dayRules.intervalMinutes must be 0–1440 and dayRules.recordToleranceMinutes 0–240";
        }

        // C-2 may be turned off (dayRules.checkRecords), but a tolerance of a whole working day would silently do the same.
        if (p.DayRules.CheckRecords && p.DayRules.RecordToleranceMinutes > 180)
        {
            return "dayRules.recordToleranceMinutes must be at most 180 while dayRules.checkRecords is on (turn it off instead)";
        }

        if (p.DayRules.BreakThresholds.Count == 0 || p.DayRules.BreakThresholds.Any(t => t.OverMinutes <= 0 || t.BreakMinutes <= 0))
        {
            return "dayRules.breakThresholds must list positive thresholds";
        }

        if (p.Counting.NightStartHour is < 0 or > 23 || p.Counting.NightEndHour is < 0 or > 23)
        {
            return "counting night hours must be 0–23";
        }

        var pay = p.Pay;
        decimal[] rates = [pay.WorkdayRate, pay.RestDayRate, pay.NightAddition, pay.Beyond60Rate, pay.Beyond60NightRate, pay.HolidayRate];
        return rates.Any(r => r is < 0 or > 10) ? "every pay rate must be between 0 and 10"
            : pay.Beyond60Minutes is <= 0 or > 744 * 60 ? "pay.beyond60Minutes must be more than 0 and at most a month"
            : pay.WeeklyMinutes <= 0 || pay.DailyMinutes <= 0 ? "pay.weeklyMinutes and pay.dailyMinutes must be more than 0"
            : p.Flex is null || p.Arrangements is null ? "flex and arrangements are required"
            : p.Arrangements.Problem(p.Flex);
    }

    public async Task<IReadOnlyList<DesignationDto>> DesignationsAsync(CancellationToken ct) =>
        await db.WorkDesignations.AsNoTracking().OrderBy(d => d.DepartmentId).ThenBy(d => d.UserId).ThenBy(d => d.From)
            .Select(d => new DesignationDto(d.Id, d.DepartmentId, d.UserId, d.Pace, d.From, d.To, d.Note)).ToListAsync(ct);

    public async Task<Result<DesignationDto>> AddDesignationAsync(DesignationRequest r, string actorId, CancellationToken ct)
    {
        if ((r.DepartmentId is null) == (r.UserId is null))
        {
            return Errors.RulesTargetRequired;
        }

        if (r.Pace is not { } pace || !Enum.IsDefined(pace) || r.From is not { } from || (r.To is { } to && to < from))
        {
            return Errors.RulesPeriodInvalid;
        }

        if (r.DepartmentId is { } dept && !await db.Departments.AnyAsync(d => d.Id == dept, ct) || r.UserId is { } uid && !await db.Users.AnyAsync(u => u.Id == uid, ct))
        {
            return Errors.RulesTargetRequired;
        }

        var row = new WorkDesignation
        {
            DepartmentId = r.DepartmentId, UserId = r.UserId, Pace = pace, From = from, To = r.To, Note = Trim(r.Note, 200),
            CreatedAt = clock.GetUtcNow(), CreatedById = actorId,
        };
        db.WorkDesignations.Add(row);
        await db.SaveChangesAsync(ct);
        await AuditAsync("work.designation_added", actorId, r.UserId, new() { ["id"] = Id(row.Id), ["department"] = r.DepartmentId?.ToString(CultureInfo.InvariantCulture), ["pace"] = pace.ToString(), ["from"] = D(from), ["to"] = r.To is { } t ? D(t) : null }, ct);
        return new DesignationDto(row.Id, row.DepartmentId, row.UserId, row.Pace, row.From, row.To, row.Note);
    }

    public async Task<bool> RemoveDesignationAsync(int id, string actorId, CancellationToken ct)
    {
        var row = await db.WorkDesignations.FindAsync([id], ct);
        if (row is null)
        {
            return false;
        }

        db.WorkDesignations.Remove(row);
        await db.SaveChangesAsync(ct);
        await AuditAsync("work.designation_removed", actorId, row.UserId, new() { ["id"] = Id(id), ["pace"] = row.Pace.ToString(), ["from"] = D(row.From) }, ct);
        return true;
    }

    public async Task<IReadOnlyList<AgreementDto>> AgreementsAsync(CancellationToken ct) =>
        await db.WorkAgreements.AsNoTracking().OrderBy(a => a.DepartmentId).ThenBy(a => a.From)
            .Select(a => new AgreementDto(a.Id, a.DepartmentId, a.Name, a.From, a.To, a.StartMonth, a.SpecialClause, a.YearlyVariable)).ToListAsync(ct);

    public async Task<Result<AgreementDto>> AddAgreementAsync(AgreementRequest r, string actorId, CancellationToken ct)
    {
        if (r.DepartmentId is not { } dept || !await db.Departments.AnyAsync(d => d.Id == dept, ct))
        {
            return Errors.RulesTargetRequired;
        }

        if (r.From is not { } from || (r.To is { } to && to < from) || r.StartMonth is < 1 or > 12)
        {
            return Errors.RulesPeriodInvalid;
        }

        var name = Trim(r.Name, 100);
        if (name.Length == 0)
        {
            return Errors.RulesNameRequired;
        }

        var row = new WorkAgreement
        {
            DepartmentId = dept, Name = name, From = from, To = r.To, StartMonth = r.StartMonth ?? 4, SpecialClause = r.SpecialClause,
            YearlyVariable = r.YearlyVariable, CreatedAt = clock.GetUtcNow(), CreatedById = actorId,
        };
        db.WorkAgreements.Add(row);
        await db.SaveChangesAsync(ct);
        await AuditAsync("work.agreement_added", actorId, null, new() { ["id"] = Id(row.Id), ["department"] = Id(dept), ["from"] = D(from), ["specialClause"] = r.SpecialClause ? "yes" : "no" }, ct);
        return new AgreementDto(row.Id, row.DepartmentId, row.Name, row.From, row.To, row.StartMonth, row.SpecialClause, row.YearlyVariable);
    }

    public async Task<bool> RemoveAgreementAsync(int id, string actorId, CancellationToken ct)
    {
        var row = await db.WorkAgreements.FindAsync([id], ct);
        if (row is null)
        {
            return false;
        }

        db.WorkAgreements.Remove(row);
        await db.SaveChangesAsync(ct);
        await AuditAsync("work.agreement_removed", actorId, null, new() { ["id"] = Id(id), ["name"] = row.Name }, ct);
        return true;
    }

    public async Task<IReadOnlyList<SpecialDutyDto>> SpecialDutiesAsync(string? userId, CancellationToken ct) =>
        await db.SpecialDuties.AsNoTracking().Where(s => userId == null || s.UserId == userId).OrderByDescending(s => s.Month)
            .Select(s => new SpecialDutyDto(s.Id, s.UserId, s.Month, s.Duty, s.Analysis, s.AnalysisById, s.AnalysisAt, s.CreatedAt, s.CreatedById)).ToListAsync(ct);

    /// <summary>Tags a person's month as 特例業務; the caps then do not apply to it, but an analysis becomes due.</summary>
    public async Task<Result<SpecialDutyDto>> AddSpecialDutyAsync(SpecialDutyRequest r, string actorId, CancellationToken ct)
    {
        if (r.UserId is not { } uid || !await db.Users.AnyAsync(u => u.Id == uid, ct))
        {
            return Errors.RulesTargetRequired;
        }

        if (!DateOnly.TryParseExact(r.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return Errors.RulesPeriodInvalid;
        }

        var duty = Trim(r.Duty, 200);
        if (duty.Length == 0)
        {
            return Errors.RulesNameRequired;
        }

        if (await db.SpecialDuties.AnyAsync(s => s.UserId == uid && s.Month == month, ct))
        {
            return Errors.RulesDuplicate;
        }

        var row = new SpecialDutyRecord { UserId = uid, Month = month, Duty = duty, CreatedAt = clock.GetUtcNow(), CreatedById = actorId };
        db.SpecialDuties.Add(row);
        await db.SaveChangesAsync(ct);
        await AuditAsync("work.special_duty_added", actorId, uid, new() { ["id"] = Id(row.Id), ["month"] = D(month), ["duty"] = duty }, ct);
        return new SpecialDutyDto(row.Id, row.UserId, row.Month, row.Duty, null, null, null, row.CreatedAt, row.CreatedById);
    }

    /// <summary>Records the 要因の整理・分析・検証 for a 特例業務 month .</summary>
    public async Task<Result<SpecialDutyDto>> AnalyseAsync(int id, string? analysis, string actorId, CancellationToken ct)
    {
        var row = await db.SpecialDuties.FindAsync([id], ct);
        if (row is null)
        {
            return Errors.NotFound;
        }

        var text = Trim(analysis, 4000);
        if (text.Length == 0)
        {
            return Errors.RulesAnalysisRequired;
        }

        row.Analysis = text;
        row.AnalysisById = actorId;
        row.AnalysisAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await AuditAsync("work.special_duty_analysed", actorId, row.UserId, new() { ["id"] = Id(id), ["month"] = D(row.Month) }, ct);
        return new SpecialDutyDto(row.Id, row.UserId, row.Month, row.Duty, row.Analysis, row.AnalysisById, row.AnalysisAt, row.CreatedAt, row.CreatedById);
    }

    /// <summary>The designations, agreements and 特例業務 that apply to each person (by their department and their own rows).</summary>
    public async Task<IReadOnlyDictionary<string, PersonRules>> ForPeopleAsync(IReadOnlyCollection<(string UserId, int DepartmentId)> people, CancellationToken ct)
    {
        var ids = people.Select(p => p.UserId).ToList();
        var depts = people.Select(p => p.DepartmentId).Distinct().ToList();
        var designations = await db.WorkDesignations.AsNoTracking()
            .Where(d => (d.DepartmentId != null && depts.Contains(d.DepartmentId.Value)) || (d.UserId != null && ids.Contains(d.UserId))).ToListAsync(ct);
        var agreements = await db.WorkAgreements.AsNoTracking().Where(a => depts.Contains(a.DepartmentId)).ToListAsync(ct);
        var duties = await db.SpecialDuties.AsNoTracking().Where(s => ids.Contains(s.UserId)).ToListAsync(ct);
        var names = await db.Users.AsNoTracking().Where(u => duties.Select(d => d.AnalysisById).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var result = new Dictionary<string, PersonRules>(StringComparer.Ordinal);
        foreach (var (userId, dept) in people)
        {
            // Department rows first, the person's own rows after: where they overlap, the later start wins in the engine,
            // and a person's row on the same start day wins by coming last.
            var own = designations.Where(d => d.DepartmentId == dept && d.UserId == null).OrderBy(d => d.From)
                .Concat(designations.Where(d => d.UserId == userId).OrderBy(d => d.From))
                .Select(d => new Designation(d.From, d.To, d.Pace, d.UserId is null ? "department" : "person")).ToList();
            var agreed = agreements.Where(a => a.DepartmentId == dept)
                .Select(a => new LaborAgreement(a.From, a.To, a.StartMonth, a.SpecialClause, a.YearlyVariable, a.Name)).ToList();
            var special = duties.Where(s => s.UserId == userId).Select(s => new SpecialDutyMonth(s.Month, s.Duty,
                s.Analysis is null ? null : new CauseAnalysis(names.GetValueOrDefault(s.AnalysisById ?? "") ?? "", DateOnly.FromDateTime(s.AnalysisAt!.Value.UtcDateTime), s.Analysis))).ToList();
            result[userId] = new PersonRules(own, agreed, special);
        }

        return result;
    }

    private Task AuditAsync(string e, string actorId, string? subjectId, Dictionary<string, string?> details, CancellationToken ct) =>
        audit.WriteAsync(e, AuditOutcome.Success, actorId: actorId, subjectId: subjectId, details: details, ct: ct);

    private static string Trim(string? text, int max)
    {
        var t = (text ?? "").Trim();
        return t.Length > max ? t[..max] : t;
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
