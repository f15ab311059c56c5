using System.Reflection;
using Dokodemo.Shared;

namespace Dokodemo.Tests;

/// <summary>Japanese first, English second: every sentence exists in both, and every error code has its sentence.</summary>
public class TextTests
{
    [Fact]
    public void EveryKey_HasJapaneseAndEnglish()
    {
        Assert.True(Text.All.Count > 100);
        foreach (var (key, (ja, en)) in Text.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(ja), key);
            Assert.False(string.IsNullOrWhiteSpace(en), key);
        }
    }

    [Fact]
    public void EveryErrorCode_HasASentence()
    {
        var codes = typeof(Errors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Error)).Select(f => ((Error)f.GetValue(null)!).Code)
            .Concat(Domain.Accounts.PasswordPolicy.Check("", [], []))
            .Concat(["user.email_invalid", "user.email_taken", "user.name_invalid", "user.role_unknown", "user.outsider_role",
                "user.department_unknown", "user.section_unknown", "user.kind_unknown", "user.cannot_disable_self", "user.already_enrolled",
                "request.too_large", "request.method_not_allowed", "request.unsupported_media_type", "internal"]);
        foreach (var code in codes)
        {
            Assert.True(Text.All.ContainsKey("error." + code), "no sentence for error code " + code);
        }
    }
}
