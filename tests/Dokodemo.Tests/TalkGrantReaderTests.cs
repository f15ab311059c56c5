using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dokodemo.Data;
using Dokodemo.Talk;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.TalkKit;

namespace Dokodemo.Tests;

/// <summary>
/// The channel-and-membership read of <see cref="TalkGrantReader"/> (SQLite: a prepared statement on its own connections;
/// PostgreSQL: a multiplexing data source) answers exactly what EF reads, and sees a change of membership at the next
/// request.
/// </summary>
public class TalkGrantReaderTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static string Json(object? o) => JsonSerializer.Serialize(o);

    [Fact]
    public async Task TheReader_ReadsEveryColumnAsEfDoes_ForMembersNonMembersAndMissingChannels()
    {
        var owner = await app.PersonAsync("総務課");
        var other = await app.PersonAsync("総務課");
        var c = await CreateChannelAsync(owner.Client, visibility: "Public", kind: "Topic", classification: 1);
        await app.WithScopeAsync(async sp =>
        {
            // Nullable columns set, flags turned, a read marker moved: every column has a value of its own to compare.
            var db = sp.GetRequiredService<AppDbContext>();
            await db.TalkChannels.Where(x => x.Id == c).ExecuteUpdateAsync(s => s.SetProperty(x => x.RetentionDays, 365).SetProperty(x => x.ReadReceipts, false));
            await db.TalkMembers.Where(x => x.ChannelId == c).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastReadMessageId, 42L).SetProperty(x => x.Muted, true));
            return 0;
        });

        foreach (var (channel, user) in new[] { (c, owner.Id), (c, other.Id), (int.MaxValue, owner.Id) })
        {
            var (read, ef) = await app.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<AppDbContext>();
                var efChannel = await db.TalkChannels.AsNoTracking().SingleOrDefaultAsync(x => x.Id == channel);
                var efMember = await db.TalkMembers.AsNoTracking().SingleOrDefaultAsync(x => x.ChannelId == channel && x.UserId == user);
                var name = await db.Users.Where(u => u.Id == user).Select(u => u.DisplayName).SingleAsync();
                var ef = Json(new { Channel = efChannel, Membership = efMember, Name = efChannel is null ? null : name });
                var reader = sp.GetRequiredService<TalkGrantReader>();
                var cs = db.Database.GetConnectionString()!;
                var (found, rc, rm, rn) = db.IsPostgres ? await reader.ReadPostgresAsync(cs, channel, user, default) : reader.Read(cs, channel, user);
                Assert.True(found);
                return (Json(new { Channel = rc, Membership = rm, Name = rc is null ? null : rn }), ef);
            });
            Assert.Equal(ef, read);
        }

        // Through the API, where the reader answers: the owner, a member, posts.
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsync($"{Api}/channels/{c}/messages",
            JsonContent.Create(new { body = "読み取りの確認" }))).StatusCode);
    }

    [Fact]
    public async Task AMemberRemoved_IsRefusedAtTheirNextRequest()
    {
        var owner = await app.PersonAsync("総務課");
        var member = await app.PersonAsync("総務課");
        var c = await ChannelWithAsync(owner.Client, member);
        Assert.Equal(HttpStatusCode.OK, (await member.Client.GetAsync($"{Api}/channels/{c}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"{Api}/channels/{c}/members/{member.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.Client.GetAsync($"{Api}/channels/{c}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.Client.PostAsync($"{Api}/channels/{c}/messages",
            JsonContent.Create(new { body = "まだ書けますか" }))).StatusCode);
    }
}
