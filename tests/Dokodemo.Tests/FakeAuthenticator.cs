using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dokodemo.Tests;

/// <summary>
/// A browser-free WebAuthn authenticator (the way Bitwarden's FakeWebAuthnAuthenticator tests its server): one
/// ES256 key pair, attestation "none", and knobs to forge what a real authenticator never would, so the server's
/// checks can be proven one by one.
/// </summary>
public sealed class FakeAuthenticator : IDisposable
{
    private const byte UserPresent = 0x01;
    private const byte UserVerified = 0x04;
    private const byte BackupEligible = 0x08;
    private const byte BackedUp = 0x10;
    private const byte AttestedData = 0x40;

    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(32);
    public Guid Aaguid { get; } = Guid.NewGuid();

    /// <summary>The user handle the server gave at registration (its user id, UTF-8).</summary>
    public byte[]? UserHandle { get; private set; }

    /// <summary>0 like most platform passkeys (so the counter alone never catches a replay); set it to count.</summary>
    public uint Counter { get; set; }

    public string CredentialIdBase64Url => Base64Url.EncodeToString(CredentialId);

    public sealed record Tweaks
    {
        public bool UserVerified { get; init; } = true;
        public string Origin { get; init; } = "http://localhost";
        public string RpId { get; init; } = "localhost";
        public bool BogusSignature { get; init; }
        public string? Challenge { get; init; }
    }

    /// <summary>The response to navigator.credentials.create(options), as the browser's toJSON() gives it.</summary>
    public JsonObject Register(JsonElement options, Tweaks? tweaks = null)
    {
        tweaks ??= new Tweaks();
        UserHandle = Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString());
        var clientData = ClientData("webauthn.create", tweaks.Challenge ?? options.GetProperty("challenge").GetString()!, tweaks.Origin);

        var q = key.ExportParameters(false).Q;
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1); cose.WriteInt32(2);      // kty: EC2
        cose.WriteInt32(3); cose.WriteInt32(-7);     // alg: ES256
        cose.WriteInt32(-1); cose.WriteInt32(1);     // crv: P-256
        cose.WriteInt32(-2); cose.WriteByteString(q.X!);
        cose.WriteInt32(-3); cose.WriteByteString(q.Y!);
        cose.WriteEndMap();

        var aaguid = Aaguid.ToByteArray(bigEndian: true);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)CredentialId.Length);
        byte[] authData = [.. AuthData(tweaks, AttestedData), .. aaguid, .. length, .. CredentialId, .. cose.Encode()];

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt"); attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt"); attestation.WriteStartMap(0); attestation.WriteEndMap();
        attestation.WriteTextString("authData"); attestation.WriteByteString(authData);
        attestation.WriteEndMap();

        return new JsonObject
        {
            ["id"] = CredentialIdBase64Url,
            ["rawId"] = CredentialIdBase64Url,
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["clientExtensionResults"] = new JsonObject(),
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
                ["attestationObject"] = Base64Url.EncodeToString(attestation.Encode()),
                ["transports"] = new JsonArray("internal"),
            },
        };
    }

    /// <summary>The response to navigator.credentials.get(options).</summary>
    public JsonObject Assert(JsonElement options, Tweaks? tweaks = null)
    {
        tweaks ??= new Tweaks();
        var clientData = ClientData("webauthn.get", tweaks.Challenge ?? options.GetProperty("challenge").GetString()!, tweaks.Origin);
        var authData = AuthData(tweaks, 0);
        // Signature over authenticatorData ‖ SHA-256(clientDataJSON); a forged one signs something else (still valid DER).
        var signed = tweaks.BogusSignature ? SHA256.HashData(Encoding.UTF8.GetBytes("something else")) : SHA256.HashData(clientData);
        var signature = key.SignData([.. authData, .. signed], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new JsonObject
        {
            ["id"] = CredentialIdBase64Url,
            ["rawId"] = CredentialIdBase64Url,
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["clientExtensionResults"] = new JsonObject(),
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
                ["authenticatorData"] = Base64Url.EncodeToString(authData),
                ["signature"] = Base64Url.EncodeToString(signature),
                ["userHandle"] = UserHandle is null ? null : Base64Url.EncodeToString(UserHandle),
            },
        };
    }

    private byte[] AuthData(Tweaks tweaks, byte extra)
    {
        var flags = (byte)(UserPresent | BackupEligible | BackedUp | extra | (tweaks.UserVerified ? UserVerified : 0));
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, Counter);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(tweaks.RpId)), flags, .. counter];
    }

    private static byte[] ClientData(string type, string challenge, string origin) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["type"] = type, ["challenge"] = challenge, ["origin"] = origin, ["crossOrigin"] = false });

    public void Dispose() => key.Dispose();
}
