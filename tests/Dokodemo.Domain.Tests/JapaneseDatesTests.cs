using Dokodemo.Domain.Accounts;
using Dokodemo.Domain.Calendar;

namespace Dokodemo.Domain.Tests;

public class JapaneseDatesTests
{
    [Theory]
    [InlineData(2019, 4, 30, "平成31年4月30日")]
    [InlineData(2019, 5, 1, "令和元年5月1日")]
    [InlineData(2026, 11, 22, "令和8年11月22日")]
    [InlineData(1989, 1, 7, "昭和64年1月7日")]
    [InlineData(1989, 1, 8, "平成元年1月8日")]
    [InlineData(1955, 1, 1, "昭和30年1月1日")]
    public void WarekiDate_UsesTheEraInForceThatDay(int y, int m, int d, string expected) =>
        Assert.Equal(expected, JapaneseDates.WarekiDate(new DateOnly(y, m, d)));

    [Theory]
    [InlineData(2026, 3, 31, 2025)]
    [InlineData(2026, 4, 1, 2026)]
    [InlineData(2027, 1, 15, 2026)]
    public void FiscalYear_RunsAprilToMarch(int y, int m, int d, int expected) =>
        Assert.Equal(expected, JapaneseDates.FiscalYear(new DateOnly(y, m, d)));

    [Theory]
    [InlineData(2019, 6, 1, "令和元年度")]
    [InlineData(2020, 2, 1, "令和元年度")]
    [InlineData(2019, 4, 10, "平成31年度")]
    [InlineData(2026, 11, 22, "令和8年度")]
    public void WarekiFiscalYear_NamesTheEraOfAprilFirst(int y, int m, int d, string expected) =>
        Assert.Equal(expected, JapaneseDates.WarekiFiscalYear(new DateOnly(y, m, d)));

    [Fact]
    public void SeirekiDate_ShowsTheWeekday() => Assert.Equal("2026年11月22日（日）", JapaneseDates.SeirekiDate(new DateOnly(2026, 11, 22)));

    [Theory]
    [InlineData("職員", AccountKind.Staff)]
    [InlineData("会計年度任用職員", AccountKind.PartTimeStaff)]
    [InlineData("複業人材", AccountKind.SideJobWorker)]
    [InlineData("外部パートナー", AccountKind.Partner)]
    [InlineData("partner", AccountKind.Partner)]
    [InlineData(" SideJobWorker ", AccountKind.SideJobWorker)]
    public void AccountKinds_ParseJapaneseAndEnglish(string text, AccountKind expected)
    {
        Assert.True(AccountKinds.TryParse(text, out var kind));
        Assert.Equal(expected, kind);
    }

    [Fact]
    public void AccountKinds_RejectUnknown() => Assert.False(AccountKinds.TryParse("アルバイト", out _));
}
