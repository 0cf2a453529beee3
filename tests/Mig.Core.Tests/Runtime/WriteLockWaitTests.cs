using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Runtime;

/// <summary>
/// Waiting for SQLite's write lock while another process holds it: the wait is cancellable,
/// blocks no thread, is bounded by <see cref="MigDatabaseOptions.BusyTimeout"/>, and leaves
/// nothing open behind it.
/// </summary>
[TestClass]
public sealed class WriteLockWaitTests
{
    [TestMethod]
    public async Task AWriteWaitingForAnotherProcessesLockEndsWhenItsTokenFiresAndLeavesNothingOpen()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { BusyTimeout = TimeSpan.FromSeconds(20), MaxConnections = 1 });
        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "before")); // the pool is warm: its one connection is reused below
        using var other = Sqlite3Holder.Hold(file.Path, "BEGIN IMMEDIATE;");

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        var write = db.WriteAsync(t => RuntimeFile.InsertAsync(t, "cancelled"), cts.Token);
        var returned = clock.Elapsed;
        await Assert.ThrowsAsync<OperationCanceledException>(() => write);
        var ended = clock.Elapsed;

        Assert.IsLessThan(TimeSpan.FromSeconds(2), returned, "WriteAsync blocked its caller while waiting for the lock");
        Assert.IsLessThan(TimeSpan.FromSeconds(5), ended, "the cancelled wait went on after its token fired (a stuck one takes the 20 s busy timeout)");
        other.Run("COMMIT;");
        using (var c = file.Open())
        {
            // busy_timeout 0: fails at once if the cancelled call left a transaction (and its lock) open.
            RuntimeFile.Execute(c, "BEGIN IMMEDIATE");
            RuntimeFile.Execute(c, "ROLLBACK");
        }
        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "after")); // the one pooled connection came back
        Assert.AreEqual(2L, file.Count());
    }

    [TestMethod]
    public async Task ManyWritersWaitingForTheLockHoldNoThreadAndAllEndWhenCancelled()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { BusyTimeout = TimeSpan.FromSeconds(20) });
        await db.ReadAsync(t => Task.FromResult(0));
        using var other = Sqlite3Holder.Hold(file.Path, "BEGIN IMMEDIATE;");

        using var cts = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var writes = new List<Task>();
        // All started from this one thread: a call that blocked its caller would take the whole busy timeout here.
        for (var i = 0; i < 64; i++)
        {
            writes.Add(db.WriteAsync(t => RuntimeFile.InsertAsync(t, "never"), cts.Token));
            Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed, $"starting {i + 1} waiting writes took {clock.Elapsed.TotalSeconds:F1} s: the caller is blocked");
        }
        await Task.Delay(200);
        Assert.IsTrue(writes.All(w => !w.IsCompleted), "every write is still waiting for the lock");
        clock.Restart();
        cts.Cancel();
        foreach (var w in writes) await Assert.ThrowsAsync<OperationCanceledException>(() => w);
        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed, "the waits did not end promptly on cancellation");

        other.Run("COMMIT;");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => db.WriteAsync(t => RuntimeFile.InsertAsync(t, $"after {i}"))));
        Assert.AreEqual(8L, file.Count());
    }

    [TestMethod]
    public async Task AWriteThatNeverGetsTheLockFailsWithBusyAfterTheBusyTimeout()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { BusyTimeout = TimeSpan.FromMilliseconds(500) });
        using var other = Sqlite3Holder.Hold(file.Path, "BEGIN IMMEDIATE;");
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsExactlyAsync<SqliteException>(() => db.WriteAsync(t => RuntimeFile.InsertAsync(t, "blocked")));
        Assert.AreEqual(5, e.SqliteErrorCode, "SQLITE_BUSY: " + e.Message);
        StringAssert.Contains(e.Message, "BusyTimeout");
        // Sub-second timeouts are honoured: the wait no longer counts in Microsoft.Data.Sqlite's whole seconds.
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450), clock.Elapsed);
        Assert.IsLessThan(TimeSpan.FromSeconds(10), clock.Elapsed, "bounded by BusyTimeout, not by the 30 s of Microsoft.Data.Sqlite's retries");
        other.Run("ROLLBACK;");
        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "after"));
        Assert.AreEqual(1L, file.Count());
    }

    [TestMethod]
    public async Task AWriterWaitingBehindAnotherWriterOfTheSameDatabaseIsCancellable()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { BusyTimeout = TimeSpan.FromSeconds(20) });
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = db.WriteAsync(async t =>
        {
            await RuntimeFile.InsertAsync(t, "first");
            holding.SetResult();
            await release.Task;
        });
        await holding.Task;

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<OperationCanceledException>(() => db.WriteAsync(t => RuntimeFile.InsertAsync(t, "cancelled"), cts.Token));
        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed);

        release.SetResult();
        await first;
        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "second"));
        Assert.AreEqual(2L, file.Count());
    }
}
