using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Work;
using Dokodemo.Work.Attendance;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Rules;

/// <summary>A month's counted hours, in decimal hours.</summary>
public sealed record MonthFigures(DateOnly Month, decimal Overtime, decimal LaborOvertime, decimal LegalRestDay, decimal Worked);

/// <summary>A finding as the API and the pages show it: the rule code, severity, period, figures, in the reader's language.</summary>
public sealed record FindingDto(string Rule, string Severity, DateOnly From, DateOnly To, string Message, IReadOnlyDictionary<string, decimal> Figures,
    bool Forecast, bool Exempt);

public sealed record PersonFindings(string PersonId, string Name, int FiscalYear, IReadOnlyList<MonthFigures> Months, IReadOnlyList<FindingDto> Findings);

public sealed record PersonYearRow(string PersonId, string Name, IReadOnlyList<MonthFigures> Months, int Violations, int Warnings);

public sealed record TeamMonthRow(string PersonId, string Name, MonthFigures Month, IReadOnlyList<FindingDto> Findings);

/// <summary>
/// The working-time rules applied to what was recorded: loads attendance (in Japan time), the town's designations,
/// 36協定, 特例業務 and parameters, and asks the pure engine (<see cref="WorkReview"/>). Months are loaded per batch of
/// people, one query per month, so a department or the whole town is checked at once (P7).
/// </summary>
public sealed class WorkFindings(AppDbContext db, AttendanceDays attendance, MonthClose close, WorkRules rules, TownClock town, Records.WorkRecordLogs records)
{
    /// <summary>Months before the period the engine needs: five for the 2–6 month averages.</summary>
    public const int MonthsBefore = 5;

    public static FindingDto ToDto(Finding f, bool english) => new(f.Rule, f.Severity.ToString(), f.From, f.To, english ? f.MessageEn : f.MessageJa,
        f.Figures.GroupBy(x => x.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal), f.IsForecast, f.Exempt);

    public static MonthFigures ToFigures(MonthWork m) => new(m.Month, Hours(m.OrdinanceOvertimeMinutes), Hours(m.LaborOvertimeMinutes),
        Hours(m.LegalRestDayMinutes), Hours(m.TotalWorkedMinutes));

    private static decimal Hours(int minutes) => Math.Round(minutes / 60m, 2, MidpointRounding.AwayFromZero);

    /// <summary>A person's 年度 (or the town's configured year): each month's hours and every finding, as of today.</summary>
    public async Task<PersonFindings> ForPersonYearAsync(AttendancePerson person, int fiscalYear, bool english, CancellationToken ct)
    {
        var p = await rules.ParametersAsync(ct);
        var start = new DateOnly(fiscalYear, p.Caps.YearStartMonth, 1);
        var today = town.Today;
        var current = new DateOnly(today.Year, today.Month, 1);
        var last = start.AddMonths(11) < current ? start.AddMonths(11) : current;
        if (last < start)
        {
            last = start;
        }

        var inputs = await InputsAsync([(person.Id, person.DepartmentId)], start.AddMonths(-MonthsBefore), last, p, ct, start);
        var input = inputs[person.Id];
        var findings = WorkReview.ForYear(input, fiscalYear, today);
        var months = WorkReview.Months(input, start, last).Select(ToFigures).ToList();
        return new PersonFindings(person.Id, person.DisplayName, fiscalYear, months, [.. findings.Select(f => ToDto(f, english))]);
    }

    /// <summary>Everyone in a department for one month: the month's hours and its findings (forecasts while it runs).</summary>
    public async Task<IReadOnlyList<TeamMonthRow>> ForDepartmentMonthAsync(int departmentId, DateOnly month, bool english, CancellationToken ct)
    {
        var people = await db.Users.AsNoTracking().Where(u => u.DepartmentId == departmentId && !u.IsDisabled)
            .OrderBy(u => u.DisplayNameKana).ThenBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, u.DepartmentId }).ToListAsync(ct);
        return await ForPeopleMonthAsync([.. people.Select(x => (x.Id, x.DisplayName, x.DepartmentId))], month, english, ct);
    }

    /// <summary>The month's findings for many people at once (the monthly close checks a whole town).</summary>
    public async Task<IReadOnlyList<TeamMonthRow>> ForPeopleMonthAsync(IReadOnlyList<(string Id, string Name, int DepartmentId)> people, DateOnly month,
        bool english, CancellationToken ct)
    {
        var p = await rules.ParametersAsync(ct);
        var first = new DateOnly(month.Year, month.Month, 1);
        var yearStart = Caps.YearStart(first, p.Caps.YearStartMonth);
        var inputs = await InputsAsync([.. people.Select(x => (x.Id, x.DepartmentId))], yearStart.AddMonths(-MonthsBefore), first, p, ct, first);
        var today = town.Today;
        var rows = new List<TeamMonthRow>(people.Count);
        foreach (var (id, name, _) in people)
        {
            var input = inputs[id];
            var findings = WorkReview.For(input, first, first, today);
            var figures = ToFigures(WorkReview.Months(input, first, first)[0]);
            rows.Add(new TeamMonthRow(id, name, figures, [.. findings.Select(f => ToDto(f, english))]));
        }

        return rows;
    }

    /// <summary>A department's 年度: each person's months and how many violations and warnings the year holds so far.</summary>
    public async Task<IReadOnlyList<PersonYearRow>> ForDepartmentYearAsync(int departmentId, int fiscalYear, CancellationToken ct)
    {
        var p = await rules.ParametersAsync(ct);
        var start = new DateOnly(fiscalYear, p.Caps.YearStartMonth, 1);
        var today = town.Today;
        var current = new DateOnly(today.Year, today.Month, 1);
        var last = start.AddMonths(11) < current ? start.AddMonths(11) : current < start ? start : current;
        var people = await db.Users.AsNoTracking().Where(u => u.DepartmentId == departmentId && !u.IsDisabled)
            .OrderBy(u => u.DisplayNameKana).ThenBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, u.DepartmentId }).ToListAsync(ct);
        var inputs = await InputsAsync([.. people.Select(x => (x.Id, x.DepartmentId))], start.AddMonths(-MonthsBefore), last, p, ct, start);
        return [.. people.Select(x =>
        {
            var findings = WorkReview.ForYear(inputs[x.Id], fiscalYear, today);
            return new PersonYearRow(x.Id, x.DisplayName, [.. WorkReview.Months(inputs[x.Id], start, last).Select(ToFigures)],
                findings.Count(f => f.Severity == FindingSeverity.Violation && !f.Exempt), findings.Count(f => f.Severity == FindingSeverity.Warning));
        })];
    }

    /// <param name="recordsFrom">The first day of the reviewed period: C-2 (logs against self-reports) is loaded from there.</param>
    private async Task<Dictionary<string, WorkReviewInput>> InputsAsync(IReadOnlyList<(string Id, int DepartmentId)> people, DateOnly from, DateOnly to,
        RuleParameters p, CancellationToken ct, DateOnly recordsFrom)
    {
        var ids = people.Select(x => x.Id).ToList();
        var days = ids.ToDictionary(id => id, _ => new List<WorkDay>(200), StringComparer.Ordinal);
        var prior = ids.ToDictionary(id => id, _ => new List<MonthWork>(), StringComparer.Ordinal);
        var last = new DateOnly(to.Year, to.Month, 1);

        // A locked month's kept totals stand for its records. Records are still read for a month without them, for the
        // month before such a month (its last week counts toward the 40h week), and for the last two months (the day rules
        // look back four weeks). In a town that closes its months, that is two months instead of the year so far.
        var kept = await close.KeptTotalsAsync(ids, from, last.AddMonths(-1), ct);
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= last; m = m.AddMonths(1))
        {
            var month = m;
            var need = new List<string>();
            foreach (var id in ids)
            {
                if (month < last && kept.TryGetValue((id, month), out var k))
                {
                    prior[id].Add(k);
                }

                if (month >= last.AddMonths(-1) || !kept.ContainsKey((id, month)) || !kept.ContainsKey((id, month.AddMonths(1))))
                {
                    need.Add(id);
                }
            }

            if (need.Count > 0)
            {
                foreach (var (id, list) in await attendance.ForPeopleAsync(need, month, ct))
                {
                    days[id].AddRange(list);
                }
            }
        }

        // C-2: the days of the reviewed period get their logs, declared telework and confirmation notes.
        var checkRecordsFrom = await records.EnrichAsync(days, recordsFrom, last.AddMonths(1).AddDays(-1), p.DayRules, ct);
        var personRules = await rules.ForPeopleAsync(people, ct);
        var inputs = new Dictionary<string, WorkReviewInput>(StringComparer.Ordinal);
        foreach (var (id, _) in people)
        {
            var r = personRules[id];
            inputs[id] = new WorkReviewInput
            {
                Days = days[id],
                PriorMonths = prior[id],
                Designations = r.Designations,
                Agreements = r.Agreements,
                SpecialDuty = r.SpecialDuty,
                Caps = p.Caps,
                DayRules = p.DayRules,
                Counting = p.Counting,
                RecordsFrom = checkRecordsFrom,
            };
        }

        return inputs;
    }
}
