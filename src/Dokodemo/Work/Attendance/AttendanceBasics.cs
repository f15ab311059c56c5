using System.Globalization;
using Dokodemo.Shared;

namespace Dokodemo.Work.Attendance;

/// <summary>The work-place kinds a clock record carries until the work-place capability supplies the day's place.</summary>
public static class WorkPlaceKinds
{
    /// <summary>庁舎.</summary>
    public const string Office = "office";
}

/// <summary>
/// Where a person works on a day (庁舎, 在宅, サテライト …), as the code a clock record keeps; implemented by the work
/// places (Places.DeclaredWorkPlace, from the declarations, patterns and approved requests). Attendance only stores it.
/// </summary>
public interface IWorkPlaceOfDay
{
    Task<string> PlaceOfAsync(string userId, DateOnly date, CancellationToken ct = default);
}

/// <summary>The attendance error codes (each has sentences in Text.Attendance.cs).</summary>
public static class AttendanceErrors
{
    public static readonly Error TimeZoneUnknown = Errors.Field("work.timezone_unknown", "timeZone");
    public static readonly Error ActionUnknown = Errors.Field("work.clock.action_unknown", "action");
    public static readonly Error AlreadyIn = new("work.clock.already_in", 409);
    public static readonly Error NotIn = new("work.clock.not_in", 409);
    public static readonly Error BreakOpen = new("work.clock.break_open", 409);
    public static readonly Error NoBreak = new("work.clock.no_break", 409);
    public static readonly Error EndBeforeStart = Errors.Field("work.attendance.end_before_start", "records");
    public static readonly Error Overlap = Errors.Field("work.attendance.overlap", "records");
    public static readonly Error Future = Errors.Field("work.attendance.future", "date");
    public static readonly Error BreakOutside = Errors.Field("work.attendance.break_outside", "records");
    public static readonly Error WrongDay = Errors.Field("work.attendance.wrong_day", "records");
    public static readonly Error TimeInvalid = Errors.Field("work.attendance.time_invalid", "records");
    public static readonly Error RecordsRequired = Errors.Field("work.attendance.records_required", "records");
    public static readonly Error ReasonRequired = Errors.Field("work.attendance.reason_required", "reason");
    public static readonly Error CommentRequired = Errors.Field("work.attendance.comment_required", "comment");
    public static readonly Error MonthLocked = new("work.attendance.month_locked", 409);
    public static readonly Error CorrectionNotFound = new("work.attendance.correction_not_found", 404);
    public static readonly Error AlreadyDecided = new("work.attendance.already_decided", 409);
    public static readonly Error NotApprover = new("work.attendance.not_approver", 403);
    public static readonly Error AccessDenied = new("access.denied", 403);
    public static readonly Error PersonNotFound = new("work.attendance.person_not_found", 404);
    public static readonly Error MonthInvalid = Errors.Field("work.month.invalid", "month");
    public static readonly Error MonthNotEnded = new("work.month.not_ended", 409);
    public static readonly Error MonthState = new("work.month.wrong_state", 409);
    public static readonly Error PurposeRequired = Errors.Field("work.overtime.purpose_required", "purpose");
    public static readonly Error OvertimeInBreak = Errors.Field("work.overtime.in_break", "start");
    public static readonly Error OvertimeNotFound = new("work.overtime.not_found", 404);
    public static readonly Error OvertimeState = new("work.overtime.wrong_state", 409);
    public static readonly Error OvertimeNotYet = new("work.overtime.not_yet", 409);
    public static readonly Error ScheduleInvalid = Errors.Field("work.schedule.invalid", "start");
    public static readonly Error DepartmentNotFound = Errors.Field("work.schedule.department_unknown", "department");
    public static readonly Error ImportInvalid = Errors.Field("work.attendance.import_invalid", "records");

    /// <summary>The same error, naming which row of a list was wrong.</summary>
    public static Error AtRow(this Error error, int row)
    {
        var details = new Dictionary<string, object?>(error.Details ?? new Dictionary<string, object?>()) { ["row"] = row };
        return error with { Details = details };
    }
}

/// <summary>Japan time for the rules, the person's own time for display.</summary>
public static class JapanTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    /// <summary>Japan has kept UTC+9 without daylight saving since 1951, so a fixed offset is exact and cheap (P7 converts every record).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateTime Local(DateTimeOffset instant) => instant.ToOffset(Offset).DateTime;

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant));

    /// <summary>A Japan wall-clock time on a date as a UTC instant (PostgreSQL stores only offset 0); minutes may pass 24:00.</summary>
    public static DateTimeOffset At(DateOnly date, int minutes) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue).AddMinutes(minutes), TimeSpan.FromHours(9)).ToUniversalTime();

    /// <summary>"HH:mm" (hours up to 47 for past midnight) as minutes after midnight.</summary>
    public static bool TryParseMinutes(string? text, out int minutes)
    {
        minutes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) || h > 47 || m > 59 || parts[1].Length != 2)
        {
            return false;
        }

        minutes = (h * 60) + m;
        return true;
    }

    /// <summary>A time of day or a span as "7:30" (no leading zero: for reading).</summary>
    public static string Hm(int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{minutes / 60}:{minutes % 60:00}");

    public static string Hm(TimeOnly time) => Hm((time.Hour * 60) + time.Minute);

    /// <summary>A time of day as "07:30": what an &lt;input type="time"&gt; and ISO 8601 want.</summary>
    public static string Hhmm(int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");

    public static string Hhmm(TimeOnly time) => Hhmm((time.Hour * 60) + time.Minute);

    /// <summary>Duration as "7:45".</summary>
    public static string Duration(int minutes) => minutes < 0 ? "-" + Hm(-minutes) : Hm(minutes);

    public static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;
    }

    /// <summary>"YYYY-MM" as the first day of the month.</summary>
    public static bool TryParseMonth(string? text, out DateOnly month)
    {
        month = default;
        if (text is null || !DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return false;
        }

        month = first;
        return true;
    }

    public static string MonthText(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>An instant shown in a zone as "HH:mm" (with the date when it differs from <paramref name="day"/>).</summary>
    public static string Show(DateTimeOffset instant, TimeZoneInfo zone, DateOnly? day = null)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return day is { } d && DateOnly.FromDateTime(local) != d
            ? local.ToString("M/d HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }
}
