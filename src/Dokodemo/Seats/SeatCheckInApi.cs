using Dokodemo.Access;
using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dokodemo.Seats;

/// <summary>
/// Check-in over the API: POST /api/v1/seats/bookings/{id}/checkin (from the app), GET/POST /api/v1/seats/checkin/{token}
/// (the desk's QR code), GET /api/v1/seats/admin/floors/{id}/qr (the codes of a floor, for printing),
/// POST /api/v1/seats/admin/desks/{id}/qr/replace (a new code for one desk; the old one stops working).
/// </summary>
public static class SeatCheckInApi
{
    public static WebApplication MapSeatCheckInApi(this WebApplication app)
    {
        var seats = app.MapGroup("/api/v1/seats").WithTags("Seats").RequireAuthorization(SeatsApi.SeatPolicy);
        seats.MapPost("/bookings/{id:guid}/checkin", CheckIn);
        seats.MapGet("/checkin/{token}", Preview);
        seats.MapPost("/checkin/{token}", CheckInByToken);

        var admin = app.MapGroup("/api/v1/seats/admin").WithTags("Seat settings").RequireAuthorization(SeatsApi.SettingsPolicy);
        admin.MapGet("/floors/{id:int}/qr", FloorCodes);
        admin.MapPost("/desks/{id:int}/qr/replace", ReplaceCode);
        return app;
    }

    /// <summary>Checks in to a booking: one's own (本人); someone else's only under a rule without a relation (HR, administrators).</summary>
    public static async Task<Results<Ok<BookingDto>, ProblemHttpResult>> CheckIn(Guid id, SeatCheckIn checkIn, SeatAccess seatAccess, CurrentUser me, CancellationToken ct)
    {
        if (await seatAccess.MayActOnAsync(id, AccessAction.Update, ct) is { } denied)
        {
            return Problems.From(denied);
        }

        return Reply(await checkIn.CheckInAsync(id, me.Id, "app", ct));
    }

    /// <summary>What the desk's QR code would do for the caller now; changes nothing.</summary>
    public static async Task<Results<Ok<CheckInPreview>, ProblemHttpResult>> Preview(string token, SeatCheckIn checkIn, CurrentUser me, CancellationToken ct) =>
        await checkIn.PreviewAsync(token, me.Id, ct) is { } preview ? TypedResults.Ok(preview) : Problems.From(SeatCheckInErrors.Unknown);

    /// <summary>Checks in at the desk of a QR code; <c>{"book": true}</c> books it first when the caller has no booking today and it is free.</summary>
    public static async Task<Results<Ok<BookingDto>, ProblemHttpResult>> CheckInByToken(string token, CheckInRequest? request, SeatCheckIn checkIn, AccessCheck access,
        CurrentUser me, CancellationToken ct)
    {
        // The token flow only ever touches the caller's own bookings (or books for them): the self rule decides.
        if (!await access.AllowsAsync(ResourceTypes.Seat, AccessAction.Update, null, Relation.Self, ct))
        {
            return Problems.From(SeatErrors.AccessDenied);
        }

        return Reply(await checkIn.CheckInByTokenAsync(token, me.Id, request?.Book == true, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<DeskQr>>, ProblemHttpResult>> FloorCodes(int id, SeatMap map, SeatCheckIn checkIn, IOptions<DokodemoOptions> options,
        CancellationToken ct)
    {
        if (await map.FloorAsync(id, ct: ct) is null)
        {
            return Problems.From(SeatErrors.FloorUnknown);
        }

        return TypedResults.Ok(await checkIn.FloorCodesAsync(id, options.Value.PublicUrl, ct));
    }

    /// <summary>A new QR code for a desk; the old one stops working.</summary>
    public static async Task<Results<Ok<DeskQr>, ProblemHttpResult>> ReplaceCode(int id, SeatCheckIn checkIn, CurrentUser me, IOptions<DokodemoOptions> options,
        CancellationToken ct) =>
        Reply(await checkIn.ReplaceTokenAsync(id, me.Id, options.Value.PublicUrl, ct));

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) =>
        result.Ok ? TypedResults.Ok(result.Value!) : TypedResults.Problem(Problem(result.Error!));

    /// <summary>The problem with its sentence; where the error names the caller's booked desk, the sentence names it too.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails Problem(Error error)
    {
        var problem = Problems.Create(error.Code, error.Status, error.Details);
        problem.Detail = Sentence(error);
        return problem;
    }

    /// <summary>The error's sentence in the caller's language, with the booked desk named where there is one.</summary>
    public static string Sentence(Error error)
    {
        var text = Text.Error(error.Code);
        if (error.Details?.GetValueOrDefault("yourDesk") is string desk)
        {
            text += " " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Text.T("seats.checkin.your_desk"),
                error.Details.GetValueOrDefault("yourSite"), error.Details.GetValueOrDefault("yourFloor"), desk);
        }

        return text;
    }
}
