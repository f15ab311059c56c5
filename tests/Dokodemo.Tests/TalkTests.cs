using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Talk;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.SeatsKit;
using static Dokodemo.Tests.TalkKit;

namespace Dokodemo.Tests;

/// <summary>Talk over real HTTP: department sync, who sees which channel, posting, editing with history, deletion traces, mentions, Markdown safety, unread counts.</summary>
public class TalkTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private Task<TalkSyncReport> SyncAsync() => app.WithScopeAsync(sp => sp.GetRequiredService<TalkSync>().RunAsync());

    private Task<List<string>> MembersOfAsync(int channelId) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().TalkMembers.Where(m => m.ChannelId == channelId).Select(m => m.UserId).ToListAsync());

    private Task<int> MessageCountAsync() => app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().TalkMessages.CountAsync());

    private static async Task<JsonElement> ChannelOf(HttpClient client, int channel) =>
        (await JsonOf(await client.GetAsync($"{Api}/channels"))).EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == channel);

    [Fact]
    public async Task DepartmentSync_MakesOneChannelPerDepartment_WithItsInsidersOnly_IsIdempotent_AndFollowsMovesAndLeavers()
    {
        var staff = await app.PersonAsync("総務課");
        var partTime = await app.PersonAsync("総務課", AccountKind.PartTimeStaff);
        var partner = await app.PersonAsync("総務課", AccountKind.Partner);
        var sideJob = await app.PersonAsync("総務課", AccountKind.SideJobWorker);
        var resident = await app.PersonAsync("住民課");

        await SyncAsync();
        var somu = await DepartmentChannelAsync(app, "総務課");
        var jumin = await DepartmentChannelAsync(app, "住民課");
        var members = await MembersOfAsync(somu);
        Assert.Contains(staff.Id, members);
        Assert.Contains(partTime.Id, members);
        Assert.DoesNotContain(partner.Id, members);
        Assert.DoesNotContain(sideJob.Id, members);
        Assert.DoesNotContain(resident.Id, members);
        Assert.Contains(resident.Id, await MembersOfAsync(jumin));

        // Idempotent: nothing changes the second time.
        Assert.False((await SyncAsync()).Changed);
        Assert.Equal(1, await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().TalkChannels.CountAsync(c => c.DepartmentId == sp.GetRequiredService<AppDbContext>().Departments.First(d => d.Name == "総務課").Id)));

        // The resident moves to 総務課 and the staff member is disabled: the CLI's "talk sync" follows.
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var somuId = await db.Departments.Where(d => d.Name == "総務課").Select(d => d.Id).FirstAsync();
            await db.Users.Where(u => u.Id == resident.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DepartmentId, somuId));
            await db.Users.Where(u => u.Id == staff.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true));
            return 0;
        });
        Assert.Equal(0, app.RunCli("talk", "sync"));
        Assert.Contains("Department channels:", app.LastOutput);
        members = await MembersOfAsync(somu);
        Assert.Contains(resident.Id, members);
        Assert.DoesNotContain(staff.Id, members);
        Assert.DoesNotContain(resident.Id, await MembersOfAsync(jumin));
        Assert.False((await SyncAsync()).Changed);
    }

    [Fact]
    public async Task APartner_NeitherListsNorReadsNorPostsInADepartmentChannel_AndNonMembersCannotReadAPrivateChannel()
    {
        var staff = await app.PersonAsync("総務課");
        var partner = await app.PersonAsync("総務課", AccountKind.Partner);
        var other = await app.PersonAsync("住民課");
        await SyncAsync();
        var somu = await DepartmentChannelAsync(app, "総務課");
        var posted = await PostAsync(staff.Client, somu, "課内の連絡です");

        // The staff member lists and reads their department channel.
        Assert.Contains((await JsonOf(await staff.Client.GetAsync($"{Api}/channels"))).EnumerateArray(), c => c.GetProperty("id").GetInt32() == somu);

        // The partner (in the same department) sees nothing of it: not listed, 404 to read or post, no browsing at all.
        Assert.DoesNotContain((await JsonOf(await partner.Client.GetAsync($"{Api}/channels"))).EnumerateArray(), c => c.GetProperty("kind").GetString() == "Department");
        await Refused(await partner.Client.GetAsync($"{Api}/channels/{somu}"), HttpStatusCode.NotFound, "talk.channel_not_found");
        await Refused(await partner.Client.GetAsync($"{Api}/channels/{somu}/messages"), HttpStatusCode.NotFound, "talk.channel_not_found");
        await Refused(await partner.Client.PostAsJsonAsync($"{Api}/channels/{somu}/messages", new { body = "こんにちは" }), HttpStatusCode.NotFound, "talk.channel_not_found");
        await Refused(await partner.Client.GetAsync($"{Api}/channels/{somu}/messages/{posted.GetProperty("id").GetInt64()}/thread"), HttpStatusCode.NotFound, "talk.channel_not_found");
        await Refused(await partner.Client.GetAsync($"{Api}/channels/browse"), HttpStatusCode.Forbidden, "access.denied");
        await Refused(await partner.Client.PostAsJsonAsync($"{Api}/channels", new { name = "外部", kind = "topic" }), HttpStatusCode.Forbidden, "access.denied");
        // Nor can an owner put them in a department channel.
        await Refused(await staff.Client.PostAsJsonAsync($"{Api}/channels/{somu}/members", new { userId = partner.Id }), HttpStatusCode.Conflict, "talk.department_managed");
        var page = await partner.Client.GetStringAsync("/talk");
        Assert.DoesNotContain("総務課", page);

        // Another department's staff cannot read this private department channel either.
        await Refused(await other.Client.GetAsync($"{Api}/channels/{somu}/messages"), HttpStatusCode.NotFound, "talk.channel_not_found");

        // A private project: its members read, the partner once added reads and posts, a non-member does not.
        var project = await CreateChannelAsync(staff.Client);
        await Refused(await other.Client.GetAsync($"{Api}/channels/{project}/messages"), HttpStatusCode.NotFound, "talk.channel_not_found");
        await Refused(await partner.Client.GetAsync($"{Api}/channels/{project}"), HttpStatusCode.NotFound, "talk.channel_not_found");
        await AddAsync(staff.Client, project, partner.Id);
        await PostAsync(partner.Client, project, "パートナーから報告です");
        Assert.Single((await JsonOf(await partner.Client.GetAsync($"{Api}/channels/{project}/messages"))).EnumerateArray());

        // A public topic: other insiders read it without joining but post only after joining; the partner never browses it.
        var topic = await CreateChannelAsync(staff.Client, visibility: "Public", kind: "Topic");
        await PostAsync(staff.Client, topic, "公開の話題");
        Assert.Single((await JsonOf(await other.Client.GetAsync($"{Api}/channels/{topic}/messages"))).EnumerateArray());
        await Refused(await other.Client.PostAsJsonAsync($"{Api}/channels/{topic}/messages", new { body = "参加前" }), HttpStatusCode.Forbidden, "talk.not_member");
        Assert.Contains((await JsonOf(await other.Client.GetAsync($"{Api}/channels/browse"))).EnumerateArray(), c => c.GetProperty("id").GetInt32() == topic);
        Assert.Equal(HttpStatusCode.NoContent, (await other.Client.PostAsync($"{Api}/channels/{topic}/join", null)).StatusCode);
        await PostAsync(other.Client, topic, "参加しました");
        await Refused(await partner.Client.GetAsync($"{Api}/channels/{topic}/messages"), HttpStatusCode.NotFound, "talk.channel_not_found");
        await Refused(await partner.Client.PostAsync($"{Api}/channels/{topic}/join", null), HttpStatusCode.NotFound, "talk.channel_not_found");
    }

    [Fact]
    public async Task Editing_KeepsAVisibleHistory_AndDeletingLeavesATombstone_WithTheTraceForModerators()
    {
        var author = await app.PersonAsync();
        var reader = await app.PersonAsync();
        var manager = await app.PersonAsync(roles: [Roles.Staff, Roles.Manager]);
        var channel = await CreateChannelAsync(author.Client);
        await AddAsync(author.Client, channel, reader.Id);
        await AddAsync(author.Client, channel, manager.Id);

        var m = await PostAsync(author.Client, channel, "会議は10時からです");
        var id = m.GetProperty("id").GetInt64();
        var edited = await author.Client.PutAsJsonAsync($"{Api}/channels/{channel}/messages/{id}", new { body = "会議は11時からです" });
        var e = await JsonOf(edited);
        Assert.Equal("会議は11時からです", e.GetProperty("body").GetString());
        Assert.NotEqual(JsonValueKind.Null, e.GetProperty("editedAt").ValueKind);
        await Refused(await reader.Client.PutAsJsonAsync($"{Api}/channels/{channel}/messages/{id}", new { body = "改ざん" }), HttpStatusCode.Forbidden, "talk.not_author");
        var history = (await JsonOf(await reader.Client.GetAsync($"{Api}/channels/{channel}/messages/{id}/revisions"))).EnumerateArray().ToList();
        Assert.Equal(["会議は10時からです"], history.Select(h => h.GetProperty("body").GetString()));

        // The reader cannot delete the author's message; the author can, and a trace stays.
        await Refused(await reader.Client.DeleteAsync($"{Api}/channels/{channel}/messages/{id}"), HttpStatusCode.Forbidden, "talk.not_author");
        Assert.Equal(HttpStatusCode.OK, (await author.Client.DeleteAsync($"{Api}/channels/{channel}/messages/{id}?reason=誤送信")).StatusCode);
        var seen = (await JsonOf(await reader.Client.GetAsync($"{Api}/channels/{channel}/messages"))).EnumerateArray().Single(x => x.GetProperty("id").GetInt64() == id);
        Assert.True(seen.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("body").ValueKind);
        Assert.Equal("", seen.GetProperty("html").GetString());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("deletedById").ValueKind);
        await Refused(await reader.Client.GetAsync($"{Api}/channels/{channel}/messages/{id}/revisions"), HttpStatusCode.Conflict, "talk.message_deleted");
        Assert.Contains("このメッセージは削除されました", await reader.Client.GetStringAsync($"/talk/c/{channel}"));

        var mod = await JsonOf(await manager.Client.GetAsync($"{Api}/channels/{channel}/messages/{id}"));
        Assert.Equal("会議は11時からです", mod.GetProperty("body").GetString());
        Assert.Equal(author.Id, mod.GetProperty("deletedById").GetString());
        Assert.Equal("誤送信", mod.GetProperty("deleteReason").GetString());

        // A moderator deletes someone else's message; it is audited as moderation.
        var other = await PostAsync(reader.Client, channel, "不適切な投稿");
        Assert.Equal(HttpStatusCode.OK, (await manager.Client.DeleteAsync($"{Api}/channels/{channel}/messages/{other.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.True(await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AnyAsync(a => a.Event == "talk.message_deleted" && a.ActorId == manager.Id)));
    }

    [Fact]
    public async Task APostsAnswer_NamesTheAuthorAsStoredNow_NotAsTheSessionRemembers()
    {
        var author = await app.PersonAsync();
        var channel = await CreateChannelAsync(author.Client);
        var before = await PostAsync(author.Client, channel, "改名の前");
        var oldName = before.GetProperty("authorName").GetString();
        Assert.False(string.IsNullOrEmpty(oldName));

        // Renamed (e.g. by HR after a marriage) while the session, with the old name in its claims, stays signed in.
        await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Users.Where(u => u.Id == author.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, "改名 後子")));
        var after = await PostAsync(author.Client, channel, "改名の後");
        Assert.Equal("改名 後子", after.GetProperty("authorName").GetString());
        var listed = (await JsonOf(await author.Client.GetAsync($"{Api}/channels/{channel}/messages"))).EnumerateArray()
            .Single(x => x.GetProperty("id").GetInt64() == after.GetProperty("id").GetInt64());
        Assert.Equal("改名 後子", listed.GetProperty("authorName").GetString());
    }

    [Fact]
    public async Task AMentionOfSomeoneOutsideTheChannel_IsRefused422NamingThem_AndNothingIsSaved_WhileMembersAreMentioned()
    {
        var author = await app.PersonAsync();
        var member = await app.PersonAsync();
        var outsider = await app.PersonAsync();
        var channel = await CreateChannelAsync(author.Client);
        await AddAsync(author.Client, channel, member.Id);
        var before = await MessageCountAsync();

        var refused = await author.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages", new { body = $"@{MentionName(outsider)} 確認お願いします" });
        await Refused(refused, (HttpStatusCode)422, "talk.mention_outside");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var outsiderName = "試験 " + outsider.Email[2..6];
        Assert.Equal([outsiderName], problem.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(outsiderName, problem.GetProperty("detail").GetString());
        Assert.Equal(before, await MessageCountAsync());

        await Refused(await author.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages", new { body = "  " }), (HttpStatusCode)422, "talk.message_empty");
        await Refused(await author.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages", new { body = new string('あ', 8001) }), (HttpStatusCode)422, "talk.message_too_long");
        Assert.Equal(before, await MessageCountAsync());

        await PostAsync(author.Client, channel, $"@{MentionName(member)} 資料を見てください。@channel");
        var seen = await ChannelOf(member.Client, channel);
        Assert.Equal(1, seen.GetProperty("mentions").GetInt32());
        Assert.Equal(1, seen.GetProperty("unread").GetInt32());
        Assert.Equal(0, (await ChannelOf(author.Client, channel)).GetProperty("mentions").GetInt32());
    }

    [Fact]
    public async Task Markdown_IsRenderedSafely_NoScriptNoJavascriptLinksNoImages()
    {
        var author = await app.PersonAsync();
        var channel = await CreateChannelAsync(author.Client);
        var body = "**重要** <script>alert(1)</script> [押して](javascript:alert(2)) <img src=x onerror=alert(3)> ![画像](https://evil.example/p.png) [町](https://example.jp/) http://example.org/a";
        var m = await PostAsync(author.Client, channel, body);
        var html = m.GetProperty("html").GetString()!;
        Assert.Contains("<strong>重要</strong>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("<a href=\"https://example.jp/\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">町</a>", html);
        Assert.Contains("href=\"http://example.org/a\"", html);
        Assert.Equal(body, m.GetProperty("body").GetString());

        var page = await author.Client.GetStringAsync($"/talk/c/{channel}");
        Assert.DoesNotContain("<script>alert", page);
        Assert.DoesNotContain("javascript:alert", page);
        Assert.DoesNotContain("<img src=x", page);
        Assert.DoesNotContain("src=\"https://evil.example", page);
    }

    [Theory]
    [InlineData("[a](JaVaScRiPt:alert(1))")]
    [InlineData("[a](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    public void Markdown_NeverEmitsActiveContent(string markdown)
    {
        var html = TalkMarkdown.ToHtml(markdown);
        // Dangerous text may remain as text (escaped); it never becomes markup or an address.
        Assert.DoesNotContain("href=\"data:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnreadCounts_FollowTheReadMarker_AndViewingTheChannelMarksItRead()
    {
        var author = await app.PersonAsync();
        var reader = await app.PersonAsync();
        var channel = await CreateChannelAsync(author.Client);
        await AddAsync(author.Client, channel, reader.Id);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await PostAsync(author.Client, channel, $"お知らせ {i}")).GetProperty("id").GetInt64());
        }

        // A thread reply does not count as unread in the channel.
        await PostAsync(author.Client, channel, "補足", threadRootId: ids[0]);
        Assert.Equal(3, (await ChannelOf(reader.Client, channel)).GetProperty("unread").GetInt32());
        Assert.Equal(0, (await ChannelOf(author.Client, channel)).GetProperty("unread").GetInt32());

        var marker = await JsonOf(await reader.Client.PostAsJsonAsync($"{Api}/channels/{channel}/read", new { messageId = ids[1] }));
        Assert.Equal(1, marker.GetProperty("unread").GetInt32());
        // Never backwards.
        marker = await JsonOf(await reader.Client.PostAsJsonAsync($"{Api}/channels/{channel}/read", new { messageId = ids[0] }));
        Assert.Equal(ids[1], marker.GetProperty("lastReadMessageId").GetInt64());
        Assert.Equal(1, (await ChannelOf(reader.Client, channel)).GetProperty("unread").GetInt32());

        var page = await reader.Client.GetStringAsync($"/talk/c/{channel}");
        Assert.Contains("お知らせ 2", page);
        Assert.Equal(0, (await ChannelOf(reader.Client, channel)).GetProperty("unread").GetInt32());

        // Reading one's channels is not a string of refusals in the audit log (moderation is asked only of moderators).
        Assert.False(await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.AnyAsync(a => a.Event == "access.denied" && a.ActorId == reader.Id)));
    }

    [Fact]
    public async Task Threads_Reactions_Pins_Paging_DirectAndGroupMessages()
    {
        var a = await app.PersonAsync();
        var b = await app.PersonAsync();
        var channel = await CreateChannelAsync(a.Client);
        await AddAsync(a.Client, channel, b.Id);
        var root = (await PostAsync(a.Client, channel, "議題")).GetProperty("id").GetInt64();
        await PostAsync(b.Client, channel, "賛成です", threadRootId: root);
        var thread = (await JsonOf(await b.Client.GetAsync($"{Api}/channels/{channel}/messages/{root}/thread"))).EnumerateArray().ToList();
        Assert.Equal(["議題", "賛成です"], thread.Select(t => t.GetProperty("body").GetString()));
        Assert.Equal(1, thread[0].GetProperty("replyCount").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages/{root}/reactions", new { emoji = "👍" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages/{root}/reactions", new { emoji = "👍" })).StatusCode);
        await Refused(await b.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages/{root}/reactions", new { emoji = "<b>" }), HttpStatusCode.BadRequest, "talk.emoji_unknown");
        var r = (await JsonOf(await a.Client.GetAsync($"{Api}/channels/{channel}/messages/{root}"))).GetProperty("reactions").EnumerateArray().Single();
        Assert.Equal(("👍", 1, false), (r.GetProperty("emoji").GetString(), r.GetProperty("count").GetInt32(), r.GetProperty("mine").GetBoolean()));
        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.DeleteAsync($"{Api}/channels/{channel}/messages/{root}/reactions?emoji=" + Uri.EscapeDataString("👍"))).StatusCode);
        Assert.Empty((await JsonOf(await a.Client.GetAsync($"{Api}/channels/{channel}/messages/{root}"))).GetProperty("reactions").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.PostAsync($"{Api}/channels/{channel}/messages/{root}/pin", null)).StatusCode);
        Assert.Single((await JsonOf(await a.Client.GetAsync($"{Api}/channels/{channel}/pins"))).EnumerateArray());

        // Paging: newest first, "before" goes back, "after" forward.
        var more = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            more.Add((await PostAsync(a.Client, channel, $"m{i}")).GetProperty("id").GetInt64());
        }

        var newest = (await JsonOf(await a.Client.GetAsync($"{Api}/channels/{channel}/messages?limit=2"))).EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([more[3], more[2]], newest);
        var older = (await JsonOf(await a.Client.GetAsync($"{Api}/channels/{channel}/messages?limit=2&before={more[2]}"))).EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([more[1], more[0]], older);
        var after = (await JsonOf(await a.Client.GetAsync($"{Api}/channels/{channel}/messages?limit=2&after={more[0]}"))).EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([more[2], more[1]], after);

        // One direct channel per pair, whoever opens it.
        var d1 = (await JsonOf(await a.Client.PostAsJsonAsync($"{Api}/direct", new { userId = b.Id }))).GetProperty("id").GetInt32();
        var d2 = (await JsonOf(await b.Client.PostAsJsonAsync($"{Api}/direct", new { userId = a.Id }))).GetProperty("id").GetInt32();
        Assert.Equal(d1, d2);
        await Refused(await a.Client.PostAsJsonAsync($"{Api}/direct", new { userId = a.Id }), HttpStatusCode.BadRequest, "talk.direct_self");

        // A group of up to eight.
        var c = await app.PersonAsync();
        var group = await JsonOf(await a.Client.PostAsJsonAsync($"{Api}/groups", new { userIds = new[] { b.Id, c.Id } }));
        Assert.Equal(3, group.GetProperty("memberCount").GetInt32());
        var nine = Enumerable.Range(0, 8).Select(i => b.Id + i).Append(b.Id).ToArray();
        await Refused(await a.Client.PostAsJsonAsync($"{Api}/groups", new { userIds = nine }), HttpStatusCode.BadRequest, "talk.group_size");

        // Archived: readable, nobody posts.
        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.PostAsync($"{Api}/channels/{channel}/archive", null)).StatusCode);
        await Refused(await b.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages", new { body = "まだ" }), HttpStatusCode.Conflict, "talk.archived");
    }

    [Fact]
    public async Task ThePages_WorkWithPlainForms_CreateAddPostEditRefuseAMentionAndArchive()
    {
        var owner = await app.PersonAsync();
        var colleague = await app.PersonAsync();
        var stranger = await app.PersonAsync();

        var created = await FormAsync(owner.Client, "/talk", "create", new() { ["Name"] = "画面の試験", ["Purpose"] = "フォーム", ["Kind"] = "Project", ["Visibility"] = "Private" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var path = new Uri(new Uri("http://localhost"), created.Headers.Location!).AbsolutePath;
        Assert.StartsWith("/talk/c/", path, StringComparison.Ordinal);
        var channel = int.Parse(path["/talk/c/".Length..], System.Globalization.CultureInfo.InvariantCulture);

        // The owner finds the colleague by name and adds them.
        var colleagueName = "試験 " + colleague.Email[2..6];
        var found = await owner.Client.GetStringAsync($"{path}?add={Uri.EscapeDataString(colleagueName)}");
        Assert.Contains(colleagueName, found);
        var added = await FormAsync(owner.Client, $"{path}?add={Uri.EscapeDataString(colleagueName)}", "add", new() { ["AddId"] = colleague.Id });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains(colleague.Id, await MembersOfAsync(channel));

        // The colleague posts through the page; a mention of the stranger is refused with their name, nothing saved.
        var before = await MessageCountAsync();
        var refused = await FormAsync(colleague.Client, path, "post", new() { ["Body"] = $"@{MentionName(stranger)} こんにちは" });
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Contains("試験 " + stranger.Email[2..6], await refused.Content.ReadAsStringAsync());
        Assert.Equal(before, await MessageCountAsync());
        var posted = await FormAsync(colleague.Client, path, "post", new() { ["Body"] = "画面から送信" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var id = (await JsonOf(await owner.Client.GetAsync($"{Api}/channels/{channel}/messages"))).EnumerateArray().First().GetProperty("id").GetInt64();

        // Edit through the page; the history shows the old text.
        var edited = await FormAsync(colleague.Client, $"{path}?edit={id}", "edit", new() { ["EditId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["EditBody"] = "画面から送信（訂正）" });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var history = await owner.Client.GetStringAsync($"{path}?history={id}");
        Assert.Contains("画面から送信（訂正）", history);
        Assert.Contains("<p>画面から送信</p>", history);

        // A reaction, then the owner archives; posting is closed.
        Assert.Equal(HttpStatusCode.Redirect, (await FormAsync(owner.Client, path, "act", new() { ["Act"] = $"react|{id}|🙏" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await FormAsync(owner.Client, path, "archive", new() { ["Archive"] = "1" })).StatusCode);
        var archived = await colleague.Client.GetStringAsync(path);
        Assert.Contains("アーカイブされています", archived);
        Assert.DoesNotContain("id=\"talk-post\"", archived);
        var reaction = (await JsonOf(await owner.Client.GetAsync($"{Api}/channels/{channel}/messages/{id}"))).GetProperty("reactions").EnumerateArray().Single();
        Assert.Equal(("🙏", 1), (reaction.GetProperty("emoji").GetString(), reaction.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task TheSyncSweep_PutsANewcomerInTheirDepartmentChannel_WithoutARestart()
    {
        // A second node on the same database, whose sweep runs every second (5 minutes by default).
        using var node = new TestApp("Demo", seed: false, sameDatabaseAs: app, extra: new() { ["Dokodemo__Talk__SyncEvery"] = "00:00:01" });
        await node.WithScopeAsync(sp => Task.FromResult(0)); // started (its start-up sync ran before the newcomer existed)
        var newcomer = await app.PersonAsync("総務課");
        var channel = await DepartmentChannelAsync(app, "総務課");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(await MembersOfAsync(channel)).Contains(newcomer.Id))
        {
            Assert.True(DateTime.UtcNow < deadline, "the newcomer did not reach the department channel within 15 s");
            await Task.Delay(250);
        }

        Assert.Contains(await ChannelsOfAsync(newcomer.Client), c => c == channel);
    }

    /// <summary>
    /// The message writer (P4): messages queued together share a transaction, each written with its mentions, the author's
    /// read marker and its live event in its own savepoint; those the database refuses (an author who does not exist) are
    /// rolled back alone, with nothing of them left, and the rest commit.
    /// </summary>
    [Fact]
    public async Task TheMessageWriter_WritesAGroupInOneTransaction_EachWithItsMentionsMarkerAndEvent_AndRefusesOnlyTheBadOne()
    {
        var author = await app.PersonAsync();
        var member = await app.PersonAsync();
        var channel = await CreateChannelAsync(author.Client);
        await AddAsync(author.Client, channel, member.Id);
        var writer = app.Services.GetRequiredService<TalkMessageWriter>();
        var at = DateTimeOffset.UtcNow;
        TalkMessage Message(int i, string authorId) => new() { ChannelId = channel, AuthorId = authorId, Body = $"一斉送信 {i} 会議の件", CreatedAt = at.AddMilliseconds(i) };

        var before = writer.Counts;
        // Refused: one alone, two in a row, and the last (PostgreSQL sends a batch's messages together and sends again
        // those after a refused one).
        int[] bad = [7, 12, 13, 19];
        var writes = Enumerable.Range(0, 20).Select(i => (Message: Message(i, bad.Contains(i) ? "no-such-person" : author.Id), Mentioned: i % 2 == 0 ? new[] { member.Id } : [])).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await writer.InsertAsync(w.Message, w.Mentioned);
                return true;
            }
            catch (System.Data.Common.DbException)
            {
                return false;
            }
        }));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => !bad.Contains(i)), outcomes);
        var after = writer.Counts;
        Assert.Equal(20, after.Writes - before.Writes);
        Assert.True(after.Transactions - before.Transactions < 20, $"{after.Transactions - before.Transactions} transactions for 20 writes: no grouping");
        var made = writes.Where((_, i) => !bad.Contains(i)).Select(w => w.Message.Id).ToList();
        Assert.Equal(16, made.Distinct().Count());
        Assert.All(made, id => Assert.True(id > 0));

        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var stored = await db.TalkMessages.AsNoTracking().Where(m => m.ChannelId == channel).OrderBy(m => m.Id).ToListAsync();
            Assert.Equal(made.Order(), stored.Select(m => m.Id));
            // What the writer stored reads back through the EF model (instants in the model's storage).
            var first = stored.Single(m => m.Id == writes[0].Message.Id);
            Assert.Equal((author.Id, "一斉送信 0 会議の件", at.ToUnixTimeMilliseconds(), false), (first.AuthorId, first.Body, first.CreatedAt.ToUnixTimeMilliseconds(), first.RequiresAck));
            var mentions = await db.TalkMentions.Where(m => m.ChannelId == channel).Select(m => m.MessageId).ToListAsync();
            Assert.Equal(writes.Where((_, i) => i % 2 == 0 && !bad.Contains(i)).Select(w => w.Message.Id).Order(), mentions.Order());
            var events = await db.LiveEvents.AsNoTracking().Where(e => e.ChannelId == channel && e.Type == TalkEvents.MessageNew).ToListAsync();
            Assert.Equal(made.Order(), events.Select(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("id").GetInt64()).Order());
            Assert.Equal(made.Max(), await db.TalkMembers.Where(m => m.ChannelId == channel && m.UserId == author.Id).Select(m => m.LastReadMessageId).SingleAsync());
            return 0;
        });

        // Through the API the member sees the 16 unread, 9 of them mentioning them.
        var seen = await ChannelOf(member.Client, channel);
        Assert.Equal((16, 9), (seen.GetProperty("unread").GetInt32(), seen.GetProperty("mentions").GetInt32()));
    }

    private static async Task<List<int>> ChannelsOfAsync(HttpClient client) =>
        [.. (await JsonOf(await client.GetAsync($"{Api}/channels"))).EnumerateArray().Select(c => c.GetProperty("id").GetInt32())];
}
