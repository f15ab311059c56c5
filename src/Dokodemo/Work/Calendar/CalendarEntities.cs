namespace Dokodemo.Work.Calendar;

/// <summary>
/// An imported copy of the Cabinet Office's holiday list (内閣府 syukujitsu.csv), kept as the text it was read from.
/// The newest import is the source of truth for the years it covers; other years use the rules of 祝日法.
/// </summary>
public sealed class HolidayList
{
    public int Id { get; set; }

    /// <summary>The decoded CSV (UTF-16 in memory; stored as text).</summary>
    public required string Text { get; set; }

    public int FirstYear { get; set; }
    public int LastYear { get; set; }
    public int Rows { get; set; }
    public required string FileName { get; set; }

    /// <summary>"cp932" or "utf-8".</summary>
    public required string Encoding { get; set; }

    public DateTimeOffset ImportedAt { get; set; }
    public string? ImportedById { get; set; }
}

/// <summary>A closing day of the town's own 休日条例 (地方自治法4条の2第3項), besides weekends, 祝日 and 12/29–1/3.</summary>
public sealed class TownClosingDay
{
    public DateOnly Date { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
}

/// <summary>
/// A person's private calendar feed (iCalendar). The URL carries a random token; only its hash is stored. Making a
/// new URL revokes the old one.
/// </summary>
public sealed class CalendarFeed
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>The calendar's part of the EF model.</summary>
public static class CalendarModel
{
    public static void Configure(Microsoft.EntityFrameworkCore.ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<HolidayList>(h =>
        {
            h.Property(x => x.FileName).HasMaxLength(200);
            h.Property(x => x.Encoding).HasMaxLength(16);
            h.Property(x => x.ImportedById).HasMaxLength(450);
        });
        builder.Entity<TownClosingDay>(d =>
        {
            d.HasKey(x => x.Date);
            d.Property(x => x.Name).HasMaxLength(100);
            d.Property(x => x.CreatedById).HasMaxLength(450);
        });
        builder.Entity<CalendarFeed>(f =>
        {
            f.Property(x => x.UserId).HasMaxLength(450);
            f.Property(x => x.TokenHash).HasMaxLength(64);
            f.HasIndex(x => x.TokenHash).IsUnique();
            f.HasIndex(x => x.UserId);
            f.HasOne<Access.AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(Microsoft.EntityFrameworkCore.DeleteBehavior.Cascade);
        });
    }
}
