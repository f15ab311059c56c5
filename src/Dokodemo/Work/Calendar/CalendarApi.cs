using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Domain.Calendar;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Work.Calendar;

/// <summary>The access policies the calendar declares.</summary>
public static class CalendarPolicies
{
    /// <summary>Holidays and closing days: public facts for every signed-in person.</summary>
    public const string Read = "access:calendar:read:read:none";

    /// <summary>Importing the official list, editing the town's own closing days (HR, administrators).</summary>
    public const string Administer = "access:work.settings:read:administer:none";
}

public sealed record HolidayDto(DateOnly Date, string Name, string Kind, string KindCode, bool Provisional, string Wareki);

public sealed record HolidayYearDto(int Year, string Source, string Wareki, IReadOnlyList<HolidayDto> Holidays);

public sealed record CalendarDayDto(DateOnly Date, string Type, string? Name, string Wareki, int FiscalYear);

public sealed record DeadlineDto(DateOnly Due, DateOnly Effective, bool Moved);

public sealed record ClosingDayRequest(DateOnly? Date, string? Name);

/// <summary>/api/v1/calendar: holidays by year, the town's closing days, the deadline rule, the official list.</summary>
public static class CalendarApi
{
    public const int MaxRangeDays = 400;

    public static void MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/calendar").WithTags("Calendar").RequireAuthorization(CalendarPolicies.Read);
        read.MapGet("/holidays", Holidays);
        read.MapGet("/days", Days);
        read.MapGet("/deadline", Deadline);
        read.MapGet("/sources", Sources);

        var me = app.MapGroup("/api/v1/me/calendar-feed").WithTags("Calendar").RequireAuthorization(Policies.Self);
        me.MapGet("", FeedStatusOf);
        me.MapPost("", MakeFeed);
        me.MapDelete("", RevokeFeed);

        // The calendar app has no session: the secret in the URL is the credential (revocable, hashed at rest).
        app.MapGet(CalendarFeeds.PathPrefix + "{file}", Feed).AllowAnonymous().ExcludeFromDescription();

        var admin = app.MapGroup("/api/v1/calendar").WithTags("Calendar").RequireAuthorization(CalendarPolicies.Administer);
        admin.MapPost("/holidays/import", ImportFromBody);
        admin.MapPost("/closing-days", AddClosingDay);
        admin.MapDelete("/closing-days/{date}", RemoveClosingDay);
    }

    public static string KindName(HolidayKind kind) => kind switch
    {
        HolidayKind.Substitute => JapaneseHolidays.SubstituteName,
        HolidayKind.CitizensHoliday => JapaneseHolidays.CitizensHolidayName,
        _ => "祝日",
    };

    public static string KindCode(HolidayKind kind) => kind switch
    {
        HolidayKind.Substitute => "substitute",
        HolidayKind.CitizensHoliday => "citizens",
        _ => "national",
    };

    /// <summary>Each holiday of a year: date, name, kind (祝日, 振替休日, 国民の休日), and whether it is provisional.</summary>
    public static async Task<Results<Ok<HolidayYearDto>, ProblemHttpResult>> Holidays(int? year, CalendarStore store, TownClock town, CancellationToken ct)
    {
        var y = year ?? town.Today.Year;
        if (y is < JapaneseHolidays.FirstYear or > JapaneseHolidays.LastYear)
        {
            return Problems.From(Errors.CalendarYearOutOfRange);
        }

        var calendar = await store.CurrentAsync(ct);
        var sources = await store.SourcesAsync(ct);
        var official = sources.Official is { } o && y >= o.FirstYear && y <= o.LastYear;
        var list = calendar.HolidaysOf(y);
        return TypedResults.Ok(new HolidayYearDto(y, official ? "cabinet-office" : "rules", JapaneseDates.WarekiYear(new DateOnly(y, 12, 31)),
            [.. list.Select(h => new HolidayDto(h.Date, h.Name, KindName(h.Kind), KindCode(h.Kind), !official && JapaneseHolidays.IsProvisional(h.Date),
                JapaneseDates.WarekiDate(h.Date)))]));
    }

    /// <summary>The days from..to that are not ordinary workdays, classified for pay coding (G-1, G-2).</summary>
    public static async Task<Results<Ok<IReadOnlyList<CalendarDayDto>>, ProblemHttpResult>> Days(string? from, string? to, CalendarStore store, TownClock town,
        CancellationToken ct)
    {
        if (!TryDate(from, out var start) || !TryDate(to, out var end))
        {
            return Problems.From(Errors.CalendarDateInvalid);
        }

        if (end < start || end.DayNumber - start.DayNumber >= MaxRangeDays || start.Year < JapaneseHolidays.FirstYear || end.Year > JapaneseHolidays.LastYear)
        {
            return Problems.From(Errors.CalendarRangeInvalid);
        }

        var calendar = await store.CurrentAsync(ct);
        var days = new List<CalendarDayDto>();
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            var kind = calendar.Classify(d);
            if (kind != CalendarDay.Workday)
            {
                days.Add(new CalendarDayDto(d, TypeCode(kind), NameOf(calendar, d, kind), JapaneseDates.WarekiDate(d), JapaneseDates.FiscalYear(d)));
            }
        }

        return TypedResults.Ok<IReadOnlyList<CalendarDayDto>>(days);
    }

    public static string TypeCode(CalendarDay kind) => kind switch
    {
        CalendarDay.WeeklyRestDay => "weekly_rest",
        CalendarDay.NationalHoliday => "national_holiday",
        CalendarDay.YearEndClosing => "year_end",
        CalendarDay.TownClosingDay => "town",
        _ => "workday",
    };

    private static string? NameOf(TownCalendar calendar, DateOnly date, CalendarDay kind) => kind switch
    {
        CalendarDay.NationalHoliday or CalendarDay.WeeklyRestDay => calendar.FindHoliday(date)?.Name,
        CalendarDay.YearEndClosing => "年末年始",
        _ => null,
    };

    /// <summary>G-1: a deadline on a closing day moves to the first open day after the run of closing days.</summary>
    public static async Task<Results<Ok<DeadlineDto>, ProblemHttpResult>> Deadline(string? due, CalendarStore store, CancellationToken ct)
    {
        if (!TryDate(due, out var date) || date.Year < JapaneseHolidays.FirstYear || date.Year >= JapaneseHolidays.LastYear)
        {
            return Problems.From(Errors.CalendarDateInvalid);
        }

        var effective = (await store.CurrentAsync(ct)).Deadline(date);
        return TypedResults.Ok(new DeadlineDto(date, effective, effective != date));
    }

    public static async Task<Ok<CalendarSources>> Sources(CalendarStore store, CancellationToken ct) => TypedResults.Ok(await store.SourcesAsync(ct));

    /// <summary>The Cabinet Office's CSV as the request body (text/csv; CP932 as published, or UTF-8).</summary>
    public static async Task<Results<Ok<HolidayImportResult>, ProblemHttpResult>> ImportFromBody(HttpRequest request, HolidayImport import, CurrentUser me,
        CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > HolidayImport.MaxBytes)
            {
                return Problems.From(Errors.HolidaysTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        var result = await import.ImportAsync(buffer.ToArray(), request.Headers["X-File-Name"].FirstOrDefault() ?? "syukujitsu.csv", me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }

    public static async Task<Results<Created<TownClosingDayDto>, ProblemHttpResult>> AddClosingDay(ClosingDayRequest request, TownDays days, CurrentUser me,
        CancellationToken ct)
    {
        var result = await days.AddAsync(request.Date, request.Name, me.Id, ct);
        return result.Ok
            ? TypedResults.Created($"/api/v1/calendar/closing-days/{result.Value!.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", result.Value)
            : Problems.From(result.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveClosingDay(string date, TownDays days, CurrentUser me, CancellationToken ct)
    {
        if (!TryDate(date, out var d))
        {
            return Problems.From(Errors.CalendarDateInvalid);
        }

        var result = await days.RemoveAsync(d, me.Id, ct);
        return result.Ok ? TypedResults.NoContent() : Problems.From(result.Error!);
    }

    public static async Task<Ok<FeedStatus>> FeedStatusOf(CalendarFeeds feeds, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await feeds.StatusAsync(me.Id, ct));

    public static async Task<Created<NewFeed>> MakeFeed(CalendarFeeds feeds, CurrentUser me, HttpRequest request, CancellationToken ct) =>
        TypedResults.Created("/api/v1/me/calendar-feed", await feeds.CreateAsync(me.Id, $"{request.Scheme}://{request.Host}", ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeFeed(CalendarFeeds feeds, CurrentUser me, CancellationToken ct) =>
        await feeds.RevokeAsync(me.Id, ct) ? TypedResults.NoContent() : Problems.From(Errors.NotFound);

    public static async Task<IResult> Feed(string file, CalendarFeeds feeds, HttpResponse response, CancellationToken ct)
    {
        if (!file.EndsWith(".ics", StringComparison.Ordinal) || await feeds.RenderAsync(file[..^4], ct) is not { } ics)
        {
            return Results.NotFound();
        }

        response.Headers.CacheControl = "private, max-age=900";
        return Results.Text(ics, "text/calendar; charset=utf-8");
    }

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
