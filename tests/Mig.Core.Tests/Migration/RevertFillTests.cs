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
        var migrator = pair.CutOver(SchemaFixture.Model(AsName));
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
        var migrator = pair.CutOver(SchemaFixture.Model(WithFullName));
        pair.Execute(pair.NewPath, "UPDATE person SET full_name = 'Ada Lovelace' WHERE id = 1");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.DataLoss, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "column person.full_name exists only in the new schema");

        migrator.Revert(allowDataLoss: true);
        CollectionAssert.AreEqual(new[] { "1|Ada|L", "2|Alan|T" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || first_name || '|' || last_name FROM person ORDER BY id").Select(r => (string)r[0]!).ToArray());
    }

    /// <summary>
    /// A column only the old schema has keeps its value where the new service updated the row (an UPDATE, or an
    /// INSERT OR REPLACE of the same key, as an upsert), but a rowid the new service deleted and SQLite handed out again
    /// (without AUTOINCREMENT the highest id comes back) is another row: written back, it takes the column's default,
    /// never the deleted row's value.
    /// </summary>
    [TestMethod]
    public void ARowIdInsertedAgainOnTheNewFileDoesNotInheritTheEarlierRowsOldOnlyValues()
    {
        using var pair = MigrationPair.Create("[Table(\"anchor\")] [PK(nameof(Id))] public sealed record Anchor(long Id);",
            "CREATE TABLE member(id INTEGER PRIMARY KEY, name TEXT NOT NULL, pw_hash TEXT NOT NULL DEFAULT '')",
            "INSERT INTO member(id, name, pw_hash) VALUES (1, 'ann', 'h1'), (2, 'bob', 'h2'), (3, 'cy', 'h3')");
        var migrator = pair.CutOver(SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Member(long Id, string Name);
            """), allowDataLoss: true);
        pair.Execute(pair.NewPath, "DELETE FROM member WHERE id = 3");
        pair.Execute(pair.NewPath, "INSERT INTO member(name) VALUES ('eve')");
        Assert.AreEqual(3L, pair.Scalar(pair.NewPath, "SELECT id FROM member WHERE name = 'eve'"), "SQLite reused the rowid (this test needs it)");
        pair.Execute(pair.NewPath, "INSERT OR REPLACE INTO member(id, name) VALUES (1, 'ann2')");
        pair.Execute(pair.NewPath, "UPDATE member SET name = 'bob2' WHERE id = 2");

        migrator.Revert();

        CollectionAssert.AreEqual(new[] { "1|ann2|h1", "2|bob2|h2", "3|eve|" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || name || '|' || pw_hash FROM member ORDER BY id").Select(r => (string)r[0]!).ToArray(),
            "an updated row keeps its old-only value; a deleted rowid in use again takes the default: " + string.Join(" / ", pair.Rows(pair.OldPath, "SELECT quote(id) || quote(name) || quote(pw_hash) FROM member ORDER BY rowid").Select(r => (string)r[0]!)));
    }
}
