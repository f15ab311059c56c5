namespace Dokodemo.Hosting;

public enum RunMode
{
    /// <summary>A demo town on loopback: banner, seeded people, persona sign-in.</summary>
    Demo = 0,

    /// <summary>Real use: no demo data, no persona sign-in, bootstrap link for the first administrator.</summary>
    Production = 1,
}

public enum DatabaseProvider
{
    Sqlite = 0,
    Postgres = 1,
}

/// <summary>The "Dokodemo" configuration section.</summary>
public sealed class DokodemoOptions
{
    public const string Section = "Dokodemo";

    public RunMode Mode { get; set; } = RunMode.Demo;
    public string TownName { get; set; } = "どこでも町";
    public string TownNameEn { get; set; } = "Dokodemo Town";

    /// <summary>The address people use to reach the app; invite and bootstrap links are built from it.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";

    public int InviteLifetimeHours { get; set; } = 168;
    public int BootstrapLifetimeMinutes { get; set; } = 60;

    /// <summary>
    /// The file holding the key-encryption key (base64 of 32 random bytes) that encrypts the Data Protection key ring
    /// kept in the database. Required in production (or <see cref="KeyEncryptionKey"/>); demo mode creates one in data/.
    /// </summary>
    public string? KeyEncryptionKeyFile { get; set; }

    /// <summary>The key-encryption key itself (base64), for secret stores that hand it over as an environment variable.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Sign-in, code, passkey and enrolment requests per client address and minute (R11).</summary>
    public int AuthRateLimitPerMinute { get; set; } = 60;

    /// <summary>Attempts per account and minute: sign-in, code, passkey, enrolment, and an administrator's invitations (R11).</summary>
    public int AccountRateLimitPerMinute { get; set; } = 10;

    public CorsSettings Cors { get; set; } = new();

    /// <summary>Whether the demo town is seeded in demo mode (tests turn it off to start empty).</summary>
    public bool SeedDemo { get; set; } = true;

    public bool IsDemo => Mode == RunMode.Demo;
}

/// <summary>"Dokodemo:Cors": other sites allowed to call the API from a browser (R37). Empty by default.</summary>
public sealed class CorsSettings
{
    /// <summary>Exact origins such as https://portal.town.example.jp; never "*".</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

/// <summary>The "Database" configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; set; } = "Data Source=data/dokodemo.db";

    /// <summary>Where SQLite backups go before a migration changes the file.</summary>
    public string BackupDirectory { get; set; } = "data/backups";

    /// <summary>
    /// SQLite's <c>synchronous</c> setting for every connection: <c>Normal</c> (default) or <c>Full</c>. In WAL mode Normal
    /// never corrupts the file and loses nothing when the app crashes; after a power cut or an OS crash the last
    /// transactions before it may be rolled back. Full adds an fsync to every commit (about 5 ms on the reference machine),
    /// which caps a single SQLite writer near 200 commits per second. PostgreSQL is not affected.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;
}

public enum SqliteSynchronous
{
    Normal = 1,
    Full = 2,
}
