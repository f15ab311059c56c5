using System.Globalization;
using System.Security.Cryptography;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Access;
using Dokodemo.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Talk;

/// <summary>A file attached to a message. The bytes are in the <see cref="IFileStore"/> under <see cref="StorageKey"/>.</summary>
public sealed class TalkFile
{
    public long Id { get; set; }
    public int ChannelId { get; set; }

    /// <summary>The message it is attached to (files are posted with their message, in one transaction).</summary>
    public long MessageId { get; set; }

    public required string UploaderId { get; set; }

    /// <summary>The person's file name, cleaned for display (<see cref="TalkFileTypes.CleanName"/>); never a path on disk.</summary>
    public required string Name { get; set; }

    /// <summary>The content type of the kind the bytes were checked to be (one of <see cref="TalkFileTypes.Kinds"/>), never what the browser said.</summary>
    public required string ContentType { get; set; }

    public long Size { get; set; }

    /// <summary>SHA-256 of the bytes, lower-case hex.</summary>
    public required string Sha256 { get; set; }

    /// <summary>The opaque, random key in the store.</summary>
    public required string StorageKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the bytes were removed (retention, later); a removed file is not downloadable by anyone.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>A file as a message shows it: name, size, kind (icon text) and where to download it.</summary>
public sealed record FileDto(long Id, string Name, string ContentType, long Size, string Kind, string Url);

/// <summary>"Dokodemo:Talk:Files".</summary>
public sealed class TalkFileOptions
{
    public const string Section = "Dokodemo:Talk:Files";

    /// <summary>The largest request the channel page accepts (its form carries the files); the configured limits below are checked exactly.</summary>
    public const long PageRequestLimit = 128L * 1024 * 1024;

    /// <summary>Where the files are kept; empty: <c>talk-files</c> beside the SQLite file, or <c>data/talk-files</c>.</summary>
    public string? Path { get; set; }

    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;
    public long MaxMessageBytes { get; set; } = 50L * 1024 * 1024;
    public int MaxFiles { get; set; } = 5;

    /// <summary>The kinds accepted (keys of <see cref="TalkFileTypes.Kinds"/>: pdf, png, jpeg, gif, webp, text, csv, docx, xlsx, pptx, zip); empty: all.</summary>
    public string[]? Allowed { get; set; }

    public IReadOnlyCollection<string> AllowedKinds =>
        Allowed is { Length: > 0 } a ? a.Select(k => k.Trim().ToLowerInvariant()).ToHashSet() : TalkFileTypes.Kinds.Select(k => k.Key).ToHashSet();

    /// <summary>A size for people: "20 MB", "500 KB".</summary>
    public static string Size(long bytes) =>
        bytes >= 1024 * 1024 ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : bytes >= 1024 ? (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " B";
}

/// <summary>The stable codes of Talk's files; each has a sentence in Text.TalkFiles.cs, where {limit} and {name} are filled in by <see cref="TalkFiles.Describe"/>.</summary>
public static class TalkFileErrors
{
    public static readonly Error NotFound = new("talk.file_not_found", 404);
    public static readonly Error UploadInvalid = new("talk.upload_invalid", 400);

    public static Error TooLarge(long limit) => Limit("talk.file_too_large", 413, limit);

    public static Error TotalTooLarge(long limit) => Limit("talk.files_too_large", 413, limit);

    public static Error TooMany(int max) =>
        new("talk.too_many_files", 422, new Dictionary<string, object?> { ["field"] = "files", ["limit"] = max.ToString(CultureInfo.InvariantCulture) });

    public static Error Empty(string name) => Named("talk.file_empty", name);

    public static Error TypeMismatch(string name) => Named("talk.file_type_mismatch", name);

    public static Error TypeRefused(string name) => Named("talk.file_type_refused", name);

    private static Error Limit(string code, int status, long limit) =>
        new(code, status, new Dictionary<string, object?> { ["field"] = "files", ["limit"] = TalkFileOptions.Size(limit), ["limitBytes"] = limit });

    private static Error Named(string code, string name) =>
        new(code, 422, new Dictionary<string, object?> { ["field"] = "files", ["name"] = name });

    public static IReadOnlyList<Error> All { get; } =
        [NotFound, UploadInvalid, TooLarge(1), TotalTooLarge(1), TooMany(1), Empty(""), TypeMismatch(""), TypeRefused("")];
}

/// <summary>
/// Files in Talk: posting a message with files (checked, stored, and saved with the message in one transaction — a
/// refusal leaves no row, no file and no message), downloading through <see cref="TalkAccess"/>, and the files of
/// messages as the viewer may see them.
/// </summary>
public sealed class TalkFiles(AppDbContext db, TalkMessages messages, TalkAccess access, IFileStore store, IOptions<TalkFileOptions> options, AuditLog audit,
    TimeProvider clock, ILogger<TalkFiles> log)
{
    public TalkFileOptions Options => options.Value;

    /// <summary>Posts a message with files (or without: then it is an ordinary post). An empty body becomes the files' names.</summary>
    public async Task<Result<MessageDto>> PostAsync(ChannelGrant g, string userId, string? body, long? threadRootId, IReadOnlyList<IFormFile> files,
        CancellationToken ct, bool requiresAck = false)
    {
        // A file field left empty still sends a part with no name and no bytes.
        files = [.. files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName))];
        if (files.Count == 0)
        {
            return await messages.PostAsync(g, userId, new PostRequest(body, threadRootId, requiresAck), ct);
        }

        if (!g.IsMember)
        {
            return TalkErrors.NotMember;
        }

        if (g.Channel.Archived)
        {
            return TalkErrors.Archived;
        }

        if (!g.CanPost)
        {
            return TalkErrors.AccessDenied;
        }

        var o = Options;
        if (files.Count > o.MaxFiles)
        {
            return TalkFileErrors.TooMany(o.MaxFiles);
        }

        foreach (var f in files)
        {
            if (f.Length == 0)
            {
                return TalkFileErrors.Empty(TalkFileTypes.CleanName(f.FileName));
            }

            if (f.Length > o.MaxFileBytes)
            {
                return TalkFileErrors.TooLarge(o.MaxFileBytes);
            }
        }

        if (files.Sum(f => f.Length) > o.MaxMessageBytes)
        {
            return TalkFileErrors.TotalTooLarge(o.MaxMessageBytes);
        }

        var staging = new List<string>();
        var stored = new List<string>();
        var committed = false;
        try
        {
            var rows = new List<TalkFile>();
            foreach (var f in files)
            {
                var name = TalkFileTypes.CleanName(f.FileName);
                var path = store.NewStagingFile();
                staging.Add(path);
                var (size, sha) = await CopyAsync(f, path, o.MaxFileBytes, ct);
                if (size == 0)
                {
                    return TalkFileErrors.Empty(name);
                }

                if (size > o.MaxFileBytes)
                {
                    return TalkFileErrors.TooLarge(o.MaxFileBytes);
                }

                var (verdict, kind) = TalkFileTypes.Check(name, f.ContentType, path, o.AllowedKinds);
                if (verdict != TalkFileTypes.Verdict.Accepted)
                {
                    return verdict == TalkFileTypes.Verdict.Mismatch ? TalkFileErrors.TypeMismatch(name) : TalkFileErrors.TypeRefused(name);
                }

                rows.Add(new TalkFile
                {
                    ChannelId = g.Id, UploaderId = userId, Name = name, ContentType = kind!.ContentType, Size = size, Sha256 = sha, StorageKey = path,
                    CreatedAt = clock.GetUtcNow(),
                });
            }

            var text = string.IsNullOrWhiteSpace(body) ? string.Join("\n", rows.Select(r => "📎 " + r.Name)) : body;
            if (TalkMessages.Validate(text) is { } invalid)
            {
                return invalid;
            }

            foreach (var row in rows)
            {
                var staged = row.StorageKey;
                row.StorageKey = await store.PutAsync(staged, ct);
                staging.Remove(staged);
                stored.Add(row.StorageKey);
            }

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var posted = await messages.PostAsync(g, userId, new PostRequest(text, threadRootId, requiresAck), ct);
            if (!posted.Ok)
            {
                return posted.Error!;
            }

            foreach (var row in rows)
            {
                row.MessageId = posted.Value!.Id;
            }

            db.TalkFiles.AddRange(rows);
            await db.SaveChangesAsync(ct);
            // Search: the message is found by its files' names too.
            var message = new TalkMessage { Id = posted.Value!.Id, ChannelId = g.Id, AuthorId = userId, Body = text, CreatedAt = posted.Value.CreatedAt };
            await TalkSearchIndex.WriteAsync(db, message, TalkSearchIndex.IndexedText(text, rows.Select(r => r.Name)), ct);
            await tx.CommitAsync(ct);
            committed = true;
            return (await messages.GetAsync(g, userId, posted.Value!.Id, ct)).Value!;
        }
        finally
        {
            foreach (var path in staging)
            {
                File.Delete(path);
            }

            if (!committed)
            {
                foreach (var key in stored)
                {
                    await store.DeleteAsync(key, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Copies an upload to its staging file, hashing it, and stops one byte past the limit.</summary>
    private static async Task<(long Size, string Sha256)> CopyAsync(IFormFile file, string path, long limit, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var source = file.OpenReadStream();
        await using var target = new FileStream(path, FileMode.Truncate, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
        var buffer = new byte[64 * 1024];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            size += read;
            if (size > limit)
            {
                return (size, "");
            }

            hash.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        await target.FlushAsync(ct);
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>A file to download, if the caller may: through <see cref="TalkAccess"/> for its channel (invisible: 404), not when its message is deleted (moderators excepted). Audited from 機密性3.</summary>
    public async Task<Result<Download>> OpenAsync(long fileId, CancellationToken ct)
    {
        var file = await db.TalkFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == fileId, ct);
        if (file is null)
        {
            return TalkFileErrors.NotFound;
        }

        var g = await access.ChannelAsync(file.ChannelId, ct);
        if (!g.Ok)
        {
            return g.Error!;
        }

        if (file.DeletedAt is not null)
        {
            return TalkFileErrors.NotFound;
        }

        var messageDeleted = await db.TalkMessages.Where(m => m.Id == file.MessageId).Select(m => m.DeletedAt != null).FirstOrDefaultAsync(ct);
        if (messageDeleted && !g.Value!.CanModerate)
        {
            return TalkErrors.Deleted;
        }

        var content = store.Open(file.StorageKey);
        if (content is null)
        {
            log.LogWarning("Talk file {FileId} has no bytes in the store.", file.Id);
            return TalkFileErrors.NotFound;
        }

        if (g.Value!.Channel.Classification >= Confidentiality.Level3)
        {
            await audit.WriteAsync("talk.file_downloaded", AuditOutcome.Success, actorId: access.UserId, subjectId: file.UploaderId,
                details: new Dictionary<string, string?>
                {
                    ["channel"] = TalkAccess.Id(file.ChannelId), ["file"] = file.Id.ToString(CultureInfo.InvariantCulture),
                    ["message"] = file.MessageId.ToString(CultureInfo.InvariantCulture), ["sha256"] = file.Sha256,
                }, ct: ct);
        }

        var type = TalkFileTypes.Kinds.Any(k => k.ContentType == file.ContentType) ? file.ContentType : "application/octet-stream";
        return new Download(file.Name, type, file.Size, content);
    }

    public sealed record Download(string Name, string ContentType, long Size, Stream Content);

    /// <summary>The names of a message's files (for the search index).</summary>
    public async Task<IReadOnlyList<string>> FileNamesOfAsync(long messageId, CancellationToken ct) =>
        await db.TalkFiles.AsNoTracking().Where(f => f.MessageId == messageId && f.DeletedAt == null).OrderBy(f => f.Id).Select(f => f.Name).ToListAsync(ct);

    /// <summary>Messages with their files as the viewer may see them: a deleted message's files for moderators only.</summary>
    public static async Task<IReadOnlyList<MessageDto>> WithFilesAsync(AppDbContext db, ChannelGrant g, IReadOnlyList<MessageDto> shaped, CancellationToken ct)
    {
        var ids = shaped.Where(m => !m.Deleted || g.CanModerate).Select(m => m.Id).ToList();
        if (ids.Count == 0)
        {
            return shaped;
        }

        var files = (await db.TalkFiles.AsNoTracking().Where(f => ids.Contains(f.MessageId) && f.DeletedAt == null).OrderBy(f => f.Id).ToListAsync(ct))
            .ToLookup(f => f.MessageId);
        return [.. shaped.Select(m => files.Contains(m.Id) ? m with { Files = [.. files[m.Id].Select(Dto)] } : m)];
    }

    public static FileDto Dto(TalkFile f) =>
        new(f.Id, f.Name, f.ContentType, f.Size, TalkFileTypes.Kinds.FirstOrDefault(k => k.ContentType == f.ContentType)?.Label ?? "?",
            $"/api/v1/talk/files/{f.Id.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A refusal's sentence with its limit or file name filled in.</summary>
    public static string Describe(Error e)
    {
        var text = Text.Error(e.Code);
        if (e.Details is { } d)
        {
            text = text.Replace("{limit}", d.GetValueOrDefault("limit")?.ToString() ?? "", StringComparison.Ordinal)
                .Replace("{name}", d.GetValueOrDefault("name")?.ToString() ?? "", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The EF configuration (migration 0021).</summary>
    public static void Configure(ModelBuilder builder) =>
        builder.Entity<TalkFile>(f =>
        {
            f.ToTable("TalkFiles");
            f.Property(x => x.UploaderId).HasMaxLength(450);
            f.Property(x => x.Name).HasMaxLength(255);
            f.Property(x => x.ContentType).HasMaxLength(100);
            f.Property(x => x.Sha256).HasMaxLength(64);
            f.Property(x => x.StorageKey).HasMaxLength(64);
            f.HasIndex(x => x.MessageId);
            f.HasIndex(x => x.ChannelId);
            f.HasIndex(x => x.StorageKey).IsUnique();
            f.HasOne<TalkChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
            f.HasOne<TalkMessage>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            f.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UploaderId).OnDelete(DeleteBehavior.Restrict);
        });
}
