using System.Globalization;

namespace Dokodemo.Demo;

/// <summary>
/// Realistic Japanese messages of a town office, deterministic from a seed: what the demo town's channels hold and what
/// the Talk benchmarks (P3, P4, P5) fill a town with. The sentences are assembled from the everyday topics of a town hall
/// (会議, 申請, 決裁, 窓口, 議会, 予算, 防災, テレワーク …) with dates, times, places, a little English (Zoom, PDF, URL),
/// Markdown lists and links, so that a search for a two-letter word such as 会議 or 申請 finds a realistic share of
/// messages (a few percent each), not all or none.
/// </summary>
public sealed class TalkDemoText(int seed)
{
    private readonly Random random = new(seed);

    private static readonly string[] Openers =
    [
        "お疲れ様です。", "おはようございます。", "お疲れ様です、", "皆さま、", "失礼します。", "取り急ぎ共有です。", "ご連絡です。", "", "", "",
    ];

    private static readonly string[] Topics =
    [
        "定例会議", "課内会議", "庁議", "打合せ", "住民説明会", "テレワーク申請", "出張申請", "休暇の申請", "決裁", "起案文書", "議会答弁の資料",
        "補正予算の要求", "予算査定", "窓口の混雑", "マイナンバーカードの交付", "ふるさと納税の返礼品", "防災訓練", "避難所の開設手順", "広報誌の原稿",
        "ホームページの更新", "庁舎の清掃", "公用車の予約", "サテライトオフィスの利用", "時間外勤務", "研修の案内", "人事異動の内示", "検診の日程",
        "道路の補修", "水道の漏水", "ごみ収集の変更", "子育て支援の相談", "高齢者見守り", "観光イベント", "農地の転用", "固定資産税の照会",
    ];

    private static readonly string[] Asks =
    [
        "について、ご確認をお願いします。", "の件、資料を共有します。", "は予定どおり進めます。", "の日程を調整させてください。", "について質問があります。",
        "の締切が近づいています。", "の件で、後ほどお電話します。", "はいったん保留にします。", "の進め方を相談させてください。", "について、ご意見をください。",
        "の件、承知しました。", "の準備ができました。", "について、課長の了承をいただきました。", "を変更しました。", "の件、対応済みです。",
    ];

    private static readonly string[] Places =
    [
        "第1会議室", "第2会議室", "本庁舎3階", "駅前サテライト", "支所", "Zoom", "Teams", "議会棟", "保健センター", "図書館2階",
    ];

    private static readonly string[] Closers =
    [
        "よろしくお願いします。", "よろしくお願いいたします。", "ご確認ください。", "以上です。", "何かあれば連絡ください。", "", "",
    ];

    private static readonly string[] Extras =
    [
        "資料はPDFで共通フォルダに置きました。", "URLは後で送ります。", "前回の議事録も添付します。", "出席者は各課1名でお願いします。",
        "在宅勤務の方はオンラインで参加してください。", "申請書の様式が新しくなっています。", "締切は金曜日の17時です。", "回答は今週中にお願いします。",
        "窓口は午前中が混み合います。", "詳細は庁内掲示板をご覧ください。",
    ];

    private static readonly string[] Replies =
    [
        "承知しました。", "ありがとうございます！", "了解です。", "確認しました。", "対応します。", "参加します。", "欠席します、すみません。",
        "少し遅れます。", "資料ありがとうございます。", "後ほど確認します。", "👍", "お願いします。",
    ];

    private static readonly string[] Weekdays = ["月", "火", "水", "木", "金"];

    /// <summary>One message: a topic sentence with a date, a time or a place, sometimes a list, a link or a second sentence.</summary>
    public string Message()
    {
        var r = random.Next(100);
        if (r < 25)
        {
            return Pick(Replies);
        }

        var text = Pick(Openers) + Pick(Topics) + Pick(Asks);
        var detail = random.Next(6);
        text += detail switch
        {
            0 => string.Format(CultureInfo.InvariantCulture, "日時は{0}月{1}日（{2}）{3}時から、場所は{4}です。", random.Next(1, 13), random.Next(1, 29), Pick(Weekdays),
                random.Next(9, 17), Pick(Places)),
            1 => Pick(Extras),
            2 => string.Format(CultureInfo.InvariantCulture, "\n\n- {0}\n- {1}\n- {2}", Pick(Topics), Pick(Topics), Pick(Extras)),
            3 => string.Format(CultureInfo.InvariantCulture, "詳しくは https://www.town.example.jp/info/{0} をご覧ください。", random.Next(1000, 9999)),
            _ => "",
        };

        return text + (random.Next(3) == 0 ? "\n" + Pick(Closers) : Pick(Closers));
    }

    /// <summary>A channel-like name for a project or topic (プロジェクト・話題のチャンネル).</summary>
    public string ChannelName() => Pick(Topics) + (random.Next(2) == 0 ? "プロジェクト" : "の相談");

    private string Pick(string[] list) => list[random.Next(list.Length)];
}
