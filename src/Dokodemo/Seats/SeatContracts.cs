namespace Dokodemo.Seats;

/// <param name="CheckInRequired">Check-in: bookings not checked in by the release time (town-local "HH:mm") are released.</param>
public sealed record SeatRulesDto(int HorizonDays, int MaxPerWeek, int TeamAreaOpenDays, bool ApprovalRequired,
    int SeriesHorizonDays = SeatSiteRules.DefaultSeriesHorizonDays, bool CheckInRequired = true,
    string MorningReleaseAt = "10:00", string AfternoonReleaseAt = "14:00");

public sealed record FloorRef(int Id, string Name, int SortOrder, bool HasPlan, int Desks);

public sealed record SeatSiteDto(int Id, string Name, string NameEn, string Kind, SeatRulesDto Rules, IReadOnlyList<FloorRef> Floors);

public sealed record ZoneDto(int Id, string Name, ZoneKind Kind, int? DepartmentId, string? DepartmentName, int X, int Y, int Width, int Height);

public sealed record DeskDto(int Id, string Label, int X, int Y, int? ZoneId, IReadOnlyList<string> Equipment, bool Active);

public sealed record FloorDto(int Id, int SiteId, string SiteName, string Name, int SortOrder, int Width, int Height, bool HasPlan,
    IReadOnlyList<ZoneDto> Zones, IReadOnlyList<DeskDto> Desks);

/// <summary>What a desk is for the reader on a date and part of the day.</summary>
public enum DeskStatus
{
    Free = 0,
    Taken = 1,
    Yours = 2,
    Closed = 3,
}

/// <summary>
/// One desk on the map. <see cref="HolderName"/> is given only when the access policy lets the reader see the directory
/// entry of whoever holds it; otherwise the map says "taken" and nothing more. <see cref="TeamOnly"/>: a team area the
/// reader's department does not own, not yet open to others on that date.
/// </summary>
public sealed record DeskAvailability(int Id, string Label, int X, int Y, int? ZoneId, IReadOnlyList<string> Equipment, DeskStatus Status,
    string? HolderName, Guid? BookingId, bool Pending, string? ClosedReason, bool TeamOnly);

public sealed record FloorAvailability(int FloorId, DateOnly Date, BookingPart Part, IReadOnlyList<DeskAvailability> Desks);

public sealed record BookRequest(int? DeskId, DateOnly? Date, string? Part);

public sealed record BookingDto(Guid Id, int DeskId, string DeskLabel, int FloorId, string FloorName, int SiteId, string SiteName, string UserId,
    string? UserName, DateOnly Date, BookingPart Part, BookingState State, DateTimeOffset CreatedAt, Guid? SeriesId = null, DateTimeOffset? CheckedInAt = null);

/// <summary>A free desk offered instead of a taken one.</summary>
public sealed record AlternativeDesk(int Id, string Label, int FloorId, string FloorName, string? ZoneName, IReadOnlyList<string> Equipment);

public sealed record FloorRequest(int? SiteId, string? Name, int? SortOrder, int? Width, int? Height);

public sealed record PlanRequest(string? Svg);

public sealed record ZoneRequest(string? Name, string? Kind, int? DepartmentId, int? X, int? Y, int? Width, int? Height);

public sealed record DeskRequest(string? Label, int? X, int? Y, int? ZoneId, IReadOnlyList<string>? Equipment, bool? Active);

public sealed record ClosureRequest(int? FloorId, int? DeskId, DateOnly? From, DateOnly? To, string? Reason);

public sealed record ClosureDto(int Id, int FloorId, string FloorName, int? DeskId, string? DeskLabel, DateOnly From, DateOnly To, string Reason, int CancelledBookings);

/// <param name="MorningReleaseAt">"HH:mm", town-local, 08:30–12:00; <paramref name="AfternoonReleaseAt"/> 13:00–17:15. Null keeps the current value.</param>
public sealed record RulesRequest(int? HorizonDays, int? MaxPerWeek, int? TeamAreaOpenDays, bool? ApprovalRequired, int? SeriesHorizonDays = null,
    bool? CheckInRequired = null,
    string? MorningReleaseAt = null, string? AfternoonReleaseAt = null);
