namespace Dokodemo.Demo;

/// <summary>Common Japanese family and given names with their readings, for the demo town and the bench's generated towns.</summary>
public static class JapaneseNames
{
    public static readonly (string Kanji, string Kana, string Romaji)[] FamilyNames =
    [
        ("佐藤", "さとう", "sato"), ("鈴木", "すずき", "suzuki"), ("高橋", "たかはし", "takahashi"), ("田中", "たなか", "tanaka"),
        ("伊藤", "いとう", "ito"), ("渡辺", "わたなべ", "watanabe"), ("山本", "やまもと", "yamamoto"), ("中村", "なかむら", "nakamura"),
        ("小林", "こばやし", "kobayashi"), ("加藤", "かとう", "kato"), ("吉田", "よしだ", "yoshida"), ("山田", "やまだ", "yamada"),
        ("佐々木", "ささき", "sasaki"), ("山口", "やまぐち", "yamaguchi"), ("松本", "まつもと", "matsumoto"), ("井上", "いのうえ", "inoue"),
        ("木村", "きむら", "kimura"), ("林", "はやし", "hayashi"), ("斎藤", "さいとう", "saito"), ("清水", "しみず", "shimizu"),
        ("山崎", "やまざき", "yamazaki"), ("森", "もり", "mori"), ("池田", "いけだ", "ikeda"), ("橋本", "はしもと", "hashimoto"),
        ("阿部", "あべ", "abe"), ("石川", "いしかわ", "ishikawa"), ("山下", "やました", "yamashita"), ("中島", "なかじま", "nakajima"),
        ("石井", "いしい", "ishii"), ("小川", "おがわ", "ogawa"), ("前田", "まえだ", "maeda"), ("岡田", "おかだ", "okada"),
        ("長谷川", "はせがわ", "hasegawa"), ("藤田", "ふじた", "fujita"), ("後藤", "ごとう", "goto"), ("近藤", "こんどう", "kondo"),
        ("村上", "むらかみ", "murakami"), ("遠藤", "えんどう", "endo"), ("青木", "あおき", "aoki"), ("坂本", "さかもと", "sakamoto"),
        ("斉藤", "さいとう", "saito"), ("福田", "ふくだ", "fukuda"), ("太田", "おおた", "ota"), ("西村", "にしむら", "nishimura"),
        ("藤井", "ふじい", "fujii"), ("金子", "かねこ", "kaneko"), ("岡本", "おかもと", "okamoto"), ("藤原", "ふじわら", "fujiwara"),
        ("三浦", "みうら", "miura"), ("中野", "なかの", "nakano"), ("原田", "はらだ", "harada"), ("松田", "まつだ", "matsuda"),
        ("竹内", "たけうち", "takeuchi"), ("小野", "おの", "ono"), ("田村", "たむら", "tamura"), ("中川", "なかがわ", "nakagawa"),
        ("和田", "わだ", "wada"), ("石田", "いしだ", "ishida"), ("森田", "もりた", "morita"), ("上田", "うえだ", "ueda"),
    ];

    public static readonly (string Kanji, string Kana, string Romaji)[] GivenNames =
    [
        ("大輔", "だいすけ", "daisuke"), ("陽子", "ようこ", "yoko"), ("翔太", "しょうた", "shota"), ("真由美", "まゆみ", "mayumi"),
        ("拓也", "たくや", "takuya"), ("恵子", "けいこ", "keiko"), ("健太", "けんた", "kenta"), ("美穂", "みほ", "miho"),
        ("直樹", "なおき", "naoki"), ("由美", "ゆみ", "yumi"), ("亮", "りょう", "ryo"), ("彩", "あや", "aya"),
        ("浩二", "こうじ", "koji"), ("裕子", "ゆうこ", "yuko"), ("和也", "かずや", "kazuya"), ("千尋", "ちひろ", "chihiro"),
        ("雄一", "ゆういち", "yuichi"), ("香織", "かおり", "kaori"), ("剛", "つよし", "tsuyoshi"), ("明美", "あけみ", "akemi"),
        ("達也", "たつや", "tatsuya"), ("奈々", "なな", "nana"), ("修", "おさむ", "osamu"), ("舞", "まい", "mai"),
        ("智也", "ともや", "tomoya"), ("早紀", "さき", "saki"), ("聡", "さとし", "satoshi"), ("優子", "ゆうこ", "yuko"),
        ("大樹", "だいき", "daiki"), ("麻衣", "まい", "mai"), ("隆", "たかし", "takashi"), ("愛", "あい", "ai"),
        ("蓮", "れん", "ren"), ("陽菜", "ひな", "hina"), ("悠斗", "ゆうと", "yuto"), ("結衣", "ゆい", "yui"),
        ("颯太", "そうた", "sota"), ("美月", "みづき", "mizuki"), ("大和", "やまと", "yamato"), ("凛", "りん", "rin"),
        ("誠", "まこと", "makoto"), ("智子", "ともこ", "tomoko"), ("博", "ひろし", "hiroshi"), ("京子", "きょうこ", "kyoko"),
        ("正樹", "まさき", "masaki"), ("綾香", "あやか", "ayaka"), ("哲也", "てつや", "tetsuya"), ("紀子", "のりこ", "noriko"),
    ];
}
