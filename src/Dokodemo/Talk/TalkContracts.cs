using System.Text.Json.Serialization;

namespace Dokodemo.Talk;

/// <summary>A channel in a list: the caller's role (null when not a member), unread messages and unread mentions of them.</summary>
public sealed record ChannelSummary(int Id, string Kind, string Visibility, int Classification, string Name, string Purpose, bool Archived,
    int? DepartmentId, string? Role, int Unread, int Mentions, long LastReadMessageId, int MemberCount);

public sealed record MemberDto(string UserId, string Name, string Kind, string Role, DateTimeOffset JoinedAt);

public sealed record ReactionDto(string Emoji, int Count, bool Mine);

/// <summary>
/// A message as the caller may see it. A deleted message keeps its place (a tombstone): <c>Body</c> and <c>Html</c> are
/// empty for members; moderators also get the body that was removed and who deleted it, when and why.
/// <c>Html</c> is the body rendered by <see cref="TalkMarkdown"/> (safe to insert as is).
/// </summary>
public sealed record MessageDto(long Id, int ChannelId, string AuthorId, string AuthorName, long? ThreadRootId, string? Body, string Html,
    DateTimeOffset CreatedAt, DateTimeOffset? EditedAt, bool Deleted, DateTimeOffset? DeletedAt, string? DeletedById, string? DeletedByName,
    string? DeleteReason, int ReplyCount, bool Pinned, bool RequiresAck, bool MentionsChannel, IReadOnlyList<ReactionDto> Reactions,
    IReadOnlyList<FileDto>? Files = null);

public sealed record RevisionDto(long Id, string Body, string Html, DateTimeOffset ReplacedAt, string EditedById);

public sealed record CreateChannelRequest(string? Name, string? Purpose, string? Kind, string? Visibility, int? Classification);

public sealed record PersonRequest(string? UserId);

public sealed record GroupRequest(IReadOnlyList<string>? UserIds, string? Name);

public sealed record PostRequest(string? Body, long? ThreadRootId, bool RequiresAck = false, DateTimeOffset? ScheduledFor = null);

public sealed record EditRequest(string? Body);

public sealed record DeleteRequest(string? Reason);

public sealed record ReactRequest(string? Emoji);

public sealed record ReadRequest(long MessageId);

/// <summary>A person's read marker after <c>POST …/read</c>, with what is still unread.</summary>
public sealed record ReadMarker(int ChannelId, long LastReadMessageId, int Unread, int Mentions);

/// <summary>The outcome of a department sync.</summary>
public sealed record TalkSyncReport(int ChannelsCreated, int ChannelsRenamed, int MembersAdded, int MembersRemoved)
{
    [JsonIgnore]
    public bool Changed => ChannelsCreated + ChannelsRenamed + MembersAdded + MembersRemoved > 0;
}
