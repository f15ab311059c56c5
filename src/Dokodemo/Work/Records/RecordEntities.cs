using Dokodemo.Access;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Records;

/// <summary>Where an objective record of working time came from (C-2).</summary>
public enum RecordSource
{
    /// <summary>Signed-in requests to this app, per device (first and last of the day).</summary>
    App = 0,

    /// <summary>PC log-on/log-off, imported from the town's PCs.</summary>
    Pc = 1,

    /// <summary>The building entry system, imported.</summary>
    Entry = 2,
}

/// <summary>
/// One span of objective activity of a person on a Japan date (C-2 労働時間の状況の把握): UTC instants, the Japan date of
/// the start. The app's own row per person, day and device is extended as requests arrive; imported rows are kept as
/// read. Kept at least three years (C-2, 労基法109条).
/// </summary>
public sealed class WorkRecordLog
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
    public RecordSource Source { get; set; }

    /// <summary>The registered device of the session (app rows), when known.</summary>
    public Guid? DeviceId { get; set; }

    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who imported the row (HR); null for the app's own rows.</summary>
    public string? CreatedById { get; set; }
}

/// <summary>A supervisor's or HR's confirmation note (現認・確認記録) for a person's day: the reason for the gap.</summary>
public sealed class WorkRecordNote
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public DateOnly Date { get; set; }
    public required string Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedById { get; set; }
}

public static class RecordsModel
{
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<WorkRecordLog>(l =>
        {
            l.ToTable("WorkRecordLogs");
            l.Property(x => x.UserId).HasMaxLength(450);
            l.Property(x => x.CreatedById).HasMaxLength(450);
            l.HasIndex(x => new { x.UserId, x.Date });
            l.HasIndex(x => x.Date);
            l.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<WorkRecordNote>(n =>
        {
            n.ToTable("WorkRecordNotes");
            n.Property(x => x.UserId).HasMaxLength(450);
            n.Property(x => x.Note).HasMaxLength(1000);
            n.Property(x => x.CreatedById).HasMaxLength(450);
            n.HasIndex(x => new { x.UserId, x.Date });
            n.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
