using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dokodemo.Data;
using Dokodemo.Talk;
using Dokodemo.Tests.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>
/// What the Talk tests share: channels, members and posts made over HTTP as a person makes them, mention names, the pages'
/// forms with their antiforgery token, and the department channels of the org-chart sync.
/// </summary>
public static partial class TalkKit
{
    public const string Api = "/api/v1/talk";

    /// <summary>A new channel of the caller (its owner), named "試験 " and six random letters; returns its id.</summary>
    public static async Task<int> CreateChannelAsync(HttpClient owner, string visibility = "Private", string kind = "Project", int? classification = null)
    {
        var r = await owner.PostAsJsonAsync($"{Api}/channels", new { name = "試験 " + Guid.NewGuid().ToString("N")[..6], purpose = "テスト", kind, visibility, classification });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    /// <summary>The owner adds a person to the channel.</summary>
    public static async Task AddAsync(HttpClient owner, int channel, string userId) =>
        Assert.Equal(HttpStatusCode.NoContent, (await owner.PostAsJsonAsync($"{Api}/channels/{channel}/members", new { userId })).StatusCode);

    /// <summary>A private project channel of the caller with these people added as members; returns its id.</summary>
    public static async Task<int> ChannelWithAsync(HttpClient owner, params Person[] members)
    {
        var id = await CreateChannelAsync(owner);
        foreach (var m in members)
        {
            await AddAsync(owner, id, m.Id);
        }

        return id;
    }

    /// <summary>Posts a message (a reply with <paramref name="threadRootId"/>, a notice with <paramref name="requiresAck"/>); returns the 201 body.</summary>
    public static async Task<JsonElement> PostAsync(HttpClient client, int channel, string body, long? threadRootId = null, bool requiresAck = false)
    {
        var r = await client.PostAsJsonAsync($"{Api}/channels/{channel}/messages", new { body, threadRootId, requiresAck });
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        var json = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(requiresAck, json.GetProperty("requiresAck").GetBoolean());
        return json;
    }

    /// <summary><see cref="PostAsync"/>, answering the new message's id.</summary>
    public static async Task<long> PostIdAsync(HttpClient client, int channel, string body, long? threadRootId = null, bool requiresAck = false) =>
        (await PostAsync(client, channel, body, threadRootId, requiresAck)).GetProperty("id").GetInt64();

    /// <summary>How a message mentions a test person: their display name ("試験 " + four letters of the e-mail) without the space.</summary>
    public static string MentionName(Person p) => "試験" + p.Email[2..6];

    /// <summary>The antiforgery token of a page's form.</summary>
    public static string TokenOf(string page) => Token().Match(page).Groups[1].Value;

    /// <summary>Submits a page's form (<paramref name="handler"/> is its form name) with the page's antiforgery token, as the browser does.</summary>
    public static async Task<HttpResponseMessage> FormAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var token = TokenOf(await client.GetStringAsync(path));
        Assert.False(string.IsNullOrEmpty(token), $"no antiforgery token on {path}");
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>The department channel of a department (made by the org-chart sync; <paramref name="sync"/> runs it first).</summary>
    public static Task<int> DepartmentChannelAsync(TestApp app, string department, bool sync = false) =>
        app.WithScopeAsync(async sp =>
        {
            if (sync)
            {
                await sp.GetRequiredService<TalkSync>().RunAsync();
            }

            var db = sp.GetRequiredService<AppDbContext>();
            var d = await db.Departments.Where(x => x.Name == department).Select(x => x.Id).FirstAsync();
            return await db.TalkChannels.Where(c => c.Kind == ChannelKind.Department && c.DepartmentId == d).Select(c => c.Id).FirstAsync();
        });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
