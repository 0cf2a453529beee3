using System.Globalization;
using System.Text.RegularExpressions;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// MigRevert after the new file served a while: what the new service wrote since cutover goes back into the
/// old file while the new service keeps writing, so the pause covers only the tail (as MigDrain's does). A loss
/// written during that catch-up is refused like any other: the log keeps every entry for the loss check.
/// </summary>
[TestClass]
public sealed partial class RevertCatchUpTests
{
    [TestMethod]
#pragma warning disable MSTEST0045 // a blocked SQLite call cannot observe a token
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void ARevertReplaysTheBacklogBeforeItPauses()
    {
        using var pair = HotPair.Create();
        using var oldDb = new MigDatabase(pair.OldPath);
        var oldService = RevertTests.CutOver(pair, oldDb);
        using var newDb = new MigDatabase(pair.NewPath);
        var newService = new MigWriter("n", new Random(61), newDb) { NameColumn = "full_name", NotReadyIsRefusal = true };
        newService.Own(oldService.Mine);
        Assert.IsTrue(newService.BigInsert(2500));
        Assert.IsTrue(newService.BigInsert(2500));
        var backlog = HotDb.Scalar(pair.NewPath, $"SELECT count(*) FROM {Protocol.LogTable}");
        Assert.IsGreaterThanOrEqualTo(5000L, backlog, "the new service's writes since cutover are in its log");

        var log = new List<string>();
        var shell = new ShellWriter("sh", pair.NewPath, "full_name");
        using (var live = new LiveWriters([newService, shell], TimeSpan.FromMilliseconds(5)))
        {
            pair.Migrator(line => { lock (log) log.Add(line); }).Revert();
            live.WaitUntilRefused(TimeSpan.FromSeconds(60));
        }

        var paused = log.FindIndex(l => l.Contains("is paused", StringComparison.Ordinal));
        var caughtUp = log.FindIndex(l => l.StartsWith("Mig: caught up ", StringComparison.Ordinal) && l.Contains("into the old file", StringComparison.Ordinal));
        Assert.IsTrue(caughtUp >= 0 && caughtUp < paused, "the backlog went back before the pause:\n" + string.Join("\n", log));
        // "revert replayed applied/pending": what the pause had to replay.
        var tail = log.Skip(paused).Select(l => TailLine().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        Assert.IsLessThan(backlog / 2, tail, $"the pause replays the tail only ({tail} of a {backlog}-entry backlog):\n" + string.Join("\n", log));
        Assert.IsGreaterThanOrEqualTo(backlog, HotDb.Scalar(pair.NewPath, $"SELECT count(*) FROM {Protocol.LogTable}"), "the new file's log keeps every entry (the loss check reads them)");

        var ledger = HotData.Union([newService.Mine, shell.Mine]);
        pair.AssertOldHolds(ledger, "after the revert");
        pair.AssertNewIsOldTransformed(ledger, "after the revert");
        Assert.AreEqual("reverted", pair.Migrator().Status().Phase);
    }

    /// <summary>
    /// A value only the new schema can hold, written while the catch-up replays (the new service still writes),
    /// is refused after the pause as it is before: an entry the catch-up replayed is still in the log the
    /// loss check reads. (Found by review: the catch-up trimmed the log, and the value went back unseen.)
    /// </summary>
    [TestMethod]
    [DoNotParallelize] // FaultPoint.Listener is process-wide
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void ALossWrittenDuringTheCatchUpIsRefusedAfterThePause()
    {
        using var pair = HotPair.Create();
        using var oldDb = new MigDatabase(pair.OldPath);
        var oldService = RevertTests.CutOver(pair, oldDb);
        var author = oldService.Mine.Authors.Keys.First();
        const string Many = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO author(full_name, score) SELECT '{0}' || i, i FROM n";
        RevertTests.Exec(pair.NewPath, string.Format(CultureInfo.InvariantCulture, Many, "x"));
        var injected = false;
        FaultPoint.Listener = name =>
        {
            if (name != FaultPoint.CatchUp || injected) return;
            injected = true;
            // After the first catch-up batch: the loss, then enough writes to need another pass.
            RevertTests.Exec(pair.NewPath, $"UPDATE author SET country = 'Narnia' WHERE id = {author}; " + string.Format(CultureInfo.InvariantCulture, Many, "y"));
        };
        MigOperationException refused;
        try
        {
            refused = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Revert());
        }
        finally
        {
            FaultPoint.Listener = null;
        }
        Assert.IsTrue(injected, "the catch-up ran");
        Assert.AreEqual(MigCode.DataLoss, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "author.country");
        Assert.AreEqual(1L, HotDb.Scalar(pair.NewPath, $"SELECT country = 'Narnia' FROM author WHERE id = {author}"), "the new file keeps the value");

        pair.Migrator().Reset();
        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase, "MigReset cancels the revert; the new file serves");
    }

    [GeneratedRegex(@"^Mig: revert replayed \d+/(\d+) writes")]
    private static partial Regex TailLine();
}
