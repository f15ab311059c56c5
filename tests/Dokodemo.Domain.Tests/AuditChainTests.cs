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

    [Fact]
    public void AnEntryWithoutTheLaterFields_HashesAsBeforeTheyExisted()
    {
        // Computed with the nine-field canonical form of the first version of the log: entries written then still verify.
        var r = new AuditRecord(1, 1_767_225_600_001, "auth.signin", "u1", null, "success", "127.0.0.1", "{\"n\":1}", AuditChain.Genesis, "");
        Assert.Equal("df4782ef7f2c0e64927d3ea082fac94d7e4e32881a6a24bd34023c4f40f5a6ad", AuditChain.HashOf(r));
    }

    [Fact]
    public void EachLaterField_IsCoveredByTheHash()
    {
        var plain = Chain(1)[0];
        var variants = new[]
        {
            plain with { DeviceId = "dev-1" },
            plain with { NetworkZone = "town" },
            plain with { Country = "JP" },
            plain with { Decision = "deny" },
            plain with { PolicyVersion = 3 },
            plain with { PolicyVersion = 4 },
            plain with { Decision = "deny", PolicyVersion = 3, Country = "JP", NetworkZone = "internet", DeviceId = "dev-1" },
        };
        var hashes = variants.Select(AuditChain.HashOf).Append(AuditChain.HashOf(plain)).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ALaterFieldCannotPassForAnother()
    {
        var plain = Chain(1)[0];
        Assert.NotEqual(AuditChain.HashOf(plain with { DeviceId = "town" }), AuditChain.HashOf(plain with { NetworkZone = "town" }));
        Assert.NotEqual(AuditChain.HashOf(plain with { Details = "{}", DeviceId = "x" }), AuditChain.HashOf(plain with { Details = "{}6:device;1:x;" }));
    }

    [Fact]
    public void AnEditedDecision_IsNamed()
    {
        var c = Chain(6);
        var prev = c[2].Hash;
        var withDecision = c[3] with { PreviousHash = prev, Decision = "deny", PolicyVersion = 2 };
        c[3] = withDecision with { Hash = AuditChain.HashOf(withDecision) };
        for (var i = 4; i < c.Count; i++)
        {
            var x = c[i] with { PreviousHash = c[i - 1].Hash };
            c[i] = x with { Hash = AuditChain.HashOf(x) };
        }

        Assert.Null(AuditChain.Verify(c));
        c[3] = c[3] with { Decision = "allow" };
        Assert.Equal(4, AuditChain.Verify(c)!.Sequence);
    }

    [Fact]
    public void TheChain_MustPassThroughEveryCheckpoint()
    {
        var c = Chain(10);
        Assert.Null(AuditChain.VerifyThrough(c, [(3, c[2].Hash), (7, c[6].Hash), (10, c[9].Hash)]));
        var b = AuditChain.VerifyThrough(c, [(3, c[2].Hash), (7, new string('a', 64))])!;
        Assert.Equal(7, b.Sequence);
        Assert.Contains("checkpoint", b.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheIncrementalVerifier_StartsInTheMiddleFromAKnownPreviousHash()
    {
        var c = Chain(10);
        var v = new AuditChainVerifier(startSequence: 5, previousHash: c[3].Hash);
        foreach (var e in c.Skip(4))
        {
            Assert.Null(v.Add(e));
        }

        Assert.Null(v.Finish());
        Assert.Equal(6, v.Count);
        Assert.Equal(10, v.Last!.Sequence);
        var wrongStart = new AuditChainVerifier(startSequence: 5, previousHash: AuditChain.Genesis);
        Assert.Equal(5, wrongStart.Add(c[4])!.Sequence);
    }
}
