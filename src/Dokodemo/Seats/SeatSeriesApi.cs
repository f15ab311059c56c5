using Dokodemo.Access;
using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Seats;

/// <summary>/api/v1/seats/series: book a series (繰り返し予約), list mine, read one, cancel a range or the rest.</summary>
public static class SeatSeriesApi
{
    public static RouteGroupBuilder MapSeatSeriesApi(this IEndpointRouteBuilder app)
    {
        var series = app.MapGroup("/api/v1/seats/series").WithTags("Seats").RequireAuthorization(SeatsApi.SeatPolicy);
        series.MapPost("", BookSeries);
        series.MapGet("", MySeries);
        series.MapGet("/{id:guid}", GetSeries);
        series.MapPost("/{id:guid}/cancel", CancelSeries);
        return series;
    }

    /// <summary>201 with the occurrences booked and the dates skipped (with their codes); 409 <c>seat.series_empty</c> when none could be.</summary>
    public static async Task<Results<Created<SeriesDto>, ProblemHttpResult>> BookSeries(SeriesRequest request, SeatSeriesBookings series, SeatAccess seatAccess,
        CurrentUser me, AccessCheck access, CancellationToken ct)
    {
        if (!await access.AllowsAsync(ResourceTypes.Seat, AccessAction.Create, null, Relation.Self, ct))
        {
            return Problems.From(SeatErrors.AccessDenied);
        }

        var result = await series.BookAsync(me.Id, request, await seatAccess.NamesAsync(ct), ct);
        return result.Ok ? TypedResults.Created($"/api/v1/seats/series/{result.Value!.Id}", result.Value) : Problems.From(result.Error!);
    }

    public static async Task<Ok<IReadOnlyList<SeriesDto>>> MySeries(SeatSeriesBookings series, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await series.MineAsync(me.Id, ct));

    public static async Task<Results<Ok<SeriesDto>, ProblemHttpResult>> GetSeries(Guid id, SeatSeriesBookings series, CancellationToken ct)
    {
        if (await series.MayActOnAsync(id, AccessAction.Read, ct) is { } denied)
        {
            return Problems.From(denied);
        }

        return await series.GetAsync(id, ct) is { } s ? TypedResults.Ok(s) : Problems.From(SeatSeriesErrors.NotFound);
    }

    /// <summary>Cancels the occurrences from <c>from</c> (default today) to <c>to</c> (omitted: the rest of the series).</summary>
    public static async Task<Results<Ok<SeriesCancelled>, ProblemHttpResult>> CancelSeries(Guid id, SeriesCancelRequest? request, SeatSeriesBookings series,
        CurrentUser me, CancellationToken ct)
    {
        if (await series.MayActOnAsync(id, AccessAction.Delete, ct) is { } denied)
        {
            return Problems.From(denied);
        }

        var result = await series.CancelAsync(id, request ?? new SeriesCancelRequest(null, null, null), me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : Problems.From(result.Error!);
    }
}
