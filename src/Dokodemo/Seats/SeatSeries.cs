using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Calendar;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>The weekdays a series falls on, as flags (stored as one integer).</summary>
[Flags]
public enum SeriesWeekdays
{
    None = 0,
    Monday = 1,
    Tuesday = 2,
    Wednesday = 4,
    Thursday = 8,
    Friday = 16,
    Saturday = 32,
    Sunday = 64,
}

/// <summary>
/// A series (繰り返し予約): one desk, one part of the day, on some weekdays from a first to a last date. Its occurrences
/// are ordinary <see cref="SeatBooking"/> rows with <see cref="SeatBooking.SeriesId"/> and their own holdings, so the
/// database decides double booking for them exactly as for a single booking.
/// </summary>
public sealed class SeatSeries
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public int DeskId { get; set; }
    public BookingPart Part { get; set; }
    public SeriesWeekdays Weekdays { get; set; }
    public DateOnly From { get; set; }
    public DateOnly Until { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when no occurrence from that day on is left (all cancelled, by range, by the rest or one by one).</summary>
    public DateTimeOffset? CancelledAt { get; set; }
}

public sealed record SeriesRequest(int? DeskId, string? Part, IReadOnlyList<string>? Weekdays, DateOnly? From, DateOnly? Until);

public sealed record SeriesCancelRequest(DateOnly? From, DateOnly? To, string? Reason);

/// <summary>
/// A date of a series that was not booked, with its code: <c>seat.rest_day</c> (週休日), <c>seat.holiday</c> (休日), or
/// the booking codes (<c>seat.taken</c>, <c>seat.closed</c>, <c>seat.team_area</c>, <c>seat.already_booked</c>,
/// <c>seat.weekly_limit</c>). <see cref="Detail"/>: the holiday's name, the closure's reason, or the holder's name — the
/// last only when the reader may see that person in the directory.
/// </summary>
public sealed record SkippedDate(DateOnly Date, string Code, string? Detail);

/// <summary>
/// A series with its occurrences (GET: all of them with their state; the list of mine: those still held from today on).
/// <see cref="Skipped"/> is filled only in the answer to creating it (skipped dates are not stored).
/// </summary>
public sealed record SeriesDto(Guid Id, string UserId, string? UserName, int DeskId, string DeskLabel, string FloorName, string SiteName, BookingPart Part,
    IReadOnlyList<string> Weekdays, DateOnly From, DateOnly Until, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt,
    IReadOnlyList<BookingDto> Occurrences, IReadOnlyList<SkippedDate> Skipped);

public sealed record SeriesCancelled(IReadOnlyList<DateOnly> Cancelled, SeriesDto Series);

/// <summary>The codes of series; each has a sentence in Text.SeatsSeries.cs.</summary>
public static class SeatSeriesErrors
{
    /// <summary>Every date was skipped: nothing was written (the skipped dates are in the details).</summary>
    public static readonly Error Empty = new("seat.series_empty", 409);
    public static readonly Error WeekdaysRequired = Errors.Field("seat.weekdays_required", "weekdays");
    public static readonly Error WeekdayUnknown = Errors.Field("seat.weekday_unknown", "weekdays");
    public static readonly Error FromRequired = Errors.Field("seat.series_from_required", "from");
    public static readonly Error UntilRequired = Errors.Field("seat.series_until_required", "until");
    public static readonly Error UntilBeforeFrom = Errors.Field("seat.series_until_before_from", "until");
    public static readonly Error BeyondHorizon = Errors.Field("seat.series_beyond_horizon", "until") with { Status = 422 };
    public static readonly Error TooMany = Errors.Field("seat.series_too_many", "until");
    public static readonly Error NoDates = Errors.Field("seat.series_no_dates", "weekdays");
    public static readonly Error NotFound = new("seat.series_not_found", 404);
    public static readonly Error NothingToCancel = new("seat.series_nothing_to_cancel", 409);
    public static readonly Error CancelRange = Errors.Field("seat.series_cancel_range", "to");
    public static readonly Error CancelPast = Errors.Field("seat.series_cancel_past", "from") with { Status = 422 };

    /// <summary>Skipped, not refused: a 週休日 and a 休日 (祝日, 年末年始 or the town's own closing day).</summary>
    public const string RestDay = "seat.rest_day";

    public const string Holiday = "seat.holiday";

    public static IReadOnlyList<Error> All { get; } =
        [Empty, WeekdaysRequired, WeekdayUnknown, FromRequired, UntilRequired, UntilBeforeFrom, BeyondHorizon, TooMany, NoDates, NotFound, NothingToCancel, CancelRange,
            CancelPast];
}

/// <summary>
/// Booking a series (BookSeries) and cancelling part of it. All the occurrences that can be held are written in one
/// transaction; the dates that cannot are reported with their code and not written. The checks per date are those of a
/// single booking (<see cref="SeatBookings.CheckDateAsync"/>); the holdings' keys still decide who gets a desk.
/// </summary>
public sealed class SeatSeriesBookings(AppDbContext db, TownClock town, SeatBookings bookings, AuditLog audit, AccessCheck access, CurrentUser me,
    Work.Calendar.CalendarStore calendars)
{
    /// <summary>At most this many weekday dates in one series (before 週休日 and 休日 are skipped).</summary>
    public const int MaxOccurrences = 60;

    /// <summary>How often a series is tried again when someone took one of its dates between the checks and the insert.</summary>
    private const int Attempts = 3;

    public static SeriesWeekdays? WeekdaysOf(IEnumerable<string>? names)
    {
        var flags = SeriesWeekdays.None;
        foreach (var name in names ?? [])
        {
            SeriesWeekdays? day = (name ?? "").Trim().ToLowerInvariant() switch
            {
                "mon" or "monday" or "月" => SeriesWeekdays.Monday,
                "tue" or "tuesday" or "火" => SeriesWeekdays.Tuesday,
                "wed" or "wednesday" or "水" => SeriesWeekdays.Wednesday,
                "thu" or "thursday" or "木" => SeriesWeekdays.Thursday,
                "fri" or "friday" or "金" => SeriesWeekdays.Friday,
                "sat" or "saturday" or "土" => SeriesWeekdays.Saturday,
                "sun" or "sunday" or "日" => SeriesWeekdays.Sunday,
                _ => null,
            };
            if (day is not { } d)
            {
                return null;
            }

            flags |= d;
        }

        return flags;
    }

    public static SeriesWeekdays FlagOf(DayOfWeek day) => (SeriesWeekdays)(1 << (((int)day + 6) % 7));

    public static IReadOnlyList<string> NamesOf(SeriesWeekdays weekdays) =>
        [.. Enum.GetValues<SeriesWeekdays>().Where(d => d != SeriesWeekdays.None && weekdays.HasFlag(d)).Select(d => d.ToString())];

    /// <summary>
    /// Books a series for <paramref name="userId"/>. <paramref name="mayName"/> says whose names (by department) the
    /// reader may see, for the holder of a taken date.
    /// </summary>
    public async Task<Result<SeriesDto>> BookAsync(string userId, SeriesRequest request, Func<int, bool> mayName, CancellationToken ct)
    {
        if (SeatBookings.PartOf(request.Part) is not { } part)
        {
            return SeatErrors.PartUnknown;
        }

        if (request.DeskId is not { } deskId || await bookings.DeskPlaceAsync(deskId, ct) is not { } desk)
        {
            return SeatErrors.DeskUnknown;
        }

        if (request.Weekdays is null || request.Weekdays.Count == 0)
        {
            return SeatSeriesErrors.WeekdaysRequired;
        }

        if (WeekdaysOf(request.Weekdays) is not { } weekdays)
        {
            return SeatSeriesErrors.WeekdayUnknown;
        }

        if (request.From is not { } from)
        {
            return SeatSeriesErrors.FromRequired;
        }

        var today = town.Today;
        if (from < today)
        {
            return SeatErrors.DatePast with { Details = new Dictionary<string, object?> { ["field"] = "from" } };
        }

        if (request.Until is not { } until)
        {
            return SeatSeriesErrors.UntilRequired;
        }

        if (until < from)
        {
            return SeatSeriesErrors.UntilBeforeFrom;
        }

        var rules = await SeatBookings.RulesOfAsync(db, desk.SiteId, ct);
        if (until > today.AddDays(rules.SeriesHorizonDays))
        {
            return SeatSeriesErrors.BeyondHorizon with
            {
                Details = new Dictionary<string, object?> { ["field"] = "until", ["seriesHorizonDays"] = rules.SeriesHorizonDays, ["last"] = today.AddDays(rules.SeriesHorizonDays) },
            };
        }

        var dates = Enumerable.Range(0, until.DayNumber - from.DayNumber + 1).Select(from.AddDays).Where(d => weekdays.HasFlag(FlagOf(d.DayOfWeek))).ToList();
        if (dates.Count == 0)
        {
            return SeatSeriesErrors.NoDates;
        }

        if (dates.Count > MaxOccurrences)
        {
            return SeatSeriesErrors.TooMany with { Details = new Dictionary<string, object?> { ["field"] = "until", ["max"] = MaxOccurrences, ["dates"] = dates.Count } };
        }

        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DepartmentId }).FirstOrDefaultAsync(ct);
        if (person is null)
        {
            return SeatErrors.AccessDenied;
        }

        var halves = SeatBookings.HalvesOf(part);
        var calendar = await calendars.CurrentAsync(ct);
        // The name said with a skipped 休日: the 祝日's, the town's own closing day's, or 年末年始.
        var townDays = (await calendars.SourcesAsync(ct)).TownDays.GroupBy(d => d.Date).ToDictionary(g => g.Key, g => g.First().Name);
        for (var attempt = 1; ; attempt++)
        {
            var created = new List<SeatBooking>();
            var skipped = new List<SkippedDate>();
            var perWeek = new Dictionary<DateOnly, int>();
            foreach (var date in dates)
            {
                switch (calendar.Classify(date))
                {
                    case CalendarDay.WeeklyRestDay:
                        skipped.Add(new SkippedDate(date, SeatSeriesErrors.RestDay, null));
                        continue;
                    case CalendarDay.NationalHoliday or CalendarDay.YearEndClosing or CalendarDay.TownClosingDay:
                        skipped.Add(new SkippedDate(date, SeatSeriesErrors.Holiday,
                            calendar.FindHoliday(date)?.Name ?? townDays.GetValueOrDefault(date) ?? (calendar.Classify(date) == CalendarDay.YearEndClosing ? "年末年始" : null)));
                        continue;
                    case CalendarDay.Workday:
                        break;
                }

                var week = SeatBookings.WeekOf(date);
                if (await bookings.CheckDateAsync(userId, desk, date, halves, today, rules, perWeek.GetValueOrDefault(week), ct) is { } refused)
                {
                    skipped.Add(new SkippedDate(date, refused.Code, refused.Code == SeatErrors.Closed.Code ? refused.Details?.GetValueOrDefault("reason") as string : null));
                    continue;
                }

                var holder = await (from h in db.SeatHoldings.AsNoTracking()
                                    join u in db.Users on h.UserId equals u.Id
                                    where h.DeskId == desk.Id && h.Date == date && halves.Contains(h.Half)
                                    select new { u.DisplayName, u.DepartmentId }).FirstOrDefaultAsync(ct);
                if (holder is not null)
                {
                    skipped.Add(new SkippedDate(date, SeatErrors.Taken.Code, mayName(holder.DepartmentId) ? holder.DisplayName : null));
                    continue;
                }

                perWeek[week] = perWeek.GetValueOrDefault(week) + 1;
                created.Add(new SeatBooking
                {
                    Id = Guid.NewGuid(), DeskId = desk.Id, UserId = userId, Date = date, Part = part, CreatedAt = town.Now,
                    State = rules.ApprovalRequired ? BookingState.Pending : BookingState.Confirmed,
                });
            }

            if (created.Count == 0)
            {
                return SeatSeriesErrors.Empty with { Details = new Dictionary<string, object?> { ["skipped"] = skipped } };
            }

            var series = new SeatSeries
            {
                Id = Guid.NewGuid(), UserId = userId, DeskId = desk.Id, Part = part, Weekdays = weekdays, From = from, Until = until, CreatedAt = town.Now,
            };
            db.SeatSeries.Add(series);
            foreach (var booking in created)
            {
                booking.SeriesId = series.Id;
                db.SeatBookings.Add(booking);
                foreach (var half in halves)
                {
                    db.SeatHoldings.Add(new SeatHolding { DeskId = desk.Id, Date = booking.Date, Half = half, BookingId = booking.Id, UserId = userId });
                }
            }

            try
            {
                // One SaveChanges is one transaction: the series, every occurrence and its holdings, or nothing.
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex) && attempt < Attempts)
            {
                // Someone took one of the dates after the checks: nothing was written; check again (that date is now skipped).
                db.ChangeTracker.Clear();
                continue;
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                db.ChangeTracker.Clear();
                return SeatErrors.Taken;
            }

            await audit.WriteAsync("seat.series.booked", AuditOutcome.Success, actorId: userId, subjectId: userId, details: new Dictionary<string, string?>
            {
                ["series"] = series.Id.ToString(), ["desk"] = desk.Id.ToString(CultureInfo.InvariantCulture), ["from"] = Iso(from), ["until"] = Iso(until),
                ["weekdays"] = string.Join(",", NamesOf(weekdays)), ["booked"] = created.Count.ToString(CultureInfo.InvariantCulture),
                ["skipped"] = skipped.Count.ToString(CultureInfo.InvariantCulture),
            }, ct: ct);
            foreach (var booking in created.Where(b => b.State == BookingState.Confirmed))
            {
                await bookings.DeclarePlaceAsync(booking, desk.SiteId, desk.SiteKind, ct);
            }

            return (await QueryAsync(s => s.Id == series.Id, activeFromToday: false, ct)).Single() with { Skipped = skipped };
        }
    }

    /// <summary>A series with all its occurrences (every state).</summary>
    public async Task<SeriesDto?> GetAsync(Guid id, CancellationToken ct = default) =>
        (await QueryAsync(s => s.Id == id, activeFromToday: false, ct)).FirstOrDefault();

    /// <summary>A person's series that still hold something from today on, with those occurrences, soonest first.</summary>
    public async Task<IReadOnlyList<SeriesDto>> MineAsync(string userId, CancellationToken ct = default)
    {
        var today = town.Today;
        return [.. (await QueryAsync(s => s.UserId == userId && s.CancelledAt == null && s.Until >= today, activeFromToday: true, ct)).Where(s => s.Occurrences.Count > 0)];
    }

    private async Task<IReadOnlyList<SeriesDto>> QueryAsync(System.Linq.Expressions.Expression<Func<SeatSeries, bool>> filter, bool activeFromToday, CancellationToken ct)
    {
        var rows = await (from s in db.SeatSeries.AsNoTracking().Where(filter)
                          join d in db.Desks on s.DeskId equals d.Id
                          join f in db.SeatFloors on d.FloorId equals f.Id
                          join site in db.Sites on f.SiteId equals site.Id
                          join u in db.Users on s.UserId equals u.Id
                          orderby s.From, s.CreatedAt
                          select new { s, d.Label, FloorName = f.Name, SiteName = site.Name, u.DisplayName }).ToListAsync(ct);
        var result = new List<SeriesDto>();
        foreach (var r in rows)
        {
            var id = r.s.Id;
            var today = town.Today;
            var occurrences = activeFromToday
                ? await bookings.SeriesOccurrencesAsync(id, today, ct)
                : await bookings.SeriesOccurrencesAsync(id, null, ct);
            result.Add(new SeriesDto(id, r.s.UserId, r.DisplayName, r.s.DeskId, r.Label, r.FloorName, r.SiteName, r.s.Part, NamesOf(r.s.Weekdays), r.s.From, r.s.Until,
                r.s.CreatedAt, r.s.CancelledAt, occurrences, []));
        }

        return result;
    }

    /// <summary>
    /// Whether the caller may act on a series: their own (本人), anyone else's only under a rule without a relation (HR,
    /// administrators); asked of the decision point with the real relation, as for a single booking. Unknown and not-yours
    /// look the same to those who may not act on others' series.
    /// </summary>
    public async Task<Error?> MayActOnAsync(Guid seriesId, AccessAction action, CancellationToken ct = default)
    {
        var owner = await db.SeatSeries.AsNoTracking().Where(s => s.Id == seriesId).Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.UserId, u.DepartmentId })
            .FirstOrDefaultAsync(ct);
        if (owner is null)
        {
            return await access.AllowsAsync(ResourceTypes.Seat, action, null, Relation.None, ct) ? SeatSeriesErrors.NotFound : SeatErrors.AccessDenied;
        }

        return await access.AllowsAsync(ResourceTypes.Seat, action, seriesId.ToString(), me.RelationTo(owner.UserId, owner.DepartmentId), ct)
            ? null
            : SeatErrors.AccessDenied;
    }

    /// <summary>
    /// Cancels the occurrences of a series from <c>From</c> (default today) to <c>To</c> (default:
    /// the rest of the series), in one transaction: holdings deleted, bookings kept as 取消し with the reason; audited. The
    /// access check is the caller's.
    /// </summary>
    public async Task<Result<SeriesCancelled>> CancelAsync(Guid id, SeriesCancelRequest request, string actorId, CancellationToken ct)
    {
        var series = await db.SeatSeries.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (series is null)
        {
            return SeatSeriesErrors.NotFound;
        }

        var today = town.Today;
        var from = request.From ?? today;
        if (from < today)
        {
            return SeatSeriesErrors.CancelPast;
        }

        if (request.To is { } end && end < from)
        {
            return SeatSeriesErrors.CancelRange;
        }

        var to = request.To ?? DateOnly.MaxValue;
        var reason = string.IsNullOrWhiteSpace(request.Reason)
            ? (request.To is null ? $"繰り返し予約の取消（{Iso(from)}以降）" : $"繰り返し予約の取消（{Iso(from)}〜{Iso(to)}）")
            : request.Reason.Trim();
        if (reason.Length > 200)
        {
            reason = reason[..200];
        }

        var cancelled = await db.SeatBookings
            .Where(b => b.SeriesId == id && b.Date >= from && b.Date <= to && (b.State == BookingState.Pending || b.State == BookingState.Confirmed))
            .OrderBy(b => b.Date).ToListAsync(ct);
        if (cancelled.Count == 0)
        {
            return SeatSeriesErrors.NothingToCancel;
        }

        var now = town.Now;
        var ids = cancelled.Select(b => b.Id).ToList();
        foreach (var b in cancelled)
        {
            (b.State, b.CancelledAt, b.CancelledById, b.CancelReason) = (BookingState.Cancelled, now, actorId, reason);
        }

        db.SeatHoldings.RemoveRange(await db.SeatHoldings.Where(h => ids.Contains(h.BookingId)).ToListAsync(ct));
        if (!await db.SeatBookings.AnyAsync(b => b.SeriesId == id && b.Date >= today && !ids.Contains(b.Id)
                && (b.State == BookingState.Pending || b.State == BookingState.Confirmed), ct))
        {
            series.CancelledAt = now;
        }

        // One SaveChanges: the bookings, their holdings and the series together.
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("seat.series.cancelled", AuditOutcome.Success, actorId: actorId, subjectId: series.UserId, details: new Dictionary<string, string?>
        {
            ["series"] = id.ToString(), ["from"] = Iso(from), ["to"] = request.To is null ? null : Iso(to),
            ["cancelled"] = cancelled.Count.ToString(CultureInfo.InvariantCulture), ["dates"] = string.Join(",", cancelled.Select(b => Iso(b.Date))),
        }, ct: ct);
        return new SeriesCancelled([.. cancelled.Select(b => b.Date)], (await GetAsync(id, ct))!);
    }

    /// <summary>Marks a series cancelled when nothing is held from today on (after one occurrence was cancelled alone).</summary>
    public static async Task CloseIfEmptyAsync(AppDbContext db, Guid seriesId, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        if (!await db.SeatBookings.AnyAsync(b => b.SeriesId == seriesId && b.Date >= today && (b.State == BookingState.Pending || b.State == BookingState.Confirmed), ct))
        {
            await db.SeatSeries.Where(s => s.Id == seriesId && s.CancelledAt == null).ExecuteUpdateAsync(u => u.SetProperty(s => s.CancelledAt, now), ct);
        }
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The EF configuration of series (migration 0015): the table, and the link from an occurrence to its series.</summary>
public static class SeatSeriesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<SeatSeries>(s =>
        {
            s.ToTable("SeatSeries");
            s.Property(x => x.UserId).HasMaxLength(450);
            s.HasIndex(x => new { x.UserId, x.Until });
            s.HasOne<Desk>().WithMany().HasForeignKey(x => x.DeskId).OnDelete(DeleteBehavior.Restrict);
            s.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SeatBooking>(b =>
        {
            b.HasIndex(x => x.SeriesId);
            b.HasOne<SeatSeries>().WithMany().HasForeignKey(x => x.SeriesId).OnDelete(DeleteBehavior.SetNull);
        });

        // A series may reach further than a single booking; existing sites get the default.
        builder.Entity<SeatSiteRules>().Property(x => x.SeriesHorizonDays).HasDefaultValue(SeatSiteRules.DefaultSeriesHorizonDays);
    }
}
