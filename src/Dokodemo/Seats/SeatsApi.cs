using Dokodemo.Access;
using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Seats;

/// <summary>/api/v1/seats/…: sites, floors, desks, availability, booking; /api/v1/seats/admin/…: the settings.</summary>
public static class SeatsApi
{
    /// <summary>Reading the map and booking (POST creates; cancelling is decided per booking with the real relation).</summary>
    public const string SeatPolicy = "access:seat:read:create:none";

    /// <summary>Floors, plans, zones, desks, closures, rules, approvals: administrators and the DX team.</summary>
    public const string SettingsPolicy = "access:seat.settings:read:update:none";

    public static WebApplication MapSeatsApi(this WebApplication app)
    {
        var seats = app.MapGroup("/api/v1/seats").WithTags("Seats").RequireAuthorization(SeatPolicy);
        seats.MapGet("/sites", Sites);
        seats.MapGet("/people", People);
        seats.MapGet("/floors/{id:int}", Floor);
        seats.MapGet("/floors/{id:int}/plan", Plan);
        seats.MapGet("/floors/{id:int}/availability", Availability);
        seats.MapPost("/bookings", Book);
        seats.MapGet("/bookings", Mine);
        seats.MapGet("/bookings/{id:guid}", GetBooking);
        seats.MapPost("/bookings/{id:guid}/cancel", Cancel);
        app.MapSeatSeriesApi(); // 繰り返し予約 (SeatSeriesApi.cs)

        var admin = app.MapGroup("/api/v1/seats/admin").WithTags("Seat settings").RequireAuthorization(SettingsPolicy);
        admin.MapPost("/floors", AddFloor);
        admin.MapPut("/floors/{id:int}", UpdateFloor);
        admin.MapDelete("/floors/{id:int}", DeleteFloor);
        admin.MapPut("/floors/{id:int}/plan", SetPlan);
        admin.MapDelete("/floors/{id:int}/plan", RemovePlan);
        admin.MapPost("/floors/{id:int}/zones", AddZone);
        admin.MapPut("/zones/{id:int}", UpdateZone);
        admin.MapDelete("/zones/{id:int}", DeleteZone);
        admin.MapPost("/floors/{id:int}/desks", AddDesk);
        admin.MapPut("/desks/{id:int}", UpdateDesk);
        admin.MapDelete("/desks/{id:int}", DeleteDesk);
        admin.MapGet("/closures", Closures);
        admin.MapGet("/utilisation", Utilisation);
        admin.MapPost("/closures", AddClosure);
        admin.MapDelete("/closures/{id:int}", DeleteClosure);
        admin.MapPut("/sites/{siteId:int}/rules", SaveRules);
        admin.MapGet("/bookings/pending", Pending);
        admin.MapPost("/bookings/{id:guid}/approve", Approve);
        admin.MapPost("/bookings/{id:guid}/decline", Decline);
        admin.MapSeatDrawing();
        return app;
    }

    public static async Task<Ok<IReadOnlyList<SeatSiteDto>>> Sites(SeatMap map, CancellationToken ct) => TypedResults.Ok(await map.SitesAsync(ct));

    public static async Task<Results<Ok<FloorDto>, ProblemHttpResult>> Floor(int id, SeatMap map, CancellationToken ct) =>
        await map.FloorAsync(id, ct: ct) is { } floor ? TypedResults.Ok(floor) : Problems.From(SeatErrors.FloorUnknown);

    /// <summary>
    /// The sanitised plan. Pages show it as an image (an SVG image never runs scripts); opened directly it carries the
    /// app's CSP like every response, which allows no inline script, so a script that got through would still not run.
    /// </summary>
    public static async Task<IResult> Plan(int id, SeatMap map, HttpContext http, CancellationToken ct)
    {
        if (await map.PlanAsync(id, ct) is not { } svg)
        {
            return Problems.From(SeatErrors.NoPlan);
        }

        http.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Text(svg, "image/svg+xml; charset=utf-8");
    }

    /// <summary>Desk use per month, floor, zone and weekday from <paramref name="from"/> to <paramref name="to"/> (YYYY-MM); <c>format=csv</c> for a file.</summary>
    public static async Task<IResult> Utilisation(string? from, string? to, int? siteId, string? format, SeatUtilisation utilisation, TownClock town,
        CancellationToken ct)
    {
        var current = new DateOnly(town.Today.Year, town.Today.Month, 1);
        if (!TryMonthRange(from, to, current, current, out var first, out var last))
        {
            return Problems.From(SeatErrors.UtilisationRange);
        }

        var rows = await utilisation.ForAsync(first, last, siteId, ct);
        return string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.File(SeatUtilisation.Csv(rows), "text/csv; charset=utf-8", $"seat-utilisation-{first:yyyy-MM}-{last:yyyy-MM}.csv")
            : TypedResults.Ok(rows);
    }

    /// <summary>A span of months (YYYY-MM each, defaults when empty), the last not before the first, at most <see cref="SeatUtilisation.MaxMonths"/>.</summary>
    public static bool TryMonthRange(string? from, string? to, DateOnly defaultFrom, DateOnly defaultTo, out DateOnly first, out DateOnly last)
    {
        last = defaultTo;
        return Month(from, defaultFrom, out first) && Month(to, string.IsNullOrWhiteSpace(from) ? defaultTo : first, out last)
            && last >= first && last <= first.AddMonths(SeatUtilisation.MaxMonths - 1);
    }

    private static bool Month(string? text, DateOnly fallback, out DateOnly month)
    {
        month = fallback;
        return string.IsNullOrWhiteSpace(text) || Work.Attendance.JapanTime.TryParseMonth(text, out month);
    }

    /// <summary>Who works where on a date (default today): the caller's department, another one, or people found by name.</summary>
    public static async Task<Ok<IReadOnlyList<PersonSeatDto>>> People(DateOnly? date, int? departmentId, string? name, SeatPeople people, CurrentUser me,
        TownClock town, CancellationToken ct) =>
        TypedResults.Ok(await people.FindAsync(string.IsNullOrWhiteSpace(name) ? departmentId ?? me.DepartmentId : departmentId, name, date ?? town.Today, ct));

    public static async Task<Results<Ok<FloorAvailability>, ProblemHttpResult>> Availability(int id, DateOnly? date, string? part, SeatMap map, SeatAccess seatAccess,
        CurrentUser me, TownClock town, CancellationToken ct)
    {
        if (SeatBookings.PartOf(part) is not { } p)
        {
            return Problems.From(SeatErrors.PartUnknown);
        }

        var names = await seatAccess.NamesAsync(ct);
        return await map.AvailabilityAsync(id, date ?? town.Today, p, me.Id, me.DepartmentId, names, ct) is { } a
            ? TypedResults.Ok(a)
            : Problems.From(SeatErrors.FloorUnknown);
    }

    public static async Task<Results<Created<BookingDto>, ProblemHttpResult>> Book(BookRequest request, SeatBookings bookings, CurrentUser me, AccessCheck access,
        CancellationToken ct)
    {
        if (!await access.AllowsAsync(ResourceTypes.Seat, AccessAction.Create, null, Relation.Self, ct))
        {
            return Problems.From(SeatErrors.AccessDenied);
        }

        var result = await bookings.BookAsync(me.Id, request, ct);
        return result.Ok ? TypedResults.Created($"/api/v1/seats/bookings/{result.Value!.Id}", result.Value) : Problems.From(result.Error!);
    }

    public static async Task<Ok<IReadOnlyList<BookingDto>>> Mine(SeatBookings bookings, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await bookings.MineAsync(me.Id, ct));

    public static async Task<Results<Ok<BookingDto>, ProblemHttpResult>> GetBooking(Guid id, SeatBookings bookings, SeatAccess seatAccess, CancellationToken ct)
    {
        if (await seatAccess.MayActOnAsync(id, AccessAction.Read, ct) is { } denied)
        {
            return Problems.From(denied);
        }

        return await bookings.GetAsync(id, ct) is { } b ? TypedResults.Ok(b) : Problems.From(SeatErrors.BookingNotFound);
    }

    public static async Task<Results<Ok<BookingDto>, ProblemHttpResult>> Cancel(Guid id, SeatBookings bookings, SeatAccess seatAccess, CurrentUser me, CancellationToken ct)
    {
        if (await seatAccess.MayActOnAsync(id, AccessAction.Delete, ct) is { } denied)
        {
            return Problems.From(denied);
        }

        return Reply(await bookings.CancelAsync(id, me.Id, null, ct));
    }

    public static async Task<Results<Created<FloorDto>, ProblemHttpResult>> AddFloor(FloorRequest request, SeatAdmin admin, CancellationToken ct)
    {
        var result = await admin.AddFloorAsync(request, ct);
        return result.Ok ? TypedResults.Created($"/api/v1/seats/floors/{result.Value!.Id}", result.Value) : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<FloorDto>, ProblemHttpResult>> UpdateFloor(int id, FloorRequest request, SeatAdmin admin, CancellationToken ct) =>
        Reply(await admin.UpdateFloorAsync(id, request, ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteFloor(int id, SeatAdmin admin, CancellationToken ct) =>
        await admin.DeleteFloorAsync(id, ct) is { } e ? Problems.From(e) : TypedResults.NoContent();

    public static async Task<Results<Ok<FloorDto>, ProblemHttpResult>> SetPlan(int id, PlanRequest request, SeatAdmin admin, CurrentUser me, CancellationToken ct) =>
        Reply(await admin.SetPlanAsync(id, request.Svg, me.Id, ct));

    public static async Task<Results<Ok<FloorDto>, ProblemHttpResult>> RemovePlan(int id, SeatAdmin admin, CancellationToken ct) =>
        Reply(await admin.RemovePlanAsync(id, ct));

    public static async Task<Results<Ok<ZoneDto>, ProblemHttpResult>> AddZone(int id, ZoneRequest request, SeatAdmin admin, CancellationToken ct) =>
        Reply(await admin.SaveZoneAsync(null, id, request, ct));

    public static async Task<Results<Ok<ZoneDto>, ProblemHttpResult>> UpdateZone(int id, ZoneRequest request, SeatAdmin admin, CancellationToken ct) =>
        Reply(await admin.SaveZoneAsync(id, 0, request, ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteZone(int id, SeatAdmin admin, CancellationToken ct) =>
        await admin.DeleteZoneAsync(id, ct) is { } e ? Problems.From(e) : TypedResults.NoContent();

    public static async Task<Results<Ok<DeskDto>, ProblemHttpResult>> AddDesk(int id, DeskRequest request, SeatAdmin admin, CancellationToken ct) =>
        Reply(await admin.SaveDeskAsync(null, id, request, ct));

    public static async Task<Results<Ok<DeskDto>, ProblemHttpResult>> UpdateDesk(int id, DeskRequest request, SeatAdmin admin, CancellationToken ct) =>
        Reply(await admin.SaveDeskAsync(id, 0, request, ct));

    /// <summary>204 when the desk was deleted; 200 with <c>deactivated</c> when it had bookings and was taken out of use instead.</summary>
    public static async Task<Results<NoContent, Ok<DeskRemoval>, ProblemHttpResult>> DeleteDesk(int id, SeatAdmin admin, CancellationToken ct)
    {
        var result = await admin.DeleteDeskAsync(id, ct);
        if (!result.Ok)
        {
            return Problems.From(result.Error!);
        }

        return result.Value ? TypedResults.NoContent() : TypedResults.Ok(new DeskRemoval(Deactivated: true));
    }

    public static async Task<Ok<IReadOnlyList<ClosureDto>>> Closures(int? siteId, SeatAdmin admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.ClosuresAsync(siteId, ct));

    public static async Task<Results<Created<ClosureDto>, ProblemHttpResult>> AddClosure(ClosureRequest request, SeatAdmin admin, CurrentUser me, CancellationToken ct)
    {
        var result = await admin.AddClosureAsync(request, me.Id, ct);
        return result.Ok ? TypedResults.Created($"/api/v1/seats/admin/closures/{result.Value!.Id}", result.Value) : Problems.From(result.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteClosure(int id, SeatAdmin admin, CancellationToken ct) =>
        await admin.DeleteClosureAsync(id, ct) is { } e ? Problems.From(e) : TypedResults.NoContent();

    public static async Task<Results<Ok<SeatRulesDto>, ProblemHttpResult>> SaveRules(int siteId, RulesRequest request, SeatAdmin admin, CurrentUser me, CancellationToken ct) =>
        Reply(await admin.SaveRulesAsync(siteId, request, me.Id, ct));

    public static async Task<Ok<IReadOnlyList<BookingDto>>> Pending(int? siteId, SeatBookings bookings, CancellationToken ct) =>
        TypedResults.Ok(await bookings.PendingAsync(siteId, ct));

    public static async Task<Results<Ok<BookingDto>, ProblemHttpResult>> Approve(Guid id, SeatBookings bookings, CurrentUser me, CancellationToken ct) =>
        Reply(await bookings.DecideAsync(id, approve: true, me.Id, ct));

    public static async Task<Results<Ok<BookingDto>, ProblemHttpResult>> Decline(Guid id, SeatBookings bookings, CurrentUser me, CancellationToken ct) =>
        Reply(await bookings.DecideAsync(id, approve: false, me.Id, ct));

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) => result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
}

public sealed record DeskRemoval(bool Deactivated);
