using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Microsoft.AspNetCore.Identity;

namespace Dokodemo.Access;

/// <summary>A person who signs in: staff, part-time staff, a side-job worker or a partner member.</summary>
public sealed class AppUser : IdentityUser
{
    public required string DisplayName { get; set; }
    public string DisplayNameKana { get; set; } = "";
    public AccountKind Kind { get; set; }
    public int DepartmentId { get; set; }
    public Department? Department { get; set; }
    public int? SectionId { get; set; }
    public Section? Section { get; set; }

    /// <summary>役職, e.g. 課長, 係長, 主事.</summary>
    public string Title { get; set; } = "";

    /// <summary>For side-job workers and partners: access ends after this day.</summary>
    public DateOnly? ContractEnd { get; set; }

    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EnrolledAt { get; set; }

    /// <summary>The last TOTP time step accepted; a code for this step or an earlier one is never accepted again.</summary>
    public long? LastTotpStep { get; set; }

    /// <summary>How many times the account has been locked; each lock lasts twice as long as the one before.</summary>
    public int LockoutCount { get; set; }

    public string TimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>
    /// The language the person chose ("ja" or "en", <see cref="Shared.Languages"/>), kept so that what the app sends on its own
    /// (the Talk digest, notice reminders) speaks it; null until they choose, which means Japanese.
    /// </summary>
    public string? Language { get; set; }
}

public sealed class AppRole : IdentityRole
{
    public AppRole()
    {
    }

    public AppRole(string name) : base(name)
    {
    }
}

public enum InvitePurpose
{
    /// <summary>A person was invited to enrol (set a password and an authenticator).</summary>
    Enrolment = 0,

    /// <summary>The single-use link for the first administrator of a production install.</summary>
    Bootstrap = 1,
}

/// <summary>A one-time, expiring link. Only the SHA-256 of the token is stored.</summary>
public sealed class Invite
{
    public Guid Id { get; set; }
    public InvitePurpose Purpose { get; set; }
    public required string TokenHash { get; set; }
    public string? UserId { get; set; }
    public AppUser? User { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? PasswordSetAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CreatedById { get; set; }
}

/// <summary>
/// A server-side sign-in session. The cookie holds only its id, so signing out (or an administrator
/// ending it) makes a copied cookie worthless at once.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string AuthMethod { get; set; } = "";

    /// <summary>The device the session was started from (see <see cref="Device"/>).</summary>
    public Guid? DeviceId { get; set; }

    public string UserAgent { get; set; } = "";
    public string IpAddress { get; set; } = "";
    public required byte[] Ticket { get; set; }
}
