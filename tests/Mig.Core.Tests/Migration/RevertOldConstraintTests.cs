using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Constraints only the old schema has ([Check], [Strict]) that rows the new service wrote break: writing them back
/// fails in SQLite, and MigRevert says so with its MIG code (MIG0081) and what to do, rather than with SQLite's
/// error out of the middle of a replay; the failed batch is rolled back, and once the new service fixes the rows
/// the revert goes through.
/// </summary>
[TestClass]
public sealed class RevertOldConstraintTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        [Check("score >= 0")]
        [Strict]
        public sealed record Item(long Id, long Score, string? Note);
        """;

    private const string V2 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, long Score, string? Note);
        """;

    [TestMethod]
    [DataRow("UPDATE item SET score = -1 WHERE id = 2", "CHECK", DisplayName = "a [Check] of the old schema")]
    [DataRow("UPDATE item SET note = X'00' WHERE id = 2", "note", DisplayName = "a value the old [Strict] table refuses")]
    public void ARowTheOldSchemaRefusesIsRefusedWithItsMigCode(string write, string named)
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item(id, score, note) VALUES (1, 1, 'a'), (2, 2, 'b')");
        var migrator = pair.Migrator(SchemaFixture.Model(V2));
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        pair.Execute(pair.NewPath, "UPDATE item SET score = 10 WHERE id = 1");
        pair.Execute(pair.NewPath, write);

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert(allowDataLoss: true));
        Assert.AreEqual(MigCode.RevertUnsupported, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, named);
        Assert.AreEqual(2L, pair.Scalar(pair.OldPath, "SELECT score FROM item WHERE id = 2"), "the row the old schema refuses is not written back");
        if (HotDb.Marker(pair.NewPath) != Protocol.Revertible) migrator.Reset();
        Assert.AreEqual("cut-over", migrator.Status().Phase, "the new file serves");

        pair.Execute(pair.NewPath, "UPDATE item SET score = 3, note = 'c' WHERE id = 2");
        migrator.Revert();
        CollectionAssert.AreEqual(new object?[] { "1|10|a", "2|3|c" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || score || '|' || note FROM item ORDER BY id").Select(r => r[0]).ToArray());
    }
}
