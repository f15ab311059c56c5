using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Dokodemo.Access;
using Dokodemo.Domain.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>One Server-Sent Event as the client reads it.</summary>
public sealed record SseEvent(string? Id, string Type, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>
/// A real streaming read of /api/v1/talk/stream through the test server: a pump reads the response line by line (as an
/// EventSource does) and hands over each complete event; comments (heartbeats) are counted, not returned.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly Channel<SseEvent> events = Channel.CreateUnbounded<SseEvent>();
    private readonly Task pump;
    private int comments;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        pump = Task.Run(() => PumpAsync(body));
    }

    public int Comments => Volatile.Read(ref comments);

    /// <summary>Completes when the server ends the stream.</summary>
    public Task Ended => pump;

    public static async Task<SseClient> OpenAsync(HttpClient client, string? lastEventId = null, string? query = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/talk/stream" + (query is null ? "" : "?lastEventId=" + query));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseClient(response, await response.Content.ReadAsStreamAsync());
    }

    private async Task PumpAsync(Stream body)
    {
        try
        {
            using var reader = new StreamReader(body);
            string? id = null, type = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0 || type is not null)
                    {
                        await events.Writer.WriteAsync(new SseEvent(id, type ?? "message", string.Join('\n', data)));
                    }

                    (id, type) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                {
                    Interlocked.Increment(ref comments);
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Add(line[6..]);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
        {
            // The client closed the stream.
        }
        finally
        {
            events.Writer.TryComplete();
        }
    }

    /// <summary>The next event, or null when the stream ended; fails the test when none comes within the time.</summary>
    public async Task<SseEvent?> NextAsync(double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await events.Reader.WaitToReadAsync(timeout.Token) && events.Reader.TryRead(out var e) ? e : null;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no event within {seconds} s");
            return null;
        }
    }

    /// <summary>The next event that is not a reset, checking its type.</summary>
    public async Task<SseEvent> ExpectAsync(string type, double seconds = 10)
    {
        var e = await NextAsync(seconds);
        Assert.NotNull(e);
        Assert.Equal(type, e!.Type);
        return e;
    }

    public async ValueTask DisposeAsync()
    {
        response.Dispose();
        await Task.WhenAny(pump, Task.Delay(5000));
    }
}

/// <summary>The app for live event tests: a small buffer (so reconnects also catch up from the table) and a 1 s re-check.</summary>
public class LiveApp() : TestApp("Demo", seed: false, extra: new()
{
    ["Dokodemo__Live__BufferSize"] = "16",
    ["Dokodemo__Live__Recheck"] = "00:00:01",
    ["Dokodemo__Live__Heartbeat"] = "00:00:01",
    ["Dokodemo__Live__MaxStreamsPerPerson"] = "3",
})
{
    public const string Password = "しずかな朝に川沿いを歩く2026";

    /// <summary>A new staff member in 総務課, enrolled and signed in; returns their client and id.</summary>
    public async Task<(HttpClient Client, string Id)> PersonAsync(params string[] roles)
    {
        var email = $"live-{Guid.NewGuid():N}"[..15] + "@example.jp";
        var token = await InviteAsync(email, "試験 ライブ", AccountKind.Staff, roles.Length == 0 ? [Roles.Staff] : roles);
        var client = NewClient();
        var set = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}", new { password = Password });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var secret = (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var confirm = await client.PostAsJsonAsync($"/api/v1/enrollment/{token}/confirm", new { code = Code(secret, Totp.StepAt(Clock.GetUtcNow())) });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var id = await WithScopeAsync(async sp => (await sp.GetRequiredService<AppUserManager>().FindByEmailAsync(email))!.Id);
        return (client, id);
    }

    /// <summary>Adds a notification for a person the way features do (the notification and its live event in one save).</summary>
    public Task<Notifications.NotificationDto> NotifyAsync(string userId, string title) =>
        WithScopeAsync(sp => sp.GetRequiredService<Notifications.NotificationService>().NotifyAsync(userId, "test", title, "本文", "/notifications"));
}
