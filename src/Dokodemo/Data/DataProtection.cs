using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Dokodemo.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Data;

/// <summary>
/// One key of the Data Protection key ring (R40). The ring protects the half-way sign-in cookie, antiforgery
/// tokens and Identity's tokens; it lives in the database so every node shares it, and each key's secret part is
/// encrypted with the key-encryption key before it is written.
/// </summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string Xml { get; set; } = "";
}

/// <summary>The key ring's storage: rows of <c>DataProtectionKeys</c>. Data Protection calls it rarely (start, key roll-over), and synchronously.</summary>
public sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, ILogger<DatabaseXmlRepository> logger) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var elements = new List<XElement>();
        foreach (var row in db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).ToList())
        {
            try
            {
                elements.Add(XElement.Parse(row.Xml));
            }
            catch (XmlException ex)
            {
                logger.LogError(ex, "Data Protection key row {Id} is not XML; skipped", row.Id);
            }
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

/// <summary>
/// The key-encryption key (KEK): 32 random bytes, base64 in a file (<c>Dokodemo:KeyEncryptionKeyFile</c>) or a setting
/// (<c>Dokodemo:KeyEncryptionKey</c>). It never goes into the database, so a copy of the database alone opens nothing.
/// </summary>
public sealed class KeyEncryptionKey
{
    public const string DefaultFileName = "key-encryption.key";
    private static readonly byte[] AssociatedData = "dokodemo data-protection key ring v1"u8.ToArray();
    private readonly byte[] key;

    private KeyEncryptionKey(byte[] key)
    {
        this.key = key;
        // A short name for the key that says nothing about it: which KEK encrypted a row, without the KEK.
        Id = Convert.ToHexStringLower(HMACSHA256.HashData(key, "dokodemo key-encryption-key id"u8))[..16];
    }

    public string Id { get; }

    /// <summary>Where the key comes from; a missing or unreadable key stops the start with one sentence.</summary>
    public static KeyEncryptionKey Load(DokodemoOptions options, DatabaseOptions database)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            return Parse(options.KeyEncryptionKey, "Dokodemo:KeyEncryptionKey");
        }

        var file = options.KeyEncryptionKeyFile;
        if (string.IsNullOrWhiteSpace(file))
        {
            if (!options.IsDemo)
            {
                throw new StartupException("Production mode needs Dokodemo:KeyEncryptionKeyFile (environment variable Dokodemo__KeyEncryptionKeyFile).");
            }

            // Demo: beside the SQLite file (data/ by default), created on first start.
            var folder = Path.GetDirectoryName(Path.GetFullPath(Foundation.SqliteFile(database) ?? Path.Combine("data", "x"))) ?? "data";
            file = Path.Combine(folder, DefaultFileName);
        }

        file = Path.GetFullPath(file);
        if (!File.Exists(file))
        {
            if (!options.IsDemo)
            {
                throw new StartupException(
                    $"The key-encryption key file {file} (Dokodemo:KeyEncryptionKeyFile) does not exist: restore it, or for a new installation create it with: head -c 32 /dev/urandom | base64 > {file}; chmod 600 {file}.");
            }

            Create(file);
        }

        if (!options.IsDemo && !OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(file) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite)) != 0)
        {
            throw new StartupException($"The key-encryption key file {file} can be read or changed by other users: chmod 600 {file} (or 640 for the service's group).");
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Cannot read the key-encryption key file {file}: {ex.Message.TrimEnd('.')}.");
        }

        return Parse(text, file);
    }

    private static KeyEncryptionKey Parse(string text, string source)
    {
        var bytes = new byte[48];
        if (!Convert.TryFromBase64String(text.Trim(), bytes, out var length) || length != 32)
        {
            throw new StartupException(
                $"The key-encryption key in {source} must be 32 random bytes written in base64 (create one with: head -c 32 /dev/urandom | base64).");
        }

        return new KeyEncryptionKey(bytes[..32]);
    }

    private static void Create(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(file, options);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it at the same moment; use theirs.
        }
    }

    /// <summary>AES-256-GCM: nonce (12) ‖ ciphertext ‖ tag (16).</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[12 + plaintext.Length + 16];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, output.AsSpan(12, plaintext.Length), output.AsSpan(12 + plaintext.Length), AssociatedData);
        return output;
    }

    /// <summary>Throws <see cref="CryptographicException"/> when the blob was not sealed with this key or was changed.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedBlob)
    {
        if (sealedBlob.Length < 28)
        {
            throw new CryptographicException("The encrypted key is too short.");
        }

        var plaintext = new byte[sealedBlob.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedBlob[..12], sealedBlob[12..^16], sealedBlob[^16..], plaintext, AssociatedData);
        return plaintext;
    }
}

/// <summary>Encrypts the secret part of each new key (the element Data Protection marks "requiresEncryption") with the KEK.</summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey kek) : IXmlEncryptor
{
    public static readonly XNamespace Ns = "https://dokodemo.example/keyring/v1";
    public static readonly XName EncryptedName = Ns + "encryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var element = new XElement(EncryptedName,
                new XAttribute("kek", kek.Id),
                new XComment(" AES-256-GCM with the key-encryption key (Dokodemo:KeyEncryptionKeyFile) "),
                new XElement(Ns + "value", Convert.ToBase64String(kek.Seal(plaintext))));
            return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>Data Protection creates this by type name from the stored XML, handing it the service provider.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => Decrypt(encryptedElement, services.GetRequiredService<KeyEncryptionKey>());

    public static XElement Decrypt(XElement encryptedElement, KeyEncryptionKey kek)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        if (encryptedElement.Name != AesGcmXmlEncryptor.EncryptedName)
        {
            throw new CryptographicException("Not a key encrypted by Dokodemo.");
        }

        if ((string?)encryptedElement.Attribute("kek") != kek.Id)
        {
            throw new CryptographicException("This key was encrypted with a different key-encryption key.");
        }

        var blob = Convert.FromBase64String((string?)encryptedElement.Element(AesGcmXmlEncryptor.Ns + "value") ?? "");
        var plaintext = kek.Open(blob);
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

public static class DataProtectionSetup
{
    /// <summary>The key ring in the database, encrypted with the KEK, one application name for every node (R40).</summary>
    public static void AddDatabaseKeyRing(this IServiceCollection services, KeyEncryptionKey kek)
    {
        services.AddSingleton(kek);
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddDataProtection().SetApplicationName("Dokodemo");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = sp.GetRequiredService<DatabaseXmlRepository>();
            o.XmlEncryptor = new AesGcmXmlEncryptor(kek);
        }));
    }

    /// <summary>
    /// At start: every stored key must open with this KEK. A wrong key file would otherwise only show later, as every
    /// half-way sign-in and form failing, and the app would quietly add a new key the other nodes cannot read.
    /// </summary>
    public static async Task VerifyKeyRingAsync(AppDbContext db, KeyEncryptionKey kek, CancellationToken ct = default)
    {
        var rows = await db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct);
        foreach (var row in rows)
        {
            XElement xml;
            try
            {
                xml = XElement.Parse(row.Xml);
            }
            catch (XmlException)
            {
                throw new StartupException($"Data Protection key row {row.Id} in the database is not valid XML; restore the DataProtectionKeys table from a backup.");
            }

            foreach (var encrypted in xml.Descendants(AesGcmXmlEncryptor.EncryptedName))
            {
                try
                {
                    AesGcmXmlDecryptor.Decrypt(encrypted, kek);
                }
                catch (Exception ex) when (ex is CryptographicException or FormatException or XmlException)
                {
                    throw new StartupException(
                        $"The key-encryption key does not open the key ring in the database ({ex.Message.TrimEnd('.')}): use the key file this database was set up with (Dokodemo:KeyEncryptionKeyFile).");
                }
            }
        }
    }
}
