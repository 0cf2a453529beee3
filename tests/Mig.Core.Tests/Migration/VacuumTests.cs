using Mig.Migration;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// VACUUM of the old file while a migration records (the log makes the old file grow, so an operator
/// may well reach for it). SQLite gives new rowids to the rows of a table with neither an INTEGER
/// PRIMARY KEY nor an index, fires no trigger, and the log names rows by rowid: replay would change the
/// wrong rows. Mig refuses before it pauses writes (MIG0083); where rowids cannot move, VACUUM is harmless.
/// </summary>
[TestClass]
public sealed class VacuumTests
{
    private const string Keyed = """
        [PK(nameof(Code))]
        public sealed record Tag(string Code, string Label);
        """;

    // A legacy table with no key and no index (as an app made it by hand), and the schema that gives it a key.
    private static readonly string[] Legacy =
    [
        "CREATE TABLE tag(code TEXT NOT NULL, label TEXT NOT NULL)",
        "INSERT INTO tag(rowid, code, label) VALUES (1, 'a', 'A'), (2, 'b', 'B'), (3, 'c', 'C'), (4, 'd', 'D')",
        "DELETE FROM tag WHERE rowid = 2", // a gap: VACUUM closes it, so 'c' and 'd' get other rowids
    ];

    [TestMethod]
    public void AVacuumThatCanRenumberACapturedTableIsRefusedBeforeWritesPauseAndAResetLosesNothing()
    {
        using var pair = MigrationPair.Create("", Legacy);
        var v2 = SchemaFixture.Model(Keyed);
        pair.Migrator(v2).Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("UPDATE tag SET label = 'C2' WHERE code = 'c'");
        Sqlite3Shell.Run(pair.OldPath, "VACUUM;");
        Assert.AreEqual("c", pair.Scalar(pair.OldPath, "SELECT code FROM tag WHERE rowid = 2"), "SQLite renumbered the rows (this test needs it)");
        pair.WriteOld("UPDATE tag SET label = 'D2' WHERE code = 'd'", "DELETE FROM tag WHERE code = 'a'");

        var catchUp = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(v2).CatchUp());
        Assert.AreEqual(MigCode.OldFileRebuilt, catchUp.Code, catchUp.Message);
        var drain = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(v2).Drain());
        Assert.AreEqual(MigCode.OldFileRebuilt, drain.Code, drain.Message);
        StringAssert.Contains(drain.Message, "tag (no INTEGER PRIMARY KEY and no index)");
        Assert.AreEqual(Protocol.Recording, pair.Scalar(pair.OldPath, $"SELECT status FROM {Protocol.MarkerTable}"), "writes were not paused");

        // The advice: reset, migrate again; the rows written across the VACUUM arrive.
        pair.Migrator(v2).Reset();
        pair.WriteOld("INSERT INTO tag(code, label) VALUES ('e', 'E')");
        pair.Migrator(v2).Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("UPDATE tag SET label = 'E2' WHERE code = 'e'");
        pair.Migrator(v2).Drain();
        pair.Migrator(v2).Cutover();
        AreEqual([Row("c", "C2"), Row("d", "D2"), Row("e", "E2")], pair.Rows(pair.NewPath, "SELECT code, label FROM tag ORDER BY code"));
    }

    /// <summary>
    /// After cutover the old file is paused and out of service, and a maintenance job may VACUUM it: MigRevert writes
    /// rows back by rowid, so it refuses before it pauses the new file, and writes nothing into the old one.
    /// </summary>
    [TestMethod]
    public void AVacuumOfTheOldFileAfterCutoverIsRefusedByMigRevertBeforeItPausesAnything()
    {
        using var pair = MigrationPair.Create("", Legacy);
        var migrator = pair.CutOver(SchemaFixture.Model(Keyed));
        Sqlite3Shell.Run(pair.OldPath, "VACUUM;");
        AreEqual([Row(1L, "a", "A"), Row(2L, "c", "C"), Row(3L, "d", "D")], pair.Rows(pair.OldPath, "SELECT rowid, code, label FROM tag ORDER BY rowid"), "SQLite renumbered the rows (this test needs it)");
        pair.Execute(pair.NewPath, "UPDATE tag SET label = 'C2' WHERE code = 'c'");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.OldFileRebuilt, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "tag (no INTEGER PRIMARY KEY and no index)");
        StringAssert.Contains(refused.Message, "MigArchiveOld -p:MigArchiveTo=");
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "refused before the pause: the new file keeps serving");
        AreEqual([Row(1L, "a", "A"), Row(2L, "c", "C"), Row(3L, "d", "D")], pair.Rows(pair.OldPath, "SELECT rowid, code, label FROM tag ORDER BY rowid"), "nothing was written back");
        Assert.AreEqual("cut-over", migrator.Status().Phase);
    }

    [TestMethod]
    public void AVacuumOfTablesWhoseRowIdsItKeepsIsHarmless()
    {
        const string v1 = """
            [PK(nameof(Code))]
            public sealed record Tag(string Code, string Label);

            [AutoIncPK(nameof(Id))]
            public sealed record Note(long Id, string Body);
            """;
        using var pair = MigrationPair.Create(v1,
            "INSERT INTO tag(rowid, code, label) VALUES (1, 'a', 'A'), (5, 'b', 'B')", "INSERT INTO note(id, body) VALUES (3, 'x'), (9, 'y')");
        var v2 = SchemaFixture.Model(v1.Replace("string Body", "string Body, string? Extra", StringComparison.Ordinal));
        pair.Migrator(v2).Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("UPDATE tag SET label = 'B2' WHERE code = 'b'");
        Sqlite3Shell.Run(pair.OldPath, "VACUUM;");
        pair.WriteOld("UPDATE note SET body = 'y2' WHERE id = 9", "DELETE FROM tag WHERE code = 'a'");
        pair.Migrator(v2).Drain();
        pair.Migrator(v2).Cutover();
        AreEqual([Row(5L, "b", "B2")], pair.Rows(pair.NewPath, "SELECT rowid, code, label FROM tag"));
        AreEqual([Row(3L, "x"), Row(9L, "y2")], pair.Rows(pair.NewPath, "SELECT id, body FROM note ORDER BY id"));
    }

    [TestMethod]
    public void AnalyzeReindexAndOptimizeDoNotLookLikeAVacuum()
    {
        using var pair = MigrationPair.Create("", [.. Legacy, "ANALYZE"]);
        var v2 = SchemaFixture.Model(Keyed);
        pair.Migrator(v2).Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("UPDATE tag SET label = 'C2' WHERE code = 'c'");
        Sqlite3Shell.Run(pair.OldPath, "ANALYZE; REINDEX; PRAGMA optimize;");
        pair.Migrator(v2).Drain();
        pair.Migrator(v2).Cutover();
        AreEqual([Row("a", "A"), Row("c", "C2"), Row("d", "D")], pair.Rows(pair.NewPath, "SELECT code, label FROM tag ORDER BY code"));
    }
}
