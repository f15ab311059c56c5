using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>Channels and membership: my channels with unread counts, browsing, creating, joining, members, direct and group messages, archiving.</summary>
public sealed class TalkChannels(AppDbContext db, TimeProvider clock, AuditLog audit, Labels labels)
{
    /// <summary>The caller's channels (not archived first, then by name) with unread messages and unread mentions of them.</summary>
    public async Task<IReadOnlyList<ChannelSummary>> MineAsync(string userId, bool outsider, CancellationToken ct)
    {
        var rows = await (
            from m in db.TalkMembers.AsNoTracking()
            join c in db.TalkChannels.AsNoTracking() on m.ChannelId equals c.Id
            where m.UserId == userId && !(outsider && c.Kind == ChannelKind.Department)
            select new
            {
                c.Id, c.Kind, c.Visibility, c.Classification, c.Name, c.Purpose, c.Archived, c.DepartmentId, m.Role, m.LastReadMessageId,
                Unread = db.TalkMessages.Count(x => x.ChannelId == c.Id && x.Id > m.LastReadMessageId && x.ThreadRootId == null && x.DeletedAt == null
                    && x.AuthorId != userId),
                Mentions = db.TalkMentions.Count(x => x.UserId == userId && x.ChannelId == c.Id && x.MessageId > m.LastReadMessageId),
                Members = db.TalkMembers.Count(x => x.ChannelId == c.Id),
            }).ToListAsync(ct);
        var names = await DirectNamesAsync([.. rows.Where(r => r.Kind == ChannelKind.Direct).Select(r => r.Id)], userId, ct);
        return
        [
            .. rows.Select(r => new ChannelSummary(r.Id, r.Kind.ToString(), r.Visibility.ToString(), (int)r.Classification,
                names.TryGetValue(r.Id, out var n) ? n : r.Name, r.Purpose, r.Archived, r.DepartmentId, r.Role.ToString(), r.Unread, r.Mentions,
                r.LastReadMessageId, r.Members))
                .OrderBy(r => r.Archived).ThenBy(r => r.Kind == nameof(ChannelKind.Department) ? 0 : 1).ThenBy(r => r.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>Public project and topic channels of the town (for insiders), with whether the caller is in them.</summary>
    public async Task<IReadOnlyList<ChannelSummary>> BrowseAsync(string userId, CancellationToken ct)
    {
        var rows = await db.TalkChannels.AsNoTracking()
            .Where(c => c.Visibility == ChannelVisibility.Public && !c.Archived && (c.Kind == ChannelKind.Project || c.Kind == ChannelKind.Topic))
            .Select(c => new
            {
                c.Id, c.Kind, c.Visibility, c.Classification, c.Name, c.Purpose, c.Archived, c.DepartmentId,
                Role = db.TalkMembers.Where(m => m.ChannelId == c.Id && m.UserId == userId).Select(m => (MemberRole?)m.Role).FirstOrDefault(),
                Members = db.TalkMembers.Count(x => x.ChannelId == c.Id),
            }).ToListAsync(ct);
        return
        [
            .. rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => new ChannelSummary(r.Id, r.Kind.ToString(), r.Visibility.ToString(),
                (int)r.Classification, r.Name, r.Purpose, r.Archived, r.DepartmentId, r.Role?.ToString(), 0, 0, 0, r.Members)),
        ];
    }

    public async Task<ChannelSummary> SummaryAsync(ChannelGrant g, string userId, CancellationToken ct)
    {
        var count = await db.TalkMembers.CountAsync(m => m.ChannelId == g.Id, ct);
        var name = g.Channel.Kind == ChannelKind.Direct && (await DirectNamesAsync([g.Id], userId, ct)).TryGetValue(g.Id, out var n) ? n : g.Channel.Name;
        var last = g.Membership?.LastReadMessageId ?? 0;
        var unread = g.IsMember
            ? await db.TalkMessages.CountAsync(x => x.ChannelId == g.Id && x.Id > last && x.ThreadRootId == null && x.DeletedAt == null && x.AuthorId != userId, ct)
            : 0;
        var mentions = g.IsMember ? await db.TalkMentions.CountAsync(x => x.UserId == userId && x.ChannelId == g.Id && x.MessageId > last, ct) : 0;
        var c = g.Channel;
        return new ChannelSummary(c.Id, c.Kind.ToString(), c.Visibility.ToString(), (int)c.Classification, name, c.Purpose, c.Archived, c.DepartmentId,
            g.Membership?.Role.ToString(), unread, mentions, last, count);
    }

    /// <summary>A project or topic channel; the creator is its owner. A classification other than the declared one becomes the channel's label.</summary>
    public async Task<Result<ChannelSummary>> CreateAsync(string userId, CreateChannelRequest request, CancellationToken ct)
    {
        var name = (request.Name ?? "").Trim();
        var purpose = (request.Purpose ?? "").Trim();
        if (name.Length == 0)
        {
            return TalkErrors.NameRequired;
        }

        if (name.Length > TalkLimits.MaxName)
        {
            return TalkErrors.NameTooLong;
        }

        if (purpose.Length > TalkLimits.MaxPurpose)
        {
            return TalkErrors.PurposeTooLong;
        }

        if (!Enum.TryParse<ChannelKind>(request.Kind ?? nameof(ChannelKind.Topic), ignoreCase: true, out var kind) || kind is not (ChannelKind.Project or ChannelKind.Topic)
            || int.TryParse(request.Kind, out _))
        {
            return TalkErrors.KindInvalid;
        }

        if (!Enum.TryParse<ChannelVisibility>(request.Visibility ?? nameof(ChannelVisibility.Public), ignoreCase: true, out var visibility)
            || !Enum.IsDefined(visibility) || int.TryParse(request.Visibility, out _))
        {
            return TalkErrors.VisibilityInvalid;
        }

        var level = (Confidentiality)(request.Classification ?? (int)Confidentiality.Level2);
        if (!Enum.IsDefined(level))
        {
            return TalkErrors.ClassificationInvalid;
        }

        var channel = new TalkChannel
        {
            Kind = kind, Visibility = visibility, Classification = level, Name = name, Purpose = purpose, CreatedById = userId, CreatedAt = clock.GetUtcNow(),
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.TalkChannels.Add(channel);
            await db.SaveChangesAsync(ct);
            db.TalkMembers.Add(new TalkMember { ChannelId = channel.Id, UserId = userId, Role = MemberRole.Owner, JoinedAt = channel.CreatedAt });
            TalkLive.AudienceChanged(db, channel.Id, userId);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        await ClassifyAsync(channel, userId, ct);
        await audit.WriteAsync("talk.channel_created", AuditOutcome.Success, actorId: userId, details: new Dictionary<string, string?>
        {
            ["channel"] = TalkAccess.Id(channel.Id), ["kind"] = kind.ToString(), ["visibility"] = visibility.ToString(), ["level"] = ((int)level).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, ct: ct);
        return new ChannelSummary(channel.Id, kind.ToString(), visibility.ToString(), (int)level, name, purpose, false, null, nameof(MemberRole.Owner), 0, 0, 0, 1);
    }

    /// <summary>The channel's classification, when not the declared 機密性2, becomes its label for both Talk types, so the policy decides on it.</summary>
    private async Task ClassifyAsync(TalkChannel channel, string actorId, CancellationToken ct)
    {
        if (channel.Classification == Confidentiality.Level2)
        {
            return;
        }

        foreach (var type in new[] { ResourceTypes.TalkChannel, ResourceTypes.TalkMessage })
        {
            await labels.SetAsync(type, TalkAccess.Id(channel.Id), channel.Classification, ResourceFlags.None, actorId, ct);
        }
    }

    /// <summary>An insider joins a public project or topic channel.</summary>
    public async Task<Error?> JoinAsync(ChannelGrant g, string userId, CancellationToken ct)
    {
        if (g.IsMember)
        {
            return null;
        }

        if (!TalkAccess.IsBrowsable(g.Channel))
        {
            return TalkErrors.NotJoinable;
        }

        if (g.Channel.Archived)
        {
            return TalkErrors.Archived;
        }

        db.TalkMembers.Add(new TalkMember { ChannelId = g.Id, UserId = userId, Role = MemberRole.Member, JoinedAt = clock.GetUtcNow() });
        TalkLive.AudienceChanged(db, g.Id, userId);
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<Error?> LeaveAsync(ChannelGrant g, string userId, CancellationToken ct)
    {
        if (!g.IsMember)
        {
            return TalkErrors.NotMember;
        }

        if (g.Channel.Kind is ChannelKind.Department or ChannelKind.Direct)
        {
            return TalkErrors.DepartmentManaged;
        }

        await db.TalkMembers.Where(m => m.ChannelId == g.Id && m.UserId == userId).ExecuteDeleteAsync(ct);
        TalkLive.AudienceChanged(db, g.Id, userId);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The owner adds a person (a side-job worker or partner too, but never to a department channel, which the org chart decides).</summary>
    public async Task<Error?> AddMemberAsync(ChannelGrant g, string actorId, string? userId, CancellationToken ct)
    {
        if (g.Channel.Kind is ChannelKind.Department or ChannelKind.Direct)
        {
            return TalkErrors.DepartmentManaged;
        }

        if (!g.IsOwner)
        {
            return TalkErrors.NotOwner;
        }

        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId && !u.IsDisabled).Select(u => new { u.Id, u.Kind }).FirstOrDefaultAsync(ct);
        if (person is null)
        {
            return TalkErrors.PersonUnknown;
        }

        if (g.Channel.Kind == ChannelKind.Group && await db.TalkMembers.CountAsync(m => m.ChannelId == g.Id, ct) >= TalkLimits.MaxGroup)
        {
            return TalkErrors.GroupSize;
        }

        if (await db.TalkMembers.AnyAsync(m => m.ChannelId == g.Id && m.UserId == person.Id, ct))
        {
            return null;
        }

        db.TalkMembers.Add(new TalkMember { ChannelId = g.Id, UserId = person.Id, Role = MemberRole.Member, JoinedAt = clock.GetUtcNow() });
        TalkLive.AudienceChanged(db, g.Id, person.Id);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("talk.member_added", AuditOutcome.Success, actorId: actorId, subjectId: person.Id,
            details: new Dictionary<string, string?> { ["channel"] = TalkAccess.Id(g.Id), ["kind"] = person.Kind.ToString() }, ct: ct);
        return null;
    }

    public async Task<Error?> RemoveMemberAsync(ChannelGrant g, string actorId, string userId, CancellationToken ct)
    {
        if (g.Channel.Kind is ChannelKind.Department or ChannelKind.Direct)
        {
            return TalkErrors.DepartmentManaged;
        }

        if (!g.IsOwner)
        {
            return TalkErrors.NotOwner;
        }

        if (await db.TalkMembers.Where(m => m.ChannelId == g.Id && m.UserId == userId).ExecuteDeleteAsync(ct) == 0)
        {
            return TalkErrors.PersonUnknown;
        }

        TalkLive.AudienceChanged(db, g.Id, userId);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("talk.member_removed", AuditOutcome.Success, actorId: actorId, subjectId: userId,
            details: new Dictionary<string, string?> { ["channel"] = TalkAccess.Id(g.Id) }, ct: ct);
        return null;
    }

    public async Task<IReadOnlyList<MemberDto>> MembersAsync(int channelId, CancellationToken ct)
    {
        var rows = await (
            from m in db.TalkMembers.AsNoTracking()
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            where m.ChannelId == channelId
            select new { m.UserId, u.DisplayName, u.DisplayNameKana, u.Kind, m.Role, m.JoinedAt }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.DisplayNameKana, StringComparer.Ordinal).ThenBy(r => r.DisplayName, StringComparer.Ordinal)
            .Select(r => new MemberDto(r.UserId, r.DisplayName, r.Kind.ToString(), r.Role.ToString(), r.JoinedAt))];
    }

    /// <summary>The direct channel with a person: one per pair, created the first time and reused after.</summary>
    public async Task<Result<int>> DirectAsync(string userId, string? otherId, CancellationToken ct)
    {
        if (otherId == userId)
        {
            return TalkErrors.DirectSelf;
        }

        if (otherId is null || !await db.Users.AnyAsync(u => u.Id == otherId && !u.IsDisabled, ct))
        {
            return TalkErrors.PersonUnknown;
        }

        var key = string.CompareOrdinal(userId, otherId) < 0 ? $"{userId} {otherId}" : $"{otherId} {userId}";
        if (await db.TalkChannels.Where(c => c.DirectKey == key).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct) is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var channel = new TalkChannel
        {
            Kind = ChannelKind.Direct, Visibility = ChannelVisibility.Private, Name = "", CreatedById = userId, CreatedAt = now, DirectKey = key,
        };
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.TalkChannels.Add(channel);
            await db.SaveChangesAsync(ct);
            db.TalkMembers.AddRange(
                new TalkMember { ChannelId = channel.Id, UserId = userId, Role = MemberRole.Owner, JoinedAt = now },
                new TalkMember { ChannelId = channel.Id, UserId = otherId, Role = MemberRole.Owner, JoinedAt = now });
            TalkLive.AudienceChanged(db, channel.Id, userId, otherId);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return channel.Id;
        }
        catch (DbUpdateException)
        {
            // The other person opened the same pair at the same moment: theirs is the one.
            db.ChangeTracker.Clear();
            return await db.TalkChannels.Where(c => c.DirectKey == key).Select(c => c.Id).FirstAsync(ct);
        }
    }

    /// <summary>A group message: the caller and 2–7 others (at most <see cref="TalkLimits.MaxGroup"/> people), private.</summary>
    public async Task<Result<int>> GroupAsync(string userId, GroupRequest request, CancellationToken ct)
    {
        var others = (request.UserIds ?? []).Where(id => id != userId).Distinct(StringComparer.Ordinal).ToList();
        if (others.Count < 2 || others.Count + 1 > TalkLimits.MaxGroup)
        {
            return TalkErrors.GroupSize;
        }

        var people = await db.Users.AsNoTracking().Where(u => others.Contains(u.Id) && !u.IsDisabled).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        if (people.Count != others.Count)
        {
            return TalkErrors.PersonUnknown;
        }

        var name = (request.Name ?? "").Trim();
        if (name.Length > TalkLimits.MaxName)
        {
            return TalkErrors.NameTooLong;
        }

        if (name.Length == 0)
        {
            var mine = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstAsync(ct);
            name = string.Join("、", new[] { mine }.Concat(people.Select(p => p.DisplayName)));
            name = name.Length > TalkLimits.MaxName ? name[..(TalkLimits.MaxName - 1)] + "…" : name;
        }

        var now = clock.GetUtcNow();
        var channel = new TalkChannel { Kind = ChannelKind.Group, Visibility = ChannelVisibility.Private, Name = name, CreatedById = userId, CreatedAt = now };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.TalkChannels.Add(channel);
        await db.SaveChangesAsync(ct);
        db.TalkMembers.Add(new TalkMember { ChannelId = channel.Id, UserId = userId, Role = MemberRole.Owner, JoinedAt = now });
        db.TalkMembers.AddRange(others.Select(o => new TalkMember { ChannelId = channel.Id, UserId = o, Role = MemberRole.Member, JoinedAt = now }));
        TalkLive.AudienceChanged(db, channel.Id, [userId, .. others]);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return channel.Id;
    }

    /// <summary>The owner (or a moderator) archives a channel: it stays readable, nobody can post.</summary>
    public async Task<Error?> ArchiveAsync(ChannelGrant g, string actorId, CancellationToken ct)
    {
        if (g.Channel.Kind == ChannelKind.Department)
        {
            return TalkErrors.DepartmentManaged;
        }

        if (!g.IsOwner && !g.CanModerate)
        {
            return TalkErrors.NotOwner;
        }

        await db.TalkChannels.Where(c => c.Id == g.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Archived, true), ct);
        await audit.WriteAsync("talk.channel_archived", AuditOutcome.Success, actorId: actorId,
            details: new Dictionary<string, string?> { ["channel"] = TalkAccess.Id(g.Id) }, ct: ct);
        return null;
    }

    /// <summary>People found by (part of) their name or reading, for starting a direct message (insiders only; the page asks).</summary>
    public async Task<IReadOnlyList<MemberDto>> FindPeopleAsync(string name, string exceptUserId, CancellationToken ct)
    {
        var n = name.Trim();
        if (n.Length == 0)
        {
            return [];
        }

        var rows = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && u.Id != exceptUserId && (u.DisplayName.Contains(n) || u.DisplayNameKana.Contains(n)))
            .OrderBy(u => u.DisplayNameKana).Take(20).Select(u => new { u.Id, u.DisplayName, u.Kind, u.CreatedAt }).ToListAsync(ct);
        return [.. rows.Select(r => new MemberDto(r.Id, r.DisplayName, r.Kind.ToString(), "", r.CreatedAt))];
    }

    /// <summary>For direct channels: the other person's name, as the channel's name in the caller's lists.</summary>
    private async Task<Dictionary<int, string>> DirectNamesAsync(IReadOnlyList<int> channelIds, string userId, CancellationToken ct)
    {
        if (channelIds.Count == 0)
        {
            return [];
        }

        var rows = await (
            from m in db.TalkMembers.AsNoTracking()
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            where channelIds.Contains(m.ChannelId) && m.UserId != userId
            select new { m.ChannelId, u.DisplayName }).ToListAsync(ct);
        return rows.GroupBy(r => r.ChannelId).ToDictionary(g => g.Key, g => g.First().DisplayName);
    }
}
