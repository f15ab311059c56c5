using Dokodemo.Demo;
using Dokodemo.Talk;

namespace Dokodemo.Tests;

/// <summary>The plain-text path of <see cref="TalkMarkdown.ToHtml"/> gives exactly what Markdig gives.</summary>
public class TalkMarkdownTests
{
    public static TheoryData<string> Edges =>
    [
        "会議は10時からです", "会議は10:00から、場所は3F/大会議室です", "了解です👍", "ありがとうございます！\n承知しました。", "A B C", "50% done?",
        "1. 一番目", "1) 一番目", "- 箇条", "# 見出し", "> 引用", "**強調**", "_下線_", "~~取消~~", "a  b", " 先頭の空白", "末尾の空白 ", "行1\n\n行2",
        "行1\n", "\n行2", "行1 \n行2", "https://www.town.example.jp/info", "www.town.example.jp", "mail@town.example.jp", "<b>太字</b>", "a & b",
        "\"引用符\"", "'単引用符'", "タブ\tあり", "全角　空白", "見出し\n===", "見出し\n---", "| a | b |", "[ ] 未完了", "`コード`", "\\エスケープ",
        "<script>alert(1)</script>", "javascript:alert(1)", "ＡＢＣ＊全角＊", "a\r\nb", "x=1+2", "^上付き^", "!注意", "{波括弧}", "(括弧)", "[角括弧]",
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void ThePlainPath_GivesWhatMarkdigGives(string text) =>
        Assert.Equal(TalkMarkdown.Render(text), TalkMarkdown.ToHtml(text));

    [Fact]
    public void GeneratedMessages_TakeThePlainPathOften_AndAlwaysGiveWhatMarkdigGives()
    {
        var texts = new TalkDemoText(20250401);
        var plain = 0;
        for (var i = 0; i < 3000; i++)
        {
            var m = texts.Message();
            plain += TalkMarkdown.IsPlainText(m) ? 1 : 0;
            Assert.Equal(TalkMarkdown.Render(m), TalkMarkdown.ToHtml(m));
        }

        Assert.InRange(plain, 1000, 3000);
    }

    [Theory]
    [InlineData("**強調**")]
    [InlineData("<b>太字</b>")]
    [InlineData("行1\n\n行2")]
    [InlineData("https://example.jp")]
    [InlineData("a  b")]
    [InlineData("1. 一番目")]
    public void MarkdownAndHtml_AreNeverTakenForPlainText(string text) => Assert.False(TalkMarkdown.IsPlainText(text));
}
