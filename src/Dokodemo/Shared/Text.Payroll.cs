namespace Dokodemo.Shared;

/// <summary>The payroll export and the telework allowance (在宅勤務等手当).</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> PayrollCatalog = new(StringComparer.Ordinal)
    {
        ["error.work.payroll.month_invalid"] = ("月は YYYY-MM の形式で指定してください（例: 2024-04）。", "Give the month as YYYY-MM (e.g. 2024-04)."),
        ["error.work.payroll.encoding_unknown"] = ("文字コードは utf8 または sjis を指定してください。", "The encoding must be utf8 or sjis."),
        ["nav.payroll"] = ("給与連携", "Payroll"),
        ["pay.title"] = ("給与連携（月次の書き出し）", "Payroll export"),
        ["pay.help"] = ("月ごとの時間外勤務（支給割合別）・深夜・休日勤務・在宅勤務等手当を、給与システム用のCSVで書き出します。書き出しは登録済みの端末からだけでき、記録されます。",
            "Each month's overtime by pay rate, night and holiday work and the telework allowance, as a CSV for the payroll system. Downloads need a registered device and are recorded."),
        ["pay.month"] = ("対象月", "Month"),
        ["pay.show"] = ("表示", "Show"),
        ["pay.download_utf8"] = ("CSV（UTF-8）をダウンロード", "Download CSV (UTF-8)"),
        ["pay.download_sjis"] = ("CSV（Shift_JIS）をダウンロード", "Download CSV (Shift_JIS)"),
        ["pay.summary"] = ("{0}人（うち確定済み {1}人）", "{0} people ({1} locked)"),
        ["pay.not_locked_warning"] = ("確定（ロック）されていない月があります。数字は変わる可能性があります。", "Some months are not locked yet; their figures may still change."),
        ["pay.rounding_on"] = ("支給割合ごとの月合計は、30分以上を1時間に切り上げ、30分未満を切り捨てています。", "Each band's monthly total is rounded: 30 minutes or more up to an hour, less than 30 down."),
        ["pay.rounding_off"] = ("支給割合ごとの月合計は端数処理をしていません。", "Band totals are exact hours (no rounding)."),
        ["pay.allowance_off"] = ("この町は在宅勤務等手当を採用していません（勤務ルールの設定でオンにできます）。", "This town has not adopted the telework allowance (it can be turned on in the work settings)."),
        ["pay.commute_note"] = ("在宅勤務等手当の受給者は、通勤手当の調整（E-2）が必要です。金額は町の通勤手当規則で確認してください。", "Recipients of the telework allowance need their commuting allowance adjusted (E-2); the amount follows the town's own rule."),
        ["pay.col.employee"] = ("職員ID", "Employee ID"),
        ["pay.col.band.WorkdayOvertime"] = ("時間外 125", "Overtime 125"),
        ["pay.col.band.WorkdayOvertimeNight"] = ("時間外深夜 150", "Overtime night 150"),
        ["pay.col.band.RestDayOvertime"] = ("週休日等 135", "Rest day 135"),
        ["pay.col.band.RestDayOvertimeNight"] = ("週休日等深夜 160", "Rest day night 160"),
        ["pay.col.band.Beyond60"] = ("60h超 150", "Beyond 60h 150"),
        ["pay.col.band.Beyond60Night"] = ("60h超深夜 175", "Beyond 60h night 175"),
        ["pay.col.band.HolidayWork"] = ("休日勤務 135", "Holiday work 135"),
        ["pay.col.band.Night"] = ("深夜 25", "Night 25"),
        ["pay.col.overtime"] = ("時間外 計", "Overtime total"),
        ["pay.col.night"] = ("深夜 計", "Night total"),
        ["pay.col.holiday"] = ("休日勤務 計", "Holiday work total"),
        ["pay.col.worked"] = ("勤務時間 計", "Worked total"),
        ["pay.col.telework"] = ("在宅勤務日数", "Telework days"),
        ["pay.col.allowance"] = ("在宅勤務等手当", "Telework allowance"),
        ["pay.col.average"] = ("一の期間と月平均", "Averaging period and average"),
        ["pay.col.locked"] = ("月の確定", "Month locked"),
        ["pay.locked"] = ("確定", "Locked"),
        ["pay.not_locked"] = ("未確定", "Not locked"),
        ["pay.yen"] = ("{0}円", "¥{0}"),
        ["pay.period"] = ("{0}〜{1}（{2}か月）: 月平均 {3}日", "{0} to {1} ({2} months): {3} days a month"),
        ["pay.no_period"] = ("—", "—"),
        ["pay.empty"] = ("対象の職員がいません。", "No staff for this month."),
    };
}
