using System.Globalization;
using System.Text;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Organization;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Cli;

public sealed record ImportRow(int Line, string Email, string Name, string Kana, AccountKind Kind, string Department, string Section, string Title, IReadOnlyList<string> Roles, DateOnly? ContractEnd);

public sealed record ImportReport(IReadOnlyList<ImportRow> Rows, IReadOnlyList<string> Problems, IReadOnlyList<string> NewDepartments, IReadOnlyList<string> NewSections);

/// <summary>
/// Imports a staff list exported from Excel: UTF-8 with or without BOM, or Shift_JIS (CP932). Every row is
/// validated first and the report names row numbers; then all rows are imported in one transaction, or none.
/// Departments and sections that do not exist yet are created (the staff list is the org chart's source).
/// </summary>
public sealed class StaffImport(AppDbContext db, UserAdmin admin)
{
    private static readonly Dictionary<string, string> HeaderAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["メールアドレス"] = "email", ["メール"] = "email", ["email"] = "email", ["e-mail"] = "email",
        ["氏名"] = "name", ["名前"] = "name", ["name"] = "name",
        ["ふりがな"] = "kana", ["フリガナ"] = "kana", ["よみがな"] = "kana", ["kana"] = "kana",
        ["区分"] = "kind", ["職員区分"] = "kind", ["kind"] = "kind",
        ["所属課"] = "department", ["所属"] = "department", ["課"] = "department", ["department"] = "department",
        ["係"] = "section", ["section"] = "section",
        ["役職"] = "title", ["title"] = "title",
        ["役割"] = "roles", ["roles"] = "roles", ["role"] = "roles",
        ["契約終了日"] = "contract_end", ["contract_end"] = "contract_end", ["contractend"] = "contract_end",
    };

    public static string Decode(byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(932).GetString(bytes);
        }
    }

    public static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }

    public async Task<ImportReport> ValidateAsync(byte[] bytes, CancellationToken ct = default)
    {
        var problems = new List<string>();
        var rows = ParseCsv(Decode(bytes)).Where(r => r.Any(f => !string.IsNullOrWhiteSpace(f))).ToList();
        if (rows.Count == 0)
        {
            return new ImportReport([], ["The file is empty. / ファイルが空です。"], [], []);
        }

        var header = rows[0].Select(h => HeaderAliases.GetValueOrDefault(h.Trim().TrimStart('\uFEFF')) ?? "").ToList();
        foreach (var required in new[] { "email", "name", "department" })
        {
            if (!header.Contains(required))
            {
                problems.Add($"Row 1: the header has no '{required}' column (メールアドレス, 氏名, 所属課 are required). / 1行目: 必須の列がありません。");
            }
        }

        if (problems.Count > 0)
        {
            return new ImportReport([], problems, [], []);
        }

        string Get(List<string> r, string key) => header.IndexOf(key) is var i and >= 0 && i < r.Count ? r[i].Trim() : "";

        var parsed = new List<ImportRow>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var existingDepts = await db.Departments.AsNoTracking().Select(d => new { d.Id, d.Name, d.Code }).ToListAsync(ct);
        var existingSections = await db.Sections.AsNoTracking().Select(s => new { s.DepartmentId, s.Name }).ToListAsync(ct);
        var newDepts = new List<string>();
        var newSections = new List<string>();
        for (var i = 1; i < rows.Count; i++)
        {
            var line = i + 1;
            var r = rows[i];
            var email = Get(r, "email");
            var name = Get(r, "name");
            var kindText = Get(r, "kind");
            var dept = Get(r, "department");
            var section = Get(r, "section");
            var roles = Get(r, "roles").Split([',', '、', ';', '・', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => Roles.All.FirstOrDefault(k => k == x || Roles.JapaneseName(k) == x) ?? x).ToList();
            var rowProblems = new List<string>();
            if (!AccountKinds.TryParse(string.IsNullOrEmpty(kindText) ? "職員" : kindText, out var kind))
            {
                rowProblems.Add($"区分 '{kindText}' is not 職員, 会計年度任用職員, 複業人材 or 外部パートナー");
            }

            if (string.IsNullOrEmpty(dept))
            {
                rowProblems.Add("所属課 (department) is empty");
            }

            DateOnly? end = null;
            var endText = Get(r, "contract_end");
            if (endText.Length > 0)
            {
                if (DateOnly.TryParseExact(endText.Replace('/', '-'), ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    end = d;
                }
                else
                {
                    rowProblems.Add($"契約終了日 '{endText}' is not a date (YYYY-MM-DD)");
                }
            }

            if (seen.TryGetValue(email, out var firstLine) && email.Length > 0)
            {
                rowProblems.Add($"the e-mail address is also on row {firstLine}");
            }
            else
            {
                seen[email] = line;
            }

            var row = new ImportRow(line, email, name, Get(r, "kana"), kind, dept, section, Get(r, "title"), roles.Count == 0 ? [Roles.Staff] : roles, end);
            var deptExists = existingDepts.FirstOrDefault(d => d.Name == dept || d.Code == dept);
            if (rowProblems.Count == 0)
            {
                // Validate as UserAdmin would, but against an org chart that will include the new departments.
                // Validated as UserAdmin would; departments and sections that do not exist yet will be created.
                var error = await admin.ValidateAsync(new NewUser(email, name, kind, dept, section.Length > 0 ? section : null, row.Roles), ct);
                if (error is not null && error.Code is not ("user.department_unknown" or "user.section_unknown"))
                {
                    rowProblems.Add(Shared.Text.Get("error." + error.Code, english: false) + " / " + Shared.Text.Get("error." + error.Code, english: true));
                }
            }

            if (rowProblems.Count > 0)
            {
                problems.Add($"Row {line} ({(email.Length > 0 ? email : "no e-mail")}): {string.Join("; ", rowProblems)}");
                continue;
            }

            if (deptExists is null && !newDepts.Contains(dept))
            {
                newDepts.Add(dept);
            }

            if (section.Length > 0 && (deptExists is null || !existingSections.Any(s => s.DepartmentId == deptExists.Id && s.Name == section))
                && !newSections.Contains($"{dept} {section}"))
            {
                newSections.Add($"{dept} {section}");
            }

            parsed.Add(row);
        }

        if (parsed.Count == 0 && problems.Count == 0)
        {
            problems.Add("The file has a header but no rows. / データ行がありません。");
        }

        return new ImportReport(parsed, problems, newDepts, newSections);
    }

    public async Task<int> RunAsync(string path, TextWriter output, CancellationToken ct = default)
    {
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"No such file: {path}");
            return 1;
        }

        var report = await ValidateAsync(await File.ReadAllBytesAsync(path, ct), ct);
        if (report.Problems.Count > 0)
        {
            await output.WriteLineAsync($"Nothing was imported: {report.Problems.Count} problem(s). / 取り込みを中止しました（問題 {report.Problems.Count} 件）。");
            foreach (var p in report.Problems)
            {
                await output.WriteLineAsync("  " + p);
            }

            return 1;
        }

        var links = await ImportAsync(report, ct);
        await output.WriteLineAsync($"Imported {report.Rows.Count} people. / {report.Rows.Count}人を取り込みました。");
        foreach (var d in report.NewDepartments)
        {
            await output.WriteLineAsync($"  new department / 新しい課: {d}");
        }

        foreach (var s in report.NewSections)
        {
            await output.WriteLineAsync($"  new section / 新しい係: {s}");
        }

        await output.WriteLineAsync("One-time invite links / 招待リンク:");
        foreach (var l in links)
        {
            await output.WriteLineAsync($"  {l.Email}\t{l.Url}");
        }

        return 0;
    }

    /// <summary>All rows in one transaction: any failure rolls back everything.</summary>
    public async Task<IReadOnlyList<InviteLink>> ImportAsync(ImportReport report, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var links = new List<InviteLink>();
        foreach (var row in report.Rows)
        {
            var dept = await db.Departments.FirstOrDefaultAsync(d => d.Name == row.Department || d.Code == row.Department, ct);
            if (dept is null)
            {
                var count = await db.Departments.CountAsync(ct);
                dept = new Department { Code = "D" + (count + 1).ToString("D2", CultureInfo.InvariantCulture), Name = row.Department, NameEn = row.Department, SortOrder = count + 1 };
                db.Departments.Add(dept);
                await db.SaveChangesAsync(ct);
            }

            if (row.Section.Length > 0 && !await db.Sections.AnyAsync(s => s.DepartmentId == dept.Id && s.Name == row.Section, ct))
            {
                db.Sections.Add(new Section { DepartmentId = dept.Id, Name = row.Section, NameEn = row.Section, SortOrder = await db.Sections.CountAsync(s => s.DepartmentId == dept.Id, ct) + 1 });
                await db.SaveChangesAsync(ct);
            }

            var result = await admin.AddAsync(new NewUser(row.Email, row.Name, row.Kind, dept.Name, row.Section.Length > 0 ? row.Section : null, row.Roles, row.Title, row.ContractEnd, row.Kana), null, ct);
            if (!result.Ok)
            {
                await tx.RollbackAsync(ct);
                throw new InvalidOperationException($"Row {row.Line}: {result.Error!.Code}; nothing was imported.");
            }

            links.Add(result.Value!);
        }

        await tx.CommitAsync(ct);
        return links;
    }
}
