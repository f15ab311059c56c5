namespace Dokodemo.Shared;

/// <summary>Attendance (勤怠): clocking, corrections, overtime orders, the monthly close, the schedule.</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> AttendanceCatalog = new(StringComparer.Ordinal)
    {
        // Errors.
        ["error.work.timezone_unknown"] = ("タイムゾーンが不明です（例: Asia/Tokyo, Europe/Paris）。", "Unknown time zone (e.g. Asia/Tokyo, Europe/Paris)."),
        ["error.work.clock.action_unknown"] = ("打刻の種類が不明です（in, break_start, break_end, out）。", "Unknown clock action (in, break_start, break_end, out)."),
        ["error.work.clock.already_in"] = ("すでに出勤しています。先に退勤を記録してください。", "You have already clocked in. Clock out first."),
        ["error.work.clock.not_in"] = ("出勤の記録がありません。先に出勤を記録してください。", "You have not clocked in. Clock in first."),
        ["error.work.clock.break_open"] = ("休憩中です。先に休憩終了を記録してください。", "You are on a break. End it first."),
        ["error.work.clock.no_break"] = ("休憩開始の記録がありません。", "No break has been started."),
        ["error.work.attendance.end_before_start"] = ("終了時刻が開始時刻より前（または同じ）です。", "An end time is not after its start time."),
        ["error.work.attendance.overlap"] = ("時間帯が重なっています。", "Time ranges overlap."),
        ["error.work.attendance.future"] = ("未来の日時は記録できません。", "Future dates and times cannot be recorded."),
        ["error.work.attendance.break_outside"] = ("休憩が勤務時間の外にあります。", "A break lies outside the working time."),
        ["error.work.attendance.wrong_day"] = ("開始時刻がその日のものではありません。", "A start time is not on that day."),
        ["error.work.attendance.time_invalid"] = ("時刻の形式が正しくありません（HH:mm）。", "A time is not valid (HH:mm)."),
        ["error.work.attendance.records_required"] = ("勤務の記録を1件以上入力してください。", "Enter at least one work record."),
        ["error.work.attendance.reason_required"] = ("修正の理由を入力してください。", "Enter the reason for the correction."),
        ["error.work.attendance.comment_required"] = ("コメントを入力してください。", "Enter a comment."),
        ["error.work.attendance.date_required"] = ("日付を入力してください。", "Enter the date."),
        ["error.work.attendance.month_locked"] = ("この月は人事担当が確定済みです。変更には人事担当の承認が必要です。", "This month is locked by HR. A change needs HR's approval."),
        ["error.work.attendance.correction_not_found"] = ("修正申請が見つかりません。", "Correction not found."),
        ["error.work.attendance.already_decided"] = ("この申請は処理済みです。", "This request has already been decided."),
        ["error.work.attendance.not_approver"] = ("この職員の申請を承認する立場にありません。", "You are not an approver for this person."),
        ["error.work.attendance.person_not_found"] = ("職員が見つかりません。", "Person not found."),
        ["error.work.attendance.import_invalid"] = ("取込データに誤りがあります。", "The import data is not valid."),
        ["error.work.month.invalid"] = ("月の形式が正しくありません（YYYY-MM）。", "The month is not valid (YYYY-MM)."),
        ["error.work.month.not_ended"] = ("月末が過ぎてから提出できます。", "A month can be submitted after its last day."),
        ["error.work.month.wrong_state"] = ("この月の状態では、その操作はできません。", "The month's state does not allow this."),
        ["error.work.overtime.purpose_required"] = ("時間外勤務の目的（業務内容）を入力してください。", "Enter the purpose of the overtime."),
        ["error.work.overtime.in_break"] = ("休憩時間帯に時間外勤務を命じることはできません。", "Overtime cannot be ordered during the break."),
        ["error.work.overtime.not_found"] = ("時間外勤務命令が見つかりません。", "Overtime order not found."),
        ["error.work.overtime.wrong_state"] = ("この命令の状態では、その操作はできません。", "The order's state does not allow this."),
        ["error.work.overtime.not_yet"] = ("命令された時間が始まってから報告できます。", "Report once the ordered time has begun."),
        ["error.work.schedule.invalid"] = ("勤務時間が正しくありません（開始＜休憩開始＜休憩終了＜終了）。", "The schedule is not valid (start < break start < break end < end)."),
        ["error.work.schedule.department_unknown"] = ("所属が見つかりません。", "Department not found."),
    };
}
