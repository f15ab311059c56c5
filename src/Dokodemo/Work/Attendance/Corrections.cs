using System.Text.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>One proposed record: kind "work" or "break", start and end "HH:mm" in Japan time on the day (end may pass 24:00).</summary>
public sealed record ProposedRecord(string? Kind, string? Start, string? End);

public sealed record CorrectionRequest(string? Person, DateOnly? Date, string? Reason, string? TimeZone, IReadOnlyList<ProposedRecord>? Records);

public sealed record DecisionRequest(string? Comment);

public sealed record CorrectionDto(Guid Id, string UserId, string? PersonName, DateOnly Date, string Reason, IReadOnlyList<ProposedRecord> Records,
    CorrectionStatus Status, DateTimeOffset RequestedAt, string RequestedById, DateTimeOffset? DecidedAt, string? DecidedById, string? Comment,
    bool LockedMonth, bool NeedsHr);

/// <summary>A validated stretch of time.</summary>
public readonly record struct Stretch(ClockKind Kind, DateTimeOffset Start, DateTimeOffset End);

/// <summary>打刻修正: propose with a reason, approve (replacing the day's records, keeping the originals) or decline.</summary>
public sealed class Corrections(AppDbContext db, TimeProvider clock, AuditLog audit, MonthLocks locks, IWorkPlaceOfDay places)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result<CorrectionDto>> ProposeAsync(AttendancePerson person, CorrectionRequest request, string actorId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return AttendanceErrors.ReasonRequired;
        }

        if (request.Date is not { } date)
        {
            return Errors.Field("work.attendance.date_required", "date");
        }

        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? person.TimeZone : request.TimeZone.Trim();
        if (JapanTime.FindZone(zone) is null)
        {
            return AttendanceErrors.TimeZoneUnknown;
        }

        var stretches = Validate(date, request.Records, clock.GetUtcNow());
        if (!stretches.Ok)
        {
            return stretches.Error!;
        }

        var correction = new AttendanceCorrection
        {
            Id = Guid.NewGuid(),
            UserId = person.Id,
            Date = date,
            Reason = request.Reason.Trim().Length > 500 ? request.Reason.Trim()[..500] : request.Reason.Trim(),
            Proposed = JsonSerializer.Serialize(new StoredProposal(zone, request.Records!), Json),
            Status = CorrectionStatus.Pending,
            RequestedAt = clock.GetUtcNow(),
            RequestedById = actorId,
        };
        db.AttendanceCorrections.Add(correction);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.attendance.correction_requested", AuditOutcome.Success, actorId: actorId, subjectId: person.Id, details: new Dictionary<string, string?>
        {
            ["correction"] = correction.Id.ToString(), ["date"] = Iso(date), ["records"] = Summary(stretches.Value!),
        }, ct: ct);
        return await DtoAsync(correction, ct);
    }

    /// <summary>
    /// Validates a day's proposed records: each ends after it starts, work stretches do not overlap, breaks lie inside
    /// work, each starts on the day (Japan time), nothing is in the future.
    /// </summary>
    public static Result<List<Stretch>> Validate(DateOnly date, IReadOnlyList<ProposedRecord>? records, DateTimeOffset now)
    {
        if (date > JapanTime.DateOf(now))
        {
            return AttendanceErrors.Future;
        }

        if (records is null || records.Count == 0 || records.Count > 20)
        {
            return AttendanceErrors.RecordsRequired;
        }

        var list = new List<Stretch>();
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var kind = (r.Kind ?? "work").Trim().ToLowerInvariant() switch
            {
                "work" => ClockKind.Work,
                "break" => (ClockKind?)ClockKind.Break,
                _ => null,
            };
            if (kind is null || !JapanTime.TryParseMinutes(r.Start, out var s) || !JapanTime.TryParseMinutes(r.End, out var e))
            {
                return AttendanceErrors.TimeInvalid.AtRow(i);
            }

            if (s >= 24 * 60)
            {
                return AttendanceErrors.WrongDay.AtRow(i);
            }

            if (e <= s)
            {
                return AttendanceErrors.EndBeforeStart.AtRow(i);
            }

            list.Add(new Stretch(kind.Value, JapanTime.At(date, s), JapanTime.At(date, e)));
        }

        return CheckShape(list, now);
    }

    /// <summary>The checks shared with the import: overlaps, breaks inside work, nothing in the future.</summary>
    public static Result<List<Stretch>> CheckShape(List<Stretch> list, DateTimeOffset now)
    {
        if (list.Any(x => x.End > now))
        {
            return AttendanceErrors.Future;
        }

        var work = list.Where(x => x.Kind == ClockKind.Work).OrderBy(x => x.Start).ToList();
        var breaks = list.Where(x => x.Kind == ClockKind.Break).OrderBy(x => x.Start).ToList();
        if (work.Count == 0)
        {
            return AttendanceErrors.RecordsRequired;
        }

        if (Overlaps(work) || Overlaps(breaks))
        {
            return AttendanceErrors.Overlap;
        }

        if (breaks.Any(b => !work.Any(w => w.Start <= b.Start && b.End <= w.End)))
        {
            return AttendanceErrors.BreakOutside;
        }

        return list;
    }

    public static bool Overlaps(IReadOnlyList<Stretch> sorted)
    {
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Start < sorted[i - 1].End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Approve: the day's current records are kept but marked superseded, the proposal becomes the day's records. A
    /// locked month changes only when HR approves (<see cref="AttendanceErrors.MonthLocked"/> otherwise).
    /// </summary>
    public async Task<Result<CorrectionDto>> ApproveAsync(Guid id, string actorId, bool actorIsHr, string? comment, CancellationToken ct = default)
    {
        var c = await db.AttendanceCorrections.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return AttendanceErrors.CorrectionNotFound;
        }

        if (c.Status != CorrectionStatus.Pending)
        {
            return AttendanceErrors.AlreadyDecided;
        }

        var locked = await locks.IsLockedAsync(c.UserId, c.Date, ct);
        if (locked && !actorIsHr)
        {
            await audit.WriteAsync("work.attendance.correction_refused", AuditOutcome.Failure, actorId: actorId, subjectId: c.UserId, details: new Dictionary<string, string?>
            {
                ["correction"] = c.Id.ToString(), ["date"] = Iso(c.Date), ["reason"] = "month_locked",
            }, ct: ct);
            return AttendanceErrors.MonthLocked;
        }

        var proposal = JsonSerializer.Deserialize<StoredProposal>(c.Proposed, Json)!;
        var now = clock.GetUtcNow();
        var stretches = Validate(c.Date, proposal.Records, now);
        if (!stretches.Ok)
        {
            return stretches.Error!;
        }

        var place = await places.PlaceOfAsync(c.UserId, c.Date, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var old = await db.ClockRecords.Where(r => r.UserId == c.UserId && r.Date == c.Date && r.SupersededAt == null).ToListAsync(ct);
        foreach (var r in old)
        {
            r.SupersededAt = now;
            r.SupersededById = c.Id;
        }

        foreach (var s in stretches.Value!)
        {
            db.ClockRecords.Add(new ClockRecord
            {
                Id = Guid.NewGuid(), UserId = c.UserId, Date = c.Date, Kind = s.Kind, Start = s.Start, End = s.End, TimeZone = proposal.TimeZone,
                Place = old.FirstOrDefault()?.Place ?? place, Source = ClockSource.Correction, CorrectionId = c.Id, CreatedAt = now, CreatedById = actorId,
            });
        }

        c.Status = CorrectionStatus.Approved;
        c.DecidedAt = now;
        c.DecidedById = actorId;
        c.Comment = Trim(comment);
        c.LockedMonth = locked;
        if (locked)
        {
            // The totals kept when the month was locked no longer hold: the next check counts the month from its records.
            var month = MonthLocks.MonthOf(c.Date);
            foreach (var m in await db.AttendanceMonths.Where(m => m.UserId == c.UserId && m.Month == month).ToListAsync(ct))
            {
                m.TotalsAt = null;
                m.OvertimeMinutes = m.LaborOvertimeMinutes = m.LegalRestDayMinutes = m.WorkedMinutes = null;
            }
        }

        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.attendance.correction_approved", AuditOutcome.Success, actorId: actorId, subjectId: c.UserId, details: new Dictionary<string, string?>
        {
            ["correction"] = c.Id.ToString(), ["date"] = Iso(c.Date), ["replaced"] = old.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["records"] = Summary(stretches.Value!), ["lockedMonth"] = locked ? "true" : "false",
        }, within: db, ct: ct);
        await tx.CommitAsync(ct);
        return await DtoAsync(c, ct);
    }

    public async Task<Result<CorrectionDto>> DeclineAsync(Guid id, string actorId, string? comment, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return AttendanceErrors.CommentRequired;
        }

        var c = await db.AttendanceCorrections.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return AttendanceErrors.CorrectionNotFound;
        }

        if (c.Status != CorrectionStatus.Pending)
        {
            return AttendanceErrors.AlreadyDecided;
        }

        c.Status = CorrectionStatus.Declined;
        c.DecidedAt = clock.GetUtcNow();
        c.DecidedById = actorId;
        c.Comment = Trim(comment);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.attendance.correction_declined", AuditOutcome.Success, actorId: actorId, subjectId: c.UserId, details: new Dictionary<string, string?>
        {
            ["correction"] = c.Id.ToString(), ["date"] = Iso(c.Date),
        }, ct: ct);
        return await DtoAsync(c, ct);
    }

    public async Task<AttendanceCorrection?> FindAsync(Guid id, CancellationToken ct = default) =>
        await db.AttendanceCorrections.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);

    public async Task<IReadOnlyList<CorrectionDto>> ListAsync(IReadOnlyCollection<string> userIds, DateOnly? month, CorrectionStatus? status, CancellationToken ct = default)
    {
        var q = db.AttendanceCorrections.AsNoTracking().Where(c => userIds.Contains(c.UserId));
        if (month is { } m)
        {
            var end = m.AddMonths(1);
            q = q.Where(c => c.Date >= m && c.Date < end);
        }

        if (status is { } s)
        {
            q = q.Where(c => c.Status == s);
        }

        var rows = await q.OrderBy(c => c.Date).ThenBy(c => c.RequestedAt).ToListAsync(ct);
        var names = await NamesAsync(rows.Select(r => r.UserId), ct);
        var lockedMonths = await db.AttendanceMonths.AsNoTracking().Where(x => userIds.Contains(x.UserId) && x.Status == MonthStatus.Locked)
            .Select(x => new { x.UserId, x.Month }).ToListAsync(ct);
        return rows.Select(r => ToDto(r, names.GetValueOrDefault(r.UserId),
            lockedMonths.Any(l => l.UserId == r.UserId && l.Month == MonthLocks.MonthOf(r.Date)))).ToList();
    }

    private async Task<Dictionary<string, string>> NamesAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var set = ids.Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => set.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    private async Task<CorrectionDto> DtoAsync(AttendanceCorrection c, CancellationToken ct) =>
        ToDto(c, (await NamesAsync([c.UserId], ct)).GetValueOrDefault(c.UserId), await locks.IsLockedAsync(c.UserId, c.Date, ct));

    private static CorrectionDto ToDto(AttendanceCorrection c, string? name, bool locked)
    {
        var p = JsonSerializer.Deserialize<StoredProposal>(c.Proposed, Json)!;
        return new CorrectionDto(c.Id, c.UserId, name, c.Date, c.Reason, p.Records, c.Status, c.RequestedAt, c.RequestedById, c.DecidedAt, c.DecidedById,
            c.Comment, c.LockedMonth, c.Status == CorrectionStatus.Pending && locked);
    }

    private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().Length > 500 ? text.Trim()[..500] : text.Trim();

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Summary(IEnumerable<Stretch> list) => string.Join(", ", list.Select(s =>
        $"{s.Kind.ToString().ToLowerInvariant()} {JapanTime.Local(s.Start).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)}-{JapanTime.Local(s.End).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)}"));

    private sealed record StoredProposal(string TimeZone, IReadOnlyList<ProposedRecord> Records);
}
