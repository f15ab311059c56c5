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

/// <summary>Talk search over real HTTP (SQLite and PostgreSQL): exact Japanese substrings, Latin words, NFKC, edits and deletions, filters, who may find what, bad queries.</summary>
public class TalkSearchTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static async Task<JsonElement> SearchAsync(HttpClient client, string query) =>
        await JsonOf(await client.GetAsync($"{Api}/search?{query}"));

    /// <summary>The ids found, in the order answered.</summary>
    private static async Task<long[]> IdsAsync(HttpClient client, string q, string more = "") =>
        [.. (await SearchAsync(client, "q=" + Uri.EscapeDataString(q) + more)).GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("messageId").GetInt64())];

    /// <summary>A word no other test writes (letters only, so it is one Latin term).</summary>
    private static string Unique() => "zq" + new string([.. Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(8)]);

    [Fact]
    public async Task JapaneseQueries_FindExactlyTheMessagesHoldingTheText_NewestFirst()
    {
        var staff = await app.PersonAsync("総務課");
        var c = await CreateChannelAsync(staff.Client);
        var a = await PostIdAsync(staff.Client, c, "明日の会議は10時からです。");
        var b = await PostIdAsync(staff.Client, c, "第二会議室を予約しました");
        var council = await PostIdAsync(staff.Client, c, "町議会の傍聴に行きます");
        var d = await PostIdAsync(staff.Client, c, "住民票の申請書を受け付けました");
        var e = await PostIdAsync(staff.Client, c, "補助金申請の締切は金曜日");
        var f = await PostIdAsync(staff.Client, c, "打ち合わせは午後から");
        var g = await PostIdAsync(staff.Client, c, "会議会議室の件"); // the same bigram twice before 議室
        var apart = await PostIdAsync(staff.Client, c, "会議と議室は別の言葉"); // 会議 and 議室, but not 会議室
        var reply = await PostIdAsync(staff.Client, c, "会議の資料を添付します", threadRootId: a);
        var scope = $"&channel={c}";

        Assert.Equal(new[] { reply, apart, g, b, a }, await IdsAsync(staff.Client, "会議", scope));
        Assert.DoesNotContain(council, await IdsAsync(staff.Client, "会議", scope));
        Assert.Equal(new[] { g, council }, await IdsAsync(staff.Client, "議会", scope)); // 会議会議室 holds 議会 too
        Assert.Equal(new[] { e, d }, await IdsAsync(staff.Client, "申請", scope));
        Assert.Equal(new[] { g, b }, await IdsAsync(staff.Client, "会議室", scope));
        Assert.Equal(new[] { e }, await IdsAsync(staff.Client, "補助金申請", scope));
        Assert.Equal(new[] { d }, await IdsAsync(staff.Client, "住民票", scope));
        Assert.Equal(new[] { f }, await IdsAsync(staff.Client, "打ち合わせ", scope));
        Assert.Empty(await IdsAsync(staff.Client, "会議は11時", scope));

        // A hit tells where it is and shows the match in its text, as plain text.
        var hit = (await SearchAsync(staff.Client, $"q={Uri.EscapeDataString("会議室")}{scope}")).GetProperty("hits")[1];
        Assert.Equal(c, hit.GetProperty("channelId").GetInt32());
        Assert.Equal("会議室", hit.GetProperty("snippet").GetProperty("match").GetString());
        Assert.Equal("第二", hit.GetProperty("snippet").GetProperty("before").GetString());
        Assert.Equal(a, (await SearchAsync(staff.Client, $"q={Uri.EscapeDataString("資料")}{scope}")).GetProperty("hits")[0].GetProperty("threadRootId").GetInt64());

        // Paging: newest first, "before" goes on from the last hit.
        var first = await SearchAsync(staff.Client, $"q={Uri.EscapeDataString("会議")}{scope}&limit=2");
        Assert.Equal(apart, first.GetProperty("nextBefore").GetInt64());
        Assert.Equal(new[] { g, b }, await IdsAsync(staff.Client, "会議", $"{scope}&limit=2&before={apart}"));
    }

    [Fact]
    public async Task LatinWordsAndFullWidthText_AreFoundWhateverTheWidthAndCase()
    {
        var staff = await app.PersonAsync("総務課");
        var c = await CreateChannelAsync(staff.Client);
        var word = Unique();
        var zoom = await PostIdAsync(staff.Client, c, $"Zoom でつなぎます {word}");
        var abc = await PostIdAsync(staff.Client, c, $"ＡＢＣ案で進めます {word}");
        var kana = await PostIdAsync(staff.Client, c, $"ｶﾀｶﾅの書類 {word}");
        var scope = $"&channel={c}";

        Assert.Equal(new[] { zoom }, await IdsAsync(staff.Client, "zoom", scope));
        Assert.Equal(new[] { zoom }, await IdsAsync(staff.Client, "ＺＯＯＭ", scope));
        Assert.Equal(new[] { abc }, await IdsAsync(staff.Client, "abc", scope));
        Assert.Equal(new[] { abc }, await IdsAsync(staff.Client, "ABC案", scope));
        Assert.Equal(new[] { kana }, await IdsAsync(staff.Client, "カタカナ", scope));
        Assert.Equal(new[] { kana, abc, zoom }, await IdsAsync(staff.Client, word.ToUpperInvariant()));
        var hit = (await SearchAsync(staff.Client, $"q=abc{scope}")).GetProperty("hits")[0];
        Assert.Equal("ＡＢＣ", hit.GetProperty("snippet").GetProperty("match").GetString());
    }

    [Fact]
    public async Task AnEditedMessage_IsFoundByItsNewTextOnly_AndADeletedOneNotAtAll()
    {
        var staff = await app.PersonAsync("総務課");
        var c = await CreateChannelAsync(staff.Client);
        var id = await PostIdAsync(staff.Client, c, "旧庁舎の鍵を返却してください");
        var other = await PostIdAsync(staff.Client, c, "鍵を保管しています");
        var scope = $"&channel={c}";
        Assert.Equal(new[] { id }, await IdsAsync(staff.Client, "旧庁舎", scope));

        var edit = await staff.Client.PutAsJsonAsync($"{Api}/channels/{c}/messages/{id}", new { body = "新庁舎の鍵を返却してください" });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Empty(await IdsAsync(staff.Client, "旧庁舎", scope));
        Assert.Equal(new[] { id }, await IdsAsync(staff.Client, "新庁舎", scope));
        Assert.Equal(new[] { other, id }, await IdsAsync(staff.Client, "鍵を", scope));

        Assert.True((await staff.Client.DeleteAsync($"{Api}/channels/{c}/messages/{id}")).IsSuccessStatusCode);
        Assert.Empty(await IdsAsync(staff.Client, "新庁舎", scope));
        Assert.Equal(new[] { other }, await IdsAsync(staff.Client, "鍵を", scope));
        Assert.Equal(0, await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            return await db.Database.SqlQueryRaw<int>("""SELECT COUNT(*) AS "Value" FROM "TalkSearch" WHERE "MessageId" = {0}""", id).SingleAsync();
        }));
    }

    [Fact]
    public async Task Filters_Channel_Author_AndTownDates()
    {
        var staff = await app.PersonAsync("総務課");
        var colleague = await app.PersonAsync("総務課");
        var c1 = await CreateChannelAsync(staff.Client);
        var c2 = await CreateChannelAsync(staff.Client);
        await AddAsync(staff.Client, c1, colleague.Id);
        var word = Unique();

        // Three days ago at 23:30 in Japan (14:30 UTC): that town date, not the next. Written through the one insert.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), PlacesApp.Japan).DateTime);
        var old = new DateTimeOffset(today.AddDays(-3).ToDateTime(new TimeOnly(23, 30)), TimeSpan.FromHours(9));
        var early = await app.WithScopeAsync(async sp =>
        {
            var m = new TalkMessage { ChannelId = c1, AuthorId = staff.Id, Body = $"古い連絡 {word}", CreatedAt = old.ToUniversalTime() };
            await sp.GetRequiredService<TalkMessages>().InsertAsync(m, [], default);
            return m.Id;
        });

        var mine = await PostIdAsync(staff.Client, c1, $"課内の連絡 {word}");
        var theirs = await PostIdAsync(colleague.Client, c1, $"同僚の連絡 {word}");
        var elsewhere = await PostIdAsync(staff.Client, c2, $"別チャンネルの連絡 {word}");

        Assert.Equal(new[] { elsewhere, theirs, mine, early }, await IdsAsync(staff.Client, word));
        Assert.Equal(new[] { theirs, mine, early }, await IdsAsync(staff.Client, word, $"&channel={c1}"));
        Assert.Equal(new[] { theirs }, await IdsAsync(staff.Client, word, $"&person={colleague.Id}"));
        Assert.Equal(new[] { elsewhere, mine, early }, await IdsAsync(staff.Client, word, $"&person={staff.Id}"));
        var d = today.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new[] { early }, await IdsAsync(staff.Client, word, $"&from={d}&to={d}"));
        Assert.Equal(new[] { elsewhere, theirs, mine }, await IdsAsync(staff.Client, word, $"&from={today.AddDays(-2):yyyy-MM-dd}"));
        Assert.Equal(new[] { early }, await IdsAsync(staff.Client, word, $"&to={today.AddDays(-1):yyyy-MM-dd}"));
        await Refused(await staff.Client.GetAsync($"{Api}/search?q={word}&from={today:yyyy-MM-dd}&to={today.AddDays(-1):yyyy-MM-dd}"),
            (HttpStatusCode)422, "talk.search_dates_reversed");

        // The colleague is not in c2: its message is not theirs to find, and asking for c2 is as if it did not exist.
        Assert.Equal(new[] { theirs, mine, early }, await IdsAsync(colleague.Client, word));
        await Refused(await colleague.Client.GetAsync($"{Api}/search?q={word}&channel={c2}"), HttpStatusCode.NotFound, "talk.channel_not_found");
    }

    [Fact]
    public async Task OnlyChannelsOneMayReadNow_PrivateForMembers_PublicForInsiders_NeverADepartmentChannelForAPartner()
    {
        var staff = await app.PersonAsync("総務課");
        var outsiderStaff = await app.PersonAsync("住民課");
        var partner = await app.PersonAsync("総務課", AccountKind.Partner);
        await app.WithScopeAsync(sp => sp.GetRequiredService<TalkSync>().RunAsync());
        var somu = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var dept = await db.Departments.Where(x => x.Name == "総務課").Select(x => x.Id).FirstAsync();
            return await db.TalkChannels.Where(x => x.Kind == ChannelKind.Department && x.DepartmentId == dept).Select(x => x.Id).FirstAsync();
        });
        var word = Unique();
        var inDepartment = await PostIdAsync(staff.Client, somu, $"課内の会議 {word}");
        var privateChannel = await CreateChannelAsync(staff.Client);
        var inPrivate = await PostIdAsync(staff.Client, privateChannel, $"非公開の会議 {word}");
        var topic = await CreateChannelAsync(staff.Client, visibility: "Public", kind: "Topic");
        var inTopic = await PostIdAsync(staff.Client, topic, $"公開の会議 {word}");
        var project = await CreateChannelAsync(staff.Client);
        await AddAsync(staff.Client, project, partner.Id);
        var withPartner = await PostIdAsync(staff.Client, project, $"委託先との会議 {word}");

        Assert.Equal(new[] { withPartner, inTopic, inPrivate, inDepartment }, await IdsAsync(staff.Client, word));
        // Another department's staff: the public topic only (not the private channel, not 総務課's department channel).
        Assert.Equal(new[] { inTopic }, await IdsAsync(outsiderStaff.Client, word));
        Assert.Equal(new[] { inTopic }, await IdsAsync(outsiderStaff.Client, "会議 " + word));
        await Refused(await outsiderStaff.Client.GetAsync($"{Api}/search?q={word}&channel={privateChannel}"), HttpStatusCode.NotFound, "talk.channel_not_found");
        // The partner of 総務課: the project they were added to, never the department channel nor the public topic.
        Assert.Equal(new[] { withPartner }, await IdsAsync(partner.Client, word));
        Assert.Equal(new[] { withPartner }, await IdsAsync(partner.Client, "会議", $"&person={staff.Id}"));
        await Refused(await partner.Client.GetAsync($"{Api}/search?q={word}&channel={somu}"), HttpStatusCode.NotFound, "talk.channel_not_found");

        // Taken out of a channel: its messages are no longer found.
        Assert.Equal(HttpStatusCode.NoContent, (await staff.Client.DeleteAsync($"{Api}/channels/{project}/members/{partner.Id}")).StatusCode);
        Assert.Empty(await IdsAsync(partner.Client, word));
    }

    [Fact]
    public async Task BadQueries_Are422WithAStableCode_AndAJapaneseSentence()
    {
        var staff = await app.PersonAsync("総務課");
        await Refused(await staff.Client.GetAsync($"{Api}/search?q=%E4%BC%9A"), (HttpStatusCode)422, "talk.search_query_too_short"); // 会
        await Refused(await staff.Client.GetAsync($"{Api}/search?q=a"), (HttpStatusCode)422, "talk.search_query_too_short");
        await Refused(await staff.Client.GetAsync($"{Api}/search"), (HttpStatusCode)422, "talk.search_query_too_short");
        await Refused(await staff.Client.GetAsync($"{Api}/search?q=%20%20"), (HttpStatusCode)422, "talk.search_query_too_short");
        await Refused(await staff.Client.GetAsync($"{Api}/search?q={Uri.EscapeDataString(new string('会', 101))}"), (HttpStatusCode)422, "talk.search_query_too_long");
        await Refused(await staff.Client.GetAsync($"{Api}/search?q={Uri.EscapeDataString("！？")}"), (HttpStatusCode)422, "talk.search_query_no_terms");
        var r = await staff.Client.GetAsync($"{Api}/search?q=a");
        Assert.Contains("2文字以上", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync($"{Api}/search?q={Uri.EscapeDataString(new string('会', 100))}")).StatusCode);
    }

    [Fact]
    public async Task MessagesWrittenBeforeTheIndex_AreIndexedByTheCatchUp_AndTheRebuild()
    {
        var staff = await app.PersonAsync("総務課");
        var c = await CreateChannelAsync(staff.Client);
        var word = Unique();
        var id = await PostIdAsync(staff.Client, c, $"移行前の書類 {word}");
        var gone = await PostIdAsync(staff.Client, c, $"削除済み {word}");
        Assert.True((await staff.Client.DeleteAsync($"{Api}/channels/{c}/messages/{gone}")).IsSuccessStatusCode);

        // As if the index were new: emptied, then rebuilt (the `talk reindex` command).
        var rebuilt = await app.WithScopeAsync(sp => TalkSearchIndex.RebuildAsync(sp.GetRequiredService<AppDbContext>()));
        Assert.True(rebuilt >= 2);
        Assert.Equal(new[] { id }, await IdsAsync(staff.Client, word));

        // A message inserted without the index (a bulk load) is found after the catch-up that runs at start.
        var bulk = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var m = new TalkMessage { ChannelId = c, AuthorId = staff.Id, Body = $"一括投入 {word}", CreatedAt = app.Clock.GetUtcNow() };
            db.TalkMessages.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });
        Assert.Equal(new[] { id }, await IdsAsync(staff.Client, word));
        Assert.Equal(1, await app.WithScopeAsync(sp => TalkSearchIndex.CatchUpAsync(sp.GetRequiredService<AppDbContext>())));
        Assert.Equal(new[] { bulk, id }, await IdsAsync(staff.Client, word));
        Assert.Equal(0, app.RunCli("talk", "reindex"));
        Assert.Equal(new[] { bulk, id }, await IdsAsync(staff.Client, word));
    }

    [Fact]
    public async Task AnIndexRowLeftForAnIdTheNextMessageTakes_IsReplaced_NotARefusalOfEveryLaterPost()
    {
        if (TestDatabase.IsPostgres)
        {
            return; // PostgreSQL's sequences never give an id twice; on SQLite a rolled-back id is taken again
        }

        var staff = await app.PersonAsync("総務課");
        var c = await CreateChannelAsync(staff.Client);
        await PostIdAsync(staff.Client, c, "最初の投稿");
        var orphan = Unique();
        var word = Unique();
        // As a transaction rolled back under the writer left it (seen under P4's load): the index rows of the next id, without
        // its message.
        var next = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """
                SELECT seq + 1 FROM sqlite_sequence WHERE name = 'TalkMessages';
                INSERT INTO "TalkSearch" ("MessageId", "ChannelId", "AuthorId", "CreatedAt", "Text")
                    SELECT seq + 1, @channel, @author, 0, @text FROM sqlite_sequence WHERE name = 'TalkMessages';
                INSERT INTO "TalkSearchFts" (rowid, "Terms") SELECT seq + 1, @doc FROM sqlite_sequence WHERE name = 'TalkMessages';
                """;
            _ = DbCommands.Set(command, "channel", c);
            _ = DbCommands.Set(command, "author", staff.Id);
            _ = DbCommands.Set(command, "text", orphan);
            _ = DbCommands.Set(command, "doc", TalkSearchIndex.SqliteDocument(orphan, c));
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        });

        // The next posts are written (this one takes that id) and found by their own words only.
        var id = await PostIdAsync(staff.Client, c, $"次の投稿 {word}");
        Assert.Equal(next, id);
        Assert.Equal(new[] { id }, await IdsAsync(staff.Client, word));
        Assert.Empty(await IdsAsync(staff.Client, orphan));
        var after = await PostIdAsync(staff.Client, c, $"その次 {word}");
        Assert.Equal(new[] { after, id }, await IdsAsync(staff.Client, word));
    }

    [Fact]
    public async Task ThePage_SearchesWithAPlainForm_AndMarksTheMatch()
    {
        var staff = await app.PersonAsync("総務課");
        var c = await CreateChannelAsync(staff.Client);
        var word = Unique();
        var id = await PostIdAsync(staff.Client, c, $"<b>予算</b>の説明会 {word}");
        Assert.Contains("href=\"/talk/search\"", await staff.Client.GetStringAsync("/talk"), StringComparison.Ordinal);
        var empty = await staff.Client.GetStringAsync("/talk/search");
        Assert.Contains("id=\"talk-search-form\"", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"ts-hits\"", empty, StringComparison.Ordinal);

        var html = await staff.Client.GetStringAsync($"/talk/search?q={Uri.EscapeDataString("説明会")}&channel={c}");
        Assert.Contains($"data-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("<mark>説明会</mark>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;予算&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains($"/talk/c/{c}?before={id + 1}#m-{id}", html, StringComparison.Ordinal);

        var bad = await staff.Client.GetStringAsync("/talk/search?q=a");
        Assert.Contains("2文字以上", bad, StringComparison.Ordinal);
    }

    /// <summary>
    /// PostgreSQL with many readable channels and only common terms checks the newest index rows first
    /// (<see cref="TalkSearch.NewestWalkRows"/>): whether that walk holds a full page (the page) or not (the GIN query
    /// then), the hits are exactly those of the index alone: every exact 打合せ, none of the messages holding both of its
    /// bigrams apart (打合 … 合せ), none in a channel the searcher may not read, newest first, page by page, with filters.
    /// </summary>
    [Fact]
    public async Task CommonTerms_OverManyChannels_TheNewestRowsWalk_FindsExactlyWhatTheIndexFinds()
    {
        var staff = await app.PersonAsync("総務課");
        var colleague = await app.PersonAsync("総務課");
        var stranger = await app.PersonAsync("住民課");
        var c = await CreateChannelAsync(staff.Client);
        await AddAsync(staff.Client, c, colleague.Id);
        var hidden = await CreateChannelAsync(stranger.Client);

        var hits = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            hits.Add(await PostIdAsync(staff.Client, c, $"明日の打合せは{i}時から"));
        }

        for (var i = 0; i < 60; i++)
        {
            await PostIdAsync(i % 2 == 0 ? staff.Client : colleague.Client, c, $"打合の後で合せます{i}"); // both bigrams, not the text
        }

        var theirs = await PostIdAsync(colleague.Client, c, "打合せの資料です");
        hits.Add(theirs);
        for (var i = 0; i < 10; i++)
        {
            await PostIdAsync(stranger.Client, hidden, $"別の課の打合せ{i}"); // not readable by staff
        }

        for (var i = 0; i < 3; i++)
        {
            hits.Add(await PostIdAsync(staff.Client, c, $"打合せ室を予約しました{i}"));
        }

        hits.Reverse();
        if (app.Provider == "Postgres")
        {
            // The statistics the walk asks: 打合 and 合せ are now in most of the rows.
            await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().Database.ExecuteSqlRawAsync("""ANALYZE "TalkSearch" """));
        }

        var (upTo, walk) = (TalkSearch.ChannelTokensUpTo, TalkSearch.NewestWalkRows);
        try
        {
            // Channel tokens; the channel filter with the GIN query alone; a walk over every row; walks too short for the page.
            foreach (var (tokensUpTo, rows) in new[] { (32, 10_000), (0, 0), (0, 10_000), (0, 40), (0, 12) })
            {
                (TalkSearch.ChannelTokensUpTo, TalkSearch.NewestWalkRows) = (tokensUpTo, rows);
                var setting = $"tokens up to {tokensUpTo}, walk {rows}";
                Assert.True(hits.SequenceEqual(await IdsAsync(staff.Client, "打合せ", "&limit=50")), setting);
                foreach (var limit in new[] { 1, 2, 3, 5 })
                {
                    var paged = new List<long>();
                    long? before = null;
                    do
                    {
                        var page = await SearchAsync(staff.Client, $"q={Uri.EscapeDataString("打合せ")}&limit={limit}" + (before is { } b ? $"&before={b}" : ""));
                        paged.AddRange(page.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("messageId").GetInt64()));
                        before = page.GetProperty("nextBefore").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextBefore").GetInt64();
                    }
                    while (before is not null);

                    Assert.True(hits.SequenceEqual(paged), $"{setting}, pages of {limit}");
                }

                Assert.Equal(new[] { theirs }, await IdsAsync(staff.Client, "打合せ", $"&limit=2&person={colleague.Id}"));
                Assert.Equal(hits.Where(h => h != theirs).Take(2), await IdsAsync(staff.Client, "打合せ", $"&limit=2&person={staff.Id}"));
                Assert.Equal(hits.Take(3), await IdsAsync(staff.Client, "打合せ", $"&limit=3&channel={c}"));
                Assert.Empty(await IdsAsync(staff.Client, "打合せ", $"&limit=2&to={app.Today.AddDays(-1):yyyy-MM-dd}"));
                Assert.Equal(10, (await IdsAsync(stranger.Client, "打合せ", "&limit=50")).Length);
            }
        }
        finally
        {
            (TalkSearch.ChannelTokensUpTo, TalkSearch.NewestWalkRows) = (upTo, walk);
        }
    }
}
