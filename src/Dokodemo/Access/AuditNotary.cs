using System.Globalization;
using System.Security.Cryptography;
using Dokodemo.Data;
using Dokodemo.Domain.Audit;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Access;

/// <summary>
/// The key that signs the audit log's checkpoints (ECDSA P-256). The private key is stored only as protected by ASP.NET
/// Data Protection, whose own keys cannot be read from the database alone: a copy of the database cannot sign a checkpoint.
/// Rows are never changed (database triggers refuse it); a new key is a new row.
/// </summary>
public sealed class AuditSigningKey
{
    public int Id { get; set; }

    /// <summary>The signed-note key id: first four bytes of SHA-256 over the public key, hex.</summary>
    public required string KeyId { get; set; }

    /// <summary>The key name in signature lines (the log's origin when the key was made).</summary>
    public required string Name { get; set; }

    /// <summary>SubjectPublicKeyInfo DER, base64.</summary>
    public required string PublicKey { get; set; }

    /// <summary>The PKCS#8 private key protected with the purpose "Dokodemo.AuditCheckpoint", base64.</summary>
    public required string ProtectedPrivateKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A checkpoint as written: its size and head, when, by which key, and the signed note itself.</summary>
public sealed class AuditSignedCheckpoint
{
    public long Id { get; set; }
    public long Size { get; set; }
    public required string HeadHash { get; set; }
    public DateTimeOffset At { get; set; }
    public required string KeyId { get; set; }
    public required string Note { get; set; }
}

public sealed record CheckpointWritten(AuditSignedCheckpoint Checkpoint, string? File, string? FileError);

public sealed record AuditPublicKey(string KeyId, string Name, byte[] SubjectPublicKeyInfo, DateTimeOffset CreatedAt)
{
    public string Fingerprint => AuditCheckpoints.Fingerprint(SubjectPublicKeyInfo);
    public string VerifierKey => AuditCheckpoints.VerifierKey(Name, SubjectPublicKeyInfo);

    public string Pem => PemEncoding.WriteString("PUBLIC KEY", SubjectPublicKeyInfo) + "\n";
}

/// <summary>
/// Signs and keeps the audit log's checkpoints (R45): the size and head hash of the log, signed, stored in the
/// database and, when <see cref="AuditOptions.CheckpointDirectory"/> is set, written there as a file for the
/// off-site copy. Format and verification: <see cref="AuditCheckpoints"/>.
/// </summary>
public sealed class AuditNotary(
    IServiceScopeFactory scopes,
    IDataProtectionProvider protection,
    TimeProvider clock,
    IOptions<DokodemoOptions> app,
    IOptions<AuditOptions> options,
    AuditLog audit,
    ILogger<AuditNotary> logger)
{
    public const string Purpose = "Dokodemo.AuditCheckpoint";

    private readonly SemaphoreSlim gate = new(1, 1);
    private (AuditSigningKey Row, ECDsa Key)? current;

    /// <summary>The log's name in checkpoints: the public address without its scheme, plus "/audit" (e.g. town.example/audit).</summary>
    public string Origin
    {
        get
        {
            var url = new Uri(app.Value.PublicUrl);
            return (url.Authority + url.AbsolutePath.TrimEnd('/') + "/audit").Replace("+", "%2B", StringComparison.Ordinal);
        }
    }

    /// <summary>The key checkpoints are signed with now (made on first use).</summary>
    public async Task<AuditPublicKey> PublicKeyAsync(CancellationToken ct = default) => ToPublic((await SigningKeyAsync(ct)).Row);

    /// <summary>Every signing key the log has had, oldest first (public parts only).</summary>
    public async Task<IReadOnlyList<AuditPublicKey>> KeysAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = await db.AuditSigningKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct);
        return rows.Select(ToPublic).ToList();
    }

    private static AuditPublicKey ToPublic(AuditSigningKey k) => new(k.KeyId, k.Name, Convert.FromBase64String(k.PublicKey), k.CreatedAt);

    private async Task<(AuditSigningKey Row, ECDsa Key)> SigningKeyAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (current is { } c)
            {
                return c;
            }

            var protector = protection.CreateProtector(Purpose);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (db.IsPostgres)
            {
                // Two nodes starting at once make one key, not two.
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(727274003)", ct);
            }

            var newest = await db.AuditSigningKeys.AsNoTracking().OrderByDescending(k => k.Id).FirstOrDefaultAsync(ct);
            if (newest is not null)
            {
                var key = ECDsa.Create();
                try
                {
                    var pkcs8 = protector.Unprotect(Convert.FromBase64String(newest.ProtectedPrivateKey));
                    key.ImportPkcs8PrivateKey(pkcs8, out _);
                    CryptographicOperations.ZeroMemory(pkcs8);
                    await tx.CommitAsync(ct);
                    current = (newest, key);
                    return current.Value;
                }
                catch (CryptographicException ex)
                {
                    key.Dispose();
                    // The key ring that protects it is gone (restored database, new machine): sign with a new key from
                    // now on. Older checkpoints still verify with the old public key, which stays in the table.
                    logger.LogError(ex, "The audit signing key {KeyId} cannot be read with this key ring; making a new one", newest.KeyId);
                }
            }

            var made = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var spki = made.ExportSubjectPublicKeyInfo();
            var privateKey = made.ExportPkcs8PrivateKey();
            var row = new AuditSigningKey
            {
                KeyId = AuditCheckpoints.KeyIdHex(spki),
                Name = Origin,
                PublicKey = Convert.ToBase64String(spki),
                ProtectedPrivateKey = Convert.ToBase64String(protector.Protect(privateKey)),
                CreatedAt = Now(),
            };
            CryptographicOperations.ZeroMemory(privateKey);
            db.AuditSigningKeys.Add(row);
            await db.SaveChangesAsync(ct);
            await audit.WriteAsync("audit.key_created", AuditOutcome.Success, within: db, ct: ct, details: new Dictionary<string, string?>
            {
                ["keyId"] = row.KeyId,
                ["replaces"] = newest?.KeyId,
            });
            await tx.CommitAsync(ct);
            current = (row, made);
            return current.Value;
        }
        finally
        {
            gate.Release();
        }
    }

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>
    /// Signs the log's current head. Unless <paramref name="force"/>, only when one is due (none yet, or the last is at
    /// least <see cref="AuditOptions.CheckpointInterval"/> old) and the log is not empty; returns null when not due.
    /// </summary>
    public async Task<CheckpointWritten?> CheckpointAsync(bool force, CancellationToken ct = default)
    {
        async Task<bool> DueAsync(AppDbContext db)
        {
            var last = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Id).Select(c => (DateTimeOffset?)c.At).FirstOrDefaultAsync(ct);
            return (last is not { } at || Now() - at >= options.Value.CheckpointInterval) && await db.AuditEntries.AnyAsync(ct);
        }

        if (!force)
        {
            // Looked at first, so an idle empty log does not make a signing key (and its audit entry) on every start.
            await using var peek = scopes.CreateAsyncScope();
            if (!await DueAsync(peek.ServiceProvider.GetRequiredService<AppDbContext>()))
            {
                return null;
            }
        }

        var (keyRow, key) = await SigningKeyAsync(ct);
        AuditSignedCheckpoint row;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (db.IsPostgres)
            {
                // Several nodes: one writes the hourly checkpoint, the others then find it is not due.
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(727274004)", ct);
            }

            if (!force && !await DueAsync(db))
            {
                return null;
            }

            var now = Now();
            var head = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);

            var checkpoint = new AuditCheckpoint(Origin, head?.Sequence ?? 0, head?.Hash ?? AuditChain.Genesis, now);
            string note;
            await gate.WaitAsync(ct);
            try
            {
                note = AuditCheckpoints.Sign(checkpoint, keyRow.Name, key);
            }
            finally
            {
                gate.Release();
            }

            row = new AuditSignedCheckpoint { Size = checkpoint.Size, HeadHash = checkpoint.HeadHash, At = now, KeyId = keyRow.KeyId, Note = note };
            db.AuditCheckpoints.Add(row);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        var (file, error) = WriteFile(row, keyRow);
        return new CheckpointWritten(row, file, error);
    }

    /// <summary>Writes the checkpoint (and, once, the public key) to the checkpoint directory; never overwrites a file.</summary>
    private (string? File, string? Error) WriteFile(AuditSignedCheckpoint row, AuditSigningKey key)
    {
        var dir = options.Value.CheckpointDirectory;
        if (dir is null)
        {
            return (null, null);
        }

        try
        {
            Directory.CreateDirectory(dir);
            var keyFile = Path.Combine(dir, $"audit-public-key-{key.KeyId}.pem");
            if (!File.Exists(keyFile))
            {
                WriteNew(keyFile, ToPublic(key).Pem);
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"checkpoint-{row.At.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{row.Size}.txt");
            var path = Path.Combine(dir, name);
            WriteNew(path, row.Note);
            return (path, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Could not write the audit checkpoint {Size} to {Directory}", row.Size, dir);
            return (null, $"could not write to {dir}: {ex.Message}");
        }
    }

    private static void WriteNew(string path, string text)
    {
        // Whole file or none: a half-written checkpoint in the off-site copy would look like tampering.
        var temp = path + ".tmp";
        File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false));
        File.Move(temp, path, overwrite: false);
    }

    /// <summary>The newest checkpoint, if any.</summary>
    public async Task<AuditSignedCheckpoint?> LatestAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The oldest checkpoint that covers entry <paramref name="sequence"/> (its size is at least that).</summary>
    public async Task<AuditSignedCheckpoint?> FirstCoveringAsync(long sequence, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditCheckpoints.AsNoTracking().Where(c => c.Size >= sequence).OrderBy(c => c.Size).ThenBy(c => c.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Checks the signature of every stored checkpoint with its key. Returns the (size, head) each one vouches for, read
    /// from the signed text, and a sentence for each that fails.
    /// </summary>
    public async Task<(IReadOnlyList<(long Size, string Hash)> Heads, IReadOnlyList<string> Problems)> CheckStoredAsync(CancellationToken ct = default)
    {
        var keys = (await KeysAsync(ct)).ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var heads = new List<(long, string)>();
        var problems = new List<string>();
        await foreach (var c in db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!keys.TryGetValue(c.KeyId, out var key))
            {
                problems.Add($"checkpoint {c.Id} (size {c.Size}) names an unknown key {c.KeyId}");
                continue;
            }

            var check = AuditCheckpoints.Verify(c.Note, key.Name, key.SubjectPublicKeyInfo);
            if (!check.Valid)
            {
                problems.Add($"checkpoint {c.Id} (size {c.Size}): {check.Error}");
            }
            else if (check.Checkpoint!.Size != c.Size || check.Checkpoint.HeadHash != c.HeadHash)
            {
                problems.Add($"checkpoint {c.Id}: its columns differ from its signed text");
            }
            else
            {
                heads.Add((check.Checkpoint.Size, check.Checkpoint.HeadHash));
            }
        }

        return (heads, problems);
    }

    /// <summary>
    /// Checks a checkpoint from elsewhere (an off-site file) against the log's keys, or against <paramref name="trusted"/>
    /// when given.
    /// </summary>
    public async Task<CheckpointCheck> CheckForeignAsync(string note, byte[]? trusted, CancellationToken ct = default)
    {
        if (trusted is not null)
        {
            var name = note.ReplaceLineEndings("\n").Split('\n').FirstOrDefault(l => l.StartsWith('\u2014'))?.Split(' ').ElementAtOrDefault(1) ?? "";
            return AuditCheckpoints.Verify(note, name, trusted);
        }

        CheckpointCheck? last = null;
        foreach (var key in await KeysAsync(ct))
        {
            last = AuditCheckpoints.Verify(note, key.Name, key.SubjectPublicKeyInfo);
            if (last.Valid)
            {
                return last;
            }
        }

        return last ?? new CheckpointCheck(null, "the log has no signing key yet");
    }
}

/// <summary>Writes a signed checkpoint every <see cref="AuditOptions.CheckpointInterval"/> (hourly by default).</summary>
public sealed class AuditCheckpointService(AuditNotary notary, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditCheckpointService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await notary.CheckpointAsync(force: false, stoppingToken) is { } written)
                {
                    logger.LogInformation("Audit checkpoint: {Size} entries, head {Head}{File}", written.Checkpoint.Size, written.Checkpoint.HeadHash,
                        written.File is null ? "" : ", copied to " + written.File);
                }

                await Task.Delay(options.Value.CheckpointPoll, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed checkpoint (database away for a moment) must not stop the next ones; it is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Could not write the audit checkpoint");
                try
                {
                    await Task.Delay(options.Value.CheckpointPoll, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
