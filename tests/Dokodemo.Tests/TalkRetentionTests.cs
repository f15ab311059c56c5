using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Talk;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.TalkKit;

namespace Dokodemo.Tests;

/// <summary>Talk retention (保存期間, 年度末起算, legal hold, the sweep) and the export for records requests, over real HTTP and a real database.</summary>
public class TalkRetentionTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static readonly TimeZoneInfo Japan = PlacesApp.Japan;

    private static Task<HttpResponseMessage> PutRetentionAsync(HttpClient client, int channel, object body) =>
        client.PutAsJsonAsync($"{Api}/channels/{channel}/retention", body);

    private static async Task<JsonElement> OkJson(HttpResponseMessage r)
    {
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task AssertProblem(HttpResponseMessage r, HttpStatusCode status, string code)
    {
        Assert.True(r.StatusCode == status, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        Assert.Equal(code, await PlacesApp.CodeOf(r));
    }

    private Task<Person> AdminAsync() => app.PersonAsync("総務課", AccountKind.Staff, null, Roles.Staff, Roles.Admin);

    private static DateTimeOffset Jst(int year, int month, int day, int hour, int minute) =>
        new(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified), TimeSpan.FromHours(9));

    /// <summary>A message written directly with its date in the past (the API writes "now"), with a revision, a reaction and a mention.</summary>
    private Task<long> OldMessageAsync(int channel, string authorId, DateTimeOffset local, string body, bool pin = false) =>
        app.WithScopeAsync(async sp =>
        {
            var at = local.ToUniversalTime();
            var db = sp.GetRequiredService<AppDbContext>();
            var m = new TalkMessage { ChannelId = channel, AuthorId = authorId, Body = body, CreatedAt = at, EditedAt = at.AddMinutes(5) };
            db.TalkMessages.Add(m);
            await db.SaveChangesAsync();
            db.TalkRevisions.Add(new TalkRevision { MessageId = m.Id, Body = body + "（修正前）", ReplacedAt = at.AddMinutes(5), EditedById = authorId });
            db.TalkReactions.Add(new TalkReaction { MessageId = m.Id, UserId = authorId, Emoji = "👍", CreatedAt = at });
            db.TalkMentions.Add(new TalkMention { MessageId = m.Id, UserId = authorId, ChannelId = channel });
            if (pin)
            {
                db.TalkPins.Add(new TalkPin { MessageId = m.Id, ChannelId = channel, PinnedById = authorId, PinnedAt = at });
            }

            await db.SaveChangesAsync();
            return m.Id;
        });

    private sealed record Row(string Body, string? DeleteReason, DateTimeOffset? DeletedAt, int Revisions, int Reactions, int Mentions);

    private Task<Row> RowAsync(long id) =>
        app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var m = await db.TalkMessages.AsNoTracking().SingleAsync(x => x.Id == id);
            return new Row(m.Body, m.DeleteReason, m.DeletedAt, await db.TalkRevisions.CountAsync(r => r.MessageId == id),
                await db.TalkReactions.CountAsync(r => r.MessageId == id), await db.TalkMentions.CountAsync(r => r.MessageId == id));
        });

    private Task<RetentionSweepReport> SweepAsync() => app.WithScopeAsync(sp => sp.GetRequiredService<TalkRetention>().SweepAsync());

    private Task<List<string>> AuditDetailsAsync(string @event, string subject) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.Where(a => a.Event == @event && a.SubjectId == subject)
            .OrderBy(a => a.Sequence).Select(a => a.Details).ToListAsync());

    [Fact]
    public async Task Sweep_DisposesExactlyWhatIsPastItsPeriod_CountedFromTheFiscalYearEnd_NeverOnHoldOrPinned_Audited_AndIdempotent()
    {
        var owner = await app.PersonAsync();
        var admin = await AdminAsync();
        var channel = await CreateChannelAsync(owner.Client);
        var held = await CreateChannelAsync(owner.Client);
        var byDays = await CreateChannelAsync(owner.Client);

        // The records officer sets 1年 on both (below the town default of 5年 for projects: only an administrator may) and holds the second.
        Assert.Equal("1y", (await OkJson(await PutRetentionAsync(admin.Client, channel, new { @class = "1y" }))).GetProperty("class").GetString());
        await OkJson(await PutRetentionAsync(admin.Client, held, new { @class = "1y" }));
        var hold = await OkJson(await PutRetentionAsync(admin.Client, held, new { @class = "1y", legalHold = true, holdReason = "令和8年(行ウ)第3号 情報公開請求" }));
        Assert.True(hold.GetProperty("legalHold").GetBoolean());
        Assert.Equal(JsonValueKind.Null, hold.GetProperty("disposableBefore").ValueKind);

        // 年度末起算: with a 1年 class, a message of the 年度 before last is past its period; one of last 年度 is not.
        // (Today in 2026年度: 2025-03-31 is disposed, 2025-04-01 is kept until 2027-04-01.)
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), Japan).DateTime);
        var fiscal = Domain.Calendar.JapaneseDates.FiscalYear(today);
        var lastDayOld = Jst(fiscal - 1, 3, 31, 23, 59);
        var firstDayKept = Jst(fiscal - 1, 4, 1, 0, 0);
        var get = await OkJson(await owner.Client.GetAsync($"{Api}/channels/{channel}/retention"));
        Assert.Equal(firstDayKept, get.GetProperty("disposableBefore").GetDateTimeOffset());
        Assert.Equal("channel", get.GetProperty("source").GetString());

        var old = await OldMessageAsync(channel, owner.Id, lastDayOld, "年度末の連絡：予算書を提出しました");
        var kept = await OldMessageAsync(channel, owner.Id, firstDayKept, "新年度の連絡：担当が変わります");
        var pinned = await OldMessageAsync(channel, owner.Id, lastDayOld.AddDays(-10), "周知：窓口の受付時間", pin: true);
        var onHold = await OldMessageAsync(held, owner.Id, lastDayOld.AddYears(-3), "係争中の案件の記録");

        // The old RetentionDays column still works (days from the message, no 年度 rounding) when no class is set.
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            await db.TalkChannels.Where(c => c.Id == byDays).ExecuteUpdateAsync(u => u.SetProperty(c => c.RetentionDays, 30));
            return 0;
        });
        var now = app.Clock.GetUtcNow();
        var dayOld = await OldMessageAsync(byDays, owner.Id, now.AddDays(-31), "31日前");
        var dayKept = await OldMessageAsync(byDays, owner.Id, now.AddDays(-29), "29日前");

        var report = await SweepAsync();
        Assert.True(report.HeldChannels >= 1);

        var disposed = await RowAsync(old);
        Assert.Equal("", disposed.Body);
        Assert.Equal(TalkRetention.DisposedReason, disposed.DeleteReason);
        Assert.NotNull(disposed.DeletedAt);
        Assert.Equal((0, 0, 0), (disposed.Revisions, disposed.Reactions, disposed.Mentions));
        Assert.Equal(new Row("新年度の連絡：担当が変わります", null, null, 1, 1, 1), await RowAsync(kept));
        Assert.Equal("周知：窓口の受付時間", (await RowAsync(pinned)).Body);
        Assert.Equal(new Row("係争中の案件の記録", null, null, 1, 1, 1), await RowAsync(onHold));
        Assert.Equal("", (await RowAsync(dayOld)).Body);
        Assert.Equal("29日前", (await RowAsync(dayKept)).Body);

        // Members see the tombstone like any deleted message; the thread of ids stays.
        var list = await OkJson(await owner.Client.GetAsync($"{Api}/channels/{channel}/messages"));
        Assert.Contains(list.EnumerateArray(), m => m.GetProperty("id").GetInt64() == old && m.GetProperty("deleted").GetBoolean());

        var audit = Assert.Single(await AuditDetailsAsync("talk.retention_disposed", TalkAccess.Id(channel)));
        Assert.Contains("\"messages\":\"1\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"revisions\":\"1\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"class\":\"1y\"", audit, StringComparison.Ordinal);
        Assert.Empty(await AuditDetailsAsync("talk.retention_disposed", TalkAccess.Id(held)));

        // Idempotent: a second sweep finds nothing and writes nothing.
        Assert.Equal(0, (await SweepAsync()).Messages);
        Assert.Single(await AuditDetailsAsync("talk.retention_disposed", TalkAccess.Id(channel)));

        // The hold is released (administrator only; the owner may not): the next sweep disposes what was held.
        await AssertProblem(await PutRetentionAsync(owner.Client, held, new { @class = "10y", legalHold = false }), HttpStatusCode.Forbidden, "talk.hold_admin_only");
        Assert.Equal("係争中の案件の記録", (await RowAsync(onHold)).Body);
        await OkJson(await PutRetentionAsync(admin.Client, held, new { @class = "1y", legalHold = false }));
        Assert.Equal(1, (await SweepAsync()).Messages);
        Assert.Equal("", (await RowAsync(onHold)).Body);
        Assert.Single(await AuditDetailsAsync("talk.legal_hold_released", TalkAccess.Id(held)));
    }

    [Fact]
    public void FiscalCutoff_CountsFromTheFirstOfAprilAfterTheFiscalYearOfTheMessage()
    {
        // On 2026-04-01 (JST) a 1年 message of 2025-03-31 is past (cutoff 2025-04-01); on 2026-03-31 it is not (cutoff 2024-04-01).
        Assert.Equal(Jst(2025, 4, 1, 0, 0), TalkRetention.FiscalCutoff(1, Jst(2026, 4, 1, 0, 0), Japan));
        Assert.Equal(Jst(2024, 4, 1, 0, 0), TalkRetention.FiscalCutoff(1, Jst(2026, 3, 31, 23, 59), Japan));
        Assert.Equal(Jst(2021, 4, 1, 0, 0), TalkRetention.FiscalCutoff(5, Jst(2026, 11, 22, 12, 0), Japan));
    }

    [Fact]
    public async Task RetentionPut_IsForTheOwnerAndAdministrators_MembersGet403_OthersGet404_BadInputIs422AndChangesNothing()
    {
        var owner = await app.PersonAsync();
        var member = await app.PersonAsync();
        var stranger = await app.PersonAsync("住民課");
        var admin = await AdminAsync();
        var channel = await CreateChannelAsync(owner.Client);
        await AddAsync(owner.Client, channel, member.Id);

        await AssertProblem(await PutRetentionAsync(member.Client, channel, new { @class = "10y" }), HttpStatusCode.Forbidden, "access.denied");
        await AssertProblem(await PutRetentionAsync(stranger.Client, channel, new { @class = "10y" }), HttpStatusCode.NotFound, "talk.channel_not_found");
        await AssertProblem(await stranger.Client.GetAsync($"{Api}/channels/{channel}/retention"), HttpStatusCode.NotFound, "talk.channel_not_found");

        // A member may read the period (no change rights); the owner may lengthen it, not shorten it below the town default (5年).
        var seen = await OkJson(await member.Client.GetAsync($"{Api}/channels/{channel}/retention"));
        Assert.Equal("5y", seen.GetProperty("effectiveClass").GetString());
        Assert.Equal("default", seen.GetProperty("source").GetString());
        Assert.False(seen.GetProperty("mayChange").GetBoolean());
        await AssertProblem(await PutRetentionAsync(owner.Client, channel, new { @class = "1y" }), HttpStatusCode.UnprocessableEntity, "talk.retention_below_default");
        Assert.Equal("10y", (await OkJson(await PutRetentionAsync(owner.Client, channel, new { @class = "10y" }))).GetProperty("class").GetString());
        await AssertProblem(await PutRetentionAsync(owner.Client, channel, new { @class = "7y" }), HttpStatusCode.UnprocessableEntity, "talk.retention_class_unknown");
        await AssertProblem(await PutRetentionAsync(owner.Client, channel, new { @class = "10y", legalHold = true, holdReason = "x" }), HttpStatusCode.Forbidden,
            "talk.hold_admin_only");

        // The administrator reaches the private channel without being in it; a hold needs a reason.
        await AssertProblem(await PutRetentionAsync(admin.Client, channel, new { @class = "permanent", legalHold = true }), HttpStatusCode.UnprocessableEntity,
            "talk.hold_reason_required");
        var after = await OkJson(await admin.Client.GetAsync($"{Api}/channels/{channel}/retention"));
        Assert.Equal("10y", after.GetProperty("class").GetString());
        Assert.False(after.GetProperty("legalHold").GetBoolean());
        Assert.True(after.GetProperty("mayHold").GetBoolean());
        var permanent = await OkJson(await PutRetentionAsync(admin.Client, channel, new { @class = "permanent" }));
        Assert.Equal(JsonValueKind.Null, permanent.GetProperty("disposableBefore").ValueKind);

        var changes = await AuditDetailsAsync("talk.retention_changed", TalkAccess.Id(channel));
        Assert.Equal(2, changes.Count);
        Assert.Contains("\"as\":\"owner\"", changes[0], StringComparison.Ordinal);
        Assert.Contains("\"to\":\"permanent\"", changes[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstSettingsSavedAtOnce_OneWinsOrEachIn409_NeverA500_AndExactlyOneRowStays()
    {
        var owner = await app.PersonAsync();
        var admin = await AdminAsync();
        for (var round = 0; round < 3; round++)
        {
            // A channel without settings; its owner and an administrator save its first settings at the same moment, several times.
            var channel = await CreateChannelAsync(owner.Client);
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                PutRetentionAsync(i % 2 == 0 ? owner.Client : admin.Client, channel, new { @class = i % 2 == 0 ? "10y" : "30y" })));
            foreach (var r in answers)
            {
                Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
                if (r.StatusCode == HttpStatusCode.Conflict)
                {
                    await AssertProblem(r, HttpStatusCode.Conflict, "talk.retention_changed_meanwhile");
                }
            }

            Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.OK);
            var rows = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().TalkChannelRetention.CountAsync(x => x.ChannelId == channel));
            Assert.Equal(1, rows);
        }
    }

    [Fact]
    public async Task Export_IsAZipWithAJapaneseTranscript_DeletionTracesAndRevisions_ACsvForExcel_AndJson_RefusedToMembers_Audited()
    {
        var owner = await app.PersonAsync();
        var member = await app.PersonAsync();
        var channel = await CreateChannelAsync(owner.Client);
        await AddAsync(owner.Client, channel, member.Id);
        var meeting = await PostIdAsync(owner.Client, channel, "明日の会議は10時からです");
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.PutAsJsonAsync($"{Api}/channels/{channel}/messages/{meeting}", new { body = "明日の会議は11時からです" })).StatusCode);
        var wrong = await PostIdAsync(member.Client, channel, "住民票の写し、=SUM(A1) 件を確認しました, \"至急\"");
        Assert.Equal(HttpStatusCode.OK, (await member.Client.DeleteAsync($"{Api}/channels/{channel}/messages/{wrong}?reason=誤送信")).StatusCode);

        await AssertProblem(await member.Client.PostAsync($"{Api}/channels/{channel}/export", null), HttpStatusCode.Forbidden, "access.denied");
        await AssertProblem(await owner.Client.PostAsync($"{Api}/channels/{channel}/export?from=2026-05-02&to=2026-05-01", null), HttpStatusCode.UnprocessableEntity,
            "talk.export_range_invalid");
        await AssertProblem(await owner.Client.PostAsync($"{Api}/channels/{channel}/export?from=令和8年", null), HttpStatusCode.UnprocessableEntity, "talk.export_date_invalid");
        Assert.Empty(await AuditDetailsAsync("talk.channel_exported", TalkAccess.Id(channel)));

        var today = PlacesApp.Iso(app.Today);
        var r = await owner.Client.PostAsync($"{Api}/channels/{channel}/export?from={today}&to={today}", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/zip", r.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".zip", r.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(["channel.json", "messages.csv", "transcript.html"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        var html = Read(zip, "transcript.html");
        Assert.Contains("トーク記録", html, StringComparison.Ordinal);
        Assert.Contains("明日の会議は11時からです", html, StringComparison.Ordinal);
        Assert.Contains("明日の会議は10時からです", html, StringComparison.Ordinal); // the text before the edit
        Assert.Contains("住民票の写し", html, StringComparison.Ordinal); // the deleted text (records export)
        Assert.Contains("削除：", html, StringComparison.Ordinal);
        Assert.Contains("誤送信", html, StringComparison.Ordinal);
        Assert.Contains("&quot;至急&quot;", html, StringComparison.Ordinal); // escaped, never raw markup
        Assert.Contains("JST", html, StringComparison.Ordinal);

        var csvBytes = ReadBytes(zip, "messages.csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], csvBytes[..3]);
        var rows = ParseCsv(Encoding.UTF8.GetString(csvBytes[3..]));
        var header = rows[0];
        Assert.Equal(14, header.Count);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row => Assert.Equal(14, row.Count));
        var deletedRow = rows.Single(x => x[0] == wrong.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("住民票の写し、=SUM(A1) 件を確認しました, \"至急\"", deletedRow[header.IndexOf("body")]);
        Assert.Equal("誤送信", deletedRow[header.IndexOf("delete_reason")]);
        Assert.EndsWith("+09:00", deletedRow[header.IndexOf("created_at")], StringComparison.Ordinal);
        Assert.Equal("1", rows.Single(x => x[0] == meeting.ToString(System.Globalization.CultureInfo.InvariantCulture))[header.IndexOf("revisions")]);

        var json = JsonDocument.Parse(Read(zip, "channel.json")).RootElement;
        Assert.Equal(2, json.GetProperty("messages").GetArrayLength());
        Assert.Equal(2, json.GetProperty("members").GetArrayLength());

        var audit = Assert.Single(await AuditDetailsAsync("talk.channel_exported", TalkAccess.Id(channel)));
        Assert.Contains("\"messages\":\"2\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"deleted\":\"1\"", audit, StringComparison.Ordinal);

        // A range with nothing in it still exports (an empty record is an answer too).
        var tomorrow = PlacesApp.Iso(app.Today.AddDays(1));
        var empty = await owner.Client.PostAsync($"{Api}/channels/{channel}/export?from={tomorrow}", null);
        using var emptyZip = new ZipArchive(new MemoryStream(await empty.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        Assert.Equal(0, JsonDocument.Parse(Read(emptyZip, "channel.json")).RootElement.GetProperty("messages").GetArrayLength());
    }

    /// <summary>
    /// What hangs on a message goes with it: the export carries its files, and once disposed the message is no longer found
    /// by search and its files' rows and bytes are gone.
    /// </summary>
    [Fact]
    public async Task FilesAreExported_AndADisposedMessage_LeavesSearchAndTakesItsFiles()
    {
        var owner = await app.PersonAsync();
        var admin = await AdminAsync();
        var channel = await CreateChannelAsync(owner.Client);
        await OkJson(await PutRetentionAsync(admin.Client, channel, new { @class = "1y" }));
        var word = "決算書" + Guid.NewGuid().ToString("N")[..6];
        var pdf = Encoding.UTF8.GetBytes($"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {word}\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        using var form = new MultipartFormDataContent { { new StringContent($"{word} を添付します"), "body" } };
        var part = new ByteArrayContent(pdf);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(part, "files", "決算書.pdf");
        var posted = await owner.Client.PostAsync($"{Api}/channels/{channel}/messages/upload", form);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var r = await owner.Client.PostAsync($"{Api}/channels/{channel}/export", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var zip = new ZipArchive(new MemoryStream(await r.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read))
        {
            var entry = Assert.Single(zip.Entries, e => e.FullName.StartsWith($"files/{id}/", StringComparison.Ordinal));
            Assert.EndsWith("決算書.pdf", entry.FullName, StringComparison.Ordinal);
            Assert.Equal(pdf, ReadBytes(zip, entry.FullName));
            Assert.Contains("決算書.pdf", Read(zip, "channel.json"), StringComparison.Ordinal);
        }

        async Task<int> HitsAsync() =>
            (await (await owner.Client.GetAsync($"{Api}/search?q={Uri.EscapeDataString(word)}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hits").GetArrayLength();
        Assert.Equal(1, await HitsAsync());
        var (key, root) = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            // The message is two 年度 old now.
            var at = (await db.TalkMessages.AsNoTracking().SingleAsync(m => m.Id == id)).CreatedAt.AddYears(-2).ToUniversalTime();
            await db.TalkMessages.Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.CreatedAt, at));
            return (await db.TalkFiles.Where(f => f.MessageId == id).Select(f => f.StorageKey).SingleAsync(), ((LocalFileStore)sp.GetRequiredService<IFileStore>()).Root);
        });
        Assert.True(File.Exists(Path.Combine(root, key)) || Directory.GetFiles(root, "*", SearchOption.AllDirectories).Length > 0);

        await SweepAsync();
        Assert.Equal("", (await RowAsync(id)).Body);
        Assert.Equal(0, await HitsAsync());
        Assert.Equal(0, await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().TalkFiles.CountAsync(f => f.MessageId == id)));
        Assert.Null(await app.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<IFileStore>().Open(key))));
    }

    [Fact]
    public async Task RecordsPage_IsForTheOwnerAndAdministrators()
    {
        var owner = await app.PersonAsync();
        var member = await app.PersonAsync();
        var stranger = await app.PersonAsync("住民課");
        var channel = await CreateChannelAsync(owner.Client);
        await AddAsync(owner.Client, channel, member.Id);

        var page = await owner.Client.GetAsync($"/talk/c/{channel}/records");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("保存期間", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"/api/v1/talk/channels/{channel}/export\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("records-hold-reason", html, StringComparison.Ordinal); // holds: administrators only
        Assert.Contains("talk-records-link", await (await owner.Client.GetAsync($"/talk/c/{channel}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("talk-records-link", await (await member.Client.GetAsync($"/talk/c/{channel}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Client.GetAsync($"/talk/c/{channel}/records")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/talk/c/{channel}/records")).StatusCode);
    }

    private static byte[] ReadBytes(ZipArchive zip, string name)
    {
        using var s = zip.GetEntry(name)!.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static string Read(ZipArchive zip, string name) => Encoding.UTF8.GetString(ReadBytes(zip, name));

    /// <summary>RFC 4180: quoted cells with doubled quotes, CRLF rows.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }

        return rows;
    }
}
