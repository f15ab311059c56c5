using Dokodemo.Domain.Accounts;

namespace Dokodemo.Work.Places;

/// <summary>Where a person works (勤務場所).</summary>
public enum WorkPlaceKind
{
    /// <summary>庁舎 — the town hall (the default when nothing else is known).</summary>
    Office = 0,

    /// <summary>在宅 — at home.</summary>
    Home = 1,

    /// <summary>サテライトオフィス — one of the town's sites (satellite office, branch, partner space).</summary>
    Satellite = 2,

    /// <summary>出張・モバイル — on a business trip or on the move.</summary>
    Mobile = 3,

    /// <summary>旅先（海外） — abroad, with a country and a time zone.</summary>
    Abroad = 4,
}

/// <summary>午前 / 午後: places are kept per half day; a whole day is both halves.</summary>
public enum DayHalf
{
    Morning = 0,
    Afternoon = 1,
}

/// <summary>
/// One half day's declared place. A whole-day declaration is two rows. A row made by an approval carries the
/// request's id, so cancelling the request removes exactly what it set.
/// </summary>
public sealed class WorkPlaceDeclaration
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
    public DayHalf Half { get; set; }
    public WorkPlaceKind Kind { get; set; }
    public int? SiteId { get; set; }
    public string? Country { get; set; }
    public string? TimeZone { get; set; }
    public string Note { get; set; } = "";
    public Guid? RequestId { get; set; }
    public string? DeclaredById { get; set; }
    public DateTimeOffset DeclaredAt { get; set; }
}

/// <summary>A person's weekly default (週の勤務パターン), Monday to Friday by half day. Missing halves are 庁舎.</summary>
public sealed class WorkPattern
{
    public required string UserId { get; set; }
    public DayOfWeek Weekday { get; set; }
    public DayHalf Half { get; set; }
    public WorkPlaceKind Kind { get; set; }
    public int? SiteId { get; set; }
}

public enum TeleworkKind
{
    /// <summary>在宅勤務 on given days.</summary>
    Home = 0,

    /// <summary>海外での勤務: a period in one country.</summary>
    Abroad = 1,
}

public enum TeleworkState
{
    Pending = 0,
    Approved = 1,
    Declined = 2,
    Withdrawn = 3,

    /// <summary>Approved, then cancelled by the person before its first day.</summary>
    Cancelled = 4,
}

/// <summary>テレワーク申請: telework days or a period abroad, asked in advance and decided by the person's approvers.</summary>
public sealed class TeleworkRequest
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public TeleworkKind Kind { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public string? Country { get; set; }
    public string? TimeZone { get; set; }
    public string Reason { get; set; } = "";
    public TeleworkState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? DecidedById { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string DecisionComment { get; set; } = "";
    public DateTimeOffset? ClosedAt { get; set; }
    public List<TeleworkRequestDay> Days { get; set; } = [];
}

/// <summary>One working day a request covers (the request's own copy of its user id keeps "approved on this day?" one indexed query).</summary>
public sealed class TeleworkRequestDay
{
    public Guid RequestId { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
}

/// <summary>The town's telework rules and the 在宅勤務等手当 parameters (one row). Defaults are the constructor's values.</summary>
public sealed class TeleworkSettings
{
    public int Id { get; set; } = 1;

    /// <summary>Account kinds that may telework, comma-separated <see cref="AccountKind"/> names.</summary>
    public string EligibleKinds { get; set; } = $"{AccountKind.Staff},{AccountKind.PartTimeStaff}";

    /// <summary>Department ids that may telework, comma-separated; empty = all.</summary>
    public string EligibleDepartments { get; set; } = "";

    public bool TrainingRequired { get; set; }
    public int MaxDaysPerWeek { get; set; } = 5;
    public int MinDaysAhead { get; set; } = 1;
    public bool ApprovalRequired { get; set; } = true;

    // 在宅勤務等手当 (work-rules.md E-1..E-3): off by default; read by the allowance computation.
    public bool AllowanceEnabled { get; set; }
    public int AllowanceThresholdDays { get; set; } = 10;
    public int AllowanceWindowMonths { get; set; } = 3;
    public int AllowanceAmountYen { get; set; } = 3000;
    public bool AllowanceHalfDaysCount { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedById { get; set; }

    public IReadOnlyList<AccountKind> Kinds =>
        [.. EligibleKinds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(k => Enum.TryParse<AccountKind>(k, out var v) ? (AccountKind?)v : null).OfType<AccountKind>()];

    public IReadOnlyList<int> Departments =>
        [.. EligibleDepartments.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => int.TryParse(d, System.Globalization.CultureInfo.InvariantCulture, out var v) ? (int?)v : null).OfType<int>()];
}

/// <summary>テレワーク研修: the day a person completed the telework training, as HR recorded it.</summary>
public sealed class TeleworkTraining
{
    public required string UserId { get; set; }
    public DateOnly CompletedOn { get; set; }
    public string? RecordedById { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
