namespace Dokodemo.Domain.Access;

/// <summary>A kind of thing the app protects, with the label it carries unless an administrator relabels it.</summary>
public sealed record ResourceType(string Id, string NameJa, string NameEn, Confidentiality Level, ResourceFlags Flags = ResourceFlags.None);

/// <summary>
/// The resource types features declare. Each endpoint names one of these; the policy speaks about them.
/// Later capabilities (Work, Seats, Talk …) add theirs here.
/// </summary>
public static class ResourceTypes
{
    /// <summary>The app's general pages (home, help): every signed-in person with a live contract.</summary>
    public const string App = "app";

    /// <summary>The person's own account: profile, sessions, devices, passkeys.</summary>
    public const string Self = "self";

    /// <summary>職員名簿 — departments, sections, sites and people.</summary>
    public const string Directory = "directory";

    /// <summary>Accounts of others: invitations, disabling, recovery, sessions.</summary>
    public const string AdminUsers = "admin.users";

    /// <summary>The device inventory: marking devices as town-issued, removing them.</summary>
    public const string AdminDevices = "admin.devices";

    /// <summary>The access policy, classification labels and country windows.</summary>
    public const string AdminPolicy = "admin.policy";

    /// <summary>監査ログ — the audit trail.</summary>
    public const string Audit = "audit";

    /// <summary>Town projects, which outside members join (the Projects capability).</summary>
    public const string Project = "project";

    /// <summary>Talk channels (the Talk capability).</summary>
    public const string Channel = "channel";

    /// <summary>The town calendar: holidays, closing days (public facts; every signed-in person).</summary>
    public const string Calendar = "calendar";

    /// <summary>勤務場所 — where people work each day (the team board, declarations, weekly patterns).</summary>
    public const string WorkPlace = "work.place";

    /// <summary>勤務時間 — attendance, telework and overtime requests, corrections, monthly close, findings, reports.</summary>
    public const string WorkTime = "work.time";

    /// <summary>勤務ルール設定 — the town's working-time, telework and allowance settings, department designations.</summary>
    public const string WorkSettings = "work.settings";

    /// <summary>座席 — desks and bookings (フリーアドレス): who sits where, booking, cancelling, checking in.</summary>
    public const string Seat = "seat";

    /// <summary>座席の設定 — sites' floors, plans, zones, desks, closures and booking rules; approving bookings.</summary>
    public const string SeatSettings = "seat.settings";

    /// <summary>トーク — Talk channels (department, project, topic, direct, group) and their membership.</summary>
    public const string TalkChannel = "talk.channel";

    /// <summary>トークのメッセージ — messages, threads, reactions, pins, read markers.</summary>
    public const string TalkMessage = "talk.message";

    /// <summary>トークの設定 — the town's Talk settings (read receipts town-wide, whether channels may turn them off).</summary>
    public const string TalkSettings = "talk.settings";
    /// <summary>トークの記録管理 — a channel's retention class (保存期間), legal hold and the export for records requests (情報公開).</summary>
    public const string TalkRecords = "talk.records";

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        new(App, "アプリ全般", "The app in general", Confidentiality.Level1),
        new(Self, "自分のアカウント", "Own account", Confidentiality.Level2),
        new(Directory, "職員名簿", "Staff directory", Confidentiality.Level2, ResourceFlags.PersonalInfo),
        new(AdminUsers, "アカウント管理", "Account administration", Confidentiality.Level2, ResourceFlags.PersonalInfo),
        new(AdminDevices, "端末管理", "Device administration", Confidentiality.Level2),
        new(AdminPolicy, "アクセスポリシー", "Access policy", Confidentiality.Level2),
        new(Audit, "監査ログ", "Audit log", Confidentiality.Level2, ResourceFlags.PersonalInfo),
        new(Project, "プロジェクト", "Projects", Confidentiality.Level2),
        new(Channel, "チャンネル", "Channels", Confidentiality.Level2),
        new(Calendar, "カレンダー", "Town calendar", Confidentiality.Level1),
        new(WorkPlace, "勤務場所", "Work places", Confidentiality.Level2, ResourceFlags.PersonalInfo),
        new(WorkTime, "勤務時間・申請", "Working time and requests", Confidentiality.Level2, ResourceFlags.PersonalInfo | ResourceFlags.Personnel),
        new(WorkSettings, "勤務ルール設定", "Working-time settings", Confidentiality.Level2),
        new(Seat, "座席", "Seats", Confidentiality.Level2, ResourceFlags.PersonalInfo),
        new(SeatSettings, "座席の設定", "Seat settings", Confidentiality.Level2),
        new(TalkChannel, "トークのチャンネル", "Talk channels", Confidentiality.Level2),
        new(TalkMessage, "トークのメッセージ", "Talk messages", Confidentiality.Level2),
        new(TalkSettings, "トークの設定", "Talk settings", Confidentiality.Level2),
        new(TalkRecords, "トークの記録管理", "Talk records (retention, export)", Confidentiality.Level2),
    ];

    public static IReadOnlyCollection<string> Ids { get; } = [.. All.Select(t => t.Id)];

    public static ResourceType? Find(string id) => All.FirstOrDefault(t => t.Id == id);
}
