using Dokodemo.Access;
using Dokodemo.Organization;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Seats;

/// <summary>The EF configuration of floors, zones, desks, closures, rules, bookings and holdings (migration 0014).</summary>
public static class SeatsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<SeatFloor>(f =>
        {
            f.ToTable("SeatFloors");
            f.Property(x => x.Name).HasMaxLength(100);
            f.HasIndex(x => x.SiteId);
            f.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SeatZone>(z =>
        {
            z.ToTable("SeatZones");
            z.Property(x => x.Name).HasMaxLength(100);
            z.HasIndex(x => x.FloorId);
            z.HasOne<SeatFloor>().WithMany().HasForeignKey(x => x.FloorId).OnDelete(DeleteBehavior.Cascade);
            z.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<Desk>(d =>
        {
            d.ToTable("Desks");
            d.Property(x => x.Label).HasMaxLength(20);
            d.HasIndex(x => new { x.FloorId, x.Label }).IsUnique();
            d.HasIndex(x => x.ZoneId);
            // Check-in (migration 0016): the QR code's token finds the desk; unique so it names one desk.
            d.Property(x => x.CheckInToken).HasMaxLength(64);
            d.HasIndex(x => x.CheckInToken).IsUnique();
            d.HasOne<SeatFloor>().WithMany().HasForeignKey(x => x.FloorId).OnDelete(DeleteBehavior.Cascade);
            d.HasOne<SeatZone>().WithMany().HasForeignKey(x => x.ZoneId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<SeatClosure>(c =>
        {
            c.ToTable("SeatClosures");
            c.Property(x => x.Reason).HasMaxLength(200);
            c.Property(x => x.CreatedById).HasMaxLength(450);
            c.HasIndex(x => new { x.FloorId, x.To });
            c.HasOne<SeatFloor>().WithMany().HasForeignKey(x => x.FloorId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne<Desk>().WithMany().HasForeignKey(x => x.DeskId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SeatSiteRules>(r =>
        {
            r.ToTable("SeatSiteRules");
            r.HasKey(x => x.SiteId);
            r.Property(x => x.SiteId).ValueGeneratedNever();
            r.Property(x => x.UpdatedById).HasMaxLength(450);
            // Check-in rules (migration 0016): the database defaults fill the rows that existed before; EF always sends
            // the value (ValueGeneratedNever), so "false" is stored as false, not replaced by the default.
            r.Property(x => x.CheckInRequired).HasDefaultValue(true).ValueGeneratedNever();
            r.Property(x => x.MorningReleaseAt).HasDefaultValue(SeatSiteRules.DefaultMorningReleaseAt).ValueGeneratedNever();
            r.Property(x => x.AfternoonReleaseAt).HasDefaultValue(SeatSiteRules.DefaultAfternoonReleaseAt).ValueGeneratedNever();
            r.HasOne<Site>().WithOne().HasForeignKey<SeatSiteRules>(x => x.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SeatBooking>(b =>
        {
            b.ToTable("SeatBookings");
            b.Property(x => x.UserId).HasMaxLength(450);
            b.Property(x => x.DecidedById).HasMaxLength(450);
            b.Property(x => x.CancelledById).HasMaxLength(450);
            b.Property(x => x.CancelReason).HasMaxLength(200);
            b.HasIndex(x => new { x.UserId, x.Date });
            b.HasIndex(x => new { x.DeskId, x.Date });
            b.HasIndex(x => x.State);
            // The release sweep reads today's confirmed bookings (migration 0016).
            b.HasIndex(x => new { x.Date, x.State });
            // A desk with bookings is deactivated, not deleted: the history stays.
            b.HasOne<Desk>().WithMany().HasForeignKey(x => x.DeskId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SeatHolding>(h =>
        {
            h.ToTable("SeatHoldings");
            h.HasKey(x => new { x.DeskId, x.Date, x.Half });
            h.Property(x => x.UserId).HasMaxLength(450);
            h.HasIndex(x => new { x.UserId, x.Date, x.Half }).IsUnique();
            h.HasIndex(x => x.BookingId);
            h.HasOne<SeatBooking>().WithMany().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Cascade);
        });

        // Series (繰り返し予約), migration 0015.
        SeatSeriesModel.Configure(builder);
    }
}
