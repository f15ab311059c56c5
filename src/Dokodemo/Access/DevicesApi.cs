using Dokodemo.Domain.Access;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Access;

/// <summary>Only the name can be changed by its owner; trust is raised by registering or by the security admin (R28).</summary>
public sealed record RenameDeviceRequest(string? Name);

public sealed record ManagedRequest(bool Managed);

/// <summary>A person's devices, and the security admin's device inventory.</summary>
public static class DevicesApi
{
    public static void MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/v1/me/devices").WithTags("Devices").RequireAuthorization(Policies.Self);
        mine.MapGet("", List);
        mine.MapPatch("/{id:guid}", Rename);
        mine.MapDelete("/{id:guid}", Remove);
        mine.MapPost("/current/register", RegisterCurrent);

        var all = app.MapGroup("/api/v1/devices").WithTags("Devices").RequireAuthorization(Policies.Devices);
        all.MapGet("", ListAll);
        all.MapPut("/{id:guid}/managed", SetManaged);
        all.MapDelete("/{id:guid}", RemoveAny);
    }

    public static async Task<Ok<IReadOnlyList<DeviceDto>>> List(CurrentUser me, Devices devices, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await devices.ListAsync(me.Id, Sessions.Current(http)?.DeviceId, ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> Rename(Guid id, RenameDeviceRequest request, CurrentUser me, Devices devices, CancellationToken ct)
    {
        var result = await devices.RenameAsync(me.Id, id, request.Name, ct);
        return result.Ok ? TypedResults.NoContent() : Problems.From(result.Error!);
    }

    // Someone else's device id answers exactly like an unknown one (R27).
    public static async Task<Results<Ok<EndedResponse>, ProblemHttpResult>> Remove(Guid id, CurrentUser me, Devices devices, CancellationToken ct)
    {
        var result = await devices.RemoveAsync(me.Id, me.Id, id, ct);
        return result.Ok ? TypedResults.Ok(new EndedResponse(result.Value)) : Problems.From(result.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RegisterCurrent(CurrentUser me, Devices devices, HttpContext http, CancellationToken ct)
    {
        var session = Sessions.Current(http);
        var result = await devices.RegisterCurrentAsync(me.Id, session?.DeviceId, session?.AuthenticatedAt ?? DateTimeOffset.MinValue, ct);
        return result.Ok ? TypedResults.NoContent() : Problems.From(result.Error!);
    }

    public static async Task<Ok<IReadOnlyList<AdminDeviceDto>>> ListAll(Devices devices, DeviceTrust? trust, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await devices.ListAllAsync(trust, Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 100, 1, 500), ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> SetManaged(Guid id, ManagedRequest request, CurrentUser me, Devices devices, CancellationToken ct)
    {
        var result = await devices.SetManagedAsync(me.Id, id, request.Managed, ct);
        return result.Ok ? TypedResults.NoContent() : Problems.From(result.Error!);
    }

    public static async Task<Results<Ok<EndedResponse>, ProblemHttpResult>> RemoveAny(Guid id, CurrentUser me, Devices devices, CancellationToken ct)
    {
        var result = await devices.RemoveAsync(me.Id, null, id, ct);
        return result.Ok ? TypedResults.Ok(new EndedResponse(result.Value)) : Problems.From(result.Error!);
    }
}
