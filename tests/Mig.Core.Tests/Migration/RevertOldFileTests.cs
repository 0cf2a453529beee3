using Mig.Migration;
using Mig.Schema;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// What MigRevert leaves the old file as, beyond its rows: the foreign keys the old file declares hold (MIG0082
/// otherwise, with both files paused and MigReset able to cancel), and the journal mode it had before MigMigrate
/// is back when nobody holds the file, as after MigReset.
/// </summary>
[TestClass]
public sealed class RevertOldFileTests
{
    [TestMethod]
#pragma warning disable MSTEST0045 // a blocked SQLite call cannot observe a token
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void ARevertUnderTheNewServiceThatWouldBreakAnOldForeignKeyIsRefusedAndMigResetLetsItWriteAgain()
    {
        using var pair = HotPair.Create();
        using var oldDb = new MigDatabase(pair.OldPath);
        var oldService = RevertTests.CutOver(pair, oldDb);
        using var newDb = new MigDatabase(pair.NewPath);
        var newService = new MigWriter("n", new Random(61), newDb) { NameColumn = "full_name" };
        newService.Own(oldService.Mine);
        for (var i = 0; i < 10; i++) Assert.IsTrue(newService.Step(3));
        // Another program on the new file, foreign keys off (the sqlite3 shell's default): the author goes, its books
        // stay. The new service leaves them alone (out of its ledger), so they stay broken while it writes.
        var gone = newService.Mine.Books.Values.Select(b => b.AuthorId).First(newService.Mine.Authors.ContainsKey);
        var author = newService.Mine.Authors[gone];
        var orphans = newService.Mine.Books.Where(kv => kv.Value.AuthorId == gone).ToList();
        using (var shell = MigrationPair.Open(pair.NewPath, foreignKeys: false))
        using (var cmd = shell.CreateCommand())
        {
            cmd.CommandText = $"DELETE FROM author WHERE id = {gone}";
            Assert.AreEqual(1, cmd.ExecuteNonQuery());
        }
        newService.Mine.Authors.Remove(gone);
        foreach (var o in orphans) newService.Mine.Books.Remove(o.Key);

        MigOperationException refused;
        using (var live = new LiveWriters([newService], TimeSpan.FromMilliseconds(5)))
        {
            var commits = newService.Commits;
            WaitFor(() => newService.Commits >= commits + 5, "the new service writes");
            refused = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Revert(allowDataLoss: true));
            live.WaitUntilRefused(TimeSpan.FromSeconds(60));
        }
        Assert.AreEqual(MigCode.RevertBreaksForeignKey, refused.Code, refused.Message);
        Assert.IsLessThanOrEqualTo(10, orphans.Count, "few enough for the message to list them all");
        foreach (var o in orphans)
            StringAssert.Contains(refused.Message, $"book rowid {o.Key} (author_id = {gone}) references a missing author row (id)");
        StringAssert.Contains(refused.Message, "MigReset");
        Assert.AreEqual(Protocol.Ready, HotDb.Status(pair.NewPath), "nothing was marked reverted");
        Assert.IsFalse(newService.Step(1), "writes to the new file stay paused");
        Assert.IsFalse(new MigWriter("o", new Random(62), oldDb).Step(1), "the old file is not given back");
        var status = pair.Migrator().Status();
        Assert.AreEqual("reverting", status.Phase, string.Join("\n", status.Lines()));
        StringAssert.Contains(status.Next, MigCode.RevertBreaksForeignKey);
        Assert.AreEqual(pair.NewPath, status.Live);

        // MigReset: the state before the revert, the new file serving what the new service (and the shell) wrote.
        pair.Migrator().Reset();
        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath));
        var served = newService.Mine.Clone();
        foreach (var o in orphans) served.Books[o.Key] = o.Value;
        var (authors, books, _) = pair.NewRows();
        HotAssert.SameRows(served.AuthorRows().Select(HotSchemas.NewAuthorRow).ToList(), authors, "new author after MigReset");
        HotAssert.SameRows(served.BookRows().Select(HotSchemas.NewBookRow).ToList(), books, "new book after MigReset");
        for (var i = 0; i < 5; i++) Assert.IsTrue(newService.Step(3), "the new service writes again after MigReset");

        // The fix, on the new file: the author comes back; MigRevert writes it back and checks again.
        using (var fix = HotDb.OpenReadWrite(pair.NewPath))
        using (var cmd = fix.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO author(id, full_name, score) VALUES (@id, @name, @score)";
            cmd.Parameters.AddWithValue("@id", gone);
            cmd.Parameters.AddWithValue("@name", author.Name);
            cmd.Parameters.AddWithValue("@score", author.Score);
            cmd.ExecuteNonQuery();
        }
        newService.Mine.Authors[gone] = author;
        foreach (var o in orphans) newService.Mine.Books[o.Key] = o.Value;
        pair.Migrator().Revert();
        Assert.AreEqual("reverted", pair.Migrator().Status().Phase);
        pair.AssertOldHolds(newService.Mine, "after the fixed revert");
        Assert.AreEqual(0L, HotDb.Scalar(pair.OldPath, "SELECT count(*) FROM pragma_foreign_key_check"));
        Assert.IsTrue(new MigWriter("o2", new Random(63), oldDb).Step(3), "the old service writes again");
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

    private const string WithKey = PlanTests.V1;

    // link keeps its column but the new schema declares no key on it.
    private const string WithoutKey = """
        [PK(nameof(Id))]
        public sealed record Student(long Id, string Name, string? Note, double Score);
        [PK(nameof(Id))]
        public sealed record Old(long Id);
        public sealed record Link(long StudentId, string Label);
        """;

    [TestMethod]
    public void AKeyTheNewSchemaDroppedIsCheckedAsTheOldFileDeclaresIt()
    {
        using var pair = MigrationPair.Create(WithKey,
            "INSERT INTO student VALUES (1, 'Ann', NULL, 1.0), (2, 'Bob', NULL, 2.0)",
            "INSERT INTO link VALUES (1, 'a'), (2, 'b')");
        var migrator = pair.Migrator(SchemaFixture.Model(WithoutKey));
        migrator.Migrate(offline: false, allowDataLoss: true);
        migrator.Drain();
        migrator.Cutover();
        using (var service = MigrationPair.Open(pair.NewPath, foreignKeys: true))
        using (var cmd = service.CreateCommand())
        {
            cmd.CommandText = "DELETE FROM student WHERE id = 2; INSERT INTO link VALUES (7, 'to nobody'), (1, 'c')";
            cmd.ExecuteNonQuery(); // the new schema has no key: SQLite takes it
        }
        var linkRowids = pair.Rows(pair.NewPath, "SELECT rowid FROM link WHERE student_id IN (2, 7) ORDER BY rowid").Select(r => (long)r[0]!).ToList();
        var whole = (long)pair.Scalar(pair.NewPath, "SELECT rowid FROM link WHERE label = 'c'")!;

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.RevertBreaksForeignKey, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, $"link rowid {linkRowids[0]} (student_id = 2) references a missing student row (id)");
        StringAssert.Contains(refused.Message, $"link rowid {linkRowids[1]} (student_id = 7) references a missing student row (id)");
        Assert.DoesNotContain($"link rowid {whole} (", refused.Message, "a row whose parent is there");

        migrator.Reset();
        pair.Execute(pair.NewPath, "DELETE FROM link WHERE student_id IN (2, 7)");
        migrator.Revert();
        Assert.AreEqual("reverted", migrator.Status().Phase);
        CollectionAssert.AreEqual(new[] { "1|a", "1|c" },
            pair.Rows(pair.OldPath, "SELECT student_id || '|' || label FROM link ORDER BY rowid").Select(r => (string)r[0]!).ToArray());
        Assert.AreEqual(0L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM pragma_foreign_key_check"));
    }

    private const string WithNotes = """
        [PK(nameof(Id))]
        public sealed record Student(long Id, string Name, string? Note, double Score);
        [PK(nameof(Id))]
        public sealed record Old(long Id);
        public sealed record Link(Student Student, string Label);
        public sealed record Remark(Student Student, string Text);
        """;

    [TestMethod]
    public void AParentDeletedOnTheNewFileIsRefusedForTheChildrenOfATableOnlyTheOldSchemaHas()
    {
        using var pair = MigrationPair.Create(WithNotes,
            "INSERT INTO student VALUES (1, 'Ann', NULL, 1.0), (2, 'Bob', NULL, 2.0), (3, 'Cy', NULL, 3.0)",
            "INSERT INTO remark VALUES (2, 'on Bob'), (3, 'on Cy')");
        var migrator = pair.Migrator(SchemaFixture.Model(WithKey)); // remark is dropped
        migrator.Migrate(offline: false, allowDataLoss: true);
        migrator.Drain();
        migrator.Cutover();
        pair.Execute(pair.NewPath, "DELETE FROM student WHERE id = 2");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.RevertBreaksForeignKey, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "remark rowid 1 (student_id = 2) references a missing student row (id)");
        Assert.DoesNotContain("remark rowid 2", refused.Message, "Cy is there");
        StringAssert.Contains(refused.Message, "only get their parent back");

        migrator.Reset();
        pair.Execute(pair.NewPath, "INSERT INTO student VALUES (2, 'Bob', NULL, 2.0)");
        migrator.Revert();
        Assert.AreEqual("reverted", migrator.Status().Phase);
        Assert.AreEqual(0L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM pragma_foreign_key_check"));
        Assert.AreEqual(2L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM remark"), "the old-only table keeps its rows");
    }

    private const string Item = HookTests.V1;
    private const string ItemWithStock = HookTests.V2;

    [TestMethod]
    public void AfterARevertTheOldFileHasItsJournalModeBackWhenNobodyHoldsIt()
    {
        using var pair = MigrationPair.Create(Item, "INSERT INTO item VALUES (1, 'one')");
        Assert.AreEqual("delete", pair.Scalar(pair.OldPath, "PRAGMA journal_mode = DELETE"), "an old service without WAL");
        var migrator = pair.Migrator(SchemaFixture.Model(ItemWithStock));
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        Assert.AreEqual("wal", pair.Scalar(pair.OldPath, "PRAGMA journal_mode"));
        pair.Execute(pair.NewPath, "INSERT INTO item VALUES (2, 'two', 5)");

        migrator.Revert();

        Assert.AreEqual("delete", pair.Scalar(pair.OldPath, "PRAGMA journal_mode"));
        Assert.IsFalse(pair.Files().Any(f => f.StartsWith(Path.GetFileName(pair.OldPath) + "-", StringComparison.Ordinal)), "no -wal or -shm left: " + string.Join(", ", pair.Files()));
        StringAssert.Contains(pair.Log[^1], "journal mode 'delete' again");
        CollectionAssert.AreEqual(new[] { "1|one", "2|two" }, pair.Rows(pair.OldPath, "SELECT id || '|' || name FROM item ORDER BY id").Select(r => (string)r[0]!).ToArray());
    }

    [TestMethod]
    public void AfterARevertAFileAnotherConnectionHoldsStaysInWalAndTheRevertSaysSo()
    {
        using var pair = MigrationPair.Create(Item, "INSERT INTO item VALUES (1, 'one')");
        pair.Scalar(pair.OldPath, "PRAGMA journal_mode = DELETE");
        var migrator = pair.Migrator(SchemaFixture.Model(ItemWithStock));
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        using var service = MigrationPair.Open(pair.OldPath);
        MigrationPair.Rows(service, "SELECT count(*) FROM item"); // the old service, connected

        migrator.Revert();

        Assert.AreEqual("wal", pair.Scalar(pair.OldPath, "PRAGMA journal_mode"));
        StringAssert.Contains(pair.Log[^1], "left in WAL mode (it was 'delete'; another connection has it open");
        Assert.AreEqual("reverted", migrator.Status().Phase);
    }
}
