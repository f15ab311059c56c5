using Dokodemo.Domain.Audit;

namespace Dokodemo.Domain.Tests;

public class AuditChainTests
{
    private static List<AuditRecord> Chain(int n)
    {
        var list = new List<AuditRecord>();
        var prev = AuditChain.Genesis;
        for (var i = 1; i <= n; i++)
        {
            var r = new AuditRecord(i, 1_767_225_600_000 + i, "auth.signin", "u" + i, null, "success", "127.0.0.1", $"{{\"n\":{i}}}", prev, "");
            r = r with { Hash = AuditChain.HashOf(r) };
            list.Add(r);
            prev = r.Hash;
        }

        return list;
    }

    [Fact]
    public void AWholeChain_Verifies() => Assert.Null(AuditChain.Verify(Chain(10)));

    [Fact]
    public void AnEditedEntry_IsNamed()
    {
        var c = Chain(10);
        c[4] = c[4] with { Outcome = "failure" };
        Assert.Equal(5, AuditChain.Verify(c)!.Sequence);
    }

    [Fact]
    public void AnEditedEntryWithItsHashRecomputed_BreaksTheNextOne()
    {
        var c = Chain(10);
        c[4] = c[4] with { ActorId = "someone-else" };
        c[4] = c[4] with { Hash = AuditChain.HashOf(c[4]) };
        Assert.Equal(6, AuditChain.Verify(c)!.Sequence);
    }

    [Fact]
    public void ADeletedEntry_IsNamed()
    {
        var c = Chain(10);
        c.RemoveAt(6);
        var b = AuditChain.Verify(c)!;
        Assert.Equal(7, b.Sequence);
        Assert.Contains("missing", b.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SwappedEntries_AreNamed()
    {
        var c = Chain(10);
        (c[2], c[3]) = (c[3], c[2]);
        Assert.Equal(3, AuditChain.Verify(c)!.Sequence);
    }

    [Fact]
    public void ATruncatedTail_IsCaughtAgainstACheckpoint()
    {
        var c = Chain(10);
        var head = (c[9].Sequence, c[9].Hash);
        Assert.Null(AuditChain.Verify(c.Take(7), null));
        Assert.Equal(8, AuditChain.Verify(c.Take(7), head)!.Sequence);
        // A log that grew after the checkpoint is fine.
        Assert.Null(AuditChain.Verify(c, (c[6].Sequence, c[6].Hash)));
    }

    [Fact]
    public void AWholeChainRewrite_IsCaughtAgainstACheckpoint()
    {
        var c = Chain(10);
        var head = (c[9].Sequence, c[9].Hash);
        var prev = AuditChain.Genesis;
        var rewritten = new List<AuditRecord>();
        foreach (var r in c)
        {
            var x = r with { PreviousHash = prev, Details = r.Sequence == 3 ? "{}" : r.Details };
            x = x with { Hash = AuditChain.HashOf(x) };
            rewritten.Add(x);
            prev = x.Hash;
        }

        Assert.Null(AuditChain.Verify(rewritten));
        Assert.Equal(10, AuditChain.Verify(rewritten, head)!.Sequence);
    }

    [Fact]
    public void FieldBoundaries_CannotBeShifted()
    {
        var a = AuditChain.HashOf(AuditChain.Genesis, 1, 1, "ab", "c", null, "s", "", "");
        var b = AuditChain.HashOf(AuditChain.Genesis, 1, 1, "a", "bc", null, "s", "", "");
        Assert.NotEqual(a, b);
    }
}
