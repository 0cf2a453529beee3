using Mig.Migration;
using Mig.Schema;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Hot migrations between an enum's integer and name forms ([StoreAsText]): the copy and replay
/// convert through one CASE over the members, verify compares through it, a value with no member
/// is a loss the plan lists by rowid (refused, nothing changed, unless accepted), and a name the
/// enum lost breaks the new CHECK (MIG0073).
/// </summary>
[TestClass]
public sealed class EnumTextMigrationTests
{
    internal const string AsInteger = """
        public enum Status { Open, Shipped, Cancelled }
        [PK(nameof(Id))]
        public sealed record Order(long Id, Status Status, Status? Previous);
        """;

    internal const string AsName = """
        [StoreAsText]
        public enum Status { Open, Shipped, Cancelled }
        [PK(nameof(Id))]
        public sealed record Order(long Id, Status Status, Status? Previous);
        """;

    private static readonly Lazy<SchemaModel> IntegerModel = new(() => SchemaFixture.Model(AsInteger));
    private static readonly Lazy<SchemaModel> NameModel = new(() => SchemaFixture.Model(AsName));

    [TestMethod]
    public void IntegerToNameConvertsTheCopyAndTheWritesMadeWhileRecording()
    {
        using var pair = MigrationPair.Create(IntegerModel.Value, "INSERT INTO \"order\" VALUES (1, 0, NULL), (2, 1, 0), (3, 2, 1)");
        var migrator = pair.Migrator(NameModel.Value);
        var plan = migrator.Plan();
        Assert.IsEmpty(plan.Errors);
        Assert.IsEmpty(plan.Losses);
        CollectionAssert.Contains(PlanReport.Lines(plan).ToList(), "    status: <- status, same name, converted: integer -> enum name (Status)");
        migrator.Migrate(offline: false, allowDataLoss: false);

        // The old service keeps writing integers while the migration records.
        pair.Execute(pair.OldPath, "INSERT INTO \"order\" VALUES (4, 2, NULL)");
        pair.Execute(pair.OldPath, "UPDATE \"order\" SET status = 1, previous = 0 WHERE id = 1");
        pair.Execute(pair.OldPath, "DELETE FROM \"order\" WHERE id = 3");
        migrator.CatchUp();
        pair.Execute(pair.OldPath, "UPDATE \"order\" SET previous = 2 WHERE id = 4");
        migrator.Drain();
        Assert.IsTrue(migrator.Verify().Ok, "verify compares through the conversion");
        migrator.Cutover();

        AreEqual([Row(1L, "Shipped", "Open"), Row(2L, "Shipped", "Open"), Row(4L, "Cancelled", "Cancelled")],
            pair.Rows(pair.NewPath, "SELECT id, status, previous FROM \"order\" ORDER BY id"));
    }

    private static readonly string[] Names = ["Open", "Shipped", "Cancelled"];

    [TestMethod]
    public void IntegerToNameUnderALiveWriter() =>
        UnderALiveWriter(IntegerModel.Value, NameModel.Value, i => (long)i, i => Names[i], "INSERT INTO \"order\" VALUES (1, 0, NULL), (2, 2, 1)");

    [TestMethod]
    public void NameToIntegerUnderALiveWriter() =>
        UnderALiveWriter(NameModel.Value, IntegerModel.Value, i => Names[i], i => (long)i, "INSERT INTO \"order\" VALUES (1, 'Open', NULL), (2, 'Cancelled', 'Shipped')");

    /// <summary>
    /// The old service writes the old form all through the copy and catch-up, until the drain pauses it;
    /// the new file then holds each of its rows in the new form, and verify agrees.
    /// </summary>
    private static void UnderALiveWriter(SchemaModel from, SchemaModel to, Func<int, object> oldValue, Func<int, object> newValue, string rows)
    {
        using var pair = MigrationPair.Create(from, rows);
        var migrator = pair.Migrator(to);
        var before = pair.Rows(pair.OldPath, "SELECT id, status, previous FROM \"order\" ORDER BY id");
        using var writer = new EnumWriter(pair.OldPath, oldValue, firstId: 100);
        writer.WaitForCommits(20);
        migrator.Migrate(offline: false, allowDataLoss: false);
        writer.WaitForCommits(writer.Commits + 50);
        migrator.CatchUp();
        writer.WaitForCommits(writer.Commits + 50);
        migrator.Drain();
        writer.Stop();
        Assert.IsTrue(migrator.Verify().Ok, "verify compares through the conversion");
        migrator.Cutover();

        var expected = before.Select(r => Row(r[0], Convert(r[1]), Convert(r[2])))
            .Concat(writer.Rows.Select(kv => Row(kv.Key, newValue(kv.Value.Status), kv.Value.Previous is { } p ? newValue(p) : null))).ToList();
        AreEqual(expected, pair.Rows(pair.NewPath, "SELECT id, status, previous FROM \"order\" ORDER BY id"));

        object? Convert(object? v) => v switch
        {
            null => null,
            long l => newValue((int)l),
            string s => newValue(Array.IndexOf(Names, s)),
            _ => throw new AssertFailedException($"unexpected {v}"),
        };
    }

    [TestMethod]
    public void NameToIntegerConvertsBackTheSameWay()
    {
        using var pair = MigrationPair.Create(NameModel.Value, "INSERT INTO \"order\" VALUES (1, 'Open', NULL), (2, 'Cancelled', 'Shipped')");
        var migrator = pair.Migrator(IntegerModel.Value);
        Assert.IsEmpty(migrator.Plan().Losses);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "INSERT INTO \"order\" VALUES (3, 'Shipped', 'Cancelled')");
        pair.Execute(pair.OldPath, "UPDATE \"order\" SET previous = 'Open' WHERE id = 1");
        migrator.Drain();
        migrator.Cutover();
        AreEqual([Row(1L, 0L, 0L), Row(2L, 2L, 1L), Row(3L, 1L, 2L)],
            pair.Rows(pair.NewPath, "SELECT id, status, previous FROM \"order\" ORDER BY id"));
    }

    [TestMethod]
    public void AnIntegerWithNoMemberIsALossRefusedWithNothingChanged()
    {
        using var pair = MigrationPair.Create(IntegerModel.Value, "INSERT INTO \"order\" VALUES (1, 0, 1), (2, 1, 7), (3, 2, 9)");
        var before = MigrationPair.Hash(pair.OldPath);
        var plan = pair.Migrator(NameModel.Value).Plan(online: false);
        var loss = plan.Losses.Single();
        Assert.AreEqual("order.previous", $"{loss.Table}.{loss.Column}");
        StringAssert.Contains(loss.What, "2 value(s) of order.previous name no member of Status and become NULL");
        StringAssert.Contains(loss.What, "rowid 2: 7, rowid 3: 9");

        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(NameModel.Value).Migrate(offline: true, allowDataLoss: false));
        Assert.AreEqual(MigCode.DataLoss, e.Code, e.Message);
        Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath), "the old file is unchanged");
        Assert.IsFalse(File.Exists(pair.NewPath), "no new file");

        pair.Migrator(NameModel.Value).Migrate(offline: true, allowDataLoss: true);
        AreEqual([Row(1L, "Open", "Shipped"), Row(2L, "Shipped", null), Row(3L, "Cancelled", null)],
            pair.Rows(pair.NewPath, "SELECT id, status, previous FROM \"order\" ORDER BY id"), "accepted: the unknown values are NULL");
    }

    [TestMethod]
    public void AnUnknownValueInANotNullColumnWithoutDefaultIsRefusedEvenWithConsent()
    {
        using var pair = MigrationPair.Create(IntegerModel.Value, "INSERT INTO \"order\" VALUES (1, 0, NULL), (2, 5, NULL)");
        var before = MigrationPair.Hash(pair.OldPath);
        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(NameModel.Value).Migrate(offline: true, allowDataLoss: true));
        Assert.AreEqual(MigCode.UnknownEnumValue, e.Code, e.Message);
        StringAssert.Contains(e.Message, "rowid 2: 5");
        Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath));
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void AnUnknownValueTakesTheDefaultOfANotNullColumn()
    {
        var withDefault = SchemaFixture.Model(AsName.Replace("[PK(nameof(Id))]", "[PK(nameof(Id))]\n[Default(nameof(Status), \"'Open'\")]", StringComparison.Ordinal));
        using var pair = MigrationPair.Create(IntegerModel.Value, "INSERT INTO \"order\" VALUES (1, 2, NULL), (2, 5, NULL)");
        var loss = pair.Migrator(withDefault).Plan(online: false).Losses.Single();
        StringAssert.Contains(loss.What, "become 'Open'");
        pair.Migrator(withDefault).Migrate(offline: true, allowDataLoss: true);
        AreEqual([Row(1L, "Cancelled"), Row(2L, "Open")], pair.Rows(pair.NewPath, "SELECT id, status FROM \"order\" ORDER BY id"));
    }

    [TestMethod]
    public void ANameTheEnumNoLongerHasBreaksTheNewCheckAndIsRefused()
    {
        using var pair = MigrationPair.Create(NameModel.Value, "INSERT INTO \"order\" VALUES (1, 'Open', NULL), (2, 'Cancelled', NULL)");
        var renamed = SchemaFixture.Model(AsName.Replace("Cancelled }", "Withdrawn }", StringComparison.Ordinal));
        var before = MigrationPair.Hash(pair.OldPath);
        var error = pair.Migrator(renamed).Plan(online: false).Errors.Single();
        Assert.AreEqual(MigCode.CheckViolated, error.Code);
        StringAssert.Contains(error.Message, "(rowids 2)");
        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(renamed).Migrate(offline: true, allowDataLoss: true));
        Assert.AreEqual(MigCode.CheckViolated, e.Code);
        Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath));

        // The old name kept as an alias: the CHECK allows it, and the rows keep it.
        var aliased = SchemaFixture.Model(AsName.Replace("Cancelled }", "Withdrawn, Cancelled = Withdrawn }", StringComparison.Ordinal));
        pair.Migrator(aliased).Migrate(offline: true, allowDataLoss: false);
        AreEqual([Row(1L, "Open"), Row(2L, "Cancelled")], pair.Rows(pair.NewPath, "SELECT id, status FROM \"order\" ORDER BY id"));
    }

    [TestMethod]
    public void AnUnknownIntegerWrittenWhileRecordingIntoANotNullColumnStopsTheDrainWithACode()
    {
        using var pair = MigrationPair.Create(IntegerModel.Value, "INSERT INTO \"order\" VALUES (1, 0, NULL)");
        var migrator = pair.Migrator(NameModel.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "INSERT INTO \"order\" VALUES (2, 42, NULL)");

        var errors = new List<string>();
        var request = new MigrationRequest("drain", "app") { Database = pair.OldPath, NewDatabase = pair.NewPath };
        var exit = CommandFailures.Run(() => "test", m => m, errors.Add,
            () => MigrationVerbs.Run(request, NameModel.Value, new CommandOutput(_ => { }, _ => { }, errors.Add)));

        Assert.AreEqual(1, exit);
        StringAssert.Contains(errors.Last(), $"error {MigCode.UnknownEnumValue}: ");
        StringAssert.Contains(errors.Last(), "MigReset");
        Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM \"order\""), "nothing of the failed replay batch is in the new file");
    }

    [TestMethod]
    public void AnUnknownIntegerWrittenWhileRecordingStopsCutoverUntilAccepted()
    {
        using var pair = MigrationPair.Create(IntegerModel.Value, "INSERT INTO \"order\" VALUES (1, 0, 1)");
        var migrator = pair.Migrator(NameModel.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "UPDATE \"order\" SET previous = 42 WHERE id = 1");
        migrator.Drain();
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Cutover());
        Assert.AreEqual(MigCode.DataLoss, e.Code, e.Message);
        StringAssert.Contains(e.Message, "rowid 1: 42");
        migrator.Cutover(allowDataLoss: true);
        AreEqual([Row(1L, "Open", null)], pair.Rows(pair.NewPath, "SELECT id, status, previous FROM \"order\""));
    }
}
