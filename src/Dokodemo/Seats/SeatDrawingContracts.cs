namespace Dokodemo.Seats;

/// <summary>
/// One shape of a drawn plan, in plan units: <c>rect</c> (a room, <see cref="X"/>, <see cref="Y"/>, <see cref="Width"/>,
/// <see cref="Height"/>), <c>line</c> (a wall from <see cref="X"/>,<see cref="Y"/> to <see cref="X2"/>,<see cref="Y2"/>) or
/// <c>text</c> (a label such as 会議室 at <see cref="X"/>,<see cref="Y"/>).
/// </summary>
public sealed record DrawingShape(string? Type, int? X, int? Y, int? Width, int? Height, int? X2, int? Y2, string? Text);

/// <summary>A desk on the drawing: <see cref="Id"/> null for a new desk. Its zone is the zone whose rectangle contains it.</summary>
public sealed record DrawingDesk(int? Id, string? Label, int? X, int? Y);

/// <summary>A zone on the drawing: <see cref="Id"/> null for a new zone.</summary>
public sealed record DrawingZone(int? Id, string? Name, string? Kind, int? DepartmentId, int? X, int? Y, int? Width, int? Height);

/// <summary>
/// The whole drawing of a floor, saved at once (PUT /api/v1/seats/admin/floors/{id}/drawing). Desks and zones of the
/// floor that are not in it are taken away (desks deactivated, zones removed). <see cref="KeepBackground"/>: keep the
/// uploaded plan under the drawn shapes (default yes). <see cref="Stamp"/>: the stamp of the drawing the editor opened;
/// when given and the floor has changed since (another administrator, the coordinate forms), the save is refused with
/// 409 <c>seat.drawing_stale</c> rather than silently taking away desks added meanwhile.
/// </summary>
public sealed record DrawingRequest(IReadOnlyList<DrawingShape>? Shapes, IReadOnlyList<DrawingDesk>? Desks, IReadOnlyList<DrawingZone>? Zones,
    bool? KeepBackground, string? Stamp = null);

/// <summary>
/// A floor's drawing as the editor opens it: the shapes drawn before (read back from the plan the server generated),
/// the active desks, the zones, whether there is an uploaded background, the labels of inactive desks (taken), and a
/// stamp of the floor's plan, desks and zones to send back when saving.
/// </summary>
public sealed record DrawingDto(int FloorId, string FloorName, int Width, int Height, bool HasBackground, IReadOnlyList<DrawingShape> Shapes,
    IReadOnlyList<DrawingDesk> Desks, IReadOnlyList<DrawingZone> Zones, IReadOnlyList<string> InactiveLabels, string Stamp);
