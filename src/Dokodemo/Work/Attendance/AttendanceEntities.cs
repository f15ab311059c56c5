using Dokodemo.Access;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Attendance;

/// <summary>
/// 正規の勤務時間 (the regular schedule): the town default (no department) or one department's override. Times are
/// minutes after midnight in Japan time, so both databases store plain integers.
/// </summary>
public sealed class WorkSchedule
{
    public int Id { get; set; }

    /// <summary>Null for the town default.</summary>
    public int? DepartmentId { get; set; }

    public int StartMinute { get; set; }
    public int EndMinute { get; set; }
    public int BreakStartMinute { get; set; }
    public int BreakEndMinute { get; set; }

    /// <summary>法定休日 (労基法35条): the weekday that is the statutory rest day, by default Sunday.</summary>
    public DayOfWeek LegalRestDay { get; set; } = DayOfWeek.Sunday;

    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedById { get; set; }
}

public enum ClockKind
{
    /// <summary>出勤〜退勤.</summary>
    Work = 0,

    /// <summary>休憩.</summary>
    Break = 1,
}

public enum ClockSource
{
    /// <summary>Clocked by the person (an objective record, C-2: with the session's device).</summary>
    Clock = 0,

    /// <summary>From an approved correction.</summary>
    Correction = 1,

    /// <summary>Loaded by HR from past records.</summary>
    Import = 2,
}

/// <summary>
/// One stretch of work or break, in UTC with the IANA time zone the person was in. <see cref="Date"/> is the Japan date
/// of its start: the rules apply in Japan time. A record replaced by a correction is kept, marked superseded.
/// </summary>
public sealed class ClockRecord
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
    public ClockKind Kind { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public required string TimeZone { get; set; }

    /// <summary>The registered device of the session that clocked, when known.</summary>
    public Guid? DeviceId { get; set; }

    /// <summary>The work place of the day (庁舎 = "office"); see <see cref="IWorkPlaceOfDay"/>.</summary>
    public string Place { get; set; } = WorkPlaceKinds.Office;

    public ClockSource Source { get; set; }
    public Guid? CorrectionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public DateTimeOffset? SupersededAt { get; set; }
    public Guid? SupersededById { get; set; }
}

public enum CorrectionStatus
{
    Pending = 0,
    Approved = 1,
    Declined = 2,
}

/// <summary>打刻修正: the person proposes a day's records with a reason; their approver decides.</summary>
public sealed class AttendanceCorrection
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
    public required string Reason { get; set; }

    /// <summary>The proposed records (JSON list of <see cref="ProposedRecord"/>), kept as proposed.</summary>
    public required string Proposed { get; set; }

    public CorrectionStatus Status { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public required string RequestedById { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedById { get; set; }
    public string? Comment { get; set; }

    /// <summary>The month was locked when it was approved, so HR approved it.</summary>
    public bool LockedMonth { get; set; }
}

public enum OvertimeStatus
{
    /// <summary>The person asked; no order yet.</summary>
    Requested = 0,

    /// <summary>命令 — ordered by an approver.</summary>
    Ordered = 1,

    /// <summary>The person reported the actual times.</summary>
    Reported = 2,

    /// <summary>確認 — the approver confirmed the actual times.</summary>
    Confirmed = 3,

    Declined = 4,
}

/// <summary>時間外勤務命令 (H-3): ordered before the work, reported and confirmed after it.</summary>
public sealed class OvertimeOrder
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public required string Purpose { get; set; }
    public OvertimeStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedById { get; set; }
    public DateTimeOffset? OrderedAt { get; set; }
    public string? OrderedById { get; set; }

    /// <summary>事後: the order was made after the ordered time began.</summary>
    public bool AfterTheFact { get; set; }

    public DateTimeOffset? ActualStart { get; set; }
    public DateTimeOffset? ActualEnd { get; set; }
    public DateTimeOffset? ReportedAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public string? ConfirmedById { get; set; }
    public string? Comment { get; set; }
}

public enum MonthStatus
{
    Open = 0,
    Submitted = 1,
    Approved = 2,
    Returned = 3,
    Locked = 4,
}

/// <summary>締め: one person's month, submitted by them, approved (or returned) by their approver, locked by HR.</summary>
public sealed class AttendanceMonth
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; set; }

    public MonthStatus Status { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public string? ApprovedById { get; set; }
    public DateTimeOffset? ReturnedAt { get; set; }
    public string? ReturnedById { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset? LockedAt { get; set; }
    public string? LockedById { get; set; }

    /// <summary>
    /// The month's counted minutes as they stood when it was locked (A-0 時間外, B-2 時間外 and 法定休日労働, all worked), so
    /// later checks read one row instead of the month's records. Cleared when HR corrects the locked month.
    /// </summary>
    public DateTimeOffset? TotalsAt { get; set; }

    public int? OvertimeMinutes { get; set; }
    public int? LaborOvertimeMinutes { get; set; }
    public int? LegalRestDayMinutes { get; set; }
    public int? WorkedMinutes { get; set; }
}

/// <summary>The EF configuration of the attendance tables (one block in <see cref="Data.AppDbContext"/>).</summary>
public static class AttendanceModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<WorkSchedule>(s =>
        {
            s.ToTable("WorkSchedules");
            s.Property(x => x.UpdatedById).HasMaxLength(450);
            s.HasIndex(x => x.DepartmentId).IsUnique();
        });

        builder.Entity<ClockRecord>(r =>
        {
            r.ToTable("ClockRecords");
            r.Property(x => x.UserId).HasMaxLength(450);
            r.Property(x => x.TimeZone).HasMaxLength(64);
            r.Property(x => x.Place).HasMaxLength(32);
            r.Property(x => x.CreatedById).HasMaxLength(450);
            r.HasIndex(x => new { x.UserId, x.Date });
            r.HasIndex(x => x.Date);
            r.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AttendanceCorrection>(c =>
        {
            c.ToTable("AttendanceCorrections");
            c.Property(x => x.UserId).HasMaxLength(450);
            c.Property(x => x.Reason).HasMaxLength(500);
            c.Property(x => x.RequestedById).HasMaxLength(450);
            c.Property(x => x.DecidedById).HasMaxLength(450);
            c.Property(x => x.Comment).HasMaxLength(500);
            c.HasIndex(x => new { x.UserId, x.Date });
            c.HasIndex(x => x.Status);
            c.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<OvertimeOrder>(o =>
        {
            o.ToTable("OvertimeOrders");
            o.Property(x => x.UserId).HasMaxLength(450);
            o.Property(x => x.Purpose).HasMaxLength(500);
            o.Property(x => x.CreatedById).HasMaxLength(450);
            o.Property(x => x.OrderedById).HasMaxLength(450);
            o.Property(x => x.ConfirmedById).HasMaxLength(450);
            o.Property(x => x.Comment).HasMaxLength(500);
            o.HasIndex(x => new { x.UserId, x.Date });
            o.HasIndex(x => x.Date);
            o.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AttendanceMonth>(m =>
        {
            m.ToTable("AttendanceMonths");
            m.Property(x => x.UserId).HasMaxLength(450);
            m.Property(x => x.ApprovedById).HasMaxLength(450);
            m.Property(x => x.ReturnedById).HasMaxLength(450);
            m.Property(x => x.LockedById).HasMaxLength(450);
            m.Property(x => x.Comment).HasMaxLength(500);
            m.HasIndex(x => new { x.UserId, x.Month }).IsUnique();
            m.HasIndex(x => x.Month);
            m.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
