using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>
/// Release of no-shows (空席の解放): every confirmed booking of today at a site that requires check-in, not checked in by
/// its release time (<see cref="SeatCheckIn.DeadlineOf"/>), is cancelled with reason <c>no_show</c> (the row stays as
/// history), its holdings are deleted (the desk is free on the map at once), the person gets a notification, and the
/// release is audited — all in one transaction per booking.
/// </summary>
public sealed class SeatRelease(AppDbContext db, TownClock town, NotificationService notifications, AuditLog audit, ILogger<SeatRelease> log)
{
    public sealed record Released(Guid BookingId, string UserId, string DeskLabel, DateOnly Date, BookingPart Part, DateTimeOffset ReleaseAt);

    /// <summary>Releases what is due at <paramref name="now"/>; returns what it released.</summary>
    public async Task<IReadOnlyList<Released>> ReleaseDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        // Stored instants are UTC (PostgreSQL refuses any other offset); callers may pass local time.
        now = now.ToUniversalTime();
        var today = town.Local(now).Date;
        var candidates = await (from b in db.SeatBookings.AsNoTracking()
                                join d in db.Desks on b.DeskId equals d.Id
                                join f in db.SeatFloors on d.FloorId equals f.Id
                                where b.Date == today && b.State == BookingState.Confirmed && b.CheckedInAt == null
                                select new { b.Id, b.UserId, b.Date, b.Part, b.CreatedAt, d.Label, f.SiteId }).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return [];
        }

        var siteIds = candidates.Select(c => c.SiteId).Distinct().ToList();
        var rules = await db.SeatSiteRules.AsNoTracking().Where(r => siteIds.Contains(r.SiteId)).ToDictionaryAsync(r => r.SiteId, ct);
        var released = new List<Released>();
        foreach (var c in candidates)
        {
            var siteRules = rules.GetValueOrDefault(c.SiteId) ?? new SeatSiteRules { SiteId = c.SiteId };
            if (SeatCheckIn.DeadlineOf(c.Date, c.Part, c.CreatedAt, siteRules, town.Zone) is not { } deadline || now < deadline)
            {
                continue;
            }

            try
            {
                if (await ReleaseAsync(c.Id, c.UserId, c.Label, c.Date, c.Part, deadline, now, ct))
                {
                    released.Add(new Released(c.Id, c.UserId, c.Label, c.Date, c.Part, deadline));
                }
            }
            catch (DbUpdateException ex)
            {
                // One booking failing must not stop the others; it is tried again on the next sweep.
                db.ChangeTracker.Clear();
                log.LogWarning(ex, "Releasing seat booking {Booking} failed; it is tried again on the next sweep.", c.Id);
            }
        }

        if (released.Count > 0)
        {
            log.LogInformation("Released {Count} seat bookings not checked in.", released.Count);
        }

        return released;
    }

    private async Task<bool> ReleaseAsync(Guid id, string userId, string deskLabel, DateOnly date, BookingPart part, DateTimeOffset deadline, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Conditional: a check-in or a cancellation that got there first wins, and nothing is released.
        var changed = await db.SeatBookings.Where(b => b.Id == id && b.State == BookingState.Confirmed && b.CheckedInAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.State, BookingState.Cancelled).SetProperty(b => b.CancelledAt, now)
                .SetProperty(b => b.CancelReason, SeatCheckIn.NoShow), ct);
        if (changed == 0)
        {
            await tx.RollbackAsync(ct);
            return false;
        }

        await db.SeatHoldings.Where(h => h.BookingId == id).ExecuteDeleteAsync(ct);
        var (title, body) = Message(deskLabel, date, part, town.Local(deadline).Time);
        notifications.Add(userId, "seat.released", title, body, "/seats");
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("seat.booking.released", AuditOutcome.Success, subjectId: userId, details: new Dictionary<string, string?>
        {
            ["booking"] = id.ToString(), ["desk"] = deskLabel, ["date"] = date.ToString("O", CultureInfo.InvariantCulture), ["part"] = part.ToString(),
            ["reason"] = SeatCheckIn.NoShow, ["releaseAt"] = Work.Attendance.JapanTime.Hhmm(town.Local(deadline).Time),
        }, within: db, ct: ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The notice, in the town's language (Japanese) since it is written once for later reading:
    /// 「座席 2F-12 の 11/24 午前の予約は、10:00 までにチェックインがなかったため取り消されました」.
    /// </summary>
    public static (string Title, string Body) Message(string deskLabel, DateOnly date, BookingPart part, TimeOnly releaseAt) =>
        (Shared.Text.Get("seats.checkin.notice.title", english: false),
            string.Format(CultureInfo.InvariantCulture, Shared.Text.Get("seats.checkin.notice.body", english: false), deskLabel,
                date.ToString("M/d", CultureInfo.InvariantCulture), Shared.Text.Get("seats.part." + part, english: false), Work.Attendance.JapanTime.Hhmm(releaseAt)));
}

/// <summary>
/// Runs <see cref="SeatRelease.ReleaseDueAsync"/> every <c>Dokodemo:Seats:ReleaseSweepSeconds</c> seconds (default 60; 0 turns
/// it off) with "now" from the injected <see cref="TimeProvider"/>, so a test clock moves it too.
/// </summary>
public sealed class SeatReleaseSweep(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<SeatReleaseSweep> log)
    : BackgroundService
{
    public const string SecondsKey = "Dokodemo:Seats:ReleaseSweepSeconds";
    public const int DefaultSeconds = 60;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue(SecondsKey, DefaultSeconds);
        if (seconds <= 0)
        {
            log.LogInformation("The seat release sweep is off ({Key} = {Seconds}).", SecondsKey, seconds);
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), stoppingToken);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<SeatRelease>().ReleaseDueAsync(clock.GetUtcNow(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning("The seat release sweep failed ({Kind}); it runs again in {Seconds} s.", ex.GetType().Name, seconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
