using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Runtime;

/// <summary>
/// A new service started early, on the file a migration is still building: status
/// 'migrating', rollback journal, the copy's connection holding its write lock for a long
/// time. The runtime must answer "not ready" at once and serve by itself after cutover.
/// </summary>
[TestClass]
public sealed class NotReadyFileTests
{
    // Far above what the runtime may take, far below the minutes the old constructor spun.
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5); // the status wait is 1 s; the rest is room for a loaded CI machine

    [TestMethod]
    [DataRow("BEGIN IMMEDIATE", DisplayName = "the copy has written (RESERVED lock): readers still see 'migrating'")]
    [DataRow("BEGIN EXCLUSIVE", DisplayName = "the copy has spilled its cache (EXCLUSIVE lock): the status cannot even be read")]
    public async Task AFileTheCopyHoldsIsNotReadyAtOnceAndServesAfterCutoverWithoutARestart(string begin)
    {
        using var file = RuntimeFile.Create(Protocol.Migrating, wal: false);
        using var copy = file.Open();
        RuntimeFile.Execute(copy, begin);
        RuntimeFile.Execute(copy, "INSERT INTO item(name) VALUES ('copied')");

        var clock = Stopwatch.StartNew();
        var opening = Task.Run(() => new MigDatabase(file.Path)); // the default 30 s busy timeout, as a service has it
        Assert.IsTrue(opening.Wait(TimeSpan.FromSeconds(10)), "the constructor is still blocked after 10 s");
        await using var db = await opening;
        Assert.IsLessThan(Quick, clock.Elapsed, "the constructor waited");

        for (var i = 0; i < 3; i++)
        {
            clock.Restart();
            var read = await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => WithDeadline(() => db.ReadAsync(t => Task.FromResult(0))));
            Assert.IsLessThan(Quick, clock.Elapsed, "a read waited");
            clock.Restart();
            await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => WithDeadline(() => db.WriteAsync(t => RuntimeFile.InsertAsync(t, "too early"))));
            Assert.IsLessThan(Quick, clock.Elapsed, "a write waited");
            Assert.AreEqual(file.Path, read.Database);
        }

        // Cutover: the copy commits and the file is marked ready.
        RuntimeFile.Execute(copy, $"UPDATE {Protocol.StatusTable} SET status = '{Protocol.Ready}' WHERE id = 0");
        RuntimeFile.Execute(copy, "COMMIT");
        copy.Close();

        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "served"));
        Assert.AreEqual(2L, await db.ReadAsync(t => Task.FromResult((long)RuntimeFile.Scalar(t.Connection, "SELECT count(*) FROM item")!)));
        Assert.AreEqual("wal", await db.ReadAsync(RuntimeFile.JournalModeAsync), "a ready file is served in WAL");
    }

    [TestMethod]
    public async Task AMigratingFileIsNeverSwitchedToWalByTheRuntime()
    {
        // The migration switches its new file itself (after the copy, or at cutover); a service
        // started early must not change the journal under the copy.
        using var file = RuntimeFile.Create(Protocol.Migrating, wal: false);
        await using var db = new MigDatabase(file.Path);
        var e = await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => WithDeadline(() => db.ReadAsync(t => Task.FromResult(0))));
        Assert.AreEqual(Protocol.Migrating, e.Status);
        await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => WithDeadline(() => db.WriteAsync(t => RuntimeFile.InsertAsync(t, "too early"))));
        Assert.AreEqual("delete", file.JournalMode());

        using (var c = file.Open())
            RuntimeFile.Execute(c, $"UPDATE {Protocol.StatusTable} SET status = '{Protocol.Ready}' WHERE id = 0");
        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "served"));
        Assert.AreEqual("wal", file.JournalMode(), "switched once it is ready");
        Assert.AreEqual(1L, file.Count());
    }

    [TestMethod]
    public async Task AFileLockedByAnotherProcessWhileItIsBuiltIsNotReady()
    {
        // The copy is another process (the MigMigrate tool): its lock is a real POSIX lock.
        using var file = RuntimeFile.Create(Protocol.Migrating, wal: false);
        using var copy = Sqlite3Holder.Hold(file.Path, "BEGIN EXCLUSIVE; INSERT INTO item(name) VALUES ('copied');");
        var clock = Stopwatch.StartNew();
        var opening = Task.Run(() => new MigDatabase(file.Path));
        Assert.IsTrue(opening.Wait(TimeSpan.FromSeconds(10)), "the constructor is still blocked after 10 s");
        await using var db = await opening;
        await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => WithDeadline(() => db.WriteAsync(t => RuntimeFile.InsertAsync(t, "too early"))));
        Assert.IsLessThan(2 * Quick, clock.Elapsed);

        copy.Run($"UPDATE {Protocol.StatusTable} SET status = '{Protocol.Ready}' WHERE id = 0; COMMIT;");
        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "served"));
        Assert.AreEqual(2L, file.Count());
    }

    /// <summary>Fails the test instead of hanging it when a call blocks (on another thread: a call may block its caller).</summary>
    private static async Task WithDeadline(Func<Task> call)
    {
        var running = Task.Run(call);
        if (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(10))) != running)
            Assert.Fail("the call is still waiting after 10 s");
        await running;
    }

    [TestMethod]
    public async Task ARetiredFileSaysItIsRetiredAndWhereToLook()
    {
        using var file = RuntimeFile.Create(Protocol.Retired, wal: true);
        await using var db = new MigDatabase(file.Path);
        var e = await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => db.ReadAsync(t => Task.FromResult(0)));
        Assert.AreEqual(Protocol.Retired, e.Status);
        StringAssert.Contains(e.Message, "retired");
        Assert.DoesNotContain("a migration is building it", e.Message, "a retired file is not being built");
    }

    [TestMethod]
    public async Task AFileWithoutTablesYetIsNotReadyAndStaysInItsJournalMode()
    {
        // The moment between a migration creating its new file and committing its schema.
        var dir = TestDatabase.NewDirectory();
        var path = System.IO.Path.Combine(dir, "new.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open(); // creates the file, empty
        }
        try
        {
            await using (var db = new MigDatabase(path))
            {
                var e = await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => db.WriteAsync(t => Task.CompletedTask));
                Assert.AreEqual(MigDatabaseNotReadyException.Empty, e.Status);
            }
            using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            check.Open();
            using var cmd = check.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode";
            Assert.AreEqual("delete", cmd.ExecuteScalar() as string, "the runtime did not switch an empty file to WAL");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
