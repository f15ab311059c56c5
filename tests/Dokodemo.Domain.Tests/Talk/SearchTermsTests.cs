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
}
