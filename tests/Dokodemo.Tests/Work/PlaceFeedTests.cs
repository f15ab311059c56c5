using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Dokodemo.Tests.Work.PlacesApp;

namespace Dokodemo.Tests.Work;

/// <summary>Issue 4 item 8: the private calendar feed carries the person's work places, approved or not.</summary>
public class PlaceFeedTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    [Fact]
    public async Task TheFeed_ShowsDeclaredPlaces_AndWhetherTeleworkIsApproved()
    {
        var me = await app.PersonAsync("住民課");
        var tomorrow = app.Today.AddDays(1);
        Assert.Equal(HttpStatusCode.OK, (await me.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(tomorrow)}", new { kind = "Home" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await me.Client.PutAsJsonAsync($"/api/v1/work/places/{Iso(app.Today)}", new { part = "Afternoon", kind = "Mobile", note = "県庁で会議" })).StatusCode);

        var made = await me.Client.PostAsync("/api/v1/me/calendar-feed", null);
        var url = new Uri((await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        var ics = await anonymous.GetStringAsync(url.PathAndQuery);

        var t = tomorrow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var d = app.Today.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"UID:place-{t}@dokodemo\r\n", ics, StringComparison.Ordinal);
        var home = Event(ics, $"place-{t}@dokodemo");
        Assert.Contains("SUMMARY:勤務場所: 在宅", home, StringComparison.Ordinal);
        Assert.Contains("テレワーク未承認", home, StringComparison.Ordinal); // declared without an approved request
        var split = Event(ics, $"place-{d}@dokodemo");
        Assert.Contains("SUMMARY:午前 庁舎 / 午後 出張・モバイル", split, StringComparison.Ordinal);
        Assert.Contains("県庁で会議", split, StringComparison.Ordinal);
        // Days with nothing declared (the silent default of 庁舎) are not in the feed.
        Assert.DoesNotContain($"place-{app.Today.AddDays(-1):yyyyMMdd}@dokodemo", ics, StringComparison.Ordinal);
    }

    private static string Event(string ics, string uid)
    {
        var start = ics.IndexOf("UID:" + uid, StringComparison.Ordinal);
        Assert.True(start >= 0, uid + " missing");
        return ics[start..ics.IndexOf("END:VEVENT", start, StringComparison.Ordinal)].Replace("\r\n ", "", StringComparison.Ordinal);
    }
}
