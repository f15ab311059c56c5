using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Arrangements;

/// <summary>What a person asks to have their hours assigned by.</summary>
public enum ArrangementKind
{
    /// <summary>フレックスタイム (D-4): a plan for a 単位期間, 申告 by the person and 割振り by the approver.</summary>
    Flex = 1,

    /// <summary>早出遅出勤務 (D-5): one of the town's fixed patterns for a range of days.</summary>
    Pattern = 2,
}

public enum ArrangementStatus
{
    Requested = 0,

    /// <summary>割振り: the approver assigned it; its days replace the regular schedule.</summary>
    Assigned = 1,

    Returned = 2,
    Withdrawn = 3,

    /// <summary>An assigned arrangement taken back before its days (the days fall back to the regular schedule).</summary>
    Cancelled = 4,
}

/// <summary>A flex 申告 or an 早出遅出 請求 for a range of days, and the decision on it.</summary>
public sealed class WorkArrangement
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public ArrangementKind Kind { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }

    /// <summary>The pattern's name (早出遅出).</summary>
    public string? PatternName { get; set; }

    /// <summary>The plan's core time in minutes after midnight, Japan time (flex).</summary>
    public int? CoreStartMinute { get; set; }

    public int? CoreEndMinute { get; set; }

    /// <summary>The flex plan's days as submitted (JSON of <see cref="FlexDayInput"/>).</summary>
    public string? PlanJson { get; set; }

    /// <summary>Why (育児, 介護, 公務, 疲労の防止 …).</summary>
    public string Reason { get; set; } = "";

    public ArrangementStatus Status { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public required string RequestedById { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedById { get; set; }
    public string? Comment { get; set; }
}

/// <summary>
/// One day's assigned hours from an assigned arrangement (Japan time, minutes after midnight). One per person and date:
/// the database refuses a second, so two arrangements can never both assign a day.
/// </summary>
public sealed class WorkDayAssignment
{
    public long Id { get; set; }
    public Guid ArrangementId { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
    public int StartMinute { get; set; }
    public int EndMinute { get; set; }
    public int? BreakStartMinute { get; set; }
    public int? BreakEndMinute { get; set; }

    /// <summary>The flex plan's 特例対象日 (may be under 4h; core time waived).</summary>
    public bool SpecialDay { get; set; }
}

public static class ArrangementsModel
{
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<WorkArrangement>(a =>
        {
            a.ToTable("WorkArrangements");
            a.Property(x => x.UserId).HasMaxLength(450);
            a.Property(x => x.PatternName).HasMaxLength(50);
            a.Property(x => x.PlanJson).HasMaxLength(20_000);
            a.Property(x => x.Reason).HasMaxLength(500);
            a.Property(x => x.RequestedById).HasMaxLength(450);
            a.Property(x => x.DecidedById).HasMaxLength(450);
            a.Property(x => x.Comment).HasMaxLength(500);
            a.HasIndex(x => new { x.UserId, x.From });
            a.HasIndex(x => x.Status);
        });
        builder.Entity<WorkDayAssignment>(d =>
        {
            d.ToTable("WorkDayAssignments");
            d.Property(x => x.UserId).HasMaxLength(450);
            d.HasIndex(x => new { x.UserId, x.Date }).IsUnique();
            d.HasIndex(x => x.ArrangementId);
            d.HasIndex(x => x.Date);
        });
    }
}
