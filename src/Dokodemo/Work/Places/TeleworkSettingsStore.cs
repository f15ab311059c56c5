using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Places;

public sealed record TeleworkSettingsDto(IReadOnlyList<AccountKind> EligibleKinds, IReadOnlyList<int> EligibleDepartments, bool TrainingRequired,
    int MaxDaysPerWeek, int MinDaysAhead, bool ApprovalRequired, AllowanceSettingsDto Allowance, DateTimeOffset? UpdatedAt);

/// <summary>在宅勤務等手当 (work-rules.md E): off by default; threshold in days a month, averaged over the window.</summary>
public sealed record AllowanceSettingsDto(bool Enabled, int ThresholdDays, int WindowMonths, int AmountYen, bool HalfDaysCount);

public sealed record SettingsRequest(IReadOnlyList<string>? EligibleKinds, IReadOnlyList<int>? EligibleDepartments, bool TrainingRequired,
    int MaxDaysPerWeek, int MinDaysAhead, bool ApprovalRequired, AllowanceSettingsDto? Allowance);

public sealed record TrainingRequest(DateOnly? CompletedOn);

public sealed record TrainingDto(string UserId, DateOnly? CompletedOn);

/// <summary>The town's telework settings (one row; defaults until someone saves) and the per-person training record.</summary>
public sealed class TeleworkSettingsStore(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    public static async Task<TeleworkSettings> ReadAsync(AppDbContext db, CancellationToken ct) =>
        await db.TeleworkSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == 1, ct) ?? new TeleworkSettings();

    public Task<TeleworkSettings> CurrentAsync(CancellationToken ct = default) => ReadAsync(db, ct);

    public static TeleworkSettingsDto ToDto(TeleworkSettings s) => new(s.Kinds, s.Departments, s.TrainingRequired, s.MaxDaysPerWeek, s.MinDaysAhead,
        s.ApprovalRequired, new AllowanceSettingsDto(s.AllowanceEnabled, s.AllowanceThresholdDays, s.AllowanceWindowMonths, s.AllowanceAmountYen, s.AllowanceHalfDaysCount),
        s.UpdatedAt);

    public async Task<Result<TeleworkSettingsDto>> SaveAsync(SettingsRequest request, string actorId, CancellationToken ct)
    {
        var kinds = new List<AccountKind>();
        foreach (var k in request.EligibleKinds ?? [])
        {
            if (!Enum.TryParse<AccountKind>(k, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(k, out _))
            {
                return PlaceErrors.SettingsInvalid with { Details = new Dictionary<string, object?> { ["field"] = "eligibleKinds", ["value"] = k } };
            }

            kinds.Add(kind);
        }

        var departments = (request.EligibleDepartments ?? []).Distinct().ToList();
        var known = await db.Departments.AsNoTracking().Where(d => departments.Contains(d.Id)).CountAsync(ct);
        if (known != departments.Count)
        {
            return PlaceErrors.SettingsInvalid with { Details = new Dictionary<string, object?> { ["field"] = "eligibleDepartments" } };
        }

        var allowance = request.Allowance ?? new AllowanceSettingsDto(false, 10, 3, 3000, false);
        string? bad = request.MaxDaysPerWeek is < 0 or > 7 ? "maxDaysPerWeek"
            : request.MinDaysAhead is < 0 or > 90 ? "minDaysAhead"
            : allowance.ThresholdDays is < 0 or > 31 ? "allowance.thresholdDays"
            : allowance.WindowMonths is < 1 or > 12 ? "allowance.windowMonths"
            : allowance.AmountYen is < 0 or > 1_000_000 ? "allowance.amountYen"
            : null;
        if (bad is not null)
        {
            return PlaceErrors.SettingsInvalid with { Details = new Dictionary<string, object?> { ["field"] = bad } };
        }

        var row = await db.TeleworkSettings.FirstOrDefaultAsync(s => s.Id == 1, ct);
        if (row is null)
        {
            row = new TeleworkSettings();
            db.TeleworkSettings.Add(row);
        }

        row.EligibleKinds = string.Join(',', kinds.Distinct());
        row.EligibleDepartments = string.Join(',', departments.Order().Select(d => d.ToString(CultureInfo.InvariantCulture)));
        row.TrainingRequired = request.TrainingRequired;
        row.MaxDaysPerWeek = request.MaxDaysPerWeek;
        row.MinDaysAhead = request.MinDaysAhead;
        row.ApprovalRequired = request.ApprovalRequired;
        row.AllowanceEnabled = allowance.Enabled;
        row.AllowanceThresholdDays = allowance.ThresholdDays;
        row.AllowanceWindowMonths = allowance.WindowMonths;
        row.AllowanceAmountYen = allowance.AmountYen;
        row.AllowanceHalfDaysCount = allowance.HalfDaysCount;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedById = actorId;
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.settings.changed", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["kinds"] = row.EligibleKinds, ["departments"] = row.EligibleDepartments,
            ["training"] = row.TrainingRequired ? "required" : "not_required",
            ["maxDaysPerWeek"] = row.MaxDaysPerWeek.ToString(CultureInfo.InvariantCulture),
            ["minDaysAhead"] = row.MinDaysAhead.ToString(CultureInfo.InvariantCulture),
            ["approvalRequired"] = row.ApprovalRequired ? "yes" : "no", ["allowance"] = row.AllowanceEnabled ? "on" : "off",
        }, ct: ct);
        return ToDto(row);
    }

    public async Task<TrainingDto> TrainingOfAsync(string userId, CancellationToken ct = default) =>
        new(userId, await db.TeleworkTrainings.AsNoTracking().Where(t => t.UserId == userId).Select(t => (DateOnly?)t.CompletedOn).FirstOrDefaultAsync(ct));

    /// <summary>HR records (or, with no date, clears) the day a person completed the telework training.</summary>
    public async Task<Result<TrainingDto>> RecordTrainingAsync(string userId, DateOnly? completedOn, string actorId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return PlaceErrors.PersonUnknown;
        }

        var row = await db.TeleworkTrainings.FirstOrDefaultAsync(t => t.UserId == userId, ct);
        if (completedOn is null)
        {
            if (row is not null)
            {
                db.TeleworkTrainings.Remove(row);
            }
        }
        else
        {
            if (row is null)
            {
                row = new TeleworkTraining { UserId = userId };
                db.TeleworkTrainings.Add(row);
            }

            row.CompletedOn = completedOn.Value;
            row.RecordedById = actorId;
            row.RecordedAt = clock.GetUtcNow();
        }

        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.telework.training_recorded", AuditOutcome.Success, actorId: actorId, subjectId: userId, details: new Dictionary<string, string?>
        {
            ["completedOn"] = completedOn?.ToString("O", CultureInfo.InvariantCulture),
        }, ct: ct);
        return new TrainingDto(userId, completedOn);
    }
}
