using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Tests.Work;
using static Dokodemo.Tests.SeatsKit;
using static Dokodemo.Tests.TalkKit;

namespace Dokodemo.Tests;

/// <summary>
/// What the app sends on its own (the daily digest e-mail, notice reminders) speaks the language the person chose — stored
/// when they switch languages or through the preferences API — whatever the culture of the job or of the request that
/// caused it; a person who never chose gets Japanese; an unknown language is refused and changes nothing.
/// </summary>
public class TalkMailLanguageTests(InboxApp app) : IClassFixture<InboxApp>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The language buttons in the page header, pressed by a signed-in person (or anyone).</summary>
    private static async Task<HttpResponseMessage> SwitchAsync(HttpClient client, string lang)
    {
        var token = TokenOf(await client.GetStringAsync("/talk/inbox"));
        Assert.False(string.IsNullOrEmpty(token), "no antiforgery token on /talk/inbox");
        return await client.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["lang"] = lang, ["returnUrl"] = "/talk/inbox", ["__RequestVerificationToken"] = token,
        }));
    }

    private static async Task<JsonElement> PrefsOf(Person p) => await JsonOf(await p.Client.GetAsync($"{Api}/preferences"));

    private static async Task<string> ReminderTitleAsync(Person p, int channel, long notice)
    {
        var notes = await JsonOf(await p.Client.GetAsync("/api/v1/me/notifications"));
        return notes.GetProperty("items").EnumerateArray()
            .Single(n => n.GetProperty("kind").GetString() == "talk.notice_reminder"
                         && n.GetProperty("link").GetString() == $"/talk/c/{channel}#m-{notice.ToString(CultureInfo.InvariantCulture)}")
            .GetProperty("title").GetString()!;
    }

    [Fact]
    public async Task ThePersonWhoSwitchedToEnglish_GetsTheDigestAndTheReminderInEnglish_OneWhoNeverSwitched_InJapanese()
    {
        // 07:30 in Berlin, before both digests' hour (08:00 their time).
        app.SetClock(InboxApp.At("Europe/Berlin", 2, 7, 30));
        var author = await app.PersonAsync();
        var english = await app.PersonAsync("Europe/Berlin");
        var japanese = await app.PersonAsync("Europe/Berlin");

        // Switching the page language stores the choice on the account; never switching stores nothing.
        var switched = await SwitchAsync(english.Client, "en");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("en", (await PrefsOf(english)).GetProperty("language").GetString());
        Assert.Equal(JsonValueKind.Null, (await PrefsOf(japanese)).GetProperty("language").ValueKind);
        foreach (var p in new[] { english, japanese })
        {
            Assert.True((await JsonOf(await p.Client.PutAsJsonAsync($"{Api}/preferences", new { digestEnabled = true, digestHour = 8 })))
                .GetProperty("digestEnabled").GetBoolean());
        }

        // The English speaker's preferences (saved without a language) still say English.
        Assert.Equal("en", (await PrefsOf(english)).GetProperty("language").GetString());

        var channel = await ChannelWithAsync(author.Client, english, japanese);
        var channelName = (await JsonOf(await author.Client.GetAsync($"{Api}/channels/{channel}"))).GetProperty("name").GetString()!;
        var mention = await PostAsync(author.Client, channel, $"@{MentionName(english)} @{MentionName(japanese)} 予算資料を置きました");
        var notice = await PostAsync(author.Client, channel, "【周知】避難訓練は金曜10時です", requiresAck: true);
        var noticeId = notice.GetProperty("id").GetInt64();

        // The author's request asks for English, yet each reminder speaks its reader's language.
        using (var remind = new HttpRequestMessage(HttpMethod.Post, $"{Api}/channels/{channel}/messages/{noticeId}/remind"))
        {
            remind.Headers.AcceptLanguage.ParseAdd("en");
            Assert.Equal(2, (await JsonOf(await author.Client.SendAsync(remind))).GetProperty("reminded").GetInt32());
        }

        Assert.Equal($"Please acknowledge: {channelName}", await ReminderTitleAsync(english, channel, noticeId));
        Assert.Equal($"確認のお願い：{channelName}", await ReminderTitleAsync(japanese, channel, noticeId));

        // The mention's notification too, though the author wrote in Japanese (the message itself is not translated).
        var authorName = "試験 " + author.Email[2..6];
        var mentionLink = $"/talk/c/{channel}#m-{mention.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)}";
        async Task<string> MentionTitleAsync(Person p) =>
            (await JsonOf(await p.Client.GetAsync("/api/v1/me/notifications"))).GetProperty("items").EnumerateArray()
                .Single(n => n.GetProperty("kind").GetString() == "talk.mention" && n.GetProperty("link").GetString() == mentionLink)
                .GetProperty("title").GetString()!;
        Assert.Equal($"{authorName} mentioned you", await MentionTitleAsync(english));
        Assert.Equal($"{authorName}さんがあなたをメンションしました", await MentionTitleAsync(japanese));

        // 08:05 in Berlin: the sweep runs with an English ambient culture; the person who never chose still gets Japanese.
        app.SetClock(InboxApp.At("Europe/Berlin", 2, 8, 5));
        var ambient = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        try
        {
            await app.SweepAsync();
        }
        finally
        {
            CultureInfo.CurrentUICulture = ambient;
        }

        var today = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), Berlin);
        var en = CultureInfo.GetCultureInfo("en");
        var ja = CultureInfo.GetCultureInfo("ja-JP");
        string Local(JsonElement message, string format, CultureInfo culture) =>
            TimeZoneInfo.ConvertTime(message.GetProperty("createdAt").GetDateTimeOffset(), Berlin).ToString(format, culture);

        var inEnglish = Assert.Single(app.Mail.To(english.Email));
        Assert.Equal($"[Dokodemo] Talk summary for {today.ToString("MMM d", en)} (2 new)", inEnglish.Subject);
        Assert.StartsWith($"Hello 試験 {english.Email[2..6]},", inEnglish.Body, StringComparison.Ordinal);
        Assert.Contains("You have 2 new item(s) in Talk", inEnglish.Body, StringComparison.Ordinal);
        Assert.Contains($"■ #{channelName} (Mention) 試験 {author.Email[2..6]}, {Local(mention, "MMM d, HH:mm", en)}", inEnglish.Body, StringComparison.Ordinal);
        Assert.Contains($"■ #{channelName} (Acknowledgement) 試験 {author.Email[2..6]}, {Local(notice, "MMM d, HH:mm", en)}", inEnglish.Body, StringComparison.Ordinal);
        Assert.Contains("Inbox: ", inEnglish.Body, StringComparison.Ordinal);
        Assert.Contains("Settings for this e-mail: ", inEnglish.Body, StringComparison.Ordinal);
        // The messages' own text is as written; nothing of the mail's Japanese wording is left.
        Assert.Contains("予算資料を置きました", inEnglish.Body, StringComparison.Ordinal);
        foreach (var japaneseWord in new[] { "さん", "まとめ", "受信箱", "メンション", "確認依頼", "件" })
        {
            Assert.DoesNotContain(japaneseWord, inEnglish.Subject + inEnglish.Body, StringComparison.Ordinal);
        }

        var inJapanese = Assert.Single(app.Mail.To(japanese.Email));
        Assert.Equal($"[どこでも役場] トークのまとめ {today.ToString("M/d", ja)}（2 件）", inJapanese.Subject);
        Assert.StartsWith($"試験 {japanese.Email[2..6]}さん", inJapanese.Body, StringComparison.Ordinal);
        Assert.Contains($"■ #{channelName}（メンション）試験 {author.Email[2..6]} {Local(mention, "M/d HH:mm", ja)}", inJapanese.Body, StringComparison.Ordinal);
        Assert.Contains($"■ #{channelName}（確認依頼）試験 {author.Email[2..6]} {Local(notice, "M/d HH:mm", ja)}", inJapanese.Body, StringComparison.Ordinal);
        Assert.Contains("受信箱: ", inJapanese.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Talk summary", inJapanese.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("Inbox", inJapanese.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownLanguage_IsRefusedWith400_InTheRequestsLanguage_AndNothingChanges()
    {
        app.SetClock(InboxApp.At("Asia/Tokyo", 4, 10, 0));
        var p = await app.PersonAsync();
        var saved = await JsonOf(await p.Client.PutAsJsonAsync($"{Api}/preferences",
            new { quietFrom = "20:00", quietTo = "07:00", digestEnabled = true, digestHour = 7, language = "en" }));
        Assert.Equal("en", saved.GetProperty("language").GetString());

        // The API: 400 with a stable code and the sentence in the request's language; no field is saved.
        foreach (var (acceptLanguage, sentence) in new[] { ("ja", "言語は「ja」（日本語）か「en」（英語）で指定してください。"), ("en", "Language must be \"ja\" (Japanese) or \"en\" (English).") })
        {
            foreach (var bad in new[] { "fr", "EN", "en-US", "" })
            {
                using var put = new HttpRequestMessage(HttpMethod.Put, $"{Api}/preferences")
                {
                    Content = JsonContent.Create(new { quietFrom = "22:00", quietTo = "06:00", digestEnabled = false, digestHour = 9, language = bad }),
                };
                put.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
                var r = await p.Client.SendAsync(put);
                await Refused(r, HttpStatusCode.BadRequest, "user.language_unknown");
                var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(sentence, problem.GetProperty("detail").GetString());
                Assert.Equal("language", problem.GetProperty("field").GetString());
            }
        }

        var prefs = await PrefsOf(p);
        Assert.Equal("en", prefs.GetProperty("language").GetString());
        Assert.Equal("20:00", prefs.GetProperty("quietFrom").GetString());
        Assert.True(prefs.GetProperty("digestEnabled").GetBoolean());
        Assert.Equal(7, prefs.GetProperty("digestHour").GetInt32());

        // The language switch refuses it too: no cookie, nothing stored.
        var switched = await SwitchAsync(p.Client, "fr");
        await Refused(switched, HttpStatusCode.BadRequest, "user.language_unknown");
        Assert.False(switched.Headers.Contains("Set-Cookie"));
        Assert.Equal("en", (await PrefsOf(p)).GetProperty("language").GetString());

        // Switching back to Japanese is stored as a choice, and the settings page saves the language it shows.
        Assert.Equal(HttpStatusCode.Redirect, (await SwitchAsync(p.Client, "ja")).StatusCode);
        Assert.Equal("ja", (await PrefsOf(p)).GetProperty("language").GetString());
        var page = await p.Client.GetStringAsync("/talk/settings");
        Assert.Contains("<option value=\"ja\" lang=\"ja\" selected", page, StringComparison.Ordinal);
        var form = await p.Client.PostAsync("/talk/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "prefs", ["__RequestVerificationToken"] = TokenOf(page), ["DigestEnabled"] = "true", ["DigestHour"] = "7", ["Language"] = "en",
        }));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("en", (await PrefsOf(p)).GetProperty("language").GetString());
        var refused = await p.Client.PostAsync("/talk/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "prefs", ["__RequestVerificationToken"] = TokenOf(page), ["DigestHour"] = "7", ["Language"] = "xx",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("en", (await PrefsOf(p)).GetProperty("language").GetString());
        Assert.True((await PrefsOf(p)).GetProperty("digestEnabled").GetBoolean());
    }
}
