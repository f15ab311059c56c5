using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Talk;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;
using static Dokodemo.Tests.TalkKit;

namespace Dokodemo.Tests;

/// <summary>Scheduled send over real HTTP with the fake clock: hidden until due, published once (two sweeps at once), edit and cancel before, bad times refused.</summary>
public class TalkScheduleTests(InboxApp app) : IClassFixture<InboxApp>
{
    private static Task<HttpResponseMessage> ScheduleAsync(Person p, int channel, string body, DateTimeOffset at) =>
        p.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages", new { body, scheduledFor = at });

    private static async Task<List<JsonElement>> MessagesOf(Person p, int channel) =>
        [.. (await JsonOf(await p.Client.GetAsync($"{Api}/channels/{channel}/messages"))).EnumerateArray()];

    private Task<int> NewMessageEventsAsync(int channel) =>
        app.DbAsync(db => db.LiveEvents.CountAsync(e => e.ChannelId == channel && e.Type == TalkEvents.MessageNew));

    [Fact]
    public async Task AScheduledMessage_IsInvisibleToOthers_UntilItsTime_ThenAppearsOnce_WithOneLiveEvent_AndMentionsAreCheckedAgain()
    {
        app.SetClock(InboxApp.At("Asia/Tokyo", 1, 16, 0));
        var a = await app.PersonAsync();
        var b = await app.PersonAsync();
        var c = await app.PersonAsync();
        var channel = await ChannelWithAsync(a.Client, b, c);
        var at = app.Clock.GetUtcNow().AddMinutes(10);
        var r = await ScheduleAsync(a, channel, $"@{MentionName(b)} @{MentionName(c)} 明日の会議は9時からです", at);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var scheduled = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Pending", scheduled.GetProperty("state").GetString());
        var events = await NewMessageEventsAsync(channel);

        // Nobody else sees it: not in the list, not unread, not in the inbox, not in their scheduled list, no live event.
        Assert.DoesNotContain(await MessagesOf(b, channel), m => m.GetProperty("body").GetString()!.Contains("明日の会議", StringComparison.Ordinal));
        Assert.DoesNotContain(await MessagesOf(a, channel), m => m.GetProperty("body").GetString()!.Contains("明日の会議", StringComparison.Ordinal));
        var summary = (await JsonOf(await b.Client.GetAsync($"{Api}/channels/{channel}")));
        Assert.Equal(0, summary.GetProperty("unread").GetInt32());
        Assert.Equal(0, (await JsonOf(await b.Client.GetAsync($"{Api}/inbox"))).GetProperty("count").GetInt32());
        Assert.Empty((await JsonOf(await b.Client.GetAsync($"{Api}/scheduled"))).EnumerateArray());
        Assert.Equal(0, await app.DbAsync(db => db.Notifications.CountAsync(n => n.UserId == b.Id)));
        // The author does, with its time; the channel page shows it as scheduled (送信予定).
        var mine = Assert.Single((await JsonOf(await a.Client.GetAsync($"{Api}/scheduled?channelId={channel}"))).EnumerateArray());
        Assert.Equal(scheduled.GetProperty("id").GetInt64(), mine.GetProperty("id").GetInt64());
        var page = await a.Client.GetStringAsync($"/talk/c/{channel}");
        Assert.Contains("送信予定", page);
        Assert.Contains("明日の会議は9時からです", page);
        Assert.DoesNotContain("明日の会議は9時からです", await b.Client.GetStringAsync($"/talk/c/{channel}"));

        // c leaves before the time: the mention of c is dropped when it is sent.
        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.DeleteAsync($"{Api}/channels/{channel}/members/{c.Id}")).StatusCode);
        await app.SweepAsync();
        Assert.Equal(events, await NewMessageEventsAsync(channel));

        // Its time: two sweeps at once (as two nodes would) publish it exactly once.
        app.Clock.Offset += TimeSpan.FromMinutes(11);
        var published = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => app.WithScopeAsync(sp => sp.GetRequiredService<TalkSchedule>().PublishDueAsync())));
        Assert.Equal(1, published.Sum());
        await app.SweepAsync();
        var shown = Assert.Single(await MessagesOf(b, channel), m => m.GetProperty("body").GetString()!.Contains("明日の会議", StringComparison.Ordinal));
        Assert.True(shown.GetProperty("createdAt").GetDateTimeOffset() >= at);
        Assert.Equal(events + 1, await NewMessageEventsAsync(channel));
        Assert.Equal(1, (await JsonOf(await b.Client.GetAsync($"{Api}/channels/{channel}"))).GetProperty("unread").GetInt32());
        var id = shown.GetProperty("id").GetInt64();
        Assert.Equal([b.Id], await app.DbAsync(db => db.TalkMentions.Where(m => m.MessageId == id).Select(m => m.UserId).ToListAsync()));
        Assert.Equal(1, await app.DbAsync(db => db.Notifications.CountAsync(n => n.UserId == b.Id && n.Kind == TalkInboxNotices.MentionKind)));
        Assert.Equal(0, await app.DbAsync(db => db.Notifications.CountAsync(n => n.UserId == c.Id)));
        Assert.Empty((await JsonOf(await a.Client.GetAsync($"{Api}/scheduled"))).EnumerateArray());
        Assert.Equal("Sent", await app.DbAsync(db => db.TalkScheduledMessages.Where(s => s.MessageId == id).Select(s => s.State.ToString()).SingleAsync()));
    }

    [Fact]
    public async Task AScheduledMessageThatCanNoLongerBeSent_IsReportedInItsAuthorsLanguage_WithTheTimeInTheirZone()
    {
        app.SetClock(InboxApp.At("Europe/Berlin", 1, 16, 0));
        var owner = await app.PersonAsync();
        var author = await app.PersonAsync("Europe/Berlin");
        Assert.Equal(HttpStatusCode.OK, (await author.Client.PutAsJsonAsync($"{Api}/preferences", new { digestEnabled = false, language = "en" })).StatusCode);
        var channel = await ChannelWithAsync(owner.Client, author);
        var name = (await JsonOf(await owner.Client.GetAsync($"{Api}/channels/{channel}"))).GetProperty("name").GetString()!;
        var at = app.Clock.GetUtcNow().AddMinutes(30);
        Assert.Equal(HttpStatusCode.Created, (await ScheduleAsync(author, channel, "来週の予定です", at)).StatusCode);

        // The author leaves the channel before the time: the message is not sent, and the author is told.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"{Api}/channels/{channel}/members/{author.Id}")).StatusCode);
        app.Clock.Offset += TimeSpan.FromMinutes(31);
        Assert.Equal(0, await app.WithScopeAsync(sp => sp.GetRequiredService<TalkSchedule>().PublishDueAsync()));
        var note = await app.DbAsync(db => db.Notifications.SingleAsync(n => n.UserId == author.Id && n.Kind == "talk.scheduled_failed"));
        Assert.Equal("A scheduled message was not sent", note.Title);
        var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).ToString("M/d HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"Your message scheduled for {local} in #{name} was not sent: you can no longer post in that channel.", note.Body);
        Assert.Equal("Failed", await app.DbAsync(db => db.TalkScheduledMessages.Where(s => s.AuthorId == author.Id).Select(s => s.State.ToString()).SingleAsync()));
    }

    [Fact]
    public async Task AScheduledMessage_CanBeEditedOrCancelledBeforeItsTime_AndPastOrTooFarTimesAre422()
    {
        app.SetClock(InboxApp.At("Asia/Tokyo", 2, 9, 0));
        var a = await app.PersonAsync();
        var b = await app.PersonAsync();
        var channel = await ChannelWithAsync(a.Client, b);
        var now = app.Clock.GetUtcNow();

        await Refused(await ScheduleAsync(a, channel, "過去", now.AddMinutes(-1)), HttpStatusCode.UnprocessableEntity, "talk.schedule_in_past");
        await Refused(await ScheduleAsync(a, channel, "遠すぎる", now.AddDays(31)), HttpStatusCode.UnprocessableEntity, "talk.schedule_too_far");
        await Refused(await ScheduleAsync(b, channel, "", now.AddHours(1)), HttpStatusCode.UnprocessableEntity, "talk.message_empty");
        Assert.Equal(0, await app.DbAsync(db => db.TalkScheduledMessages.CountAsync(s => s.ChannelId == channel)));

        // A time with the town's offset (+09:00) is as good as one in UTC.
        var first = await JsonOf(await ScheduleAsync(a, channel, "午後の打合せは会議室Aです", now.AddMinutes(20).ToOffset(TimeSpan.FromHours(9))));
        var firstId = first.GetProperty("id").GetInt64();
        var edited = await JsonOf(await a.Client.PutAsJsonAsync($"{Api}/scheduled/{firstId}", new { body = "午後の打合せは会議室Bに変更です", scheduledFor = now.AddMinutes(25).ToOffset(TimeSpan.FromHours(9)) }));
        Assert.Equal("午後の打合せは会議室Bに変更です", edited.GetProperty("body").GetString());
        await Refused(await a.Client.PutAsJsonAsync($"{Api}/scheduled/{firstId}", new { scheduledFor = now.AddMinutes(-5) }), HttpStatusCode.UnprocessableEntity,
            "talk.schedule_in_past");
        // Another person's scheduled message is not found (neither edit nor cancel).
        await Refused(await b.Client.PutAsJsonAsync($"{Api}/scheduled/{firstId}", new { body = "乗っ取り" }), HttpStatusCode.NotFound, "talk.scheduled_not_found");
        await Refused(await b.Client.DeleteAsync($"{Api}/scheduled/{firstId}"), HttpStatusCode.NotFound, "talk.scheduled_not_found");

        var second = await JsonOf(await ScheduleAsync(a, channel, "取り消す予定の連絡", now.AddMinutes(22)));
        var secondId = second.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.DeleteAsync($"{Api}/scheduled/{secondId}")).StatusCode);
        await Refused(await a.Client.DeleteAsync($"{Api}/scheduled/{secondId}"), HttpStatusCode.Conflict, "talk.scheduled_not_pending");

        // 21 minutes later: the edited one is not due yet (25), the cancelled one never comes.
        app.Clock.Offset += TimeSpan.FromMinutes(21);
        await app.SweepAsync();
        Assert.DoesNotContain(await MessagesOf(b, channel), m => m.GetProperty("body").GetString()!.Contains("打合せ", StringComparison.Ordinal));
        app.Clock.Offset += TimeSpan.FromMinutes(5);
        await app.SweepAsync();
        var bodies = (await MessagesOf(b, channel)).Select(m => m.GetProperty("body").GetString()).ToList();
        Assert.Contains("午後の打合せは会議室Bに変更です", bodies);
        Assert.DoesNotContain("午後の打合せは会議室Aです", bodies);
        Assert.DoesNotContain("取り消す予定の連絡", bodies);
        await Refused(await a.Client.PutAsJsonAsync($"{Api}/scheduled/{firstId}", new { body = "遅すぎた変更" }), HttpStatusCode.Conflict, "talk.scheduled_not_pending");
    }
}
