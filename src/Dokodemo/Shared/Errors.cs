namespace Dokodemo.Shared;

/// <summary>Stable error codes. Each has a Japanese and an English sentence in <see cref="Text"/> ("error." + code).</summary>
public static class Errors
{
    public static readonly Error AuthFailed = new("auth.failed", 401);
    public static readonly Error AuthNoPendingSignIn = new("auth.no_pending_sign_in", 400);
    public static readonly Error InviteInvalid = new("enrolment.invite_invalid", 404);
    public static readonly Error PasswordRequired = new("password.required", 400);
    public static readonly Error PasswordFirst = new("enrolment.password_first", 409);
    public static readonly Error CodeFormat = new("totp.format", 400);
    public static readonly Error CodeWrong = new("totp.wrong", 400);
    public static readonly Error BootstrapInvalid = new("bootstrap.invalid", 404);
    public static readonly Error NotFound = new("not_found", 404);
    public static readonly Error Forbidden = new("forbidden", 403);
    public static readonly Error Unauthenticated = new("unauthenticated", 401);
    public static readonly Error RateLimited = new("rate_limited", 429);
    public static readonly Error BadRequest = new("request.invalid", 400);
    public static readonly Error CsrfFailed = new("csrf.failed", 403);

    // Access: devices, policy, labels, country periods.
    public static readonly Error DeviceNotFound = new("device.not_found", 404);
    public static readonly Error DeviceNameRequired = Field("device.name_required", "name");
    public static readonly Error DeviceNameTooLong = Field("device.name_too_long", "name");
    public static readonly Error PolicyInvalid = new("policy.invalid", 400);
    public static readonly Error PolicyLocksOut = new("policy.locks_out_admins", 409);
    public static readonly Error PolicyStale = new("policy.stale", 409);
    public static readonly Error PolicyNothingToAdd = new("policy.nothing_to_add", 409);
    public static readonly Error LabelInvalid = new("label.invalid", 400);
    public static readonly Error CountryInvalid = Field("country_grant.country_invalid", "country");
    public static readonly Error UserNotFound = new("user.not_found", 404);
    public static readonly Error LanguageUnknown = Field("user.language_unknown", "language");

    // The town calendar.
    public static readonly Error HolidaysEmpty = new("calendar.holidays_empty", 400);
    public static readonly Error HolidaysTooLarge = new("calendar.holidays_too_large", 413);
    public static readonly Error HolidaysEncoding = new("calendar.holidays_encoding", 400);
    public static readonly Error HolidaysInvalid = new("calendar.holidays_invalid", 400);
    public static readonly Error CalendarYearOutOfRange = Field("calendar.year_out_of_range", "year");
    public static readonly Error CalendarDateInvalid = Field("calendar.date_invalid", "date");
    public static readonly Error CalendarRangeInvalid = Field("calendar.range_invalid", "to");
    public static readonly Error ClosingDayNameRequired = Field("calendar.closing_day_name_required", "name");
    public static readonly Error ClosingDayExists = new("calendar.closing_day_exists", 409);
    public static readonly Error ClosingDayNotOwn = new("calendar.closing_day_configured", 409);

    // The working-time rule settings.
    public static readonly Error RulesInvalid = new("work.rules.invalid", 400);
    public static readonly Error RulesTargetRequired = Field("work.rules.target_invalid", "departmentId");
    public static readonly Error RulesPeriodInvalid = Field("work.rules.period_invalid", "from");
    public static readonly Error RulesNameRequired = Field("work.rules.name_required", "name");
    public static readonly Error RulesDuplicate = new("work.rules.duplicate", 409);
    public static readonly Error RulesAnalysisRequired = Field("work.rules.analysis_required", "analysis");
    public static readonly Error FindingsYearInvalid = Field("work.findings.year_invalid", "fiscalYear");

    public static Error Field(string code, string field) =>
        new(code, 400, new Dictionary<string, object?> { ["field"] = field });
}
