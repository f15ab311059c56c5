using System.Globalization;
using System.Text;

namespace Dokodemo.Domain.Talk;

/// <summary>
/// The terms of Talk's Japanese search, the same on SQLite and PostgreSQL (P5). Japanese has no spaces between words, so
/// a run of Japanese letters (kanji, hiragana, katakana) is indexed as its overlapping two-letter pieces (bigrams):
/// 会議室 → 会議, 議室. A two-letter word such as 会議 or 申請 is then one term, and a longer one is all of its
/// bigrams; a single Japanese letter standing alone is its own term. Latin letters and digits are indexed as whole
/// words. Before that the text is NFKC-normalised and lower-cased: full-width ＡＢＣ and half-width ｶﾀｶﾅ find the
/// ordinary forms.
/// <para>
/// A query's terms must all be in a message (the index narrows the candidates), and the normalised query must then occur
/// in the normalised text (the exact check): 会議室 does not find a message with 会議 and 議室 apart.
/// </para>
/// </summary>
public static class SearchTerms
{
    /// <summary>Terms longer than this are cut (a pasted hash or URL must not bloat the index).</summary>
    public const int MaxTermLength = 32;

    /// <summary>The text as searched: NFKC, lower case, runs of white space made one space.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var nfkc = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(nfkc.Length);
        var space = false;
        foreach (var c in nfkc)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>The distinct terms of a text, in the order they first occur.</summary>
    public static IReadOnlyList<string> Of(string? text)
    {
        var normalized = Normalize(text);
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < normalized.Length)
        {
            var kind = KindOf(normalized, i);
            var start = i;
            while (i < normalized.Length && KindOf(normalized, i) == kind)
            {
                i += char.IsSurrogatePair(normalized, i) ? 2 : 1;
            }

            if (kind == CharKind.Japanese)
            {
                var letters = TextElements(normalized[start..i]);
                if (letters.Count == 1)
                {
                    AddTerm(letters[0]);
                }

                for (var k = 0; k + 1 < letters.Count; k++)
                {
                    AddTerm(letters[k] + letters[k + 1]);
                }
            }
            else if (kind == CharKind.Word)
            {
                AddTerm(normalized[start..i]);
            }
        }

        return terms;

        void AddTerm(string term)
        {
            term = term.Length > MaxTermLength ? term[..MaxTermLength] : term;
            if (seen.Add(term))
            {
                terms.Add(term);
            }
        }
    }

    /// <summary>The terms joined by one space (what an index row stores).</summary>
    public static string Joined(string? text) => string.Join(' ', Of(text));

    private enum CharKind
    {
        Other,
        Japanese,
        Word,
    }

    private static CharKind KindOf(string s, int i)
    {
        var c = s[i];
        if (char.IsSurrogatePair(s, i))
        {
            // CJK Extension B and beyond (𠮷 and other rare kanji in names).
            return char.ConvertToUtf32(s, i) is >= 0x20000 and <= 0x3FFFF ? CharKind.Japanese : CharKind.Other;
        }

        return c switch
        {
            '・' => CharKind.Other, // 中黒 separates words
            >= '\u3040' and <= '\u309F' => CharKind.Japanese, // hiragana
            >= '\u30A0' and <= '\u30FF' => CharKind.Japanese, // katakana, including ー
            >= '\u3400' and <= '\u4DBF' => CharKind.Japanese, // CJK extension A
            >= '\u4E00' and <= '\u9FFF' => CharKind.Japanese, // CJK unified ideographs
            >= '\uF900' and <= '\uFAFF' => CharKind.Japanese, // CJK compatibility ideographs
            '々' or '〆' or '〇' => CharKind.Japanese,
            _ when char.IsLetterOrDigit(c) => CharKind.Word,
            _ => CharKind.Other,
        };
    }

    private static List<string> TextElements(string run)
    {
        var list = new List<string>(run.Length);
        var e = StringInfo.GetTextElementEnumerator(run);
        while (e.MoveNext())
        {
            list.Add((string)e.Current);
        }

        return list;
    }
}
