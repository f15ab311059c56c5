using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dokodemo.Domain.Audit;

namespace Dokodemo.Domain.Tests;

/// <summary>The auditors' export, verified with no server: what it proves, what it does not, and that edits are caught.</summary>
public sealed class AuditExportTests : IDisposable
{
    private const string Origin = "town.example/audit";
    private static readonly DateTimeOffset Day1 = new(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(9));
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => key.Dispose();

    /// <summary>Entries one hour apart: entry n is dated Day1 + (n − 5) hours, so Day1's first eight hours hold entries 5–12.</summary>
    private static List<AuditRecord> Log(int n = 20)
    {
        var list = new List<AuditRecord>();
        var prev = AuditChain.Genesis;
        for (var i = 1; i <= n; i++)
        {
            var at = Day1.AddHours(i - 5).ToUnixTimeMilliseconds();
            var r = new AuditRecord(i, at, i % 3 == 0 ? "auth.password" : "auth.signin", "u" + i, null, i % 3 == 0 ? "failure" : "success", "192.0.2.1",
                $"{{\"n\":\"{i}\"}}", prev, "", Decision: i == 7 ? "deny" : null, PolicyVersion: i == 7 ? 2 : null);
            r = r with { Hash = AuditChain.HashOf(r) };
            list.Add(r);
            prev = r.Hash;
        }

        return list;
    }

    /// <summary>A bundle as the exporter makes it: range [from, to), the entry before, entries after up to the checkpoint.</summary>
    private AuditExportBundle Bundle(List<AuditRecord> log, DateTimeOffset from, DateTimeOffset to, long checkpointSize, DateTimeOffset? signedAt = null)
    {
        var first = log.FirstOrDefault(e => e.AtUnixMs >= from.ToUnixTimeMilliseconds())?.Sequence ?? log.Count + 1;
        var last = log.LastOrDefault(e => e.AtUnixMs < to.ToUnixTimeMilliseconds())?.Sequence ?? 0;
        if (last < first)
        {
            last = first - 1;
        }

        var head = checkpointSize == 0 ? AuditChain.Genesis : log[(int)checkpointSize - 1].Hash;
        var note = AuditCheckpoints.Sign(new AuditCheckpoint(Origin, checkpointSize, head, signedAt ?? DateTimeOffset.FromUnixTimeMilliseconds(log[^1].AtUnixMs)), Origin, key);
        var before = first > 1 ? AuditExportEntry.From(log[(int)first - 2]) : null;
        return new AuditExportBundle(AuditExports.Format, Origin, from, to, Day1.AddDays(30), before?.Hash ?? AuditChain.Genesis, before,
            log.Where(e => e.Sequence >= first && e.Sequence <= last).Select(AuditExportEntry.From).ToList(),
            log.Where(e => e.Sequence > last && e.Sequence <= checkpointSize).Select(AuditExportEntry.From).ToList(),
            note, Origin, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    private AuditExportBundle Day1Bundle(List<AuditRecord>? log = null) => Bundle(log ?? Log(), Day1, Day1.AddHours(8), 15);

    [Fact]
    public void AnHonestExport_Verifies_AndSaysWhatItProves()
    {
        var b = Day1Bundle();
        Assert.Equal(8, b.Entries.Count);
        Assert.Equal(5, b.Entries[0].Sequence);
        Assert.Equal(4, b.Before!.Sequence);
        Assert.Equal([13L, 14, 15], b.After.Select(e => e.Sequence));
        var report = AuditExports.Verify(b);
        Assert.True(report.Valid, string.Join("\n", report.Failures));
        Assert.Contains(report.Proven, p => p.Contains("Entries 5–12 (8) of the range are exactly as written", StringComparison.Ordinal));
        Assert.Contains(report.Proven, p => p.Contains("starts right after entry 4", StringComparison.Ordinal));
        Assert.Contains(report.Proven, p => p.Contains("ends right before entry 13", StringComparison.Ordinal));
        Assert.Contains(report.NotProven, p => p.Contains("That the key is the town's", StringComparison.Ordinal));
        Assert.Null(report.BrokenSequence);
        Assert.Equal(15, report.Checkpoint!.Size);
    }

    [Fact]
    public void ItSurvivesTheFile_AndAnEditInTheFileIsNamed()
    {
        var json = AuditExports.Serialize(Day1Bundle());
        var (parsed, error) = AuditExports.Parse(json);
        Assert.Null(error);
        Assert.True(AuditExports.Verify(parsed!).Valid);

        var node = JsonNode.Parse(json)!;
        node["entries"]![2]!["outcome"] = "failure";
        var edited = AuditExports.Verify(AuditExports.Parse(node.ToJsonString())!.Bundle!);
        Assert.False(edited.Valid);
        Assert.Equal(7, edited.BrokenSequence);
        Assert.Contains(edited.Failures, f => f.Contains("Entry 7 was changed", StringComparison.Ordinal));
    }

    [Fact]
    public void ADroppedEntry_IsNamed()
    {
        var b = Day1Bundle();
        var report = AuditExports.Verify(b with { Entries = b.Entries.Where(e => e.Sequence != 9).ToList() });
        Assert.False(report.Valid);
        Assert.Equal(9, report.BrokenSequence);
    }

    [Fact]
    public void EntriesLeftOutAtEitherEdge_AreCaught()
    {
        var b = Day1Bundle();
        // The last two entries of the range moved to "after": the first "after" is dated inside the range.
        var cutEnd = b with { Entries = b.Entries.Take(6).ToList(), After = b.Entries.Skip(6).Concat(b.After).ToList() };
        Assert.Contains(AuditExports.Verify(cutEnd).Failures, f => f.Contains("after the range, is dated inside it", StringComparison.Ordinal));

        // The first entry of the range passed off as "the entry before".
        var cutStart = b with { Before = b.Entries[0], PreviousHash = b.Entries[0].Hash, Entries = b.Entries.Skip(1).ToList() };
        Assert.Contains(AuditExports.Verify(cutStart).Failures, f => f.Contains("before the range (5) is dated inside it", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutTheEntryBefore_TheStartIsStatedAsNotProven()
    {
        var b = Day1Bundle();
        var report = AuditExports.Verify(b with { Before = null });
        Assert.True(report.Valid);
        Assert.Contains(report.NotProven, p => p.Contains("Whether entries before 5", StringComparison.Ordinal));
    }

    [Fact]
    public void EntriesThatDoNotReachTheCheckpoint_CannotBeTiedToIt()
    {
        var b = Day1Bundle();
        var report = AuditExports.Verify(b with { After = b.After.Take(1).ToList() });
        Assert.False(report.Valid);
        Assert.Contains(report.Failures, f => f.Contains("cannot be tied to it", StringComparison.Ordinal));
    }

    [Fact]
    public void ARewrittenLogWithRecomputedHashes_DoesNotMatchTheSignedCheckpoint()
    {
        var log = Log();
        var honest = Day1Bundle(log);
        var prev = log[3].Hash;
        var rewritten = new List<AuditRecord>(log.Take(4));
        foreach (var r in log.Skip(4))
        {
            var x = r with { PreviousHash = prev, ActorId = r.Sequence == 6 ? "someone-else" : r.ActorId };
            x = x with { Hash = AuditChain.HashOf(x) };
            rewritten.Add(x);
            prev = x.Hash;
        }

        var forged = Day1Bundle(rewritten) with { Checkpoint = honest.Checkpoint };
        var report = AuditExports.Verify(forged);
        Assert.False(report.Valid);
        Assert.Equal(15, report.BrokenSequence);
        Assert.Contains(report.Failures, f => f.Contains("differs from the checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void TheKey_CanBePinned_AndAnotherKeyFails()
    {
        var b = Day1Bundle();
        var pinned = AuditExports.Verify(b, key.ExportSubjectPublicKeyInfo());
        Assert.True(pinned.Valid);
        Assert.Contains(pinned.Proven, p => p.Contains("signed by the key you gave", StringComparison.Ordinal));

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(AuditExports.Verify(b, stranger.ExportSubjectPublicKeyInfo()).Valid);

        // A bundle whose checkpoint and key were both replaced by someone else's verifies on its own terms, but not against the pinned key.
        var cp = AuditCheckpoints.ParseBody(b.Checkpoint!.Split("\n\n")[0] + "\n").Checkpoint!;
        var resigned = b with { Checkpoint = AuditCheckpoints.Sign(cp, Origin, stranger), PublicKey = Convert.ToBase64String(stranger.ExportSubjectPublicKeyInfo()) };
        Assert.True(AuditExports.Verify(resigned).Valid);
        Assert.False(AuditExports.Verify(resigned, key.ExportSubjectPublicKeyInfo()).Valid);
    }

    [Fact]
    public void ACheckpointByAnotherKey_OrAnAlteredCheckpoint_Fails()
    {
        var b = Day1Bundle();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cp = AuditCheckpoints.ParseBody(b.Checkpoint!.Split("\n\n")[0] + "\n").Checkpoint!;
        Assert.Contains(AuditExports.Verify(b with { Checkpoint = AuditCheckpoints.Sign(cp, Origin, stranger) }).Failures,
            f => f.Contains("another key", StringComparison.Ordinal));
        var lines = b.Checkpoint.Split('\n');
        lines[1] = "14";
        Assert.Contains(AuditExports.Verify(b with { Checkpoint = string.Join('\n', lines) }).Failures,
            f => f.Contains("does not verify", StringComparison.Ordinal));
        Assert.False(AuditExports.Verify(b with { Checkpoint = null }).Valid);
    }

    [Fact]
    public void AnEmptyRange_IsProvenEmpty()
    {
        var log = Log();
        // Between entries 6 (Day1 01:00) and 7 (02:00).
        var b = Bundle(log, Day1.AddHours(1).AddMinutes(10), Day1.AddHours(1).AddMinutes(50), 8);
        Assert.Empty(b.Entries);
        var report = AuditExports.Verify(b);
        Assert.True(report.Valid, string.Join("\n", report.Failures));
        Assert.Contains(report.Proven, p => p.Contains("starts right after entry 6", StringComparison.Ordinal));
        Assert.Contains(report.Proven, p => p.Contains("ends right before entry 7", StringComparison.Ordinal));
    }

    [Fact]
    public void ARangeUpToTheHead_SaysWhetherLaterEntriesCouldBelongToIt()
    {
        var log = Log();
        var open = Bundle(log, Day1.AddHours(10), Day1.AddDays(2), 20, signedAt: Day1.AddHours(16));
        Assert.Empty(open.After);
        var report = AuditExports.Verify(open);
        Assert.True(report.Valid);
        Assert.Contains(report.NotProven, p => p.Contains("written after the checkpoint", StringComparison.Ordinal));

        var closed = Bundle(log, Day1.AddHours(10), Day1.AddHours(16), 20, signedAt: Day1.AddHours(17));
        Assert.Contains(AuditExports.Verify(closed).Proven, p => p.Contains("no later entry when the checkpoint was signed", StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmptyLog_IsProvenEmpty()
    {
        var b = Bundle([], Day1, Day1.AddDays(1), 0, signedAt: Day1.AddDays(2));
        var report = AuditExports.Verify(b);
        Assert.True(report.Valid, string.Join("\n", report.Failures));
        Assert.Contains(report.Proven, p => p.Contains("log was empty", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"format\":\"something-else/v1\",\"entries\":[],\"after\":[],\"previousHash\":\"x\",\"keyName\":\"k\",\"publicKey\":\"p\"}")]
    [InlineData("{\"format\":\"dokodemo-audit-export/v1\"}")]
    public void NotAnExport_IsRefusedWithAReason(string json)
    {
        var (bundle, error) = AuditExports.Parse(json);
        Assert.Null(bundle);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
