using System.Globalization;
using System.IO.Compression;
using Dokodemo.Data;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Talk;

/// <summary>Retention: a disposed message leaves the search index with its text (in the disposal's transaction).</summary>
public sealed class TalkSearchDisposal : ITalkDisposalStep
{
    public string Name => "search";

    public async Task<int> DisposeAsync(AppDbContext db, IReadOnlyList<long> messageIds, CancellationToken ct)
    {
        await TalkSearchIndex.RemoveManyAsync(db, messageIds, ct);
        return messageIds.Count;
    }
}

/// <summary>
/// Retention: a disposed message's files go with its text — their rows in the disposal's transaction, their bytes from the
/// store once that transaction has committed (<see cref="ITalkDisposalStep"/> runs inside it; a file whose row is gone is
/// unreachable either way).
/// </summary>
public sealed class TalkFilesDisposal(IFileStore store, ILogger<TalkFilesDisposal> log) : ITalkDisposalStep
{
    public string Name => "files";

    public async Task<int> DisposeAsync(AppDbContext db, IReadOnlyList<long> messageIds, CancellationToken ct)
    {
        var files = await db.TalkFiles.Where(f => messageIds.Contains(f.MessageId)).ToListAsync(ct);
        if (files.Count == 0)
        {
            return 0;
        }

        db.TalkFiles.RemoveRange(files);
        await db.SaveChangesAsync(ct);
        pending.AddRange(files.Select(f => f.StorageKey));
        return files.Count;
    }

    private readonly List<string> pending = [];

    /// <summary>After the disposal's commit: the bytes of the files whose rows went.</summary>
    public async Task CommittedAsync(CancellationToken ct)
    {
        foreach (var key in pending)
        {
            try
            {
                await store.DeleteAsync(key, ct);
            }
            catch (IOException ex)
            {
                log.LogWarning(ex, "A disposed file's bytes could not be removed; the row is gone, so the file is unreachable.");
            }
        }

        pending.Clear();
    }
}

/// <summary>The records export lists each message's files and puts their bytes under <c>files/&lt;message id&gt;/</c>.</summary>
public sealed class TalkFilesExport(AppDbContext db, IFileStore store) : ITalkExportPart
{
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> NamesAsync(int channelId, IReadOnlyList<long> messageIds, CancellationToken ct) =>
        (await db.TalkFiles.AsNoTracking().Where(f => f.ChannelId == channelId && messageIds.Contains(f.MessageId)).OrderBy(f => f.Id)
            .Select(f => new { f.MessageId, f.Name }).ToListAsync(ct))
        .GroupBy(f => f.MessageId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(f => f.Name)]);

    public async Task WriteAsync(ZipArchive zip, int channelId, IReadOnlyList<long> messageIds, CancellationToken ct)
    {
        var files = await db.TalkFiles.AsNoTracking().Where(f => f.ChannelId == channelId && messageIds.Contains(f.MessageId)).OrderBy(f => f.Id).ToListAsync(ct);
        foreach (var f in files)
        {
            await using var source = store.Open(f.StorageKey);
            if (source is null)
            {
                continue;
            }

            var entry = zip.CreateEntry(string.Create(CultureInfo.InvariantCulture, $"files/{f.MessageId}/{f.Id}-{f.Name}"), CompressionLevel.Optimal);
            await using var target = await entry.OpenAsync(ct);
            await source.CopyToAsync(target, ct);
        }
    }
}
