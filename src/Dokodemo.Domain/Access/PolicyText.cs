using System.Globalization;
using System.Text;
using Dokodemo.Domain.Accounts;

namespace Dokodemo.Domain.Access;

/// <summary>Renders a rule as one sentence an administrator (or an auditor) can read, in Japanese or English.</summary>
public static class PolicyText
{
    public static string Describe(PolicyRule rule, bool japanese)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var who = Who(rule, japanese);
        var what = What(rule, japanese);
        var actions = rule.Actions.Count == 0
            ? (japanese ? "すべての操作" : "any action")
            : string.Join(japanese ? "・" : ", ", rule.Actions.Select(a => ActionName(a, japanese)));
        var conditions = rule.When.Count == 0 ? "" : string.Join(japanese ? "、または " : ", or ", rule.When.Select(c => Condition(c, japanese)));
        if (japanese)
        {
            return rule.Effect switch
            {
                RuleEffect.Allow => $"許可: {who}は、{what}に対して「{actions}」ができる" + (conditions.Length > 0 ? $"（条件: {conditions}）。" : "。"),
                RuleEffect.Deny => $"拒否: {who}は、{what}に対して「{actions}」ができない" + (conditions.Length > 0 ? $"（{conditions}のとき）。" : "。"),
                RuleEffect.Require => $"必須条件: {who}が{what}に対して「{actions}」をするには、{(conditions.Length > 0 ? conditions : "（条件なし）")}が必要。",
            };
        }

        return rule.Effect switch
        {
            RuleEffect.Allow => $"Allow: {who} may {actions} on {what}" + (conditions.Length > 0 ? $" (when: {conditions})." : "."),
            RuleEffect.Deny => $"Deny: {who} may not {actions} on {what}" + (conditions.Length > 0 ? $" (when: {conditions})." : "."),
            RuleEffect.Require => $"Require: for {who} to {actions} on {what}, {(conditions.Length > 0 ? conditions : "(nothing)")}.",
        };
    }

    private static string Who(PolicyRule rule, bool ja)
    {
        var parts = new List<string>();
        if (rule.Kinds.Count > 0)
        {
            parts.Add(string.Join(ja ? "・" : " or ", rule.Kinds.Select(k => ja ? AccountKinds.JapaneseName(k) : AccountKinds.EnglishName(k))));
        }

        if (rule.Roles.Count > 0)
        {
            var roles = string.Join(ja ? "・" : " or ", rule.Roles.Select(r => ja ? Roles.JapaneseName(r) : Roles.EnglishName(r)));
            parts.Add(ja ? $"役割が{roles}の人" : $"people with the role {roles}");
        }

        var who = parts.Count == 0 ? (ja ? "誰でも" : "anyone") : string.Join(ja ? "のうち " : " who are ", parts);
        if (rule.Relations.Count > 0)
        {
            var rel = string.Join(ja ? "・" : " or ", rule.Relations.Select(r => RelationName(r, ja)));
            who += ja ? $"（対象の{rel}であるとき）" : $" (when they are the object's {rel})";
        }

        return who;
    }

    private static string What(PolicyRule rule, bool ja)
    {
        var names = string.Join(ja ? "・" : ", ", rule.Resources.Select(p => ResourceName(p, ja)));
        var levels = rule.MinLevel == Confidentiality.Level1 && rule.MaxLevel == Confidentiality.Level3
            ? ""
            : rule.MinLevel == rule.MaxLevel
                ? (ja ? $"機密性{(int)rule.MinLevel}の" : $"confidentiality {(int)rule.MinLevel} ")
                : (ja ? $"機密性{(int)rule.MinLevel}〜{(int)rule.MaxLevel}の" : $"confidentiality {(int)rule.MinLevel}–{(int)rule.MaxLevel} ");
        var flags = rule.Flags.Count == 0 ? "" : string.Join("", rule.Flags.Select(f => FlagName(f, ja) + (ja ? "を含む" : " ")));
        return ja ? $"{levels}{flags}{names}" : $"{levels}{flags}{names}".Trim();
    }

    public static string ResourceName(string pattern, bool ja)
    {
        if (pattern == "*")
        {
            return ja ? "すべての情報" : "everything";
        }

        if (pattern.EndsWith(".*", StringComparison.Ordinal))
        {
            var prefix = pattern[..^2];
            var names = ResourceTypes.All.Where(t => ResourcePattern.Matches(pattern, t.Id)).Select(t => ja ? t.NameJa : t.NameEn).ToList();
            return names.Count == 0 ? pattern : string.Join(ja ? "・" : ", ", names) + (ja ? $"（{prefix}.*）" : $" ({prefix}.*)");
        }

        var type = ResourceTypes.Find(pattern);
        return type is null ? pattern : ja ? type.NameJa : type.NameEn;
    }

    public static string ActionName(AccessAction action, bool ja) => action switch
    {
        AccessAction.Read => ja ? "閲覧" : "read",
        AccessAction.Create => ja ? "作成" : "create",
        AccessAction.Update => ja ? "変更" : "change",
        AccessAction.Delete => ja ? "削除" : "delete",
        AccessAction.Export => ja ? "書き出し" : "export",
        AccessAction.Administer => ja ? "管理" : "administer",
    };

    public static string RelationName(Relation relation, bool ja) => relation switch
    {
        Relation.Self => ja ? "本人" : "owner",
        Relation.Member => ja ? "メンバー" : "member",
        Relation.SameDepartment => ja ? "同じ課の人" : "same department",
        _ => relation.ToString(),
    };

    public static string FlagName(ResourceFlags flag, bool ja) => flag switch
    {
        ResourceFlags.PersonalInfo => ja ? "個人情報" : "personal information",
        ResourceFlags.Personnel => ja ? "人事情報" : "personnel information",
        _ => flag.ToString(),
    };

    public static string DeviceName(DeviceTrust trust, bool ja) => trust switch
    {
        DeviceTrust.Unknown => ja ? "未登録の端末" : "an unknown device",
        DeviceTrust.Registered => ja ? "登録済みの端末" : "a registered device",
        DeviceTrust.Managed => ja ? "管理端末" : "a managed device",
    };

    public static string StrengthName(AuthStrength strength, bool ja) => strength switch
    {
        AuthStrength.Password => ja ? "パスワード" : "password",
        AuthStrength.Mfa => ja ? "パスワードと認証コード" : "password and code",
        AuthStrength.Passkey => ja ? "パスキー" : "passkey",
    };

    public static string ZoneName(NetworkZone zone, bool ja) => zone switch
    {
        NetworkZone.Town => ja ? "庁内ネットワーク" : "the town network",
        NetworkZone.Internet => ja ? "インターネット" : "the internet",
    };

    public static string DayName(DayType day, bool ja) => day switch
    {
        DayType.Workday => ja ? "勤務日" : "workdays",
        DayType.WeeklyRestDay => ja ? "週休日" : "weekly rest days",
        DayType.Holiday => ja ? "休日" : "holidays",
    };

    private static string Condition(PolicyCondition c, bool ja)
    {
        var parts = new List<string>();
        if (c.Contract is { } contract)
        {
            parts.Add(contract == ContractCondition.Active
                ? (ja ? "契約期間内" : "the contract is current")
                : (ja ? "契約終了日を過ぎている" : "the contract has ended"));
        }

        if (c.Location is { } location)
        {
            parts.Add(location switch
            {
                LocationCondition.Domestic => ja ? "国内から" : "from within Japan",
                LocationCondition.DomesticOrApproved => ja ? "国内から、または承認された海外渡航期間中" : "from Japan or within an approved period abroad",
                LocationCondition.Abroad => ja ? "海外から" : "from abroad",
            });
        }

        if (c.Days.Count > 0)
        {
            parts.Add(string.Join(ja ? "・" : " or ", c.Days.Select(d => DayName(d, ja))) + (ja ? "に" : ""));
        }

        if (c.From is { } from && c.To is { } to)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{from:HH\\:mm}–{to:HH\\:mm}"));
        }

        if (c.Zones.Count > 0)
        {
            parts.Add(string.Join(ja ? "・" : " or ", c.Zones.Select(z => ZoneName(z, ja))) + (ja ? "から" : ""));
        }

        if (c.MinDevice is { } device)
        {
            parts.Add(device switch
            {
                DeviceTrust.Unknown => ja ? "どの端末からでも" : "any device",
                DeviceTrust.Registered => ja ? "登録済みか管理端末から" : "a registered or managed device",
                DeviceTrust.Managed => ja ? "管理端末から" : "a managed device",
            });
        }

        if (c.MinStrength is { } strength)
        {
            parts.Add(ja ? $"{StrengthName(strength, ja)}でサインイン" : $"signed in with {StrengthName(strength, ja)}");
        }

        if (c.MaxAuthAgeHours is { } hours)
        {
            var h = hours.ToString("0.##", CultureInfo.InvariantCulture);
            parts.Add(ja ? $"サインインから{h}時間以内" : $"within {h} h of signing in");
        }

        var sb = new StringBuilder();
        sb.AppendJoin(ja ? "、" : " and ", parts);
        return sb.Length == 0 ? (ja ? "常に" : "always") : sb.ToString();
    }
}
