using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Work.Calendar;

/// <summary>The town's own closing days (休日条例 第1条第3号 etc.), added and removed by HR or an administrator.</summary>
public sealed class TownDays(AppDbContext db, CalendarStore store, AuditLog audit, TimeProvider clock, IOptions<AccessOptions> options)
{
    public const int MaxNameLength = 100;

    public async Task<Result<TownClosingDayDto>> AddAsync(DateOnly? date, string? name, string actorId, CancellationToken ct)
    {
        if (date is not { } d || d.Year < Domain.Calendar.JapaneseHolidays.FirstYear || d.Year > Domain.Calendar.JapaneseHolidays.LastYear)
        {
            return Errors.CalendarDateInvalid;
        }

        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxNameLength)
        {
            return Errors.ClosingDayNameRequired;
        }

        if (options.Value.ClosingDays.Contains(d) || await db.TownClosingDays.AnyAsync(x => x.Date == d, ct))
        {
            return Errors.ClosingDayExists;
        }

        db.TownClosingDays.Add(new TownClosingDay { Date = d, Name = trimmed, CreatedAt = clock.GetUtcNow(), CreatedById = actorId });
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("calendar.closing_day_added", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["date"] = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["name"] = trimmed,
        }, ct: ct);
        await store.RefreshAsync(ct);
        return new TownClosingDayDto(d, trimmed, false);
    }

    public async Task<Result<bool>> RemoveAsync(DateOnly date, string actorId, CancellationToken ct)
    {
        if (options.Value.ClosingDays.Contains(date))
        {
            return Errors.ClosingDayNotOwn;
        }

        var row = await db.TownClosingDays.SingleOrDefaultAsync(x => x.Date == date, ct);
        if (row is null)
        {
            return Errors.NotFound;
        }

        db.TownClosingDays.Remove(row);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("calendar.closing_day_removed", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["date"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["name"] = row.Name,
        }, ct: ct);
        await store.RefreshAsync(ct);
        return true;
    }
}
