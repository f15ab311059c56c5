using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Demo;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Organization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>What the generator made, for the benchmarks to aim at.</summary>
public sealed record GeneratedTown(int Staff, int Departments, int Sections, int Sites, int BoardSectionId, int BoardSectionMembers);

/// <summary>
/// A realistic town of any size, deterministic from a seed: the app's own schema scripts, its EF model,
/// ten departments with their sections, four sites, and N people with Japanese names. The demo personas
/// (Access/Personas.cs) are always included, so persona sign-in works against a generated town in demo mode.
/// </summary>
public static class TownGenerator
{
    public const string EmailDomain = "dokodemo.example";

    /// <summary>The section whose member list P1 reads (the manager persona's team, 住民課 住民係).</summary>
    public const string BoardDepartment = "住民課";
    public const string BoardSection = "住民係";

    // The demo town's eight departments, and two more that larger towns have.
    private static readonly (string Code, string Name, string En, (string Name, string En)[] Sections)[] DepartmentList =
    [
        .. DemoTown.Departments,
        ("KAIKEI", "会計課", "Accounting", [("出納係", "Treasury"), ("契約検査係", "Contracts and Inspection")]),
        ("GIKAI", "議会事務局", "Council Secretariat", [("議事係", "Council Proceedings")]),
    ];

    private static readonly string[] Titles = ["係長", "主査", "主任", "主任", "主事", "主事", "主事", "技師", "主事補"];

    /// <summary>Creates (or replaces) the SQLite file and fills it.</summary>
    public static async Task<GeneratedTown> GenerateAsync(string databaseFile, int staff, int seed, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(staff, 20);
        foreach (var f in new[] { databaseFile, databaseFile + "-wal", databaseFile + "-shm" })
        {
            File.Delete(f);
        }

        return await GenerateAsync(DatabaseProvider.Sqlite, $"Data Source={databaseFile}", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databaseFile))!, "backups"), staff, seed, ct);
    }

    /// <summary>Fills an empty database of either provider (P7 also runs on PostgreSQL; the caller creates the database).</summary>
    public static async Task<GeneratedTown> GenerateAsync(DatabaseProvider provider, string connectionString, string backupDirectory, int staff, int seed, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(staff, 20);
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        var options = (provider == DatabaseProvider.Sqlite ? builder.UseSqlite(connectionString) : builder.UseNpgsql(connectionString)).Options;
        await using var db = new AppDbContext(options);

        // The app's own forward-only SQL scripts, applied and recorded exactly as the app does.
        var dbOptions = Options.Create(new DatabaseOptions { Provider = provider, ConnectionString = connectionString, BackupDirectory = backupDirectory });
        await new SchemaMigrator(db, dbOptions, TimeProvider.System, NullLogger<SchemaMigrator>.Instance).MigrateAsync(ct: ct);
        if (provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        var rng = new Random(seed);
        Guid NextGuid()
        {
            Span<byte> b = stackalloc byte[16];
            rng.NextBytes(b);
            b[7] = (byte)((b[7] & 0x0F) | 0x40);
            b[8] = (byte)((b[8] & 0x3F) | 0x80);
            return new Guid(b);
        }

        var created = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);

        var roles = new Dictionary<string, AppRole>(StringComparer.Ordinal);
        foreach (var name in Roles.All)
        {
            var role = new AppRole(name) { Id = NextGuid().ToString(), NormalizedName = name.ToUpperInvariant(), ConcurrencyStamp = NextGuid().ToString() };
            roles[name] = role;
            db.Roles.Add(role);
        }

        var departments = DemoTown.NewDepartments(DepartmentList);
        db.Departments.AddRange(departments);
        db.Sites.AddRange(DemoTown.NewSites());
        await db.SaveChangesAsync(ct);

        Department Dept(string name) => departments.Single(d => d.Name == name);
        Section Sec(string dept, string name) => Dept(dept).Sections.Single(s => s.Name == name);

        var emails = new HashSet<string>(StringComparer.Ordinal);
        var people = 0;
        void AddPerson(string name, string kana, string local, AccountKind kind, Section section, string title, string[] personRoles, DateOnly? end)
        {
            var email = local;
            for (var n = 2; !emails.Add(email); n++)
            {
                email = Invariant($"{local}{n}");
            }

            var address = $"{email}@{EmailDomain}";
            var user = new AppUser
            {
                Id = NextGuid().ToString(),
                UserName = address,
                NormalizedUserName = address.ToUpperInvariant(),
                Email = address,
                NormalizedEmail = address.ToUpperInvariant(),
                EmailConfirmed = true,
                SecurityStamp = NextGuid().ToString("N").ToUpperInvariant(),
                ConcurrencyStamp = NextGuid().ToString(),
                DisplayName = name,
                DisplayNameKana = kana,
                Kind = kind,
                DepartmentId = section.DepartmentId,
                SectionId = section.Id,
                Title = title,
                ContractEnd = end,
                CreatedAt = created,
                LockoutEnabled = true,
            };
            db.Users.Add(user);
            foreach (var r in personRoles)
            {
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[r].Id });
            }

            people++;
        }

        // The personas and a few named people, as in the demo town.
        AddPerson("佐藤 美咲", "さとう みさき", "sato.misaki", AccountKind.Staff, Sec("住民課", "住民係"), "主事", [Roles.Staff], null);
        AddPerson("高橋 健一", "たかはし けんいち", "takahashi.kenichi", AccountKind.Staff, Sec("住民課", "住民係"), "課長", [Roles.Staff, Roles.Manager], null);
        AddPerson("中村 さくら", "なかむら さくら", "nakamura.sakura", AccountKind.Staff, Sec("企画政策課", "DX推進係"), "主任", [Roles.Staff, Roles.Dx], null);
        AddPerson("伊藤 誠", "いとう まこと", "ito.makoto", AccountKind.Staff, Sec("総務課", "情報管理係"), "主査", [Roles.Staff, Roles.SecurityAdmin, Roles.Admin], null);
        AddPerson("小林 葵", "こばやし あおい", "kobayashi.aoi", AccountKind.SideJobWorker, Sec("企画政策課", "DX推進係"), "DXアドバイザー", [Roles.Staff], new DateOnly(2027, 3, 31));
        AddPerson("森田 直子", "もりた なおこ", "morita.naoko", AccountKind.Staff, Sec("総務課", "人事係"), "係長", [Roles.Staff, Roles.Hr], null);
        AddPerson("南 和人", "みなみ かずと", "minami.kazuto", AccountKind.Partner, Sec("産業振興課", "商工観光係"), "株式会社みなとラボ", [Roles.Staff], new DateOnly(2027, 3, 31));

        string RandomName(out string kana, out string local)
        {
            var f = JapaneseNames.FamilyNames[rng.Next(JapaneseNames.FamilyNames.Length)];
            var g = JapaneseNames.GivenNames[rng.Next(JapaneseNames.GivenNames.Length)];
            kana = $"{f.Kana} {g.Kana}";
            local = $"{f.Romaji}.{g.Romaji}";
            return $"{f.Kanji} {g.Kanji}";
        }

        // A head (課長) for every department but 住民課, whose head is the manager persona.
        foreach (var d in departments.Where(d => d.Name != "住民課"))
        {
            var name = RandomName(out var kana, out var local);
            AddPerson(name, kana, local, AccountKind.Staff, d.Sections[0], "課長", [Roles.Staff, Roles.Manager], null);
        }

        // Everyone else, spread over all sections (larger departments get more people by having more sections).
        var allSections = departments.SelectMany(d => d.Sections).ToList();
        while (people < staff)
        {
            var section = allSections[rng.Next(allSections.Count)];
            var name = RandomName(out var kana, out var local);
            var roll = rng.Next(100);
            var (kind, title, end) = roll switch
            {
                < 80 => (AccountKind.Staff, Titles[rng.Next(Titles.Length)], (DateOnly?)null),
                < 94 => (AccountKind.PartTimeStaff, "会計年度任用職員", new DateOnly(2027, 3, 31)),
                < 97 => (AccountKind.SideJobWorker, "地域活性化アドバイザー", new DateOnly(2027, 3, 31)),
                _ => (AccountKind.Partner, "協力事業者", new DateOnly(2027, 3, 31)),
            };
            var dept = departments.Single(d => d.Id == section.DepartmentId);
            string[] personRoles = dept.Name == "企画政策課" && section.Name == "DX推進係" ? [Roles.Staff, Roles.Dx]
                : dept.Name == "総務課" && section.Name == "人事係" && kind == AccountKind.Staff && rng.Next(3) == 0 ? [Roles.Staff, Roles.Hr]
                : [Roles.Staff];
            AddPerson(name, kana, local, kind, section, title, personRoles, end);
        }

        await db.SaveChangesAsync(ct);

        var board = Sec(BoardDepartment, BoardSection);
        var boardMembers = await db.Users.CountAsync(u => u.SectionId == board.Id, ct);
        return new GeneratedTown(people, departments.Count, allSections.Count, 4, board.Id, boardMembers);
    }
}
