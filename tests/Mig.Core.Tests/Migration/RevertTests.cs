using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// MigRevert: after cutover the new file captures its own writes; a revert pauses them, writes them back into
/// the old file through the plan turned round (v2's full_name back into v1's name), verifies, and gives the old
/// file its writes back while the new file stops serving. Refused when it would lose data, before cutover and
/// after MigArchiveOld; resumable after kill -9; cancelled by MigReset until the new file is out of service.
/// </summary>
[TestClass]
public sealed class RevertTests
{
    private static readonly TimeSpan Breather = TimeSpan.FromMilliseconds(5);

    [TestMethod]
#pragma warning disable MSTEST0045 // a blocked SQLite call cannot observe a token
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void RevertUnderLiveWritersOnTheNewFileGivesTheOldServiceEveryWriteBack()
    {
        using var pair = HotPair.Create();
        using var oldDb = new MigDatabase(pair.OldPath);
        var oldService = CutOver(pair, oldDb);
        using var newDb = new MigDatabase(pair.NewPath);
        var newService = new MigWriter("n", new Random(43), newDb) { NameColumn = "full_name", NotReadyIsRefusal = true };
        newService.Own(oldService.Mine);
        var shell = new ShellWriter("sh", pair.NewPath, "full_name");
        using (var live = new LiveWriters([newService, shell], Breather))
        {
            WaitFor(() => newService.Commits >= 10 && shell.Commits >= 3, "the new service and the shell write to the new file");
            pair.Migrator().Revert();
            live.WaitUntilRefused(TimeSpan.FromSeconds(60));
        }

        var ledger = HotData.Union([newService.Mine, shell.Mine]);
        pair.AssertOldHolds(ledger, "after the revert");
        pair.AssertNewIsOldTransformed(ledger, "after the revert");
        Assert.IsGreaterThan(0, newService.Commits + shell.Commits);
        Assert.IsNull(HotDb.Marker(pair.OldPath), "the old file has no capture, guard or marker left");
        Assert.AreEqual(0L, HotDb.Scalar(pair.OldPath, $"SELECT count(*) FROM sqlite_schema WHERE name IN ('{Protocol.LogTable}', '{Protocol.OldInfoTable}') OR (type = 'trigger' AND name LIKE '\\_mig\\_%' ESCAPE '\\')"));
        Assert.AreEqual(Protocol.Reverted, HotDb.Status(pair.NewPath));

        var back = new MigWriter("o2", new Random(44), oldDb);
        Assert.IsTrue(back.Step(3), "the old service, still running, writes again without a restart");
        Assert.ThrowsExactly<MigDatabaseNotReadyException>(() => new MigWriter("n2", new Random(45), newDb) { NameColumn = "full_name" }.Step(1), "the new file is out of service");
        Assert.IsFalse(new ShellWriter("sh2", pair.NewPath, "full_name").Step(1), "a writer that does not read the status is refused by the guards");
        var status = pair.Migrator().Status();
        Assert.AreEqual("reverted", status.Phase, string.Join("\n", status.Lines()));
        Assert.AreEqual(pair.OldPath, status.Live);
        pair.Migrator().Revert(); // again: nothing to do
        Assert.AreEqual("reverted", pair.Migrator().Status().Phase);
    }

    [TestMethod]
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void RevertIsRefusedWhenTheNewSchemaHoldsDataTheOldOneCannot()
    {
        using var pair = HotPair.Create();
        using var oldDb = new MigDatabase(pair.OldPath);
        var oldService = CutOver(pair, oldDb);
        var author = oldService.Mine.Authors.Keys.First();
        var book = oldService.Mine.Books.Keys.First();
        Exec(pair.NewPath, $"INSERT INTO review(book_id, text) VALUES ({book}, 'only in v2'); UPDATE author SET country = 'Narnia' WHERE id = {author}");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Revert());
        Assert.AreEqual(MigCode.DataLoss, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "table review exists only in the new schema");
        StringAssert.Contains(refused.Message, "author.country");
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "nothing changed: the new file is not paused");
        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
        using (var newDb = new MigDatabase(pair.NewPath))
            Assert.IsTrue(new MigWriter("n", new Random(46), newDb) { NameColumn = "full_name" }.Step(3), "the new service keeps writing");

        pair.Migrator().Revert(allowDataLoss: true);
        Assert.AreEqual("reverted", pair.Migrator().Status().Phase);
        Assert.AreEqual(0L, HotDb.Scalar(pair.OldPath, "SELECT count(*) FROM sqlite_schema WHERE name = 'review'"), "the old schema is the old schema");
    }

    [TestMethod]
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void AKilledRevertResumesFromEachStepAndMigResetCancelsOneInProgress()
    {
        using var pair = HotPair.Create();
        using var oldDb = new MigDatabase(pair.OldPath);
        var oldService = CutOver(pair, oldDb);
        using var newDb = new MigDatabase(pair.NewPath);
        var newService = new MigWriter("n", new Random(47), newDb) { NameColumn = "full_name" };
        newService.Own(oldService.Mine);
        for (var i = 0; i < 40; i++) Assert.IsTrue(newService.Step(3));
        var cutOver = pair.Migrator().Status();
        Assert.AreEqual("cut-over", cutOver.Phase);
        Assert.IsGreaterThanOrEqualTo(120L, cutOver.RevertLog ?? 0, "every row the new service wrote is in its log");
        Assert.IsTrue(cutOver.Lines().Any(l => l.StartsWith("  revert  ", StringComparison.Ordinal) && l.Contains("MigRevert", StringComparison.Ordinal)), string.Join("\n", cutOver.Lines()));
        StringAssert.Contains(cutOver.Next, "MigRevert");
        StringAssert.Contains(cutOver.ToJson(), "\"revertLog\"");

        KillAt(pair, FaultPoint.Revert);
        var status = pair.Migrator().Status();
        Assert.AreEqual("reverting", status.Phase, string.Join("\n", status.Lines()));
        StringAssert.Contains(status.Next, "MigRevert");
        Assert.AreEqual(pair.NewPath, status.Live, "until the revert takes it out of service, the new file holds the data");
        Assert.IsFalse(newService.Step(1), "writes to the new file are paused while the revert runs");
        Assert.IsFalse(new MigWriter("o", new Random(48), oldDb).Step(1), "the old file stays paused until the revert completes");

        var archive = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().ArchiveOld(null));
        Assert.AreEqual(MigCode.WrongPhase, archive.Code, "no archive while a revert is in progress");
        StringAssert.Contains(archive.Message, "MigReset");

        // MigReset cancels the revert: the new service writes again, and those writes go back too later.
        pair.Migrator().Reset();
        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
        for (var i = 0; i < 10; i++) Assert.IsTrue(newService.Step(3), "the new service writes again after MigReset");

        KillAt(pair, FaultPoint.Revert);
        KillAt(pair, FaultPoint.RevertFinish);
        status = pair.Migrator().Status();
        Assert.AreEqual("reverting", status.Phase, string.Join("\n", status.Lines()));
        Assert.AreEqual(pair.OldPath, status.Live, "the new file is out of service already");
        var cancel = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Reset());
        Assert.AreEqual(MigCode.WrongPhase, cancel.Code);
        StringAssert.Contains(cancel.Message, "MigRevert");

        var again = HotTool.Run(pair.ToolArguments("revert"));
        Assert.AreEqual(0, again.ExitCode, HotTool.Show(again));
        pair.AssertOldHolds(newService.Mine, "after the resumed revert");
        Assert.AreEqual("reverted", pair.Migrator().Status().Phase);
        Assert.IsTrue(new MigWriter("o2", new Random(49), oldDb).Step(3), "the old service writes again");
    }

    [TestMethod]
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void AKillBeforeTheRevertPausedWritesIsReportedAsARevertWhileTheNewFileStillServes()
    {
        using var pair = HotPair.Create();
        using var oldDb = new MigDatabase(pair.OldPath);
        var oldService = CutOver(pair, oldDb);
        using var newDb = new MigDatabase(pair.NewPath);
        var newService = new MigWriter("n", new Random(51), newDb) { NameColumn = "full_name" };
        newService.Own(oldService.Mine);
        for (var i = 0; i < 10; i++) Assert.IsTrue(newService.Step(3));

        KillAt(pair, FaultPoint.RevertStart);
        var status = pair.Migrator().Status();
        Assert.AreEqual("reverting", status.Phase, string.Join("\n", status.Lines()));
        StringAssert.Contains(status.Next, "stopped before it paused writes");
        Assert.DoesNotContain("are paused", status.Next, "the new file is not paused");
        StringAssert.Contains(status.Next, "MigRevert again to resume");
        StringAssert.Contains(status.Next, "MigReset");
        Assert.AreEqual(pair.NewPath, status.Live);
        Assert.IsTrue(newService.Step(3), "the new file still takes writes, as MigStatus says");

        pair.Migrator().Reset();
        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase, "MigReset cancels the revert that never paused anything");
        Assert.IsTrue(newService.Step(3));
        KillAt(pair, FaultPoint.RevertStart);
        Assert.IsTrue(newService.Step(3), "writes made after the kill go back too");
        var again = HotTool.Run(pair.ToolArguments("revert"));
        Assert.AreEqual(0, again.ExitCode, HotTool.Show(again));
        Assert.AreEqual("reverted", pair.Migrator().Status().Phase);
        pair.AssertOldHolds(newService.Mine, "after the resumed revert");
    }

    [TestMethod]
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void RevertIsRefusedBeforeCutoverAndAfterArchive()
    {
        using var pair = HotPair.Create();
        using var oldDb = new MigDatabase(pair.OldPath);
        var migrator = pair.Migrator();
        migrator.Migrate(offline: false, allowDataLoss: false);
        var early = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.WrongPhase, early.Code);
        StringAssert.Contains(early.Message, "MigReset");
        migrator.Drain();
        migrator.Cutover();
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "the cutover started capturing the new file's writes");
        using (var newDb = new MigDatabase(pair.NewPath))
        {
            Assert.IsTrue(new MigWriter("n", new Random(50), newDb) { NameColumn = "full_name" }.Step(3));
            Assert.IsNull(newDb.Marker, "the new service is not told of a migration: it serves as usual while its writes are captured");
        }
        Assert.IsGreaterThan(0L, HotDb.Scalar(pair.NewPath, $"SELECT count(*) FROM {Protocol.LogTable}"), "its writes are captured");
        var next = Assert.ThrowsExactly<MigOperationException>(() => new Migrator(HotSchemas.ModelV1, SchemaHash.Compute(HotSchemas.ModelV1), pair.NewPath, Path.Combine(pair.Directory, "next.db"), _ => { }).Migrate(offline: false, allowDataLoss: false));
        Assert.AreEqual(MigCode.WrongPhase, next.Code);
        StringAssert.Contains(next.Message, "MigArchiveOld");

        migrator.ArchiveOld(null);
        Assert.IsNull(HotDb.Marker(pair.NewPath), "MigArchiveOld removed the new file's capture");
        Assert.AreEqual(0L, HotDb.Scalar(pair.NewPath, $"SELECT count(*) FROM sqlite_schema WHERE name = '{Protocol.LogTable}' OR (type = 'trigger' AND name LIKE '\\_mig\\_%' ESCAPE '\\')"));
        var late = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Revert());
        Assert.AreEqual(MigCode.RevertEnded, late.Code, late.Message);
        Assert.AreEqual(Protocol.Ready, HotDb.Status(pair.NewPath), "nothing changed");
        Assert.AreEqual("done", pair.Migrator().Status().Phase);
    }

    private const string V1 = PlanTests.V1;

    // A renamed table and column, REAL to INTEGER, a dropped column and table, new columns, a seed.
    private const string V2 = """
        [PK(nameof(Id))]
        [RenamedFrom("student")]
        [Default(nameof(Level), "1")]
        public sealed record Learner(long Id, [RenamedFrom("name")] string FullName, long Score, long Level, string? Email);
        public sealed record Link([RenamedFrom("student_id")] Learner Learner, string Label);
        public static class Seeds
        {
            public static Learner Admin => new(100, "Admin", 0, 1, null);
        }
        """;

    [TestMethod]
    public void RevertUndoesRenamesAndConversionsKeepsOldOnlyColumnsAndRefusesWhatOnlyTheNewSchemaHolds()
    {
        using var pair = MigrationPair.Create(V1,
            "INSERT INTO student VALUES (1, 'Ann', 'n', 2.0), (2, 'Bob', NULL, 3.0)",
            "INSERT INTO old VALUES (1), (2)",
            "INSERT INTO link VALUES (1, 'a'), (2, 'b')");
        var migrator = pair.Migrator(SchemaFixture.Model(V2));
        migrator.Migrate(offline: false, allowDataLoss: true);
        migrator.Drain();
        migrator.Cutover();
        pair.Execute(pair.NewPath, "UPDATE learner SET full_name = 'Ann B', score = 5 WHERE id = 1");
        pair.Execute(pair.NewPath, "INSERT INTO learner(id, full_name, score, level, email) VALUES (3, 'Cy', 7, 1, NULL)");
        pair.Execute(pair.NewPath, "UPDATE learner SET score = 2.5 WHERE id = 3"); // a REAL in an INTEGER column: the old REAL column keeps it
        pair.Execute(pair.NewPath, "INSERT INTO link(learner_id, label) VALUES (100, 'to the seeded row')");
        pair.Execute(pair.NewPath, "DELETE FROM link WHERE learner_id = 2");
        pair.Execute(pair.NewPath, "DELETE FROM learner WHERE id = 2");
        pair.Execute(pair.NewPath, "UPDATE learner SET email = 'ann@example.org' WHERE id = 1");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.DataLoss, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "column learner.email exists only in the new schema: 1 rows");
        Assert.DoesNotContain("score", refused.Message, "2.5 goes back into a REAL column as it is");
        pair.Execute(pair.NewPath, "UPDATE learner SET email = NULL WHERE id = 1");

        migrator.Revert();

        CollectionAssert.AreEqual(new[] { "1|Ann B|'n'|5.0", "3|Cy|NULL|2.5", "100|Admin|NULL|0.0" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || name || '|' || quote(note) || '|' || quote(score) FROM student ORDER BY id").Select(r => (string)r[0]!).ToArray(),
            "renamed back, converted back, the dropped column kept where the row was updated, the seeded row written back");
        CollectionAssert.AreEqual(new[] { "1|a", "100|to the seeded row" },
            pair.Rows(pair.OldPath, "SELECT student_id || '|' || label FROM link ORDER BY student_id").Select(r => (string)r[0]!).ToArray());
        Assert.AreEqual(2L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM old"), "a table only the old schema has keeps its rows");
        Assert.AreEqual(0L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM pragma_foreign_key_check"));
    }

    /// <summary>Seeds, lets the old service write before and during the migration, and cuts over; returns the old service.</summary>
    internal static MigWriter CutOver(HotPair pair, MigDatabase oldDb)
    {
        var seeded = new HotData();
        pair.Seed(seeded, "s", 30, 3, new Random(41));
        var oldService = new MigWriter("o", new Random(42), oldDb);
        oldService.Own(seeded);
        Assert.IsTrue(oldService.Step(3));
        var migrator = pair.Migrator();
        migrator.Migrate(offline: false, allowDataLoss: false);
        Assert.IsTrue(oldService.Step(3));
        migrator.Drain();
        migrator.Cutover();
        Assert.IsFalse(oldService.Step(1), "after cutover the old service's writes are refused");
        return oldService;
    }

    private static void KillAt(HotPair pair, string point)
    {
        using var tool = HotTool.Start(pair.ToolArguments("revert"), point);
        tool.WaitForPause(point);
        tool.Kill();
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"timed out waiting until {what}");
            Thread.Sleep(20);
        }
    }

    internal static void Exec(string path, string sql)
    {
        using var c = HotDb.OpenReadWrite(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
        SqliteConnection.ClearPool(c);
    }
}
