using Dokodemo.Shared;

namespace Dokodemo.Work.Places;

/// <summary>The stable codes of work places and telework; each has a sentence in Text.WorkPlaces.cs ("error." + code).</summary>
public static class PlaceErrors
{
    public static readonly Error AccessDenied = new("access.denied", 403);
    public static readonly Error DayOver = new("work.place.day_over", 422);
    public static readonly Error DayOff = new("work.place.day_off", 422);
    public static readonly Error KindUnknown = Errors.Field("work.place.kind_unknown", "kind");
    public static readonly Error SiteUnknown = Errors.Field("work.place.site_unknown", "siteId");
    public static readonly Error CountryRequired = Errors.Field("work.place.country_required", "country");
    public static readonly Error CountryInvalid = Errors.Field("work.place.country_invalid", "country");
    public static readonly Error TimeZoneUnknown = Attendance.AttendanceErrors.TimeZoneUnknown;
    public static readonly Error PartUnknown = Errors.Field("work.place.part_unknown", "part");
    public static readonly Error NoteTooLong = Errors.Field("work.place.note_too_long", "note");
    public static readonly Error DateInvalid = Errors.Field("work.place.date_invalid", "date");
    public static readonly Error RangeInvalid = Errors.Field("work.place.range_invalid", "to");
    public static readonly Error PatternInvalid = Errors.Field("work.pattern.invalid", "entries");
    public static readonly Error PersonUnknown = new("work.person_unknown", 404);
    public static readonly Error DepartmentUnknown = Errors.Field("work.department_unknown", "department");

    public static readonly Error RequestKindUnknown = Errors.Field("work.telework.kind_unknown", "kind");
    public static readonly Error RequestNoDays = Errors.Field("work.telework.no_days", "dates");
    public static readonly Error RequestPeriodInvalid = Errors.Field("work.telework.period_invalid", "to");
    public static readonly Error ReasonRequired = Errors.Field("work.telework.reason_required", "reason");
    public static readonly Error CommentTooLong = Errors.Field("work.telework.comment_too_long", "comment");
    public static readonly Error NotEligible = new("work.telework.not_eligible", 422);
    public static readonly Error TooLate = Errors.Field("work.telework.too_late", "from") with { Status = 422 };
    public static readonly Error WeeklyLimit = new("work.telework.weekly_limit", 422);
    public static readonly Error TrainingRequired = new("work.telework.training_required", 422);
    public static readonly Error RequestNotFound = new("work.telework.not_found", 404);
    public static readonly Error AlreadyDecided = new("work.telework.already_decided", 409);
    public static readonly Error NotApproved = new("work.telework.not_approved", 409);
    public static readonly Error AlreadyStarted = new("work.telework.already_started", 409);
    public static readonly Error Overlaps = new("work.telework.overlaps", 409);

    public static readonly Error SettingsInvalid = new("work.settings.invalid", 400);

    public static IReadOnlyList<Error> All { get; } =
    [
        AccessDenied, DayOver, DayOff, KindUnknown, SiteUnknown, CountryRequired, CountryInvalid, TimeZoneUnknown, PartUnknown, NoteTooLong,
        DateInvalid, RangeInvalid, PatternInvalid, PersonUnknown, DepartmentUnknown, RequestKindUnknown, RequestNoDays, RequestPeriodInvalid,
        ReasonRequired, CommentTooLong, NotEligible, TooLate, WeeklyLimit, TrainingRequired, RequestNotFound, AlreadyDecided, NotApproved,
        AlreadyStarted, Overlaps, SettingsInvalid,
    ];
}
