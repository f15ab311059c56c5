using Dokodemo.Data;
using Dokodemo.Demo;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>
/// Demo: a few days of Japanese messages in each department channel (from <see cref="TalkDemoText"/>, fixed seed), so the
/// demo town's トーク is not empty. Runs after the department sync, only in a seeded demo, only while no message exists.
/// </summary>
public static class TalkDemo
{
    public const int PerChannel = 12;

    public static async Task SeedAsync(AppDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        if (await db.TalkMessages.AnyAsync(ct))
        {
            return;
        }

        var text = new TalkDemoText(20250401);
        var random = new Random(20250401);
        var now = clock.GetUtcNow();
        var members = (await db.TalkMembers.AsNoTracking()
                .Join(db.TalkChannels.Where(c => c.Kind == ChannelKind.Department), m => m.ChannelId, c => c.Id, (m, c) => new { m.ChannelId, m.UserId })
                .ToListAsync(ct))
            .GroupBy(m => m.ChannelId).OrderBy(g => g.Key);
        foreach (var channel in members)
        {
            var people = channel.Select(m => m.UserId).Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < PerChannel; i++)
            {
                db.TalkMessages.Add(new TalkMessage
                {
                    ChannelId = channel.Key, AuthorId = people[random.Next(people.Count)], Body = text.Message(),
                    CreatedAt = now.AddHours(-72 + (i * 72.0 / PerChannel)),
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
