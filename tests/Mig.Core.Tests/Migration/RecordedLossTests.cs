using Mig.Migration;
using Mig.Schema;
using Mig.Sql;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Rule 5 for the writes made while a migration records: the plan can only count
/// the losses of the data it saw, so a value written afterwards into a dropped
/// column or table, or one that does not survive a planned conversion, is a loss
/// nobody accepted. Verify and cutover find it in the old file (its writes paused)
/// and refuse with MIG0042 until the operator accepts it or resets.
/// </summary>
[TestClass]
public sealed class RecordedLossTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name, string Code, string? Note);
        [PK(nameof(Id))]
        public sealed record Scratch(long Id, string What);
        """;

    // code TEXT -> INTEGER, note dropped, scratch dropped.
    private const string V2 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name, long Code);
        """;

    private static readonly Lazy<SchemaModel> V2Model = new(() => SchemaFixture.Model(V2));

    [TestMethod]
    public void AValueWrittenWhileRecordingThatDoesNotSurviveTheConversionStopsCutover()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one', '10', NULL), (2, 'two', '20', NULL)");
        var migrator = pair.Migrator(V2Model.Value);
        Assert.IsEmpty(migrator.Plan().Losses, "every code is numeric when the plan runs");
        migrator.Migrate(offline: false, allowDataLoss: false);

        pair.Execute(pair.OldPath, "UPDATE item SET code = 'abc' WHERE id = 2");
        pair.Execute(pair.OldPath, "INSERT INTO item VALUES (3, 'three', '1.5', NULL)");
        migrator.Drain();

        var verify = Assert.ThrowsExactly<MigOperationException>(() => migrator.Verify());
        Assert.AreEqual(MigCode.DataLoss, verify.Code, verify.Message);
        var cutover = Assert.ThrowsExactly<MigOperationException>(() => migrator.Cutover());
        Assert.AreEqual(MigCode.DataLoss, cutover.Code, cutover.Message);
        StringAssert.Contains(cutover.Message, "2 value(s) of item.code do not survive TEXT -> INTEGER (rowids 2, 3)");
        StringAssert.Contains(cutover.Message, "-p:MigAllowDataLoss=true");
        StringAssert.Contains(cutover.Message, "MigReset");
        Assert.AreEqual(Protocol.Migrating, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"), "refused: not served");
        Assert.AreEqual(Protocol.Draining, pair.Scalar(pair.OldPath, $"SELECT status FROM {Protocol.MarkerTable}"));

        migrator.Cutover(allowDataLoss: true);

        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        AreEqual([Row(1L, "one", 10L), Row(2L, "two", 0L), Row(3L, "three", 1L)],
            pair.Rows(pair.NewPath, "SELECT id, name, code FROM item ORDER BY id"), "accepted: converted as the copy converts");
        CollectionAssert.Contains(pair.Log, "Mig: DATA LOSS accepted by -p:MigAllowDataLoss=true: 2 value(s) of item.code do not survive TEXT -> INTEGER (rowids 2, 3)");
    }

    [TestMethod]
    public void DataWrittenWhileRecordingIntoADroppedColumnOrTableStopsCutoverUntilReset()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one', '10', NULL)");
        var migrator = pair.Migrator(V2Model.Value);
        Assert.IsEmpty(migrator.Plan().Losses, "note and scratch hold nothing when the plan runs");
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "UPDATE item SET note = 'call back' WHERE id = 1");
        pair.Execute(pair.OldPath, "INSERT INTO scratch VALUES (1, 'kept only in the old file')");
        migrator.Drain();
        var oldHash = MigrationPair.Hash(pair.OldPath);

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Cutover());

        Assert.AreEqual(MigCode.DataLoss, e.Code, e.Message);
        StringAssert.Contains(e.Message, "column item.note is dropped with 1 non-null value(s)");
        StringAssert.Contains(e.Message, "table scratch is dropped with its 1 rows");
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath), "a refused cutover leaves the old file as it was");
        var status = migrator.Status();
        Assert.AreEqual("drained", status.Phase);
        StringAssert.StartsWith(status.Next, $"The last MigCutover verify failed {MigCode.DataLoss}: ");
        StringAssert.Contains(status.Next, "table scratch is dropped with its 1 rows");

        migrator.Reset();

        Assert.IsFalse(File.Exists(pair.NewPath));
        AreEqual([Row(1L, "call back")], pair.Rows(pair.OldPath, "SELECT id, note FROM item"), "the old service's writes are all there");
        AreEqual([Row(1L, "kept only in the old file")], pair.Rows(pair.OldPath, "SELECT id, what FROM scratch"));
    }

    [TestMethod]
    public void ALossAcceptedWhenTheMigrationStartedCoversLaterWritesToTheSameColumn()
    {
        using var pair = MigrationPair.Create(V1,
            "INSERT INTO item VALUES (1, 'one', '10', 'old note')",
            "INSERT INTO scratch VALUES (1, 'temp')");
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: true);
        CollectionAssert.Contains(pair.Log, "  The plan loses data; -p:MigAllowDataLoss=true accepts it.");
        CollectionAssert.DoesNotContain(pair.Log, "  The plan loses data; MigMigrate refuses it without -p:MigAllowDataLoss=true.");

        pair.Execute(pair.OldPath, "UPDATE item SET note = 'new note' WHERE id = 1");
        pair.Execute(pair.OldPath, "INSERT INTO scratch VALUES (2, 'more temp')");
        pair.Execute(pair.OldPath, "INSERT INTO item VALUES (2, 'two', 'x', NULL)");
        migrator.Drain();

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Cutover());
        Assert.AreEqual(MigCode.DataLoss, e.Code);
        StringAssert.Contains(e.Message, "item.code", "the conversion's loss was not among those accepted");
        Assert.DoesNotContain("item.note is dropped", e.Message, "the dropped column was accepted");
        Assert.DoesNotContain("table scratch", e.Message, "the dropped table was accepted");

        Assert.AreEqual(Protocol.Migrating, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
    }
}
