using System.Text;
using Dokodemo.Domain.Accounts;

namespace Dokodemo.Domain.Tests;

public class TotpTests
{
    private static readonly byte[] Sha1Key = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Key = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Key = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    // RFC 6238 Appendix B.
    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void Compute_MatchesRfc6238TestVectors(long unixSeconds, string sha1, string sha256, string sha512)
    {
        var step = Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
        Assert.Equal(sha1, Totp.Compute(Sha1Key, step, 8, TotpAlgorithm.Sha1));
        Assert.Equal(sha256, Totp.Compute(Sha256Key, step, 8, TotpAlgorithm.Sha256));
        Assert.Equal(sha512, Totp.Compute(Sha512Key, step, 8, TotpAlgorithm.Sha512));
    }

    [Fact]
    public void Match_AcceptsOneStepEitherSide_AndNotTwo()
    {
        const long now = 50_000_000;
        Assert.Equal(now - 1, Totp.Match(Sha1Key, Totp.Compute(Sha1Key, now - 1), now));
        Assert.Equal(now, Totp.Match(Sha1Key, Totp.Compute(Sha1Key, now), now));
        Assert.Equal(now + 1, Totp.Match(Sha1Key, Totp.Compute(Sha1Key, now + 1), now));
        // Identity's default provider accepts ±2 steps (90 s); R09 allows only ±1.
        Assert.Null(Totp.Match(Sha1Key, Totp.Compute(Sha1Key, now - 2), now));
        Assert.Null(Totp.Match(Sha1Key, Totp.Compute(Sha1Key, now + 2), now));
    }

    [Theory]
    [InlineData("123 456", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData("１２３４５６", "123456")]
    [InlineData("12345", null)]
    [InlineData("1234567", null)]
    [InlineData("12345a", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Normalize_AcceptsSpacesDashesAndFullWidthDigitsOnly(string? input, string? expected) =>
        Assert.Equal(expected, Totp.Normalize(input));

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_FollowsRfc4648WithoutPadding(string plain, string encoded)
    {
        Assert.Equal(encoded, Base32.Encode(Encoding.ASCII.GetBytes(plain)));
        Assert.Equal(plain, Encoding.ASCII.GetString(Base32.Decode(encoded)));
        Assert.Equal(plain, Encoding.ASCII.GetString(Base32.Decode(encoded.ToLowerInvariant())));
    }

    [Fact]
    public void Base32_RejectsOtherCharacters() => Assert.Throws<FormatException>(() => Base32.Decode("MZ1W"));

    [Fact]
    public void OtpAuthUri_CarriesIssuerAccountAndSecret()
    {
        var uri = Totp.OtpAuthUri("Dokodemo どこでも町", "sato@example.jp", "JBSWY3DPEHPK3PXP");
        Assert.StartsWith("otpauth://totp/", uri, StringComparison.Ordinal);
        Assert.Contains("secret=JBSWY3DPEHPK3PXP", uri, StringComparison.Ordinal);
        Assert.Contains("period=30", uri, StringComparison.Ordinal);
        Assert.Contains("digits=6", uri, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString("sato@example.jp"), uri, StringComparison.Ordinal);
    }
}
