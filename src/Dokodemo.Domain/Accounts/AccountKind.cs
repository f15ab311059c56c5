namespace Dokodemo.Domain.Accounts;

/// <summary>The four kinds of account a town has. Their rules differ (working time, reach, expiry).</summary>
public enum AccountKind
{
    /// <summary>職員 — regular staff.</summary>
    Staff = 0,

    /// <summary>会計年度任用職員 — part-time staff appointed per fiscal year.</summary>
    PartTimeStaff = 1,

    /// <summary>複業人材 — outside side-job professional working on town projects.</summary>
    SideJobWorker = 2,

    /// <summary>外部パートナー — member of a partner organisation.</summary>
    Partner = 3,
}

public static class AccountKinds
{
    public static readonly IReadOnlyList<AccountKind> All =
        [AccountKind.Staff, AccountKind.PartTimeStaff, AccountKind.SideJobWorker, AccountKind.Partner];

    public static string JapaneseName(AccountKind kind) => kind switch
    {
        AccountKind.Staff => "職員",
        AccountKind.PartTimeStaff => "会計年度任用職員",
        AccountKind.SideJobWorker => "複業人材",
        AccountKind.Partner => "外部パートナー",
    };

    public static string EnglishName(AccountKind kind) => kind switch
    {
        AccountKind.Staff => "Staff",
        AccountKind.PartTimeStaff => "Part-time staff",
        AccountKind.SideJobWorker => "Side-job worker",
        AccountKind.Partner => "Partner",
    };

    /// <summary>Outsiders reach only what they were invited to; the Access policy builds on this.</summary>
    public static bool IsOutsider(AccountKind kind) => kind is AccountKind.SideJobWorker or AccountKind.Partner;

    /// <summary>
    /// Parses the names people type in a staff list: the Japanese name, the English enum name, or common short forms.
    /// </summary>
    public static bool TryParse(string? text, out AccountKind kind)
    {
        var t = (text ?? "").Trim();
        switch (t.ToUpperInvariant())
        {
            case "職員" or "正職員" or "STAFF":
                kind = AccountKind.Staff; return true;
            case "会計年度任用職員" or "会計年度" or "PARTTIMESTAFF" or "PART-TIME" or "PARTTIME":
                kind = AccountKind.PartTimeStaff; return true;
            case "複業人材" or "副業人材" or "複業" or "SIDEJOBWORKER" or "SIDE-JOB" or "SIDEJOB":
                kind = AccountKind.SideJobWorker; return true;
            case "外部パートナー" or "パートナー" or "PARTNER":
                kind = AccountKind.Partner; return true;
            default:
                kind = AccountKind.Staff; return false;
        }
    }
}
