using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Work;
using Dokodemo.Shared;
using Dokodemo.Work.Attendance;
using Dokodemo.Work.Places;
using Dokodemo.Work.Rules;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Records;

/// <summary>One logged span as shown: its source and Japan times ("HH:mm", hours past 24 after midnight).</summary>
public sealed record LoggedSpanDto(string Source, string Start, string End, DateTimeOffset StartUtc, DateTimeOffset EndUtc);

public sealed record RecordNoteDto(DateOnly Date, string Note, string ById, string ByName, DateTimeOffset At);

/// <summary>
/// One day of the comparison (C-2): the self-reported span, the logged spans by source, the gaps at the start and the
/// end (minutes), whether the day is flagged, and the confirmation notes (latest first).
/// </summary>
public sealed record RecordDayDto(DateOnly Date, string DayKind, string? ReportedStart, string? ReportedEnd, IReadOnlyList<LoggedSpanDto> Logged,
    string? LoggedStart, string? LoggedEnd, int? StartGapMinutes, int? EndGapMinutes, bool Telework, bool Flagged, string? Finding,
    IReadOnlyList<RecordNoteDto> Notes);

public sealed record RecordsMonthDto(string PersonId, string PersonName, string Month, bool Checked, int ToleranceMinutes, DateOnly? RecordsFrom,
    IReadOnlyList<RecordDayDto> Days);

public sealed record RecordNoteRequest(string? Person, DateOnly? Date, string? Note);

/// <summary>The objective records for the rules engine and the pages: logs, declared telework, notes (C-2).</summary>
public sealed class WorkRecordLogs(AppDbContext db, WorkPlaces places, AttendanceDays attendance, WorkRules rules, TownClock town, TimeProvider clock, AuditLog audit)
{
    public const int MaxNote = 1000;

    /// <summary>C-2 keeps records three years (安衛則52条の7の3); nothing younger is ever removed.</summary>
    public const int KeepYears = 3;

    /// <summary>The first day the town has any log; C-2 is checked from that day on.</summary>
    public async Task<DateOnly?> FirstDayAsync(CancellationToken ct) =>
        await db.WorkRecordLogs.AsNoTracking().MinAsync(l => (DateOnly?)l.Date, ct);

    private sealed record LogRow(string UserId, DateOnly Date, RecordSource Source, DateTimeOffset Start, DateTimeOffset End);

    /// <summary>
    /// Gives the days from <paramref name="from"/> to <paramref name="to"/> (and before today) their logs, declared
    /// telework and notes, in place. Returns the day C-2 is checked from, or null when the town has no log or does not
    /// check records. One query each for logs and notes, and one batch of places, whatever the number of people.
    /// </summary>
    public async Task<DateOnly?> EnrichAsync(IReadOnlyDictionary<string, List<WorkDay>> days, DateOnly from, DateOnly to, DayRuleSettings settings,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.CheckRecords || days.Count == 0 || await FirstDayAsync(ct) is not { } first)
        {
            return null;
        }

        var start = from < first ? first : from;
        var yesterday = town.Today.AddDays(-1);
        var end = to > yesterday ? yesterday : to;
        if (start <= end)
        {
            await FillAsync(days, start, end, ct);
        }

        return first;
    }

    private async Task<(Dictionary<(string, DateOnly), List<LogRow>> Logs, HashSet<(string, DateOnly)> Telework, Dictionary<(string, DateOnly), List<RecordNoteDto>> Notes)>
        LoadAsync(IReadOnlyCollection<string> ids, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var logs = (await db.WorkRecordLogs.AsNoTracking()
                .Where(l => l.Date >= from && l.Date <= to && ids.Contains(l.UserId))
                .Select(l => new LogRow(l.UserId, l.Date, l.Source, l.Start, l.End)).ToListAsync(ct))
            .GroupBy(l => (l.UserId, l.Date)).ToDictionary(g => g.Key, g => g.OrderBy(l => l.Start).ToList());
        var notes = (await db.WorkRecordNotes.AsNoTracking()
                .Where(n => n.Date >= from && n.Date <= to && ids.Contains(n.UserId))
                .Join(db.Users, n => n.CreatedById, u => u.Id, (n, u) => new { n.UserId, n.Date, n.Note, n.CreatedById, u.DisplayName, n.CreatedAt })
                .ToListAsync(ct))
            .GroupBy(n => (n.UserId, n.Date))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(n => n.CreatedAt).Select(n => new RecordNoteDto(n.Date, n.Note, n.CreatedById, n.DisplayName, n.CreatedAt)).ToList());
        var telework = (await places.PlacesAsync(ids, from, to, ct))
            .Where(p => !p.Off && (p.Morning.Kind == WorkPlaceKind.Home || p.Afternoon.Kind == WorkPlaceKind.Home))
            .Select(p => (p.UserId, p.Date)).ToHashSet();
        return (logs, telework, notes);
    }

    private async Task FillAsync(IReadOnlyDictionary<string, List<WorkDay>> days, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (logs, telework, notes) = await LoadAsync([.. days.Keys], from, to, ct);
        foreach (var (id, list) in days)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var d = list[i];
                if (d.Date < from || d.Date > to)
                {
                    continue;
                }

                list[i] = d with
                {
                    Logged = logs.TryGetValue((id, d.Date), out var l) ? [.. l.Select(Local)] : [],
                    Telework = telework.Contains((id, d.Date)),
                    RecordsNoted = notes.ContainsKey((id, d.Date)),
                };
            }
        }
    }

    private static LocalInterval Local(LogRow l) => new(JapanTime.Local(l.Start), JapanTime.Local(l.End));

    /// <summary>A person's month side by side: what they reported, what was logged, the gaps, the notes.</summary>
    public async Task<RecordsMonthDto> MonthAsync(AttendancePerson person, DateOnly month, bool english, CancellationToken ct)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var p = await rules.ParametersAsync(ct);
        var s = p.DayRules;
        var firstLog = await FirstDayAsync(ct);
        var recordsFrom = s.CheckRecords ? firstLog : null;
        var days = (await attendance.ForMonthAsync(person.Id, first, ct)).ToList();
        var (logs, telework, notes) = await LoadAsync([person.Id], first, last, ct);
        var today = town.Today;
        var result = new List<RecordDayDto>(days.Count);
        foreach (var raw in days)
        {
            var rows = logs.GetValueOrDefault((person.Id, raw.Date)) ?? [];
            var dayNotes = notes.GetValueOrDefault((person.Id, raw.Date)) ?? [];
            var day = raw with { Logged = [.. rows.Select(Local)], Telework = telework.Contains((person.Id, raw.Date)), RecordsNoted = dayNotes.Count > 0 };
            var reported = DayRules.ReportedSpan(day);
            var finding = DayRules.Records(day, recordsFrom, today, s).FirstOrDefault();
            string? loggedStart = null, loggedEnd = null;
            int? startGap = null, endGap = null;
            if (rows.Count > 0)
            {
                var logStart = day.Logged.Min(l => l.Start);
                var logEnd = day.Logged.Max(l => l.End);
                loggedStart = Clock(day.Date, logStart);
                loggedEnd = Clock(day.Date, logEnd);
                if (reported is { } r)
                {
                    // Positive: the log began before the reported start / ended after the reported end.
                    startGap = Minutes(r.Start - logStart);
                    endGap = Minutes(logEnd - r.End);
                }
            }

            result.Add(new RecordDayDto(day.Date, day.Kind.ToString(), reported is { } rs ? Clock(day.Date, rs.Start) : null, reported is { } re ? Clock(day.Date, re.End) : null,
                [.. rows.Select(l => new LoggedSpanDto(SourceCode(l.Source), Clock(day.Date, JapanTime.Local(l.Start)), Clock(day.Date, JapanTime.Local(l.End)), l.Start, l.End))],
                loggedStart, loggedEnd, startGap, endGap, day.Telework, finding is not null, finding is null ? null : english ? finding.MessageEn : finding.MessageJa, dayNotes));
        }

        return new RecordsMonthDto(person.Id, person.DisplayName, JapanTime.MonthText(first), s.CheckRecords, s.RecordToleranceMinutes, firstLog, result);
    }

    /// <summary>Records a confirmation note (現認・確認記録) for a person's day; audited. The caller's right is checked by the API.</summary>
    public async Task<Result<RecordNoteDto>> NoteAsync(AttendancePerson person, DateOnly? date, string? note, string actorId, CancellationToken ct)
    {
        if (date is not { } d || d > town.Today || d.Year < 2000)
        {
            return RecordErrors.DateInvalid;
        }

        var text = (note ?? "").Trim();
        if (text.Length == 0)
        {
            return RecordErrors.NoteRequired;
        }

        if (text.Length > MaxNote)
        {
            return RecordErrors.NoteTooLong;
        }

        var row = new WorkRecordNote { Id = Guid.NewGuid(), UserId = person.Id, Date = d, Note = text, CreatedAt = clock.GetUtcNow(), CreatedById = actorId };
        db.WorkRecordNotes.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("work.records.noted", AuditOutcome.Success, actorId: actorId, subjectId: person.Id, details: new Dictionary<string, string?>
        {
            ["date"] = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["note"] = text.Length > 200 ? text[..200] : text,
        }, ct: ct);
        var name = await db.Users.AsNoTracking().Where(u => u.Id == actorId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        return new RecordNoteDto(d, text, actorId, name, row.CreatedAt);
    }

    /// <summary>
    /// Removes logs older than three years before <paramref name="before"/> (C-2 retention); a date less than three
    /// years ago is moved back to three years ago, so nothing younger is removed. Audited when anything was removed.
    /// Confirmation notes are kept: they are the supervisor's record, not the log.
    /// </summary>
    public async Task<int> PurgeAsync(DateOnly before, string? actorId, CancellationToken ct)
    {
        var limit = town.Today.AddYears(-KeepYears);
        var cut = before < limit ? before : limit;
        var removed = await db.WorkRecordLogs.Where(l => l.Date < cut).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            return 0;
        }

        await audit.WriteAsync("work.records.purged", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["before"] = cut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["rows"] = removed.ToString(CultureInfo.InvariantCulture),
        }, ct: ct);
        return removed;
    }

    public static string SourceCode(RecordSource source) => source switch
    {
        RecordSource.Pc => "pc",
        RecordSource.Entry => "entry",
        _ => "app",
    };

    /// <summary>Japan time on the day: "8:25"; "25:10" after midnight; "-0:10" for ten minutes before the day began.</summary>
    private static string Clock(DateOnly date, DateTime local)
    {
        var minutes = Minutes(local - date.ToDateTime(TimeOnly.MinValue));
        return JapanTime.Duration(minutes);
    }

    private static int Minutes(TimeSpan span) => (int)Math.Round(span.TotalMinutes, MidpointRounding.AwayFromZero);
}

/// <summary>The records' error codes (each has sentences in Text.WorkRecords.cs).</summary>
public static class RecordErrors
{
    public static readonly Error DateInvalid = Errors.Field("work.records.date_invalid", "date");
    public static readonly Error NoteRequired = Errors.Field("work.records.note_required", "note");
    public static readonly Error NoteTooLong = Errors.Field("work.records.note_too_long", "note");
    public static readonly Error ImportEmpty = new("work.records.import_empty", 400);
    public static readonly Error ImportTooLarge = new("work.records.import_too_large", 413);
    public static readonly Error ImportEncoding = new("work.records.import_encoding", 400);
    public static readonly Error ImportInvalid = new("work.records.import_invalid", 400);
}
