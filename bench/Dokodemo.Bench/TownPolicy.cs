using Dokodemo.Demo;
using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;

namespace Dokodemo.Bench;

/// <summary>One request the P2 benchmark decides, with the verdict and reason it must get.</summary>
public sealed record DecisionCase(string Name, string What, Subject Subject, DeviceState Device, AccessContext Context, ResourceRef Resource, AccessAction Action,
    Verdict Verdict, DenyReason Reason);

/// <summary>
/// A town policy of well over 100 rules for P2: the default policy plus rules the later capabilities will bring
/// (seats per site, talk channels and documents per department, working time, personnel, resident records, insights),
/// over resource types that do not exist in the app yet and are therefore passed to the decision point here.
/// Deterministic: the same rules in the same order on every run.
/// </summary>
public static class TownPolicy
{
    private static readonly AccountKind[] Insiders = [AccountKind.Staff, AccountKind.PartTimeStaff];
    private static readonly AccountKind[] Outsiders = [AccountKind.SideJobWorker, AccountKind.Partner];
    private static readonly AccessAction[] Work = [AccessAction.Read, AccessAction.Create, AccessAction.Update, AccessAction.Delete, AccessAction.Export];
    private static readonly AccessAction[] Write = [AccessAction.Create, AccessAction.Update, AccessAction.Delete];
    private static readonly string[] Sites = ["honcho", "yamanami", "ekimae", "minato"];

    /// <summary>Department codes of the demo town, lower case (somu, kikaku, …).</summary>
    public static IReadOnlyList<string> Departments { get; } = [.. DemoTown.Departments.Select(d => d.Code.ToLowerInvariant())];

    /// <summary>The generated resource types (seats.desk.honcho, talk.channel.somu, work.leave, hr.pay …).</summary>
    public static IReadOnlyList<string> ExtraTypes { get; } =
    [
        .. Sites.SelectMany(s => new[] { $"seats.desk.{s}", $"seats.room.{s}" }),
        "seats.booking",
        .. Departments.Select(d => $"talk.channel.{d}"),
        "talk.dm", "talk.announce", "talk.file",
        .. Departments.Select(d => $"docs.{d}"),
        "work.attendance", "work.leave", "work.overtime", "work.timesheet", "work.shift", "work.close",
        "hr.evaluation", "hr.pay", "hr.health",
        "resident.register", "resident.tax", "resident.welfare",
        "insights.town", "insights.department",
    ];

    /// <summary>Every type the decision point is compiled for: the app's own and the generated ones.</summary>
    public static IReadOnlyCollection<string> AllTypes { get; } = [.. ResourceTypes.Ids, .. ExtraTypes];

    public static PolicyDocument Create()
    {
        var rules = new List<PolicyRule>(DefaultPolicy.Create().Rules);
        var workday = new[] { DayType.Workday };
        var offDays = new[] { DayType.WeeklyRestDay, DayType.Holiday };
        var townOrManaged = new[] { new PolicyCondition { Zones = [NetworkZone.Town] }, new PolicyCondition { MinDevice = DeviceTrust.Managed } };

        // Rules over every type: scanned by every decision, so they are what a larger policy costs the common path.
        rules.Add(new PolicyRule
        {
            Id = "deny-partner-abroad-personal", Effect = RuleEffect.Deny, Kinds = [AccountKind.Partner], Resources = ["*"], Flags = [ResourceFlags.PersonalInfo],
            When = [new PolicyCondition { Location = LocationCondition.Abroad }], Note = "外部パートナーは、海外から個人情報を扱えない。",
        });
        rules.Add(new PolicyRule
        {
            Id = "require-outsider-hours", Effect = RuleEffect.Require, Kinds = Outsiders, Resources = ["*"],
            When = [new PolicyCondition { Days = workday, From = new TimeOnly(7, 0), To = new TimeOnly(22, 0) }], Note = "外部の人は、開庁日の7時から22時まで。",
        });
        rules.Add(new PolicyRule
        {
            Id = "require-session-day", Effect = RuleEffect.Require, Resources = ["*"],
            When = [new PolicyCondition { MaxAuthAgeHours = 24 }], Note = "サインインから24時間を過ぎたら、もう一度サインインする。",
        });
        rules.Add(new PolicyRule
        {
            Id = "require-export-mfa", Effect = RuleEffect.Require, Resources = ["*"], Actions = [AccessAction.Export],
            When = [new PolicyCondition { MinStrength = AuthStrength.Mfa }], Note = "書き出しは多要素認証のセッションだけ。",
        });
        rules.Add(new PolicyRule
        {
            Id = "require-admin-recent", Effect = RuleEffect.Require, Resources = ["admin.*"], Actions = [AccessAction.Administer],
            When = [new PolicyCondition { MinStrength = AuthStrength.Mfa, MaxAuthAgeHours = 8 }], Note = "管理操作は、8時間以内の多要素認証で。",
        });

        // Seats (Seats capability): desks and rooms per site.
        foreach (var site in Sites)
        {
            rules.Add(new PolicyRule { Id = $"allow-desk-{site}", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [$"seats.desk.{site}"], Actions = [AccessAction.Read, .. Write] });
            rules.Add(new PolicyRule { Id = $"allow-room-{site}-members", Effect = RuleEffect.Allow, Resources = [$"seats.room.{site}"], Actions = [AccessAction.Read, AccessAction.Create], Relations = [Relation.Member, Relation.SameDepartment] });
            rules.Add(new PolicyRule
            {
                Id = $"require-desk-{site}-hours", Effect = RuleEffect.Require, Resources = [$"seats.desk.{site}"], Actions = Write,
                When = [new PolicyCondition { Days = workday, From = new TimeOnly(6, 30), To = new TimeOnly(21, 0) }],
            });
            rules.Add(new PolicyRule { Id = $"deny-room-{site}-offdays", Effect = RuleEffect.Deny, Kinds = Outsiders, Resources = [$"seats.room.{site}"], When = [new PolicyCondition { Days = offDays }] });
        }

        rules.Add(new PolicyRule { Id = "allow-booking-self", Effect = RuleEffect.Allow, Resources = ["seats.booking"], Relations = [Relation.Self] });
        rules.Add(new PolicyRule { Id = "allow-booking-manager", Effect = RuleEffect.Allow, Roles = [Roles.Manager], Resources = ["seats.booking"], Actions = [AccessAction.Read], Relations = [Relation.SameDepartment] });

        // Talk channels and document folders per department.
        foreach (var d in Departments)
        {
            rules.Add(new PolicyRule { Id = $"allow-talk-{d}-dept", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [$"talk.channel.{d}"], Actions = Work, Relations = [Relation.SameDepartment], MaxLevel = Confidentiality.Level2 });
            rules.Add(new PolicyRule { Id = $"allow-talk-{d}-members", Effect = RuleEffect.Allow, Resources = [$"talk.channel.{d}"], Actions = Work, Relations = [Relation.Member] });
            rules.Add(new PolicyRule { Id = $"require-talk-{d}-export", Effect = RuleEffect.Require, Resources = [$"talk.channel.{d}"], Actions = [AccessAction.Export], When = [new PolicyCondition { MinDevice = DeviceTrust.Registered }] });
            rules.Add(new PolicyRule { Id = $"allow-docs-{d}-dept", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [$"docs.{d}"], Actions = [AccessAction.Read, .. Write], Relations = [Relation.SameDepartment] });
            rules.Add(new PolicyRule { Id = $"allow-docs-{d}-manager", Effect = RuleEffect.Allow, Roles = [Roles.Manager], Resources = [$"docs.{d}"], Actions = Work, Relations = [Relation.SameDepartment] });
            rules.Add(new PolicyRule { Id = $"deny-docs-{d}-outsiders-l3", Effect = RuleEffect.Deny, Kinds = Outsiders, Resources = [$"docs.{d}"], MinLevel = Confidentiality.Level3 });
            rules.Add(new PolicyRule { Id = $"require-docs-{d}-personal-place", Effect = RuleEffect.Require, Resources = [$"docs.{d}"], Flags = [ResourceFlags.PersonalInfo], When = townOrManaged, Remedy = Remedy.UseTownNetworkOrManagedDevice });
        }

        rules.Add(new PolicyRule { Id = "allow-talk-dm", Effect = RuleEffect.Allow, Resources = ["talk.dm"], Actions = Work, Relations = [Relation.Member] });
        rules.Add(new PolicyRule { Id = "allow-talk-announce-read", Effect = RuleEffect.Allow, Resources = ["talk.announce"], Actions = [AccessAction.Read] });
        rules.Add(new PolicyRule { Id = "allow-talk-announce-write", Effect = RuleEffect.Allow, Roles = [Roles.Manager, Roles.Admin], Resources = ["talk.announce"], Actions = Write });
        rules.Add(new PolicyRule { Id = "allow-talk-file-members", Effect = RuleEffect.Allow, Resources = ["talk.file"], Actions = Work, Relations = [Relation.Member, Relation.SameDepartment] });

        // Working time (Work capability).
        rules.Add(new PolicyRule { Id = "allow-work-self", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = ["work.*"], Actions = [AccessAction.Read, .. Write], Relations = [Relation.Self] });
        rules.Add(new PolicyRule { Id = "allow-work-manager", Effect = RuleEffect.Allow, Roles = [Roles.Manager], Resources = ["work.*"], Actions = [AccessAction.Read, AccessAction.Update], Relations = [Relation.SameDepartment] });
        rules.Add(new PolicyRule { Id = "allow-work-hr", Effect = RuleEffect.Allow, Roles = [Roles.Hr], Resources = ["work.*"], Actions = [AccessAction.Read, AccessAction.Export, AccessAction.Administer] });
        rules.Add(new PolicyRule { Id = "require-overtime-hours", Effect = RuleEffect.Require, Resources = ["work.overtime"], Actions = [AccessAction.Create], When = [new PolicyCondition { From = new TimeOnly(6, 0), To = new TimeOnly(23, 0) }] });
        rules.Add(new PolicyRule { Id = "deny-close-outsiders", Effect = RuleEffect.Deny, Kinds = Outsiders, Resources = ["work.close"] });
        rules.Add(new PolicyRule { Id = "require-work-export-place", Effect = RuleEffect.Require, Resources = ["work.*"], Actions = [AccessAction.Export], When = townOrManaged });
        rules.Add(new PolicyRule { Id = "allow-shift-part-time", Effect = RuleEffect.Allow, Kinds = [AccountKind.PartTimeStaff], Resources = ["work.shift"], Actions = [AccessAction.Read] });

        // Personnel (人事情報), resident records (住民情報) and insights.
        rules.Add(new PolicyRule { Id = "allow-hr", Effect = RuleEffect.Allow, Roles = [Roles.Hr], Kinds = Insiders, Resources = ["hr.*"], Actions = Work });
        rules.Add(new PolicyRule { Id = "allow-hr-self", Effect = RuleEffect.Allow, Resources = ["hr.*"], Actions = [AccessAction.Read], Relations = [Relation.Self] });
        rules.Add(new PolicyRule { Id = "deny-hr-outsiders", Effect = RuleEffect.Deny, Kinds = Outsiders, Resources = ["hr.*"] });
        rules.Add(new PolicyRule { Id = "require-hr-place", Effect = RuleEffect.Require, Resources = ["hr.*"], Flags = [ResourceFlags.Personnel], When = townOrManaged, Remedy = Remedy.UseTownNetworkOrManagedDevice });
        rules.Add(new PolicyRule { Id = "require-pay-export-managed", Effect = RuleEffect.Require, Resources = ["hr.pay"], Actions = [AccessAction.Export], When = [new PolicyCondition { MinDevice = DeviceTrust.Managed }] });
        rules.Add(new PolicyRule { Id = "allow-resident-read", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = ["resident.*"], Actions = [AccessAction.Read] });
        rules.Add(new PolicyRule { Id = "allow-resident-dept", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = ["resident.*"], Actions = Work, Relations = [Relation.SameDepartment] });
        rules.Add(new PolicyRule { Id = "deny-resident-outsiders", Effect = RuleEffect.Deny, Kinds = Outsiders, Resources = ["resident.*"] });
        rules.Add(new PolicyRule { Id = "deny-resident-abroad", Effect = RuleEffect.Deny, Resources = ["resident.*"], When = [new PolicyCondition { Location = LocationCondition.Abroad }] });
        rules.Add(new PolicyRule { Id = "require-resident-export-managed", Effect = RuleEffect.Require, Resources = ["resident.*"], Actions = [AccessAction.Export], When = [new PolicyCondition { MinDevice = DeviceTrust.Managed, Zones = [NetworkZone.Town] }] });
        rules.Add(new PolicyRule { Id = "allow-insights-dx", Effect = RuleEffect.Allow, Roles = [Roles.Dx], Resources = ["insights.*"], Actions = [AccessAction.Read, AccessAction.Export] });
        rules.Add(new PolicyRule { Id = "allow-insights-manager", Effect = RuleEffect.Allow, Roles = [Roles.Manager], Resources = ["insights.department"], Actions = [AccessAction.Read], Relations = [Relation.SameDepartment] });
        rules.Add(new PolicyRule { Id = "allow-insights-town", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = ["insights.town"], Actions = [AccessAction.Read] });

        var policy = new PolicyDocument { Version = 7, HomeCountry = "JP", Rules = rules };
        var errors = PolicyDocument.Validate(policy, AllTypes);
        return errors.Count == 0
            ? policy
            : throw new InvalidOperationException("the generated policy does not validate: " + string.Join(", ", errors.Select(e => $"{e.Code} {e.Where} {e.Value}")));
    }

    /// <summary>
    /// The five P2 cases: a Tuesday 10:00 in the town (a workday), the staff member on the town network with a
    /// registered device, signed in with password + authenticator one hour ago, unless the case says otherwise.
    /// </summary>
    public static IReadOnlyList<DecisionCase> Cases()
    {
        var now = new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);
        var today = new DateOnly(2026, 11, 24);
        var atTownHall = new AccessContext(now, today, new TimeOnly(10, 0), DayType.Workday, NetworkZone.Town, "JP", AuthStrength.Mfa, now.AddHours(-1));
        var registered = new DeviceState(DeviceTrust.Registered);
        var directory = new ResourceRef(ResourceTypes.Directory, Confidentiality.Level2, ResourceFlags.PersonalInfo);

        var staff = new Subject("u-staff", AccountKind.Staff, RoleSet.Staff, null);
        var partner = new Subject("u-partner", AccountKind.Partner, RoleSet.None, new DateOnly(2027, 3, 31));
        var ended = new Subject("u-ended", AccountKind.SideJobWorker, RoleSet.None, today.AddDays(-1));
        var hr = new Subject("u-hr", AccountKind.Staff, RoleSet.Staff | RoleSet.Hr, null);
        // Three approved periods; the one that covers today is the last, so the whole list is walked.
        var traveller = new Subject("u-abroad", AccountKind.Staff, RoleSet.Staff, null,
        [
            new CountryWindow("US", new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 10)),
            new CountryWindow("TW", new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 5)),
            new CountryWindow("TW", today.AddDays(-2), today.AddDays(5)),
        ]);

        return
        [
            new("allow", "staff member reads the directory (Level2, personal info) from the town network", staff, registered, atTownHall, directory, AccessAction.Read, Verdict.Allow, DenyReason.None),
            new("deny-no-rule", "partner reads the directory with no relation to the department: no allow rule targets it", partner, registered, atTownHall, directory, AccessAction.Read, Verdict.Deny, DenyReason.NoRule),
            new("explicit-deny", "side-job worker, contract ended yesterday, reads a project they are a member of (deny-contract-ended)", ended, registered, atTownHall,
                new ResourceRef(ResourceTypes.Project, Confidentiality.Level2, ResourceFlags.None, Relation.Member), AccessAction.Read, Verdict.Deny, DenyReason.ExplicitDeny),
            new("require-step-up", "HR staff reads a Level3 evaluation with password + authenticator: needs a passkey (require-level3-trusted)", hr, registered, atTownHall,
                new ResourceRef("hr.evaluation", Confidentiality.Level3, ResourceFlags.Personnel), AccessAction.Read, Verdict.StepUp, DenyReason.AuthStrength),
            new("abroad-window", "staff member reads the directory from Taiwan (internet) within an approved period (3rd of 3 windows)", traveller, registered,
                atTownHall with { Zone = NetworkZone.Internet, Country = "TW" }, directory, AccessAction.Read, Verdict.Allow, DenyReason.None),
        ];
    }
}
