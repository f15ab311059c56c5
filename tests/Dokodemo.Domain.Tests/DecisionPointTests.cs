using Dokodemo.Domain.Access;
using Dokodemo.Domain.Accounts;

namespace Dokodemo.Domain.Tests;

/// <summary>The default policy, table by table: flip one attribute and the decision flips.</summary>
public class DecisionPointTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero); // 10:00 JST, a Tuesday
    private static readonly DecisionPoint Pdp = new(DefaultPolicy.Create(), ResourceTypes.Ids);

    private static Subject Staff(params string[] roles) => new("u1", AccountKind.Staff, RoleSets.Of(roles.Length == 0 ? [Roles.Staff] : roles), null);

    private static AccessContext Ctx(NetworkZone zone = NetworkZone.Internet, string country = "JP", AuthStrength strength = AuthStrength.Mfa,
        double authHoursAgo = 1, DayType day = DayType.Workday) =>
        new(Now, new DateOnly(2026, 11, 24), new TimeOnly(10, 0), day, zone, country, strength, Now.AddHours(-authHoursAgo));

    private static ResourceRef Res(string type, Confidentiality level = Confidentiality.Level2, ResourceFlags flags = ResourceFlags.None, Relation rel = Relation.None) =>
        new(type, level, flags, rel);

    private static readonly DeviceState Unknown = new(DeviceTrust.Unknown);
    private static readonly DeviceState Registered = new(DeviceTrust.Registered);
    private static readonly DeviceState Managed = new(DeviceTrust.Managed);

    [Fact]
    public void DefaultPolicy_IsValid_AndReadableInJapanese()
    {
        var policy = DefaultPolicy.Create();
        Assert.Empty(PolicyDocument.Validate(policy, ResourceTypes.Ids));
        foreach (var rule in policy.Rules)
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Note));
            var ja = PolicyText.Describe(rule, japanese: true);
            Assert.DoesNotContain("Allow", ja, StringComparison.Ordinal);
            Assert.Matches("[ぁ-んァ-ン一-龥]", ja);
            Assert.False(string.IsNullOrWhiteSpace(PolicyText.Describe(rule, japanese: false)));
        }

        Assert.Contains("機密性3", PolicyText.Describe(policy.Rules.Single(r => r.Id == "require-level3-trusted"), true), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RoundTrips_AndRefusesUnknownNames()
    {
        var json = DefaultPolicy.Create().ToJson();
        var (parsed, errors) = PolicyDocument.Parse(json, ResourceTypes.Ids);
        Assert.Empty(errors);
        Assert.Equal(json, parsed!.ToJson());
        Assert.Contains("\"effect\": \"require\"", json, StringComparison.Ordinal);

        var (_, unknownRole) = PolicyDocument.Parse(json.Replace("\"security-admin\"", "\"wizard\"", StringComparison.Ordinal), ResourceTypes.Ids);
        Assert.Contains(unknownRole, e => e.Code == "policy.role_unknown" && e.Value == "wizard");
        var (_, unknownType) = PolicyDocument.Parse(json.Replace("\"directory\"", "\"diary\"", StringComparison.Ordinal), ResourceTypes.Ids);
        Assert.Contains(unknownType, e => e.Code == "policy.resource_unknown");
        var (_, badJson) = PolicyDocument.Parse("{ \"rules\": [ { \"id\": 3 ", ResourceTypes.Ids);
        Assert.Equal("policy.json_invalid", Assert.Single(badJson).Code);
        var (_, extra) = PolicyDocument.Parse("{ \"rules\": [], \"allowEverything\": true }", ResourceTypes.Ids);
        Assert.Equal("policy.json_invalid", Assert.Single(extra).Code);
        var dup = DefaultPolicy.Create() with { Rules = [.. DefaultPolicy.Create().Rules, DefaultPolicy.Create().Rules[0]] };
        Assert.Contains(PolicyDocument.Validate(dup, ResourceTypes.Ids), e => e.Code == "policy.rule_id_duplicate");
    }

    public static TheoryData<string, AccountKind, string, Confidentiality, Relation, AccessAction, Verdict, DenyReason> Matrix => new()
    {
        // who, kind, resource, level, relation, action → verdict, reason   (internet, registered device, MFA 1 h ago, in Japan)
        { "staff reads the directory", AccountKind.Staff, ResourceTypes.Directory, Confidentiality.Level2, Relation.None, AccessAction.Read, Verdict.Allow, DenyReason.None },
        { "part-time staff reads the directory", AccountKind.PartTimeStaff, ResourceTypes.Directory, Confidentiality.Level2, Relation.None, AccessAction.Read, Verdict.Allow, DenyReason.None },
        { "staff cannot change the directory", AccountKind.Staff, ResourceTypes.Directory, Confidentiality.Level2, Relation.None, AccessAction.Update, Verdict.Deny, DenyReason.NoRule },
        { "a partner cannot read the directory", AccountKind.Partner, ResourceTypes.Directory, Confidentiality.Level2, Relation.None, AccessAction.Read, Verdict.Deny, DenyReason.NoRule },
        { "a partner sees their own department", AccountKind.Partner, ResourceTypes.Directory, Confidentiality.Level2, Relation.SameDepartment, AccessAction.Read, Verdict.Allow, DenyReason.None },
        { "a side-job worker works in their project", AccountKind.SideJobWorker, ResourceTypes.Project, Confidentiality.Level2, Relation.Member, AccessAction.Update, Verdict.Allow, DenyReason.None },
        { "a side-job worker cannot see another project", AccountKind.SideJobWorker, ResourceTypes.Project, Confidentiality.Level2, Relation.None, AccessAction.Read, Verdict.Deny, DenyReason.NoRule },
        { "a partner cannot see a channel they are not in", AccountKind.Partner, ResourceTypes.Channel, Confidentiality.Level1, Relation.None, AccessAction.Read, Verdict.Deny, DenyReason.NoRule },
        { "staff read a public channel", AccountKind.Staff, ResourceTypes.Channel, Confidentiality.Level2, Relation.None, AccessAction.Read, Verdict.Allow, DenyReason.None },
        { "staff need membership for a 機密性3 channel", AccountKind.Staff, ResourceTypes.Channel, Confidentiality.Level3, Relation.None, AccessAction.Read, Verdict.Deny, DenyReason.NoRule },
        { "機密性3 needs a passkey even for members", AccountKind.Staff, ResourceTypes.Channel, Confidentiality.Level3, Relation.Member, AccessAction.Read, Verdict.StepUp, DenyReason.AuthStrength },
        { "own account", AccountKind.Partner, ResourceTypes.Self, Confidentiality.Level2, Relation.Self, AccessAction.Update, Verdict.Allow, DenyReason.None },
        { "someone else's account is not 'self'", AccountKind.Staff, ResourceTypes.Self, Confidentiality.Level2, Relation.None, AccessAction.Read, Verdict.Deny, DenyReason.NoRule },
        { "staff cannot administer users", AccountKind.Staff, ResourceTypes.AdminUsers, Confidentiality.Level2, Relation.None, AccessAction.Administer, Verdict.Deny, DenyReason.NoRule },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Matrix_OfTheDefaultPolicy(string why, AccountKind kind, string type, Confidentiality level, Relation rel, AccessAction action, Verdict verdict, DenyReason reason)
    {
        var subject = new Subject("u", kind, kind is AccountKind.Staff or AccountKind.PartTimeStaff ? RoleSet.Staff : RoleSet.None, new DateOnly(2027, 3, 31));
        var d = Pdp.Decide(subject, Registered, Ctx(), Res(type, level, rel: rel), action);
        Assert.True(verdict == d.Verdict && reason == d.Reason, $"{why}: {d.Verdict}/{d.Reason} by {d.Rule?.Id}");
        Assert.Equal(1, d.PolicyVersion);
    }

    [Fact]
    public void Level3_NeedsATrustedDevice_AndARecentPasskey()
    {
        var s = Staff();
        var res = Res(ResourceTypes.Channel, Confidentiality.Level3, rel: Relation.Member);
        var ok = Pdp.Decide(s, Registered, Ctx(strength: AuthStrength.Passkey, authHoursAgo: 11.9), res, AccessAction.Read);
        Assert.Equal(Verdict.Allow, ok.Verdict);

        var unknownDevice = Pdp.Decide(s, Unknown, Ctx(strength: AuthStrength.Passkey), res, AccessAction.Read);
        Assert.Equal((Verdict.Deny, DenyReason.DeviceTrust, Remedy.RegisterDevice), (unknownDevice.Verdict, unknownDevice.Reason, unknownDevice.Remedy));
        Assert.Equal("require-level3-trusted", unknownDevice.Rule!.Id);

        var code = Pdp.Decide(s, Managed, Ctx(strength: AuthStrength.Mfa), res, AccessAction.Read);
        Assert.Equal((Verdict.StepUp, DenyReason.AuthStrength, Remedy.SignInWithPasskey), (code.Verdict, code.Reason, code.Remedy));

        var stale = Pdp.Decide(s, Managed, Ctx(strength: AuthStrength.Passkey, authHoursAgo: 12.1), res, AccessAction.Read);
        Assert.Equal((Verdict.StepUp, DenyReason.AuthAge, Remedy.SignInWithPasskey), (stale.Verdict, stale.Reason, stale.Remedy));
    }

    [Fact]
    public void Abroad_NeedsAnApprovedPeriodForThatCountry()
    {
        var res = Res(ResourceTypes.Directory);
        var plain = Staff();
        var d = Pdp.Decide(plain, Registered, Ctx(country: "FR"), res, AccessAction.Read);
        Assert.Equal((Verdict.Deny, DenyReason.Location, Remedy.RequestAbroadPeriod), (d.Verdict, d.Reason, d.Remedy));

        var windows = new[] { new CountryWindow("FR", new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 24)) };
        var traveller = new Subject("u", AccountKind.Staff, RoleSet.Staff, null, windows);
        Assert.True(Pdp.Decide(traveller, Registered, Ctx(country: "FR"), res, AccessAction.Read).IsAllowed);
        Assert.False(Pdp.Decide(traveller, Registered, Ctx(country: "DE"), res, AccessAction.Read).IsAllowed);

        var expired = new Subject("u", AccountKind.Staff, RoleSet.Staff, null, [new CountryWindow("FR", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 23))]);
        Assert.Equal(DenyReason.Location, Pdp.Decide(expired, Registered, Ctx(country: "FR"), res, AccessAction.Read).Reason);
    }

    [Fact]
    public void Outsiders_LoseEverything_WhenTheContractEnds_ExplicitDenyWins()
    {
        var res = Res(ResourceTypes.Project, rel: Relation.Member);
        var current = new Subject("p", AccountKind.Partner, RoleSet.None, new DateOnly(2026, 11, 24));
        Assert.True(Pdp.Decide(current, Registered, Ctx(), res, AccessAction.Read).IsAllowed);

        var ended = new Subject("p", AccountKind.Partner, RoleSet.None, new DateOnly(2026, 11, 23));
        var d = Pdp.Decide(ended, Managed, Ctx(zone: NetworkZone.Town, strength: AuthStrength.Passkey), res, AccessAction.Read);
        Assert.Equal((Verdict.Deny, DenyReason.ExplicitDeny, "deny-contract-ended"), (d.Verdict, d.Reason, d.Rule!.Id));
        Assert.False(Pdp.Decide(ended, Managed, Ctx(), Res(ResourceTypes.Self, rel: Relation.Self), AccessAction.Read).IsAllowed);

        // Staff with an end date (会計年度任用職員 on a contract) are not covered by the outsider rule.
        var partTime = new Subject("s", AccountKind.PartTimeStaff, RoleSet.Staff, new DateOnly(2026, 3, 31));
        Assert.True(Pdp.Decide(partTime, Registered, Ctx(), Res(ResourceTypes.Directory), AccessAction.Read).IsAllowed);
    }

    [Theory]
    [InlineData(NetworkZone.Town, DeviceTrust.Unknown, true)]
    [InlineData(NetworkZone.Internet, DeviceTrust.Managed, true)]
    [InlineData(NetworkZone.Internet, DeviceTrust.Registered, false)]
    [InlineData(NetworkZone.Internet, DeviceTrust.Unknown, false)]
    public void SecurityAdministration_NeedsTheTownNetwork_OrAManagedDevice(NetworkZone zone, DeviceTrust trust, bool allowed)
    {
        var admin = Staff(Roles.Staff, Roles.SecurityAdmin);
        foreach (var type in new[] { ResourceTypes.AdminPolicy, ResourceTypes.AdminDevices, ResourceTypes.Audit })
        {
            var d = Pdp.Decide(admin, new DeviceState(trust), Ctx(zone: zone), Res(type), AccessAction.Administer);
            Assert.Equal(allowed, d.IsAllowed);
            if (!allowed)
            {
                Assert.Equal((DenyReason.Network, Remedy.UseTownNetworkOrManagedDevice), (d.Reason, d.Remedy));
            }
        }

        // The same person without the role is refused whatever the place.
        Assert.Equal(DenyReason.NoRule, Pdp.Decide(Staff(), Managed, Ctx(zone: NetworkZone.Town), Res(ResourceTypes.Audit), AccessAction.Read).Reason);
    }

    [Fact]
    public void PersonalInformation_IsExportedOnlyFromARegisteredDevice()
    {
        var admin = Staff(Roles.Admin);
        var users = Res(ResourceTypes.AdminUsers, flags: ResourceFlags.PersonalInfo);
        Assert.True(Pdp.Decide(admin, Unknown, Ctx(zone: NetworkZone.Town), users, AccessAction.Read).IsAllowed);
        var d = Pdp.Decide(admin, Unknown, Ctx(zone: NetworkZone.Town), users, AccessAction.Export);
        Assert.Equal((Verdict.Deny, Remedy.RegisterDevice), (d.Verdict, d.Remedy));
        Assert.True(Pdp.Decide(admin, Registered, Ctx(zone: NetworkZone.Town), users, AccessAction.Export).IsAllowed);
    }

    [Fact]
    public void DefaultDeny_ForATypeNoRuleMentions()
    {
        var d = Pdp.Decide(Staff(Roles.Admin), Managed, Ctx(zone: NetworkZone.Town, strength: AuthStrength.Passkey), Res("seats.desk"), AccessAction.Read);
        Assert.Equal((Verdict.Deny, DenyReason.NoRule, null), (d.Verdict, d.Reason, d.Rule));
    }

    [Fact]
    public void TimeConditions_DayTypeAndHours()
    {
        var policy = new PolicyDocument
        {
            Version = 7,
            Rules =
            [
                new PolicyRule
                {
                    Id = "office-hours", Resources = [ResourceTypes.Directory],
                    When = [new PolicyCondition { Days = [DayType.Workday], From = new TimeOnly(7, 0), To = new TimeOnly(22, 0) }],
                },
            ],
        };
        var pdp = new DecisionPoint(policy, ResourceTypes.Ids);
        Assert.True(pdp.Decide(Staff(), Unknown, Ctx(), Res(ResourceTypes.Directory), AccessAction.Read).IsAllowed);
        var holiday = pdp.Decide(Staff(), Unknown, Ctx(day: DayType.Holiday), Res(ResourceTypes.Directory), AccessAction.Read);
        Assert.Equal((DenyReason.Time, Remedy.WaitForWorkingHours, 7), (holiday.Reason, holiday.Remedy, holiday.PolicyVersion));
        var late = Ctx() with { LocalTime = new TimeOnly(22, 0) };
        Assert.Equal(DenyReason.Time, pdp.Decide(Staff(), Unknown, late, Res(ResourceTypes.Directory), AccessAction.Read).Reason);
    }

    [Fact]
    public void DisabledRules_AreIgnored_AndExplainShowsEachRule()
    {
        var policy = DefaultPolicy.Create();
        var off = policy with { Rules = [.. policy.Rules.Select(r => r.Id == "require-abroad-approved" ? r with { Enabled = false } : r)] };
        var pdp = new DecisionPoint(off, ResourceTypes.Ids);
        Assert.True(pdp.Decide(Staff(), Registered, Ctx(country: "US"), Res(ResourceTypes.Directory), AccessAction.Read).IsAllowed);

        var (decision, trace) = Pdp.Explain(Staff(), Registered, Ctx(country: "US"), Res(ResourceTypes.Directory), AccessAction.Read);
        Assert.Equal(DenyReason.Location, decision.Reason);
        Assert.Contains(trace, t => t.Rule.Id == "allow-staff-directory" && t.Holds);
        Assert.Contains(trace, t => t.Rule.Id == "require-abroad-approved" && t.Targets && !t.Holds && t.Failure == DenyReason.Location);
    }
}
