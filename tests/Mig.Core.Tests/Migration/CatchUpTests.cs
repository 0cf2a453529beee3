#pragma warning disable MSTEST0045 // Timeout without cooperative cancellation: a stuck SQLite call or tool cannot observe a token
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Catch-up (docs/hot-migration.md): MigDrain replays without pausing until a short tail is left and
/// pauses only for that tail; MigCatchUp does the first part alone and trims the old file's log;
/// both commit their progress in batches, survive a kill and end with the new file equal to the old.
/// The writers are the old service (MigDatabase), a second app (a raw connection) and the sqlite3 shell.
/// </summary>
[TestClass]
public sealed class CatchUpTests
{
    private static readonly TimeSpan Breather = TimeSpan.FromMilliseconds(5);

    [TestMethod]
    [Timeout(300_000)]
    public void DrainCatchesUpWhileEveryKindOfWriterWritesThenPausesOnlyForTheTail()
    {
        using var pair = HotPair.Create();
        var (service, raw, shell, db) = Writers(pair, 401);
        using var _ = db;
        using var __ = raw;
        pair.Migrator().Migrate(offline: false, allowDataLoss: false);
        // A backlog of several catch-up passes, with transactions larger than a replay batch.
        for (var i = 0; i < 8; i++) Assert.IsTrue(service.BigInsert(3000));
        for (var i = 0; i < 50; i++) Assert.IsTrue(raw.Step(5));
        var backlog = Pending(pair);
        Assert.IsGreaterThan(24_000, backlog);

        var log = new List<string>();
        var writers = new IRandomWriter[] { service, raw, shell };
        int[]? commitsAtPause = null;
        var commitsAtStart = writers.Select(w => w.Commits).ToArray();
        using (var live = new LiveWriters(writers, Breather))
        {
            var waited = false;
            pair.Migrator(line =>
            {
                // The drain's first line comes before any pause: hold the drain there until every writer
                // (the sqlite3 shell is the slowest) has committed since the start, so "kept writing while
                // MigDrain caught up" does not depend on how fast this machine replays.
                if (!waited)
                {
                    waited = true;
                    SpinWait.SpinUntil(() => writers.Select((w, i) => w.Commits > commitsAtStart[i]).All(b => b), TimeSpan.FromSeconds(60));
                }
                if (line.Contains("is draining", StringComparison.Ordinal)) commitsAtPause = [.. writers.Select(w => w.Commits)];
                lock (log) log.Add(line);
            }).Drain();
            live.WaitUntilRefused(TimeSpan.FromSeconds(60));
        }

        var draining = log.FindIndex(l => l.Contains("is draining", StringComparison.Ordinal));
        var caughtUp = log.FindIndex(l => l.StartsWith("Mig: caught up ", StringComparison.Ordinal));
        Assert.IsTrue(caughtUp >= 0 && caughtUp < draining, "MigDrain caught up before it paused:\n" + string.Join("\n", log));
        Assert.IsNotNull(commitsAtPause);
        for (var w = 0; w < writers.Length; w++)
            Assert.IsGreaterThan(commitsAtStart[w], commitsAtPause[w], $"{writers[w].Tag} kept writing while MigDrain caught up:\n{string.Join("\n", log)}");
        var tail = TailPending(log, draining);
        Assert.IsLessThan(5_000, tail, $"the pause replays only the tail ({tail} of a {backlog}-entry backlog):\n{string.Join("\n", log)}");
        Assert.IsLessThan(5_000L, HotDb.Scalar(pair.OldPath, $"SELECT count(*) FROM {Protocol.LogTable}"), "the replayed entries left the old file's log");

        pair.Migrator().Cutover();
        var ledger = HotData.Union([service.Mine, raw.Mine, shell.Mine]);
        pair.AssertOldHolds(ledger, "old file vs the writers' ledgers");
        pair.AssertNewIsOldTransformed(ledger, "new file after catch-up, tail and cutover");
    }

    [TestMethod]
    [Timeout(300_000)]
    public void SwitchCatchesUpPausesAndCutsOverInOneToolProcessWhileEveryKindOfWriterWrites()
    {
        using var pair = HotPair.Create();
        var (service, raw, shell, db) = Writers(pair, 409);
        using var _ = db;
        using var __ = raw;
        pair.Migrator().Migrate(offline: false, allowDataLoss: false);
        for (var i = 0; i < 4; i++) Assert.IsTrue(service.BigInsert(3000));
        Assert.IsGreaterThan(12_000, Pending(pair));

        var writers = new IRandomWriter[] { service, raw, shell };
        (int ExitCode, string Output) run;
        using (var live = new LiveWriters(writers, Breather))
        {
            // What -t:MigSwitch runs: the tool process, drain and cutover with no second start-up between.
            run = HotTool.Run(pair.ToolArguments("switch"));
            live.WaitUntilRefused(TimeSpan.FromSeconds(60));
        }

        Assert.AreEqual(0, run.ExitCode, run.Output);
        var lines = run.Output.Split('\n');
        int At(string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.IsTrue(At("Mig: caught up ") >= 0 && At("Mig: caught up ") < At("is draining"), run.Output);
        Assert.IsTrue(At("is draining") < At("Drain complete. Cutting over (MigSwitch).") && At("Drain complete. Cutting over (MigSwitch).") < At("Mig: cut over."), run.Output);
        Assert.AreEqual(Protocol.Ready, HotDb.Status(pair.NewPath));
        var ledger = HotData.Union([service.Mine, raw.Mine, shell.Mine]);
        pair.AssertOldHolds(ledger, "old file vs the writers' ledgers");
        pair.AssertNewIsOldTransformed(ledger, "new file after MigSwitch");
    }

    [TestMethod]
    [Timeout(300_000)]
    public void CatchUpRepeatedKeepsTheBacklogSmallTrimsTheLogAndFeedsTheStatus()
    {
        using var pair = HotPair.Create();
        var (service, raw, shell, db) = Writers(pair, 501);
        using var _ = db;
        using var __ = raw;
        pair.Migrator().Migrate(offline: false, allowDataLoss: false);
        Assert.IsNull(pair.Migrator().Status().ReplayRate, "no catch-up measured a rate yet");
        var rng = new Random(502);
        for (var round = 0; round < 4; round++)
        {
            Assert.IsTrue(service.BigInsert(1500 + rng.Next(1000)));
            for (var i = 0; i < 20; i++) Assert.IsTrue(raw.Step(rng.Next(1, 6)) && shell.Step(1) && service.Step(rng.Next(1, 6)));
            var maxId = HotDb.Scalar(pair.OldPath, $"SELECT max(id) FROM {Protocol.LogTable}");
            if (round == 2)
            {
                // Through the tool, the way a scheduled job runs it.
                var run = HotTool.Run(pair.ToolArguments("catch-up"));
                Assert.AreEqual(0, run.ExitCode, HotTool.Show(run));
                StringAssert.Contains(run.Output, "Mig: caught up: replayed ");
                StringAssert.Contains(run.Output, "MigDrain would now pause writes for about ");
            }
            else
            {
                var result = pair.Migrator().CatchUp();
                Assert.AreEqual(0L, result.Pending, $"round {round}");
                Assert.IsFalse(result.FallingBehind);
                Assert.IsGreaterThan(0L, result.Trimmed);
            }
            Assert.AreEqual(0L, Pending(pair), $"round {round}: nothing pending after catch-up without writers");
            Assert.AreEqual(1L, HotDb.Scalar(pair.OldPath, $"SELECT count(*) FROM {Protocol.LogTable}"), $"round {round}: only the newest entry stays in the log (ids must keep growing)");
            Assert.AreEqual(maxId, HotDb.Scalar(pair.OldPath, $"SELECT max(id) FROM {Protocol.LogTable}"));
            var status = pair.Migrator().Status();
            Assert.AreEqual("recording", status.Phase);
            Assert.AreEqual(0L, status.Pending);
            Assert.IsGreaterThan(0.0, status.ReplayRate ?? 0);
            Assert.IsNotNull(status.EstimatedPauseSeconds);
            StringAssert.Contains(string.Join("\n", status.Lines()), "MigDrain would pause writes for about ");
            StringAssert.Contains(status.ToJson(), "\"estimatedPauseSeconds\"");
            // Caught up while recording, the new file already is the old one transformed.
            pair.AssertNewIsOldTransformed(null, $"after catch-up {round}");
        }
        // A catch-up while the writers write, then the new ids after a trimmed log still replay.
        using (var live = new LiveWriters([service, raw, shell], Breather))
        {
            Thread.Sleep(300);
            pair.Migrator().CatchUp();
            Thread.Sleep(300);
            live.Stop();
        }
        Assert.IsGreaterThan(0L, Pending(pair), "writes after the catch-up are pending");
        pair.Migrator().Drain();
        pair.Migrator().Cutover();
        var ledger = HotData.Union([service.Mine, raw.Mine, shell.Mine]);
        pair.AssertOldHolds(ledger, "old file");
        pair.AssertNewIsOldTransformed(ledger, "new file");
        var audit = pair.Migrator().Status().Audit;
        Assert.AreEqual(5, audit.Count(a => a.Operation == "MigCatchUp" && a.Result == "ok"), string.Join("\n", audit));
    }

    [TestMethod]
    [DataRow("catch-up")]
    [DataRow("drain")]
    [Timeout(300_000)]
    public void KillDuringCatchUpResumesFromItsProgressWithoutPausingWrites(string verb)
    {
        using var pair = HotPair.Create();
        var (service, raw, shell, db) = Writers(pair, 601);
        using var _ = db;
        using var __ = raw;
        var migrate = HotTool.Run(pair.ToolArguments("migrate"));
        Assert.AreEqual(0, migrate.ExitCode, HotTool.Show(migrate));
        for (var i = 0; i < 4; i++) Assert.IsTrue(service.BigInsert(2500));
        for (var i = 0; i < 30; i++) Assert.IsTrue(raw.Step(4) && shell.Step(1));
        var cutoff = long.Parse(HotDb.Info(pair.NewPath, "cutoff")!, CultureInfo.InvariantCulture);
        var last = HotDb.Scalar(pair.OldPath, $"SELECT max(id) FROM {Protocol.LogTable}");

        using (var tool = HotTool.Start(pair.ToolArguments(verb), FaultPoint.CatchUp))
        {
            tool.WaitForPause(FaultPoint.CatchUp);
            Assert.IsTrue(service.Step(3) && raw.Step(3) && shell.Step(1), "writes go on while catching up");
            tool.Kill();
        }
        var status = pair.Migrator().Status();
        Assert.AreEqual("recording", status.Phase, string.Join("\n", status.Lines()));
        Assert.IsGreaterThan(cutoff, status.Checkpoint!.Value, "a batch committed its progress before the kill");
        Assert.IsLessThan(last, status.Checkpoint!.Value, "the kill came before the end of the backlog");
        Assert.IsTrue(service.Step(3) && raw.Step(3) && shell.Step(1), "writes were never paused");

        var again = HotTool.Run(pair.ToolArguments(verb));
        Assert.AreEqual(0, again.ExitCode, HotTool.Show(again));
        if (verb == "catch-up")
        {
            Assert.AreEqual(0L, Pending(pair));
            var drain = HotTool.Run(pair.ToolArguments("drain"));
            Assert.AreEqual(0, drain.ExitCode, HotTool.Show(drain));
        }
        var cutover = HotTool.Run(pair.ToolArguments("cutover"));
        Assert.AreEqual(0, cutover.ExitCode, HotTool.Show(cutover));
        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
        var ledger = HotData.Union([service.Mine, raw.Mine, shell.Mine]);
        pair.AssertOldHolds(ledger, "old file after the kill and the rerun");
        pair.AssertNewIsOldTransformed(ledger, "new file after the kill and the rerun");
    }

    [TestMethod]
    [Timeout(300_000)]
    public void WritesFasterThanReplayAreNotPausedUnlessForced()
    {
        using var pair = HotPair.Create();
        pair.Seed(new HotData(), "s", 5, 1, new Random(701));
        pair.Migrator().Migrate(offline: false, allowDataLoss: false);
        using var fast = new FastWriter(pair.OldPath, rows: 2000);
        fast.WaitForPending(pair, 20_000);

        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Drain());
        Assert.AreEqual(MigCode.WritesOutpaceReplay, e.Code, e.Message);
        StringAssert.Matches(e.Message, new System.Text.RegularExpressions.Regex(@"adds \d+ captured writes/s and replay follows at \d+/s"));
        StringAssert.Contains(e.Message, "MigForcePause");
        Assert.AreEqual(Protocol.Recording, HotDb.Marker(pair.OldPath), "writes were not paused");
        var committed = fast.Commits;
        fast.WaitForCommits(committed + 2);
        var status = pair.Migrator().Status();
        StringAssert.StartsWith(status.Next, $"The last MigDrain failed {MigCode.WritesOutpaceReplay}");

        pair.Migrator().Drain(forcePause: true);
        Assert.IsTrue(fast.WaitUntilRefused(TimeSpan.FromSeconds(60)), "the forced drain paused writes");
        pair.Migrator().Cutover();
        Assert.AreEqual(fast.Rows + 5, HotDb.Scalar(pair.NewPath, "SELECT count(*) FROM book"), "every committed row arrived");
        pair.AssertNewIsOldTransformed(null, "after the forced drain");
    }

    [TestMethod]
    [Timeout(300_000)]
    public void ASnapshotHeldAcrossThePauseCannotWriteAndAWriteInFlightIsWaitedFor()
    {
        using var pair = HotPair.Create();
        var (service, raw, shell, db) = Writers(pair, 801);
        using var _ = db;
        using var __ = raw;
        pair.Migrator().Migrate(offline: false, allowDataLoss: false);
        for (var i = 0; i < 3; i++) Assert.IsTrue(service.BigInsert(2000));

        using var reader = HotDb.OpenReadWrite(pair.OldPath);
        using var snapshot = reader.BeginTransaction(deferred: true);
        var before = Count(reader, snapshot, "author");
        using var writer = HotDb.OpenReadWrite(pair.OldPath);
        var inFlight = writer.BeginTransaction(deferred: false);
        var exec = new RawExec(writer, inFlight);
        exec.Execute("INSERT INTO author(name, score) VALUES ('in flight', 7)");
        var id = exec.LastId();
        var drain = Task.Run(() => pair.Migrator().Drain());
        // Catch-up reads beside the held write; its trim and the pause wait for it (busy timeout).
        Thread.Sleep(TimeSpan.FromSeconds(1.5));
        Assert.IsFalse(drain.IsCompleted, "MigDrain waits for the write in flight");
        inFlight.Commit();
        inFlight.Dispose();
        drain.GetAwaiter().GetResult();

        using (var cmd = reader.CreateCommand())
        {
            cmd.Transaction = snapshot;
            cmd.CommandText = "INSERT INTO author(name, score) VALUES ('stale snapshot', 0)";
            cmd.CommandTimeout = 1; // Microsoft.Data.Sqlite retries a busy snapshot until then
            Assert.ThrowsExactly<SqliteException>(() => cmd.ExecuteNonQuery(), "a snapshot older than the pause cannot write");
        }
        Assert.AreEqual(before, Count(reader, snapshot, "author"), "the reader keeps its snapshot");
        snapshot.Rollback();
        Assert.IsFalse(raw.Step(1), "a new transaction meets the guards");
        pair.Migrator().Cutover();
        Assert.AreEqual(1L, HotDb.Scalar(pair.NewPath, $"SELECT count(*) FROM author WHERE id = {id} AND full_name = 'in flight' AND score = 7"), "the write in flight arrived");
        Assert.AreEqual(0L, HotDb.Scalar(pair.NewPath, "SELECT count(*) FROM author WHERE full_name = 'stale snapshot'"));
        pair.AssertNewIsOldTransformed(null, "after the drain");
    }

    private static (MigWriter Service, RawWriter Raw, ShellWriter Shell, MigDatabase Db) Writers(HotPair pair, int seed)
    {
        var rng = new Random(seed);
        var seeded = new HotData();
        pair.Seed(seeded, "s", 40, 3, rng);
        var db = new MigDatabase(pair.OldPath);
        var service = new MigWriter("m", new Random(seed + 1), db);
        service.Own(seeded);
        return (service, new RawWriter("r", new Random(seed + 2), pair.OldPath), new ShellWriter("sh", pair.OldPath), db);
    }

    private static long Pending(HotPair pair) =>
        HotDb.Scalar(pair.OldPath, $"SELECT count(*) FROM {Protocol.LogTable} WHERE id > {HotDb.Info(pair.NewPath, "checkpoint")}");

    /// <summary>The pending count of the first "replayed 0/N" line after the pause.</summary>
    private static long TailPending(List<string> log, int draining)
    {
        var line = log.Skip(draining).First(l => l.StartsWith("Mig: replayed 0/", StringComparison.Ordinal));
        return long.Parse(line["Mig: replayed 0/".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static long Count(SqliteConnection c, SqliteTransaction t, string table)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = $"SELECT count(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }
}
