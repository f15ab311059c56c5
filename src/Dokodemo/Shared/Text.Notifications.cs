namespace Dokodemo.Shared;

/// <summary>Notifications (お知らせ): the page, the badge in the menu and the errors.</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> NotificationsCatalog = new(StringComparer.Ordinal)
    {
        ["nav.notifications"] = ("お知らせ", "Notices"),
        ["notifications.unread_count"] = ("未読 {0} 件", "{0} unread"),
        ["notifications.title"] = ("お知らせ", "Notices"),
        ["notifications.lead"] = ("アプリからあなたへのお知らせです（新しい順、最新50件）。", "What the app has told you (newest first, the latest 50)."),
        ["notifications.none"] = ("お知らせはありません。", "No notices."),
        ["notifications.unread"] = ("未読", "Unread"),
        ["notifications.mark_read"] = ("既読にする", "Mark as read"),
        ["notifications.mark_all"] = ("すべて既読にする", "Mark all as read"),
        ["notifications.open"] = ("開く", "Open"),
        ["notifications.marked"] = ("既読にしました。", "Marked as read."),
        ["error.notification.not_found"] = ("お知らせが見つかりません。", "No such notice."),
    };
}
