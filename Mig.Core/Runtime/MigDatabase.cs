using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Mig;

/// <summary>
/// A SQLite database file that knows about migrations. Runs each callback in a
/// transaction on a pooled connection (WAL, foreign keys on, a busy timeout):
/// writes in <c>BEGIN IMMEDIATE</c> ... <c>COMMIT</c>, rolled back when the
/// callback throws. Obeys the migration markers (hot-migration.md): an old file
/// being drained refuses writes (<see cref="MigWritesPausedException"/>) but
/// serves reads; a new file still being built refuses everything
/// (<see cref="MigDatabaseNotReadyException"/>) until cutover marks it ready,
/// with no restart.
/// </summary>
public sealed class MigDatabase : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentBag<PooledConnection> idle = [];
    private readonly MigDatabaseOptions options;
    private int idleCount;
    private bool disposed;

    /// <summary>Opens (lazily) the database file at <paramref name="path"/>; the file must exist.</summary>
    public MigDatabase(string path, MigDatabaseOptions? options = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        this.options = options ?? new MigDatabaseOptions();
        if (!File.Exists(Path))
            throw new FileNotFoundException($"The database {Path} does not exist. Create it with `dotnet build -t:MigInit` or run a migration.", Path);
        EnsureWal();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Runs <paramref name="work"/> in a write transaction and commits it; rolls back if it throws.</summary>
    public Task<T> WriteAsync<T>(Func<MigTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        RunAsync(work, write: true, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a write transaction and commits it; rolls back if it throws.</summary>
    public Task WriteAsync(Func<MigTransaction, Task> work, CancellationToken cancellationToken = default) =>
        RunAsync(async t => { await work(t).ConfigureAwait(false); return true; }, write: true, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a read transaction (one consistent snapshot).</summary>
    public Task<T> ReadAsync<T>(Func<MigTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        RunAsync(work, write: false, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a read transaction (one consistent snapshot).</summary>
    public Task ReadAsync(Func<MigTransaction, Task> work, CancellationToken cancellationToken = default) =>
        RunAsync(async t => { await work(t).ConfigureAwait(false); return true; }, write: false, cancellationToken);

    private async Task<T> RunAsync<T>(Func<MigTransaction, Task<T>> work, bool write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var pooled = Rent();
        var keep = true;
        try
        {
            try { pooled.Begin(write); }
            catch (SqliteException e) when (IsWritesPaused(e)) { throw new MigWritesPausedException(Path, e); }
            MigTransaction txn;
            try
            {
                CheckMarkers(pooled, write);
                if (write && pooled.Marker == Protocol.Recording) pooled.BumpTxnSeq();
                txn = new MigTransaction(pooled, write);
            }
            catch
            {
                pooled.Rollback();
                throw;
            }
            try
            {
                var result = await work(txn).ConfigureAwait(false);
                pooled.Commit(write);
                return result;
            }
            catch (SqliteException e) when (IsWritesPaused(e))
            {
                pooled.Rollback();
                throw new MigWritesPausedException(Path, e);
            }
            catch
            {
                pooled.Rollback();
                throw;
            }
            finally
            {
                txn.Complete();
            }
        }
        catch (Exception e) when (e is not (MigWritesPausedException or MigDatabaseNotReadyException) && IsBroken(pooled))
        {
            keep = false;
            throw;
        }
        finally
        {
            if (keep) Return(pooled);
            else pooled.Dispose();
        }
    }

    private void CheckMarkers(PooledConnection pooled, bool write)
    {
        if (pooled.Status is { } status && status != Protocol.Ready)
            throw new MigDatabaseNotReadyException(Path, status);
        if (write && pooled.Marker == Protocol.Draining)
            throw new MigWritesPausedException(Path);
    }

    private static bool IsWritesPaused(SqliteException e) =>
        e.Message.Contains(Protocol.WritesPausedMessage, StringComparison.Ordinal);

    // A connection still inside a transaction after rollback was attempted is not safe to reuse.
    private static bool IsBroken(PooledConnection pooled)
    {
        try { return pooled.Connection.Handle is null || SQLitePCL.raw.sqlite3_get_autocommit(pooled.Connection.Handle) == 0; }
        catch (ObjectDisposedException) { return true; }
    }

    private PooledConnection Rent()
    {
        if (idle.TryTake(out var pooled))
        {
            Interlocked.Decrement(ref idleCount);
            return pooled;
        }
        return new PooledConnection(Path, options);
    }

    private void Return(PooledConnection pooled)
    {
        if (!disposed && Interlocked.Increment(ref idleCount) <= options.MaxIdleConnections)
        {
            idle.Add(pooled);
            return;
        }
        Interlocked.Decrement(ref idleCount);
        pooled.Dispose();
    }

    /// <summary>
    /// The file is served in WAL mode so readers never block the writer. Switching
    /// can fail at once with "database is locked" while another process writes
    /// (the busy timeout does not cover it), so it is retried briefly.
    /// </summary>
    private void EnsureWal()
    {
        var pooled = new PooledConnection(Path, options);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var cmd = pooled.Connection.CreateCommand();
                    cmd.CommandText = "PRAGMA journal_mode";
                    if (cmd.ExecuteScalar() as string == "wal") break;
                    cmd.CommandText = "PRAGMA journal_mode = WAL";
                    cmd.ExecuteNonQuery();
                    break;
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 5 /* SQLITE_BUSY */ && attempt < 50)
                {
                    Thread.Sleep(20);
                }
            }
        }
        catch
        {
            pooled.Dispose();
            throw;
        }
        Return(pooled);
    }

    /// <summary>Closes every pooled connection.</summary>
    public void Dispose()
    {
        disposed = true;
        while (idle.TryTake(out var pooled)) pooled.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
