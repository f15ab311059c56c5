using Dokodemo.Access;
using Dokodemo.Organization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dokodemo.Data;

/// <summary>The one DbContext. Each capability adds its sets and configuration here.</summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<AppUser, AppRole, string>(options)
{
    private bool? isPostgres;

    /// <summary>
    /// Whether this context runs on PostgreSQL, asked of EF once per context: <c>Database.IsNpgsql()</c> resolves the
    /// provider from EF's services on every call, and the write paths ask several times per request.
    /// </summary>
    public bool IsPostgres => isPostgres ??= Database.IsNpgsql();

    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Section> Sections => Set<Section>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<Invite> Invites => Set<Invite>();
    public DbSet<UserSession> Sessions => Set<UserSession>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<AccessPolicyVersion> AccessPolicies => Set<AccessPolicyVersion>();
    public DbSet<ResourceLabel> ResourceLabels => Set<ResourceLabel>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<AuditSigningKey> AuditSigningKeys => Set<AuditSigningKey>();
    public DbSet<AuditSignedCheckpoint> AuditCheckpoints => Set<AuditSignedCheckpoint>();
    public DbSet<Work.Calendar.HolidayList> HolidayLists => Set<Work.Calendar.HolidayList>();
    public DbSet<Work.Calendar.TownClosingDay> TownClosingDays => Set<Work.Calendar.TownClosingDay>();
    public DbSet<Work.Calendar.CalendarFeed> CalendarFeeds => Set<Work.Calendar.CalendarFeed>();
    public DbSet<Work.Rules.WorkDesignation> WorkDesignations => Set<Work.Rules.WorkDesignation>();
    public DbSet<Work.Rules.WorkAgreement> WorkAgreements => Set<Work.Rules.WorkAgreement>();
    public DbSet<Work.Rules.SpecialDutyRecord> SpecialDuties => Set<Work.Rules.SpecialDutyRecord>();
    public DbSet<Work.Rules.WorkRuleSettingsVersion> WorkRuleSettings => Set<Work.Rules.WorkRuleSettingsVersion>();

    // Work: work places, weekly patterns, telework requests and settings (Work/Places).
    public DbSet<Work.Places.WorkPlaceDeclaration> WorkPlaceDeclarations => Set<Work.Places.WorkPlaceDeclaration>();
    public DbSet<Work.Places.WorkPattern> WorkPatterns => Set<Work.Places.WorkPattern>();
    public DbSet<Work.Places.TeleworkRequest> TeleworkRequests => Set<Work.Places.TeleworkRequest>();
    public DbSet<Work.Places.TeleworkRequestDay> TeleworkRequestDays => Set<Work.Places.TeleworkRequestDay>();
    public DbSet<Work.Places.TeleworkSettings> TeleworkSettings => Set<Work.Places.TeleworkSettings>();
    public DbSet<Work.Places.TeleworkTraining> TeleworkTrainings => Set<Work.Places.TeleworkTraining>();

    // Work: attendance (勤怠) — schedules, clock records, corrections, overtime orders, the monthly close.
    public DbSet<Work.Attendance.WorkSchedule> WorkSchedules => Set<Work.Attendance.WorkSchedule>();
    public DbSet<Work.Attendance.ClockRecord> ClockRecords => Set<Work.Attendance.ClockRecord>();
    public DbSet<Work.Attendance.AttendanceCorrection> AttendanceCorrections => Set<Work.Attendance.AttendanceCorrection>();
    public DbSet<Work.Attendance.OvertimeOrder> OvertimeOrders => Set<Work.Attendance.OvertimeOrder>();
    public DbSet<Work.Attendance.AttendanceMonth> AttendanceMonths => Set<Work.Attendance.AttendanceMonth>();
    public DbSet<Work.Arrangements.WorkArrangement> WorkArrangements => Set<Work.Arrangements.WorkArrangement>();
    public DbSet<Work.Arrangements.WorkDayAssignment> WorkDayAssignments => Set<Work.Arrangements.WorkDayAssignment>();
    public DbSet<Work.Records.WorkRecordLog> WorkRecordLogs => Set<Work.Records.WorkRecordLog>();
    public DbSet<Work.Records.WorkRecordNote> WorkRecordNotes => Set<Work.Records.WorkRecordNote>();

    // Seats: floors, zones, desks, closures, rules, bookings and what they hold (Seats/, migration 0014).
    public DbSet<Seats.SeatFloor> SeatFloors => Set<Seats.SeatFloor>();
    public DbSet<Seats.SeatZone> SeatZones => Set<Seats.SeatZone>();
    public DbSet<Seats.Desk> Desks => Set<Seats.Desk>();
    public DbSet<Seats.SeatClosure> SeatClosures => Set<Seats.SeatClosure>();
    public DbSet<Seats.SeatSiteRules> SeatSiteRules => Set<Seats.SeatSiteRules>();
    public DbSet<Seats.SeatBooking> SeatBookings => Set<Seats.SeatBooking>();
    public DbSet<Seats.SeatHolding> SeatHoldings => Set<Seats.SeatHolding>();
    public DbSet<Seats.SeatSeries> SeatSeries => Set<Seats.SeatSeries>(); // migration 0015

    // Notifications (お知らせ): what the app tells a person (Notifications/, migration 0016).
    public DbSet<global::Dokodemo.Notifications.Notification> Notifications => Set<global::Dokodemo.Notifications.Notification>();

    // Talk: channels, members, messages and what hangs on them (Talk/, migration 0017).
    public DbSet<Talk.TalkChannel> TalkChannels => Set<Talk.TalkChannel>();
    public DbSet<Talk.TalkMember> TalkMembers => Set<Talk.TalkMember>();
    public DbSet<Talk.TalkMessage> TalkMessages => Set<Talk.TalkMessage>();
    public DbSet<Talk.TalkRevision> TalkRevisions => Set<Talk.TalkRevision>();
    public DbSet<Talk.TalkReaction> TalkReactions => Set<Talk.TalkReaction>();
    public DbSet<Talk.TalkPin> TalkPins => Set<Talk.TalkPin>();
    public DbSet<Talk.TalkMention> TalkMentions => Set<Talk.TalkMention>();
    public DbSet<Talk.TalkAck> TalkAcks => Set<Talk.TalkAck>();
    // Talk: notice reminders and the town's Talk settings (migration 0020).
    public DbSet<Talk.TalkNoticeState> TalkNoticeStates => Set<Talk.TalkNoticeState>();
    public DbSet<Talk.TalkTownSettings> TalkTownSettings => Set<Talk.TalkTownSettings>();
    public DbSet<Talk.TalkFile> TalkFiles => Set<Talk.TalkFile>(); // migration 0021

    // Talk: scheduled send, preferences (quiet hours, digest), held notifications, inbox (Talk/, migration 0022).
    public DbSet<Talk.TalkScheduledMessage> TalkScheduledMessages => Set<Talk.TalkScheduledMessage>();
    public DbSet<Talk.TalkPreference> TalkPreferences => Set<Talk.TalkPreference>();
    public DbSet<Talk.TalkHeldNotification> TalkHeldNotifications => Set<Talk.TalkHeldNotification>();
    public DbSet<Talk.TalkInboxDone> TalkInboxDone => Set<Talk.TalkInboxDone>();
    // Live events: the append-only log behind the SSE stream (Live/, migration 0018).
    public DbSet<Live.LiveEvent> LiveEvents => Set<Live.LiveEvent>();

    // Talk retention per channel (Talk/TalkRetention*.cs, migration 0023).
    public DbSet<Talk.TalkChannelRetention> TalkChannelRetention => Set<Talk.TalkChannelRetention>();

    // Schema version 3 includes the passkey table, which the Access capability uses; pinned here so the
    // model does not depend on whether the context was built by DI or by a tool.
    protected override Version SchemaVersion => IdentitySchemaVersions.Version3;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Database.IsSqlite())
        {
            // SQLite has no timestamp type: store UTC instants as Unix milliseconds so they sort and compare in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<AppUser>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(100);
            u.Property(x => x.DisplayNameKana).HasMaxLength(100);
            u.Property(x => x.Title).HasMaxLength(50);
            u.Property(x => x.TimeZone).HasMaxLength(64);
            u.Property(x => x.Language).HasMaxLength(8);
            u.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
            u.HasOne(x => x.Section).WithMany().HasForeignKey(x => x.SectionId).OnDelete(DeleteBehavior.Restrict);
            u.HasIndex(x => x.DepartmentId);
        });

        builder.Entity<Department>(d =>
        {
            d.Property(x => x.Code).HasMaxLength(32);
            d.Property(x => x.Name).HasMaxLength(100);
            d.Property(x => x.NameEn).HasMaxLength(100);
            d.HasIndex(x => x.Code).IsUnique();
            d.HasMany(x => x.Sections).WithOne(x => x.Department).HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Section>(s =>
        {
            s.Property(x => x.Name).HasMaxLength(100);
            s.Property(x => x.NameEn).HasMaxLength(100);
            s.HasIndex(x => new { x.DepartmentId, x.Name }).IsUnique();
        });

        builder.Entity<Site>(s =>
        {
            s.Property(x => x.Name).HasMaxLength(100);
            s.Property(x => x.NameEn).HasMaxLength(100);
            s.Property(x => x.Address).HasMaxLength(200);
        });

        builder.Entity<Invite>(i =>
        {
            i.Property(x => x.TokenHash).HasMaxLength(64);
            i.HasIndex(x => x.TokenHash).IsUnique();
            i.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditEntry>(a =>
        {
            a.ToTable("AuditEntries");
            a.HasKey(x => x.Sequence);
            a.Property(x => x.Sequence).ValueGeneratedNever();
            a.Property(x => x.Event).HasMaxLength(64);
            a.Property(x => x.ActorId).HasMaxLength(450);
            a.Property(x => x.SubjectId).HasMaxLength(450);
            a.Property(x => x.Outcome).HasMaxLength(16);
            a.Property(x => x.IpAddress).HasMaxLength(64);
            a.Property(x => x.PreviousHash).HasMaxLength(64);
            a.Property(x => x.Hash).HasMaxLength(64);
            a.HasIndex(x => x.At);
            a.HasIndex(x => x.ActorId);
            // Where the action came from and the access decision (added after the first version of the log).
            a.Property(x => x.DeviceId).HasMaxLength(64);
            a.Property(x => x.NetworkZone).HasMaxLength(16);
            a.Property(x => x.Country).HasMaxLength(2);
            a.Property(x => x.Decision).HasMaxLength(16);
            a.HasIndex(x => x.SubjectId);
            a.HasIndex(x => x.Event);
        });

        builder.Entity<AuditSigningKey>(k =>
        {
            k.ToTable("AuditSigningKeys");
            k.Property(x => x.KeyId).HasMaxLength(8);
            k.Property(x => x.Name).HasMaxLength(300);
            k.Property(x => x.PublicKey).HasMaxLength(200);
            k.HasIndex(x => x.KeyId).IsUnique();
        });

        builder.Entity<AuditSignedCheckpoint>(c =>
        {
            c.ToTable("AuditCheckpoints");
            c.Property(x => x.HeadHash).HasMaxLength(64);
            c.Property(x => x.KeyId).HasMaxLength(8);
            c.HasIndex(x => x.Size);
        });

        // The Data Protection key ring, shared by every node; secrets encrypted with the KEK (DataProtection.cs).
        builder.Entity<DataProtectionKey>(k =>
        {
            k.ToTable("DataProtectionKeys");
            k.Property(x => x.FriendlyName).HasMaxLength(100);
        });

        builder.Entity<UserSession>(s =>
        {
            s.ToTable("UserSessions");
            s.Property(x => x.UserId).HasMaxLength(450);
            s.Property(x => x.AuthMethod).HasMaxLength(32);
            s.Property(x => x.UserAgent).HasMaxLength(300);
            s.Property(x => x.IpAddress).HasMaxLength(64);
            s.HasIndex(x => x.UserId);
            s.HasIndex(x => x.DeviceId);
            s.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Device>(d =>
        {
            d.Property(x => x.UserId).HasMaxLength(450);
            d.Property(x => x.TokenHash).HasMaxLength(64);
            d.Property(x => x.Name).HasMaxLength(Access.Devices.MaxNameLength);
            d.Property(x => x.UserAgent).HasMaxLength(300);
            d.Property(x => x.LastIp).HasMaxLength(64);
            d.Property(x => x.ManagedById).HasMaxLength(450);
            d.HasIndex(x => new { x.TokenHash, x.UserId });
            d.HasIndex(x => x.UserId);
            d.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AccessPolicyVersion>(p =>
        {
            p.HasKey(x => x.Version);
            p.Property(x => x.Version).ValueGeneratedNever();
            p.Property(x => x.CreatedById).HasMaxLength(450);
            p.Property(x => x.Comment).HasMaxLength(200);
        });

        builder.Entity<ResourceLabel>(l =>
        {
            l.HasKey(x => new { x.ResourceType, x.ObjectId });
            l.Property(x => x.ResourceType).HasMaxLength(64);
            l.Property(x => x.ObjectId).HasMaxLength(64);
            l.Property(x => x.UpdatedById).HasMaxLength(450);
        });

        Work.Calendar.CalendarModel.Configure(builder);
        Work.Rules.RulesModel.Configure(builder);
        // Work: work places and telework (migration 0007).
        Work.Places.WorkPlacesModel.Configure(builder);
        // Work: attendance.
        Work.Attendance.AttendanceModel.Configure(builder);
        Work.Arrangements.ArrangementsModel.Configure(builder);
        // Work: objective records of working time and confirmation notes (C-2, migration 0013).
        Work.Records.RecordsModel.Configure(builder);
        // Seats (migration 0014).
        Seats.SeatsModel.Configure(builder);
        // Notifications (migration 0016).
        global::Dokodemo.Notifications.NotificationsModel.Configure(builder);
        // Talk (migration 0017).
        Talk.TalkModel.Configure(builder);
        // Live events: the append-only log behind the SSE stream (Live/, migration 0018).
        Live.LiveEventsModel.Configure(builder);
        // Talk: notice reminders and the town's Talk settings (migration 0020).
        Talk.TalkNotices.Configure(builder);
        Talk.TalkSettingsStore.Configure(builder);
        // Talk: files attached to messages (migration 0021).
        Talk.TalkFiles.Configure(builder);
        // Talk inbox: scheduled send, preferences, held notifications (migration 0022).
        Talk.TalkInboxModel.Configure(builder);
        // Talk retention (保存期間・訴訟ホールド) per channel (migration 0023).
        Talk.TalkRetentionModel.Configure(builder);
    }
}

/// <summary>UTC instant ⇄ Unix milliseconds, for SQLite.</summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
