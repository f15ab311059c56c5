using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Dokodemo.Demo;

/// <summary>
/// The fictional town 「どこでも町」: eight departments with their sections, four sites and about 80 people
/// of all four account kinds. Deterministic: the same town every time.
/// </summary>
public sealed class DemoTown(AppDbContext db, AppUserManager users, TimeProvider clock, IMemoryCache cache, ILogger<DemoTown> logger)
{
    public const string EmailDomain = "dokodemo.example";

    public static readonly (string Code, string Name, string En, (string Name, string En)[] Sections)[] Departments =
    [
        ("SOMU", "総務課", "General Affairs", [("総務係", "General Affairs"), ("人事係", "Personnel"), ("財政係", "Finance"), ("情報管理係", "Information Management")]),
        ("KIKAKU", "企画政策課", "Planning and Policy", [("企画係", "Planning"), ("DX推進係", "Digital Transformation"), ("広報係", "Public Relations")]),
        ("ZEIMU", "税務課", "Taxation", [("町民税係", "Resident Tax"), ("資産税係", "Property Tax"), ("収納係", "Collection")]),
        ("JUMIN", "住民課", "Residents Services", [("住民係", "Residents"), ("保険年金係", "Insurance and Pension"), ("環境係", "Environment")]),
        ("FUKUSHI", "保健福祉課", "Health and Welfare", [("福祉係", "Welfare"), ("介護保険係", "Long-term Care"), ("健康づくり係", "Health Promotion"), ("子育て支援係", "Child Support")]),
        ("SANGYO", "産業振興課", "Industry Promotion", [("農林係", "Agriculture and Forestry"), ("商工観光係", "Commerce and Tourism")]),
        ("KENSETSU", "建設課", "Construction", [("土木係", "Civil Engineering"), ("上下水道係", "Water and Sewerage"), ("都市計画係", "Urban Planning")]),
        ("KYOIKU", "教育委員会", "Board of Education", [("教育総務係", "Education Affairs"), ("学校教育係", "School Education"), ("生涯学習係", "Lifelong Learning")]),
    ];

    /// <summary>Department entities, with their sections, in the order given.</summary>
    public static List<Department> NewDepartments(IEnumerable<(string Code, string Name, string En, (string Name, string En)[] Sections)> list) =>
        list.Select((row, i) => new Department
        {
            Code = row.Code,
            Name = row.Name,
            NameEn = row.En,
            SortOrder = i + 1,
            Sections = row.Sections.Select((s, j) => new Section { Name = s.Name, NameEn = s.En, SortOrder = j + 1 }).ToList(),
        }).ToList();

    /// <summary>The town's four sites: 本庁舎, a 支所, a satellite office and a partner's coworking space.</summary>
    public static Site[] NewSites() =>
    [
        new Site { Name = "本庁舎", NameEn = "Town Hall", Kind = SiteKind.MainOffice, Address = "どこでも町役場通1-1", SortOrder = 1 },
        new Site { Name = "やまなみ支所", NameEn = "Yamanami Branch Office", Kind = SiteKind.Branch, Address = "どこでも町やまなみ2-3", SortOrder = 2 },
        new Site { Name = "駅前サテライトオフィス", NameEn = "Station Satellite Office", Kind = SiteKind.Satellite, Address = "どこでも町駅前3-5 2階", SortOrder = 3 },
        new Site { Name = "コワーキング「みなと」", NameEn = "Minato Coworking (partner)", Kind = SiteKind.Partner, Address = "どこでも町港町4-8", SortOrder = 4 },
    ];

    public async Task<bool> SeedAsync(CancellationToken ct = default)
    {
        if (await db.Departments.AnyAsync(ct))
        {
            return false;
        }

        var departments = NewDepartments(Departments).ToDictionary(d => d.Name);
        db.Departments.AddRange(departments.Values);
        db.Sites.AddRange(NewSites());
        await db.SaveChangesAsync(ct);

        var people = new List<(string Name, string Kana, string Email, AccountKind Kind, string Dept, string Section, string Title, string[] Roles, DateOnly? End)>
        {
            ("佐藤 美咲", "さとう みさき", "sato.misaki", AccountKind.Staff, "住民課", "住民係", "主事", [Roles.Staff], null),
            ("高橋 健一", "たかはし けんいち", "takahashi.kenichi", AccountKind.Staff, "住民課", "住民係", "課長", [Roles.Staff, Roles.Manager], null),
            ("中村 さくら", "なかむら さくら", "nakamura.sakura", AccountKind.Staff, "企画政策課", "DX推進係", "主任", [Roles.Staff, Roles.Dx], null),
            ("伊藤 誠", "いとう まこと", "ito.makoto", AccountKind.Staff, "総務課", "情報管理係", "主査", [Roles.Staff, Roles.SecurityAdmin, Roles.Admin], null),
            ("小林 葵", "こばやし あおい", "kobayashi.aoi", AccountKind.SideJobWorker, "企画政策課", "DX推進係", "DXアドバイザー", [Roles.Staff], new DateOnly(2027, 3, 31)),
            ("小松 玲奈", "こまつ れいな", "komatsu.reina", AccountKind.SideJobWorker, "産業振興課", "商工観光係", "観光プロモーター", [Roles.Staff], new DateOnly(2027, 3, 31)),
            ("北野 悠真", "きたの ゆうま", "kitano.yuma", AccountKind.SideJobWorker, "企画政策課", "広報係", "広報デザイナー", [Roles.Staff], new DateOnly(2026, 12, 31)),
            ("南 和人", "みなみ かずと", "minami.kazuto", AccountKind.Partner, "産業振興課", "商工観光係", "株式会社みなとラボ", [Roles.Staff], new DateOnly(2027, 3, 31)),
            ("東 由紀", "ひがし ゆき", "higashi.yuki", AccountKind.Partner, "企画政策課", "DX推進係", "どこでもデジタル合同会社", [Roles.Staff], new DateOnly(2027, 3, 31)),
            ("森田 直子", "もりた なおこ", "morita.naoko", AccountKind.Staff, "総務課", "人事係", "係長", [Roles.Staff, Roles.Hr], null),
        };

        // Each department has a head (課長) who manages; 住民課's is 高橋 above.
        var headIndex = 0;
        var g = 0;
        string NextEmail(string family, string given)
        {
            var baseName = $"{family}.{given}";
            var email = baseName;
            var n = 2;
            while (people.Any(p => p.Email == email))
            {
                email = baseName + n++;
            }

            return email;
        }

        foreach (var (_, deptName, _, sections) in Departments)
        {
            if (deptName != "住民課")
            {
                var f = JapaneseNames.FamilyNames[headIndex++ % JapaneseNames.FamilyNames.Length];
                var gn = JapaneseNames.GivenNames[g++ % JapaneseNames.GivenNames.Length];
                people.Add(($"{f.Kanji} {gn.Kanji}", $"{f.Kana} {gn.Kana}", NextEmail(f.Romaji, gn.Romaji), AccountKind.Staff, deptName, sections[0].Name, "課長", [Roles.Staff, Roles.Manager], null));
            }
        }

        var titles = new[] { "係長", "主査", "主任", "主事", "主事", "技師", "主事補" };
        var fi = headIndex;
        while (people.Count < 80)
        {
            var i = people.Count;
            var (_, deptName, _, sections) = Departments[i % Departments.Length];
            var section = sections[(i / Departments.Length) % sections.Length].Name;
            var f = JapaneseNames.FamilyNames[fi++ % JapaneseNames.FamilyNames.Length];
            var gn = JapaneseNames.GivenNames[(g += 7) % JapaneseNames.GivenNames.Length];
            var partTime = i % 6 == 0;
            var roles = deptName == "企画政策課" && section == "DX推進係" ? new[] { Roles.Staff, Roles.Dx } : [Roles.Staff];
            people.Add(($"{f.Kanji} {gn.Kanji}", $"{f.Kana} {gn.Kana}", NextEmail(f.Romaji, gn.Romaji),
                partTime ? AccountKind.PartTimeStaff : AccountKind.Staff, deptName, section,
                partTime ? "会計年度任用職員" : titles[i % titles.Length], roles, partTime ? new DateOnly(2027, 3, 31) : null));
        }

        var sectionIds = await db.Sections.AsNoTracking().Select(s => new { s.Id, s.DepartmentId, s.Name }).ToListAsync(ct);
        foreach (var p in people)
        {
            var dept = departments[p.Dept];
            var user = new AppUser
            {
                UserName = $"{p.Email}@{EmailDomain}",
                Email = $"{p.Email}@{EmailDomain}",
                EmailConfirmed = true,
                DisplayName = p.Name,
                DisplayNameKana = p.Kana,
                Kind = p.Kind,
                DepartmentId = dept.Id,
                SectionId = sectionIds.First(s => s.DepartmentId == dept.Id && s.Name == p.Section).Id,
                Title = p.Title,
                ContractEnd = p.End,
                CreatedAt = clock.GetUtcNow(),
                LockoutEnabled = true,
            };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Demo person {p.Email} could not be created: {created.Errors.First().Code}");
            }

            await users.AddToRolesAsync(user, p.Roles);
        }

        // Work places and telework: patterns, the day's places, approved and pending requests.
        await Work.Places.WorkPlacesDemo.SeedAsync(db, clock, ct);

        // Work: attendance — a month of records for the staff persona's department (住民課).
        await Work.Attendance.AttendanceDemo.SeedAsync(db, departments["住民課"].Id, $"sato.misaki@{EmailDomain}", clock, ct);
        await Work.Arrangements.ArrangementsDemo.SeedAsync(db, departments["住民課"].Id, $"takahashi.kenichi@{EmailDomain}", [$"sato.misaki@{EmailDomain}"], clock, ct);

        // Seats: 本庁舎's two floors and the satellite office's desks, and eight past weeks of bookings for utilisation.
        await Seats.SeatsDemo.SeedAsync(db, clock, ct);
        await Seats.SeatsDemo.SeedHistoryAsync(db, clock, ct);

        Organization.Directory.Invalidate(cache);
        logger.LogInformation("Seeded the demo town with {Departments} departments and {People} people", departments.Count, people.Count);
        return true;
    }
}
