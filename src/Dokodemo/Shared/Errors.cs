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
    public static readonly Error LabelInvalid = new("label.invalid", 400);
    public static readonly Error CountryInvalid = Field("country_grant.country_invalid", "country");
    public static readonly Error UserNotFound = new("user.not_found", 404);

    public static Error Field(string code, string field) =>
        new(code, 400, new Dictionary<string, object?> { ["field"] = field });
}
