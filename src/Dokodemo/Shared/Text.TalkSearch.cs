namespace Dokodemo.Shared;

/// <summary>Talk search (トーク検索): the page and the errors.</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> TalkSearchCatalog = new(StringComparer.Ordinal)
    {
        ["talk.search.link"] = ("トークを検索", "Search Talk"),
        ["talk.search.title"] = ("トーク検索", "Search Talk"),
        ["talk.search.lead"] = ("読めるチャンネルのメッセージを、新しい順に探します。2文字以上で入力してください（全角・半角、大文字・小文字は区別しません）。",
            "Finds messages in the channels you can read, newest first. Type at least 2 characters (full-width and half-width, upper and lower case are the same)."),
        ["talk.search.q"] = ("検索する言葉", "Words to find"),
        ["talk.search.channel"] = ("チャンネル", "Channel"),
        ["talk.search.channel_any"] = ("すべての読めるチャンネル", "All channels you can read"),
        ["talk.search.person"] = ("投稿者（氏名、任意）", "Author (name, optional)"),
        ["talk.search.from"] = ("この日から", "From"),
        ["talk.search.to"] = ("この日まで", "To"),
        ["talk.search.submit"] = ("検索", "Search"),
        ["talk.search.results"] = ("検索結果", "Results"),
        ["talk.search.none"] = ("見つかりませんでした。", "Nothing found."),
        ["talk.search.count"] = ("{0}件を表示", "Showing {0}"),
        ["talk.search.older"] = ("さらに古い結果", "Older results"),
        ["talk.search.in_thread"] = ("スレッドの返信", "Reply in a thread"),
        ["talk.search.open"] = ("メッセージを開く", "Open the message"),
        ["talk.search.person_unknown"] = ("その氏名の人が見つかりません（姓と名を正確に入力してください）。", "No one has that name (type the family and given name exactly)."),
        ["error.talk.search_query_too_short"] = ("検索する言葉は2文字以上で入力してください。", "Type at least 2 characters to search."),
        ["error.talk.search_query_too_long"] = ("検索する言葉は100文字以内で入力してください。", "Search for at most 100 characters."),
        ["error.talk.search_query_no_terms"] = ("検索できる文字がありません。2文字以上の言葉（漢字・かな・英数字）を入力してください。",
            "Nothing to search for: type a word of at least 2 letters (kanji, kana, letters or digits)."),
        ["error.talk.search_dates_reversed"] = ("「この日まで」は「この日から」より後の日にしてください。", "The end date must not be before the start date."),
    };
}
