namespace Dokodemo.Organization;

/// <summary>課 — a department of the town office.</summary>
public sealed class Department
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    public int SortOrder { get; set; }
    public List<Section> Sections { get; set; } = [];
}

/// <summary>係 — a section within a department.</summary>
public sealed class Section
{
    public int Id { get; set; }
    public int DepartmentId { get; set; }
    public Department? Department { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    public int SortOrder { get; set; }
}

public enum SiteKind
{
    /// <summary>本庁舎.</summary>
    MainOffice = 0,

    /// <summary>支所.</summary>
    Branch = 1,

    /// <summary>サテライトオフィス.</summary>
    Satellite = 2,

    /// <summary>A partner's coworking space.</summary>
    Partner = 3,
}

/// <summary>A place where the town's people work.</summary>
public sealed class Site
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    public SiteKind Kind { get; set; }
    public string Address { get; set; } = "";
    public int SortOrder { get; set; }
}
