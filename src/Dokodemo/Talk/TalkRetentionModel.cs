using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>
/// A channel's records settings (migration 0023): its retention class (保存期間) when it is not the town's default for its
/// kind, and the legal hold (訴訟ホールド・情報公開請求中) that stops every disposal. No row = the town default, no hold.
/// </summary>
public sealed class TalkChannelRetention
{
    public int ChannelId { get; set; }

    /// <summary>A <see cref="RetentionClasses"/> code ("1y" … "30y", "permanent"); null = the town default for the channel's kind.</summary>
    public string? Class { get; set; }

    /// <summary>On hold: the retention sweep disposes nothing in the channel, whatever its class.</summary>
    public bool LegalHold { get; set; }

    public string? HoldReason { get; set; }
    public DateTimeOffset? HoldSince { get; set; }
    public string? HoldById { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedById { get; set; }
}

/// <summary>A retention class of the town's 文書管理規程: 1, 3, 5, 10 or 30 years, or 常用・永年 (never disposed).</summary>
public sealed record RetentionClass(string Code, int? Years, string Ja, string En);

public static class RetentionClasses
{
    public static readonly RetentionClass Year1 = new("1y", 1, "1年", "1 year");
    public static readonly RetentionClass Year3 = new("3y", 3, "3年", "3 years");
    public static readonly RetentionClass Year5 = new("5y", 5, "5年", "5 years");
    public static readonly RetentionClass Year10 = new("10y", 10, "10年", "10 years");
    public static readonly RetentionClass Year30 = new("30y", 30, "30年", "30 years");
    public static readonly RetentionClass Permanent = new("permanent", null, "常用・永年", "Permanent");

    public static IReadOnlyList<RetentionClass> All { get; } = [Year1, Year3, Year5, Year10, Year30, Permanent];

    public static RetentionClass? Find(string? code) => All.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.Ordinal));

    /// <summary>Longer periods rank higher; 常用・永年 is the longest.</summary>
    public static int Rank(RetentionClass c) => c.Years ?? int.MaxValue;

    /// <summary>The town's default class of each kind when configuration does not say (Dokodemo:Talk:RetentionDefaults:{Kind}).</summary>
    public static RetentionClass BuiltInDefault(ChannelKind kind) => kind switch
    {
        ChannelKind.Department => Year5,
        ChannelKind.Project => Year5,
        ChannelKind.Topic => Year3,
        _ => Year1,
    };
}

/// <summary>The EF configuration of the records settings (migration 0023).</summary>
public static class TalkRetentionModel
{
    public static void Configure(ModelBuilder builder) =>
        builder.Entity<TalkChannelRetention>(r =>
        {
            r.ToTable("TalkChannelRetention");
            r.HasKey(x => x.ChannelId);
            r.Property(x => x.ChannelId).ValueGeneratedNever();
            r.Property(x => x.Class).HasMaxLength(16);
            r.Property(x => x.HoldReason).HasMaxLength(TalkRetention.MaxHoldReason);
            r.Property(x => x.HoldById).HasMaxLength(450);
            r.Property(x => x.UpdatedById).HasMaxLength(450);
            r.HasOne<TalkChannel>().WithOne().HasForeignKey<TalkChannelRetention>(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
        });
}
