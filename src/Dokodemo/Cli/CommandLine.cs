using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Hosting;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Cli;

/// <summary>
/// The CLI in the same binary: migrate; users add|list|disable; import staff FILE.csv; schema script.
/// Each command prints what it did and returns 0, or prints why not and returns 1 (usage: 64).
/// </summary>
public sealed class CommandLine(string name, IReadOnlyList<string> args)
{
    private static readonly string[] Commands = ["migrate", "users", "import", "schema", "audit", "work", "talk", "help", "--help"];

    public static CommandLine? Parse(string[] args) =>
        args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal) ? new CommandLine(args[0], args[1..]) : null;

    public const string Usage = """
        Usage: Dokodemo [command]
          (no command)                 serve the web app
          migrate                      apply pending schema migrations (backs up SQLite first)
          users add --email E --name N --kind K --department D [--section S] [--role R ...] [--title T] [--contract-end YYYY-MM-DD]
                                       add a person and print their one-time invite link
          users list                   list accounts
          users disable EMAIL|ID       disable an account and end its sessions
          users enable EMAIL|ID        let a disabled account sign in again
          import staff FILE.csv        import a staff list (UTF-8 with or without BOM, or Shift_JIS); all or nothing
          import holidays FILE.csv     import the Cabinet Office's holiday list (syukujitsu.csv, CP932 or UTF-8); it
                                       overrides the rules of 祝日法 for the years it covers
          audit verify [--checkpoint SEQUENCE:HASH | --checkpoint-file FILE [--public-key KEY.pem]]
                                       check the audit log's hash chain and its signed checkpoints (and that it still
                                       holds a remembered head, or passes through a signed checkpoint kept elsewhere)
          audit checkpoint             sign the audit log's head now and print the checkpoint
          audit public-key             print the key that signs checkpoints (PEM)
          audit verify-export FILE.json [--public-key KEY.pem]
                                       verify an auditors' export offline (needs no database or configuration)
          work recount                 count and keep the totals of locked months that have none (months locked
                                       before version 11, or after an HR correction), so the monthly close reads them
          talk sync                    create department channels from the org chart and set their members
          talk reindex                 rebuild Talk's search index from the messages
          schema script
                                       print the SQL that creates the current model (for writing a migration)
        """;

    public async Task<int> RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        try
        {
            switch (name, args.FirstOrDefault())
            {
                case ("migrate", _):
                    return await MigrateAsync(sp);
                case ("users", "add"):
                    await EnsureReadyAsync(sp);
                    return await AddUserAsync(sp);
                case ("users", "list"):
                    await EnsureReadyAsync(sp);
                    return await ListUsersAsync(sp);
                case ("users", "disable") when args.Count == 2:
                    await EnsureReadyAsync(sp);
                    return await SetDisabledAsync(sp, args[1], disable: true);
                case ("users", "enable") when args.Count == 2:
                    await EnsureReadyAsync(sp);
                    return await SetDisabledAsync(sp, args[1], disable: false);
                case ("import", "staff") when args.Count == 2:
                    await EnsureReadyAsync(sp);
                    return await sp.GetRequiredService<StaffImport>().RunAsync(args[1], Console.Out);
                case ("import", "holidays") when args.Count == 2:
                    await EnsureReadyAsync(sp);
                    return await ImportHolidaysAsync(sp, args[1]);
                case ("audit", "verify"):
                    await EnsureReadyAsync(sp);
                    return await AuditCommands.VerifyAsync(sp, args.Skip(1).ToList());
                case ("audit", "checkpoint") when args.Count == 1:
                    await EnsureReadyAsync(sp);
                    return await AuditCommands.CheckpointAsync(sp);
                case ("audit", "public-key") when args.Count == 1:
                    await EnsureReadyAsync(sp);
                    return await AuditCommands.PublicKeyAsync(sp);
                case ("work", "recount") when args.Count == 1:
                    await EnsureReadyAsync(sp);
                    return await RecountAsync(sp);
                case ("talk", "sync") when args.Count == 1:
                    await EnsureReadyAsync(sp);
                    var talk = await sp.GetRequiredService<Talk.TalkSync>().RunAsync();
                    Console.WriteLine($"Department channels: {talk.ChannelsCreated} created, {talk.ChannelsRenamed} renamed; members: {talk.MembersAdded} added, {talk.MembersRemoved} removed.");
                    return 0;
                case ("talk", "reindex") when args.Count == 1:
                    await EnsureReadyAsync(sp);
                    Console.WriteLine($"Talk search: {await Talk.TalkSearchIndex.RebuildAsync(sp.GetRequiredService<AppDbContext>())} messages indexed.");
                    return 0;
                case ("schema", "script"):
                    Console.WriteLine(sp.GetRequiredService<AppDbContext>().Database.GenerateCreateScript());
                    return 0;
                default:
                    Console.Error.WriteLine(Usage);
                    return name is "help" or "--help" ? 0 : 64;
            }
        }
        catch (MigrationFailedException ex)
        {
            Console.Error.WriteLine($"Migration failed: {ex.Message}");
            return 1;
        }
    }

    private static async Task EnsureReadyAsync(IServiceProvider sp)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        await Foundation.EnsureReachableAsync(db, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        var status = await sp.GetRequiredService<SchemaMigrator>().GetStatusAsync();
        if (status.Pending.Count > 0)
        {
            throw new StartupException($"The database schema is at version {status.CurrentVersion} but this build needs {status.LatestVersion}: run 'migrate' first.");
        }

        await sp.GetRequiredService<RoleSetup>().EnsureRolesAsync();
    }

    private static async Task<int> ImportHolidaysAsync(IServiceProvider sp, string file)
    {
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"No such file: {file}. Nothing was imported.");
            return 1;
        }

        var result = await sp.GetRequiredService<Work.Calendar.HolidayImport>().ImportAsync(await File.ReadAllBytesAsync(file), file, null, CancellationToken.None);
        if (!result.Ok)
        {
            var problem = result.Error!.Details?.GetValueOrDefault("problem") is { } p ? $" ({p})" : "";
            Console.Error.WriteLine($"{Text.Get("error." + result.Error.Code, english: true)}{problem} Nothing was imported.");
            return 1;
        }

        var r = result.Value!;
        Console.WriteLine($"Imported {r.Rows} holidays for {r.FirstYear}–{r.LastYear} ({r.Encoding}). They replace the computed holidays for those years; later years stay computed (provisional where an equinox is not yet fixed).");
        return 0;
    }

    private static async Task<int> RecountAsync(IServiceProvider sp)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var months = await db.AttendanceMonths.AsNoTracking()
            .Where(m => m.Status == Work.Attendance.MonthStatus.Locked && m.TotalsAt == null).Select(m => m.Month).Distinct().OrderBy(m => m).ToListAsync();
        var close = sp.GetRequiredService<Work.Attendance.MonthClose>();
        var total = 0;
        foreach (var month in months)
        {
            var n = await close.RecountLockedAsync(month);
            total += n;
            Console.WriteLine($"{month:yyyy-MM}: kept the totals of {n} locked month(s).");
        }

        await sp.GetRequiredService<AuditLog>().WriteAsync("work.month.totals_recounted", AuditOutcome.Success, details: new Dictionary<string, string?>
        {
            ["personMonths"] = total.ToString(CultureInfo.InvariantCulture),
            ["months"] = string.Join(",", months.Select(m => m.ToString("yyyy-MM", CultureInfo.InvariantCulture))),
        });
        Console.WriteLine(total == 0 ? "Every locked month already keeps its totals." : $"Recounted {total} locked person-month(s) in {months.Count} month(s); the records are unchanged.");
        return 0;
    }

    private static async Task<int> MigrateAsync(IServiceProvider sp)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        await Foundation.EnsureReachableAsync(db, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        var migrator = sp.GetRequiredService<SchemaMigrator>();
        var applied = await migrator.MigrateAsync();
        var status = await migrator.GetStatusAsync();
        Console.WriteLine(applied == 0
            ? $"The database is up to date (schema version {status.CurrentVersion})."
            : $"Applied {applied} migration(s); the database is at schema version {status.CurrentVersion}.");
        await sp.GetRequiredService<RoleSetup>().EnsureRolesAsync();
        return 0;
    }

    private async Task<int> AddUserAsync(IServiceProvider sp)
    {
        var options = Options(args.Skip(1).ToList());
        if (!options.TryGetValue("email", out var email) || !options.TryGetValue("name", out var displayName) || !options.TryGetValue("department", out var dept))
        {
            Console.Error.WriteLine("users add needs --email, --name and --department.");
            Console.Error.WriteLine(Usage);
            return 64;
        }

        var kindText = options.GetValueOrDefault("kind") ?? "Staff";
        if (!AccountKinds.TryParse(kindText, out var kind))
        {
            Console.Error.WriteLine(Text.Get("error.user.kind_unknown", english: true));
            return 1;
        }

        var roles = args.Skip(1).Select((a, i) => (a, i)).Where(x => x.a == "--role").Select(x => args.ElementAtOrDefault(x.i + 2) ?? "")
            .SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        DateOnly? end = null;
        if (options.TryGetValue("contract-end", out var e))
        {
            if (!DateOnly.TryParseExact(e, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                Console.Error.WriteLine($"--contract-end must be a date as YYYY-MM-DD (got '{e}'); nothing was added.");
                return 1;
            }

            end = parsed;
        }

        var result = await sp.GetRequiredService<UserAdmin>().AddAsync(
            new NewUser(email, displayName, kind, dept, options.GetValueOrDefault("section"), roles, options.GetValueOrDefault("title") ?? "", end), null);
        if (!result.Ok)
        {
            Console.Error.WriteLine($"{result.Error!.Code}: {Text.Get("error." + result.Error.Code, english: true)}");
            return 1;
        }

        Console.WriteLine($"Added {email}. One-time invite link (expires {result.Value!.ExpiresAt:yyyy-MM-dd HH:mm} UTC):");
        Console.WriteLine(result.Value.Url);
        return 0;
    }

    private static async Task<int> ListUsersAsync(IServiceProvider sp)
    {
        var users = await sp.GetRequiredService<UserAdmin>().ListAsync();
        Console.WriteLine("email\tname\tkind\tdepartment\tsection\troles\tstatus");
        foreach (var u in users)
        {
            var status = u.Disabled ? "disabled" : u.Enrolled ? "active" : "invited";
            Console.WriteLine($"{u.Email}\t{u.DisplayName}\t{u.Kind}\t{u.Department}\t{u.Section}\t{string.Join(',', u.Roles)}\t{status}");
        }

        Console.WriteLine($"{users.Count} account(s).");
        return 0;
    }

    private static async Task<int> SetDisabledAsync(IServiceProvider sp, string who, bool disable)
    {
        var admin = sp.GetRequiredService<UserAdmin>();
        var result = disable ? await admin.DisableAsync(who, actorId: null) : await admin.EnableAsync(who, actorId: null);
        if (!result.Ok)
        {
            Console.Error.WriteLine($"No account matches '{who}'.");
            return 1;
        }

        Console.WriteLine(disable
            ? $"Disabled {result.Value!.Email}; their sessions have ended."
            : $"Enabled {result.Value!.Email}; they can sign in again.");
        return 0;
    }

    private static Dictionary<string, string> Options(List<string> rest)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < rest.Count - 1; i++)
        {
            if (rest[i].StartsWith("--", StringComparison.Ordinal) && rest[i] != "--role")
            {
                result[rest[i][2..]] = rest[i + 1];
                i++;
            }
        }

        return result;
    }
}
