using System.Globalization;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// MigRevert's catch-up and a row the old table cannot take: a column only the old schema has is NOT NULL without
/// a default, so a row inserted into the new file since cutover has no value for it (MIG0081, refused before
/// anything is written back). Such a row inserted while the catch-up replays is refused the same way, with its MIG
/// code and nothing of it in the old file, not with SQLite's constraint error out of the middle of the replay.
/// </summary>
[TestClass]
public sealed class RevertCatchUpInsertTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name, long Legacy);
        """;

    private const string V2 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name);
        """;

    private const string Many = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) ";

    [TestMethod]
    [DoNotParallelize] // FaultPoint.Listener is process-wide
    public void ARowTheOldTableCannotTakeInsertedDuringTheCatchUpIsRefusedWithItsMigCode()
    {
        using var pair = MigrationPair.Create(V1, Many + "INSERT INTO item(id, name, legacy) SELECT i, 'v1 ' || i, i FROM n");
        var migrator = pair.Migrator(SchemaFixture.Model(V2));
        migrator.Migrate(offline: false, allowDataLoss: true);
        migrator.Drain();
        migrator.Cutover(allowDataLoss: true);
        // A backlog of updates (rows the old file has): the revert catches up in more than one pass.
        RevertTests.Exec(pair.NewPath, "UPDATE item SET name = 'v2 ' || id");
        var injected = false;
        FaultPoint.Listener = name =>
        {
            if (name != FaultPoint.CatchUp || injected) return;
            injected = true;
            // After the first catch-up batch: a new row, then enough writes for another pass that replays it.
            RevertTests.Exec(pair.NewPath, "INSERT INTO item(id, name) VALUES (5000, 'new'); UPDATE item SET name = name || '!' WHERE id <= 2000");
        };
        MigOperationException refused;
        try
        {
            refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert(allowDataLoss: true));
        }
        finally
        {
            FaultPoint.Listener = null;
        }
        Assert.IsTrue(injected, "the catch-up ran");
        Assert.AreEqual(MigCode.RevertUnsupported, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "legacy");
        Assert.AreEqual(0L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM item WHERE id = 5000"), "nothing of the row is in the old file");
        Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM item WHERE id = 5000"), "the new file keeps it");

        // Once that row is gone from the new file (its service deleted it), the revert goes on from where it stopped.
        var phase = migrator.Status().Phase;
        if (phase == "reverting" && HotDb.Marker(pair.NewPath) != Protocol.Revertible) migrator.Reset();
        RevertTests.Exec(pair.NewPath, "DELETE FROM item WHERE id = 5000");
        migrator.Revert(allowDataLoss: true);
        Assert.AreEqual("reverted", migrator.Status().Phase);
        Assert.AreEqual(3000L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM item WHERE name = 'v2 ' || id || CASE WHEN id <= 2000 THEN '!' ELSE '' END AND legacy = id"),
            string.Create(CultureInfo.InvariantCulture, $"every row written back with its old-only value kept"));
    }
}
