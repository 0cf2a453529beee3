using Mig.Migration;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Kills the tool process for real (Process.Kill of the whole tree) while it is
/// stopped at a fault point inside the copy, the drain and the cutover
/// (docs/hot-migration.md, What is guaranteed: resumable after any crash), then checks that MigStatus explains the state,
/// that the recovery the status names reaches the right end state, that the old
/// file's data is exactly what the writers wrote, and that the operation lock
/// refused a second operation while the tool lived and was free once it died.
/// </summary>
[TestClass]
public sealed class FaultTests
{
    [TestMethod]
    // After the first chunk, and at the end of the copy's transaction: indexes, seeds and
    // the key check run inside it, so a kill after them still leaves no cutoff.
    [DataRow(FaultPoint.Copy)]
    [DataRow(FaultPoint.CopyCommit)]
    // Not cooperative on purpose: a test stuck in a blocked SQLite call or on a paused
// tool cannot observe a token; this makes it fail after 5 minutes instead of
// holding CI to its time limit (seen once on a heavily loaded machine).
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void KillDuringCopyLeavesCopyIncompleteAndResetThenMigrateRecovers(string faultPoint)
    {
        using var pair = HotPair.Create();
        var rng = new Random(101);
        var seeded = new HotData();
        pair.Seed(seeded, "m", 60, 3, rng);
        using var db = new MigDatabase(pair.OldPath);
        using var service = new MigWriter("m", new Random(102), db);
        using var other = new RawWriter("r", new Random(103), pair.OldPath);
        service.Own(seeded);
        Steps(rng, 10, service, other);
        var schemaBefore = SchemaObjects(pair.OldPath);

        using (var tool = HotTool.Start(pair.ToolArguments("migrate"), faultPoint))
        {
            tool.WaitForPause(faultPoint);
            // The copy holds its snapshot of the old file open, and blocks no writer (rule 2).
            Steps(rng, 5, service, other);
            AssertLockedBy(pair, tool, "MigMigrate");
            tool.Kill();
        }
        AssertLockFree(pair);

        var status = pair.Migrator().Status();
        Assert.AreEqual("copy-incomplete", status.Phase, string.Join("\n", status.Lines()));
        Assert.AreEqual(Protocol.Recording, status.OldMarker);
        Assert.IsNull(status.Cutoff, "the copy's transaction did not commit");
        Assert.AreEqual(0L, HotDb.Scalar(pair.NewPath, $"SELECT count(*) FROM {Protocol.AuditTable} WHERE operation = 'MigMigrate'"),
            "the audit entry commits with the copy, so a killed copy records none");
        StringAssert.Contains(status.Next, "MigReset");
        StringAssert.Contains(status.Next, "MigMigrate");
        AssertToolStatus(pair, "copy-incomplete", "MigReset");
        Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Drain(), "drain refuses a copy that did not finish");

        // The old service keeps writing; its data is exactly what the writers wrote.
        Steps(rng, 5, service, other);
        pair.AssertOldHolds(HotData.Union([service.Mine, other.Mine]), "after the kill in the copy");

        // The lock died with the process: reset runs. The old file is as before the migration.
        pair.Migrator().Reset();
        Assert.IsFalse(File.Exists(pair.NewPath));
        CollectionAssert.AreEqual(schemaBefore, SchemaObjects(pair.OldPath), "reset removes every trigger and table the migration added");
        Assert.AreEqual("none", pair.Migrator().Status().Phase);
        Steps(rng, 5, service, other);

        var migrate = HotTool.Run(pair.ToolArguments("migrate"));
        Assert.AreEqual(0, migrate.ExitCode, HotTool.Show(migrate));
        Steps(rng, 5, service, other);
        var drain = HotTool.Run(pair.ToolArguments("drain"));
        Assert.AreEqual(0, drain.ExitCode, HotTool.Show(drain));
        Assert.IsFalse(service.Step(1), "writes are refused after drain");
        Assert.IsFalse(other.Step(1), "writes of a second app are refused after drain");
        var cutover = HotTool.Run(pair.ToolArguments("cutover"));
        Assert.AreEqual(0, cutover.ExitCode, HotTool.Show(cutover));

        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
        var writers = HotData.Union([service.Mine, other.Mine]);
        pair.AssertOldHolds(writers, "after recovery");
        pair.AssertNewIsOldTransformed(writers, "after recovery");
    }

    [TestMethod]
    // Not cooperative on purpose: a test stuck in a blocked SQLite call or on a paused
// tool cannot observe a token; this makes it fail after 5 minutes instead of
// holding CI to its time limit (seen once on a heavily loaded machine).
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void KillDuringDrainResumesFromTheCheckpoint()
    {
        using var pair = HotPair.Create();
        var rng = new Random(201);
        var seeded = new HotData();
        pair.Seed(seeded, "m", 100, 3, rng);
        using var db = new MigDatabase(pair.OldPath);
        using var service = new MigWriter("m", new Random(202), db);
        service.Own(seeded);
        Steps(rng, 10, service);

        var migrate = HotTool.Run(pair.ToolArguments("migrate"));
        Assert.AreEqual(0, migrate.ExitCode, HotTool.Show(migrate));
        // Enough captured writes for several replay batches (2000 entries each), and one
        // transaction larger than a batch: replay reads rows from the old file, so a batch may
        // end inside it and still converge.
        service.History = [];
        for (var i = 0; i < 60; i++) Assert.IsTrue(service.Step(rng.Next(20, 40)));
        Assert.IsTrue(service.BigInsert(2500));
        for (var i = 0; i < 60; i++) Assert.IsTrue(service.Step(rng.Next(20, 40)));
        var cutoff = long.Parse(HotDb.Info(pair.NewPath, "cutoff")!, System.Globalization.CultureInfo.InvariantCulture);
        using var newService = new MigDatabase(pair.NewPath);
        // MigDrain catches up without pausing until a short tail is left, so a long replay with writes
        // paused comes from a transaction in flight at the pause: caught up first, then one large
        // transaction holds the write lock while MigDrain waits to pause, and commits while it waits.
        var catchUp = HotTool.Run(pair.ToolArguments("catch-up"));
        Assert.AreEqual(0, catchUp.ExitCode, HotTool.Show(catchUp));
        var caughtUp = long.Parse(HotDb.Info(pair.NewPath, "checkpoint")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsGreaterThan(3 * 2000, caughtUp - cutoff, $"{caughtUp - cutoff} captured writes are too few for several batches");
        var held = new HotData();
        var inFlight = HotDb.OpenReadWrite(pair.OldPath);
        var txn = inFlight.BeginTransaction(deferred: false);
        var exec = new RawExec(inFlight, txn);
        exec.Execute("INSERT INTO author(name, score) VALUES ('in flight', 1)");
        var heldAuthor = exec.LastId();
        held.Authors[heldAuthor] = new AuthorData("in flight", 1);
        for (var b = 0; b < 3 * 2000; b++)
        {
            exec.Execute("INSERT INTO book(author_id, title, pages, cover) VALUES (@p0, @p1, @p2, NULL)", heldAuthor, "held " + b, (long)b);
            held.Books[exec.LastId()] = new BookData(heldAuthor, "held " + b, (long)b, null);
        }
        long last;
        using (var tool = HotTool.Start(pair.ToolArguments("drain"), FaultPoint.Drain))
        {
            tool.WaitForLine("pausing writes on");
            Thread.Sleep(TimeSpan.FromSeconds(1)); // MigDrain is waiting for the write lock to pause (10 s at most)
            txn.Commit();
            txn.Dispose();
            inFlight.Dispose();
            last = HotDb.Scalar(pair.OldPath, $"SELECT max(id) FROM {Protocol.LogTable}");
            tool.WaitForPause(FaultPoint.Drain);
            AssertLockedBy(pair, tool, "MigDrain");
            Assert.IsFalse(service.Step(2), "the old file refuses writes while draining");
            var authors = db.ReadAsync(t => Task.FromResult(Count(t, "author"))).GetAwaiter().GetResult();
            Assert.AreEqual(service.Mine.Authors.Count + 1, authors, "the old file still serves reads");
            tool.Kill();
        }
        AssertLockFree(pair);

        var status = pair.Migrator().Status();
        var lines = string.Join("\n", status.Lines());
        Assert.AreEqual("draining", status.Phase, lines);
        StringAssert.Contains(status.Next, "MigDrain");
        AssertToolStatus(pair, "draining", "MigDrain");
        var checkpoint = status.Checkpoint!.Value;
        Assert.IsGreaterThan(cutoff, checkpoint, $"a replay batch committed before the kill: checkpoint {checkpoint}, cutoff {cutoff}");
        Assert.IsLessThan(last, checkpoint, $"the kill came before the end of the log: checkpoint {checkpoint}, last {last}");
        Assert.AreEqual(last - checkpoint, status.Pending, lines);
        Assert.IsFalse(service.Step(2), "the old file still refuses writes after the kill");


        var drain = HotTool.Run(pair.ToolArguments("drain"));
        Assert.AreEqual(0, drain.ExitCode, HotTool.Show(drain));
        StringAssert.Contains(drain.Output, "Drain complete");
        StringAssert.Contains(drain.Output, $"replayed {last - checkpoint}/{last - checkpoint} captured writes", "the second drain starts at the checkpoint");
        status = pair.Migrator().Status();
        Assert.AreEqual("drained", status.Phase, string.Join("\n", status.Lines()));
        Assert.AreEqual(last, status.Checkpoint);
        var verify = pair.Migrator().Verify();
        Assert.IsTrue(verify.Ok, string.Join("; ", verify.Problems()));
        var cutover = HotTool.Run(pair.ToolArguments("cutover"));
        Assert.AreEqual(0, cutover.ExitCode, HotTool.Show(cutover));

        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
        var ledger = HotData.Union([service.Mine, held]);
        pair.AssertOldHolds(ledger, "after the resumed drain");
        pair.AssertNewIsOldTransformed(ledger, "after the resumed drain");
        var served = newService.ReadAsync(t => Task.FromResult(Count(t, "author"))).GetAwaiter().GetResult();
        Assert.AreEqual(ledger.Authors.Count, served);
    }

    [TestMethod]
    // Not cooperative on purpose: a test stuck in a blocked SQLite call or on a paused
// tool cannot observe a token; this makes it fail after 5 minutes instead of
// holding CI to its time limit (seen once on a heavily loaded machine).
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void KillDuringCutoverCommitsNothingAndCutoverAgainSucceeds()
    {
        using var pair = HotPair.Create();
        var rng = new Random(301);
        var seeded = new HotData();
        pair.Seed(seeded, "m", 40, 2, rng);
        using var db = new MigDatabase(pair.OldPath);
        using var service = new MigWriter("m", new Random(302), db);
        using var other = new RawWriter("r", new Random(303), pair.OldPath);
        service.Own(seeded);
        Steps(rng, 10, service, other);
        var migrate = HotTool.Run(pair.ToolArguments("migrate"));
        Assert.AreEqual(0, migrate.ExitCode, HotTool.Show(migrate));
        Steps(rng, 20, service, other);
        using var newService = new MigDatabase(pair.NewPath);
        var drain = HotTool.Run(pair.ToolArguments("drain"));
        Assert.AreEqual(0, drain.ExitCode, HotTool.Show(drain));

        using (var tool = HotTool.Start(pair.ToolArguments("cutover"), FaultPoint.Cutover))
        {
            tool.WaitForPause(FaultPoint.Cutover);
            AssertLockedBy(pair, tool, "MigCutover");
            Assert.ThrowsExactly<MigDatabaseNotReadyException>(() => newService.ReadAsync(t => Task.FromResult(Count(t, "author"))).GetAwaiter().GetResult(),
                "the uncommitted cutover serves nothing yet");
            tool.Kill();
        }
        AssertLockFree(pair);

        var status = pair.Migrator().Status();
        Assert.AreEqual("drained", status.Phase, string.Join("\n", status.Lines()));
        Assert.AreEqual(Protocol.Migrating, status.NewStatus, "the killed cutover's transaction did not commit");
        StringAssert.Contains(status.Next, "MigCutover");
        AssertToolStatus(pair, "drained", "MigCutover");
        Assert.ThrowsExactly<MigDatabaseNotReadyException>(() => newService.ReadAsync(t => Task.FromResult(Count(t, "author"))).GetAwaiter().GetResult());
        Assert.IsFalse(service.Step(1));
        Assert.IsFalse(other.Step(1));
        pair.AssertOldHolds(HotData.Union([service.Mine, other.Mine]), "after the kill in the cutover");

        var cutover = HotTool.Run(pair.ToolArguments("cutover"));
        Assert.AreEqual(0, cutover.ExitCode, HotTool.Show(cutover));
        status = pair.Migrator().Status();
        Assert.AreEqual("cut-over", status.Phase, string.Join("\n", status.Lines()));
        Assert.AreEqual(Protocol.Ready, status.NewStatus);
        var writers = HotData.Union([service.Mine, other.Mine]);
        pair.AssertOldHolds(writers, "after the second cutover");
        pair.AssertNewIsOldTransformed(writers, "after the second cutover");
        var served = newService.ReadAsync(t => Task.FromResult(Count(t, "author"))).GetAwaiter().GetResult();
        Assert.AreEqual(writers.Authors.Count, served, "the same MigDatabase serves after cutover, no restart");
    }

    /// <summary>Each writer in turn commits <paramref name="transactions"/> transactions of a few random writes.</summary>
    private static void Steps(Random rng, int transactions, params HotWriter[] writers)
    {
        for (var i = 0; i < transactions; i++)
            foreach (var w in writers)
                Assert.IsTrue(w.Step(rng.Next(1, 5)), $"{w.Tag}: a write was refused while writes are allowed");
    }

    /// <summary>While the tool is alive, a second operation, in this process or another, is refused with MIG0041 naming the holder.</summary>
    private static void AssertLockedBy(HotPair pair, HotTool tool, string operation)
    {
        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Verify());
        Assert.AreEqual(MigCode.OperationLocked, e.Code, e.Message);
        StringAssert.Contains(e.Message, $"{operation}, pid {tool.Id}");
        var second = HotTool.Run(pair.ToolArguments("verify"));
        Assert.AreEqual(1, second.ExitCode, HotTool.Show(second));
        StringAssert.Contains(second.Output, MigCode.OperationLocked);
    }

    /// <summary>The killed tool's lock went with it: the operating system released the handle.</summary>
    private static void AssertLockFree(HotPair pair)
    {
        using var held = OperationLock.Acquire(pair.OldPath, "test");
        Assert.IsNotNull(held);
    }

    private static void AssertToolStatus(HotPair pair, string phase, string nextMentions)
    {
        var run = HotTool.Run(pair.ToolArguments("status"));
        Assert.AreEqual(0, run.ExitCode, HotTool.Show(run));
        StringAssert.Contains(run.Output, "Mig status: " + phase, HotTool.Show(run));
        var next = run.Output.Split('\n').Single(l => l.TrimStart().StartsWith("next:", StringComparison.Ordinal));
        StringAssert.Contains(next, nextMentions);
    }

    private static List<string> SchemaObjects(string path)
    {
        using var c = HotDb.OpenReadOnly(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name";
        using var r = cmd.ExecuteReader();
        var objects = new List<string>();
        while (r.Read()) objects.Add(r.GetString(0));
        return objects;
    }

    private static long Count(MigTransaction t, string table)
    {
        using var cmd = t.Connection.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }
}
