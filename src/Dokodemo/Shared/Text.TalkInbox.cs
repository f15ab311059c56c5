namespace Dokodemo.Shared;

/// <summary>Talk: scheduled send, the personal inbox, quiet hours and the daily digest.</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> TalkInboxCatalog = new(StringComparer.Ordinal)
    {
        ["nav.talk_inbox"] = ("受信箱", "Inbox"),
        ["talk.inbox.title"] = ("受信箱", "Inbox"),
        ["talk.inbox.lead"] = ("あなた宛ての未読のメンションと、確認を求められているお知らせです。", "Unread mentions of you and notices asking for your acknowledgement."),
        ["talk.inbox.none"] = ("新しいものはありません。", "Nothing new."),
        ["talk.inbox.done"] = ("済みにする", "Mark done"),
        ["talk.inbox.all_done"] = ("すべて済みにする", "Mark all done"),
        ["talk.inbox.kind.mention"] = ("メンション", "Mention"),
        ["talk.inbox.kind.channel"] = ("@channel", "@channel"),
        ["talk.inbox.kind.notice"] = ("確認依頼", "Acknowledgement"),
        ["talk.inbox.open"] = ("開く", "Open"),
        ["talk.inbox.settings"] = ("通知の設定", "Notification settings"),
        ["talk.scheduled.title"] = ("送信予定", "Scheduled"),
        ["talk.scheduled.at"] = ("送信予定 {0}", "Scheduled for {0}"),
        ["talk.scheduled.none"] = ("送信予定のメッセージはありません。", "No scheduled messages."),
        ["talk.scheduled.cancel"] = ("予約を取り消す", "Cancel"),
        ["talk.scheduled.cancelled"] = ("予約を取り消しました。", "The scheduled message was cancelled."),
        ["talk.scheduled.field"] = ("予約送信（町の時刻、空欄ならすぐ送信）", "Send later (town time; empty sends now)"),
        ["talk.scheduled.saved"] = ("送信を予約しました。", "The message is scheduled."),
        ["talk.scheduled.time_invalid"] = ("日時の形式が正しくありません。", "The date and time are not valid."),
        ["talk.prefs.title"] = ("トークの通知設定", "Talk notification settings"),
        ["talk.prefs.lead"] = ("通知を控える時間と、毎日のまとめメールを設定します。時刻はあなたのタイムゾーン（{0}）です。",
            "Set quiet hours and the daily summary e-mail. Times are in your time zone ({0})."),
        ["talk.prefs.quiet"] = ("通知を控える時間", "Quiet hours"),
        ["talk.prefs.quiet_help"] = ("この時間に届いたメンションの通知は、時間が明けてからまとめて届きます（受信箱にはすぐ表示されます）。",
            "Mention notifications arriving in this time are delivered when it ends (the inbox shows them at once)."),
        ["talk.prefs.quiet_from"] = ("開始", "From"),
        ["talk.prefs.quiet_to"] = ("終了", "To"),
        ["talk.prefs.quiet_weekends"] = ("土日・祝日は終日控える", "Quiet all day on weekends and holidays"),
        ["talk.prefs.quiet_now"] = ("いまは通知を控える時間です。", "You are in your quiet hours now."),
        ["talk.prefs.digest"] = ("まとめメール", "Daily summary e-mail"),
        ["talk.prefs.digest_enabled"] = ("未読のメンションと確認待ちのお知らせを毎日メールで受け取る", "E-mail me unread mentions and pending notices once a day"),
        ["talk.prefs.digest_hour"] = ("送信する時刻", "Hour"),
        ["talk.prefs.mail_off"] = ("この町ではメール送信（SMTP）が設定されていないため、まとめメールは使えません。",
            "E-mail (SMTP) is not configured for this town, so the summary e-mail is not available."),
        ["talk.prefs.language"] = ("メールとお知らせの言語", "Language of e-mails and reminders"),
        ["talk.prefs.save"] = ("保存する", "Save"),
        ["talk.prefs.saved"] = ("保存しました。", "Saved."),

        // The daily digest e-mail, written in the person's stored language (Text.For), not the request's.
        ["talk.digest.subject"] = ("[どこでも役場] トークのまとめ {0}（{1} 件）", "[Dokodemo] Talk summary for {0} ({1} new)"),
        ["talk.digest.greeting"] = ("{0}さん", "Hello {0},"),
        ["talk.digest.intro"] = ("トークで、あなた宛ての未読のメンションと確認待ちのお知らせが {0} 件あります。",
            "You have {0} new item(s) in Talk: unread mentions of you and notices waiting for your acknowledgement."),
        ["talk.digest.item"] = ("■ #{0}（{1}）{2} {3}", "■ #{0} ({1}) {2}, {3}"),
        ["talk.digest.more"] = ("ほか {0} 件は受信箱でご覧ください: {1}", "{0} more are in your inbox: {1}"),
        ["talk.digest.inbox"] = ("受信箱: {0}", "Inbox: {0}"),
        ["talk.digest.settings"] = ("このメールの設定: {0}", "Settings for this e-mail: {0}"),
        // .NET format patterns for the digest's times (in the person's zone) and the subject's day.
        ["talk.digest.time_format"] = ("M/d HH:mm", "MMM d, HH:mm"),
        ["talk.digest.day_format"] = ("M/d", "MMM d"),

        ["error.talk.schedule_in_past"] = ("予約送信の日時は、現在より後にしてください。", "The scheduled time must be in the future."),
        ["error.talk.schedule_too_far"] = ("予約送信は30日先までです。", "A message can be scheduled at most 30 days ahead."),
        ["error.talk.scheduled_not_found"] = ("予約送信のメッセージが見つかりません。", "Scheduled message not found."),
        ["error.talk.scheduled_not_pending"] = ("このメッセージはすでに送信されたか、取り消されています。", "This message has already been sent or cancelled."),
        ["error.talk.quiet_time_invalid"] = ("通知を控える時間は、開始と終了を「20:00」の形で、異なる時刻にしてください。",
            "Quiet hours need a start and an end like \"20:00\", and they must differ."),
        ["error.talk.digest_hour_invalid"] = ("まとめメールの時刻は0〜23時で指定してください。", "The summary hour must be between 0 and 23."),
        ["error.talk.digest_unavailable"] = ("メール送信が設定されていないため、まとめメールは使えません。", "E-mail is not configured, so the summary e-mail is not available."),
        ["error.talk.inbox_item_not_found"] = ("受信箱にその項目はありません。", "That item is not in your inbox."),
    };
}
