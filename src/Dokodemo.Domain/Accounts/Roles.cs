namespace Dokodemo.Domain.Accounts;

/// <summary>Role names as stored. A person may hold several.</summary>
public static class Roles
{
    public const string Staff = "staff";
    public const string Manager = "manager";
    public const string Dx = "dx";
    public const string SecurityAdmin = "security-admin";
    public const string Hr = "hr";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Staff, Manager, Dx, SecurityAdmin, Hr, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static string JapaneseName(string role) => role switch
    {
        Staff => "職員",
        Manager => "管理職",
        Dx => "DX推進担当",
        SecurityAdmin => "情報セキュリティ管理者",
        Hr => "人事担当",
        Admin => "システム管理者",
        _ => role,
    };

    public static string EnglishName(string role) => role switch
    {
        Staff => "Staff",
        Manager => "Manager",
        Dx => "DX team",
        SecurityAdmin => "Security admin",
        Hr => "HR",
        Admin => "Administrator",
        _ => role,
    };
}
