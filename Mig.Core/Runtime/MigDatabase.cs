using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig;

/// <summary>
/// A SQLite database file that knows about migrations. Runs each callback in a
/// transaction on a pooled connection (WAL, foreign keys on): writes in
/// <c>BEGIN IMMEDIATE</c> ... <c>COMMIT</c>, rolled back when the callback throws.
/// Obeys the migration markers (docs/hot-migration.md): an old file being drained
/// refuses writes (<see cref="MigWritesPausedException"/>) but serves reads; a new
/// file still being built refuses everything (<see cref="MigDatabaseNotReadyException"/>)
/// until cutover marks it ready, with no restart. Waiting (for the write lock, a
/// free connection, the WAL switch) blocks no thread, obeys the call's token and
/// ends after <see cref="MigDatabaseOptions.BusyTimeout"/>.
/// </summary>
public sealed class MigDatabase : IAsyncDisposable, IDisposable
{
    // How long a call may wait to read the status of a file it has not served yet. A migration's
    // copy holds the new file's lock for minutes; a normal file's commit holds it for milliseconds.
    private static readonly TimeSpan StatusPatience = TimeSpan.FromSeconds(1);
    // Between tries of a lock another connection holds (SQLite's own busy handler sleeps 1 to 100 ms).
    private static readonly int[] BackoffMs = [1, 2, 5, 10, 15, 20, 25];

    private readonly ConcurrentBag<PooledConnection> idle = [];
    private readonly MigDatabaseOptions options;
    // Connections open at once (MaxConnections): a slot is taken before renting and released on return.
    private readonly SemaphoreSlim slots;
    // This instance's writers queue here, in order and without polling, rather than for SQLite's lock.
    private readonly SemaphoreSlim writers = new(1, 1);
    private int idleCount;
    private bool disposed;
    // The hot path: the status was last read as ready (or absent) and the file is in WAL mode.
    private volatile bool servable;
    // The last call found the file not ready: the next ones answer at once rather than wait again.
    private volatile bool notReady;
    // The old-file marker the last transaction saw (Marker); changes are told to the observer once.
    private string? marker;
    private readonly Lock markerLock = new();

    /// <summary>
    /// A database at <paramref name="path"/>; the file must exist. Nothing is opened here: the first
    /// call reads the file's status and switches a ready file to WAL, so a service started on a file
    /// a migration is still building starts at once and answers <see cref="MigDatabaseNotReadyException"/>.
    /// </summary>
    public MigDatabase(string path, MigDatabaseOptions? options = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        this.options = options ?? new MigDatabaseOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxConnections, 1, "options.MaxConnections");
        ArgumentOutOfRangeException.ThrowIfNegative(this.options.MaxIdleConnections, "options.MaxIdleConnections");
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.BusyTimeout, TimeSpan.Zero, "options.BusyTimeout");
        if (!File.Exists(Path))
            throw new FileNotFoundException($"The database {Path} does not exist. Create it with `dotnet build -t:MigInit` or run a migration.", Path);
        slots = new SemaphoreSlim(this.options.MaxConnections, this.options.MaxConnections);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// The migration marker of this (old) file as the last transaction found it: <c>null</c> when
    /// no migration touches it, <c>"recording"</c> while a migration captures its writes,
    /// <c>"draining"</c> while writes are refused (and after cutover). Read by transactions only:
    /// run one (a read is enough) for a current value.
    /// </summary>
    public string? Marker => Volatile.Read(ref marker);

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
        var observer = options.Observer;
        var started = observer is null ? 0 : Stopwatch.GetTimestamp();
        // When the first wait began (0: none yet): every wait of one call shares one BusyTimeout.
        // Taken only once something is busy, so an uncontended call reads no clock.
        long waitingSince = 0;
        if (write && !writers.Wait(0))
            waitingSince = await WaitAsync(writers, waitingSince, "another write transaction of this MigDatabase held the write lock", cancellationToken).ConfigureAwait(false);
        var slot = false;
        PooledConnection? pooled = null;
        var keep = true;
        try
        {
            if (!slots.Wait(0))
                waitingSince = await WaitAsync(slots, waitingSince, $"all {options.MaxConnections} connections (MigDatabaseOptions.MaxConnections) stayed in use", cancellationToken).ConfigureAwait(false);
            slot = true;
            pooled = Rent();
            if (!servable) waitingSince = await PrepareAsync(pooled, waitingSince, cancellationToken).ConfigureAwait(false);
            try
            {
                if (!pooled.TryBegin(write)) await WaitToBeginAsync(pooled, write, waitingSince, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (IsWritesPaused(e)) { throw new MigWritesPausedException(Path, e); }
            var txn = Open(pooled, write);
            try
            {
                var result = await work(txn).ConfigureAwait(false);
                pooled.Commit(write);
                observer?.TransactionEnded(this, write, Stopwatch.GetElapsedTime(started), null);
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
        catch (Exception e) when (Observed(observer, e, write, started) && pooled is not null && e is not (MigWritesPausedException or MigDatabaseNotReadyException) && IsBroken(pooled))
        {
            keep = false;
            throw;
        }
        finally
        {
            Release(pooled, keep, slot, write);
        }
    }

    /// <summary>The transaction just begun on <paramref name="pooled"/>, once the file's markers allow it; rolled back when they do not.</summary>
    private MigTransaction Open(PooledConnection pooled, bool write)
    {
        try
        {
            SeeMarker(pooled.Marker);
            CheckMarkers(pooled, write);
            if (write && pooled.Marker == Protocol.Recording) pooled.BumpTxnSeq();
            return new MigTransaction(pooled, write);
        }
        catch
        {
            pooled.Rollback();
            throw;
        }
    }

    /// <summary>Tells the observer, if any, of a failed call; always true (it runs in an exception filter and only looks).</summary>
    private bool Observed(MigDatabaseObserver? observer, Exception e, bool write, long started)
    {
        if (observer is null) return true;
        if (e is MigWritesPausedException paused) observer.WriteRefused(this, paused);
        else if (e is MigDatabaseNotReadyException notReadyError) observer.NotReady(this, notReadyError);
        observer.TransactionEnded(this, write, Stopwatch.GetElapsedTime(started), e);
        return true;
    }

    /// <summary>Records the marker a transaction found and tells the observer when it changed.</summary>
    private void SeeMarker(string? current)
    {
        if (current == Volatile.Read(ref marker)) return;
        string? previous;
        lock (markerLock)
        {
            previous = marker;
            if (previous == current) return;
            Volatile.Write(ref marker, current);
        }
        options.Observer?.MarkerChanged(this, previous, current);
    }

    /// <summary>Gives back what <see cref="RunAsync"/> took: the connection (or drops a broken one), its slot, the write lock.</summary>
    private void Release(PooledConnection? pooled, bool keep, bool slot, bool write)
    {
        if (pooled is not null)
        {
            if (keep) Return(pooled);
            else pooled.Dispose();
        }
        if (slot) slots.Release();
        if (write) writers.Release();
    }

    private void CheckMarkers(PooledConnection pooled, bool write)
    {
        if (pooled.Status is { } status && status != Protocol.Ready)
        {
            // Cutover never takes a file back, but an operator may: read the status again, with the short wait.
            servable = false;
            notReady = true;
            throw new MigDatabaseNotReadyException(Path, status);
        }
        if (write && pooled.Marker == Protocol.Draining)
            throw new MigWritesPausedException(Path);
    }

    /// <summary>
    /// The first call, and every call while the file is not ready: reads the status before anything
    /// else and switches a ready (or Mig-less) file to WAL. A migration's new file in rollback mode is
    /// locked by the copy's connection for as long as the copy runs; that is "not ready", not an error,
    /// and is known after a short wait (none when the last call found the file not ready). The
    /// migration switches its own file to WAL: the runtime never switches a file that is not ready.
    /// Leaves no transaction open.
    /// </summary>
    private async Task<long> PrepareAsync(PooledConnection pooled, long waitingSince, CancellationToken cancellationToken)
    {
        var probing = Stopwatch.GetTimestamp();
        var patience = notReady ? TimeSpan.Zero : (options.BusyTimeout < StatusPatience ? options.BusyTimeout : StatusPatience);
        for (var attempt = 0; !pooled.TryBegin(write: false); attempt++)
        {
            var left = patience - Stopwatch.GetElapsedTime(probing);
            if (left <= TimeSpan.Zero)
            {
                notReady = true;
                throw new MigDatabaseNotReadyException(Path, MigDatabaseNotReadyException.Locked);
            }
            await Task.Delay(Backoff(attempt, left), cancellationToken).ConfigureAwait(false);
        }
        string mode;
        try
        {
            CheckMarkers(pooled, write: false);
            // A migration creates its new file empty and commits schema and status a moment later:
            // a file without a single table has nothing to serve, and must not be switched to WAL under it.
            if (pooled.Status is null && IsEmpty(pooled))
            {
                notReady = true;
                throw new MigDatabaseNotReadyException(Path, MigDatabaseNotReadyException.Empty);
            }
            mode = pooled.JournalMode();
        }
        finally
        {
            pooled.Rollback();
        }
        if (mode != "wal")
        {
            if (waitingSince == 0) waitingSince = Stopwatch.GetTimestamp();
            for (var attempt = 0; !SqliteFile.TrySwitchToWal(pooled.Connection, out mode); attempt++)
                await Task.Delay(Backoff(attempt, Left(waitingSince, $"{Path} could not be switched to WAL: another connection kept a transaction open on it")), cancellationToken).ConfigureAwait(false);
            // A file that cannot be WAL (a VFS without shared memory) answers its old mode; it still serves.
        }
        notReady = false;
        servable = true;
        return waitingSince;
    }

    private static bool IsEmpty(PooledConnection pooled)
    {
        using var cmd = pooled.Connection.CreateCommand();
        cmd.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM sqlite_schema)";
        return (long)cmd.ExecuteScalar()! == 1;
    }

    /// <summary>Another connection holds the lock this transaction needs: try again between short delays until BusyTimeout.</summary>
    private async Task WaitToBeginAsync(PooledConnection pooled, bool write, long waitingSince, CancellationToken cancellationToken)
    {
        if (waitingSince == 0) waitingSince = Stopwatch.GetTimestamp();
        var what = write ? "another connection held the write lock" : "another connection held the file locked against readers";
        var attempt = 0;
        do await Task.Delay(Backoff(attempt++, Left(waitingSince, what)), cancellationToken).ConfigureAwait(false);
        while (!pooled.TryBegin(write));
    }

    private async Task<long> WaitAsync(SemaphoreSlim gate, long waitingSince, string what, CancellationToken cancellationToken)
    {
        if (waitingSince == 0) waitingSince = Stopwatch.GetTimestamp();
        if (!await gate.WaitAsync(Left(waitingSince, what), cancellationToken).ConfigureAwait(false))
            throw Busy(what);
        return waitingSince;
    }

    /// <summary>The time left of BusyTimeout, or the busy error when none is.</summary>
    private TimeSpan Left(long waitingSince, string what)
    {
        var left = options.BusyTimeout - Stopwatch.GetElapsedTime(waitingSince);
        return left > TimeSpan.Zero ? left : throw Busy(what);
    }

    private static TimeSpan Backoff(int attempt, TimeSpan left)
    {
        var step = TimeSpan.FromMilliseconds(BackoffMs[Math.Min(attempt, BackoffMs.Length - 1)]);
        return step < left ? step : left;
    }

    // SQLITE_BUSY, as a statement that waited out SQLite's busy timeout reports it, so one handler covers both.
    private SqliteException Busy(string what) =>
        new($"SQLite Error 5: 'database is locked': {what} for longer than MigDatabaseOptions.BusyTimeout ({options.BusyTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s) on {Path}.", 5, 5);

    private static bool IsWritesPaused(SqliteException e) =>
        e.Message.Contains(Protocol.WritesPausedMessage, StringComparison.Ordinal);

    // A connection still inside a transaction after rollback was attempted is not safe to reuse.
    private static bool IsBroken(PooledConnection pooled)
    {
        try { return pooled.Connection.Handle is null || SQLitePCL.raw.sqlite3_get_autocommit(pooled.Connection.Handle) == 0; }
        catch (ObjectDisposedException) { return true; }
    }

    // The caller holds a slot, so at most MaxConnections exist.
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
