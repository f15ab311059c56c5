using System.Diagnostics;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Domain.Calendar;
using Dokodemo.Domain.Work;
using Dokodemo.Work.Attendance;
using Dokodemo.Work.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Bench;

/// <summary>What the attendance generator wrote.</summary>
public sealed record GeneratedAttendance(int People, long ClockRecords, DateOnly From, DateOnly To, int LockedMonths, int ApprovedInClose, int NotApprovedInClose,
    int Designations, int Agreements, int SpecialDuties, double Seconds);

/// <summary>
/// A realistic stretch of attendance for a generated town, deterministic from a seed, written with the app's EF model:
/// weekdays from about 8:30 to 17:15 plus overtime that depends on the person (most light, some moderate, some heavy, a
/// few far over 45 h), the department (総務課 and 企画政策課 busier, 税務課 in the tax season) and the season (年度末,
/// 4月, 12月 busier, 8月 quiet); some late nights (and so short rest intervals), some Saturdays and a few Sundays for
/// the heavy ones, 年休 days, the lunch break mostly taken (sometimes short or missing); part-time staff on four short
/// days a week, side-job workers and partners on two. Also: earlier months locked, the closing month approved for
/// almost everyone, two departments designated 他律, a 36協定 with 特別条項 for 建設課, 特例業務 for a few of the heaviest.
/// </summary>
public static class AttendanceGenerator
{
    private static readonly Dictionary<int, double> Season = new()
    {
        [4] = 1.3, [5] = 1.0, [6] = 1.1, [7] = 0.9, [8] = 0.7, [9] = 1.0, [10] = 1.0, [11] = 1.0, [12] = 1.2, [1] = 1.1, [2] = 1.3, [3] = 1.5,
    };

    private sealed record Person(string Id, int DepartmentId, string Department, AccountKind Kind, string? Title);

    /// <param name="from">First day written.</param>
    /// <param name="toExclusive">Records end the day before (the bench's "today").</param>
    /// <param name="closeMonth">The month being closed: approved for almost everyone; earlier months locked.</param>
    public static async Task<GeneratedAttendance> GenerateAsync(IServiceProvider root, DateOnly from, DateOnly toExclusive, DateOnly closeMonth, int seed,
        string hrId, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        List<Person> people;
        TownCalendar calendar;
        await using (var scope = root.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            calendar = scope.ServiceProvider.GetRequiredService<TownClock>().Calendar;
            var depts = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, ct);
            people = [.. (await db.Users.AsNoTracking().Where(u => !u.IsDisabled).OrderBy(u => u.NormalizedEmail)
                .Select(u => new { u.Id, u.DepartmentId, u.Kind, u.Title }).ToListAsync(ct))
                .Select(u => new Person(u.Id, u.DepartmentId, depts.GetValueOrDefault(u.DepartmentId, ""), u.Kind, u.Title))];
        }

        long records = 0;
        var pending = new List<ClockRecord>(25_000);
        var heaviest = new List<(string Id, double Mean)>();
        for (var i = 0; i < people.Count; i++)
        {
            var p = people[i];
            var rng = new Random(unchecked((seed * 7919) + i));
            var mean = p.Kind != AccountKind.Staff || p.Title == "課長" ? 8.0 : rng.Next(100) switch
            {
                < 55 => 8.0,      // light: a few minutes most days
                < 80 => 40.0,     // moderate: about 13 h a month
                < 94 => 110.0,    // heavy: about 35–45 h a month, more in busy months
                _ => 190.0,       // far over 45 h in busy months
            };
            if (mean >= 190)
            {
                heaviest.Add((p.Id, mean));
            }

            var monthNoise = 1.0;
            for (var date = from; date < toExclusive; date = date.AddDays(1))
            {
                if (date.Day == 1 || date == from)
                {
                    monthNoise = 0.6 + (rng.NextDouble() * 0.8);
                }

                foreach (var (start, end, breaks) in Day(p, date, calendar.Classify(date), mean * Season[date.Month] * DepartmentFactor(p.Department, date.Month) * monthNoise, rng))
                {
                    pending.Add(Record(rng, p.Id, date, ClockKind.Work, start, end));
                    foreach (var (bs, be) in breaks)
                    {
                        pending.Add(Record(rng, p.Id, date, ClockKind.Break, bs, be));
                    }
                }
            }

            if (pending.Count >= 20_000 || i == people.Count - 1)
            {
                records += pending.Count;
                await SaveAsync(root, pending, ct);
                pending.Clear();
            }
        }

        // Month states, rules data.
        var locked = 0;
        var approved = 0;
        var notApproved = 0;
        var monthRows = new List<AttendanceMonth>();
        var stateRng = new Random(seed + 1);
        foreach (var p in people)
        {
            for (var m = new DateOnly(from.Year, from.Month, 1); m < closeMonth; m = m.AddMonths(1))
            {
                var lockedAt = JapanTime.At(m.AddMonths(1).AddDays(9), 600);
                monthRows.Add(new AttendanceMonth
                {
                    Id = NextGuid(stateRng), UserId = p.Id, Month = m, Status = MonthStatus.Locked, SubmittedAt = lockedAt.AddDays(-8), ApprovedAt = lockedAt.AddDays(-4),
                    LockedAt = lockedAt, LockedById = hrId,
                });
                locked++;
            }

            var roll = stateRng.Next(100);
            if (roll < 97)
            {
                monthRows.Add(new AttendanceMonth
                {
                    Id = NextGuid(stateRng), UserId = p.Id, Month = closeMonth, Status = MonthStatus.Approved, SubmittedAt = JapanTime.At(closeMonth.AddMonths(1), 600),
                    ApprovedAt = JapanTime.At(closeMonth.AddMonths(1).AddDays(3), 600),
                });
                approved++;
            }
            else
            {
                if (roll < 99)
                {
                    monthRows.Add(new AttendanceMonth { Id = NextGuid(stateRng), UserId = p.Id, Month = closeMonth, Status = MonthStatus.Submitted, SubmittedAt = JapanTime.At(closeMonth.AddMonths(1), 600) });
                }

                notApproved++;
            }
        }

        int designations, agreements, special;
        await using (var scope = root.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.AttendanceMonths.AddRange(monthRows);
            var depts = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Name, d => d.Id, ct);
            var yearStart = new DateOnly(from.Year, 4, 1) >= from ? new DateOnly(from.Year, 4, 1) : new DateOnly(from.Year + 1, 4, 1);
            var created = JapanTime.At(from, 540);
            var des = new[] { "総務課", "企画政策課" }.Where(depts.ContainsKey)
                .Select(d => new WorkDesignation { DepartmentId = depts[d], Pace = DepartmentPace.OtherDirected, From = yearStart.AddYears(-1), Note = "予算・人事・議会対応", CreatedAt = created, CreatedById = hrId })
                .ToList();
            db.WorkDesignations.AddRange(des);
            var agr = new[] { "建設課" }.Where(depts.ContainsKey)
                .Select(d => new WorkAgreement { DepartmentId = depts[d], Name = "上下水道 36協定", From = yearStart.AddYears(-1), SpecialClause = true, CreatedAt = created, CreatedById = hrId })
                .ToList();
            db.WorkAgreements.AddRange(agr);
            var sd = heaviest.Where((_, k) => k % 4 == 0)
                .Select(h => new SpecialDutyRecord { UserId = h.Id, Month = closeMonth, Duty = "予算編成", CreatedAt = JapanTime.At(closeMonth, 540), CreatedById = hrId })
                .ToList();
            db.SpecialDuties.AddRange(sd);
            await db.SaveChangesAsync(ct);
            (designations, agreements, special) = (des.Count, agr.Count, sd.Count);
        }

        return new GeneratedAttendance(people.Count, records, from, toExclusive.AddDays(-1), locked, approved, notApproved, designations, agreements, special,
            clock.Elapsed.TotalSeconds);
    }

    private static double DepartmentFactor(string department, int month) => department switch
    {
        "総務課" => 1.3,
        "企画政策課" => 1.2,
        "税務課" => month is 1 or 2 or 3 ? 1.6 : 0.9,
        "保健福祉課" => 1.1,
        _ => 1.0,
    };

    /// <summary>A day's work stretches (minutes after midnight, Japan time) with their breaks.</summary>
    private static IEnumerable<(int Start, int End, (int, int)[] Breaks)> Day(Person p, DateOnly date, CalendarDay kind, double overtimeMean, Random rng)
    {
        var workday = kind == CalendarDay.Workday;
        switch (p.Kind)
        {
            case AccountKind.PartTimeStaff:
                if (workday && date.DayOfWeek != DayOfWeek.Friday && rng.Next(100) >= 5)
                {
                    var end = 960 + (rng.Next(10) == 0 ? 15 + rng.Next(20) : 0);
                    yield return (540 - rng.Next(10), end, [(720, 780)]);
                }

                yield break;
            case AccountKind.SideJobWorker or AccountKind.Partner:
                if (workday && date.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Thursday && rng.Next(100) >= 10)
                {
                    yield return (600, 900 + rng.Next(30), []);
                }

                yield break;
        }

        if (workday)
        {
            if (rng.Next(100) < 6)
            {
                yield break; // 年休
            }

            var start = 510 - rng.Next(21);
            var overtime = -Math.Log(1 - rng.NextDouble()) * overtimeMean; // exponential: many short days, a long tail
            var end = 1035 + (int)(Math.Round(overtime / 5) * 5);
            if (overtimeMean >= 100 && rng.Next(100) < 4)
            {
                end = 1320 + rng.Next(100); // a late night, 22:00–23:40
            }

            end = Math.Min(end, 1425);
            (int, int)[] lunch = rng.Next(100) switch
            {
                < 4 => [],
                < 10 => new[] { (720, 750) },
                _ => [(720, 780)],
            };
            (int, int)[] breaks = end > 1140 && rng.Next(2) == 0 ? [.. lunch, (1035, 1065)] : lunch;
            yield return (start, end, breaks);
            yield break;
        }

        // Rest days: the heavy ones come in on some Saturdays, the heaviest on a few Sundays and holidays too.
        var chance = date.DayOfWeek == DayOfWeek.Saturday ? (overtimeMean >= 150 ? 35 : overtimeMean >= 80 ? 15 : 1) : (overtimeMean >= 150 ? 10 : 0);
        if (rng.Next(100) < chance)
        {
            var start = 540 + (rng.Next(4) * 15);
            var end = start + 180 + (rng.Next(17) * 15);
            yield return (start, end, end - start > 360 ? [(720, 780)] : []);
        }
    }

    private static ClockRecord Record(Random rng, string userId, DateOnly date, ClockKind kind, int start, int end) => new()
    {
        Id = NextGuid(rng),
        UserId = userId,
        Date = date,
        Kind = kind,
        Start = JapanTime.At(date, start),
        End = JapanTime.At(date, end),
        TimeZone = "Asia/Tokyo",
        Place = WorkPlaceKinds.Office,
        Source = ClockSource.Clock,
        CreatedAt = JapanTime.At(date, end),
        CreatedById = userId,
    };

    private static Guid NextGuid(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b);
    }

    private static async Task SaveAsync(IServiceProvider root, List<ClockRecord> rows, CancellationToken ct)
    {
        await using var scope = root.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ClockRecords.AddRange(rows);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
