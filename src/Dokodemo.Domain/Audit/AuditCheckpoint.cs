using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dokodemo.Domain.Audit;

/// <summary>
/// A signed statement "the audit log of <paramref name="Origin"/> had <paramref name="Size"/> entries, the last one
/// hashing to <paramref name="HeadHash"/>, at <paramref name="Time"/>" (R45). Kept off the server, it catches a cut-off
/// tail or a rewritten log, even one whose hashes were all recomputed.
/// </summary>
public sealed record AuditCheckpoint(string Origin, long Size, string HeadHash, DateTimeOffset Time);

/// <summary>What checking a signed checkpoint found: the checkpoint, or why it cannot be trusted.</summary>
public sealed record CheckpointCheck(AuditCheckpoint? Checkpoint, string? Error)
{
    public bool Valid => Checkpoint is not null && Error is null;
}

/// <summary>
/// Checkpoints as C2SP signed notes (c2sp.org/tlog-checkpoint, c2sp.org/signed-note), signed with ECDSA P-256:
/// <code>
/// town.example/audit
/// 1234
/// base64(head hash)
/// time 2026-04-01T09:00:00.000Z
///
/// — town.example/audit base64(key id ‖ DER ECDSA-SHA256 signature)
/// </code>
/// Differences from tlog-checkpoint: line 3 is the head of a hash chain, not an RFC 6962 Merkle root, and line 4 is
/// an extension line with the signing time. The key id is signed-note signature type 0x02 (ECDSA): the first four bytes
/// of SHA-256 over the public key in SubjectPublicKeyInfo DER form.
/// </summary>
public static class AuditCheckpoints
{
    /// <summary>The em dash that starts a signature line.</summary>
    private const string SignaturePrefix = "\u2014 ";

    /// <summary>The note text (body) that is signed. Ends with a newline.</summary>
    public static string Body(AuditCheckpoint c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!IsValidName(c.Origin))
        {
            throw new ArgumentException("The origin must be non-empty, without spaces, '+' or control characters.", nameof(c));
        }

        var hash = Convert.FromHexString(c.HeadHash);
        return string.Create(CultureInfo.InvariantCulture,
            $"{c.Origin}\n{c.Size}\n{Convert.ToBase64String(hash)}\ntime {c.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\n");
    }

    /// <summary>Signs the checkpoint; returns the whole signed note.</summary>
    public static string Sign(AuditCheckpoint c, string keyName, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsValidName(keyName))
        {
            throw new ArgumentException("A key name must be non-empty, without spaces, '+' or control characters.", nameof(keyName));
        }

        var body = Body(c);
        var signature = key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var keyId = KeyId(key.ExportSubjectPublicKeyInfo());
        return $"{body}\n{SignaturePrefix}{keyName} {Convert.ToBase64String([.. keyId, .. signature])}\n";
    }

    /// <summary>The signed-note key id: the first four bytes of SHA-256 over the public key (SPKI DER).</summary>
    public static byte[] KeyId(byte[] subjectPublicKeyInfo) => SHA256.HashData(subjectPublicKeyInfo)[..4];

    public static string KeyIdHex(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(KeyId(subjectPublicKeyInfo));

    /// <summary>What a person compares when told "this is the town's audit key": SHA-256 of the public key, hex.</summary>
    public static string Fingerprint(byte[] subjectPublicKeyInfo) =>
        "SHA256:" + Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>A one-line verifier key in the style of signed notes: name+keyid+base64(0x02 ‖ SPKI).</summary>
    public static string VerifierKey(string keyName, byte[] subjectPublicKeyInfo) =>
        $"{keyName}+{KeyIdHex(subjectPublicKeyInfo)}+{Convert.ToBase64String([0x02, .. subjectPublicKeyInfo])}";

    /// <summary>The public key from PEM ("-----BEGIN PUBLIC KEY-----"), a verifier key line, or bare base64 SPKI.</summary>
    public static byte[]? ParsePublicKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        try
        {
            byte[] spki;
            if (t.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
            {
                // The PEM block may come with comment lines around it (as 'audit public-key' prints them).
                var start = t.IndexOf("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal);
                var fields = PemEncoding.Find(t.AsSpan(start));
                spki = Convert.FromBase64String(t.AsSpan(start)[fields.Base64Data].ToString());
            }
            else if (IsBase64(t))
            {
                spki = Convert.FromBase64String(t);
            }
            else if (t.Split('+', 3) is [_, { Length: 8 }, var b64] && IsBase64(b64) && Convert.FromBase64String(b64) is [0x02, .. var rest])
            {
                spki = rest;
            }
            else
            {
                return null;
            }

            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out _);
            return key.KeySize == 256 ? key.ExportSubjectPublicKeyInfo() : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Parses a signed checkpoint and checks its signature by the given key (name and public key). Signatures by
    /// other keys (witnesses, an older key) are ignored, as signed notes require; at least one by this key must verify.
    /// </summary>
    public static CheckpointCheck Verify(string note, string keyName, byte[] subjectPublicKeyInfo)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(subjectPublicKeyInfo);
        // Files copied through other systems may have gained CRLFs or a trailing blank line; the signed text has neither.
        var text = note.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
        if (text.Any(ch => ch < ' ' && ch != '\n'))
        {
            return new(null, "the checkpoint contains control characters");
        }

        var split = text.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !text.EndsWith('\n'))
        {
            return new(null, "not a signed note (no blank line before the signatures)");
        }

        var body = text[..(split + 1)];
        var signatureLines = text[(split + 2)..].TrimEnd('\n').Split('\n');
        var parsed = ParseBody(body);
        if (parsed.Error is not null)
        {
            return parsed;
        }

        var keyId = KeyId(subjectPublicKeyInfo);
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        }
        catch (CryptographicException)
        {
            return new(null, "the public key is not an ECDSA key");
        }

        var sawOurs = false;
        foreach (var line in signatureLines)
        {
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal) || line[SignaturePrefix.Length..].Split(' ') is not [var name, var b64])
            {
                return new(null, "a signature line is malformed");
            }

            byte[] raw;
            try
            {
                raw = Convert.FromBase64String(b64);
            }
            catch (FormatException)
            {
                return new(null, "a signature is not base64");
            }

            if (raw.Length < 5 || name != keyName || !raw.AsSpan(0, 4).SequenceEqual(keyId))
            {
                continue;
            }

            sawOurs = true;
            if (!key.VerifyData(Encoding.UTF8.GetBytes(body), raw.AsSpan(4), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            {
                return new(null, "the signature does not verify: the checkpoint was altered or not signed by this key");
            }
        }

        return sawOurs ? parsed : new(null, $"no signature by the key {keyName} ({Convert.ToHexStringLower(keyId)}): signed by another key");
    }

    /// <summary>Reads the body of a checkpoint without checking any signature.</summary>
    public static CheckpointCheck ParseBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var lines = body.TrimEnd('\n').Split('\n');
        if (lines.Length < 3 || !IsValidName(lines[0]))
        {
            return new(null, "the checkpoint must start with an origin, a size and a hash");
        }

        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
        {
            return new(null, "the checkpoint's size is not a number");
        }

        byte[] hash;
        try
        {
            hash = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            return new(null, "the checkpoint's hash is not base64");
        }

        if (hash.Length != 32)
        {
            return new(null, "the checkpoint's hash is not 32 bytes");
        }

        var time = DateTimeOffset.MinValue;
        foreach (var ext in lines.Skip(3))
        {
            if (ext.StartsWith("time ", StringComparison.Ordinal)
                && DateTimeOffset.TryParse(ext[5..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            {
                time = t;
            }
        }

        return time == DateTimeOffset.MinValue
            ? new(null, "the checkpoint has no time line")
            : new(new AuditCheckpoint(lines[0], size, Convert.ToHexStringLower(hash), time), null);
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    private static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(ch => ch > ' ' && ch != '+' && !char.IsWhiteSpace(ch) && !char.IsControl(ch));
}
