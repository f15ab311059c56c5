using System.Security.Cryptography;
using Dokodemo.Hosting;
using Microsoft.Extensions.Options;

namespace Dokodemo.Talk;

/// <summary>
/// Where the bytes of Talk's files live, by an opaque key (random, never the person's file name). An upload is first
/// written to a staging file (<see cref="NewStagingFile"/>), checked, then handed to <see cref="PutAsync"/>; a refused
/// or failed upload leaves nothing behind.
/// </summary>
public interface IFileStore
{
    /// <summary>A new, empty staging file's path (on the same disk as the store, so putting it is a rename).</summary>
    string NewStagingFile();

    /// <summary>Moves a staging file into the store under a new random key, and returns the key.</summary>
    Task<string> PutAsync(string stagingFile, CancellationToken ct);

    /// <summary>The bytes under a key, or null when there are none (or the key is not one of ours).</summary>
    Stream? Open(string key);

    Task DeleteAsync(string key, CancellationToken ct);
}

/// <summary>
/// Files on the local disk: <c>Dokodemo:Talk:Files:Path</c>, by default <c>talk-files</c> beside the SQLite file (the
/// app's data directory, where the demo also keeps its key-encryption key), or <c>data/talk-files</c> with PostgreSQL.
/// Layout: <c>{root}/{first two characters of the key}/{key}</c>; staging files in <c>{root}/.staging</c>. Readable by the
/// app's user only.
/// </summary>
public sealed class LocalFileStore : IFileStore
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public LocalFileStore(IOptions<TalkFileOptions> options, IOptions<DatabaseOptions> database)
    {
        var configured = options.Value.Path;
        if (string.IsNullOrWhiteSpace(configured))
        {
            var dataDirectory = Foundation.SqliteFile(database.Value) is { } file ? Path.GetDirectoryName(Path.GetFullPath(file)) : null;
            configured = Path.Combine(dataDirectory ?? "data", "talk-files");
        }

        Root = Path.GetFullPath(configured);
        Staging = Path.Combine(Root, ".staging");
        CreateDirectory(Staging);
    }

    /// <summary>The folder holding the files.</summary>
    public string Root { get; }

    /// <summary>The folder holding uploads not yet checked.</summary>
    public string Staging { get; }

    public string NewStagingFile()
    {
        var path = Path.Combine(Staging, NewKey() + ".part");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = OwnerOnly;
        }

        using (new FileStream(path, fileOptions))
        {
        }

        return path;
    }

    public Task<string> PutAsync(string stagingFile, CancellationToken ct)
    {
        if (!string.Equals(Path.GetDirectoryName(Path.GetFullPath(stagingFile)), Staging, StringComparison.Ordinal))
        {
            throw new ArgumentException("Not a staging file of this store.", nameof(stagingFile));
        }

        var key = NewKey();
        var target = PathOf(key)!;
        CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(stagingFile, target);
        return Task.FromResult(key);
    }

    public Stream? Open(string key)
    {
        var path = PathOf(key);
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        if (PathOf(key) is { } path)
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    /// <summary>The path of a key; null when the key is not 32 lower-case hex digits (nothing else is ever a key).</summary>
    public string? PathOf(string key) =>
        key.Length == 32 && key.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? Path.Combine(Root, key[..2], key) : null;

    private static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }
}
