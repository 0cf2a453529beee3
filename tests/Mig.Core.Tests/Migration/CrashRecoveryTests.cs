using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// kill -9 of MigMigrate at every point from capture to the copy's commit: MigStatus explains the
/// state (also with the killed copy's hot journal in the new file), and MigMigrate run again starts
/// the copy over by itself, keeping the capture, so no write made meanwhile is lost. Refusals of a
/// second MigMigrate give the advice of the phase the pair is really in.
/// </summary>
[TestClass]
public sealed class CrashRecoveryTests
{
    [TestMethod]
    [DataRow(FaultPoint.Captured)]
    [DataRow(FaultPoint.Copy)]
    [DataRow(FaultPoint.CopyCommit)]
#pragma warning disable MSTEST0045 // not cooperative on purpose: a paused tool cannot observe a token
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void MigrateAgainAfterAKilledCopyCopiesAgainAndKeepsTheCapture(string faultPoint)
    {
        using var pair = HotPair.Create();
        // Enough rows that the copy's transaction spills pages into the new file before it commits:
        // the kill then leaves a hot journal beside it, which a read-only open cannot roll back.
        Fill(pair.OldPath, 60_000);
        var seeded = new HotData();
        pair.Seed(seeded, "m", 20, 2, new Random(401));
        using var db = new MigDatabase(pair.OldPath);
        using var service = new MigWriter("m", new Random(402), db);
        service.Own(seeded);

        using (var tool = HotTool.Start(pair.ToolArguments("migrate"), faultPoint))
        {
            tool.WaitForPause(faultPoint);
            Assert.IsTrue(service.Step(3), "the old service writes while MigMigrate runs");
            tool.Kill();
        }
        if (faultPoint != FaultPoint.Captured)
            Assert.IsGreaterThan(0L, new FileInfo(pair.NewPath + "-journal").Length, "the killed copy left a hot journal (the case this test is about)");
        Assert.IsTrue(service.Step(3), "the old service writes after the kill; capture records it");
        var logged = HotDb.Scalar(pair.OldPath, $"SELECT count(*) FROM {Protocol.LogTable}");

        var status = HotTool.Run(pair.ToolArguments("status"));
        Assert.AreEqual(0, status.ExitCode, HotTool.Show(status));
        var expectedPhase = faultPoint == FaultPoint.Captured ? "broken" : "copy-incomplete";
        StringAssert.Contains(status.Output, "Mig status: " + expectedPhase, HotTool.Show(status));
        var next = status.Output.Split('\n').Single(l => l.TrimStart().StartsWith("next:", StringComparison.Ordinal));
        StringAssert.Contains(next, "MigMigrate again", next);
        Assert.AreEqual(expectedPhase, pair.Migrator().Status().Phase);

        var again = HotTool.Run(pair.ToolArguments("migrate"));
        Assert.AreEqual(0, again.ExitCode, HotTool.Show(again));
        Assert.IsGreaterThanOrEqualTo(logged, HotDb.Scalar(pair.OldPath, $"SELECT count(*) FROM {Protocol.LogTable}"), "the capture and its log were kept");
        Assert.IsTrue(service.Step(3));
        Assert.AreEqual("recording", pair.Migrator().Status().Phase);

        var drain = HotTool.Run(pair.ToolArguments("drain"));
        Assert.AreEqual(0, drain.ExitCode, HotTool.Show(drain));
        var cutover = HotTool.Run(pair.ToolArguments("cutover"));
        Assert.AreEqual(0, cutover.ExitCode, HotTool.Show(cutover));
        Assert.AreEqual(60_000L + service.Mine.Authors.Count, HotDb.Scalar(pair.NewPath, "SELECT count(*) FROM author"));
        pair.AssertNewIsOldTransformed(null, "after the copy ran again");
    }

    [TestMethod]
    public void MigrateAgainInEveryLaterPhaseSaysWhatFitsThatPhase()
    {
        using var pair = HotPair.Create();
        pair.Seed(new HotData(), "p", 10, 2, new Random(9));
        var migrator = pair.Migrator();
        migrator.Migrate(offline: false, allowDataLoss: false);

        var recording = Refusal(pair);
        StringAssert.Contains(recording, "MigDrain");

        migrator.Drain();
        var drained = Refusal(pair);
        StringAssert.Contains(drained, "MigCutover");

        migrator.Cutover();
        var cutOver = Refusal(pair);
        StringAssert.Contains(cutOver, "MigArchiveOld");
        StringAssert.DoesNotMatch(cutOver, new System.Text.RegularExpressions.Regex("MigDrain|MigReset"), "after cutover neither drain nor reset applies");
    }

    [TestMethod]
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void AKillInsideCutoverIsFinishedByCutoverAndResetNoLongerApplies()
    {
        using var pair = HotPair.Create();
        pair.Seed(new HotData(), "c", 20, 2, new Random(11));
        var migrator = pair.Migrator();
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();

        using (var tool = HotTool.Start(pair.ToolArguments("cutover"), FaultPoint.Cutover))
        {
            tool.WaitForPause(FaultPoint.Cutover);
            tool.Kill();
        }

        var status = HotTool.Run(pair.ToolArguments("status"));
        Assert.AreEqual(0, status.ExitCode, HotTool.Show(status));
        var next = status.Output.Split('\n').Single(l => l.TrimStart().StartsWith("next:", StringComparison.Ordinal));
        StringAssert.Contains(next, "MigCutover");
        var reset = HotTool.Run(pair.ToolArguments("reset"));
        Assert.AreEqual(1, reset.ExitCode, HotTool.Show(reset));
        StringAssert.Contains(reset.Output, "error MIG0040");
        StringAssert.Contains(reset.Output, "MigCutover");
        Assert.IsTrue(File.Exists(pair.NewPath), "the refused reset deleted nothing");

        var cutover = HotTool.Run(pair.ToolArguments("cutover"));
        Assert.AreEqual(0, cutover.ExitCode, HotTool.Show(cutover));
        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
        pair.AssertNewIsOldTransformed(null, "after the finished cutover");
    }

    [TestMethod]
#pragma warning disable MSTEST0045 // not cooperative on purpose: a paused tool cannot observe a token
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void AKilledCopyThatLitestreamGaveItsTablesIsStillCopiedAgain()
    {
        // Litestream, told the new path ahead (docs/runbook.md), adds its two tables to the file as soon as it
        // exists: a MigMigrate killed after it created the file and before its schema committed leaves a file
        // with only those, which is still Mig's to rebuild. (Killed where capture is installed, then the file as
        // that kill and Litestream leave it.)
        using var pair = HotPair.Create();
        pair.Seed(new HotData(), "l", 20, 2, new Random(403));
        using (var tool = HotTool.Start(pair.ToolArguments("migrate"), FaultPoint.Captured))
        {
            tool.WaitForPause(FaultPoint.Captured);
            tool.Kill();
        }
        using (var litestream = new SqliteConnection($"Data Source={pair.NewPath};Pooling=False"))
        {
            litestream.Open();
            using var cmd = litestream.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER); CREATE TABLE IF NOT EXISTS _litestream_lock (id INTEGER);";
            cmd.ExecuteNonQuery();
        }
        StringAssert.Contains(HotTool.Run(pair.ToolArguments("status")).Output, "Mig status: copy-incomplete");

        var again = HotTool.Run(pair.ToolArguments("migrate"));
        Assert.AreEqual(0, again.ExitCode, HotTool.Show(again));
        Assert.AreEqual("recording", pair.Migrator().Status().Phase);
        pair.AssertNewIsOldTransformed(null, "after the copy ran again");
    }

    private static string Refusal(HotPair pair)
    {
        var run = HotTool.Run(pair.ToolArguments("migrate"));
        Assert.AreEqual(1, run.ExitCode, HotTool.Show(run));
        StringAssert.Contains(run.Output, "error MIG0040", HotTool.Show(run));
        return run.Output;
    }

    /// <summary>Authors with long names in one statement (fast), about 6 MB: more than SQLite's page cache of the copy.</summary>
    private static void Fill(string path, int rows)
    {
        using var c = HotDb.OpenReadWrite(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) " +
                          "INSERT INTO author(name, score) SELECT 'filler ' || hex(randomblob(40)), i FROM n";
        cmd.ExecuteNonQuery();
    }
}
