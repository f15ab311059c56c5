namespace Dokodemo.Seats;

/// <summary>A floor (フロア) of a site, with an optional plan (a sanitised SVG) drawn in plan units.</summary>
public sealed class SeatFloor
{
    public int Id { get; set; }
    public int SiteId { get; set; }
    public required string Name { get; set; }
    public int SortOrder { get; set; }

    /// <summary>The plan's size in plan units (its viewBox); desk and zone coordinates are in the same units.</summary>
    public int Width { get; set; } = 1000;

    public int Height { get; set; } = 600;

    /// <summary>The sanitised SVG, or null: the map then shows desks on a blank grid.</summary>
    public string? PlanSvg { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum ZoneKind
{
    /// <summary>一般エリア.</summary>
    General = 0,

    /// <summary>集中エリア — quiet.</summary>
    Quiet = 1,

    /// <summary>チームエリア — a department's area, theirs first.</summary>
    Team = 2,

    /// <summary>バリアフリー席 — accessible.</summary>
    Accessible = 3,
}

/// <summary>A zone of a floor: a rectangle on the plan.</summary>
public sealed class SeatZone
{
    public int Id { get; set; }
    public int FloorId { get; set; }
    public required string Name { get; set; }
    public ZoneKind Kind { get; set; }

    /// <summary>The department whose team area this is (only for <see cref="ZoneKind.Team"/>).</summary>
    public int? DepartmentId { get; set; }

    public int X { get; set; }
    public int Y { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
}

/// <summary>What a desk has.</summary>
[Flags]
public enum DeskEquipment
{
    None = 0,
    Monitor = 1,
    Docking = 2,
    Standing = 4,

    /// <summary>A phone booth (電話ブース) rather than an open desk.</summary>
    PhoneBooth = 8,
}

/// <summary>A desk (座席) at a position on its floor's plan.</summary>
public sealed class Desk
{
    public int Id { get; set; }
    public int FloorId { get; set; }
    public int? ZoneId { get; set; }
    public required string Label { get; set; }
    public int X { get; set; }
    public int Y { get; set; }
    public DeskEquipment Equipment { get; set; }

    /// <summary>An inactive desk is not offered (removed from use, kept for the booking history).</summary>
    public bool Active { get; set; } = true;

    /// <summary>
    /// The random, unguessable token in the desk's QR code (/seats/checkin/{token}); unique. Every new desk gets one;
    /// desks older than migration 0016 got one there. Null only if an administrator's SQL removed it.
    /// </summary>
    public string? CheckInToken { get; set; } = SeatCheckIn.NewToken();
}

/// <summary>A desk, or a whole floor, closed (閉鎖) for a date range.</summary>
public sealed class SeatClosure
{
    public int Id { get; set; }
    public int FloorId { get; set; }

    /// <summary>The desk, or null for the whole floor.</summary>
    public int? DeskId { get; set; }

    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public required string Reason { get; set; }
    public required string CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A site's booking rules. A site without a row has the defaults.</summary>
public sealed class SeatSiteRules
{
    public const int DefaultHorizonDays = 14;
    public const int DefaultMaxPerWeek = 5;
    public const int DefaultTeamAreaOpenDays = 1;
    public const int DefaultSeriesHorizonDays = 90;

    public int SiteId { get; set; }

    /// <summary>How many days ahead a desk may be booked.</summary>
    public int HorizonDays { get; set; } = DefaultHorizonDays;

    /// <summary>How many bookings a person may hold in one week (Monday to Sunday).</summary>
    public int MaxPerWeek { get; set; } = DefaultMaxPerWeek;

    /// <summary>Other departments may book a team area only this many days ahead (the team books first).</summary>
    public int TeamAreaOpenDays { get; set; } = DefaultTeamAreaOpenDays;

    /// <summary>Bookings start as 申請中 and wait for the site's administrator or DX team.</summary>
    public bool ApprovalRequired { get; set; }

    /// <summary>How many days ahead the last date of a series (繰り返し予約) may be; at least <see cref="HorizonDays"/>.</summary>
    public int SeriesHorizonDays { get; set; } = DefaultSeriesHorizonDays;
    public static readonly TimeOnly DefaultMorningReleaseAt = new(10, 0);
    public static readonly TimeOnly DefaultAfternoonReleaseAt = new(14, 0);

    /// <summary>
    /// チェックイン必須: a confirmed booking of today not checked in by its release time is released (the desk is free
    /// again). On by default, for new sites too.
    /// </summary>
    public bool CheckInRequired { get; set; } = true;

    /// <summary>A morning or whole-day booking not checked in by this town-local time is released.</summary>
    public TimeOnly MorningReleaseAt { get; set; } = DefaultMorningReleaseAt;

    /// <summary>An afternoon booking not checked in by this town-local time is released.</summary>
    public TimeOnly AfternoonReleaseAt { get; set; } = DefaultAfternoonReleaseAt;

    public string? UpdatedById { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Which part of the day a booking covers.</summary>
public enum BookingPart
{
    /// <summary>終日 — both halves.</summary>
    Full = 0,

    /// <summary>午前.</summary>
    Morning = 1,

    /// <summary>午後.</summary>
    Afternoon = 2,
}

/// <summary>A half day (午前/午後): the unit a holding is made of.</summary>
public enum SeatHalf
{
    Morning = 0,
    Afternoon = 1,
}

public enum BookingState
{
    /// <summary>申請中 — waiting for approval; the desk is held meanwhile.</summary>
    Pending = 0,

    /// <summary>予約済み.</summary>
    Confirmed = 1,

    /// <summary>取消し — by the person, an administrator or a closure.</summary>
    Cancelled = 2,

    /// <summary>却下 — the approver declined.</summary>
    Declined = 3,
}

/// <summary>
/// A booking, kept with its state for history. What it holds is in <see cref="SeatHolding"/> rows, which exist only
/// while the booking is pending or confirmed.
/// </summary>
public sealed class SeatBooking
{
    public Guid Id { get; set; }
    public int DeskId { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
    public BookingPart Part { get; set; }
    public BookingState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? DecidedById { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? CancelledById { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }

    /// <summary>The series (繰り返し予約) this booking is an occurrence of, if any.</summary>
    public Guid? SeriesId { get; set; }
    /// <summary>When the person checked in (チェックイン) at the desk, by the app or the desk's QR code.</summary>
    public DateTimeOffset? CheckedInAt { get; set; }
}

/// <summary>
/// One half day of one desk that an active booking holds. The primary key (desk, date, half) is what makes a double
/// booking impossible: the database refuses the second row, whatever the code around it does. A second unique index
/// (person, date, half) keeps a person to one desk per half day. Cancelling deletes the rows, so neither index ever
/// has to skip cancelled bookings.
/// </summary>
public sealed class SeatHolding
{
    public int DeskId { get; set; }
    public DateOnly Date { get; set; }
    public SeatHalf Half { get; set; }
    public Guid BookingId { get; set; }
    public required string UserId { get; set; }
}
