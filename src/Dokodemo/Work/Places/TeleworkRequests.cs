using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Places;

/// <summary>
/// A telework request: "Home" with explicit <c>dates</c>, or a weekly recurrence (<c>from</c>, <c>to</c>, <c>weekdays</c>);
/// or "Abroad" with <c>country</c>, <c>timeZone</c>, <c>from</c> and <c>to</c> (Japan dates).
/// </summary>
public sealed record NewTeleworkRequest(string? Kind, IReadOnlyList<DateOnly>? Dates, DateOnly? From, DateOnly? To, IReadOnlyList<string>? Weekdays,
    string? Country, string? TimeZone, string? Reason);

public sealed record DecisionRequest(string? Comment);

public sealed record TeleworkRequestDto(Guid Id, string UserId, string Name, TeleworkKind Kind, DateOnly From, DateOnly To, IReadOnlyList<DateOnly> Days,
    string? Country, string? TimeZone, string Reason, TeleworkState State, DateTimeOffset CreatedAt, string? DecidedById, string DecidedBy,
    DateTimeOffset? DecidedAt, string Comment);

/// <summary>テレワーク申請 and its decision: request, approve or decline (with a comment), withdraw, cancel. Every decision is audited.</summary>
public sealed class TeleworkRequests(AppDbContext db, TownClock town, Approvers approvers, AccessCheck access, CurrentUser me, Subjects subjects, AuditLog audit)
{
    public const int MaxText = 500;
    public const int MaxSpanDays = 366;

    public async Task<Result<TeleworkRequestDto>> CreateAsync(string userId, NewTeleworkRequest request, CancellationToken ct)
    {
        if (!Enum.TryParse<TeleworkKind>(request.Kind?.Trim(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(request.Kind, out _))
        {
            return PlaceErrors.RequestKindUnknown;
        }

        var reason = (request.Reason ?? "").Trim();
        if (reason.Length is 0 or > MaxText)
        {
            return PlaceErrors.ReasonRequired;
        }

        string? country = null, zone = null;
        List<DateOnly> days;
        DateOnly from, to;
        if (kind == TeleworkKind.Abroad)
        {
            var c = WorkPlaces.CheckCountry(request.Country);
            if (!c.Ok)
            {
                return c.Error!;
            }

            var z = WorkPlaces.CheckTimeZone(request.TimeZone);
            if (!z.Ok)
            {
                return z.Error!;
            }

            (country, zone) = (c.Value, z.Value);
            if (request.From is not { } f || request.To is not { } t || t < f || t.DayNumber - f.DayNumber >= MaxSpanDays)
            {
                return PlaceErrors.RequestPeriodInvalid;
            }

            (from, to) = (f, t);
            days = [.. Range(from, to).Where(d => town.DayTypeOf(d) == DayType.Workday)];
        }
        else if (request.Dates is { Count: > 0 } dates)
        {
            days = [.. dates.Distinct().Order()];
            if (days.Any(d => town.DayTypeOf(d) != DayType.Workday))
            {
                return PlaceErrors.DayOff;
            }

            (from, to) = (days[0], days[^1]);
            if (to.DayNumber - from.DayNumber >= MaxSpanDays)
            {
                return PlaceErrors.RequestPeriodInvalid;
            }
        }
        else
        {
            if (request.From is not { } f || request.To is not { } t || t < f || t.DayNumber - f.DayNumber >= MaxSpanDays)
            {
                return PlaceErrors.RequestPeriodInvalid;
            }

            var weekdays = new HashSet<DayOfWeek>();
            foreach (var w in request.Weekdays ?? [])
            {
                if (!Enum.TryParse<DayOfWeek>(w, ignoreCase: true, out var day) || !WorkPlaces.Weekdays.Contains(day) || int.TryParse(w, out _))
                {
                    return PlaceErrors.RequestNoDays;
                }

                weekdays.Add(day);
            }

            days = [.. Range(f, t).Where(d => weekdays.Contains(d.DayOfWeek) && town.DayTypeOf(d) == DayType.Workday)];
            if (days.Count == 0)
            {
                return PlaceErrors.RequestNoDays;
            }

            (from, to) = (days[0], days[^1]);
        }

        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Kind, u.DepartmentId }).FirstOrDefaultAsync(ct);
        if (person is null)
        {
            return PlaceErrors.PersonUnknown;
        }

        // The town's rules (work.settings): who may, training, how far ahead, how many days a week.
        var settings = await TeleworkSettingsStore.ReadAsync(db, ct);
        if (!settings.Kinds.Contains(person.Kind) || (settings.Departments.Count > 0 && !settings.Departments.Contains(person.DepartmentId)))
        {
            return PlaceErrors.NotEligible;
        }

        var today = town.Today;
        if (settings.TrainingRequired && !await db.TeleworkTrainings.AnyAsync(t => t.UserId == userId && t.CompletedOn <= today, ct))
        {
            return PlaceErrors.TrainingRequired;
        }

        if (from < today.AddDays(settings.MinDaysAhead))
        {
            return PlaceErrors.TooLate with
            {
                Details = new Dictionary<string, object?> { ["field"] = "from", ["minDaysAhead"] = settings.MinDaysAhead, ["earliest"] = today.AddDays(settings.MinDaysAhead) },
            };
        }

        // Days already asked for (pending) or granted (approved) are not asked for twice.
        var open = new[] { TeleworkState.Pending, TeleworkState.Approved };
        var taken = await db.TeleworkRequestDays.AsNoTracking()
            .Where(d => d.UserId == userId && d.Date >= from.AddDays(-7) && d.Date <= to.AddDays(7))
            .Join(db.TeleworkRequests.Where(r => open.Contains(r.State)), d => d.RequestId, r => r.Id, (d, r) => new { d.Date, r.Kind })
            .ToListAsync(ct);
        if (days.Any(d => taken.Any(t => t.Date == d)) || (kind == TeleworkKind.Abroad && await OverlapsAbroadAsync(userId, from, to, ct)))
        {
            return PlaceErrors.Overlaps;
        }

        if (kind == TeleworkKind.Home)
        {
            foreach (var week in days.GroupBy(WeekOf))
            {
                var already = taken.Count(t => t.Kind == TeleworkKind.Home && WeekOf(t.Date) == week.Key);
                if (already + week.Count() > settings.MaxDaysPerWeek)
                {
                    return PlaceErrors.WeeklyLimit with
                    {
                        Details = new Dictionary<string, object?> { ["week"] = week.Key, ["maxDaysPerWeek"] = settings.MaxDaysPerWeek, ["already"] = already },
                    };
                }
            }
        }

        var entity = new TeleworkRequest
        {
            Id = Guid.NewGuid(), UserId = userId, Kind = kind, From = from, To = to, Country = country, TimeZone = zone, Reason = reason,
            State = TeleworkState.Pending, CreatedAt = town.Now,
            Days = [.. days.Select(d => new TeleworkRequestDay { UserId = userId, Date = d })],
        };
        db.TeleworkRequests.Add(entity);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.telework.requested", AuditOutcome.Success, actorId: userId, subjectId: userId, details: Describe(entity), ct: ct);
        return (await ToDtosAsync([entity], ct))[0];
    }

    public async Task<IReadOnlyList<TeleworkRequestDto>> MineAsync(string userId, CancellationToken ct = default)
    {
        var rows = await db.TeleworkRequests.AsNoTracking().Include(r => r.Days).Where(r => r.UserId == userId)
            .OrderByDescending(r => r.From).Take(200).ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    /// <summary>Pending requests the caller approves (Approvers: the department's managers, else HR).</summary>
    public async Task<IReadOnlyList<TeleworkRequestDto>> PendingForAsync(string approverId, CancellationToken ct = default)
    {
        var rows = await db.TeleworkRequests.AsNoTracking().Include(r => r.Days).Where(r => r.State == TeleworkState.Pending)
            .OrderBy(r => r.From).Take(1000).ToListAsync(ct);
        var approved = await approvers.ApprovedByAsync(approverId, rows.Select(r => r.UserId), ct);
        var mine = rows.Where(r => approved.Contains(r.UserId)).ToList();

        return await ToDtosAsync([.. mine.OrderBy(r => r.From)], ct);
    }

    public async Task<Result<TeleworkRequestDto>> GetAsync(Guid id, CancellationToken ct = default)
    {
        var row = await db.TeleworkRequests.AsNoTracking().Include(r => r.Days).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return PlaceErrors.RequestNotFound;
        }

        var relation = await RelationToAsync(row.UserId, ct);
        return await access.AllowsAsync(ResourceTypes.WorkTime, AccessAction.Read, row.UserId, relation, ct) || await approvers.IsApproverAsync(me.Id, row.UserId, ct)
            ? (await ToDtosAsync([row], ct))[0]
            : PlaceErrors.AccessDenied;
    }

    /// <summary>
    /// An approver decides. Approval sets each covered working day's place (在宅 / abroad) where the person has declared
    /// nothing, in the same transaction as the decision and its audit entry.
    /// </summary>
    public async Task<Result<TeleworkRequestDto>> DecideAsync(Guid id, bool approve, string? comment, CancellationToken ct)
    {
        var text = (comment ?? "").Trim();
        if (text.Length > MaxText)
        {
            return PlaceErrors.CommentTooLong;
        }

        var row = await db.TeleworkRequests.Include(r => r.Days).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return PlaceErrors.RequestNotFound;
        }

        var relation = await RelationToAsync(row.UserId, ct);
        if (!await approvers.IsApproverAsync(me.Id, row.UserId, ct) ||
            !await access.AllowsAsync(ResourceTypes.WorkTime, AccessAction.Update, row.UserId, relation, ct))
        {
            return PlaceErrors.AccessDenied;
        }

        if (row.State != TeleworkState.Pending)
        {
            return PlaceErrors.AlreadyDecided;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        row.State = approve ? TeleworkState.Approved : TeleworkState.Declined;
        row.DecidedById = me.Id;
        row.DecidedAt = town.Now;
        row.DecisionComment = text;
        if (approve)
        {
            var dates = row.Days.Select(d => d.Date).ToList();
            var declared = await db.WorkPlaceDeclarations.Where(d => d.UserId == row.UserId && dates.Contains(d.Date))
                .Select(d => new { d.Date, d.Half }).ToListAsync(ct);
            foreach (var date in dates)
            {
                foreach (var half in new[] { DayHalf.Morning, DayHalf.Afternoon })
                {
                    if (!declared.Contains(new { Date = date, Half = half }))
                    {
                        db.WorkPlaceDeclarations.Add(new WorkPlaceDeclaration
                        {
                            Id = Guid.NewGuid(), UserId = row.UserId, Date = date, Half = half,
                            Kind = row.Kind == TeleworkKind.Abroad ? WorkPlaceKind.Abroad : WorkPlaceKind.Home,
                            Country = row.Country, TimeZone = row.TimeZone, RequestId = row.Id, DeclaredById = me.Id, DeclaredAt = town.Now,
                        });
                    }
                }
            }
        }

        await db.SaveChangesAsync(ct);
        var details = Describe(row);
        details["comment"] = text;
        await audit.WriteAsync(approve ? "work.telework.approved" : "work.telework.declined", AuditOutcome.Success, actorId: me.Id, subjectId: row.UserId,
            details: details, within: db, ct: ct);
        await tx.CommitAsync(ct);
        subjects.Invalidate(row.UserId);
        return (await ToDtosAsync([row], ct))[0];
    }

    /// <summary>The person takes back a pending request.</summary>
    public Task<Result<TeleworkRequestDto>> WithdrawAsync(Guid id, CancellationToken ct) => CloseAsync(id, cancel: false, ct);

    /// <summary>The person cancels an approved request before its first day; the places it set are removed.</summary>
    public Task<Result<TeleworkRequestDto>> CancelAsync(Guid id, CancellationToken ct) => CloseAsync(id, cancel: true, ct);

    private async Task<Result<TeleworkRequestDto>> CloseAsync(Guid id, bool cancel, CancellationToken ct)
    {
        var row = await db.TeleworkRequests.Include(r => r.Days).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return PlaceErrors.RequestNotFound;
        }

        if (row.UserId != me.Id || !await access.AllowsAsync(ResourceTypes.WorkTime, AccessAction.Update, row.UserId, Relation.Self, ct))
        {
            return PlaceErrors.AccessDenied;
        }

        if (cancel && row.State != TeleworkState.Approved)
        {
            return PlaceErrors.NotApproved;
        }

        if (!cancel && row.State != TeleworkState.Pending)
        {
            return PlaceErrors.AlreadyDecided;
        }

        if (cancel && row.From <= town.Today)
        {
            return PlaceErrors.AlreadyStarted;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        row.State = cancel ? TeleworkState.Cancelled : TeleworkState.Withdrawn;
        row.ClosedAt = town.Now;
        if (cancel)
        {
            db.WorkPlaceDeclarations.RemoveRange(await db.WorkPlaceDeclarations.Where(d => d.RequestId == row.Id).ToListAsync(ct));
        }

        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(cancel ? "work.telework.cancelled" : "work.telework.withdrawn", AuditOutcome.Success, actorId: me.Id, subjectId: row.UserId,
            details: Describe(row), within: db, ct: ct);
        await tx.CommitAsync(ct);
        subjects.Invalidate(row.UserId);
        return (await ToDtosAsync([row], ct))[0];
    }

    /// <summary>Self, the caller's department, or none: what the policy is told about the record's person.</summary>
    public async Task<Relation> RelationToAsync(string userId, CancellationToken ct)
    {
        if (userId == me.Id)
        {
            return Relation.Self;
        }

        var department = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (int?)u.DepartmentId).FirstOrDefaultAsync(ct);
        return department is { } d ? me.RelationToDepartment(d) : Relation.None;
    }

    private async Task<bool> OverlapsAbroadAsync(string userId, DateOnly from, DateOnly to, CancellationToken ct) =>
        await db.TeleworkRequests.AnyAsync(r => r.UserId == userId && r.Kind == TeleworkKind.Abroad
            && (r.State == TeleworkState.Pending || r.State == TeleworkState.Approved) && r.From <= to && r.To >= from, ct);

    private static DateOnly WeekOf(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));

    private static IEnumerable<DateOnly> Range(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            yield return d;
        }
    }

    private static Dictionary<string, string?> Describe(TeleworkRequest r) => new()
    {
        ["request"] = r.Id.ToString(), ["kind"] = r.Kind.ToString(),
        ["from"] = r.From.ToString("O", CultureInfo.InvariantCulture), ["to"] = r.To.ToString("O", CultureInfo.InvariantCulture),
        ["days"] = r.Days.Count.ToString(CultureInfo.InvariantCulture), ["country"] = r.Country,
    };

    private async Task<IReadOnlyList<TeleworkRequestDto>> ToDtosAsync(IReadOnlyList<TeleworkRequest> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.UserId).Concat(rows.Select(r => r.DecidedById ?? "")).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. rows.Select(r => new TeleworkRequestDto(r.Id, r.UserId, names.GetValueOrDefault(r.UserId, r.UserId), r.Kind, r.From, r.To,
            [.. r.Days.Select(d => d.Date).Order()], r.Country, r.TimeZone, r.Reason, r.State, r.CreatedAt, r.DecidedById,
            r.DecidedById is null ? "" : names.GetValueOrDefault(r.DecidedById, r.DecidedById), r.DecidedAt, r.DecisionComment))];
    }
}
