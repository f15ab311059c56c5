using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>
/// A floor plan drawn in the browser (/seats/admin/floors/{id}/draw): rooms, walls and labels, desks and zones, saved as
/// one document. The server never takes SVG from the client: it checks every item, writes the plan itself from the
/// shapes (then still runs it through <see cref="PlanSanitizer"/>), and changes plan, zones and desks in one transaction.
/// The shapes are read back from the plan it wrote (<c>&lt;g id="dk-drawing"&gt;</c>), so no extra column is needed; an
/// uploaded plan is kept under the drawing (<c>&lt;g id="dk-base"&gt;</c>) unless the administrator drops it.
/// </summary>
public sealed class SeatDrawing(AppDbContext db, TownClock town, AuditLog audit, SeatAdmin admin)
{
    public const int MaxShapes = 300;
    public const int MaxDesks = 300;
    public const int MaxZones = 30;
    public const int MaxText = 40;
    public const string Code = "seat.drawing_invalid";

    /// <summary>The floor changed after the editor opened it.</summary>
    public static readonly Error Stale = new("seat.drawing_stale", 409);

    private const string DrawingGroup = "dk-drawing";
    private const string BaseGroup = "dk-base";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>A refusal naming the item (<c>desks[2].x</c>) and why (<c>out_of_bounds</c>).</summary>
    public static Error Invalid(string field, string reason) =>
        new(Code, 400, new Dictionary<string, object?> { ["field"] = field, ["reason"] = reason });

    public async Task<DrawingDto?> LoadAsync(int floorId, CancellationToken ct)
    {
        var floor = await db.SeatFloors.AsNoTracking().FirstOrDefaultAsync(f => f.Id == floorId, ct);
        if (floor is null)
        {
            return null;
        }

        var desks = await db.Desks.AsNoTracking().Where(d => d.FloorId == floorId).OrderBy(d => d.Label).ToListAsync(ct);
        var zones = await db.SeatZones.AsNoTracking().Where(z => z.FloorId == floorId).OrderBy(z => z.Id).ToListAsync(ct);
        var (shapes, background) = Read(floor.PlanSvg);
        return new DrawingDto(floor.Id, floor.Name, floor.Width, floor.Height, background is { Count: > 0 }, shapes,
            [.. desks.Where(d => d.Active).Select(d => new DrawingDesk(d.Id, d.Label, d.X, d.Y))],
            [.. zones.Select(z => new DrawingZone(z.Id, z.Name, z.Kind.ToString(), z.DepartmentId, z.X, z.Y, z.Width, z.Height))],
            [.. desks.Where(d => !d.Active).Select(d => d.Label)], Stamp(floor, desks, zones));
    }

    /// <summary>A short hash of everything a drawing replaces: the plan, the size, every desk (active or not) and zone.</summary>
    private static string Stamp(SeatFloor floor, IEnumerable<Desk> desks, IEnumerable<SeatZone> zones)
    {
        var text = new StringBuilder(floor.PlanSvg ?? "").Append(CultureInfo.InvariantCulture, $"|{floor.Width}x{floor.Height}");
        foreach (var d in desks.OrderBy(d => d.Id))
        {
            text.Append(CultureInfo.InvariantCulture, $"|d{d.Id}:{d.Label}:{d.X}:{d.Y}:{d.ZoneId}:{d.Active}");
        }

        foreach (var z in zones.OrderBy(z => z.Id))
        {
            text.Append(CultureInfo.InvariantCulture, $"|z{z.Id}:{z.Name}:{z.Kind}:{z.DepartmentId}:{z.X}:{z.Y}:{z.Width}:{z.Height}");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The uploaded plan under the drawing, on its own, for the editor's background; null when there is none.</summary>
    public async Task<string?> BackgroundAsync(int floorId, CancellationToken ct)
    {
        var floor = await db.SeatFloors.AsNoTracking().Where(f => f.Id == floorId).Select(f => new { f.PlanSvg, f.Width, f.Height }).FirstOrDefaultAsync(ct);
        if (floor?.PlanSvg is null || Read(floor.PlanSvg).Background is not { Count: > 0 } background)
        {
            return null;
        }

        var svg = new XElement(Svg + "svg", new XAttribute("viewBox", $"0 0 {I(floor.Width)} {I(floor.Height)}"), background);
        var plan = PlanSanitizer.Sanitize(svg.ToString(SaveOptions.DisableFormatting));
        return plan.Ok ? plan.Value!.Svg : null;
    }

    public async Task<Result<DrawingDto>> SaveAsync(int floorId, DrawingRequest request, string actorId, CancellationToken ct)
    {
        var floor = await db.SeatFloors.FirstOrDefaultAsync(f => f.Id == floorId, ct);
        if (floor is null)
        {
            return SeatErrors.FloorUnknown;
        }

        var shapes = request.Shapes ?? [];
        var desks = request.Desks ?? [];
        var zones = request.Zones ?? [];
        if (Check(floor.Width, floor.Height, shapes, desks, zones) is { } invalid)
        {
            return invalid;
        }

        var floorDesks = await db.Desks.Where(d => d.FloorId == floorId).ToListAsync(ct);
        var floorZones = await db.SeatZones.Where(z => z.FloorId == floorId).ToListAsync(ct);
        if (request.Stamp is { } stamp && stamp != Stamp(floor, floorDesks, floorZones))
        {
            return Stale;
        }

        var kept = new HashSet<int>();
        for (var i = 0; i < desks.Count; i++)
        {
            if (desks[i].Id is not { } id)
            {
                continue;
            }

            if (!floorDesks.Any(d => d.Id == id))
            {
                return Invalid($"desks[{I(i)}].id", "desk_unknown");
            }

            if (!kept.Add(id))
            {
                return Invalid($"desks[{I(i)}].id", "desk_duplicate");
            }
        }

        // Desks taken off the drawing stay (inactive, with their history) and keep their labels.
        var taken = floorDesks.Where(d => !kept.Contains(d.Id)).Select(d => d.Label).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < desks.Count; i++)
        {
            if (taken.Contains(desks[i].Label!.Trim()))
            {
                return Invalid($"desks[{I(i)}].label", "label_taken");
            }
        }

        var zoneIds = new HashSet<int>();
        var kinds = new List<ZoneKind>();
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            if (zone.Id is { } id && (!floorZones.Any(z => z.Id == id) || !zoneIds.Add(id)))
            {
                return Invalid($"zones[{I(i)}].id", "zone_unknown");
            }

            var kind = Enum.Parse<ZoneKind>(zone.Kind!.Trim(), ignoreCase: true);
            if (kind == ZoneKind.Team && (zone.DepartmentId is not { } dept || !await db.Departments.AnyAsync(d => d.Id == dept, ct)))
            {
                return Invalid($"zones[{I(i)}].departmentId", "department_unknown");
            }

            kinds.Add(kind);
        }

        var background = request.KeepBackground != false ? Read(floor.PlanSvg).Background : null;
        var plan = PlanSanitizer.Sanitize(Write(floor.Width, floor.Height, shapes, background).ToString(SaveOptions.DisableFormatting));
        if (!plan.Ok)
        {
            return plan.Error == SeatErrors.PlanTooLarge ? Invalid("shapes", "too_large") : plan.Error!;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // Zones first: new ones need their ids before desks can point at them.
            var zoneRows = new List<SeatZone>();
            for (var i = 0; i < zones.Count; i++)
            {
                var z = zones[i];
                var row = z.Id is { } id ? floorZones.First(x => x.Id == id) : new SeatZone { FloorId = floorId, Name = "" };
                if (z.Id is null)
                {
                    db.SeatZones.Add(row);
                }

                (row.Name, row.Kind, row.DepartmentId) = (z.Name!.Trim(), kinds[i], kinds[i] == ZoneKind.Team ? z.DepartmentId : null);
                (row.X, row.Y, row.Width, row.Height) = (z.X!.Value, z.Y!.Value, z.Width!.Value, z.Height!.Value);
                zoneRows.Add(row);
            }

            var removedZones = floorZones.Where(z => !zoneIds.Contains(z.Id)).ToList();
            foreach (var d in floorDesks.Where(d => removedZones.Any(z => z.Id == d.ZoneId)))
            {
                d.ZoneId = null;
            }

            db.SeatZones.RemoveRange(removedZones);

            // A label moving from one desk to another would trip the unique (floor, label) index halfway: park them first.
            var relabelled = desks.Where(d => d.Id is { } id && floorDesks.First(x => x.Id == id).Label != d.Label!.Trim()).ToList();
            foreach (var d in relabelled)
            {
                floorDesks.First(x => x.Id == d.Id).Label = "~" + Guid.NewGuid().ToString("N")[..12];
            }

            await db.SaveChangesAsync(ct);

            var (added, moved) = (0, 0);
            foreach (var d in desks)
            {
                var (x, y, label) = (d.X!.Value, d.Y!.Value, d.Label!.Trim());
                var row = d.Id is { } id ? floorDesks.First(x => x.Id == id) : null;
                if (row is null)
                {
                    row = new Desk { FloorId = floorId, Label = label };
                    db.Desks.Add(row);
                    added++;
                }
                else if (row.X != x || row.Y != y)
                {
                    moved++;
                }

                (row.Label, row.X, row.Y, row.Active) = (label, x, y, true);
                row.ZoneId = zoneRows.FirstOrDefault(z => x >= z.X && x <= z.X + z.Width && y >= z.Y && y <= z.Y + z.Height)?.Id;
            }

            var removed = floorDesks.Where(d => d.Active && !kept.Contains(d.Id)).ToList();
            foreach (var d in removed)
            {
                d.Active = false;
            }

            var cancelled = await admin.ReleaseDesksAsync([.. removed.Select(d => d.Id)], "desk removed from the plan", ct);
            (floor.PlanSvg, floor.UpdatedAt) = (plan.Value!.Svg, town.Now);
            await db.SaveChangesAsync(ct);
            await audit.WriteAsync("seat.drawing.saved", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
            {
                ["floor"] = I(floorId), ["shapes"] = I(shapes.Count), ["desksAdded"] = I(added), ["desksMoved"] = I(moved),
                ["desksDeactivated"] = I(removed.Count), ["bookingsCancelled"] = I(cancelled), ["zones"] = I(zones.Count),
                ["zonesRemoved"] = I(removedZones.Count), ["background"] = background is { Count: > 0 } ? "kept" : "none",
            }, within: db, ct: ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return Invalid("desks", "label_taken");
        }

        db.ChangeTracker.Clear();
        return (await LoadAsync(floorId, ct))!;
    }

    /// <summary>Everything that can be checked without the database: types, bounds, lengths, counts, kinds, duplicates.</summary>
    public static Error? Check(int width, int height, IReadOnlyList<DrawingShape?> shapes, IReadOnlyList<DrawingDesk?> desks, IReadOnlyList<DrawingZone?> zones)
    {
        if (shapes.Count > MaxShapes)
        {
            return Invalid("shapes", "too_many");
        }

        if (desks.Count > MaxDesks)
        {
            return Invalid("desks", "too_many");
        }

        if (zones.Count > MaxZones)
        {
            return Invalid("zones", "too_many");
        }

        bool In(int? x, int? y) => x is { } a && y is { } b && a >= 0 && b >= 0 && a <= width && b <= height;

        for (var i = 0; i < shapes.Count; i++)
        {
            var s = shapes[i];
            var at = $"shapes[{I(i)}]";
            switch (s?.Type)
            {
                case "rect":
                    if (!In(s.X, s.Y) || s.Width is not { } w || s.Height is not { } h || w < 1 || h < 1 || !In(s.X + w, s.Y + h))
                    {
                        return Invalid(at, "out_of_bounds");
                    }

                    break;
                case "line":
                    if (!In(s.X, s.Y) || !In(s.X2, s.Y2))
                    {
                        return Invalid(at, "out_of_bounds");
                    }

                    if (s.X == s.X2 && s.Y == s.Y2)
                    {
                        return Invalid(at, "size_invalid");
                    }

                    break;
                case "text":
                    if (!In(s.X, s.Y))
                    {
                        return Invalid(at, "out_of_bounds");
                    }

                    if (!Fits(s.Text, MaxText))
                    {
                        return Invalid(at + ".text", "text_invalid");
                    }

                    break;
                default:
                    return Invalid(at + ".type", "type_unknown");
            }
        }

        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < desks.Count; i++)
        {
            var d = desks[i];
            var at = $"desks[{I(i)}]";
            if (d is null || !Fits(d.Label, SeatAdmin.MaxLabel))
            {
                return Invalid(at + ".label", "label_invalid");
            }

            if (!labels.Add(d.Label!.Trim()))
            {
                return Invalid(at + ".label", "label_duplicate");
            }

            if (!In(d.X, d.Y))
            {
                return Invalid(at, "out_of_bounds");
            }
        }

        for (var i = 0; i < zones.Count; i++)
        {
            var z = zones[i];
            var at = $"zones[{I(i)}]";
            if (z is null || !Fits(z.Name, SeatAdmin.MaxName))
            {
                return Invalid(at + ".name", "name_invalid");
            }

            if (!Enum.TryParse<ZoneKind>(z.Kind?.Trim(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(z.Kind, out _))
            {
                return Invalid(at + ".kind", "zone_kind_unknown");
            }

            if (!In(z.X, z.Y) || z.Width is not { } w || z.Height is not { } h || w < 1 || h < 1 || !In(z.X + w, z.Y + h))
            {
                return Invalid(at, "out_of_bounds");
            }
        }

        return null;
    }

    /// <summary>Present, short enough, no control characters, and only characters XML (and PostgreSQL) can hold: no lone surrogates.</summary>
    private static bool Fits(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length > max || text.Any(char.IsControl))
        {
            return false;
        }

        try
        {
            XmlConvert.VerifyXmlChars(text);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>The plan the server writes: the kept background, then the drawn shapes, all as plain SVG attributes.</summary>
    private static XElement Write(int width, int height, IReadOnlyList<DrawingShape> shapes, IReadOnlyList<XElement>? background)
    {
        var root = new XElement(Svg + "svg", new XAttribute("viewBox", $"0 0 {I(width)} {I(height)}"));
        if (background is { Count: > 0 })
        {
            root.Add(new XElement(Svg + "g", new XAttribute("id", BaseGroup), background));
        }

        var drawing = new XElement(Svg + "g", new XAttribute("id", DrawingGroup));
        foreach (var s in shapes)
        {
            drawing.Add(s.Type switch
            {
                "rect" => new XElement(Svg + "rect", A("x", s.X), A("y", s.Y), A("width", s.Width), A("height", s.Height),
                    new XAttribute("fill", "none"), new XAttribute("stroke", "#3a3a3c"), new XAttribute("stroke-width", "3")),
                "line" => new XElement(Svg + "line", A("x1", s.X), A("y1", s.Y), A("x2", s.X2), A("y2", s.Y2),
                    new XAttribute("stroke", "#3a3a3c"), new XAttribute("stroke-width", "6"), new XAttribute("stroke-linecap", "square")),
                _ => new XElement(Svg + "text", A("x", s.X), A("y", s.Y), new XAttribute("font-size", "22"), new XAttribute("fill", "#3a3a3c"),
                    s.Text!.Trim()),
            });
        }

        root.Add(drawing);
        return root;
    }

    /// <summary>
    /// Reads a stored plan: the shapes this editor drew, and the rest (an uploaded plan) as the background. The stored
    /// plan has been through the sanitiser, but it is still parsed with DTDs prohibited and no resolver.
    /// </summary>
    private static (IReadOnlyList<DrawingShape> Shapes, IReadOnlyList<XElement>? Background) Read(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return ([], null);
        }

        XElement root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(stored), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            root = XElement.Load(reader);
        }
        catch (XmlException)
        {
            return ([], null);
        }

        var drawing = root.Elements().FirstOrDefault(e => e.Name.LocalName == "g" && (string?)e.Attribute("id") == DrawingGroup);
        if (drawing is null)
        {
            return ([], [.. root.Elements()]);
        }

        var shapes = new List<DrawingShape>();
        foreach (var e in drawing.Elements())
        {
            switch (e.Name.LocalName)
            {
                case "rect":
                    shapes.Add(new DrawingShape("rect", N(e, "x"), N(e, "y"), N(e, "width"), N(e, "height"), null, null, null));
                    break;
                case "line":
                    shapes.Add(new DrawingShape("line", N(e, "x1"), N(e, "y1"), null, null, N(e, "x2"), N(e, "y2"), null));
                    break;
                case "text":
                    shapes.Add(new DrawingShape("text", N(e, "x"), N(e, "y"), null, null, null, null, e.Value));
                    break;
                default:
                    break;
            }
        }

        var kept = root.Elements().FirstOrDefault(e => e.Name.LocalName == "g" && (string?)e.Attribute("id") == BaseGroup);
        return (shapes, kept is null ? null : [.. kept.Elements()]);
    }

    private static int? N(XElement e, string name) =>
        int.TryParse((string?)e.Attribute(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static XAttribute A(string name, int? value) => new(name, I(value ?? 0));

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
