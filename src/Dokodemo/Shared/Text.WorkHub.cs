namespace Dokodemo.Shared;

/// <summary>The Work menu (/work): every Work page a person may use, grouped, with what it is for.</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> WorkHubCatalog = new(StringComparer.Ordinal)
    {
        ["nav.work_hub"] = ("勤務メニュー", "Work menu"),
        ["hub.title"] = ("勤務メニュー", "Work menu"),
        ["hub.lead"] = ("勤務場所・出退勤・申請・承認・確認のページです。", "Where you work, your hours, requests, approvals and checks."),
        ["hub.mine"] = ("自分の勤務", "My work"),
        ["hub.team"] = ("所属（所属長）", "My team (managers)"),
        ["hub.hr"] = ("人事", "HR"),
        ["hub.settings"] = ("設定", "Settings"),
        ["hub.waiting"] = ("{0}件が承認待ち", "{0} waiting"),
        ["hub.today"] = ("出勤・退勤・休憩を記録します。", "Clock in and out and record breaks."),
        ["hub.month"] = ("月の勤務表、修正の申請、時間外勤務、月の提出。", "Your month: corrections, overtime and submitting the month."),
        ["hub.place"] = ("今日と今週の勤務場所（庁舎・在宅・サテライト・出張・海外）を申告します。", "Declare where you work today and this week."),
        ["hub.board"] = ("所属の人が今日どこで働いているか。", "Who works where today."),
        ["hub.telework"] = ("在宅勤務の日や海外での勤務期間を申請します。", "Ask for telework days or a period abroad."),
        ["hub.arrangements"] = ("フレックスの申告、早出遅出の請求。所属長はここで割り振ります。", "Flex plans and early/late shifts; managers assign them here."),
        ["hub.findings"] = ("時間外の上限・休憩・勤務間インターバルの確認。", "Overtime caps, breaks and rest intervals for your year."),
        ["hub.calendar"] = ("祝日・閉庁日とカレンダー連携。", "Holidays, closing days and your calendar feed."),
        ["hub.approvals"] = ("在宅勤務・海外勤務の申請を承認します。", "Approve telework and work abroad."),
        ["hub.team_months"] = ("所属の勤務表と月締め", "Team months and approvals"),
        ["hub.team_months_help"] = ("修正・時間外命令・月の承認。", "Corrections, overtime orders and approving months."),
        ["hub.team_findings"] = ("所属の時間外と警告", "Team overtime and warnings"),
        ["hub.team_findings_help"] = ("月の見込みを含む、上限を超えそうな人の確認。", "Who is heading past a cap this month, and the department's year."),
        ["hub.records"] = ("自己申告の時刻とPC・入退館・アプリの記録の差を確認し、確認記録を残します（C-2）。", "Compare reported times with PC, entry and app logs, and note the reason for a gap (C-2)."),
        ["hub.close"] = ("月を確定（ロック）します。", "Lock the month."),
        ["hub.payroll"] = ("給与システム用のCSVを書き出します。", "Export the month for payroll."),
        ["hub.work_settings"] = ("在宅勤務の対象・日数・手当。", "Who may telework, how often, the allowance."),
        ["hub.rules"] = ("上限・他律部署・36協定・フレックス・早出遅出のパターン。", "Caps, designations, agreements, flex and shift patterns."),
        ["hub.schedule"] = ("正規の勤務時間", "Regular hours"),
        ["hub.schedule_help"] = ("町と課ごとの始業・終業・休憩。", "Start, end and break for the town and each department."),
    };
}
