using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>
/// Department channels from the org chart: one private channel per department whose members are exactly the
/// department's active insiders (staff and 会計年度任用職員, not disabled). Newcomers are added, people who left the
/// department (or were disabled) are removed; side-job workers and partners are never added (and removed if a row says
/// otherwise). Idempotent: a second run changes nothing. Runs at start-up after migration and by <c>talk sync</c>.
/// </summary>
public sealed class TalkSync(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    public async Task<TalkSyncReport> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var departments = await db.Departments.AsNoTracking().Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        var channels = await db.TalkChannels.Where(c => c.Kind == ChannelKind.Department && c.DepartmentId != null).ToListAsync(ct);
        var byDepartment = channels.ToDictionary(c => c.DepartmentId!.Value);
        int created = 0, renamed = 0;
        foreach (var d in departments)
        {
            if (!byDepartment.TryGetValue(d.Id, out var channel))
            {
                channel = new TalkChannel
                {
                    Kind = ChannelKind.Department, Visibility = ChannelVisibility.Private, DepartmentId = d.Id, Name = d.Name,
                    Purpose = "所属の連絡用チャンネル（組織図から自動）", CreatedAt = now,
                };
                db.TalkChannels.Add(channel);
                byDepartment[d.Id] = channel;
                created++;
            }
            else if (channel.Name != d.Name)
            {
                channel.Name = d.Name;
                renamed++;
            }
        }

        await db.SaveChangesAsync(ct);

        var wanted = (await db.Users.AsNoTracking()
                .Where(u => !u.IsDisabled && (u.Kind == AccountKind.Staff || u.Kind == AccountKind.PartTimeStaff))
                .Select(u => new { u.Id, u.DepartmentId }).ToListAsync(ct))
            .Where(u => byDepartment.ContainsKey(u.DepartmentId))
            .Select(u => (Channel: byDepartment[u.DepartmentId].Id, User: u.Id)).ToHashSet();
        var channelIds = byDepartment.Values.Select(c => c.Id).ToList();
        var current = (await db.TalkMembers.AsNoTracking().Where(m => channelIds.Contains(m.ChannelId)).Select(m => new { m.ChannelId, m.UserId }).ToListAsync(ct))
            .Select(m => (Channel: m.ChannelId, User: m.UserId)).ToHashSet();

        var add = wanted.Except(current).ToList();
        var remove = current.Except(wanted).ToList();
        db.TalkMembers.AddRange(add.Select(a => new TalkMember { ChannelId = a.Channel, UserId = a.User, Role = MemberRole.Member, JoinedAt = now }));
        foreach (var (channel, user) in add.Concat(remove))
        {
            TalkLive.AudienceChanged(db, channel, user);
        }

        await db.SaveChangesAsync(ct);
        foreach (var group in remove.GroupBy(r => r.Channel))
        {
            var users = group.Select(g => g.User).ToList();
            await db.TalkMembers.Where(m => m.ChannelId == group.Key && users.Contains(m.UserId)).ExecuteDeleteAsync(ct);
        }

        await tx.CommitAsync(ct);
        var report = new TalkSyncReport(created, renamed, add.Count, remove.Count);
        if (report.Changed)
        {
            await audit.WriteAsync("talk.departments_synced", AuditOutcome.Success, details: new Dictionary<string, string?>
            {
                ["created"] = Num(created), ["renamed"] = Num(renamed), ["added"] = Num(add.Count), ["removed"] = Num(remove.Count),
            }, ct: ct);
        }

        return report;
    }

    private static string Num(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The department sync again every <c>Dokodemo:Talk:SyncEvery</c> (default 5 minutes; zero turns it off), so that people
/// who are invited, move or are disabled between starts reach or leave their department channel within that time.
/// </summary>
public sealed class TalkSyncSweep(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<TalkSyncSweep> log)
    : Hosting.PeriodicSweep(scopes, configuration, log)
{
    public const string Key = "Dokodemo:Talk:SyncEvery";

    protected override string EveryKey => Key;
    protected override TimeSpan DefaultEvery => TimeSpan.FromMinutes(5);
    protected override string Name => "The Talk department sync";

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) => services.GetRequiredService<TalkSync>().RunAsync(ct);
}
