using System.Globalization;
using Dokodemo.Access;
using Dokodemo.Domain.Audit;

namespace Dokodemo.Cli;

/// <summary>
/// audit verify | checkpoint | public-key (against the configured database), and audit verify-export, which needs no
/// database and no configuration: an auditor runs it on their own machine.
/// </summary>
public static class AuditCommands
{
    /// <summary>Commands that run before (and without) the host: no configuration is read, no database is touched.</summary>
    public static int? RunOffline(string[] args) =>
        args is ["audit", "verify-export", .. var rest] ? VerifyExport(rest) : null;

    private static int VerifyExport(string[] rest)
    {
        var options = Options(rest, out var positional);
        if (positional.Count != 1)
        {
            Console.Error.WriteLine("Usage: audit verify-export FILE.json [--public-key KEY.pem]");
            return 64;
        }

        byte[]? trusted = null;
        if (options.TryGetValue("public-key", out var keyFile))
        {
            if (!TryRead(keyFile, out var keyText) || AuditCheckpoints.ParsePublicKey(keyText) is not { } k)
            {
                Console.Error.WriteLine($"--public-key: '{keyFile}' is not a readable ECDSA P-256 public key (PEM).");
                return 1;
            }

            trusted = k;
        }

        if (!TryRead(positional[0], out var json))
        {
            Console.Error.WriteLine($"Cannot read '{positional[0]}'.");
            return 1;
        }

        var (bundle, error) = AuditExports.Parse(json);
        if (bundle is null)
        {
            Console.WriteLine($"NOT VERIFIED: {error}.");
            return 1;
        }

        var report = AuditExports.Verify(bundle, trusted);
        var jst = TimeSpan.FromHours(9);
        Console.WriteLine(report.Valid ? "VERIFIED" : "NOT VERIFIED");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Log {bundle.Origin}, range {bundle.From.ToOffset(jst):yyyy-MM-dd HH:mm} to {bundle.To.ToOffset(jst):yyyy-MM-dd HH:mm} (JST, end excluded), {bundle.Entries.Count} entries."));
        Console.WriteLine($"Key {bundle.KeyName}, fingerprint {report.KeyFingerprint ?? "(unreadable)"}");
        void Section(string title, IReadOnlyList<string> lines)
        {
            if (lines.Count > 0)
            {
                Console.WriteLine(title);
                foreach (var line in lines)
                {
                    Console.WriteLine("  - " + line);
                }
            }
        }

        Section("Failures:", report.Failures);
        Section("Proven:", report.Proven);
        Section("Not proven:", report.NotProven);
        return report.Valid ? 0 : 1;
    }

    /// <summary>audit verify [--checkpoint SEQUENCE:HASH] [--checkpoint-file FILE [--public-key KEY.pem]]</summary>
    public static async Task<int> VerifyAsync(IServiceProvider sp, IReadOnlyList<string> rest)
    {
        var options = Options(rest, out _);
        (long, string)? extra = null;
        if (options.GetValueOrDefault("checkpoint") is { } given)
        {
            var parts = given.Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var seq) || parts[1].Length != 64)
            {
                Console.Error.WriteLine("--checkpoint must be SEQUENCE:HASH (the head printed by an earlier 'audit verify').");
                return 64;
            }

            extra = (seq, parts[1].ToLowerInvariant());
        }

        if (options.GetValueOrDefault("checkpoint-file") is { } file)
        {
            if (extra is not null)
            {
                Console.Error.WriteLine("Give --checkpoint or --checkpoint-file, not both.");
                return 64;
            }

            byte[]? trusted = null;
            if (options.GetValueOrDefault("public-key") is { } keyFile)
            {
                if (!TryRead(keyFile, out var keyText) || AuditCheckpoints.ParsePublicKey(keyText) is not { } k)
                {
                    Console.Error.WriteLine($"--public-key: '{keyFile}' is not a readable ECDSA P-256 public key (PEM).");
                    return 1;
                }

                trusted = k;
            }

            if (!TryRead(file, out var note))
            {
                Console.Error.WriteLine($"Cannot read '{file}'.");
                return 1;
            }

            var check = await sp.GetRequiredService<AuditNotary>().CheckForeignAsync(note, trusted);
            if (!check.Valid)
            {
                Console.WriteLine($"BROKEN: the checkpoint in {file} is not valid: {check.Error}.");
                return 1;
            }

            extra = (check.Checkpoint!.Size, check.Checkpoint.HeadHash);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"The checkpoint is validly signed: {check.Checkpoint.Size} entries at {check.Checkpoint.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC."));
        }

        var result = await sp.GetRequiredService<AuditVerification>().RunAsync(actorId: null, extra, record: false);
        foreach (var problem in result.CheckpointProblems)
        {
            Console.WriteLine($"BROKEN: stored {problem}.");
        }

        if (result.BrokenSequence is { } broken)
        {
            Console.WriteLine($"BROKEN: entry {broken} {result.Reason}. {result.Count} entries read.");
            return 1;
        }

        if (!result.Ok)
        {
            return 1;
        }

        Console.WriteLine(result.HeadSequence is null
            ? "OK: the audit log is empty."
            : $"OK: {result.Count} entries, chain intact, {result.CheckpointsChecked} signed checkpoint(s) match. Head (keep it as a checkpoint): {result.HeadSequence}:{result.HeadHash}");
        return 0;
    }

    /// <summary>audit checkpoint: signs the head now; the signed note goes to standard output (so it can be saved as a file).</summary>
    public static async Task<int> CheckpointAsync(IServiceProvider sp)
    {
        var written = (await sp.GetRequiredService<AuditNotary>().CheckpointAsync(force: true))!;
        Console.Write(written.Checkpoint.Note);
        if (written.FileError is not null)
        {
            Console.Error.WriteLine($"Stored, but the off-site copy failed: {written.FileError}");
            return 1;
        }

        Console.Error.WriteLine(written.File is null
            ? "Stored in the database (no Dokodemo:Audit:CheckpointDirectory is set, so no file was written)."
            : $"Stored in the database and written to {written.File}.");
        return 0;
    }

    /// <summary>audit public-key: the key that signs checkpoints, as PEM, with its name, id and fingerprint as comments.</summary>
    public static async Task<int> PublicKeyAsync(IServiceProvider sp)
    {
        var key = await sp.GetRequiredService<AuditNotary>().PublicKeyAsync();
        Console.WriteLine($"# key name: {key.Name}");
        Console.WriteLine($"# key id: {key.KeyId}");
        Console.WriteLine($"# fingerprint: {key.Fingerprint}");
        Console.WriteLine($"# verifier key: {key.VerifierKey}");
        Console.Write(key.Pem);
        return 0;
    }

    private static bool TryRead(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            text = "";
            return false;
        }
    }

    private static Dictionary<string, string> Options(IReadOnlyList<string> rest, out List<string> positional)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        positional = [];
        for (var i = 0; i < rest.Count; i++)
        {
            if (rest[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < rest.Count)
            {
                result[rest[i][2..]] = rest[i + 1];
                i++;
            }
            else
            {
                positional.Add(rest[i]);
            }
        }

        return result;
    }
}
