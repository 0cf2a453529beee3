using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// MigRevert over the fills other than copy and CAST: an enum moved to its names goes back to its
/// integers through its members (a CAST would make every name 0), and a [MigrateFrom] column, which only
/// the new schema has, is a loss the revert refuses unless accepted.
/// </summary>
[TestClass]
public sealed class RevertFillTests
{
    private const string AsInteger = EnumTextMigrationTests.AsInteger;
    private const string AsName = EnumTextMigrationTests.AsName;

    [TestMethod]
    public void AnEnumStoredByNameGoesBackToItsIntegers()
    {
        using var pair = MigrationPair.Create(SchemaFixture.Model(AsInteger), "INSERT INTO \"order\" VALUES (1, 0, NULL), (2, 1, 0)");
        var migrator = pair.Migrator(SchemaFixture.Model(AsName));
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        pair.Execute(pair.NewPath, "UPDATE \"order\" SET status = 'Cancelled', previous = 'Shipped' WHERE id = 2");
        pair.Execute(pair.NewPath, "INSERT INTO \"order\" VALUES (3, 'Shipped', NULL)");

        migrator.Revert();

        CollectionAssert.AreEqual(new[] { "1|0|NULL", "2|2|1", "3|1|NULL" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || quote(status) || '|' || quote(previous) FROM \"order\" ORDER BY id").Select(r => (string)r[0]!).ToArray(),
            "names written since cutover are back as their integers");
    }

    private const string Named = """
        [PK(nameof(Id))]
        public sealed record Person(long Id, string FirstName, string LastName);
        """;

    private const string WithFullName = """
        [PK(nameof(Id))]
        public sealed record Person(long Id, string FirstName, string LastName,
            [MigrateFrom("first_name || ' ' || last_name")] string FullName);
        """;

    [TestMethod]
    public void AComputedColumnOnlyTheNewSchemaHasIsALossTheRevertRefusesUnlessAccepted()
    {
        using var pair = MigrationPair.Create(SchemaFixture.Model(Named), "INSERT INTO person VALUES (1, 'Ada', 'L'), (2, 'Alan', 'T')");
        var migrator = pair.Migrator(SchemaFixture.Model(WithFullName));
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        pair.Execute(pair.NewPath, "UPDATE person SET full_name = 'Ada Lovelace' WHERE id = 1");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.DataLoss, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "column person.full_name exists only in the new schema");

        migrator.Revert(allowDataLoss: true);
        CollectionAssert.AreEqual(new[] { "1|Ada|L", "2|Alan|T" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || first_name || '|' || last_name FROM person ORDER BY id").Select(r => (string)r[0]!).ToArray());
    }
}
