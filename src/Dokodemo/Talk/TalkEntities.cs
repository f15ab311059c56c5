using Dokodemo.Domain.Access;

namespace Dokodemo.Talk;

/// <summary>What a channel is for; decides who may create it and who is in it.</summary>
public enum ChannelKind
{
    /// <summary>所属チャンネル — one per department, members kept equal to the department's insiders by <see cref="TalkSync"/>.</summary>
    Department = 0,

    /// <summary>プロジェクト.</summary>
    Project = 1,

    /// <summary>話題 (topic).</summary>
    Topic = 2,

    /// <summary>個人間メッセージ — exactly two people, one channel per pair.</summary>
    Direct = 3,

    /// <summary>グループメッセージ — up to <see cref="TalkLimits.MaxGroup"/> people.</summary>
    Group = 4,
}

public enum ChannelVisibility
{
    /// <summary>町内公開 — insiders may browse, read and join it.</summary>
    Public = 0,

    /// <summary>非公開 — members only.</summary>
    Private = 1,
}

public enum MemberRole
{
    Member = 0,
    Owner = 1,
}

/// <summary>A channel (チャンネル).</summary>
public sealed class TalkChannel
{
    public int Id { get; set; }
    public ChannelKind Kind { get; set; }
    public ChannelVisibility Visibility { get; set; }

    /// <summary>機密性: the decision point is told this level for every check on the channel and its messages.</summary>
    public Confidentiality Classification { get; set; } = Confidentiality.Level2;

    /// <summary>The department, for department channels only (unique among them).</summary>
    public int? DepartmentId { get; set; }

    public required string Name { get; set; }
    public string Purpose { get; set; } = "";
    public bool Archived { get; set; }
    public string? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Messages older than this many days may be removed by the retention job (later); null keeps them.</summary>
    public int? RetentionDays { get; set; }

    /// <summary>Whether members see who has read up to where (既読); the town setting may override (later).</summary>
    public bool ReadReceipts { get; set; } = true;

    /// <summary>For direct messages: the two user ids, sorted and joined by a space, so a pair has one channel (unique).</summary>
    public string? DirectKey { get; set; }
}

/// <summary>A person in a channel.</summary>
public sealed class TalkMember
{
    public int ChannelId { get; set; }
    public required string UserId { get; set; }
    public MemberRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; set; }

    /// <summary>The newest message the person has seen (0: none); unread = messages after it.</summary>
    public long LastReadMessageId { get; set; }

    public bool Muted { get; set; }
}

/// <summary>A message. The body is Markdown as written; it is rendered (safely) when read.</summary>
public sealed class TalkMessage
{
    public long Id { get; set; }
    public int ChannelId { get; set; }
    public required string AuthorId { get; set; }

    /// <summary>The thread's first message, for a reply; null for a message in the channel.</summary>
    public long? ThreadRootId { get; set; }

    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }

    /// <summary>Deleted (tombstone): members see "このメッセージは削除されました"; moderators also see who, when and why.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public string? DeletedById { get; set; }
    public string? DeleteReason { get; set; }

    /// <summary>Scheduled send (later): not shown before this time.</summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    /// <summary>A notice (周知) that asks each member to acknowledge it (later: the UI and reminders).</summary>
    public bool RequiresAck { get; set; }

    /// <summary>Whether the message mentions @channel.</summary>
    public bool MentionsChannel { get; set; }
}

/// <summary>A previous text of an edited message (the edit history).</summary>
public sealed class TalkRevision
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public required string Body { get; set; }

    /// <summary>When this text was replaced.</summary>
    public DateTimeOffset ReplacedAt { get; set; }

    public required string EditedById { get; set; }
}

public sealed class TalkReaction
{
    public long MessageId { get; set; }
    public required string UserId { get; set; }
    public required string Emoji { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class TalkPin
{
    public long MessageId { get; set; }
    public int ChannelId { get; set; }
    public required string PinnedById { get; set; }
    public DateTimeOffset PinnedAt { get; set; }
}

public sealed class TalkMention
{
    public long MessageId { get; set; }
    public required string UserId { get; set; }
    public int ChannelId { get; set; }
}

public sealed class TalkAck
{
    public long MessageId { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>Limits of Talk.</summary>
public static class TalkLimits
{
    public const int MaxBody = 8_000;
    public const int MaxGroup = 8;

    /// <summary>@channel is allowed for owners, and for anyone in a channel of at most this many members.</summary>
    public const int ChannelMentionOpenUpTo = 20;

    public const int MaxName = 80;
    public const int MaxPurpose = 250;
    public const int PageSize = 50;

    /// <summary>The reactions the pages offer; the API accepts these only, so a reaction is never free text.</summary>
    public static readonly IReadOnlyList<string> Emoji = ["👍", "🙏", "✅", "👀", "🎉", "😄"];
}
