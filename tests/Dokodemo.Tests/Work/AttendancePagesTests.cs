using System.Net;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.Work.AttendanceKit;

namespace Dokodemo.Tests.Work;

/// <summary>The attendance pages' forms (plain HTML posts with antiforgery) do what the API does, with the same refusals.</summary>
public class AttendancePagesTests(AttendancePagesTests.App app) : IClassFixture<AttendancePagesTests.App>
{
    public sealed class App : TestApp;

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string form, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        fields["_handler"] = form;
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task TheClockPage_ClocksIn_AndTheMonthPage_TakesACorrection()
    {
        var (client, id) = await PersonAsync(app, "住民課", "画面 一郎");
        var clocked = await PostFormAsync(client, "/work/today", "clock", new() { ["action"] = "in", ["timeZone"] = "Asia/Tokyo" });
        Assert.Equal(HttpStatusCode.OK, clocked.StatusCode);
        Assert.Contains("出勤を記録しました", await clocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await PostFormAsync(client, "/work/today", "clock", new() { ["action"] = "in", ["timeZone"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("すでに出勤しています", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var day = Workday(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var month = "/work/month?month=" + MonthText(LastMonth);
        var bad = await PostFormAsync(client, month, "correct", new()
        {
            ["date"] = day, ["in"] = "17:15", ["out"] = "08:30", ["breakStart"] = "", ["breakEnd"] = "", ["reason"] = "打刻忘れ",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("終了時刻が開始時刻より前", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var count = () => app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AttendanceCorrections.CountAsync(c => c.UserId == id));
        Assert.Equal(0, await count());

        var ok = await PostFormAsync(client, month, "correct", new()
        {
            ["date"] = day, ["in"] = "08:30", ["out"] = "17:15", ["breakStart"] = "12:00", ["breakEnd"] = "13:00", ["reason"] = "打刻忘れ",
        });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var html = await ok.Content.ReadAsStringAsync();
        Assert.Contains("修正を申請しました", html, StringComparison.Ordinal);
        Assert.Contains("承認待ち", html, StringComparison.Ordinal);
        Assert.Equal(1, await count());
    }

    [Fact]
    public async Task TheTeamPage_IsForManagersAndHr_AndTheClosePage_ForHrOnly()
    {
        var (manager, _) = await PersonAsync(app, "税務課", "税務 課長", Roles.Staff, Roles.Manager);
        var (hr, _) = await PersonAsync(app, "総務課", "人事 係長", Roles.Staff, Roles.Hr);
        var (staff, _) = await PersonAsync(app, "税務課", "税務 一郎");

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/work/team")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync("/work/team")).StatusCode);
        var refused = await staff.GetAsync("/work/team");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/denied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync("/work/close")).StatusCode);
        Assert.StartsWith("/denied", (await manager.GetAsync("/work/close")).Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/work/schedule")).StatusCode);
        Assert.DoesNotContain("id=\"edit-h\"", await staff.GetStringAsync("/work/schedule"), StringComparison.Ordinal);
        Assert.Contains("id=\"edit-h\"", await hr.GetStringAsync("/work/schedule"), StringComparison.Ordinal);
    }
}
