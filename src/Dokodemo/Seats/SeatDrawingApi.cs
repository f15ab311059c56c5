using Dokodemo.Access;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Seats;

/// <summary>The plan editor's API, on the settings group (administrators and DX): read a floor's drawing, its background, save it.</summary>
public static class SeatDrawingApi
{
    public static RouteGroupBuilder MapSeatDrawing(this RouteGroupBuilder admin)
    {
        admin.MapGet("/floors/{id:int}/drawing", Get);
        admin.MapGet("/floors/{id:int}/drawing/background", Background);
        admin.MapPut("/floors/{id:int}/drawing", Save);
        return admin;
    }

    public static async Task<Results<Ok<DrawingDto>, ProblemHttpResult>> Get(int id, SeatDrawing drawing, CancellationToken ct) =>
        await drawing.LoadAsync(id, ct) is { } d ? TypedResults.Ok(d) : Problems.From(SeatErrors.FloorUnknown);

    /// <summary>The uploaded plan without the drawn shapes, shown as an image under the editor's canvas.</summary>
    public static async Task<IResult> Background(int id, SeatDrawing drawing, HttpContext http, CancellationToken ct)
    {
        if (await drawing.BackgroundAsync(id, ct) is not { } svg)
        {
            return Problems.From(SeatErrors.NoPlan);
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(svg, "image/svg+xml; charset=utf-8");
    }

    /// <summary>Saves the whole drawing at once; a refusal names the item (<c>field</c>) and why (<c>reason</c>), and changes nothing.</summary>
    public static async Task<Results<Ok<DrawingDto>, ProblemHttpResult>> Save(int id, DrawingRequest request, SeatDrawing drawing, CurrentUser me,
        CancellationToken ct)
    {
        var result = await drawing.SaveAsync(id, request, me.Id, ct);
        return result.Ok ? TypedResults.Ok(result.Value!) : TypedResults.Problem(Problem(result.Error!));
    }

    /// <summary>The ProblemDetails of a refusal, with the item and the reason in the sentence (e.g. "desks[2]: 図面の範囲外です").</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails Problem(Error error)
    {
        var problem = Problems.Create(error.Code, error.Status, error.Details);
        if (error.Code == SeatDrawing.Code && error.Details is { } d)
        {
            problem.Detail = $"{problem.Detail} {d["field"]}: {Text.T("seats.draw.reason." + d["reason"])}";
        }

        return problem;
    }
}
