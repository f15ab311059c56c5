using Dokodemo.Domain.Accounts;

namespace Dokodemo.Domain.Access;

/// <summary>
/// The policy a new town starts with. It maps the town's reality: staff read the directory, outsiders reach only
/// what they are members of and nothing after their contract ends, 機密性3 needs a trusted device and a recent
/// passkey, work from abroad needs an approved period, and security administration needs the town network or a
/// town-issued device.
/// </summary>
public static class DefaultPolicy
{
    private static readonly AccountKind[] Insiders = [AccountKind.Staff, AccountKind.PartTimeStaff];
    private static readonly AccountKind[] Outsiders = [AccountKind.SideJobWorker, AccountKind.Partner];
    private static readonly AccessAction[] Work = [AccessAction.Read, AccessAction.Create, AccessAction.Update, AccessAction.Delete, AccessAction.Export];

    public static PolicyDocument Create() => new()
    {
        Version = 1,
        HomeCountry = "JP",
        Rules =
        [
            new PolicyRule
            {
                Id = "deny-contract-ended", Effect = RuleEffect.Deny, Kinds = Outsiders, Resources = ["*"],
                When = [new PolicyCondition { Contract = ContractCondition.Ended }],
                Note = "契約終了日を過ぎた複業人材・外部パートナーは、何にもアクセスできない。",
            },
            new PolicyRule
            {
                Id = "allow-app", Effect = RuleEffect.Allow, Resources = [ResourceTypes.App], Actions = [AccessAction.Read],
                Note = "サインインした人は誰でも、アプリの共通画面を見られる。",
            },
            new PolicyRule
            {
                Id = "allow-self", Effect = RuleEffect.Allow, Resources = [ResourceTypes.Self], Relations = [Relation.Self],
                Note = "自分のアカウント（セッション・端末・パスキー）は、本人が見て管理できる。",
            },
            new PolicyRule
            {
                Id = "allow-staff-directory", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.Directory],
                Actions = [AccessAction.Read],
                Note = "職員と会計年度任用職員は、職員名簿を見られる。外部の人は見られない。",
            },
            new PolicyRule
            {
                Id = "allow-own-department", Effect = RuleEffect.Allow, Resources = [ResourceTypes.Directory], Actions = [AccessAction.Read],
                Relations = [Relation.SameDepartment],
                Note = "誰でも、自分の所属の職員は見られる（複業人材・外部パートナーも、所属先の担当者を知る必要がある）。",
            },
            new PolicyRule
            {
                Id = "allow-staff-collaboration", Effect = RuleEffect.Allow, Kinds = Insiders,
                Resources = [ResourceTypes.Project, ResourceTypes.Channel], Actions = Work, MaxLevel = Confidentiality.Level2,
                Note = "職員は、機密性2までのプロジェクトとチャンネルで仕事ができる。",
            },
            new PolicyRule
            {
                Id = "allow-members", Effect = RuleEffect.Allow,
                Resources = [ResourceTypes.Project, ResourceTypes.Channel], Actions = Work, Relations = [Relation.Member],
                Note = "プロジェクトやチャンネルのメンバーは、そこで仕事ができる（複業人材・外部パートナーは、所属するものだけ）。",
            },
            new PolicyRule
            {
                Id = "allow-calendar", Effect = RuleEffect.Allow, Resources = [ResourceTypes.Calendar], Actions = [AccessAction.Read],
                Note = "誰でも、町のカレンダー（祝日・閉庁日）を見られる。",
            },
            new PolicyRule
            {
                Id = "allow-staff-work-board", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.WorkPlace, ResourceTypes.WorkSettings],
                Actions = [AccessAction.Read],
                Note = "職員と会計年度任用職員は、誰がどこで勤務しているか（勤務場所ボード）と町の勤務ルールを見られる。",
            },
            new PolicyRule
            {
                Id = "allow-own-work", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.WorkPlace, ResourceTypes.WorkTime],
                Actions = [AccessAction.Read, AccessAction.Create, AccessAction.Update, AccessAction.Delete, AccessAction.Export], Relations = [Relation.Self],
                Note = "職員は、自分の勤務場所・出退勤・申請・月の勤務状況を記録し、見られる。",
            },
            new PolicyRule
            {
                Id = "allow-manager-team-work", Effect = RuleEffect.Allow, Roles = [Roles.Manager], Resources = [ResourceTypes.WorkPlace, ResourceTypes.WorkTime],
                Actions = [AccessAction.Read, AccessAction.Update], Relations = [Relation.SameDepartment],
                Note = "管理職は、自分の所属の職員の勤務を見て、申請・修正・月の締めを承認できる。",
            },
            new PolicyRule
            {
                Id = "allow-hr-work", Effect = RuleEffect.Allow, Roles = [Roles.Hr], Resources = [ResourceTypes.WorkPlace, ResourceTypes.WorkTime, ResourceTypes.WorkSettings],
                Note = "人事担当は、全職員の勤務を管理し（月の確定・過去の記録の取込み・給与用の書き出し）、勤務ルールを設定できる。",
            },
            new PolicyRule
            {
                Id = "allow-admin-work-settings", Effect = RuleEffect.Allow, Roles = [Roles.Admin], Resources = [ResourceTypes.WorkSettings],
                Note = "システム管理者は、勤務ルールを設定できる。",
            },
            new PolicyRule
            {
                Id = "allow-staff-seats", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.Seat],
                Actions = [AccessAction.Read, AccessAction.Create],
                Note = "職員と会計年度任用職員は、座席の空きと誰がどこに座るかを見て、座席を予約できる。",
            },
            new PolicyRule
            {
                Id = "allow-own-seat-bookings", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.Seat],
                Actions = [AccessAction.Update, AccessAction.Delete], Relations = [Relation.Self],
                Note = "職員は、自分の座席予約を取り消し、チェックインできる。",
            },
            new PolicyRule
            {
                Id = "allow-hr-admin-seats", Effect = RuleEffect.Allow, Roles = [Roles.Hr, Roles.Admin], Resources = [ResourceTypes.Seat],
                Note = "人事担当とシステム管理者は、他の職員の座席予約も取り消せる。",
            },
            new PolicyRule
            {
                Id = "allow-seat-settings", Effect = RuleEffect.Allow, Roles = [Roles.Admin, Roles.Dx], Resources = [ResourceTypes.SeatSettings],
                Note = "システム管理者とDX推進担当は、フロア・座席図・座席・閉鎖・予約ルールを管理し、予約を承認できる。",
            },
            new PolicyRule
            {
                Id = "allow-staff-talk", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.TalkChannel, ResourceTypes.TalkMessage],
                Actions = [AccessAction.Read], MaxLevel = Confidentiality.Level2,
                Note = "職員と会計年度任用職員は、町内公開のチャンネル（機密性2まで）を探して読める。",
            },
            new PolicyRule
            {
                Id = "allow-staff-talk-create", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.TalkChannel],
                Actions = [AccessAction.Create],
                Note = "職員と会計年度任用職員は、プロジェクト・話題のチャンネルと個人間・グループのメッセージを作れる。",
            },
            new PolicyRule
            {
                Id = "allow-talk-members", Effect = RuleEffect.Allow, Resources = [ResourceTypes.TalkChannel, ResourceTypes.TalkMessage],
                Actions = [AccessAction.Read, AccessAction.Create, AccessAction.Update, AccessAction.Delete], Relations = [Relation.Member],
                Note = "チャンネルのメンバーは、そこで読み書きできる（複業人材・外部パートナーは、追加されたチャンネルだけ）。",
            },
            new PolicyRule
            {
                Id = "allow-talk-moderation", Effect = RuleEffect.Allow, Roles = [Roles.Manager, Roles.Admin],
                Resources = [ResourceTypes.TalkChannel, ResourceTypes.TalkMessage], Actions = [AccessAction.Administer],
                Note = "管理職とシステム管理者は、見られるチャンネルのメッセージを削除し、削除の記録を見られる（モデレーション）。",
            },
            new PolicyRule
            {
                Id = "allow-staff-talk-settings", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.TalkSettings],
                Actions = [AccessAction.Read],
                Note = "職員と会計年度任用職員は、町のトークの設定（既読表示など）を見られる。",
            },
            new PolicyRule
            {
                Id = "allow-admin-talk-settings", Effect = RuleEffect.Allow, Roles = [Roles.Admin], Resources = [ResourceTypes.TalkSettings],
                Note = "システム管理者は、町のトークの設定（既読表示、チャンネルごとに既読表示を止められるか）を変えられる。",
            },
            new PolicyRule
            {
                Id = "allow-talk-records-owners", Effect = RuleEffect.Allow, Kinds = Insiders, Resources = [ResourceTypes.TalkRecords],
                Actions = [AccessAction.Read, AccessAction.Update, AccessAction.Export], Relations = [Relation.Member],
                Note = "チャンネルの管理者（職員）は、そのチャンネルの保存期間を町の既定以上に設定し、情報公開請求のために書き出せる。",
            },
            new PolicyRule
            {
                Id = "allow-talk-records-admin", Effect = RuleEffect.Allow, Roles = [Roles.Admin], Resources = [ResourceTypes.TalkRecords],
                Note = "システム管理者（文書管理担当）は、すべてのチャンネルの保存期間と訴訟ホールドを管理し、書き出せる。",
            },
            new PolicyRule
            {
                Id = "allow-admin-users", Effect = RuleEffect.Allow, Roles = [Roles.Admin], Resources = [ResourceTypes.AdminUsers],
                Note = "システム管理者は、アカウントを管理できる。",
            },
            new PolicyRule
            {
                Id = "allow-security-admin", Effect = RuleEffect.Allow, Roles = [Roles.SecurityAdmin, Roles.Admin],
                Resources = [ResourceTypes.AdminDevices, ResourceTypes.AdminPolicy, ResourceTypes.Audit],
                Note = "情報セキュリティ管理者とシステム管理者は、端末・ポリシー・監査ログを管理できる。",
            },
            new PolicyRule
            {
                Id = "allow-security-read-users", Effect = RuleEffect.Allow, Roles = [Roles.SecurityAdmin], Resources = [ResourceTypes.AdminUsers],
                Actions = [AccessAction.Read],
                Note = "情報セキュリティ管理者は、アカウントの一覧と状態を見られる。",
            },
            new PolicyRule
            {
                Id = "require-level3-trusted", Effect = RuleEffect.Require, Resources = ["*"], MinLevel = Confidentiality.Level3,
                When = [new PolicyCondition { MinDevice = DeviceTrust.Registered, MinStrength = AuthStrength.Passkey, MaxAuthAgeHours = 12 }],
                Note = "機密性3の情報は、登録済みか管理端末から、12時間以内にパスキーでサインインした場合だけ扱える。",
            },
            new PolicyRule
            {
                Id = "require-abroad-approved", Effect = RuleEffect.Require, Resources = ["*"],
                When = [new PolicyCondition { Location = LocationCondition.DomesticOrApproved }],
                Note = "海外からの利用は、その国について承認された期間だけ認める。",
            },
            new PolicyRule
            {
                Id = "require-security-place", Effect = RuleEffect.Require, Resources = ["admin.*", ResourceTypes.Audit],
                When = [new PolicyCondition { Zones = [NetworkZone.Town] }, new PolicyCondition { MinDevice = DeviceTrust.Managed }],
                Remedy = Remedy.UseTownNetworkOrManagedDevice,
                Note = "管理機能（アカウント・端末・ポリシー・監査）は、庁内ネットワークか管理端末からだけ使える。",
            },
            new PolicyRule
            {
                Id = "require-personal-export-device", Effect = RuleEffect.Require, Resources = ["*"], Flags = [ResourceFlags.PersonalInfo],
                Actions = [AccessAction.Export],
                When = [new PolicyCondition { MinDevice = DeviceTrust.Registered }],
                Note = "個人情報を含むデータの書き出し（ダウンロード）は、登録済みか管理端末からだけ。",
            },
        ],
    };
}
