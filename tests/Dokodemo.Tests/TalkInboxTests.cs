using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Talk;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;
using static Dokodemo.Tests.TalkKit;

namespace Dokodemo.Tests;

/// <summary>Records the e-mails the app sends (mail is one of the two things tests may fake).</summary>
public sealed class FakeMail : IMailSender
{
    public bool IsConfigured { get; set; } = true;

    public ConcurrentQueue<MailMessageData> Sent { get; } = new();

    public Task SendAsync(MailMessageData message, CancellationToken ct)
    {
        Sent.Enqueue(message);
        return Task.CompletedTask;
    }

    public List<MailMessageData> To(string email) => [.. Sent.Where(m => m.To == email)];
}

/// <summary>An app with the fake mail sender and the inbox sweep off (tests run it with the fake clock).</summary>
public sealed class InboxApp : TestApp
{
    public const string Department = "総務課";

    public InboxApp() : base("Demo", seed: false, extra: new()
    {
        ["Dokodemo__Access__TownNetworks__0"] = "127.0.0.0/8",
        ["Dokodemo__Talk__InboxSweep"] = "00:00:00",
        ["Dokodemo__Talk__SyncEvery"] = "00:00:00",
    }) =>
        WithScopeAsync(async sp =>
        {
            await EnsureDepartmentAsync(sp);
            return 0;
        }).GetAwaiter().GetResult();

    public FakeMail Mail { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IMailSender>(Mail));
    }

    /// <summary>A new person, enrolled and signed in at the clock's time.</summary>
    public async Task<Person> PersonAsync(string? timeZone = null, params string[] roles)
    {
        var person = await EnrolPersonAsync(PlacesApp.Password, Department, AccountKind.Staff, null, roles);
        if (timeZone is not null)
        {
            await DbAsync(db => db.Users.Where(u => u.Id == person.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, timeZone)));
        }

        return person;
    }

    /// <summary>One round of the inbox sweep (scheduled send, held notifications, digests).</summary>
    public Task SweepAsync() =>
        WithScopeAsync(async sp =>
        {
            await TalkInboxSweep.RunOnceAsync(sp);
            return 0;
        });

    /// <summary>Sets the clock to an instant (it moves on with real time from there).</summary>
    public void SetClock(DateTimeOffset at) => Clock.Offset = at - DateTimeOffset.UtcNow;

    /// <summary>The instant of a local time in a zone, <paramref name="days"/> days after today (UTC).</summary>
    public static DateTimeOffset At(string zone, int days, int hour, int minute)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var day = DateTime.UtcNow.Date.AddDays(days);
        var local = new DateTime(day.Year, day.Month, day.Day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, tz.GetUtcOffset(local));
    }

    public Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work) => WithScopeAsync(sp => work(sp.GetRequiredService<AppDbContext>()));
}

/// <summary>
/// The personal inbox (mentions, @channel, pending notices; not from a channel one left; marking done), mention
/// notifications held during quiet hours in the person's own time zone, and the daily e-mail digest (faked mail, fake clock).
/// </summary>
public class TalkInboxTests(InboxApp app) : IClassFixture<InboxApp>
{
    private static async Task<JsonElement> InboxOf(Person p) => await JsonOf(await p.Client.GetAsync($"{Api}/inbox"));

    [Fact]
    public async Task Inbox_ListsMyMentionAndPendingNotice_NotFromAChannelILeft_AndMarksThemDone()
    {
        app.SetClock(InboxApp.At("Asia/Tokyo", 1, 10, 0));
        var a = await app.PersonAsync();
        var b = await app.PersonAsync();
        var first = await ChannelWithAsync(a.Client, b);
        var second = await ChannelWithAsync(a.Client, b);
        var mention = await PostAsync(a.Client, first, $"@{MentionName(b)} 予算資料の確認をお願いします");
        var notice = await PostAsync(a.Client, first, "【周知】来週の庁舎点検について", requiresAck: true);
        await PostAsync(a.Client, first, "ただの連絡です");
        await PostAsync(a.Client, second, $"@{MentionName(b)} 別件の相談");
        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.PostAsync($"{Api}/channels/{second}/leave", null)).StatusCode);

        var inbox = await InboxOf(b);
        var items = inbox.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        // Newest first: the notice, then the mention; nothing from the channel b left, nothing that is neither.
        Assert.Equal(notice.GetProperty("id").GetInt64(), items[0].GetProperty("messageId").GetInt64());
        Assert.Equal("notice", items[0].GetProperty("kind").GetString());
        Assert.Equal(mention.GetProperty("id").GetInt64(), items[1].GetProperty("messageId").GetInt64());
        Assert.Equal("mention", items[1].GetProperty("kind").GetString());
        Assert.Equal(first, items[1].GetProperty("channelId").GetInt32());
        Assert.Equal("試験 " + a.Email[2..6], items[1].GetProperty("authorName").GetString());
        Assert.Contains("予算資料の確認", items[1].GetProperty("snippet").GetString());
        Assert.Equal($"/talk/c/{first}#m-{mention.GetProperty("id").GetInt64()}", items[1].GetProperty("link").GetString());
        Assert.DoesNotContain(items, i => i.GetProperty("channelId").GetInt32() == second);

        // The author's own inbox does not list what they wrote.
        Assert.Equal(0, (await InboxOf(a)).GetProperty("count").GetInt32());

        // The mention told b (a notification with a link to the message).
        var notes = await JsonOf(await b.Client.GetAsync("/api/v1/me/notifications"));
        var note = notes.GetProperty("items").EnumerateArray()
            .Single(n => n.GetProperty("link").GetString() == $"/talk/c/{first}#m-{mention.GetProperty("id").GetInt64()}");
        Assert.Equal(TalkInboxNotices.MentionKind, note.GetProperty("kind").GetString());
        Assert.Equal($"試験 {a.Email[2..6]}さんがあなたをメンションしました", note.GetProperty("title").GetString());

        // The page lists the same.
        var page = await b.Client.GetStringAsync("/talk/inbox");
        Assert.Contains("予算資料の確認", page);
        Assert.Contains("来週の庁舎点検", page);
        Assert.DoesNotContain("別件の相談", page);

        // Mark the mention done; another person's message id that is not in b's inbox is "not found".
        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.PostAsync($"{Api}/inbox/{mention.GetProperty("id").GetInt64()}/done", null)).StatusCode);
        await Refused(await a.Client.PostAsync($"{Api}/inbox/{mention.GetProperty("id").GetInt64()}/done", null), HttpStatusCode.NotFound, "talk.inbox_item_not_found");
        items = [.. (await InboxOf(b)).GetProperty("items").EnumerateArray()];
        Assert.Equal("notice", Assert.Single(items).GetProperty("kind").GetString());

        // Acknowledging the notice (the acknowledgement feature writes TalkAcks) takes it out too.
        await app.DbAsync(async db =>
        {
            db.TalkAcks.Add(new TalkAck { MessageId = notice.GetProperty("id").GetInt64(), UserId = b.Id, At = app.Clock.GetUtcNow() });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(0, (await InboxOf(b)).GetProperty("count").GetInt32());

        // A new @channel; "all done" clears it.
        await PostAsync(a.Client, first, "@channel 本日17時に締め切ります");
        Assert.Equal("channel", Assert.Single((await InboxOf(b)).GetProperty("items").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(1, (await JsonOf(await b.Client.PostAsync($"{Api}/inbox/done", null))).GetProperty("marked").GetInt32());
        Assert.Equal(0, (await InboxOf(b)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task QuietHours_HoldAMentionNotification_InThePersonsOwnTimeZone_AndReleaseItWhenTheyEnd()
    {
        // 21:00 in Berlin (04:00 or 05:00 the next morning in Japan): inside b's quiet hours 20:00–07:00 in their own zone.
        app.SetClock(InboxApp.At("Europe/Berlin", 3, 21, 0));
        var a = await app.PersonAsync();
        var b = await app.PersonAsync("Europe/Berlin");
        var channel = await ChannelWithAsync(a.Client, b);

        await Refused(await b.Client.PutAsJsonAsync($"{Api}/preferences", new { quietFrom = "25:00", quietTo = "07:00" }), HttpStatusCode.UnprocessableEntity,
            "talk.quiet_time_invalid");
        await Refused(await b.Client.PutAsJsonAsync($"{Api}/preferences", new { quietFrom = "20:00" }), HttpStatusCode.UnprocessableEntity, "talk.quiet_time_invalid");
        var prefs = await JsonOf(await b.Client.GetAsync($"{Api}/preferences"));
        Assert.Equal(JsonValueKind.Null, prefs.GetProperty("quietFrom").ValueKind);
        prefs = await JsonOf(await b.Client.PutAsJsonAsync($"{Api}/preferences", new { quietFrom = "20:00", quietTo = "07:00", quietWeekends = false }));
        Assert.Equal("20:00", prefs.GetProperty("quietFrom").GetString());
        Assert.Equal("07:00", prefs.GetProperty("quietTo").GetString());
        Assert.Equal("Europe/Berlin", prefs.GetProperty("timeZone").GetString());
        Assert.True(prefs.GetProperty("quietNow").GetBoolean());

        var message = await PostAsync(a.Client, channel, $"@{MentionName(b)} 明朝の件、よろしくお願いします");
        Task<int> Notified() => app.DbAsync(db => db.Notifications.CountAsync(n => n.UserId == b.Id && n.Kind == TalkInboxNotices.MentionKind));
        Task<int> Held() => app.DbAsync(db => db.TalkHeldNotifications.CountAsync(h => h.UserId == b.Id));
        Assert.Equal(0, await Notified());
        Assert.Equal(1, await Held());
        // The inbox shows it at once.
        Assert.Equal(message.GetProperty("id").GetInt64(), Assert.Single((await InboxOf(b)).GetProperty("items").EnumerateArray()).GetProperty("messageId").GetInt64());

        // Still quiet at 06:50 Berlin.
        app.SetClock(InboxApp.At("Europe/Berlin", 4, 6, 50));
        await app.SweepAsync();
        Assert.Equal(0, await Notified());

        // 07:05 Berlin: released, once.
        app.SetClock(InboxApp.At("Europe/Berlin", 4, 7, 5));
        await app.SweepAsync();
        await app.SweepAsync();
        Assert.Equal(1, await Notified());
        Assert.Equal(0, await Held());
        var note = await app.DbAsync(db => db.Notifications.SingleAsync(n => n.UserId == b.Id && n.Kind == TalkInboxNotices.MentionKind));
        Assert.Contains("メンション", note.Title);
        Assert.Equal($"/talk/c/{channel}#m-{message.GetProperty("id").GetInt64()}", note.Link);
    }

    [Fact]
    public async Task ADeletedMessage_TakesItsMentionNotifications_HeldOnesAreNeverDelivered()
    {
        app.SetClock(InboxApp.At("Europe/Berlin", 10, 21, 0));
        var a = await app.PersonAsync();
        var quiet = await app.PersonAsync("Europe/Berlin");
        var awake = await app.PersonAsync();
        var channel = await ChannelWithAsync(a.Client, quiet, awake);
        Assert.True((await JsonOf(await quiet.Client.PutAsJsonAsync($"{Api}/preferences", new { quietFrom = "20:00", quietTo = "07:00" }))).GetProperty("quietNow").GetBoolean());
        Task<List<string?>> Notified(Person p) => app.DbAsync(db => db.Notifications.Where(n => n.UserId == p.Id && n.Kind == TalkInboxNotices.MentionKind).Select(n => n.Link).ToListAsync());
        Task<int> Held() => app.DbAsync(db => db.TalkHeldNotifications.CountAsync(h => h.UserId == quiet.Id));

        var mentions = $"@{MentionName(quiet)} @{MentionName(awake)}";
        var wrong = await PostAsync(a.Client, channel, mentions + " 誤送信：個人の電話番号 090-0000-0000");
        var right = await PostAsync(a.Client, channel, mentions + " 明日もよろしくお願いします");
        string LinkOf(JsonElement m) => $"/talk/c/{channel}#m-{m.GetProperty("id").GetInt64()}";
        Assert.Equal(2, await Held());
        Assert.Equal(2, (await Notified(awake)).Count);

        Assert.Equal(HttpStatusCode.OK, (await a.Client.DeleteAsync($"{Api}/channels/{channel}/messages/{wrong.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(1, await Held());
        Assert.Equal([LinkOf(right)], await Notified(awake));

        // The quiet hours end: only the mention of the message that still exists is delivered.
        app.SetClock(InboxApp.At("Europe/Berlin", 11, 7, 5));
        await app.SweepAsync();
        Assert.Equal([LinkOf(right)], await Notified(quiet));
        Assert.Equal(0, await Held());
    }

    [Fact]
    public async Task Digest_IsSentOnceAtThePersonsHour_WithTheRightItems_NoneWhenEmpty_AndNotWithoutSmtp()
    {
        // 07:30 in Berlin, before b's digest hour (08:00 their time).
        app.SetClock(InboxApp.At("Europe/Berlin", 6, 7, 30));
        var a = await app.PersonAsync();
        var b = await app.PersonAsync("Europe/Berlin");
        var quiet = await app.PersonAsync("Europe/Berlin");
        // The other person with a digest is in no channel with anything for them.
        var channel = await ChannelWithAsync(a.Client, b);
        var left = await ChannelWithAsync(a.Client, b);

        app.Mail.IsConfigured = false;
        await Refused(await b.Client.PutAsJsonAsync($"{Api}/preferences", new { digestEnabled = true, digestHour = 8 }), HttpStatusCode.UnprocessableEntity,
            "talk.digest_unavailable");
        Assert.False((await JsonOf(await b.Client.GetAsync($"{Api}/preferences"))).GetProperty("mailAvailable").GetBoolean());
        Assert.Contains("まとめメールは使えません", await b.Client.GetStringAsync("/talk/settings"));
        app.Mail.IsConfigured = true;
        await Refused(await b.Client.PutAsJsonAsync($"{Api}/preferences", new { digestEnabled = true, digestHour = 24 }), HttpStatusCode.UnprocessableEntity,
            "talk.digest_hour_invalid");
        Assert.True((await JsonOf(await b.Client.PutAsJsonAsync($"{Api}/preferences", new { digestEnabled = true, digestHour = 8 }))).GetProperty("digestEnabled").GetBoolean());
        Assert.True((await JsonOf(await quiet.Client.PutAsJsonAsync($"{Api}/preferences", new { digestEnabled = true, digestHour = 8 }))).GetProperty("digestEnabled").GetBoolean());

        await PostAsync(a.Client, channel, $"@{MentionName(b)} 予算資料を共有フォルダに置きました");
        await PostAsync(a.Client, channel, "【周知】避難訓練は金曜10時です", requiresAck: true);
        await PostAsync(a.Client, left, $"@{MentionName(b)} 人事の内緒話");
        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.PostAsync($"{Api}/channels/{left}/leave", null)).StatusCode);

        await app.SweepAsync();
        Assert.Empty(app.Mail.To(b.Email));

        // 08:05 Berlin, but no SMTP: nothing is sent and the day is not used up.
        app.SetClock(InboxApp.At("Europe/Berlin", 6, 8, 5));
        app.Mail.IsConfigured = false;
        await app.SweepAsync();
        Assert.Empty(app.Mail.To(b.Email));
        app.Mail.IsConfigured = true;

        await app.SweepAsync();
        await app.SweepAsync();
        var mail = Assert.Single(app.Mail.To(b.Email));
        Assert.Contains("トークのまとめ", mail.Subject);
        Assert.Contains("予算資料を共有フォルダに置きました", mail.Body);
        Assert.Contains("避難訓練は金曜10時です", mail.Body);
        Assert.Contains("試験 " + a.Email[2..6], mail.Body);
        Assert.Contains("#試験 ", mail.Body);
        Assert.DoesNotContain("人事の内緒話", mail.Body);
        // The other person had nothing new: no e-mail.
        Assert.Empty(app.Mail.To(quiet.Email));

        // The next day at 08:05 nothing came since the last digest: none.
        app.SetClock(InboxApp.At("Europe/Berlin", 7, 8, 5));
        await app.SweepAsync();
        Assert.Single(app.Mail.To(b.Email));
    }

    [Fact]
    public async Task ThePages_SaveSettings_ScheduleFromTheChannelForm_AndCancelFromTheInbox()
    {
        app.SetClock(InboxApp.At("Asia/Tokyo", 9, 11, 0));
        var a = await app.PersonAsync();
        var b = await app.PersonAsync();
        var channel = await ChannelWithAsync(a.Client, b);

        // Settings: a wrong time is refused with the reason and nothing is saved; a right one is saved.
        var bad = await FormAsync(a.Client, "/talk/settings", "prefs", new() { ["QuietFrom"] = "20:00", ["QuietTo"] = "20:00" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("通知を控える時間は", await bad.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, (await JsonOf(await a.Client.GetAsync($"{Api}/preferences"))).GetProperty("quietFrom").ValueKind);
        var ok = await FormAsync(a.Client, "/talk/settings", "prefs", new() { ["QuietFrom"] = "21:30", ["QuietTo"] = "06:00", ["QuietWeekends"] = "true", ["DigestHour"] = "7" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var prefs = await JsonOf(await a.Client.GetAsync($"{Api}/preferences"));
        Assert.Equal("21:30", prefs.GetProperty("quietFrom").GetString());
        Assert.True(prefs.GetProperty("quietWeekends").GetBoolean());
        Assert.Equal(7, prefs.GetProperty("digestHour").GetInt32());

        // The channel's post form with a town time schedules the post; the channel page shows it to the author only.
        var local = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow().AddHours(2), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        var posted = await FormAsync(a.Client, $"/talk/c/{channel}", "post",
            new() { ["Body"] = "画面から予約した連絡です", ["ScheduleAt"] = local.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var mine = Assert.Single((await JsonOf(await a.Client.GetAsync($"{Api}/scheduled"))).EnumerateArray());
        Assert.Equal(local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            TimeZoneInfo.ConvertTime(mine.GetProperty("scheduledFor").GetDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("送信予定 " + local.ToString("M/d HH:mm", System.Globalization.CultureInfo.InvariantCulture), await a.Client.GetStringAsync($"/talk/c/{channel}"));
        Assert.DoesNotContain("画面から予約した連絡です", await b.Client.GetStringAsync($"/talk/c/{channel}"));
        // A time in the past is refused on the page too.
        var past = await FormAsync(a.Client, $"/talk/c/{channel}", "post", new() { ["Body"] = "過去の予約", ["ScheduleAt"] = local.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, past.StatusCode);

        // Cancel from /talk/inbox.
        var cancelled = await FormAsync(a.Client, "/talk/inbox", "cancel", new() { ["id"] = mine.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Contains("予約を取り消しました", await cancelled.Content.ReadAsStringAsync());
        Assert.Empty((await JsonOf(await a.Client.GetAsync($"{Api}/scheduled"))).EnumerateArray());
    }

    [Fact]
    public void TheSmtpSender_IsOff_WithoutAHostAndASender()
    {
        var log = Microsoft.Extensions.Logging.Abstractions.NullLogger<SmtpMailSender>.Instance;
        Assert.False(new SmtpMailSender(Microsoft.Extensions.Options.Options.Create(new SmtpSettings()), log).IsConfigured);
        Assert.False(new SmtpMailSender(Microsoft.Extensions.Options.Options.Create(new SmtpSettings { Host = "smtp.example.jp" }), log).IsConfigured);
        Assert.True(new SmtpMailSender(Microsoft.Extensions.Options.Options.Create(new SmtpSettings { Host = "smtp.example.jp", From = "talk@example.jp" }), log).IsConfigured);
    }
}
