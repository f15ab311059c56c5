using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dokodemo.Live;

/// <summary>
/// Makes every save that carries staged live events keep the log's promise (ids visible in commit order) and wakes the
/// hub after the commit — whoever saves, however: <c>db.SaveChangesAsync</c> alone or inside the caller's transaction.
/// <list type="bullet">
/// <item>PostgreSQL: before the insert, <c>pg_advisory_xact_lock(<see cref="LockKey"/>)</c> in the saving transaction,
/// held to commit, so appenders take ids and commit one after another. Without a caller's transaction the save gets
/// one of its own (begun here, committed after the save), since a lock outside a transaction would end at once.</item>
/// <item>SQLite: writers are serialized by the database, so ids are in commit order already.</item>
/// </list>
/// Each event's <see cref="LiveEvent.CreatedAt"/> is stamped here from the app's clock.
/// </summary>
public sealed class LiveSaveInterceptor(LiveHub hub, TimeProvider clock) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>The advisory lock's key: "DOKOLIVE" in ASCII, unlikely to meet another use of advisory locks.</summary>
    public const long LockKey = 0x444F4B4F4C495645; // = 4922235721693615685, written out in LockSql

    /// <summary>Takes the ordering lock in the current transaction (PostgreSQL); writers that append without EF run it too.</summary>
    public const string LockSql = "SELECT pg_advisory_xact_lock(4922235721693615685)";

    private sealed class State
    {
        /// <summary>The save runs in a transaction begun here (PostgreSQL without a caller's transaction).</summary>
        public bool Own;

        /// <summary>The save runs in the caller's transaction: the hub is woken when that commits.</summary>
        public bool SignalOnCommit;
    }

    private readonly ConditionalWeakTable<DbContext, State> states = [];

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not { } db)
        {
            return result;
        }

        var staged = db.ChangeTracker.Entries<LiveEvent>().Where(e => e.State == EntityState.Added).ToList();
        if (staged.Count == 0)
        {
            return result;
        }

        var now = clock.GetUtcNow().ToUniversalTime();
        foreach (var e in staged)
        {
            e.Entity.CreatedAt = now;
        }

        var state = states.GetOrCreateValue(db);
        var callers = db.Database.CurrentTransaction is not null;
        if (db.Database.IsNpgsql())
        {
            if (!callers)
            {
                await db.Database.BeginTransactionAsync(cancellationToken);
                state.Own = true;
            }

            try
            {
                await db.Database.ExecuteSqlRawAsync(LockSql, cancellationToken);
            }
            catch
            {
                // SaveChanges fails before it starts: leave no transaction of ours behind on the (pooled) context.
                states.Remove(db);
                if (state.Own)
                {
                    await db.Database.RollbackTransactionAsync(CancellationToken.None);
                }

                throw;
            }
        }

        state.SignalOnCommit = callers;
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not { } db || !states.TryGetValue(db, out var state))
        {
            return result;
        }

        if (state.Own)
        {
            try
            {
                await db.Database.CommitTransactionAsync(cancellationToken);
            }
            finally
            {
                states.Remove(db);
            }

            hub.Signal();
        }
        else if (!state.SignalOnCommit)
        {
            states.Remove(db);
            hub.Signal();
        }

        // Inside the caller's transaction: the signal waits for its commit (TransactionCommitted below).
        return result;
    }

    public async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && states.TryGetValue(db, out var state) && !state.SignalOnCommit)
        {
            // Nothing was written; the caller's transaction (if any) decides for itself.
            states.Remove(db);
            if (state.Own)
            {
                await db.Database.RollbackTransactionAsync(CancellationToken.None);
            }
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        // Only the caller's transaction: the one SaveChanges begins itself commits before SavedChanges, which signals.
        if (eventData.Context is { } db && states.TryGetValue(db, out var state) && state.SignalOnCommit)
        {
            states.Remove(db);
            hub.Signal();
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && states.TryGetValue(db, out var state) && state.SignalOnCommit)
        {
            states.Remove(db);
        }
    }

    // The synchronous path: the app saves asynchronously; a synchronous save with live events would skip the lock.
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && db.ChangeTracker.Entries<LiveEvent>().Any(e => e.State == EntityState.Added))
        {
            throw new InvalidOperationException("Live events must be saved with SaveChangesAsync (the ordering lock is taken asynchronously).");
        }

        return result;
    }
}
