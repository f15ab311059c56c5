using Dokodemo.Shared;

namespace Dokodemo.Talk;

/// <summary>The stable codes of Talk; each has a sentence in Text.Talk.cs ("error." + code).</summary>
public static class TalkErrors
{
    public static readonly Error AccessDenied = new("access.denied", 403);
    public static readonly Error ChannelNotFound = new("talk.channel_not_found", 404);
    public static readonly Error MessageNotFound = new("talk.message_not_found", 404);
    public static readonly Error NotMember = new("talk.not_member", 403);
    public static readonly Error NotOwner = new("talk.not_owner", 403);
    public static readonly Error NotAuthor = new("talk.not_author", 403);
    public static readonly Error Archived = new("talk.archived", 409);
    public static readonly Error Deleted = new("talk.message_deleted", 409);
    public static readonly Error MessageEmpty = Errors.Field("talk.message_empty", "body") with { Status = 422 };
    public static readonly Error MessageTooLong = Errors.Field("talk.message_too_long", "body") with { Status = 422 };
    public static readonly Error ChannelMentionRefused = new("talk.channel_mention_refused", 422);
    public static readonly Error NameRequired = Errors.Field("talk.name_required", "name");
    public static readonly Error NameTooLong = Errors.Field("talk.name_too_long", "name");
    public static readonly Error PurposeTooLong = Errors.Field("talk.purpose_too_long", "purpose");
    public static readonly Error KindInvalid = Errors.Field("talk.kind_invalid", "kind");
    public static readonly Error VisibilityInvalid = Errors.Field("talk.visibility_invalid", "visibility");
    public static readonly Error ClassificationInvalid = Errors.Field("talk.classification_invalid", "classification");
    public static readonly Error PersonUnknown = Errors.Field("talk.person_unknown", "userId");
    public static readonly Error GroupSize = Errors.Field("talk.group_size", "userIds");
    public static readonly Error DirectSelf = Errors.Field("talk.direct_self", "userId");
    public static readonly Error DepartmentManaged = new("talk.department_managed", 409);
    public static readonly Error NotJoinable = new("talk.not_joinable", 403);
    public static readonly Error OutsiderNotAllowed = new("talk.outsider_not_allowed", 422);
    public static readonly Error ThreadRootInvalid = Errors.Field("talk.thread_root_invalid", "threadRootId");
    public static readonly Error EmojiUnknown = Errors.Field("talk.emoji_unknown", "emoji");
    public static readonly Error ReasonTooLong = Errors.Field("talk.reason_too_long", "reason");

    /// <summary>422 naming the people mentioned who are not members (nothing is saved).</summary>
    public static Error MentionOutside(IReadOnlyList<string> names) =>
        new("talk.mention_outside", 422, new Dictionary<string, object?> { ["field"] = "body", ["names"] = names });

    public static IReadOnlyList<Error> All { get; } =
    [
        ChannelNotFound, MessageNotFound, NotMember, NotOwner, NotAuthor, Archived, Deleted, MessageEmpty, MessageTooLong, ChannelMentionRefused,
        NameRequired, NameTooLong, PurposeTooLong, KindInvalid, VisibilityInvalid, ClassificationInvalid, PersonUnknown, GroupSize, DirectSelf,
        DepartmentManaged, NotJoinable, OutsiderNotAllowed, ThreadRootInvalid, EmojiUnknown, ReasonTooLong, MentionOutside([]),
    ];
}
