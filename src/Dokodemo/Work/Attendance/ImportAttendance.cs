using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

public sealed record ImportBreak(DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>One past day's work: instants with their offset (ISO 8601), the zone the person was in, breaks inside it.</summary>
public sealed record ImportRow(DateTimeOffset? Start, DateTimeOffset? End, string? TimeZone, IReadOnlyList<ImportBreak>? Breaks);

public sealed record ImportRequest(string? Person, IReadOnlyList<ImportRow>? Records);

public sealed record ImportResult(string Person, int Imported, DateOnly From, DateOnly To);

/// <summary>HR loads a person's past records (a new town's history): validated as a whole, saved all or nothing.</summary>
public sealed class ImportAttendance(AppDbContext db, TimeProvider clock, AuditLog audit, MonthLocks locks)
{
    public const int MaxRows = 2000;

    public async Task<Result<ImportResult>> ImportAsync(AttendancePerson person, ImportRequest request, string actorId, CancellationToken ct = default)
    {
        var rows = request.Records;
        if (rows is null || rows.Count == 0 || rows.Count > MaxRows)
        {
            return AttendanceErrors.RecordsRequired;
        }

        var now = clock.GetUtcNow();
        var locked = await locks.LockedMonthsAsync(person.Id, ct);
        var all = new List<(int Row, string Zone, List<Stretch> Stretches)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var zone = string.IsNullOrWhiteSpace(row.TimeZone) ? person.TimeZone : row.TimeZone.Trim();
            if (JapanTime.FindZone(zone) is null)
            {
                return AttendanceErrors.TimeZoneUnknown.AtRow(i);
            }

            if (row.Start is not { } start || row.End is not { } end)
            {
                return AttendanceErrors.TimeInvalid.AtRow(i);
            }

            // Stored in UTC whatever offset the file used (PostgreSQL keeps only offset 0).
            var list = new List<Stretch> { new(ClockKind.Work, start.ToUniversalTime(), end.ToUniversalTime()) };
            foreach (var b in row.Breaks ?? [])
            {
                if (b.Start is not { } bs || b.End is not { } be)
                {
                    return AttendanceErrors.TimeInvalid.AtRow(i);
                }

                list.Add(new Stretch(ClockKind.Break, bs.ToUniversalTime(), be.ToUniversalTime()));
            }

            if (list.Any(s => s.End <= s.Start))
            {
                return AttendanceErrors.EndBeforeStart.AtRow(i);
            }

            var shape = Corrections.CheckShape(list, now);
            if (!shape.Ok)
            {
                return shape.Error!.AtRow(i);
            }

            if (locked.Contains(MonthLocks.MonthOf(JapanTime.DateOf(start))))
            {
                return AttendanceErrors.MonthLocked with { Details = new Dictionary<string, object?> { ["row"] = i } };
            }

            all.Add((i, zone, list));
        }

        // No two rows overlap, and no row overlaps what is already recorded.
        var work = all.Select(a => (a.Row, Stretch: a.Stretches[0])).OrderBy(a => a.Stretch.Start).ToList();
        for (var i = 1; i < work.Count; i++)
        {
            if (work[i].Stretch.Start < work[i - 1].Stretch.End)
            {
                return AttendanceErrors.Overlap.AtRow(work[i].Row);
            }
        }

        var from = work[0].Stretch.Start;
        var to = work[^1].Stretch.End;
        var existing = await db.ClockRecords.AsNoTracking()
            .Where(r => r.UserId == person.Id && r.Kind == ClockKind.Work && r.SupersededAt == null && r.Start < to && (r.End == null || r.End > from))
            .Select(r => new { r.Start, r.End }).ToListAsync(ct);
        foreach (var (row, s) in work)
        {
            if (existing.Any(e => e.Start < s.End && (e.End ?? DateTimeOffset.MaxValue) > s.Start))
            {
                return AttendanceErrors.Overlap.AtRow(row);
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var (_, zone, stretches) in all)
        {
            var date = JapanTime.DateOf(stretches[0].Start);
            foreach (var s in stretches)
            {
                db.ClockRecords.Add(new ClockRecord
                {
                    Id = Guid.NewGuid(), UserId = person.Id, Date = date, Kind = s.Kind, Start = s.Start, End = s.End, TimeZone = zone,
                    Source = ClockSource.Import, CreatedAt = now, CreatedById = actorId,
                });
            }
        }

        await db.SaveChangesAsync(ct);
        var result = new ImportResult(person.Id, all.Count, JapanTime.DateOf(from), JapanTime.DateOf(work[^1].Stretch.Start));
        await audit.WriteAsync("work.attendance.imported", AuditOutcome.Success, actorId: actorId, subjectId: person.Id, details: new Dictionary<string, string?>
        {
            ["days"] = all.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["from"] = Corrections.Iso(result.From), ["to"] = Corrections.Iso(result.To),
        }, within: db, ct: ct);
        await tx.CommitAsync(ct);
        return result;
    }
}
