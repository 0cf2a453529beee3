using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// A write made while the migration records that breaks a constraint only the new schema has (a [Check], a
/// [Strict] type): the plan checked the rows there were, so replay meets it. MigCatchUp and MigDrain refuse it
/// with the plan's own MIG code (MIG0073, MIG0074) and what to do, not with SQLite's error out of the replay;
/// nothing of the batch is applied, and after MigReset the old service writes again.
/// </summary>
[TestClass]
public sealed class CatchUpConstraintTests
{
    private const string V1 = "[PK(nameof(Id))] public sealed record Item(long Id, long Score, string? Note);";
    private const string V2 = "[PK(nameof(Id))] [Check(\"score >= 0\")] [Strict] public sealed record Item(long Id, long Score, string? Note);";

    [TestMethod]
    [DataRow("UPDATE item SET score = -1 WHERE id = 2", "MIG0073", false, DisplayName = "[Check], MigCatchUp")]
    [DataRow("UPDATE item SET score = -1 WHERE id = 2", "MIG0073", true, DisplayName = "[Check], MigDrain")]
    [DataRow("UPDATE item SET note = X'00' WHERE id = 2", "MIG0074", false, DisplayName = "[Strict], MigCatchUp")]
    [DataRow("UPDATE item SET note = X'00' WHERE id = 2", "MIG0074", true, DisplayName = "[Strict], MigDrain")]
    public void AWriteWhileRecordingThatBreaksANewConstraintIsRefusedWithItsMigCode(string write, string code, bool drain)
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item(id, score, note) VALUES (1, 1, 'a'), (2, 2, 'b')");
        var migrator = pair.Migrator(SchemaFixture.Model(V2));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "UPDATE item SET score = 10 WHERE id = 1");
        pair.Execute(pair.OldPath, write);

        var refused = Assert.ThrowsExactly<MigOperationException>(() => { if (drain) migrator.Drain(); else migrator.CatchUp(); });
        Assert.AreEqual(code, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "MigReset");
        Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT score FROM item WHERE id = 1"), "nothing of the failing batch was applied");
        StringAssert.Contains(migrator.Status().Next, code, "MigStatus names the refusal");

        migrator.Reset();
        pair.Execute(pair.OldPath, "UPDATE item SET score = 3, note = 'c' WHERE id = 2"); // the old service writes again
    }
}
