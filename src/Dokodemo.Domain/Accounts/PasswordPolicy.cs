using System.Globalization;
using System.Text;

namespace Dokodemo.Domain.Accounts;

/// <summary>
/// R12: at least 8 characters (15 recommended), at least 64 allowed, no composition rules, paste allowed,
/// common passwords and words specific to the town or the person blocked. Returns stable error codes.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;
    public const int RecommendedLength = 15;
    public const int MaximumLength = 128;

    public const string TooShort = "password.too_short";
    public const string TooLong = "password.too_long";
    public const string Common = "password.common";
    public const string ContainsTownWord = "password.contains_town_word";
    public const string ContainsPersonalWord = "password.contains_personal_word";

    /// <summary>Checks a password; an empty list means it is acceptable.</summary>
    public static IReadOnlyList<string> Check(string password, IEnumerable<string> townWords, IEnumerable<string> personalWords)
    {
        ArgumentNullException.ThrowIfNull(password);
        var errors = new List<string>();
        var length = new StringInfo(password).LengthInTextElements;
        if (length < MinimumLength)
        {
            errors.Add(TooShort);
        }

        if (length > MaximumLength)
        {
            errors.Add(TooLong);
        }

        var normalized = Fold(password);
        if (IsCommon(normalized))
        {
            errors.Add(Common);
        }

        if (townWords.Select(Fold).Any(w => w.Length >= 3 && normalized.Contains(w, StringComparison.Ordinal)))
        {
            errors.Add(ContainsTownWord);
        }

        if (personalWords.Select(Fold).Any(w => w.Length >= 4 && normalized.Contains(w, StringComparison.Ordinal)))
        {
            errors.Add(ContainsPersonalWord);
        }

        return errors;
    }

    /// <summary>Width- and case-folded form: "ＰＡＳＳｗｏｒｄ" and "password" are the same word.</summary>
    public static string Fold(string text) =>
        text.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Trim();

    private static bool IsCommon(string folded)
    {
        if (CommonPasswords.Contains(folded))
        {
            return true;
        }

        // A common word dressed up with digits, symbols and look-alikes ("Password1!", "P@ssw0rd2024") is still that word.
        var trimmed = folded.Trim("0123456789!?#$%&*-_.+=~ ".ToCharArray());
        foreach (var candidate in new[] { folded, trimmed, Unleet(trimmed) })
        {
            var letters = new string(candidate.Where(char.IsLetter).ToArray());
            if (letters.Length > 0 && CommonPasswords.Contains(letters) && folded.Length - letters.Length <= 6)
            {
                return true;
            }
        }

        // One repeated character or a plain keyboard or digit run.
        if (folded.Distinct().Count() <= 2)
        {
            return true;
        }

        return Sequences.Any(s => s.Contains(folded, StringComparison.Ordinal));
    }

    private static string Unleet(string text) => string.Concat(text.Select(c => c switch
    {
        '@' or '4' => 'a',
        '0' => 'o',
        '1' or '!' => 'i',
        '3' => 'e',
        '$' or '5' => 's',
        '7' => 't',
        _ => c,
    }));

    private static readonly string[] Sequences =
    [
        "0123456789012345678901234567890",
        "9876543210987654321098765432109",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "qwertyuiopasdfghjklzxcvbnmqwertyuiop",
        "1qaz2wsx3edc4rfv5tgb6yhn",
        "qazwsxedcrfvtgbyhnujmikolp",
    ];

    // The most common passwords of public breach corpora, and the words people decorate with digits.
    private static readonly HashSet<string> CommonPasswords = new(StringComparer.Ordinal)
    {
        "password", "passw0rd", "p@ssw0rd", "p@ssword", "pass", "passwort", "motdepasse", "contrasena",
        "123456", "12345678", "123456789", "1234567890", "12345", "1234567", "111111", "000000", "123123",
        "654321", "666666", "121212", "112233", "123321", "7777777", "88888888", "1q2w3e4r", "1q2w3e4r5t",
        "1qaz2wsx", "zaq12wsx", "qwerty", "qwertyuiop", "qwerty123", "asdfgh", "asdfghjkl", "zxcvbnm",
        "abc", "abcd", "abcdef", "abcdefg", "abcdefgh", "admin", "administrator", "root", "user", "guest",
        "test", "tester", "testing", "login", "welcome", "letmein", "iloveyou", "loveme", "love", "lovely",
        "monkey", "dragon", "master", "shadow", "sunshine", "princess", "football", "baseball", "soccer",
        "superman", "batman", "starwars", "pokemon", "naruto", "doraemon", "pikachu", "hello", "hellokitty",
        "freedom", "whatever", "trustno", "secret", "changeme", "default", "access", "summer", "winter",
        "spring", "autumn", "michael", "jennifer", "jordan", "charlie", "thomas", "daniel", "george",
        "computer", "internet", "google", "microsoft", "windows", "apple", "samsung", "nintendo", "tokyo",
        "japan", "nippon", "osaka", "sakura", "yamato", "kyoto", "hokkaido", "okinawa", "ninja", "samurai",
        "kawaii", "arigato", "arigatou", "konnichiwa", "daisuki", "tanaka", "suzuki", "sato", "takahashi",
        "yamamoto", "watanabe", "ito", "nakamura", "kobayashi", "kato", "yoshida", "yamada", "sasaki",
        "yamaguchi", "matsumoto", "inoue", "kimura", "hayashi", "shimizu", "yamazaki", "mori", "abe",
        "ikeda", "hashimoto", "ishikawa", "ogawa", "maeda", "okada", "hasegawa", "fujita", "goto", "kondo",
        "office", "yakuba", "yakusho", "shiyakusho", "choyakuba", "kencho", "soumu", "somu", "jinji",
        "zeimu", "kikaku", "security", "secure", "qazwsx", "asdf", "asdf1234", "aaaaaa", "a1b2c3",
        "a1b2c3d4", "q1w2e3r4", "pass1234", "password1", "password123", "admin123", "welcome1",
        "letmein1", "monkey1", "dragon1", "ichiro", "taro", "hanako", "baseball1", "gundam", "totoro",
        "パスワード", "ぱすわーど", "あいうえお", "あいしてる", "さくら", "にほん", "とうきょう",
    };
}
