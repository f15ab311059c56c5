using Dokodemo.Domain.Work;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Rules;

/// <summary>
/// 他律部署 / 自律部署 designation with its dates (大仙市規程第2条1項): for a department, or for one person (a transfer, a
/// finer unit such as a 班). A person's own designation wins over their department's on the days it covers.
/// </summary>
public sealed class WorkDesignation
{
    public int Id { get; set; }
    public int? DepartmentId { get; set; }
    public string? UserId { get; set; }
    public DepartmentPace Pace { get; set; }
    public DateOnly From { get; set; }
    public DateOnly? To { get; set; }
    public string Note { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
}

/// <summary>A 36協定 for a workplace (a department in 別表第一 事業 such as 水道 or 保育所): section B applies instead of A.</summary>
public sealed class WorkAgreement
{
    public int Id { get; set; }
    public int DepartmentId { get; set; }
    public required string Name { get; set; }
    public DateOnly From { get; set; }
    public DateOnly? To { get; set; }

    /// <summary>起算月 of the 協定's year (1–12).</summary>
    public int StartMonth { get; set; } = 4;

    /// <summary>特別条項 (B-4).</summary>
    public bool SpecialClause { get; set; }

    /// <summary>1年単位の変形労働時間制 (42h/320h, 企業職員 only).</summary>
    public bool YearlyVariable { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
}

/// <summary>
/// 特例業務 for a person and month, and the required 要因の整理・分析・検証. The tag and the analysis keep who and
/// when; a tag added after the fact stays visible as such (A-8 Ex3) through its dates and the audit log.
/// </summary>
public sealed class SpecialDutyRecord
{
    public int Id { get; set; }
    public required string UserId { get; set; }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; set; }

    public required string Duty { get; set; }
    public string? Analysis { get; set; }
    public string? AnalysisById { get; set; }
    public DateTimeOffset? AnalysisAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
}

/// <summary>The town's parameters of the rules (section J), one JSON document, versioned.</summary>
public sealed class WorkRuleSettingsVersion
{
    public int Version { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
}

public static class RulesModel
{
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<WorkDesignation>(d =>
        {
            d.Property(x => x.UserId).HasMaxLength(450);
            d.Property(x => x.Note).HasMaxLength(200);
            d.Property(x => x.CreatedById).HasMaxLength(450);
            d.HasIndex(x => x.DepartmentId);
            d.HasIndex(x => x.UserId);
        });
        builder.Entity<WorkAgreement>(a =>
        {
            a.Property(x => x.Name).HasMaxLength(100);
            a.Property(x => x.CreatedById).HasMaxLength(450);
            a.HasIndex(x => x.DepartmentId);
        });
        builder.Entity<SpecialDutyRecord>(s =>
        {
            s.Property(x => x.UserId).HasMaxLength(450);
            s.Property(x => x.Duty).HasMaxLength(200);
            s.Property(x => x.Analysis).HasMaxLength(4000);
            s.Property(x => x.AnalysisById).HasMaxLength(450);
            s.Property(x => x.CreatedById).HasMaxLength(450);
            s.HasIndex(x => new { x.UserId, x.Month }).IsUnique();
        });
        builder.Entity<WorkRuleSettingsVersion>(v =>
        {
            v.HasKey(x => x.Version);
            v.Property(x => x.Version).ValueGeneratedNever();
            v.Property(x => x.CreatedById).HasMaxLength(450);
        });
    }
}
