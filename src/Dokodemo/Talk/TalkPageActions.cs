using Dokodemo.Domain.Access;
using Dokodemo.Shared;

namespace Dokodemo.Talk;

/// <summary>
/// The buttons of a message list in the pages (one form, each button's value says what to do: "react|42|👍",
/// "unreact|42|👍", "pin|42", "unpin|42", "delete|42", "ack|42"), done through the same services and checks as the API.
/// </summary>
public sealed class TalkPageActions(TalkMessages messages, TalkAccess access, TalkNotices notices)
{
    public async Task<Error?> RunAsync(ChannelGrant g, string? act, CancellationToken ct = default)
    {
        var parts = (act ?? "").Split('|');
        if (parts.Length < 2 || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return Errors.BadRequest;
        }

        var emoji = parts.Length > 2 ? parts[2] : null;
        switch (parts[0])
        {
            case "react":
                return await messages.ReactAsync(g, access.UserId, id, emoji, add: true, ct);
            case "unreact":
                return await messages.ReactAsync(g, access.UserId, id, emoji, add: false, ct);
            case "pin":
                return await messages.PinAsync(g, access.UserId, id, pin: true, ct);
            case "unpin":
                return await messages.PinAsync(g, access.UserId, id, pin: false, ct);
            case "delete":
                var own = await access.MayWriteMessageAsync(g, AccessAction.Delete, ct);
                var r = await messages.DeleteAsync(g, access.UserId, own, id, null, ct);
                return r.Ok ? null : r.Error;
            case "ack":
                var acked = await notices.AckAsync(g, access.UserId, id, ct);
                return acked.Ok ? null : acked.Error;
            default:
                return Errors.BadRequest;
        }
    }
}
