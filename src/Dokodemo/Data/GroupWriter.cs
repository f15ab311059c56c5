using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Data;

/// <summary>
/// One writer per process for a hot insert path (P6 desk bookings, P4 Talk messages): the writes that arrive while a
/// transaction is being written wait and then go together in the next one, each inside its own savepoint. So a write the
/// database refuses (a unique key: the desk is taken) is rolled back alone and its caller gets the database's exception,
/// while the others in the same transaction commit. One transaction and one commit serve many writes, and on SQLite the
/// writers no longer queue on the file's write lock one by one (sleeping on SQLITE_BUSY).
/// <para>
/// There is no background service: the first write that finds no drain running starts one, and the drain ends when the
/// queue is empty. So the writer works the same in the web host, the CLI and tests. The statements are plain ADO.NET on the
/// connection of an <see cref="AppDbContext"/> (its interceptors, e.g. SQLite's pragmas, still run when it opens).
/// </para>
/// </summary>
public abstract class GroupWriter<TWrite>(IServiceScopeFactory scopes, ILogger log)
{
    /// <summary>At most this many writes share one transaction.</summary>
    public int MaxBatch { get; init; } = 256;

    private readonly ConcurrentQueue<Pending> queue = new();
    private readonly string name = typeof(TWrite).Name;
    private int draining;
    private long transactions;
    private long writes;

    /// <summary>Transactions written so far and the writes they held (for the benchmark's report).</summary>
    public (long Transactions, long Writes) Counts => (Interlocked.Read(ref transactions), Interlocked.Read(ref writes));

    /// <summary>
    /// Writes <paramref name="write"/> in the next group transaction. Completes when that transaction has committed, or
    /// faults with the database's exception when this write was refused (the rest of the group is not affected) or the
    /// transaction failed. Not cancellable once queued: a write either happens or is reported.
    /// </summary>
    public Task WriteAsync(TWrite write)
    {
        var pending = new Pending(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), Stopwatch.GetTimestamp());
        queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync);
        }

        return pending.Done.Task;
    }

    /// <summary>
    /// The SQL of one write, for writers of one statement (or a fixed list). It runs on the batch's connection and
    /// transaction with the parameters <see cref="Bind"/> adds. Writers of several statements (one needing another's
    /// result) override <see cref="ExecuteAsync"/> instead.
    /// </summary>
    protected virtual string Sql(bool postgres, TWrite write) =>
        throw new NotSupportedException("A group writer overrides Sql and Bind, or ExecuteAsync.");

    /// <summary>Adds the parameters of <see cref="Sql"/> for <paramref name="write"/>.</summary>
    protected virtual void Bind(DbCommand command, bool postgres, TWrite write) =>
        throw new NotSupportedException("A group writer overrides Sql and Bind, or ExecuteAsync.");

    /// <summary>
    /// Writes one write in the batch's transaction, inside a savepoint named <c>w</c> when <paramref name="savepoint"/>
    /// (the base rolls back to it when this throws a <see cref="DbException"/>). The default runs <see cref="Sql"/>
    /// with the savepoint in the same command text (one round trip).
    /// </summary>
    protected virtual async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, bool postgres, TWrite write, bool savepoint)
    {
        var sql = Sql(postgres, write);
        var command = Prepared(savepoint ? "SAVEPOINT w;\n" + sql + ";\nRELEASE SAVEPOINT w" : sql);
        Bind(command, postgres, write);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Writes the batch's writes in order in its transaction, each inside a savepoint named <c>w</c> when
    /// <paramref name="savepoints"/>. A write the database refuses gets its exception in <paramref name="refused"/> (at its
    /// index) after its savepoint is rolled back (<see cref="RollBackWriteAsync"/>); the others go on. Any other exception
    /// fails the whole transaction. The default calls <see cref="ExecuteAsync"/> for each write, one after the other; a
    /// writer may instead send them together (the PostgreSQL Talk writer: one round trip for the batch).
    /// </summary>
    protected virtual async Task ExecuteAllAsync(
        DbConnection connection, DbTransaction transaction, bool postgres, IReadOnlyList<TWrite> writes, bool savepoints, Exception?[] refused)
    {
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                await ExecuteAsync(connection, transaction, postgres, writes[i], savepoints);
            }
            catch (DbException ex) when (savepoints)
            {
                refused[i] = ex;
                await RollBackWriteAsync();
            }
        }
    }

    /// <summary>Rolls back to the savepoint <c>w</c> of the write the database just refused, and releases it.</summary>
    protected Task RollBackWriteAsync() => RunAsync("ROLLBACK TO SAVEPOINT w;\nRELEASE SAVEPOINT w");

    /// <summary>
    /// The batch's command for <paramref name="sql"/>: one command per distinct SQL text and batch, kept until the batch
    /// ends. <see cref="Add"/> sets the values of its parameters again for each write (the same text always has the same
    /// parameters; the parameter objects are kept, which Npgsql needs for a command it has already parsed). Microsoft.Data.Sqlite prepares the statements of a command once and keeps them while
    /// its text stays the same, so the writes of a batch only bind new values (Npgsql prepares by itself: the connection
    /// string asks for automatic preparation). Only during <see cref="ExecuteAsync"/> and <see cref="BeginBatchAsync"/>.
    /// </summary>
    protected DbCommand Prepared(string sql)
    {
        var batch = current ?? throw new InvalidOperationException("A prepared command exists only while a batch is written.");
        if (batch.Commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = batch.Connection.CreateCommand();
        command.Transaction = batch.Transaction;
        command.CommandText = sql;
        batch.Commands[sql] = command;
        return command;
    }

    /// <summary>
    /// Runs first in each batch's transaction, which will hold <paramref name="count"/> writes (e.g. a lock the batch must
    /// hold to its commit, or ids taken for all of them at once). Nothing by default.
    /// </summary>
    protected virtual Task BeginBatchAsync(DbConnection connection, DbTransaction transaction, bool postgres, int count) => Task.CompletedTask;

    /// <summary>Runs after each batch's commit, before its callers are told (e.g. waking readers). Nothing by default.</summary>
    protected virtual void Committed()
    {
    }

    /// <summary>Runs <paramref name="sql"/> (no parameters) on the batch's connection and transaction.</summary>
    protected async Task RunAsync(string sql) => await Prepared(sql).ExecuteNonQueryAsync();

    private async Task DrainAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (true)
        {
            // Let the work already queued run first: on a busy node that is requests on their way here, which then join
            // this batch instead of waiting for the next transaction. Without it, P4 on one core wrote 1.05 writes per
            // transaction (each post its own commit and its own read by the live hub) and 938 posts/s; with it, about 15
            // writes per transaction and 1,300–1,550 posts/s.
            await Task.Yield();
            batch.Clear();
            while (batch.Count < MaxBatch && queue.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref draining, 0);
                // A write queued between the last TryDequeue and the line above found the drain still running: take it on.
                if (queue.IsEmpty || Interlocked.CompareExchange(ref draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var refused = new Exception?[batch.Count];
        var start = Stopwatch.GetTimestamp();
        var writer = new KeyValuePair<string, object?>("writer", name);
        if (WriterMetrics.Wait.Enabled)
        {
            foreach (var p in batch)
            {
                WriterMetrics.Wait.Record(Stopwatch.GetElapsedTime(p.Queued, start).TotalMilliseconds, writer);
            }
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var postgres = db.IsPostgres;
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var commands = new Batch(connection, transaction);
            current = commands;
            // One write alone needs no savepoint: if it is refused, the whole transaction is rolled back.
            var savepoints = batch.Count > 1;
            var phase = start;
            WriterMetrics.Phase(WriterMetrics.Open, writer, ref phase);
            await BeginBatchAsync(connection, transaction, postgres, batch.Count);
            WriterMetrics.Phase(WriterMetrics.Begin, writer, ref phase);
            await ExecuteAllAsync(connection, transaction, postgres, batch.ConvertAll(p => p.Write), savepoints, refused);
            WriterMetrics.Phase(WriterMetrics.Write, writer, ref phase);
            current = null;

            await transaction.CommitAsync();
            WriterMetrics.Phase(WriterMetrics.Commit, writer, ref phase);
            WriterMetrics.Size.Record(batch.Count, writer);
            Committed();
            Interlocked.Increment(ref transactions);
            Interlocked.Add(ref writes, batch.Count);
        }
        catch (Exception ex)
        {
            current = null;
            // The transaction did not commit: none of the group's writes happened. Each caller gets the failure.
            if (batch.Count > 1)
            {
                log.LogError(ex, "A group transaction of {Count} writes failed; none was written.", batch.Count);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                refused[i] = ex;
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (refused[i] is { } failure)
            {
                batch[i].Done.SetException(failure);
            }
            else
            {
                batch[i].Done.SetResult();
            }
        }
    }

    /// <summary>Sets the parameter <paramref name="name"/> (<see cref="DbCommands.Set"/>).</summary>
    protected static void Add(DbCommand command, string name, object? value) => _ = DbCommands.Set(command, name, value);

    private sealed record Pending(TWrite Write, TaskCompletionSource Done, long Queued);

    /// <summary>The batch being written: its connection, transaction and commands (one drain at a time, so one field).</summary>
    private Batch? current;

    private sealed class Batch(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = connection;

        public DbTransaction Transaction { get; } = transaction;

        public Dictionary<string, DbCommand> Commands { get; } = new(StringComparer.Ordinal);

        public async ValueTask DisposeAsync()
        {
            foreach (var command in Commands.Values)
            {
                await command.DisposeAsync();
            }
        }
    }
}
