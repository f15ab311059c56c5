using System.Security.Cryptography;
using System.Text;

namespace Dokodemo.Domain.Accounts;

public enum TotpAlgorithm
{
    Sha1 = 0,
    Sha256 = 1,
    Sha512 = 2,
}

/// <summary>
/// Time-based one-time passwords (RFC 6238 over RFC 4226). Pure: the caller passes the time step.
/// Single use is enforced by the caller, which stores the last accepted step atomically.
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>The time step for a Unix time in seconds (T0 = 0, X = 30 s).</summary>
    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    public static string Compute(ReadOnlySpan<byte> key, long step, int digits = Digits, TotpAlgorithm algorithm = TotpAlgorithm.Sha1)
    {
        Span<byte> counter = stackalloc byte[8];
        for (var i = 7; i >= 0; i--)
        {
            counter[i] = (byte)(step & 0xff);
            step >>= 8;
        }

        Span<byte> hash = stackalloc byte[64];
        var written = algorithm switch
        {
            TotpAlgorithm.Sha1 => HMACSHA1.HashData(key, counter, hash),
            TotpAlgorithm.Sha256 => HMACSHA256.HashData(key, counter, hash),
            TotpAlgorithm.Sha512 => HMACSHA512.HashData(key, counter, hash),
        };
        var offset = hash[written - 1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        var modulo = 1;
        for (var i = 0; i < digits; i++)
        {
            modulo *= 10;
        }

        return (binary % modulo).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>
    /// Finds the step within ±<paramref name="window"/> of <paramref name="currentStep"/> whose code equals
    /// <paramref name="code"/>, comparing in constant time. Returns null when none matches.
    /// </summary>
    public static long? Match(ReadOnlySpan<byte> key, string? code, long currentStep, int window = 1)
    {
        var normalized = Normalize(code);
        if (normalized is null)
        {
            return null;
        }

        long? found = null;
        for (var step = currentStep - window; step <= currentStep + window; step++)
        {
            var expected = Compute(key, step);
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(normalized)))
            {
                found ??= step;
            }
        }

        return found;
    }

    /// <summary>Accepts "123 456", "123-456" and full-width digits; returns null when it is not six digits.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var sb = new StringBuilder(Digits);
        foreach (var c in code)
        {
            if (c is >= '0' and <= '9')
            {
                sb.Append(c);
            }
            else if (c is >= '０' and <= '９')
            {
                sb.Append((char)('0' + (c - '０')));
            }
            else if (c is ' ' or '-' or '　')
            {
                continue;
            }
            else
            {
                return null;
            }
        }

        return sb.Length == Digits ? sb.ToString() : null;
    }

    /// <summary>The otpauth:// URI that authenticator apps read from a QR code.</summary>
    public static string OtpAuthUri(string issuer, string account, string base32Secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}" +
        $"?secret={base32Secret}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
}

/// <summary>RFC 4648 base32 without padding, as authenticator apps expect.</summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }

    public static byte[] Decode(string text)
    {
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var output = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("Not a base32 string.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
