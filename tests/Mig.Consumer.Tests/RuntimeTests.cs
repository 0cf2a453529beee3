using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mig;

namespace Consumer.Tests;

/// <summary>MigDatabase: transactions, the migration markers set by others while it runs, concurrency.</summary>
[TestClass]
public sealed class RuntimeTests
{
    private static Customer New(string email) => new(0, "N", email, Tier.Free, null);

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Another process changes the file: the sqlite3 shell, as an operator or a migration would.</summary>
    private static void Sqlite3(string file, string sql)
    {
        using var p = Process.Start(new ProcessStartInfo("sqlite3", [file, sql]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("cannot start sqlite3");
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, "sqlite3 failed: " + err);
    }

    [TestMethod]
    public async Task AnExceptionRollsTheWholeTransactionBackAndTheConnectionStaysUsable()
    {
        using var t = new TestDatabase();
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, New("a@x"));
            throw new InvalidOperationException("boom");
        }));
        Assert.IsEmpty((await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))));
        await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("b@x")));
        Assert.HasCount(1, (await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))));
    }

    [TestMethod]
    public async Task TheFileIsServedInWalWithForeignKeysOn()
    {
        using var t = new TestDatabase();
        var (mode, fk) = await t.Db.ReadAsync(txn =>
        {
            using var cmd = txn.Connection.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode";
            var m = (string)cmd.ExecuteScalar()!;
            cmd.CommandText = "PRAGMA foreign_keys";
            return Task.FromResult((m, (long)cmd.ExecuteScalar()!));
        });
        Assert.AreEqual("wal", mode);
        Assert.AreEqual(1L, fk);
    }

    [TestMethod]
    public async Task AMigratingFileRefusesEveryCallUntilAnotherProcessMarksItReady()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("a@x"))); // the pool is warm: no restart below
        Sqlite3(t.FilePath, "UPDATE _migration_status SET status = 'migrating'");
        await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn)));
        await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("b@x"))));
        Sqlite3(t.FilePath, "UPDATE _migration_status SET status = 'ready'");
        await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("c@x")));
        CollectionAssert.AreEqual(new[] { "a@x", "c@x" }, (await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))).Select(c => c.Email).Order().ToArray());
    }

    [TestMethod]
    public async Task ADrainingFileRefusesWritesButServesReads()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("a@x")));
        using (var raw = t.OpenRaw())
        {
            Exec(raw, Mig.Protocol.CreateMarkerTable);
            Exec(raw, "INSERT INTO _migration_marker(id, status) VALUES (0, 'draining')");
        }
        var e = await Assert.ThrowsExactlyAsync<MigWritesPausedException>(() => t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("b@x"))));
        StringAssert.Contains(e.Message, "paused");
        Assert.HasCount(1, (await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))));
    }

    [TestMethod]
    public async Task AGuardTriggerAbortIsReportedAsWritesPaused()
    {
        using var t = new TestDatabase();
        using (var raw = t.OpenRaw())
            Exec(raw, $"CREATE TRIGGER _mig_guard_customer BEFORE INSERT ON customer BEGIN SELECT RAISE(ABORT, '{Mig.Protocol.WritesPausedMessage}'); END");
        await Assert.ThrowsExactlyAsync<MigWritesPausedException>(() => t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("b@x"))));
        Assert.IsEmpty((await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))));
    }

    [TestMethod]
    public async Task WhileRecordingEachWriteTransactionGetsItsOwnTxnSeq()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("before@x"))); // markers first read without a marker table
        using var raw = t.OpenRaw();
        Exec(raw, Mig.Protocol.CreateMarkerTable);
        Exec(raw, "INSERT INTO _migration_marker(id, status) VALUES (0, 'recording')");
        await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, New("a@x"));
            await Customer.InsertAsync(txn, New("b@x"));
        });
        await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("c@x")));
        await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn));
        Assert.AreEqual(2L, Scalar(raw, "SELECT txn_seq FROM _migration_marker"), "two write transactions, one bump each; reads do not bump");
    }

    [TestMethod]
    public async Task ConcurrentWritersThroughTwoDatabasesAndARawConnectionLoseNothing()
    {
        using var t = new TestDatabase();
        await using var second = new MigDatabase(t.FilePath);
        const int PerWriter = 150;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var db = w % 2 == 0 ? t.Db : second;
            for (var i = 0; i < PerWriter; i++)
                await db.WriteAsync(txn => Customer.InsertAsync(txn, New($"w{w}-{i}@x")));
        })).ToList();
        writers.Add(Task.Run(() =>
        {
            using var raw = t.OpenRaw();
            Exec(raw, "PRAGMA busy_timeout = 5000");
            for (var i = 0; i < PerWriter; i++)
                Exec(raw, $"INSERT INTO customer(name, email, tier) VALUES ('raw', 'raw-{i}@x', 0)");
        }));
        await Task.WhenAll(writers);
        var all = await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn));
        Assert.HasCount(5 * PerWriter, all);
        Assert.AreEqual(5 * PerWriter, all.Select(c => c.Email).Distinct().Count());
    }

    [TestMethod]
    public async Task AWriteBlockedByAnotherWriterFailsAfterTheBusyTimeoutNotThirtySeconds()
    {
        using var t = new TestDatabase();
        using var holder = t.OpenRaw();
        Exec(holder, "BEGIN IMMEDIATE");
        await using var db = new MigDatabase(t.FilePath, new MigDatabaseOptions { BusyTimeout = TimeSpan.FromSeconds(1) });
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsExactlyAsync<SqliteException>(() => db.WriteAsync(txn => Customer.InsertAsync(txn, New("blocked@x"))));

        clock.Stop();
        Assert.AreEqual(5, e.SqliteErrorCode, "SQLITE_BUSY: " + e.Message);
        // Microsoft.Data.Sqlite retries busy statements until its command timeout (30 s by default);
        // the option must bound the whole wait, not only SQLite's own busy handler.
        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds, $"failed after {clock.Elapsed.TotalSeconds:F1} s");
        Exec(holder, "ROLLBACK");
        await db.WriteAsync(txn => Customer.InsertAsync(txn, New("after@x")));
        Assert.HasCount(1, await db.ReadAsync(txn => Customer.SelectAllAsync(txn)), "the pooled connection is usable again");
    }

    [TestMethod]
    public async Task OneTextIsOnePreparedCommandWhetherLiteralOrBuiltAtRunTime()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("a@x")));
        await t.Db.ReadAsync(txn =>
        {
            const string Literal = "SELECT count(*) FROM customer";
            var built = txn.Command(string.Concat("SELECT count(*) ", "FROM customer"));
            Assert.AreNotSame(Literal, string.Concat("SELECT count(*) ", "FROM customer"), "the test needs a second instance of the text");
            Assert.AreSame(built, txn.Command(string.Concat("SELECT count(*) ", "FROM customer")));
            Assert.AreSame(built, txn.Command(Literal));
            Assert.AreSame(built, txn.Command(Literal));
            Assert.AreEqual(1L, (long)built.ExecuteScalar()!);
            return Task.CompletedTask;
        });
    }

    [TestMethod]
    public void OpeningAMissingFileSaysHowToCreateIt()
    {
        var e = Assert.ThrowsExactly<System.IO.FileNotFoundException>(() => new MigDatabase("/nonexistent/dir/x.db"));
        StringAssert.Contains(e.Message, "MigInit");
    }
}
