using Dokodemo.Access;
using Dokodemo.Data;
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

    private static readonly (string Code, string Name, string En, (string Name, string En)[] Sections)[] DepartmentList =
    [
        ("SOMU", "総務課", "General Affairs", [("総務係", "General Affairs"), ("人事係", "Personnel"), ("財政係", "Finance"), ("情報管理係", "Information Management")]),
        ("KIKAKU", "企画政策課", "Planning and Policy", [("企画係", "Planning"), ("DX推進係", "Digital Transformation"), ("広報係", "Public Relations")]),
        ("ZEIMU", "税務課", "Taxation", [("町民税係", "Resident Tax"), ("資産税係", "Property Tax"), ("収納係", "Collection")]),
        ("JUMIN", "住民課", "Residents Services", [("住民係", "Residents"), ("保険年金係", "Insurance and Pension"), ("環境係", "Environment")]),
        ("FUKUSHI", "保健福祉課", "Health and Welfare", [("福祉係", "Welfare"), ("介護保険係", "Long-term Care"), ("健康づくり係", "Health Promotion"), ("子育て支援係", "Child Support")]),
        ("SANGYO", "産業振興課", "Industry Promotion", [("農林係", "Agriculture and Forestry"), ("商工観光係", "Commerce and Tourism")]),
        ("KENSETSU", "建設課", "Construction", [("土木係", "Civil Engineering"), ("上下水道係", "Water and Sewerage"), ("都市計画係", "Urban Planning")]),
        ("KYOIKU", "教育委員会", "Board of Education", [("教育総務係", "Education Affairs"), ("学校教育係", "School Education"), ("生涯学習係", "Lifelong Learning")]),
        ("KAIKEI", "会計課", "Accounting", [("出納係", "Treasury"), ("契約検査係", "Contracts and Inspection")]),
        ("GIKAI", "議会事務局", "Council Secretariat", [("議事係", "Council Proceedings")]),
    ];

    private static readonly (string Kanji, string Kana, string Romaji)[] FamilyNames =
    [
        ("佐藤", "さとう", "sato"), ("鈴木", "すずき", "suzuki"), ("高橋", "たかはし", "takahashi"), ("田中", "たなか", "tanaka"),
        ("伊藤", "いとう", "ito"), ("渡辺", "わたなべ", "watanabe"), ("山本", "やまもと", "yamamoto"), ("中村", "なかむら", "nakamura"),
        ("小林", "こばやし", "kobayashi"), ("加藤", "かとう", "kato"), ("吉田", "よしだ", "yoshida"), ("山田", "やまだ", "yamada"),
        ("佐々木", "ささき", "sasaki"), ("山口", "やまぐち", "yamaguchi"), ("松本", "まつもと", "matsumoto"), ("井上", "いのうえ", "inoue"),
        ("木村", "きむら", "kimura"), ("林", "はやし", "hayashi"), ("斎藤", "さいとう", "saito"), ("清水", "しみず", "shimizu"),
        ("山崎", "やまざき", "yamazaki"), ("森", "もり", "mori"), ("池田", "いけだ", "ikeda"), ("橋本", "はしもと", "hashimoto"),
        ("阿部", "あべ", "abe"), ("石川", "いしかわ", "ishikawa"), ("山下", "やました", "yamashita"), ("中島", "なかじま", "nakajima"),
        ("石井", "いしい", "ishii"), ("小川", "おがわ", "ogawa"), ("前田", "まえだ", "maeda"), ("岡田", "おかだ", "okada"),
        ("長谷川", "はせがわ", "hasegawa"), ("藤田", "ふじた", "fujita"), ("後藤", "ごとう", "goto"), ("近藤", "こんどう", "kondo"),
        ("村上", "むらかみ", "murakami"), ("遠藤", "えんどう", "endo"), ("青木", "あおき", "aoki"), ("坂本", "さかもと", "sakamoto"),
        ("斉藤", "さいとう", "saito"), ("福田", "ふくだ", "fukuda"), ("太田", "おおた", "ota"), ("西村", "にしむら", "nishimura"),
        ("藤井", "ふじい", "fujii"), ("金子", "かねこ", "kaneko"), ("岡本", "おかもと", "okamoto"), ("藤原", "ふじわら", "fujiwara"),
        ("三浦", "みうら", "miura"), ("中野", "なかの", "nakano"), ("原田", "はらだ", "harada"), ("松田", "まつだ", "matsuda"),
        ("竹内", "たけうち", "takeuchi"), ("小野", "おの", "ono"), ("田村", "たむら", "tamura"), ("中川", "なかがわ", "nakagawa"),
        ("和田", "わだ", "wada"), ("石田", "いしだ", "ishida"), ("森田", "もりた", "morita"), ("上田", "うえだ", "ueda"),
    ];

    private static readonly (string Kanji, string Kana, string Romaji)[] GivenNames =
    [
        ("大輔", "だいすけ", "daisuke"), ("陽子", "ようこ", "yoko"), ("翔太", "しょうた", "shota"), ("真由美", "まゆみ", "mayumi"),
        ("拓也", "たくや", "takuya"), ("恵子", "けいこ", "keiko"), ("健太", "けんた", "kenta"), ("美穂", "みほ", "miho"),
        ("直樹", "なおき", "naoki"), ("由美", "ゆみ", "yumi"), ("亮", "りょう", "ryo"), ("彩", "あや", "aya"),
        ("浩二", "こうじ", "koji"), ("裕子", "ゆうこ", "yuko"), ("和也", "かずや", "kazuya"), ("千尋", "ちひろ", "chihiro"),
        ("雄一", "ゆういち", "yuichi"), ("香織", "かおり", "kaori"), ("剛", "つよし", "tsuyoshi"), ("明美", "あけみ", "akemi"),
        ("達也", "たつや", "tatsuya"), ("奈々", "なな", "nana"), ("修", "おさむ", "osamu"), ("舞", "まい", "mai"),
        ("智也", "ともや", "tomoya"), ("早紀", "さき", "saki"), ("聡", "さとし", "satoshi"), ("優子", "ゆうこ", "yuko"),
        ("大樹", "だいき", "daiki"), ("麻衣", "まい", "mai"), ("隆", "たかし", "takashi"), ("愛", "あい", "ai"),
        ("蓮", "れん", "ren"), ("陽菜", "ひな", "hina"), ("悠斗", "ゆうと", "yuto"), ("結衣", "ゆい", "yui"),
        ("颯太", "そうた", "sota"), ("美月", "みづき", "mizuki"), ("大和", "やまと", "yamato"), ("凛", "りん", "rin"),
        ("誠", "まこと", "makoto"), ("智子", "ともこ", "tomoko"), ("博", "ひろし", "hiroshi"), ("京子", "きょうこ", "kyoko"),
        ("正樹", "まさき", "masaki"), ("綾香", "あやか", "ayaka"), ("哲也", "てつや", "tetsuya"), ("紀子", "のりこ", "noriko"),
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

        var connectionString = $"Data Source={databaseFile}";
        var options = new DbContextOptionsBuilder<AppDbContext>().UseSqlite(connectionString).Options;
        await using var db = new AppDbContext(options);

        // The app's own forward-only SQL scripts, applied and recorded exactly as the app does.
        var dbOptions = Options.Create(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = connectionString, BackupDirectory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databaseFile))!, "backups") });
        await new SchemaMigrator(db, dbOptions, TimeProvider.System, NullLogger<SchemaMigrator>.Instance).MigrateAsync(ct: ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);

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

        var order = 0;
        var departments = new List<Department>();
        foreach (var (code, name, en, sections) in DepartmentList)
        {
            var d = new Department { Code = code, Name = name, NameEn = en, SortOrder = ++order };
            var s = 0;
            foreach (var (sn, sen) in sections)
            {
                d.Sections.Add(new Section { Name = sn, NameEn = sen, SortOrder = ++s });
            }

            departments.Add(d);
            db.Departments.Add(d);
        }

        db.Sites.AddRange(
            new Site { Name = "本庁舎", NameEn = "Town Hall", Kind = SiteKind.MainOffice, Address = "どこでも町役場通1-1", SortOrder = 1 },
            new Site { Name = "やまなみ支所", NameEn = "Yamanami Branch Office", Kind = SiteKind.Branch, Address = "どこでも町やまなみ2-3", SortOrder = 2 },
            new Site { Name = "駅前サテライトオフィス", NameEn = "Station Satellite Office", Kind = SiteKind.Satellite, Address = "どこでも町駅前3-5 2階", SortOrder = 3 },
            new Site { Name = "コワーキング「みなと」", NameEn = "Minato Coworking (partner)", Kind = SiteKind.Partner, Address = "どこでも町港町4-8", SortOrder = 4 });
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
            var f = FamilyNames[rng.Next(FamilyNames.Length)];
            var g = GivenNames[rng.Next(GivenNames.Length)];
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
