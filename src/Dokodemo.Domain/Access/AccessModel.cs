using Dokodemo.Domain.Accounts;

namespace Dokodemo.Domain.Access;

/// <summary>機密性 — the confidentiality level of information, as in the 総務省 guideline's classification.</summary>
public enum Confidentiality : byte
{
    /// <summary>機密性1: may be made public.</summary>
    Level1 = 1,

    /// <summary>機密性2: internal, not for the public.</summary>
    Level2 = 2,

    /// <summary>機密性3: secret; only those who need it, from trusted devices.</summary>
    Level3 = 3,
}

/// <summary>Marks on a resource that policies can single out.</summary>
[Flags]
public enum ResourceFlags : byte
{
    None = 0,

    /// <summary>個人情報 — personal information about residents or staff.</summary>
    PersonalInfo = 1,

    /// <summary>人事情報 — personnel matters (evaluations, pay, health).</summary>
    Personnel = 2,
}

/// <summary>How far the town trusts the browser or client a request comes from.</summary>
public enum DeviceTrust : byte
{
    /// <summary>Never confirmed by anyone.</summary>
    Unknown = 0,

    /// <summary>The person confirmed it is theirs (after a fresh sign-in).</summary>
    Registered = 1,

    /// <summary>The security admin marked it as town-issued (貸与端末).</summary>
    Managed = 2,
}

public enum NetworkZone : byte
{
    /// <summary>Anywhere that is not one of the town's own ranges.</summary>
    Internet = 0,

    /// <summary>庁内ネットワーク — the town's configured address ranges.</summary>
    Town = 1,
}

/// <summary>The kind of day in the town's calendar.</summary>
public enum DayType : byte
{
    Workday = 0,

    /// <summary>週休日 — Saturdays and Sundays.</summary>
    WeeklyRestDay = 1,

    /// <summary>休日 — national holidays and the town's closing days (12/29–1/3).</summary>
    Holiday = 2,
}

/// <summary>How strongly the person proved who they are in this session.</summary>
public enum AuthStrength : byte
{
    Password = 0,

    /// <summary>Password and an authenticator code (or a recovery code).</summary>
    Mfa = 1,

    /// <summary>A passkey with user verification: phishing-resistant.</summary>
    Passkey = 2,
}

public enum AccessAction : byte
{
    Read = 0,
    Create = 1,
    Update = 2,
    Delete = 3,

    /// <summary>Downloads and bulk exports: data leaves the app.</summary>
    Export = 4,

    /// <summary>Settings, people, policies: the security-sensitive functions.</summary>
    Administer = 5,
}

/// <summary>How the person asking relates to the object (computed by the app, decided on here).</summary>
[Flags]
public enum Relation : byte
{
    None = 0,

    /// <summary>The object is the person (their account, sessions, devices).</summary>
    Self = 1,

    /// <summary>The person is a member of the object (a project, a channel).</summary>
    Member = 2,

    /// <summary>The object belongs to the person's department.</summary>
    SameDepartment = 4,
}

/// <summary>The six roles as a bit set, so a rule's role test is one AND.</summary>
[Flags]
public enum RoleSet : byte
{
    None = 0,
    Staff = 1,
    Manager = 2,
    Dx = 4,
    SecurityAdmin = 8,
    Hr = 16,
    Admin = 32,
}

public static class RoleSets
{
    public static RoleSet Of(string role) => role switch
    {
        Roles.Staff => RoleSet.Staff,
        Roles.Manager => RoleSet.Manager,
        Roles.Dx => RoleSet.Dx,
        Roles.SecurityAdmin => RoleSet.SecurityAdmin,
        Roles.Hr => RoleSet.Hr,
        Roles.Admin => RoleSet.Admin,
        _ => RoleSet.None,
    };

    public static RoleSet Of(IEnumerable<string> roles)
    {
        var set = RoleSet.None;
        foreach (var r in roles)
        {
            set |= Of(r);
        }

        return set;
    }

    public static string NameOf(RoleSet single) => single switch
    {
        RoleSet.Staff => Roles.Staff,
        RoleSet.Manager => Roles.Manager,
        RoleSet.Dx => Roles.Dx,
        RoleSet.SecurityAdmin => Roles.SecurityAdmin,
        RoleSet.Hr => Roles.Hr,
        RoleSet.Admin => Roles.Admin,
        _ => "",
    };
}

/// <summary>An approved period in which a person may work from a country other than the home country.</summary>
public readonly record struct CountryWindow(string Country, DateOnly From, DateOnly To)
{
    public bool Covers(string country, DateOnly day) =>
        string.Equals(country, Country, StringComparison.OrdinalIgnoreCase) && day >= From && day <= To;
}

/// <summary>Who is asking. Built once per person and cached by the app; never changed during a decision.</summary>
public sealed class Subject(string id, AccountKind kind, RoleSet roles, DateOnly? contractEnd, CountryWindow[]? countryWindows = null)
{
    public string Id { get; } = id;
    public AccountKind Kind { get; } = kind;
    public RoleSet Roles { get; } = roles;
    public DateOnly? ContractEnd { get; } = contractEnd;
    public CountryWindow[] CountryWindows { get; } = countryWindows ?? [];

    public bool HasWindowFor(string country, DateOnly day)
    {
        foreach (var w in CountryWindows)
        {
            if (w.Covers(country, day))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The device the request comes from.</summary>
public readonly record struct DeviceState(DeviceTrust Trust);

/// <summary>Where and when the request happens, and how the session was authenticated.</summary>
/// <param name="Country">ISO 3166 alpha-2, upper case, as the trusted proxy reported it (the app decides what "unknown" maps to).</param>
/// <param name="LocalDate">The day in the town's time zone (contract ends and country windows are dates there).</param>
public readonly record struct AccessContext(
    DateTimeOffset Now,
    DateOnly LocalDate,
    TimeOnly LocalTime,
    DayType DayType,
    NetworkZone Zone,
    string Country,
    AuthStrength Strength,
    DateTimeOffset AuthenticatedAt);

/// <summary>What is asked for: a resource type (declared by a feature), its label, and the asker's relation to it.</summary>
public readonly record struct ResourceRef(string Type, Confidentiality Level, ResourceFlags Flags = ResourceFlags.None, Relation Relation = Relation.None);

public enum Verdict : byte
{
    Deny = 0,
    Allow = 1,

    /// <summary>Allowed after the person authenticates again, more strongly or more recently.</summary>
    StepUp = 2,
}

/// <summary>Why a request was not allowed — a stable code the UI translates.</summary>
public enum DenyReason : byte
{
    None = 0,
    NoRule = 1,
    ExplicitDeny = 2,
    DeviceTrust = 3,
    Network = 4,
    AuthStrength = 5,
    AuthAge = 6,
    Location = 7,
    Contract = 8,
    Time = 9,
}

/// <summary>What the person can do about a refusal.</summary>
public enum Remedy : byte
{
    None = 0,
    RegisterDevice = 1,
    UseManagedDevice = 2,
    SignInWithPasskey = 3,
    SignInAgain = 4,
    UseTownNetwork = 5,
    UseTownNetworkOrManagedDevice = 6,
    RequestAbroadPeriod = 7,
    ContactAdministrator = 8,
    WaitForWorkingHours = 9,
}

/// <summary>The answer of the decision point. A struct, so the allow path allocates nothing.</summary>
public readonly record struct Decision(Verdict Verdict, DenyReason Reason, Remedy Remedy, PolicyRule? Rule, int PolicyVersion)
{
    public bool IsAllowed => Verdict == Verdict.Allow;
}
