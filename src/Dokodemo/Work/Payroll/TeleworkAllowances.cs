using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Dokodemo.Domain.Work;
using Dokodemo.Work.Attendance;
using Dokodemo.Work.Places;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Payroll;

/// <summary>
/// One person's 在宅勤務等手当 (telework allowance, work-rules E-1) for one month, with the figures behind it. The E-2
/// commuting adjustment is only flagged: the amount needs the town's own 通勤手当規則 and each person's commute, which
/// the app does not hold.
/// </summary>
public sealed record AllowanceDto(
    string UserId,
    string Month,
    bool Enabled,
    bool Eligible,
    DateOnly? OrderDate,
    DateOnly? PeriodFrom,
    DateOnly? PeriodTo,
    int PeriodMonths,
    int CountedDays,
    decimal AverageDays,
    decimal ThresholdDays,
    int AmountYen,
    int PeriodTotalYen,
    int TeleworkDaysInMonth,
    string? Reason,
    bool CommuteAdjustmentNeeded,
    string CommuteNote);

/// <summary>
/// Computes the allowance from the town's settings (<see cref="TeleworkSettingsStore"/>) and the telework orders: approved
/// 在宅 requests, their approval date being the order date. Batched: one query for the orders, one for their days, one
/// for the declarations that split a day, one for holiday overtime orders, whatever the number of people.
/// </summary>
/// <remarks>
/// Which 一の期間 applies to a month: the one of the earliest order whose period covers the month (Allowance.Period:
/// the month after the order, or that month when ordered on the 1st). Its days are every ordered whole day in the period,
/// whichever order added them (E-1: later changes to the ordered days do not move the period). The re-test of E-1 is
/// made for the month itself: days before it count when they were worked whole at home (the declaration, which can no
/// longer change once the day has ended, still says 在宅 for both halves), days from it on when they are ordered whole.
/// A day is whole when neither half is declared elsewhere (unless the town counts half days). G-2: a 休日 or 年末年始 day
/// drops out unless an overtime order made the person work it.
/// </remarks>
public sealed class TeleworkAllowances(AppDbContext db, TownClock town)
{
    public async Task<IReadOnlyDictionary<string, AllowanceDto>> ForMonthAsync(IReadOnlyCollection<string> userIds, DateOnly month, bool english,
        CancellationToken ct = default)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        var row = await TeleworkSettingsStore.ReadAsync(db, ct);
        var settings = new AllowanceSettings
        {
            Enabled = row.AllowanceEnabled,
            ThresholdDays = row.AllowanceThresholdDays,
            MonthlyAmountYen = row.AllowanceAmountYen,
        };
        var window = Math.Max(1, row.AllowanceWindowMonths);
        var wanted = userIds.ToHashSet(StringComparer.Ordinal);

        // Orders whose period can cover the month were approved from `window` months before it to its end.
        var ordersFrom = new DateTimeOffset(first.AddMonths(-window).ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
        var ordersTo = new DateTimeOffset(first.AddMonths(1).ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
        var orders = (await db.TeleworkRequests.AsNoTracking()
                .Where(r => r.Kind == TeleworkKind.Home && r.State == TeleworkState.Approved && r.DecidedAt >= ordersFrom && r.DecidedAt < ordersTo)
                .Select(r => new { r.UserId, r.DecidedAt })
                .ToListAsync(ct))
            .Where(r => wanted.Contains(r.UserId))
            .Select(r => (r.UserId, Date: JapanTime.DateOf(r.DecidedAt!.Value)))
            .ToList();

        // Every ordered day that a covering period can contain.
        var daysFrom = first.AddMonths(-window + 1);
        var daysTo = first.AddMonths(window);
        var ordered = await db.TeleworkRequestDays.AsNoTracking()
            .Where(d => d.Date >= daysFrom && d.Date < daysTo)
            .Join(db.TeleworkRequests.Where(r => r.Kind == TeleworkKind.Home && r.State == TeleworkState.Approved), d => d.RequestId, r => r.Id,
                (d, r) => new { d.UserId, d.Date })
            .ToListAsync(ct);
        var notHome = await db.WorkPlaceDeclarations.AsNoTracking()
            .Where(d => d.Date >= daysFrom && d.Date < daysTo && d.Kind != WorkPlaceKind.Home)
            .Select(d => new { d.UserId, d.Date })
            .ToListAsync(ct);
        var split = notHome.Select(d => (d.UserId, d.Date)).ToHashSet();
        var live = new[] { OvertimeStatus.Ordered, OvertimeStatus.Reported, OvertimeStatus.Confirmed };
        var overtime = (await db.OvertimeOrders.AsNoTracking()
                .Where(o => o.Date >= daysFrom && o.Date < daysTo && live.Contains(o.Status))
                .Select(o => new { o.UserId, o.Date })
                .ToListAsync(ct))
            .Select(o => (o.UserId, o.Date)).ToHashSet();

        var today = town.Today;
        var calendar = town.Calendar;
        var daysByUser = ordered.Where(d => wanted.Contains(d.UserId)).GroupBy(d => d.UserId)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Date).Distinct().Order()
                .Where(date => calendar.Classify(date) == CalendarDay.Workday || overtime.Contains((g.Key, date)))
                .Select(date =>
                {
                    var whole = row.AllowanceHalfDaysCount || !split.Contains((g.Key, date));
                    return new TeleworkDay(date, whole, Worked: whole && date < today);
                })
                .ToList());
        var ordersByUser = orders.GroupBy(o => o.UserId).ToDictionary(g => g.Key, g => g.Select(o => o.Date).Order().ToList());

        var result = new Dictionary<string, AllowanceDto>(wanted.Count, StringComparer.Ordinal);
        foreach (var id in wanted)
        {
            var days = daysByUser.GetValueOrDefault(id) ?? [];
            var inMonth = days.Count(d => d.WholeDay && d.Date.Year == first.Year && d.Date.Month == first.Month);
            var period = (ordersByUser.GetValueOrDefault(id) ?? [])
                .Select(o => Allowance.Period(o, window))
                .FirstOrDefault(p => p.From <= first && p.To >= first);
            result[id] = Describe(id, first, settings, period, days, inMonth, english);
        }

        return result;
    }

    private static AllowanceDto Describe(string userId, DateOnly month, AllowanceSettings settings, AllowancePeriod? period, IReadOnlyList<TeleworkDay> days,
        int inMonth, bool english)
    {
        var text = JapanTime.MonthText(month);
        var commute = Allowance.CommuteByCar(0);
        var commuteNote = english ? commute.NoteEn : commute.NoteJa;
        if (!settings.Enabled)
        {
            return new AllowanceDto(userId, text, false, false, null, null, null, 0, 0, 0, settings.ThresholdDays, 0, 0, inMonth,
                english ? "This town has not adopted the telework allowance." : "この団体は在宅勤務等手当を採用していません。", false, commuteNote);
        }

        if (period is null)
        {
            return new AllowanceDto(userId, text, true, false, null, null, null, 0, 0, 0, settings.ThresholdDays, 0, 0, inMonth,
                english ? "No telework order's averaging period covers this month." : "この月を含む在宅勤務の命令（一の期間）がありません。", false, commuteNote);
        }

        var r = Allowance.Evaluate(period, days, month, settings);
        return new AllowanceDto(userId, text, true, r.Eligible, period.OrderDate, period.From, period.To, period.Months, r.CountedDays, r.AverageDays,
            settings.ThresholdDays, r.Eligible ? r.MonthlyAmountYen : 0, r.TotalYen, inMonth,
            r.Reason is null ? null : english ? r.Reason.MessageEn : r.Reason.MessageJa, r.Eligible, commuteNote);
    }
}
