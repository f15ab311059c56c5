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
/// uploaded plan under the drawn shapes (default yes).
/// </summary>
public sealed record DrawingRequest(IReadOnlyList<DrawingShape>? Shapes, IReadOnlyList<DrawingDesk>? Desks, IReadOnlyList<DrawingZone>? Zones,
    bool? KeepBackground);

/// <summary>
/// A floor's drawing as the editor opens it: the shapes drawn before (read back from the plan the server generated),
/// the active desks, the zones, whether there is an uploaded background, and the labels of inactive desks (taken).
/// </summary>
public sealed record DrawingDto(int FloorId, string FloorName, int Width, int Height, bool HasBackground, IReadOnlyList<DrawingShape> Shapes,
    IReadOnlyList<DrawingDesk> Desks, IReadOnlyList<DrawingZone> Zones, IReadOnlyList<string> InactiveLabels);
