using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Talk;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;
using static Dokodemo.Tests.TalkKit;

namespace Dokodemo.Tests;

/// <summary>Talk notices over real HTTP: who may post one, acknowledgements, who has read, reminders (manual and the sweep), read receipts and the town setting.</summary>
public class TalkNoticeTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static List<string> Ids(JsonElement list) => [.. list.EnumerateArray().Select(p => p.GetProperty("userId").GetString()!)];

    private Task<int> RemindersAsync(string userId, long messageId) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Notifications
            .CountAsync(n => n.UserId == userId && n.Kind == "talk.notice_reminder" && n.Link!.EndsWith("#m-" + messageId.ToString(CultureInfo.InvariantCulture))));

    [Fact]
    public void EveryNoticeErrorCode_HasASentenceInBothLanguages()
    {
        foreach (var error in TalkNoticeErrors.All)
        {
            Assert.True(Dokodemo.Shared.Text.All.TryGetValue("error." + error.Code, out var pair), "no sentence for " + error.Code);
            Assert.False(string.IsNullOrWhiteSpace(pair.Ja) || string.IsNullOrWhiteSpace(pair.En), "a missing language for " + error.Code);
        }
    }

    [Fact]
    public async Task ANotice_MembersAcknowledge_TheAuthorSeesExactlyWhoAcknowledgedReadOrNot_AndNobodyElseDoes()
    {
        var owner = await app.PersonAsync();
        var acker = await app.PersonAsync();
        var reader = await app.PersonAsync();
        var silent = await app.PersonAsync();
        var stranger = await app.PersonAsync();
        var channel = await ChannelWithAsync(owner.Client, acker, reader, silent);
        var plain = await PostIdAsync(owner.Client, channel, "普通の連絡");
        var notice = await PostIdAsync(owner.Client, channel, "来週月曜は庁舎の停電点検です。各自確認してください。", requiresAck: true);
        var path = $"{Api}/channels/{channel}/messages/{notice}";

        // Acknowledging is idempotent: the second time answers the first time, one row.
        var first = await JsonOf(await acker.Client.PostAsync($"{path}/ack", null));
        var second = await JsonOf(await acker.Client.PostAsync($"{path}/ack", null));
        Assert.Equal(first.GetProperty("acknowledgedAt").GetDateTimeOffset(), second.GetProperty("acknowledgedAt").GetDateTimeOffset());
        Assert.Equal(1, await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().TalkAcks.CountAsync(a => a.MessageId == notice)));
        await Refused(await acker.Client.PostAsync($"{Api}/channels/{channel}/messages/{plain}/ack", null), HttpStatusCode.Conflict, "talk.not_a_notice");

        // The reader reads the channel without acknowledging.
        await JsonOf(await reader.Client.PostAsJsonAsync($"{Api}/channels/{channel}/read", new { messageId = notice }));

        // The author sees exactly: acknowledged = acker, read = reader, not read = silent (the author is not counted).
        var acks = await JsonOf(await owner.Client.GetAsync($"{path}/acks"));
        Assert.Equal(3, acks.GetProperty("total").GetInt32());
        Assert.Equal([acker.Id], Ids(acks.GetProperty("acknowledged")));
        Assert.Equal([reader.Id], Ids(acks.GetProperty("readNotAcknowledged")));
        Assert.Equal([silent.Id], Ids(acks.GetProperty("notRead")));
        var csv = await owner.Client.GetAsync($"{path}/acks.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains("確認済み", text);
        Assert.Contains("試験 " + acker.Email[2..6], text);
        Assert.Contains("未読", text);

        // A plain member does not see the detail (403); someone outside the private channel does not see it exists (404).
        await Refused(await silent.Client.GetAsync($"{path}/acks"), HttpStatusCode.Forbidden, "talk.notice_detail_refused");
        await Refused(await silent.Client.GetAsync($"{path}/acks.csv"), HttpStatusCode.Forbidden, "talk.notice_detail_refused");
        await Refused(await stranger.Client.GetAsync($"{path}/acks"), HttpStatusCode.NotFound, "talk.channel_not_found");
        await Refused(await stranger.Client.PostAsync($"{path}/ack", null), HttpStatusCode.NotFound, "talk.channel_not_found");
        Assert.Equal(HttpStatusCode.Forbidden, (await silent.Client.GetAsync($"/talk/c/{channel}/notice/{notice}")).StatusCode);

        // A notice cannot be a thread reply.
        await Refused(await owner.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages", new { body = "返信", threadRootId = plain, requiresAck = true }),
            (HttpStatusCode)422, "talk.notice_in_thread");

        // The silent member's inbox of pending notices has it; the acker's does not.
        Assert.Contains((await JsonOf(await silent.Client.GetAsync($"{Api}/notices?pending=true"))).EnumerateArray(), n => n.GetProperty("messageId").GetInt64() == notice);
        Assert.DoesNotContain((await JsonOf(await acker.Client.GetAsync($"{Api}/notices?pending=true"))).EnumerateArray(), n => n.GetProperty("messageId").GetInt64() == notice);

        // The pages: the silent member gets the 確認しました button and acknowledges through the form; the author's list shows
        // 確認済み 2/3 and the detail page the three groups.
        var page = await silent.Client.GetStringAsync($"/talk/c/{channel}");
        Assert.Contains($"value=\"ack|{notice}\"", page);
        Assert.DoesNotContain($"href=\"/talk/c/{channel}/notice/{notice}\"", page);
        Assert.Equal(HttpStatusCode.Redirect, (await FormAsync(silent.Client, $"/talk/c/{channel}", "act", new() { ["Act"] = $"ack|{notice}" })).StatusCode);
        Assert.DoesNotContain((await JsonOf(await silent.Client.GetAsync($"{Api}/notices"))).EnumerateArray(), n => n.GetProperty("messageId").GetInt64() == notice);
        Assert.Contains("確認済み（", await silent.Client.GetStringAsync($"/talk/c/{channel}"));
        var list = await owner.Client.GetStringAsync($"/talk/c/{channel}");
        Assert.Contains("確認済み 2/3", list);
        var detail = await owner.Client.GetStringAsync($"/talk/c/{channel}/notice/{notice}");
        Assert.Contains("確認済み 2", detail);
        Assert.Contains("既読・未確認 1", detail);
        Assert.Contains("未読 0", detail);
        Assert.Contains($"data-user=\"{reader.Id}\"", detail);
    }

    [Fact]
    public async Task APlainMemberOfALargeChannel_CannotPostANotice_ButTheOwnerCan()
    {
        var owner = await app.PersonAsync();
        var member = await app.PersonAsync();
        var channel = await ChannelWithAsync(owner.Client, member);
        // Twenty more members (people invited, not signed in): 22 in all.
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            for (var i = 0; i < 20; i++)
            {
                var email = $"n-{Guid.NewGuid():N}"[..14] + "@example.jp";
                var added = await sp.GetRequiredService<UserAdmin>().AddAsync(new NewUser(email, "多数 " + i.ToString(CultureInfo.InvariantCulture), AccountKind.Staff, "総務課", null, [Roles.Staff]), null);
                Assert.True(added.Ok);
                var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).FirstAsync();
                db.TalkMembers.Add(new TalkMember { ChannelId = channel, UserId = id, JoinedAt = DateTimeOffset.UtcNow });
            }

            await db.SaveChangesAsync();
            return 0;
        });

        var before = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().TalkMessages.CountAsync(m => m.ChannelId == channel));
        await Refused(await member.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages", new { body = "全員確認して", requiresAck = true }),
            HttpStatusCode.Forbidden, "talk.notice_refused");
        Assert.Equal(before, await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().TalkMessages.CountAsync(m => m.ChannelId == channel)));
        Assert.DoesNotContain("id=\"talk-notice\"", await member.Client.GetStringAsync($"/talk/c/{channel}"));
        await PostIdAsync(member.Client, channel, "普通の投稿はできます");
        Assert.Contains("id=\"talk-notice\"", await owner.Client.GetStringAsync($"/talk/c/{channel}"));
        var notice = await PostIdAsync(owner.Client, channel, "管理者からの周知", requiresAck: true);
        var acks = await JsonOf(await owner.Client.GetAsync($"{Api}/channels/{channel}/messages/{notice}/acks"));
        Assert.Equal(21, acks.GetProperty("total").GetInt32());
        Assert.Equal(21, acks.GetProperty("notRead").GetArrayLength());
    }

    [Fact]
    public async Task ARemind_NotifiesExactlyThoseWhoHaveNotAcknowledged_TooSoonIs409_AndTheSweepRemindsOnceAfter24Hours()
    {
        var owner = await app.PersonAsync();
        var acker = await app.PersonAsync();
        var pending = await app.PersonAsync();
        var channel = await ChannelWithAsync(owner.Client, acker, pending);
        var notice = await PostIdAsync(owner.Client, channel, "書類の提出期限は金曜です", requiresAck: true);
        var path = $"{Api}/channels/{channel}/messages/{notice}";
        await JsonOf(await acker.Client.PostAsync($"{path}/ack", null));

        await Refused(await pending.Client.PostAsync($"{path}/remind", null), HttpStatusCode.Forbidden, "talk.notice_detail_refused");
        var reminded = await JsonOf(await owner.Client.PostAsync($"{path}/remind", null));
        Assert.Equal(1, reminded.GetProperty("reminded").GetInt32());
        Assert.Equal(1, await RemindersAsync(pending.Id, notice));
        Assert.Equal(0, await RemindersAsync(acker.Id, notice));
        Assert.Equal(0, await RemindersAsync(owner.Id, notice));
        await Refused(await owner.Client.PostAsync($"{path}/remind", null), HttpStatusCode.Conflict, "talk.remind_too_soon");
        Assert.Equal(1, await RemindersAsync(pending.Id, notice));
        Assert.Contains("前回の再通知", await owner.Client.GetStringAsync($"/talk/c/{channel}/notice/{notice}"));

        // The sweep: a second notice is not reminded after 1 hour, once after 25 hours, never twice.
        var second = await PostIdAsync(owner.Client, channel, "研修の出欠を確認してください", requiresAck: true);
        var start = app.Clock.Offset;
        try
        {
            Task<int> Sweep() => app.WithScopeAsync(sp => sp.GetRequiredService<TalkNotices>().SweepAsync());
            app.Clock.Offset = start + TimeSpan.FromHours(1);
            await Sweep();
            Assert.Equal(0, await RemindersAsync(pending.Id, second));
            app.Clock.Offset = start + TimeSpan.FromHours(25);
            await Sweep();
            Assert.Equal(1, await RemindersAsync(pending.Id, second));
            Assert.Equal(1, await RemindersAsync(acker.Id, second));
            Assert.Equal(0, await RemindersAsync(owner.Id, second));
            // The first notice (reminded by hand 25 hours ago) gets its one automatic reminder too, the acker still nothing.
            Assert.Equal(2, await RemindersAsync(pending.Id, notice));
            Assert.Equal(0, await RemindersAsync(acker.Id, notice));
            app.Clock.Offset = start + TimeSpan.FromHours(49);
            await Sweep();
            Assert.Equal(1, await RemindersAsync(pending.Id, second));
            Assert.Equal(2, await RemindersAsync(pending.Id, notice));
        }
        finally
        {
            app.Clock.Offset = start;
        }
    }

    [Fact]
    public async Task ReadReceipts_ShowWhoHasRead_TheTownSettingHidesThem_ChannelsFollowTheTown_AndSettingsNeedAnAdmin()
    {
        var admin = await app.PersonAsync(roles: [Roles.Staff, Roles.Admin]);
        var owner = await app.PersonAsync();
        var member = await app.PersonAsync();
        var channel = await ChannelWithAsync(owner.Client, member);
        var message = await PostIdAsync(owner.Client, channel, "資料を共有します");
        var notice = await PostIdAsync(owner.Client, channel, "会議室の変更をお知らせします", requiresAck: true);
        await JsonOf(await member.Client.PostAsJsonAsync($"{Api}/channels/{channel}/read", new { messageId = notice }));
        var readers = $"{Api}/channels/{channel}/messages/{message}/readers";

        // On (the default): members see who has read (the author is not counted) and 既読 n on the page.
        var seen = await JsonOf(await member.Client.GetAsync(readers));
        Assert.Equal(1, seen.GetProperty("count").GetInt32());
        Assert.Equal(member.Id, seen.GetProperty("readers")[0].GetProperty("userId").GetString());
        Assert.Contains("既読 1", await owner.Client.GetStringAsync($"/talk/c/{channel}"));

        // Settings: everyone inside reads them, only an administrator changes them.
        Assert.True((await JsonOf(await member.Client.GetAsync($"{Api}/settings"))).GetProperty("readReceipts").GetBoolean());
        await Refused(await member.Client.PutAsJsonAsync($"{Api}/settings", new { readReceipts = false, channelsMayDisable = true }), HttpStatusCode.Forbidden, "access.denied");
        var deniedPage = await member.Client.GetAsync("/admin/talk");
        Assert.Equal(HttpStatusCode.Redirect, deniedPage.StatusCode);
        Assert.StartsWith("/denied", deniedPage.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await Refused(await admin.Client.PutAsJsonAsync($"{Api}/settings", new { readReceipts = false }), HttpStatusCode.BadRequest, "talk.settings_invalid");
        try
        {
            Assert.False((await JsonOf(await admin.Client.PutAsJsonAsync($"{Api}/settings", new { readReceipts = false, channelsMayDisable = true }))).GetProperty("readReceipts").GetBoolean());

            // Off: nobody sees readers of a plain message; a notice's author still does, a member does not.
            await Refused(await member.Client.GetAsync(readers), HttpStatusCode.Forbidden, "talk.read_receipts_off");
            await Refused(await owner.Client.GetAsync(readers), HttpStatusCode.Forbidden, "talk.read_receipts_off");
            Assert.Equal(1, (await JsonOf(await owner.Client.GetAsync($"{Api}/channels/{channel}/messages/{notice}/readers"))).GetProperty("count").GetInt32());
            await Refused(await member.Client.GetAsync($"{Api}/channels/{channel}/messages/{notice}/readers"), HttpStatusCode.Forbidden, "talk.read_receipts_off");
            var page = await owner.Client.GetStringAsync($"/talk/c/{channel}");
            Assert.DoesNotContain("talk-read-count", page);
            Assert.Contains("確認済み 0/1", page);
            Assert.Equal(1, (await JsonOf(await owner.Client.GetAsync($"{Api}/channels/{channel}/messages/{notice}/acks"))).GetProperty("readNotAcknowledged").GetArrayLength());

            // Town on again; the channel's owner turns them off for the channel (a member may not).
            await JsonOf(await admin.Client.PutAsJsonAsync($"{Api}/settings", new { readReceipts = true, channelsMayDisable = true }));
            await Refused(await member.Client.PutAsJsonAsync($"{Api}/channels/{channel}/read-receipts", new { enabled = false }), HttpStatusCode.Forbidden, "talk.not_owner");
            Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.PutAsJsonAsync($"{Api}/channels/{channel}/read-receipts", new { enabled = false })).StatusCode);
            await Refused(await member.Client.GetAsync(readers), HttpStatusCode.Forbidden, "talk.read_receipts_off");

            // When the town does not let channels turn them off, the channel's switch no longer hides them and cannot be set off.
            await JsonOf(await admin.Client.PutAsJsonAsync($"{Api}/settings", new { readReceipts = true, channelsMayDisable = false }));
            Assert.Equal(1, (await JsonOf(await member.Client.GetAsync(readers))).GetProperty("count").GetInt32());
            await Refused(await owner.Client.PutAsJsonAsync($"{Api}/channels/{channel}/read-receipts", new { enabled = false }), HttpStatusCode.Conflict, "talk.read_receipts_locked");

            // The admin page saves through the same store.
            var saved = await FormAsync(admin.Client, "/admin/talk", "talk-settings", new() { ["Sent"] = "1", ["ReadReceipts"] = "true" });
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Contains("トークの設定を保存しました", await saved.Content.ReadAsStringAsync());
            var now = await JsonOf(await member.Client.GetAsync($"{Api}/settings"));
            Assert.True(now.GetProperty("readReceipts").GetBoolean());
            Assert.False(now.GetProperty("channelsMayDisable").GetBoolean());
        }
        finally
        {
            await JsonOf(await admin.Client.PutAsJsonAsync($"{Api}/settings", new { readReceipts = true, channelsMayDisable = true }));
        }
    }
}
