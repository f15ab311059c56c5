using System.Security.Cryptography;
using System.Text;
using Dokodemo.Domain.Audit;

namespace Dokodemo.Domain.Tests;

public sealed class AuditCheckpointTests : IDisposable
{
    private const string Origin = "town.example/audit";
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly string Head = Convert.ToHexStringLower(SHA256.HashData("head"u8));
    private static readonly AuditCheckpoint Checkpoint = new(Origin, 1234, Head, new DateTimeOffset(2026, 4, 1, 0, 0, 0, 123, TimeSpan.Zero));

    private byte[] Spki => key.ExportSubjectPublicKeyInfo();

    public void Dispose()
    {
        key.Dispose();
        other.Dispose();
    }

    [Fact]
    public void TheBody_IsATlogCheckpoint_WithATimeLine()
    {
        var body = AuditCheckpoints.Body(Checkpoint);
        Assert.Equal($"{Origin}\n1234\n{Convert.ToBase64String(Convert.FromHexString(Head))}\ntime 2026-04-01T00:00:00.123Z\n", body);
    }

    [Fact]
    public void ASignedCheckpoint_Verifies_AndReadsBack()
    {
        var note = AuditCheckpoints.Sign(Checkpoint, Origin, key);
        Assert.StartsWith(AuditCheckpoints.Body(Checkpoint) + "\n\u2014 " + Origin + " ", note, StringComparison.Ordinal);
        var check = AuditCheckpoints.Verify(note, Origin, Spki);
        Assert.True(check.Valid, check.Error);
        Assert.Equal(Checkpoint, check.Checkpoint);
    }

    [Fact]
    public void TheSignatureLine_StartsWithTheSignedNoteKeyId()
    {
        var note = AuditCheckpoints.Sign(Checkpoint, Origin, key);
        var raw = Convert.FromBase64String(note.TrimEnd('\n').Split(' ')[^1]);
        Assert.Equal(SHA256.HashData(Spki)[..4], raw[..4]);
        Assert.Equal(AuditCheckpoints.KeyIdHex(Spki), Convert.ToHexStringLower(raw[..4]));
    }

    [Theory]
    [InlineData(2, "(another head)")]
    [InlineData(1, "1235")]
    [InlineData(0, "evil.example/audit")]
    [InlineData(3, "time 2026-04-02T00:00:00.000Z")]
    public void AnAlteredLine_FailsTheSignature(int line, string replacement)
    {
        var note = AuditCheckpoints.Sign(Checkpoint, Origin, key);
        var lines = note.Split('\n');
        lines[line] = line == 2 ? Convert.ToBase64String(SHA256.HashData("other head"u8)) : replacement;
        var check = AuditCheckpoints.Verify(string.Join('\n', lines), Origin, Spki);
        Assert.False(check.Valid);
        Assert.Contains("does not verify", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckpointSignedByAnotherKey_IsRefused()
    {
        var forged = AuditCheckpoints.Sign(Checkpoint, Origin, other);
        var check = AuditCheckpoints.Verify(forged, Origin, Spki);
        Assert.False(check.Valid);
        Assert.Contains("another key", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ASignatureWithOurKeyIdButNotOurKey_FailsRatherThanIsIgnored()
    {
        var note = AuditCheckpoints.Sign(Checkpoint, Origin, key);
        var forged = AuditCheckpoints.Sign(Checkpoint, Origin, other);
        var ourId = AuditCheckpoints.KeyId(Spki);
        var theirSig = Convert.FromBase64String(forged.TrimEnd('\n').Split(' ')[^1])[4..];
        var spliced = note[..note.LastIndexOf(' ')] + " " + Convert.ToBase64String([.. ourId, .. theirSig]) + "\n";
        Assert.False(AuditCheckpoints.Verify(spliced, Origin, Spki).Valid);
    }

    [Fact]
    public void OtherSignatures_AreIgnored_AsSignedNotesRequire()
    {
        var note = AuditCheckpoints.Sign(Checkpoint, Origin, key);
        var witness = AuditCheckpoints.Sign(Checkpoint, "witness.example/w1", other);
        var both = note + witness[witness.LastIndexOf('\u2014')..];
        Assert.True(AuditCheckpoints.Verify(both, Origin, Spki).Valid);
        // The witness's key alone verifies its own signature too.
        Assert.True(AuditCheckpoints.Verify(both, "witness.example/w1", other.ExportSubjectPublicKeyInfo()).Valid);
    }

    [Fact]
    public void ACopyWithWindowsLineEnds_OrATrailingBlankLine_StillVerifies()
    {
        var note = AuditCheckpoints.Sign(Checkpoint, Origin, key);
        Assert.True(AuditCheckpoints.Verify(note.ReplaceLineEndings("\r\n"), Origin, Spki).Valid);
        Assert.True(AuditCheckpoints.Verify(note + "\n", Origin, Spki).Valid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a note")]
    [InlineData("town.example/audit\n12\nAAAA\n\n\u2014 town.example/audit AAAA\n")]
    [InlineData("town.example/audit\n012\nAAAA\n\n\u2014 town.example/audit AAAA\n")]
    [InlineData("town.example/audit\n1\x1b[2J\n\n\u2014 x y\n")]
    public void Garbage_IsRefusedWithAReason(string note)
    {
        var check = AuditCheckpoints.Verify(note, Origin, Spki);
        Assert.False(check.Valid);
        Assert.False(string.IsNullOrEmpty(check.Error));
    }

    [Fact]
    public void APublicKey_IsReadFromPem_AVerifierKey_OrBase64_AndOnlyP256()
    {
        var pem = PemEncoding.WriteString("PUBLIC KEY", Spki);
        Assert.Equal(Spki, AuditCheckpoints.ParsePublicKey("# comment line\n" + pem));
        Assert.Equal(Spki, AuditCheckpoints.ParsePublicKey(AuditCheckpoints.VerifierKey(Origin, Spki)));
        Assert.Equal(Spki, AuditCheckpoints.ParsePublicKey(Convert.ToBase64String(Spki)));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Null(AuditCheckpoints.ParsePublicKey(Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo())));
        Assert.Null(AuditCheckpoints.ParsePublicKey("not a key"));
        Assert.Null(AuditCheckpoints.ParsePublicKey(Convert.ToBase64String(Encoding.UTF8.GetBytes("still not a key"))));
    }

    [Fact]
    public void ABadOriginOrKeyName_CannotBeSigned()
    {
        Assert.Throws<ArgumentException>(() => AuditCheckpoints.Sign(Checkpoint with { Origin = "two words" }, Origin, key));
        Assert.Throws<ArgumentException>(() => AuditCheckpoints.Sign(Checkpoint, "a+b", key));
        Assert.Throws<ArgumentException>(() => AuditCheckpoints.Sign(Checkpoint with { Origin = "line\nbreak" }, Origin, key));
    }
}
