using System.Diagnostics;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Another tool that writes its own table in both files at any moment (Litestream, which after each
/// checkpoint commits to <c>_litestream_seq</c>, in the new file from the moment it exists) must not make
/// a step fail. A step that read a file in a transaction and then wrote it failed when such a commit fell
/// between the read and the write: SQLite refuses that write (SQLITE_BUSY_SNAPSHOT), Microsoft.Data.Sqlite
/// retried it for 30 s, and the step ended in MIG0054 (seen in CI with the real Litestream).
/// </summary>
[TestClass]
public sealed class OtherToolWriterTests
{
    private static readonly TimeSpan Breather = TimeSpan.FromMilliseconds(3);

    [TestMethod]
#pragma warning disable MSTEST0045 // a blocked SQLite call cannot observe a token
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void EveryStepSucceedsWhileAnotherToolCommitsToItsOwnTableInBothFiles()
    {
        using var pair = HotPair.Create();
        var seeded = new HotData();
        pair.Seed(seeded, "s", 60, 4, new Random(71));
        using var oldTool = new ToolTableWriter(pair.OldPath);
        using var newTool = new ToolTableWriter(pair.NewPath);
        using var oldDb = new MigDatabase(pair.OldPath);
        var service = new MigWriter("m", new Random(72), oldDb);
        service.Own(seeded);
        using var raw = new RawWriter("r", new Random(73), pair.OldPath);
        var bulk = new MigWriter("b", new Random(75), oldDb);
        var migrator = pair.Migrator();
        var steps = new List<string>();

        void Step(string name, Action run)
        {
            var clock = Stopwatch.StartNew();
            run();
            steps.Add($"{name} {clock.ElapsedMilliseconds} ms");
        }

        using (var live = new LiveWriters([service, raw], Breather))
        {
            WaitFor(() => oldTool.Commits > 20, "the other tool commits to the old file");
            Step("migrate", () => migrator.Migrate(offline: false, allowDataLoss: false));
            WaitFor(() => newTool.Commits > 20, "the other tool commits to the new file");
            for (var i = 0; i < 5; i++)
            {
                Assert.IsTrue(bulk.BigInsert(400));
                Step("catch-up", () => migrator.CatchUp());
            }
            Step("drain", () => migrator.Drain());
            live.WaitUntilRefused(TimeSpan.FromSeconds(60));
        }
        var ledger = HotData.Union([service.Mine, raw.Mine, bulk.Mine]);
        var atCutover = newTool.Commits;
        Step("cutover", () => migrator.Cutover());
        pair.AssertNewIsOldTransformed(ledger, "after cutover");

        // The revert writes back into the old file, which the tool goes on writing.
        using var newDb = new MigDatabase(pair.NewPath);
        var newService = new MigWriter("n", new Random(74), newDb) { NameColumn = "full_name", NotReadyIsRefusal = true };
        newService.Own(ledger);
        var newBulk = new MigWriter("nb", new Random(76), newDb) { NameColumn = "full_name" };
        using (var live = new LiveWriters([newService], Breather))
        {
            WaitFor(() => newService.Commits > 30, "the new service writes");
            Assert.IsTrue(newBulk.BigInsert(3000));
            Step("revert", () => migrator.Revert());
            live.WaitUntilRefused(TimeSpan.FromSeconds(60));
        }
        pair.AssertOldHolds(HotData.Union([newService.Mine, newBulk.Mine]), "after the revert");
        Assert.AreEqual("reverted", migrator.Status().Phase);

        var (oldCommits, newCommits) = (oldTool.Commits, newTool.Commits);
        oldTool.Stop();
        newTool.Stop();
        Assert.IsGreaterThan(atCutover, newCommits, "the tool kept committing to the new file");
        Assert.IsGreaterThan(100, oldCommits, "the tool kept committing to the old file");
        Console.WriteLine(string.Join("; ", steps) + $"; tool commits: old {oldCommits}, new {newCommits}");
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"timed out waiting until {what}");
            Thread.Sleep(10);
        }
    }
}
