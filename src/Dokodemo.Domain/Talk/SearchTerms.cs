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
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in Tokens(Normalize(text)))
        {
            if (seen.Add(t.Term))
            {
                terms.Add(t.Term);
            }
        }

        return terms;
    }

    /// <summary>
    /// Every term of a text in order, repeats kept: what a positional index (SQLite FTS5) stores, so that the terms of a
    /// substring stand next to each other (会議会議室 → 会議 議会 会議 議室: the phrase 会議 議室 is there).
    /// </summary>
    public static IReadOnlyList<string> Sequence(string? text) => [.. Tokens(Normalize(text)).Select(t => t.Term)];

    /// <summary>One term of a normalised text: whether it comes from a Japanese run of a single letter (会 in 第1回).</summary>
    public readonly record struct Token(string Term, bool Japanese, bool SingleLetter);

    /// <summary>The terms of an already normalised text, in order, repeats kept.</summary>
    public static IEnumerable<Token> Tokens(string normalized)
    {
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
                    yield return new Token(Cut(letters[0]), true, true);
                }

                for (var k = 0; k + 1 < letters.Count; k++)
                {
                    yield return new Token(Cut(letters[k] + letters[k + 1]), true, false);
                }
            }
            else if (kind == CharKind.Word)
            {
                yield return new Token(Cut(normalized[start..i]), false, false);
            }
        }

        static string Cut(string term) => term.Length > MaxTermLength ? term[..MaxTermLength] : term;
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

/// <summary>Why a search query cannot be run.</summary>
public enum SearchQueryProblem
{
    None,

    /// <summary>Fewer than <see cref="SearchQuery.MinLength"/> letters.</summary>
    TooShort,

    /// <summary>More than <see cref="SearchQuery.MaxLength"/> letters.</summary>
    TooLong,

    /// <summary>Nothing the index knows (only punctuation, or a single Japanese letter alone).</summary>
    NoTerms,
}

/// <summary>
/// A search query as the index is asked it. <see cref="Text"/> is the normalised query that must occur in the normalised
/// text (the exact check). <see cref="Phrase"/> is the run of consecutive terms every matching text contains side by
/// side (for a positional index: FTS5); when <see cref="LastIsPrefix"/> its last term is a single Japanese letter that
/// begins a longer term in the text (第1回 → 回会 in 第1回会議). <see cref="Required"/> are the whole terms every matching
/// text contains (for an index of term sets: PostgreSQL's text[] with GIN). Latin words match whole words.
/// <para>
/// The edges of a query are where a text may go on: a single Japanese letter first in the query may be the second half of
/// a bigram of the text (今回 for 回), so it is left to the exact check; a single letter last is the first half of one.
/// </para>
/// </summary>
public sealed record SearchQuery(string Text, IReadOnlyList<string> Phrase, bool LastIsPrefix, IReadOnlyList<string> Required)
{
    public const int MinLength = 2;
    public const int MaxLength = 100;

    /// <summary>The query to run, or why it cannot run.</summary>
    public static (SearchQuery? Query, SearchQueryProblem Problem) Parse(string? q)
    {
        var trimmed = (q ?? "").Trim();
        var letters = new StringInfo(trimmed).LengthInTextElements;
        if (letters < MinLength)
        {
            return (null, SearchQueryProblem.TooShort);
        }

        if (letters > MaxLength)
        {
            return (null, SearchQueryProblem.TooLong);
        }

        var text = SearchTerms.Normalize(trimmed);
        var tokens = SearchTerms.Tokens(text).ToList();
        if (tokens.Count > 1 && tokens[0].SingleLetter)
        {
            tokens.RemoveAt(0);
        }

        var prefix = tokens.Count > 1 && tokens[^1].SingleLetter;
        var whole = (prefix ? tokens.Take(tokens.Count - 1) : tokens).Where(t => !(t.SingleLetter && tokens.Count == 1)).Select(t => t.Term)
            .Distinct(StringComparer.Ordinal).ToList();
        if (whole.Count == 0)
        {
            return (null, SearchQueryProblem.NoTerms);
        }

        return (new SearchQuery(text, [.. tokens.Select(t => t.Term)], prefix, whole), SearchQueryProblem.None);
    }
}
