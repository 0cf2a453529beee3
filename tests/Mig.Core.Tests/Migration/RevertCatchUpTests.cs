using System.Globalization;
using System.Text.RegularExpressions;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// MigRevert after the new file served a while: what the new service wrote since cutover goes back into the
/// old file while the new service keeps writing, so the pause covers only the tail (as MigDrain's does), and
/// the new file's log loses what went back.
/// </summary>
[TestClass]
public sealed partial class RevertCatchUpTests
{
    [TestMethod]
#pragma warning disable MSTEST0045 // a blocked SQLite call cannot observe a token
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void ARevertReplaysTheBacklogBeforeItPausesAndTrimsTheNewFilesLog()
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
        Assert.IsLessThan(backlog / 2, HotDb.Scalar(pair.NewPath, $"SELECT count(*) FROM {Protocol.LogTable}"), "what went back left the new file's log");

        var ledger = HotData.Union([newService.Mine, shell.Mine]);
        pair.AssertOldHolds(ledger, "after the revert");
        pair.AssertNewIsOldTransformed(ledger, "after the revert");
        Assert.AreEqual("reverted", pair.Migrator().Status().Phase);
    }

    [GeneratedRegex(@"^Mig: revert replayed \d+/(\d+) writes")]
    private static partial Regex TailLine();
}
