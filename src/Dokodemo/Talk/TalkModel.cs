using Dokodemo.Access;
using Dokodemo.Organization;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>The EF configuration of Talk (migration 0017).</summary>
public static class TalkModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<TalkChannel>(c =>
        {
            c.ToTable("TalkChannels");
            c.Property(x => x.Name).HasMaxLength(TalkLimits.MaxName);
            c.Property(x => x.Purpose).HasMaxLength(TalkLimits.MaxPurpose);
            c.Property(x => x.CreatedById).HasMaxLength(450);
            c.Property(x => x.DirectKey).HasMaxLength(901);
            c.HasIndex(x => x.DepartmentId).IsUnique();
            c.HasIndex(x => x.DirectKey).IsUnique();
            c.HasIndex(x => new { x.Visibility, x.Archived });
            c.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<TalkMember>(m =>
        {
            m.ToTable("TalkMembers");
            m.HasKey(x => new { x.ChannelId, x.UserId });
            m.Property(x => x.UserId).HasMaxLength(450);
            // A person's memberships.
            m.HasIndex(x => x.UserId);
            m.HasOne<TalkChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TalkMessage>(m =>
        {
            m.ToTable("TalkMessages");
            m.Property(x => x.AuthorId).HasMaxLength(450);
            m.Property(x => x.DeletedById).HasMaxLength(450);
            m.Property(x => x.DeleteReason).HasMaxLength(200);
            m.Property(x => x.Body).HasMaxLength(TalkLimits.MaxBody);
            // Messages of a channel by id (desc) and the replies of a thread.
            m.HasIndex(x => new { x.ChannelId, x.Id });
            m.HasIndex(x => new { x.ThreadRootId, x.Id });
            m.HasOne<TalkChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne<AppUser>().WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Restrict);
            m.HasOne<TalkMessage>().WithMany().HasForeignKey(x => x.ThreadRootId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<TalkRevision>(r =>
        {
            r.ToTable("TalkRevisions");
            r.Property(x => x.EditedById).HasMaxLength(450);
            r.Property(x => x.Body).HasMaxLength(TalkLimits.MaxBody);
            r.HasIndex(x => new { x.MessageId, x.Id });
            r.HasOne<TalkMessage>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TalkReaction>(r =>
        {
            r.ToTable("TalkReactions");
            r.HasKey(x => new { x.MessageId, x.UserId, x.Emoji });
            r.Property(x => x.UserId).HasMaxLength(450);
            r.Property(x => x.Emoji).HasMaxLength(16);
            r.HasOne<TalkMessage>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TalkPin>(p =>
        {
            p.ToTable("TalkPins");
            p.HasKey(x => x.MessageId);
            p.Property(x => x.MessageId).ValueGeneratedNever();
            p.Property(x => x.PinnedById).HasMaxLength(450);
            p.HasIndex(x => x.ChannelId);
            p.HasOne<TalkMessage>().WithOne().HasForeignKey<TalkPin>(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            p.HasOne<TalkChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TalkMention>(m =>
        {
            m.ToTable("TalkMentions");
            m.HasKey(x => new { x.MessageId, x.UserId });
            m.Property(x => x.UserId).HasMaxLength(450);
            // Mentions of a person, per channel (unread mention counts, the inbox).
            m.HasIndex(x => new { x.UserId, x.ChannelId, x.MessageId });
            m.HasOne<TalkMessage>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TalkAck>(a =>
        {
            a.ToTable("TalkAcks");
            a.HasKey(x => new { x.MessageId, x.UserId });
            a.Property(x => x.UserId).HasMaxLength(450);
            a.HasOne<TalkMessage>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            a.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
