using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dokodemo.Live;
using Dokodemo.Talk;
using Dokodemo.Tests.Work;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.TalkKit;

namespace Dokodemo.Tests;

/// <summary>
/// Talk on the live stream (issue 6 item 4) over real HTTP, on SQLite and PostgreSQL: a channel's members hear of a new
/// message, an edit, a reaction; a person outside the channel hears nothing; a member who was away reconnects with
/// Last-Event-ID and gets exactly the messages they missed, in order; a person added to a channel hears it from then on.
/// </summary>
public class TalkLiveTests(PlacesApp app) : IClassFixture<PlacesApp>
{
    private static long IdOf(SseEvent e) => long.Parse(e.Id!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Members_HearOfNewMessages_Outsiders_DoNot_AndAReconnectGetsExactlyTheMissedOnes()
    {
        var author = await app.PersonAsync();
        var member = await app.PersonAsync();
        var outsider = await app.PersonAsync();
        var channel = await CreateChannelAsync(author.Client);
        await AddAsync(author.Client, channel, member.Id);

        string seen;
        await using (var memberStream = await SseClient.OpenAsync(member.Client))
        await using (var outsiderStream = await SseClient.OpenAsync(outsider.Client))
        {
            var first = await PostIdAsync(author.Client, channel, "明日の会議は10時からです。");
            var e = await memberStream.ExpectAsync(TalkEvents.MessageNew);
            Assert.Equal(channel, e.Json.GetProperty("channel").GetInt32());
            Assert.Equal(first, e.Json.GetProperty("id").GetInt64());
            // The stream carries ids, never the text: a reader fetches it through the access check.
            Assert.DoesNotContain("会議", e.Data, StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.OK, (await author.Client.PutAsJsonAsync($"{Api}/channels/{channel}/messages/{first}", new { body = "明日の会議は11時からです。" })).StatusCode);
            Assert.Equal(first, (await memberStream.ExpectAsync(TalkEvents.MessageEdit)).Json.GetProperty("id").GetInt64());
            var reacted = await member.Client.PostAsJsonAsync($"{Api}/channels/{channel}/messages/{first}/reactions", new { emoji = "👍" });
            Assert.True(reacted.IsSuccessStatusCode, $"{(int)reacted.StatusCode} {await reacted.Content.ReadAsStringAsync()}");
            seen = (await memberStream.ExpectAsync(TalkEvents.Reaction)).Id!;

            // The outsider's stream got none of it: a notification sent now is the first thing it sees.
            await app.WithScopeAsync(sp => sp.GetRequiredService<Notifications.NotificationService>().NotifyAsync(outsider.Id, "test", "お知らせ", "本文", null));
            Assert.Equal(LiveEvents.Notification, (await outsiderStream.NextAsync())!.Type);
        }

        // Away: three messages. Back with Last-Event-ID: exactly those three, in order, then live again.
        var missed = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            missed.Add(await PostIdAsync(author.Client, channel, $"申請の件 {i}"));
        }

        await using var again = await SseClient.OpenAsync(member.Client, lastEventId: seen);
        var got = new List<SseEvent>();
        for (var i = 0; i < 3; i++)
        {
            got.Add(await again.ExpectAsync(TalkEvents.MessageNew));
        }

        Assert.Equal(missed, got.Select(g => g.Json.GetProperty("id").GetInt64()));
        Assert.True(got.Select(IdOf).SequenceEqual(got.Select(IdOf).Order()));
        var live = await PostIdAsync(author.Client, channel, "以上です。");
        Assert.Equal(live, (await again.ExpectAsync(TalkEvents.MessageNew)).Json.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task APersonAddedToAChannel_HearsItFromThenOn_WithoutReconnecting()
    {
        var owner = await app.PersonAsync();
        var newcomer = await app.PersonAsync();
        var channel = await CreateChannelAsync(owner.Client);
        await using var stream = await SseClient.OpenAsync(newcomer.Client);

        await PostIdAsync(owner.Client, channel, "まだ二人きりです。");
        await AddAsync(owner.Client, channel, newcomer.Id);
        // Before being added the newcomer heard nothing of the channel; now their stream asks the audience again.
        Assert.Equal(LiveEvents.AudienceChanged, (await stream.NextAsync())!.Type);
        var welcome = await PostIdAsync(owner.Client, channel, "ようこそ！");
        var e = await stream.ExpectAsync(TalkEvents.MessageNew);
        Assert.Equal(welcome, e.Json.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task TheWriterAndTheHub_ReportWhereAPostsTimeGoes_AsMetrics()
    {
        var author = await app.PersonAsync();
        var member = await app.PersonAsync();
        var channel = await CreateChannelAsync(author.Client);
        await AddAsync(author.Client, channel, member.Id);

        // Other tests in this process write too: only this writer's figures, and at least what this post caused.
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(string Name, double Value, string? Writer, string? Phase)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name is LiveMetrics.MeterName or Data.WriterMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };

        static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
        {
            foreach (var t in tags)
            {
                if (t.Key == key)
                {
                    return t.Value as string;
                }
            }

            return null;
        }

        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Enqueue((i.Name, v, Tag(tags, "writer"), Tag(tags, "phase"))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => seen.Enqueue((i.Name, v, Tag(tags, "writer"), null)));
        listener.Start();

        await using var stream = await SseClient.OpenAsync(member.Client);
        var id = await PostIdAsync(author.Client, channel, "計測の試験です。");
        Assert.Equal(id, (await stream.ExpectAsync(TalkEvents.MessageNew)).Json.GetProperty("id").GetInt64());

        var mine = seen.Where(m => m.Writer == nameof(TalkMessageWrite)).ToList();
        Assert.Contains(mine, m => m.Name == Data.WriterMetrics.Wait.Name && m.Value >= 0);
        Assert.Contains(mine, m => m.Name == Data.WriterMetrics.Size.Name && m.Value >= 1);
        foreach (var phase in new[] { Data.WriterMetrics.Open, Data.WriterMetrics.Begin, Data.WriterMetrics.Write, Data.WriterMetrics.Commit })
        {
            Assert.Contains(mine, m => m.Name == Data.WriterMetrics.Phases.Name && m.Phase == phase && m.Value >= 0);
        }

        // The hub read the new event and woke a round with the member's stream in it.
        Assert.Contains(seen, m => m.Name == LiveMetrics.ReadEvents.Name && m.Value >= 1);
        Assert.Contains(seen, m => m.Name == LiveMetrics.RoundStreams.Name && m.Value >= 1);
        Assert.Contains(seen, m => m.Name == LiveMetrics.ReadDuration.Name && m.Value >= 0);
    }
}
