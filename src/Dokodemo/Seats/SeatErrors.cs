using Dokodemo.Shared;

namespace Dokodemo.Seats;

/// <summary>The stable codes of Seats; each has a sentence in Text.Seats.cs ("error." + code).</summary>
public static class SeatErrors
{
    public static readonly Error AccessDenied = new("access.denied", 403);

    // Booking.
    public static readonly Error Taken = new("seat.taken", 409);
    public static readonly Error AlreadyBooked = new("seat.already_booked", 409);
    public static readonly Error DeskUnknown = Errors.Field("seat.desk_unknown", "deskId");
    public static readonly Error PartUnknown = Errors.Field("seat.part_unknown", "part");
    public static readonly Error DateRequired = Errors.Field("seat.date_required", "date");
    public static readonly Error DatePast = Errors.Field("seat.date_past", "date") with { Status = 422 };
    public static readonly Error BeyondHorizon = Errors.Field("seat.beyond_horizon", "date") with { Status = 422 };
    public static readonly Error Closed = new("seat.closed", 422);
    public static readonly Error WeeklyLimit = new("seat.weekly_limit", 422);
    public static readonly Error TeamArea = new("seat.team_area", 422);
    public static readonly Error BookingNotFound = new("seat.booking_not_found", 404);
    public static readonly Error NotActive = new("seat.booking_not_active", 409);
    public static readonly Error NotPending = new("seat.booking_not_pending", 409);
    public static readonly Error DayOver = new("seat.day_over", 409);

    // Reading.
    public static readonly Error SiteUnknown = Errors.Field("seat.site_unknown", "siteId");
    public static readonly Error FloorUnknown = new("seat.floor_unknown", 404);
    public static readonly Error NoPlan = new("seat.no_plan", 404);

    // Settings.
    public static readonly Error PlanUnsafe = Errors.Field("seat.plan_unsafe", "svg");
    public static readonly Error PlanInvalid = Errors.Field("seat.plan_invalid", "svg");
    public static readonly Error PlanTooLarge = Errors.Field("seat.plan_too_large", "svg") with { Status = 413 };
    public static readonly Error NameRequired = Errors.Field("seat.name_required", "name");
    public static readonly Error SizeInvalid = Errors.Field("seat.size_invalid", "width");
    public static readonly Error PositionInvalid = Errors.Field("seat.position_invalid", "x");
    public static readonly Error ZoneKindUnknown = Errors.Field("seat.zone_kind_unknown", "kind");
    public static readonly Error ZoneUnknown = Errors.Field("seat.zone_unknown", "zoneId");
    public static readonly Error DepartmentUnknown = Errors.Field("seat.department_unknown", "departmentId");
    public static readonly Error EquipmentUnknown = Errors.Field("seat.equipment_unknown", "equipment");
    public static readonly Error LabelInvalid = Errors.Field("seat.label_invalid", "label");
    public static readonly Error LabelTaken = new("seat.label_taken", 409);
    public static readonly Error RangeInvalid = Errors.Field("seat.range_invalid", "to");
    public static readonly Error ReasonRequired = Errors.Field("seat.reason_required", "reason");
    public static readonly Error RulesInvalid = new("seat.rules_invalid", 400);
    public static readonly Error ClosureNotFound = new("seat.closure_not_found", 404);
    public static readonly Error ZoneNotFound = new("seat.zone_not_found", 404);
    public static readonly Error DeskNotFound = new("seat.desk_not_found", 404);
    public static readonly Error FloorInUse = new("seat.floor_in_use", 409);
    public static readonly Error UtilisationRange = Shared.Errors.Field("seat.utilisation_range", "from");

    public static IReadOnlyList<Error> All { get; } =
    [
        Taken, AlreadyBooked, DeskUnknown, PartUnknown, DateRequired, DatePast, BeyondHorizon, Closed, WeeklyLimit, TeamArea, BookingNotFound, NotActive,
        NotPending, DayOver, SiteUnknown, FloorUnknown, NoPlan, PlanUnsafe, PlanInvalid, PlanTooLarge, NameRequired, SizeInvalid, PositionInvalid,
        ZoneKindUnknown, ZoneUnknown, DepartmentUnknown, EquipmentUnknown, LabelInvalid, LabelTaken, RangeInvalid, ReasonRequired, RulesInvalid,
        ClosureNotFound, ZoneNotFound, DeskNotFound, FloorInUse,
    ];
}
