using Dokodemo.Domain.Talk;

namespace Dokodemo.Domain.Tests.Talk;

public class SearchTermsTests
{
    [Fact]
    public void AJapaneseRun_IsItsBigrams()
    {
        Assert.Equal(["会議", "議室"], SearchTerms.Of("会議室"));
        Assert.Equal(["明日", "日の", "の会", "会議", "議は", "10", "時か", "から"], SearchTerms.Of("明日の会議は10時から"));
    }

    [Fact]
    public void TwoLetterWords_AreOneTerm_SoTheyCanBeFound()
    {
        Assert.Contains("会議", SearchTerms.Of("定例会議の議事録"));
        Assert.Contains("申請", SearchTerms.Of("テレワーク申請を出しました"));
        Assert.Equal(["会議"], SearchTerms.Of("会議"));
    }

    [Fact]
    public void ALoneJapaneseLetter_IsItsOwnTerm()
    {
        Assert.Equal(["件", "確認"], SearchTerms.Of("件 確認"));
    }

    [Fact]
    public void LatinWordsAndNumbers_AreWholeWords_LowerCased()
    {
        Assert.Equal(["zoom", "url", "送り", "りま", "ます"], SearchTerms.Of("Zoom URL送ります"));
        Assert.Equal(["dx", "推進"], SearchTerms.Of("DX推進"));
    }

    [Fact]
    public void FullWidthAndHalfWidthForms_AreNormalised()
    {
        Assert.Equal(SearchTerms.Of("DX 2026"), SearchTerms.Of("ＤＸ　２０２６"));
        Assert.Equal(SearchTerms.Of("テレワーク"), SearchTerms.Of("ﾃﾚﾜｰｸ"));
        Assert.Equal("dx 推進 会議", SearchTerms.Normalize("  ＤＸ　推進\n\t会議 "));
    }

    [Fact]
    public void PunctuationAndNakaguro_SeparateWords()
    {
        Assert.Equal(["総務", "財政"], SearchTerms.Of("総務・財政"));
        Assert.Equal(["了解", "です"], SearchTerms.Of("「了解」です。"));
        Assert.Empty(SearchTerms.Of("！？ ・、。"));
        Assert.Empty(SearchTerms.Of(null));
    }

    [Fact]
    public void TermsAreDistinct_AndLongOnesAreCut()
    {
        Assert.Equal(["会議", "議会"], SearchTerms.Of("会議会議"));
        Assert.Equal(SearchTerms.MaxTermLength, SearchTerms.Of(new string('a', 100)).Single().Length);
        Assert.Equal("会議 議室", SearchTerms.Joined("会議室"));
    }

    [Fact]
    public void RareKanjiOutsideTheBasicPlane_AreLetters()
    {
        Assert.Equal(["𠮷田", "田さ", "さん"], SearchTerms.Of("𠮷田さん"));
    }

    [Fact]
    public void Sequence_KeepsRepeatsInOrder_SoTheTermsOfASubstringStandSideBySide()
    {
        Assert.Equal(["会議", "議会", "会議", "議室"], SearchTerms.Sequence("会議会議室"));
        Assert.Equal(["会議", "議室"], SearchTerms.Of("会議会議室").Where(t => t != "議会"));
    }

    [Fact]
    public void AQuery_IsAPhraseRequiredTermsAndTheNormalisedText_OrWhyItCannotRun()
    {
        var (q, problem) = SearchQuery.Parse(" ＡＢＣ案 ");
        Assert.Equal(SearchQueryProblem.None, problem);
        Assert.Equal("abc案", q!.Text);
        Assert.Equal(["abc", "案"], q.Phrase);
        Assert.True(q.LastIsPrefix); // 案 begins a bigram of the text (案で)
        Assert.Equal(["abc"], q.Required);

        (q, _) = SearchQuery.Parse("回1");
        Assert.Equal(["1"], q!.Phrase); // a single letter first may end a bigram of the text (今回1): left to the exact check
        Assert.False(q.LastIsPrefix);

        Assert.Equal(SearchQueryProblem.TooShort, SearchQuery.Parse("会").Problem);
        Assert.Equal(SearchQueryProblem.TooShort, SearchQuery.Parse(null).Problem);
        Assert.Equal(SearchQueryProblem.TooLong, SearchQuery.Parse(new string('会', 101)).Problem);
        Assert.Equal(SearchQueryProblem.NoTerms, SearchQuery.Parse("！？").Problem);
        Assert.Equal(SearchQueryProblem.NoTerms, SearchQuery.Parse("会。").Problem);
        Assert.Equal(SearchQueryProblem.None, SearchQuery.Parse("会議").Problem);
    }
}
