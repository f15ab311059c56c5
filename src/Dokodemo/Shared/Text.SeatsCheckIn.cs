namespace Dokodemo.Shared;

/// <summary>Seats check-in: the app button, the QR page, the release rules, the printable QR sheet and the errors.</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> SeatsCheckInCatalog = new(StringComparer.Ordinal)
    {
        ["error.seat.checkin.unknown"] = ("このQRコードの座席が見つかりません。座席に貼られたコードを読み取り直すか、座席の管理者に連絡してください。",
            "This QR code names no desk. Scan the code on the desk again, or tell the seat administrator."),
        ["error.seat.checkin.no_booking"] = ("この座席に、今日のあなたの予約はありません。", "You have no booking of this desk today."),
        ["error.seat.checkin.other_site"] = ("この座席は、今日あなたが予約した拠点とは別の拠点にあります。予約した座席でチェックインしてください。",
            "This desk is at another site than the one you booked today. Check in at the desk you booked."),
        ["error.seat.checkin.too_early"] = ("まだチェックインできません。チェックインは予約した日の、時間帯の開始30分前から（午前・終日は 8:00、午後は 12:30 から）です。",
            "Too early to check in. Check-in opens on the day, 30 minutes before the booked half starts (8:00 for the morning or whole day, 12:30 for the afternoon)."),
        ["error.seat.checkin.released"] = ("この予約は、期限までにチェックインがなかったため取り消されました。座席が空いていれば予約し直してください。",
            "This booking was released because nobody checked in by the set time. Book the desk again if it is free."),
        ["error.seat.checkin.pending"] = ("この予約はまだ承認待ちのため、チェックインできません。", "This booking is still waiting for approval, so you cannot check in yet."),
        ["error.seat.checkin.release_time_invalid"] = ("解放時刻は HH:mm で、午前・終日は 8:30〜12:00、午後は 13:00〜17:15 の間で指定してください。",
            "Give the release times as HH:mm: 8:30–12:00 for the morning and whole day, 13:00–17:15 for the afternoon."),
        ["seats.checkin.your_desk"] = ("あなたの予約: {0} {1} {2}", "Your booking: {0} {1} {2}"),
        ["seats.checkin.button"] = ("チェックイン", "Check in"),
        ["seats.checkin.done"] = ("チェックインしました。", "Checked in."),
        ["seats.checkin.checked_in"] = ("チェックイン済み", "Checked in"),
        ["seats.checkin.by"] = ("{0} までにチェックインしてください（過ぎると予約は取り消されます）。", "Check in by {0} (after that the booking is released)."),
        ["seats.checkin.rules"] = ("チェックイン必須: 午前・終日は {0}、午後は {1} までにチェックインがない予約は取り消されます。",
            "Check-in required: bookings not checked in by {0} (morning, whole day) or {1} (afternoon) are released."),
        ["seats.checkin.title"] = ("座席のチェックイン", "Check in at a desk"),
        ["seats.checkin.lead"] = ("この座席の今日の予約にチェックインします。", "Check in to your booking of this desk today."),
        ["seats.checkin.desk"] = ("座席", "Desk"),
        ["seats.checkin.booking"] = ("今日の予約", "Today's booking"),
        ["seats.checkin.book_now"] = ("この座席を今日（{0}）予約してチェックイン", "Book this desk today ({0}) and check in"),
        ["seats.checkin.free_now"] = ("この座席はいま空いています。", "This desk is free now."),
        ["seats.checkin.not_free"] = ("この座席はいま空いていません。", "This desk is not free now."),
        ["seats.checkin.to_seats"] = ("座席予約へ", "Go to desk booking"),
        ["seats.checkin.notice.title"] = ("座席の予約が取り消されました", "Your desk booking was released"),
        ["seats.checkin.notice.body"] = ("座席 {0} の {1} {2}の予約は、{3} までにチェックインがなかったため取り消されました",
            "Your booking of desk {0} on {1} ({2}) was released: nobody checked in by {3}"),
        ["seatsadmin.checkin_required"] = ("チェックインを必須にする（期限までにチェックインがない予約は取り消し、座席を空ける）",
            "Require check-in (bookings not checked in by the set time are released and the desk becomes free)"),
        ["seatsadmin.morning_release"] = ("午前・終日の解放時刻", "Release time, morning and whole day"),
        ["seatsadmin.afternoon_release"] = ("午後の解放時刻", "Release time, afternoon"),
        ["seatsadmin.qr"] = ("このフロアの座席QRコード（印刷用）", "This floor's desk QR codes (to print)"),
        ["seats.qr.title"] = ("座席のQRコード", "Desk QR codes"),
        ["seats.qr.lead"] = ("印刷して各座席に貼ってください（ブラウザーの印刷機能で印刷できます）。読み取ると、その座席のチェックイン画面が開きます。",
            "Print this page (with the browser's print command) and put each code on its desk. Scanning it opens the desk's check-in page."),
        ["seats.qr.none"] = ("このフロアに座席がありません。", "This floor has no desks."),
        ["seats.qr.back"] = ("座席の設定に戻る", "Back to seat settings"),
    };
}
