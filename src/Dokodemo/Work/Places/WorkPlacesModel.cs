using Dokodemo.Access;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Places;

/// <summary>The EF configuration of work places, weekly patterns, telework requests and settings (migration 0007).</summary>
public static class WorkPlacesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<WorkPlaceDeclaration>(d =>
        {
            d.ToTable("WorkPlaceDeclarations");
            d.Property(x => x.UserId).HasMaxLength(450);
            d.Property(x => x.Country).HasMaxLength(2);
            d.Property(x => x.TimeZone).HasMaxLength(64);
            d.Property(x => x.Note).HasMaxLength(200);
            d.Property(x => x.DeclaredById).HasMaxLength(450);
            d.HasIndex(x => new { x.UserId, x.Date, x.Half }).IsUnique();
            d.HasIndex(x => x.RequestId);
            d.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<WorkPattern>(p =>
        {
            p.ToTable("WorkPatterns");
            p.HasKey(x => new { x.UserId, x.Weekday, x.Half });
            p.Property(x => x.UserId).HasMaxLength(450);
            p.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TeleworkRequest>(r =>
        {
            r.ToTable("TeleworkRequests");
            r.Property(x => x.UserId).HasMaxLength(450);
            r.Property(x => x.Country).HasMaxLength(2);
            r.Property(x => x.TimeZone).HasMaxLength(64);
            r.Property(x => x.Reason).HasMaxLength(500);
            r.Property(x => x.DecidedById).HasMaxLength(450);
            r.Property(x => x.DecisionComment).HasMaxLength(500);
            r.HasIndex(x => new { x.UserId, x.State });
            r.HasIndex(x => x.State);
            r.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            r.HasMany(x => x.Days).WithOne().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TeleworkRequestDay>(d =>
        {
            d.ToTable("TeleworkRequestDays");
            d.HasKey(x => new { x.RequestId, x.Date });
            d.Property(x => x.UserId).HasMaxLength(450);
            d.HasIndex(x => new { x.UserId, x.Date });
        });

        builder.Entity<TeleworkSettings>(s =>
        {
            s.ToTable("TeleworkSettings");
            s.Property(x => x.Id).ValueGeneratedNever();
            s.Property(x => x.EligibleKinds).HasMaxLength(200);
            s.Property(x => x.EligibleDepartments).HasMaxLength(2000);
            s.Property(x => x.UpdatedById).HasMaxLength(450);
            s.Ignore(x => x.Kinds);
            s.Ignore(x => x.Departments);
        });

        builder.Entity<TeleworkTraining>(t =>
        {
            t.ToTable("TeleworkTrainings");
            t.HasKey(x => x.UserId);
            t.Property(x => x.UserId).HasMaxLength(450);
            t.Property(x => x.RecordedById).HasMaxLength(450);
            t.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
