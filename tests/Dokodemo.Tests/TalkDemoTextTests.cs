using Dokodemo.Demo;
using Dokodemo.Domain.Talk;

namespace Dokodemo.Tests;

/// <summary>The generator of Japanese town-hall messages (demo town and the Talk benchmarks).</summary>
public class TalkDemoTextTests
{
    [Fact]
    public void SameSeed_SameMessages_OtherSeed_OtherMessages()
    {
        var a = new TalkDemoText(7);
        var b = new TalkDemoText(7);
        var c = new TalkDemoText(8);
        var first = Enumerable.Range(0, 200).Select(_ => a.Message()).ToList();
        Assert.Equal(first, Enumerable.Range(0, 200).Select(_ => b.Message()));
        Assert.NotEqual(first, Enumerable.Range(0, 200).Select(_ => c.Message()));
    }

    [Fact]
    public void TwoLetterWords_AreFoundInARealisticShare_OfMessages()
    {
        var g = new TalkDemoText(20250401);
        var messages = Enumerable.Range(0, 10_000).Select(_ => g.Message()).ToList();
        foreach (var word in new[] { "会議", "申請" })
        {
            var share = messages.Count(m => SearchTerms.Of(m).Contains(word)) / (double)messages.Count;
            Assert.InRange(share, 0.01, 0.20);
        }

        Assert.True(messages.Distinct().Count() > 5_000, "too few distinct messages");
        Assert.All(messages, m => Assert.DoesNotContain('<', m));
        Assert.All(messages, m => Assert.InRange(m.Length, 1, 400));
    }
}
