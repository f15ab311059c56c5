using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Dokodemo.Data;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dokodemo.Tests;

/// <summary>R40: the Data Protection key ring in the database, encrypted at rest, shared by every node.</summary>
public class KeyRingTests(KeyRingTests.App app) : IClassFixture<KeyRingTests.App>
{
    public sealed class App : TestApp
    {
        public App()
        {
            // Showing a form makes an antiforgery token, so the ring has a key before any test looks.
            var page = NewClient().GetAsync("/signin").GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
    }

    private const string Password = "しずかな朝に川沿いを歩く2026";
    private static readonly XNamespace DataProtectionNs = "http://schemas.asp.net/2015/03/dataProtection";

    private Task<List<DataProtectionKey>> RowsAsync() =>
        app.WithScopeAsync(sp => sp.GetRequiredService<AppDbContext>().DataProtectionKeys.AsNoTracking().ToListAsync());

    [Fact]
    public async Task StoredKeys_HoldNoKeyMaterialInPlainText()
    {
        var rows = await RowsAsync();
        Assert.NotEmpty(rows);
        var kek = await app.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<KeyEncryptionKey>()));
        foreach (var row in rows)
        {
            var xml = XElement.Parse(row.Xml);
            Assert.Empty(xml.Descendants("masterKey"));
            Assert.DoesNotContain("masterKey", row.Xml, StringComparison.Ordinal);
            var secret = Assert.Single(xml.Descendants(DataProtectionNs + "encryptedSecret"));
            Assert.Contains(nameof(AesGcmXmlDecryptor), (string?)secret.Attribute("decryptorType"), StringComparison.Ordinal);
            var encrypted = Assert.Single(secret.Elements(AesGcmXmlEncryptor.EncryptedName));
            Assert.Equal(kek.Id, (string?)encrypted.Attribute("kek"));

            // With the key-encryption key the secret is there: a 512-bit master key that appears nowhere in the row.
            var opened = AesGcmXmlDecryptor.Decrypt(encrypted, kek);
            Assert.Equal("masterKey", opened.Name.LocalName);
            var master = opened.Elements().Single(e => e.Name.LocalName == "value").Value;
            Assert.Equal(64, Convert.FromBase64String(master).Length);
            Assert.DoesNotContain(master, row.Xml, StringComparison.Ordinal);
        }

        // Nothing is kept on disk any more: the old key folder is not made.
        Assert.False(Directory.Exists(Path.Combine(app.Dir, "keys")));
    }

    [Fact]
    public async Task TwoNodes_OnOneDatabase_AcceptEachOthersTokensAndCookies()
    {
        using var second = new TestApp("Demo", seed: false, sameDatabaseAs: app);
        var jar = new CookieContainer();
        var a = app.CreateDefaultClient(new CookieContainerHandler(jar));
        var b = second.CreateDefaultClient(new CookieContainerHandler(jar));

        // An antiforgery token made by one node, posted to the other.
        var page = await a.GetStringAsync("/signin");
        var token = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        var switched = await b.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["lang"] = "en", ["returnUrl"] = "/signin", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);

        // The half-way sign-in cookie (protected by the key ring) from one node, the code to the other.
        var email = "nodes-" + Guid.NewGuid().ToString("N")[..6] + "@example.jp";
        var (secret, step) = await TestApp.EnrolAsync(app.NewClient(), await app.InviteAsync(email), Password);
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsJsonAsync("/api/v1/auth/password", new { email, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsJsonAsync("/api/v1/auth/totp", new { code = TestApp.Code(secret, step + 1) })).StatusCode);

        // The session the second node started works on both.
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/v1/me")).StatusCode);

        // A forged token is still refused by both: sharing keys is not accepting anything.
        var forged = await b.PostAsync("/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["lang"] = "en", ["returnUrl"] = "/signin", ["__RequestVerificationToken"] = token[..^4] + "AAAA",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public void AWrongKeyEncryptionKey_StopsTheStart_WithOneSentence()
    {
        var wrong = Path.Combine(app.Dir, "wrong-kek");
        TestApp.WriteKeyEncryptionKey(wrong);
        var (code, err) = Start(new() { ["Dokodemo__KeyEncryptionKeyFile"] = wrong });
        Assert.Equal(2, code);
        Assert.Contains("does not open the key ring in the database", err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all", "must be 32 random bytes written in base64")]
    [InlineData("AAAA", "must be 32 random bytes written in base64")]
    public void AMalformedKeyEncryptionKey_StopsTheStart(string content, string expected)
    {
        var file = Path.Combine(app.Dir, "bad-kek-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(file, content);
        var (code, err) = Start(new() { ["Dokodemo__KeyEncryptionKeyFile"] = file });
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOldKeyRingPathSetting_StopsTheStart_WithAnExplanation()
    {
        var (code, err) = Start(new() { ["Dokodemo__KeyRingPath"] = Path.Combine(app.Dir, "keys") });
        Assert.Equal(2, code);
        Assert.Contains("Dokodemo:KeyRingPath is no longer used", err, StringComparison.Ordinal);
    }

    private (int Code, string Err) Start(Dictionary<string, string> overrides)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = app.Dir,
        };
        foreach (var (k, v) in app.Env)
        {
            psi.Environment[k] = v;
        }

        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (k, v) in overrides)
        {
            psi.Environment[k] = v;
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var err = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the app kept running");
        }

        _ = stdout.Result;
        return (p.ExitCode, err);
    }

    [Fact]
    public void DemoMode_CreatesTheKeyFile_ReadableOnlyByItsOwner_AndReusesIt()
    {
        var dir = Directory.CreateTempSubdirectory("dokodemo-kek-").FullName;
        try
        {
            var db = new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(dir, "data", "town.db")}" };
            var first = KeyEncryptionKey.Load(new DokodemoOptions { Mode = RunMode.Demo }, db);
            var file = Path.Combine(dir, "data", KeyEncryptionKey.DefaultFileName);
            Assert.True(File.Exists(file));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            Assert.Equal(first.Id, KeyEncryptionKey.Load(new DokodemoOptions { Mode = RunMode.Demo }, db).Id);

            // Production never makes one up, and refuses a key file others can read.
            var missing = Assert.Throws<StartupException>(() =>
                KeyEncryptionKey.Load(new DokodemoOptions { Mode = RunMode.Production, KeyEncryptionKeyFile = Path.Combine(dir, "none") }, db));
            Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
                var open = Assert.Throws<StartupException>(() =>
                    KeyEncryptionKey.Load(new DokodemoOptions { Mode = RunMode.Production, KeyEncryptionKeyFile = file }, db));
                Assert.Contains("chmod 600", open.Message, StringComparison.Ordinal);
            }

            // The key can also come as a setting (a secret store's environment variable).
            var fromSetting = KeyEncryptionKey.Load(new DokodemoOptions { Mode = RunMode.Production, KeyEncryptionKey = File.ReadAllText(file) }, db);
            Assert.Equal(first.Id, fromSetting.Id);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task AChangedRow_IsCaught_AtStart()
    {
        // AES-GCM authenticates: one flipped character in a stored key is a stop, not a silently different key.
        var kek = await app.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<KeyEncryptionKey>()));
        var row = (await RowsAsync()).First();
        var xml = XElement.Parse(row.Xml);
        var value = xml.Descendants(AesGcmXmlEncryptor.Ns + "value").Single();
        var bytes = Convert.FromBase64String(value.Value);
        bytes[20] ^= 1;
        value.Value = Convert.ToBase64String(bytes);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var copy = new DataProtectionKey { FriendlyName = "tampered copy", Xml = xml.ToString(SaveOptions.DisableFormatting) };
        db.DataProtectionKeys.Add(copy);
        await db.SaveChangesAsync();
        try
        {
            var ex = await Assert.ThrowsAsync<StartupException>(() => DataProtectionSetup.VerifyKeyRingAsync(db, kek));
            Assert.Contains("does not open the key ring", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            db.DataProtectionKeys.Remove(copy);
            await db.SaveChangesAsync();
        }
    }
}
