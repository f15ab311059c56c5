using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using static Dokodemo.Tests.Work.PlacesApp;

namespace Dokodemo.Tests.Work;

/// <summary>The work pages render for who may see them, and their forms go through the same use cases as the API.</summary>
public partial class PlacesPagesTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = TokenPattern().Match(page).Groups[1].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task StaffDeclaresThroughThePage_RequestsTelework_AndTheManagerApprovesInTheInbox()
    {
        var staff = await app.PersonAsync("住民課");
        var manager = await app.PersonAsync("住民課", roles: [Roles.Staff, Roles.Manager]);
        var satellite = await app.SiteIdAsync(SiteKind.Satellite);

        var declared = await PostFormAsync(staff.Client, "/work/place", "declare", new()
        {
            ["date"] = Iso(app.Today), ["part"] = "Full", ["kind"] = "Satellite", ["siteId"] = satellite.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var html = await declared.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        Assert.Contains("勤務場所を届け出ました", html, StringComparison.Ordinal);
        Assert.Contains("駅前サテライトオフィス", html, StringComparison.Ordinal);

        // A bad declaration says why, with the error's status.
        var bad = await PostFormAsync(staff.Client, "/work/place", "declare", new() { ["date"] = Iso(app.Today), ["kind"] = "Abroad", ["country"] = "FR", ["timeZone"] = "Mars/Olympus" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("タイムゾーンが不明です", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var board = await staff.Client.GetStringAsync("/work/board");
        Assert.Contains($"id=\"person-{staff.Id}\"", board, StringComparison.Ordinal);
        Assert.Contains("サテライトオフィス", board, StringComparison.Ordinal);

        var requested = await PostFormAsync(staff.Client, "/work/telework", "request", new()
        {
            ["kind"] = "Home", ["from"] = Iso(app.Today.AddDays(1)), ["to"] = Iso(app.Today.AddDays(1)), ["reason"] = "報告書の作成",
        });
        Assert.Contains("申請しました", await requested.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var id = (await staff.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/work/telework/requests"))[0].GetProperty("id").GetGuid();

        var inbox = await manager.Client.GetStringAsync("/work/telework/approvals");
        Assert.Contains("報告書の作成", inbox, StringComparison.Ordinal);
        var approved = await PostFormAsync(manager.Client, "/work/telework/approvals", $"decide-{id}", new() { ["decision"] = "approve", ["comment"] = "承認します" });
        Assert.Contains("承認しました", await approved.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var mine = await staff.Client.GetStringAsync("/work/telework");
        Assert.Contains("承認済み", mine, StringComparison.Ordinal);
        Assert.Contains("承認します", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSettingsPage_IsReadOnlyForStaff_AndSavesForHr()
    {
        var staff = await app.PersonAsync();
        var hr = await app.PersonAsync(roles: [Roles.Staff, Roles.Hr]);
        var readOnly = await staff.Client.GetStringAsync("/work/settings");
        Assert.Contains("設定は人事担当とシステム管理者が変更します", readOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"maxDaysPerWeek\"", readOnly, StringComparison.Ordinal);

        var saved = await PostFormAsync(hr.Client, "/work/settings", "settings", new()
        {
            ["kinds"] = "Staff", ["approvalRequired"] = "true", ["maxDaysPerWeek"] = "3", ["minDaysAhead"] = "2", ["threshold"] = "10", ["window"] = "3", ["amount"] = "3000",
        });
        Assert.Contains("設定を保存しました", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var settings = await staff.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/work/settings");
        Assert.Equal((3, 2), (settings.GetProperty("maxDaysPerWeek").GetInt32(), settings.GetProperty("minDaysAhead").GetInt32()));
        await PostFormAsync(hr.Client, "/work/settings", "settings", new()
        {
            ["kinds"] = "Staff", ["approvalRequired"] = "true", ["maxDaysPerWeek"] = "5", ["minDaysAhead"] = "1", ["threshold"] = "10", ["window"] = "3", ["amount"] = "3000",
        });
    }

    [Fact]
    public void EveryWorkPlacesErrorCode_HasASentence()
    {
        foreach (var error in Dokodemo.Work.Places.PlaceErrors.All)
        {
            Assert.True(Dokodemo.Shared.Text.All.ContainsKey("error." + error.Code), "no sentence for " + error.Code);
        }
    }

    [Fact]
    public async Task Declaring在宅_OffersToGiveBackThatDaysDesk_AndTheOfferCancelsIt()
    {
        var floor = await SeatsKit.FloorAsync(app);
        var staff = await app.PersonAsync("住民課");
        var date = app.Today.AddDays(1);
        var booked = await SeatsKit.BookAsync(staff.Client, floor.Desks["A1"], date);
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var id = (await booked.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();

        var declared = await PostFormAsync(staff.Client, "/work/place", "declare", new()
        {
            ["date"] = Iso(date), ["part"] = "Morning", ["kind"] = "Home", ["worksOffDay"] = "true",
        });
        var html = await declared.Content.ReadAsStringAsync();
        Assert.Contains("在宅等を届け出た日に座席を予約しています", html, StringComparison.Ordinal);
        Assert.Contains($"cancel-seat-{id}", html, StringComparison.Ordinal);

        var cancelled = await PostFormAsync(staff.Client, "/work/place", $"cancel-seat-{id}", new());
        Assert.Contains("座席の予約を取り消しました", await cancelled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mine = await staff.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/seats/bookings");
        Assert.DoesNotContain(mine.EnumerateArray(), b => b.GetProperty("id").GetString() == id);

        // Declaring 在宅 with no booking offers nothing.
        var again = await PostFormAsync(staff.Client, "/work/place", "declare", new() { ["date"] = Iso(date.AddDays(1)), ["part"] = "Full", ["kind"] = "Home", ["worksOffDay"] = "true" });
        Assert.DoesNotContain("在宅等を届け出た日に座席を予約しています", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
