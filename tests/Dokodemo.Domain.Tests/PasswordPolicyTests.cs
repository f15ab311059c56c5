using Dokodemo.Domain.Accounts;

namespace Dokodemo.Domain.Tests;

public class PasswordPolicyTests
{
    private static readonly string[] Town = ["どこでも町", "どこでも", "Dokodemo Town", "dokodemo"];

    private static IReadOnlyList<string> Check(string password, params string[] personal) => PasswordPolicy.Check(password, Town, personal);

    [Theory]
    [InlineData("Password1!")]
    [InlineData("password")]
    [InlineData("P@ssw0rd2024")]
    [InlineData("qwerty123")]
    [InlineData("12345678")]
    [InlineData("aaaaaaaaaa")]
    [InlineData("ＰＡＳＳＷＯＲＤ１")]
    [InlineData("abcdefghij")]
    public void CommonPasswords_AreRefused(string password) => Assert.Contains(PasswordPolicy.Common, Check(password));

    [Theory]
    [InlineData("dokodemo-2026-yakuba")]
    [InlineData("私はどこでも町の職員です")]
    [InlineData("DOKODEMOtown!!")]
    public void TheTownsName_IsRefused(string password) => Assert.Contains(PasswordPolicy.ContainsTownWord, Check(password));

    [Fact]
    public void PersonalWords_AreRefused() =>
        Assert.Contains(PasswordPolicy.ContainsPersonalWord, Check("misaki-loves-long-walks", "sato.misaki", "misaki"));

    [Fact]
    public void ShortPasswords_AreRefused() => Assert.Contains(PasswordPolicy.TooShort, Check("kx7#q2"));

    [Fact]
    public void A64CharacterPassphrase_IsAccepted()
    {
        var phrase = "the quiet river runs past the old rice fields every single morning";
        Assert.True(phrase.Length >= 64);
        Assert.Empty(Check(phrase));
    }

    [Theory]
    [InlineData("しずかな朝に川沿いを歩く")]
    [InlineData("correct horse battery staple")]
    [InlineData("blue-kettle-92-sings")]
    public void NoCompositionRules_GoodPassphrasesPass(string password) => Assert.Empty(Check(password));

    [Fact]
    public void VeryLongPasswords_AreRefused() => Assert.Contains(PasswordPolicy.TooLong, Check(new string('x', 60) + string.Concat(Enumerable.Repeat("river stone ", 10))));
}
