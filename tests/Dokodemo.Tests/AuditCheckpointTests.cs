using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Dokodemo.Tests.AuditTrailHelpers;

namespace Dokodemo.Tests;

/// <summary>Signed checkpoints (R45): made on demand, verified from a file, refused when altered or signed by another key.</summary>
public class AuditSignedCheckpointTests(AuditSignedCheckpointTests.App app) : IClassFixture<AuditSignedCheckpointTests.App>
{
    public sealed class App : TestApp;

    [Fact]
    public async Task ACheckpoint_Verifies_AndFailsWhenItsHeadIsAltered_OrAnotherKeySignedIt()
    {
        var admin = await AdminAsync(app);
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 3; i++)
        {
            await audit.WriteAsync("test.checkpoint", AuditOutcome.Success);
        }

        Assert.Equal(0, app.RunCli("audit", "checkpoint"));
        var note = app.LastOutput;
        var head = (await EntriesAsync(app)).Last();
        var parsed = AuditCheckpoints.ParseBody(note.Split("\n\n")[0] + "\n").Checkpoint!;
        Assert.Equal((head.Sequence, head.Hash, "localhost/audit"), (parsed.Size, parsed.HeadHash, parsed.Origin));
        Assert.Contains("no Dokodemo:Audit:CheckpointDirectory is set", app.LastError, StringComparison.Ordinal);

        var dir = Directory.CreateTempSubdirectory("dokodemo-cp-").FullName;
        var file = Path.Combine(dir, "checkpoint.txt");
        await File.WriteAllTextAsync(file, note);
        Assert.Equal(0, app.RunCli("audit", "verify", "--checkpoint-file", file));
        Assert.Contains("The checkpoint is validly signed", app.LastOutput, StringComparison.Ordinal);
        Assert.Contains("OK:", app.LastOutput, StringComparison.Ordinal);

        // The head altered: the signature no longer verifies.
        var lines = note.Split('\n');
        lines[2] = Convert.ToBase64String(SHA256.HashData("another head"u8));
        await File.WriteAllTextAsync(file, string.Join('\n', lines));
        Assert.Equal(1, app.RunCli("audit", "verify", "--checkpoint-file", file));
        Assert.Contains("BROKEN: the checkpoint", app.LastOutput, StringComparison.Ordinal);
        Assert.Contains("does not verify", app.LastOutput, StringComparison.Ordinal);

        // The same statement signed by someone else's key under the log's name.
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(file, AuditCheckpoints.Sign(parsed, "localhost/audit", stranger));
        Assert.Equal(1, app.RunCli("audit", "verify", "--checkpoint-file", file));
        Assert.Contains("another key", app.LastOutput, StringComparison.Ordinal);

        // Pinning the key: the log's own key passes, another key fails.
        Assert.Equal(0, app.RunCli("audit", "public-key"));
        var pem = app.LastOutput;
        Assert.Contains("# fingerprint: SHA256:", pem, StringComparison.Ordinal);
        var keyFile = Path.Combine(dir, "key.pem");
        await File.WriteAllTextAsync(keyFile, pem);
        await File.WriteAllTextAsync(file, note);
        Assert.Equal(0, app.RunCli("audit", "verify", "--checkpoint-file", file, "--public-key", keyFile));
        await File.WriteAllTextAsync(keyFile, PemEncoding.WriteString("PUBLIC KEY", stranger.ExportSubjectPublicKeyInfo()));
        Assert.Equal(1, app.RunCli("audit", "verify", "--checkpoint-file", file, "--public-key", keyFile));

        // The API gives the latest checkpoint with its key; the note verifies with that key.
        var latest = (await admin.GetFromJsonAsync<AuditCheckpointDto>("/api/v1/audit/checkpoints/latest"))!;
        var check = AuditCheckpoints.Verify(latest.Note, latest.KeyName, Convert.FromBase64String(latest.PublicKey));
        Assert.True(check.Valid, check.Error);
        Assert.Equal(AuditCheckpoints.Fingerprint(Convert.FromBase64String(latest.PublicKey)), latest.KeyFingerprint);
        Assert.Equal(pem[pem.IndexOf("-----BEGIN", StringComparison.Ordinal)..], await admin.GetStringAsync("/api/v1/audit/public-key"));

        // Exactly one key, and the private key is not in the database in the clear.
        var keys = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditSigningKeys.AsNoTracking().ToListAsync());
        var key = Assert.Single(keys);
        Assert.StartsWith("CfDJ8", key.ProtectedPrivateKey, StringComparison.Ordinal); // Data Protection's payload header
        Assert.Contains(await EntriesAsync(app), e => e.Event == "audit.key_created" && e.Details.Contains(key.KeyId, StringComparison.Ordinal));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task StoredCheckpointsAndKeys_CannotBeChanged()
    {
        Assert.Equal(0, app.RunCli("audit", "checkpoint"));
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditCheckpoints\" SET \"Size\" = 1"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditCheckpoints\""));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditSigningKeys\" SET \"Name\" = 'x'"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditSigningKeys\""));
            Assert.NotEqual(0, await db.AuditCheckpoints.CountAsync());
            return true;
        });
    }
}

/// <summary>The hourly checkpoint follows the app's clock and is copied to the checkpoint directory.</summary>
public class AuditCheckpointServiceTests(AuditCheckpointServiceTests.App app) : IClassFixture<AuditCheckpointServiceTests.App>
{
    public sealed class App() : TestApp("Demo", seed: false, extra: new()
    {
        ["Dokodemo__Audit__CheckpointPoll"] = "00:00:01",
        ["Dokodemo__Audit__CheckpointDirectory"] = Path.Combine(Path.GetTempPath(), "dokodemo-cp-" + Guid.NewGuid().ToString("N")),
    })
    {
        public string CheckpointDirectory => Env["Dokodemo__Audit__CheckpointDirectory"];

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && Directory.Exists(CheckpointDirectory))
            {
                Directory.Delete(CheckpointDirectory, recursive: true);
            }
        }
    }

    private Task<List<AuditSignedCheckpoint>> CheckpointsAsync() =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditCheckpoints.AsNoTracking().OrderBy(c => c.Id).ToListAsync());

    [Fact]
    public async Task ACheckpointIsWrittenEachInterval_ByTheAppsClock()
    {
        // An empty log gets no checkpoint (and no key).
        await Task.Delay(2500);
        Assert.Empty(await CheckpointsAsync());
        Assert.Equal(0, await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditSigningKeys.CountAsync()));

        var audit = app.Services.GetRequiredService<AuditLog>();
        await audit.WriteAsync("test.hourly", AuditOutcome.Success);
        Assert.True(await EventuallyAsync(async () => (await CheckpointsAsync()).Count == 1), "no first checkpoint");
        var first = (await CheckpointsAsync())[0];
        var entries = await EntriesAsync(app);
        Assert.Equal(entries.Count, first.Size); // the entry and the key's creation
        Assert.Equal(entries[^1].Hash, first.HeadHash);

        // Copied to the directory, byte for byte, with the public key beside it.
        var files = Directory.GetFiles(app.CheckpointDirectory, "checkpoint-*.txt");
        Assert.Equal(first.Note, await File.ReadAllTextAsync(Assert.Single(files)));
        var keyFile = Assert.Single(Directory.GetFiles(app.CheckpointDirectory, "audit-public-key-*.pem"));
        var spki = AuditCheckpoints.ParsePublicKey(await File.ReadAllTextAsync(keyFile))!;
        Assert.True(AuditCheckpoints.Verify(first.Note, "localhost/audit", spki).Valid);

        try
        {
            // 59 minutes later: not due.
            app.Clock.Offset = TimeSpan.FromMinutes(59);
            await audit.WriteAsync("test.hourly", AuditOutcome.Success);
            await Task.Delay(3000);
            Assert.Single(await CheckpointsAsync());

            // 61 minutes later: due, signed at the app's time, over the new head.
            app.Clock.Offset = TimeSpan.FromMinutes(61);
            Assert.True(await EventuallyAsync(async () => (await CheckpointsAsync()).Count == 2), "no checkpoint an hour later");
            var second = (await CheckpointsAsync())[1];
            Assert.InRange(second.At - first.At, TimeSpan.FromMinutes(61), TimeSpan.FromMinutes(62));
            Assert.Equal((await EntriesAsync(app))[^1].Sequence, second.Size);
            Assert.Equal(2, Directory.GetFiles(app.CheckpointDirectory, "checkpoint-*.txt").Length);
            var check = AuditCheckpoints.Verify(second.Note, "localhost/audit", spki);
            Assert.True(check.Valid, check.Error);
            Assert.Equal(second.At, check.Checkpoint!.Time);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }

        // The command line checks the chain against every stored checkpoint and against a copied file.
        var copied = Directory.GetFiles(app.CheckpointDirectory, "checkpoint-*.txt").Order(StringComparer.Ordinal).First();
        Assert.Equal(0, app.RunCli("audit", "verify", "--checkpoint-file", copied));
        Assert.Contains("2 signed checkpoint(s) match", app.LastOutput, StringComparison.Ordinal);
    }
}

/// <summary>Verification through the API and the page names the first tampered entry, and catches a recomputed rewrite.</summary>
public class AuditTamperTests(AuditTamperTests.App app) : IClassFixture<AuditTamperTests.App>
{
    public sealed class App : TestApp;

    private static async Task<AuditVerificationResult> VerifyAsync(HttpClient admin)
    {
        var r = await admin.PostAsync("/api/v1/audit/verify", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<AuditVerificationResult>())!;
    }

    [Fact]
    public async Task TheVerifyEndpoint_NamesTheTamperedEntry_AndARewriteFailsAgainstTheCheckpoint()
    {
        var admin = await AdminAsync(app);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/audit/checkpoints/latest")).StatusCode);
        var audit = app.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 6; i++)
        {
            await audit.WriteAsync("test.tamper", AuditOutcome.Success);
        }

        var entries = await EntriesAsync(app);
        var ok = await VerifyAsync(admin);
        Assert.True(ok.Ok);
        Assert.Null(ok.BrokenSequence);
        Assert.Equal((entries.Count, entries[^1].Sequence, entries[^1].Hash), (ok.Count, ok.HeadSequence!.Value, ok.HeadHash));

        Assert.Equal(0, app.RunCli("audit", "checkpoint"));
        var file = Path.Combine(app.Dir, "kept-elsewhere.txt");
        await File.WriteAllTextAsync(file, app.LastOutput);
        var signedSize = AuditCheckpoints.ParseBody(app.LastOutput.Split("\n\n")[0] + "\n").Checkpoint!.Size;

        // One entry edited in place.
        var target = entries.Where(e => e.Event == "test.tamper").ElementAt(2).Sequence;
        await TamperAsync(app, db => db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"Outcome\" = 'failure' WHERE \"Sequence\" = {target}"));
        var broken = await VerifyAsync(admin);
        Assert.False(broken.Ok);
        Assert.Equal(target, broken.BrokenSequence);
        Assert.Equal("was changed after it was written", broken.Reason);

        // The page shows the same, with the entry's number.
        var page = await admin.GetStringAsync("/admin/audit");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var posted = await admin.PostAsync("/admin/audit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "verify", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains($"記録 {target} でチェーンが壊れています", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var recorded = (await EntriesAsync(app)).Where(e => e.Event == "audit.verified").ToList();
        Assert.Equal(AuditOutcome.Failure, recorded[^1].Outcome);

        // Now the whole chain rewritten from that entry on, every hash recomputed: whole again, but not what was signed.
        await TamperAsync(app, async db =>
        {
            var all = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            var previous = all.Single(e => e.Sequence == target - 1).Hash;
            foreach (var e in all.Where(e => e.Sequence >= target))
            {
                e.PreviousHash = previous;
                e.Hash = AuditChain.HashOf(e.ToRecord());
                await db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"PreviousHash\" = {e.PreviousHash}, \"Hash\" = {e.Hash} WHERE \"Sequence\" = {e.Sequence}");
                previous = e.Hash;
            }
        });
        Assert.Null((await audit.VerifyAsync(null)).Break); // the chain alone looks whole
        var rewritten = await VerifyAsync(admin);
        Assert.False(rewritten.Ok);
        Assert.Equal(signedSize, rewritten.BrokenSequence);
        Assert.Contains("checkpoint", rewritten.Reason, StringComparison.Ordinal);
        Assert.Equal(1, app.RunCli("audit", "verify", "--checkpoint-file", file));
        Assert.Contains($"BROKEN: entry {signedSize} differs from the checkpoint", app.LastOutput, StringComparison.Ordinal);

        // A stored checkpoint whose columns were edited to match the rewrite is caught by its signature.
        var newHead = await app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().AuditEntries.Where(e => e.Sequence == signedSize).Select(e => e.Hash).SingleAsync());
        await TamperAsync(app, db => db.Database.ExecuteSqlAsync($"UPDATE \"AuditCheckpoints\" SET \"HeadHash\" = {newHead}"));
        var columns = await VerifyAsync(admin);
        Assert.False(columns.Ok);
        Assert.Contains(columns.CheckpointProblems, p => p.Contains("differ from its signed text", StringComparison.Ordinal));
    }
}

/// <summary>The auditors' export (R47): downloaded by an administrator, verified offline by the command line.</summary>
public class AuditExportBundleTests(AuditExportBundleTests.App app) : IClassFixture<AuditExportBundleTests.App>
{
    /// <summary>
    /// No background checkpoint service here: its first poll can land after the test has begun writing (seen in CI on a
    /// slow machine) and would make the signing key, and its audit entry, inside the moved-clock window this test
    /// exports. The export signs its own checkpoint when none covers the range.
    /// </summary>
    public sealed class App() : TestApp("Demo", seed: false)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s =>
            {
                foreach (var d in s.Where(d => d.ImplementationType == typeof(AuditCheckpointService)).ToList())
                {
                    s.Remove(d);
                }
            });
        }
    }

    [Fact]
    public async Task AnExport_VerifiesOfflineWithNoConfiguration_AndFailsAfterOneEntryIsEdited()
    {
        var audit = app.Services.GetRequiredService<AuditLog>();
        var day = JstNoon(3);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                SetClock(app, day.AddMinutes(i));
                await audit.WriteAsync("test.export", AuditOutcome.Success, details: new Dictionary<string, string?> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            for (var i = 0; i < 3; i++)
            {
                SetClock(app, day.AddDays(1).AddMinutes(i));
                await audit.WriteAsync("test.export.next", AuditOutcome.Failure, decision: AuditDecision.Deny, policyVersion: 1);
            }
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }

        var (adminClient, adminId) = await PersonAsync(app, "監査 担当", Domain.Accounts.Roles.Staff, Domain.Accounts.Roles.SecurityAdmin);
        Assert.Equal(HttpStatusCode.NoContent, (await adminClient.PostAsync("/api/v1/me/devices/current/register", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await adminClient.GetAsync("/api/v1/audit/export?from=" + JstDate(day))).StatusCode);
        var reversed = await adminClient.GetAsync($"/api/v1/audit/export?from={JstDate(day.AddDays(1))}&to={JstDate(day)}");
        Assert.Equal("audit.range_invalid", (await reversed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());

        var r = await adminClient.GetAsync($"/api/v1/audit/export?from={JstDate(day)}&to={JstDate(day)}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.MediaType);
        var stamp = day.ToOffset(AuditFilter.Jst).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"audit-export-{stamp}-{stamp}.json", r.Content.Headers.ContentDisposition!.FileName);
        var json = await r.Content.ReadAsStringAsync();
        var bundle = AuditExports.Parse(json).Bundle!;
        Assert.Equal(5, bundle.Entries.Count);
        Assert.All(bundle.Entries, e => Assert.Equal("test.export", e.Event));
        Assert.Null(bundle.Before);
        Assert.Equal(AuditChain.Genesis, bundle.PreviousHash);
        Assert.Equal("test.export.next", bundle.After[0].Event);
        Assert.NotNull(bundle.Checkpoint);

        var dir = Path.Combine(app.Dir, "auditor");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "export.json");
        await File.WriteAllTextAsync(file, json);
        var (exit, output, error, untouched) = RunOffline("audit", "verify-export", file);
        Assert.True(exit == 0, output + error);
        Assert.StartsWith("VERIFIED", output, StringComparison.Ordinal);
        Assert.Contains("Entries 1–5 (5) of the range are exactly as written", output, StringComparison.Ordinal);
        Assert.Contains("The range starts at the first entry of the log.", output, StringComparison.Ordinal);
        Assert.Contains("The range ends right before entry 6", output, StringComparison.Ordinal);
        Assert.Contains("Not proven:", output, StringComparison.Ordinal);
        Assert.True(untouched, "the offline check wrote into its working folder");

        // With the town's key pinned (downloaded separately), the key is proven too.
        var keyFile = Path.Combine(dir, "key.pem");
        await File.WriteAllTextAsync(keyFile, await adminClient.GetStringAsync("/api/v1/audit/public-key"));
        (exit, output, _, _) = RunOffline("audit", "verify-export", file, "--public-key", keyFile);
        Assert.Equal(0, exit);
        Assert.Contains("signed by the key you gave", output, StringComparison.Ordinal);

        // One entry edited in the file.
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node["entries"]![2]!["outcome"] = "failure";
        await File.WriteAllTextAsync(file, node.ToJsonString());
        (exit, output, _, _) = RunOffline("audit", "verify-export", file);
        Assert.Equal(1, exit);
        Assert.StartsWith("NOT VERIFIED", output, StringComparison.Ordinal);
        Assert.Contains($"Entry {bundle.Entries[2].Sequence} was changed after it was written", output, StringComparison.Ordinal);

        // Not an export at all; no file; no argument.
        await File.WriteAllTextAsync(file, "{ not json");
        Assert.Equal(1, RunOffline("audit", "verify-export", file).Exit);
        Assert.Equal(1, RunOffline("audit", "verify-export", Path.Combine(dir, "missing.json")).Exit);
        Assert.Equal(64, RunOffline("audit", "verify-export").Exit);

        // The next day's export starts right after the last entry of the first day, and it verifies too.
        var next = await adminClient.GetStringAsync($"/api/v1/audit/export?from={JstDate(day.AddDays(1))}&to={JstDate(day.AddDays(1))}");
        var nextBundle = AuditExports.Parse(next).Bundle!;
        Assert.Equal(5, nextBundle.Before!.Sequence);
        Assert.Equal(3, nextBundle.Entries.Count);
        Assert.Equal(("deny", (int?)1), (nextBundle.Entries[0].Decision!, nextBundle.Entries[0].PolicyVersion));
        var report = AuditExports.Verify(nextBundle);
        Assert.True(report.Valid, string.Join("\n", report.Failures));
        Assert.Contains(report.Proven, p => p.Contains("starts right after entry 5", StringComparison.Ordinal));

        // Each export is itself in the log, with who made it.
        var exports = (await EntriesAsync(app)).Where(e => e.Event == "audit.exported").ToList();
        Assert.Equal(2, exports.Count);
        Assert.All(exports, e => Assert.Equal(adminId, e.ActorId));
        Assert.All(exports, e => Assert.Contains("\"format\":\"bundle\"", e.Details, StringComparison.Ordinal));
    }
}
