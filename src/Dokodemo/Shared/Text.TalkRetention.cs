namespace Dokodemo.Shared;

/// <summary>Talk retention (保存期間), legal hold and the export for records requests (情報公開).</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> TalkRetentionCatalog = new(StringComparer.Ordinal)
    {
        ["talk.records.link"] = ("記録管理（保存期間・書出し）", "Records (retention, export)"),
        ["talk.records.title"] = ("記録管理", "Records"),
        ["talk.records.lead"] = ("トークのメッセージも公文書です。町の文書管理規程に沿って保存期間を決め、情報公開請求のときは書き出します。保存期間は作成した年度の翌年度4月1日から数えます（年度末起算）。",
            "Talk messages are public records. Their retention follows the town's records rules, and they are exported for records requests. Periods run from 1 April after the fiscal year the message was written in."),
        ["talk.records.retention"] = ("保存期間", "Retention"),
        ["talk.records.class"] = ("このチャンネルの保存期間", "Retention of this channel"),
        ["talk.records.default"] = ("町の既定（{0}）", "Town default ({0})"),
        ["talk.records.days"] = ("{0}日（以前の設定）", "{0} days (old setting)"),
        ["talk.records.in_force"] = ("適用中：{0}", "In force: {0}"),
        ["talk.records.disposable_before"] = ("{0}より前に作成されたメッセージは、次回の処理で本文が廃棄されます。", "Messages written before {0} lose their text at the next sweep."),
        ["talk.records.never"] = ("このチャンネルのメッセージは、現在は廃棄されません。", "No message of this channel is disposed at present."),
        ["talk.records.owner_note"] = ("チャンネルの管理者は、町の既定より短い期間は選べません。", "Channel owners cannot choose a period shorter than the town default."),
        ["talk.records.hold"] = ("訴訟ホールド・情報公開請求中", "Legal hold / records request pending"),
        ["talk.records.hold_on"] = ("訴訟ホールド中：保存期間を過ぎても廃棄しません。", "On legal hold: nothing is disposed, whatever the period."),
        ["talk.records.hold_reason"] = ("理由（事件名・請求番号など）", "Reason (case or request number)"),
        ["talk.records.hold_since"] = ("{0}から（{1}）", "Since {0} ({1})"),
        ["talk.records.save"] = ("保存", "Save"),
        ["talk.records.saved"] = ("保存しました。", "Saved."),
        ["talk.records.export"] = ("情報公開請求のための書出し", "Export for a records request"),
        ["talk.records.export_help"] = ("ZIPファイルに、読みやすい記録（HTML）、Excelで開けるCSV、機械処理用のJSONが入ります。削除されたメッセージの本文と削除の記録、編集前の本文も含みます。書出しは監査ログに記録されます。",
            "A ZIP with a readable transcript (HTML), a CSV for Excel and JSON. Deleted messages (with their text and trace) and earlier versions of edited ones are included. The export is written to the audit log."),
        ["talk.records.from"] = ("開始日（任意）", "From (optional)"),
        ["talk.records.to"] = ("終了日（任意）", "To (optional)"),
        ["talk.records.download"] = ("ZIPを書き出す", "Export ZIP"),
        ["error.talk.retention_class_unknown"] = ("保存期間は 1年・3年・5年・10年・30年・常用（永年）のどれかです。", "The retention must be 1, 3, 5, 10 or 30 years, or permanent."),
        ["error.talk.retention_below_default"] = ("町の既定より短い保存期間は、システム管理者（文書管理担当）だけが設定できます。",
            "Only an administrator (records officer) can set a period shorter than the town default."),
        ["error.talk.hold_admin_only"] = ("訴訟ホールドは、システム管理者（文書管理担当）だけが設定・解除できます。", "Only an administrator (records officer) can set or release a legal hold."),
        ["error.talk.hold_reason_required"] = ("訴訟ホールドの理由を入力してください。", "Enter the reason for the legal hold."),
        ["error.talk.hold_reason_too_long"] = ("理由は200文字までです。", "The reason can be at most 200 characters."),
        ["error.talk.retention_changed_meanwhile"] = ("同時に別の人がこのチャンネルの保存期間を設定しました。画面を更新して、必要ならもう一度保存してください。",
            "Someone else set this channel's retention at the same time. Reload, and save again if needed."),
        ["error.talk.export_date_invalid"] = ("日付は 2026-04-01 の形で入力してください。", "Enter dates as 2026-04-01."),
        ["error.talk.export_range_invalid"] = ("開始日が終了日より後になっています。", "The start date is after the end date."),
        ["error.talk.export_too_large"] = ("メッセージが多すぎて一度に書き出せません（20,000件まで）。期間を区切ってください。",
            "Too many messages for one export (at most 20,000). Choose a shorter period."),
    };
}
