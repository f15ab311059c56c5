using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Organization;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Places;

/// <summary>Where the effective place of a half day came from.</summary>
public enum PlaceSource
{
    /// <summary>Nothing declared, no pattern: 庁舎.</summary>
    Default = 0,
    Pattern = 1,
    Declaration = 2,
}

/// <summary>A validated place: the kind and what it needs (a site; a country and time zone abroad).</summary>
public sealed record PlaceSpec(WorkPlaceKind Kind, int? SiteId, string? Country, string? TimeZone);

/// <summary>One half day's effective place. <see cref="Unapproved"/>: 在宅 or abroad while the town requires an approved request and none covers the day.</summary>
public sealed record HalfPlace(WorkPlaceKind Kind, int? SiteId, string? Country, string? TimeZone, PlaceSource Source, bool Unapproved);

/// <summary>
/// The one daily fact (勤務場所) that Seats, Continuity and the telework allowance read: a person's place in the
/// morning and afternoon of a day. <see cref="Off"/>: a 週休日/休日 on which the person has declared nothing.
/// </summary>
public sealed record DayPlace(string UserId, DateOnly Date, DayType DayType, bool Off, HalfPlace Morning, HalfPlace Afternoon, string Note)
{
    public bool IsSplit => Morning.Kind != Afternoon.Kind || Morning.SiteId != Afternoon.SiteId || Morning.Country != Afternoon.Country;
}

/// <summary>What a place declaration carries over the API and from the pages.</summary>
public sealed record PlaceInput(string? Kind, int? SiteId, string? Country, string? TimeZone);

/// <summary>A declaration for one day: the whole day ("Full", the default), "Morning" or "Afternoon".</summary>
public sealed record DeclareRequest(string? Part, string? Kind, int? SiteId, string? Country, string? TimeZone, string? Note, bool WorksOffDay = false);

public sealed record PatternEntry(string? Weekday, string? Part, string? Kind, int? SiteId);

public sealed record PatternRequest(IReadOnlyList<PatternEntry>? Entries);

public sealed record PatternDto(string UserId, IReadOnlyList<PatternDay> Days);

public sealed record PatternDay(DayOfWeek Weekday, WorkPlaceKind Morning, int? MorningSiteId, WorkPlaceKind Afternoon, int? AfternoonSiteId);

/// <summary>Work place of the day: declarations, weekly patterns, and the effective place of any person and day.</summary>
public sealed class WorkPlaces(AppDbContext db, TownClock town, AuditLog audit)
{
    public const int MaxNote = 200;

    public static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>The effective place of one person on one day.</summary>
    public async Task<DayPlace> PlaceOfAsync(string userId, DateOnly date, CancellationToken ct = default) =>
        (await PlacesAsync([userId], date, date, ct))[0];

    /// <summary>
    /// Effective places of several people over a range, person by person and day by day: three queries in all
    /// (declarations, patterns, approved request days), whatever the number of people (a department-week is one call).
    /// </summary>
    public async Task<IReadOnlyList<DayPlace>> PlacesAsync(IReadOnlyCollection<string> userIds, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0 || to < from)
        {
            return [];
        }

        var declared = await db.WorkPlaceDeclarations.AsNoTracking()
            .Where(d => ids.Contains(d.UserId) && d.Date >= from && d.Date <= to)
            .Select(d => new { d.UserId, d.Date, d.Half, d.Kind, d.SiteId, d.Country, d.TimeZone, d.Note }).ToListAsync(ct);
        var patterns = await db.WorkPatterns.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToListAsync(ct);
        var settings = await TeleworkSettingsStore.ReadAsync(db, ct);
        var approvedDays = settings.ApprovalRequired
            ? (await db.TeleworkRequestDays.AsNoTracking()
                .Where(d => ids.Contains(d.UserId) && d.Date >= from && d.Date <= to)
                .Join(db.TeleworkRequests.Where(r => r.State == TeleworkState.Approved), d => d.RequestId, r => r.Id, (d, _) => new { d.UserId, d.Date })
                .ToListAsync(ct)).Select(d => (d.UserId, d.Date)).ToHashSet()
            : [];

        var declaredOf = declared.ToDictionary(d => (d.UserId, d.Date, d.Half));
        var patternOf = patterns.ToDictionary(p => (p.UserId, p.Weekday, p.Half));
        var result = new List<DayPlace>(ids.Count * (to.DayNumber - from.DayNumber + 1));
        foreach (var id in ids)
        {
            for (var date = from; date <= to; date = date.AddDays(1))
            {
                var dayType = town.DayTypeOf(date);
                HalfPlace Half(DayHalf half)
                {
                    HalfPlace place;
                    if (declaredOf.TryGetValue((id, date, half), out var d))
                    {
                        place = new HalfPlace(d.Kind, d.SiteId, d.Country, d.TimeZone, PlaceSource.Declaration, false);
                    }
                    else if (dayType == DayType.Workday && patternOf.TryGetValue((id, date.DayOfWeek, half), out var p))
                    {
                        place = new HalfPlace(p.Kind, p.SiteId, null, null, PlaceSource.Pattern, false);
                    }
                    else
                    {
                        place = new HalfPlace(WorkPlaceKind.Office, null, null, null, PlaceSource.Default, false);
                    }

                    return place.Kind is WorkPlaceKind.Home or WorkPlaceKind.Abroad && settings.ApprovalRequired && !approvedDays.Contains((id, date))
                        ? place with { Unapproved = true }
                        : place;
                }

                var morning = Half(DayHalf.Morning);
                var afternoon = Half(DayHalf.Afternoon);
                var off = dayType != DayType.Workday && morning.Source != PlaceSource.Declaration && afternoon.Source != PlaceSource.Declaration;
                var note = declaredOf.TryGetValue((id, date, DayHalf.Morning), out var m) && m.Note.Length > 0 ? m.Note
                    : declaredOf.TryGetValue((id, date, DayHalf.Afternoon), out var a) ? a.Note : "";
                result.Add(new DayPlace(id, date, dayType, off, morning, afternoon, note));
            }
        }

        return result;
    }

    /// <summary>Checks a place: a known kind; a satellite is one of the town's sites (not the main office); abroad has a country and an IANA time zone.</summary>
    public async Task<Result<PlaceSpec>> ValidateAsync(PlaceInput input, bool allowAbroad = true, CancellationToken ct = default)
    {
        if (!Enum.TryParse<WorkPlaceKind>(input.Kind?.Trim(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(input.Kind, out _))
        {
            return PlaceErrors.KindUnknown;
        }

        switch (kind)
        {
            case WorkPlaceKind.Satellite:
                if (input.SiteId is not { } siteId || !await db.Sites.AnyAsync(s => s.Id == siteId && s.Kind != SiteKind.MainOffice, ct))
                {
                    return PlaceErrors.SiteUnknown;
                }

                return new PlaceSpec(kind, siteId, null, null);
            case WorkPlaceKind.Abroad:
                if (!allowAbroad)
                {
                    return PlaceErrors.PatternInvalid;
                }

                var country = CheckCountry(input.Country);
                if (!country.Ok)
                {
                    return country.Error!;
                }

                var zone = CheckTimeZone(input.TimeZone);
                return zone.Ok ? new PlaceSpec(kind, null, country.Value, zone.Value) : zone.Error!;
            default:
                return new PlaceSpec(kind, null, null, null);
        }
    }

    /// <summary>An ISO 3166 alpha-2 code other than JP (abroad means outside Japan).</summary>
    public static Result<string> CheckCountry(string? value)
    {
        var country = (value ?? "").Trim().ToUpperInvariant();
        if (country.Length == 0)
        {
            return PlaceErrors.CountryRequired;
        }

        return country.Length == 2 && country.All(char.IsAsciiLetterUpper) && country != "JP" ? country : PlaceErrors.CountryInvalid;
    }

    /// <summary>An IANA time zone this system knows (e.g. Europe/Paris).</summary>
    public static Result<string> CheckTimeZone(string? value)
    {
        var id = (value ?? "").Trim();
        return id.Length is > 0 and <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && (zone.HasIanaId || id.Contains('/', StringComparison.Ordinal))
            ? id
            : PlaceErrors.TimeZoneUnknown;
    }

    /// <summary>
    /// Declares a person's place for a day or half day. Today and later only, until the day ends in Japan time
    /// (<paramref name="mayWritePast"/>: HR loading past records). 週休日/休日 only when the person says they work that day.
    /// </summary>
    public async Task<Result<DayPlace>> DeclareAsync(string userId, DateOnly date, DeclareRequest request, string actorId, bool mayWritePast, CancellationToken ct)
    {
        if (date < town.Today && !mayWritePast)
        {
            return PlaceErrors.DayOver;
        }

        if (town.DayTypeOf(date) != DayType.Workday && !request.WorksOffDay)
        {
            return PlaceErrors.DayOff;
        }

        var halves = HalvesOf(request.Part);
        if (halves is null)
        {
            return PlaceErrors.PartUnknown;
        }

        var note = (request.Note ?? "").Trim();
        if (note.Length > MaxNote)
        {
            return PlaceErrors.NoteTooLong;
        }

        var spec = await ValidateAsync(new PlaceInput(request.Kind, request.SiteId, request.Country, request.TimeZone), ct: ct);
        if (!spec.Ok)
        {
            return spec.Error!;
        }

        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return PlaceErrors.PersonUnknown;
        }

        var existing = await db.WorkPlaceDeclarations.Where(d => d.UserId == userId && d.Date == date).ToListAsync(ct);
        foreach (var half in halves)
        {
            var row = existing.FirstOrDefault(d => d.Half == half);
            if (row is null)
            {
                row = new WorkPlaceDeclaration { Id = Guid.NewGuid(), UserId = userId, Date = date, Half = half };
                db.WorkPlaceDeclarations.Add(row);
            }

            row.Kind = spec.Value!.Kind;
            row.SiteId = spec.Value.SiteId;
            row.Country = spec.Value.Country;
            row.TimeZone = spec.Value.TimeZone;
            row.Note = note;
            row.RequestId = null;
            row.DeclaredById = actorId;
            row.DeclaredAt = town.Now;
        }

        await db.SaveChangesAsync(ct);
        if (actorId != userId)
        {
            // Someone else's place (a manager, or HR loading past records) is on the record.
            await audit.WriteAsync("work.place.declared", AuditOutcome.Success, actorId: actorId, subjectId: userId, details: new Dictionary<string, string?>
            {
                ["date"] = date.ToString("O", CultureInfo.InvariantCulture), ["kind"] = spec.Value!.Kind.ToString(), ["part"] = request.Part ?? "Full",
            }, ct: ct);
        }

        return await PlaceOfAsync(userId, date, ct);
    }

    /// <summary>Removes a day's declaration: the weekly pattern (or 庁舎) applies again.</summary>
    public async Task<Result<DayPlace>> ClearAsync(string userId, DateOnly date, string actorId, bool mayWritePast, CancellationToken ct)
    {
        if (date < town.Today && !mayWritePast)
        {
            return PlaceErrors.DayOver;
        }

        var rows = await db.WorkPlaceDeclarations.Where(d => d.UserId == userId && d.Date == date).ToListAsync(ct);
        db.WorkPlaceDeclarations.RemoveRange(rows);
        await db.SaveChangesAsync(ct);
        if (actorId != userId && rows.Count > 0)
        {
            await audit.WriteAsync("work.place.cleared", AuditOutcome.Success, actorId: actorId, subjectId: userId,
                details: new Dictionary<string, string?> { ["date"] = date.ToString("O", CultureInfo.InvariantCulture) }, ct: ct);
        }

        return await PlaceOfAsync(userId, date, ct);
    }

    public static DayHalf[]? HalvesOf(string? part) => (part ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "full" or "day" => [DayHalf.Morning, DayHalf.Afternoon],
        "morning" or "am" => [DayHalf.Morning],
        "afternoon" or "pm" => [DayHalf.Afternoon],
        _ => null,
    };

    public async Task<PatternDto> PatternAsync(string userId, CancellationToken ct = default)
    {
        var rows = await db.WorkPatterns.AsNoTracking().Where(p => p.UserId == userId).ToListAsync(ct);
        return new PatternDto(userId, [.. Weekdays.Select(day =>
        {
            var m = rows.FirstOrDefault(r => r.Weekday == day && r.Half == DayHalf.Morning);
            var a = rows.FirstOrDefault(r => r.Weekday == day && r.Half == DayHalf.Afternoon);
            return new PatternDay(day, m?.Kind ?? WorkPlaceKind.Office, m?.SiteId, a?.Kind ?? WorkPlaceKind.Office, a?.SiteId);
        })]);
    }

    /// <summary>Replaces the weekly pattern. Halves not named are 庁舎; abroad is a period, not a weekly habit, so it is refused here.</summary>
    public async Task<Result<PatternDto>> SetPatternAsync(string userId, PatternRequest request, CancellationToken ct)
    {
        var wanted = new Dictionary<(DayOfWeek, DayHalf), PlaceSpec>();
        foreach (var entry in request.Entries ?? [])
        {
            if (!Enum.TryParse<DayOfWeek>(entry.Weekday?.Trim(), ignoreCase: true, out var day) || !Weekdays.Contains(day) || int.TryParse(entry.Weekday, out _))
            {
                return PlaceErrors.PatternInvalid;
            }

            var halves = HalvesOf(entry.Part);
            if (halves is null)
            {
                return PlaceErrors.PartUnknown;
            }

            var spec = await ValidateAsync(new PlaceInput(entry.Kind, entry.SiteId, null, null), allowAbroad: false, ct);
            if (!spec.Ok)
            {
                return spec.Error!;
            }

            foreach (var half in halves)
            {
                wanted[(day, half)] = spec.Value!;
            }
        }

        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return PlaceErrors.PersonUnknown;
        }

        db.WorkPatterns.RemoveRange(await db.WorkPatterns.Where(p => p.UserId == userId).ToListAsync(ct));
        foreach (var ((day, half), spec) in wanted.Where(w => w.Value.Kind != WorkPlaceKind.Office))
        {
            db.WorkPatterns.Add(new WorkPattern { UserId = userId, Weekday = day, Half = half, Kind = spec.Kind, SiteId = spec.SiteId });
        }

        await db.SaveChangesAsync(ct);
        return await PatternAsync(userId, ct);
    }

    /// <summary>The person's local time now, for someone abroad: "14:05" and "UTC+1".</summary>
    public static (string Time, string Offset)? LocalTimeNow(string? timeZone, DateTimeOffset now)
    {
        if (timeZone is null || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        var text = abs.Minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}")
            : string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}:{abs.Minutes:00}");
        return (local.ToString("HH:mm", CultureInfo.InvariantCulture), text);
    }
}
