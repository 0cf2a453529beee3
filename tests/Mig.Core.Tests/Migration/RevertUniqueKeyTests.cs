using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// A unique key only the old schema has: the new service may write values that repeat in it, which the old
/// table cannot hold. Writing them back would make a REPLACE drop rows the new file keeps (or fail), so
/// MigRevert refuses (MIG0053, naming the values and rowids) before it pauses or writes anything, as
/// MigCutover refuses repeated values of a key only the new schema has; once the new service makes them
/// unique again the revert goes through.
/// </summary>
[TestClass]
public sealed class RevertUniqueKeyTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        [Unique(nameof(Code))]
        public sealed record Item(long Id, string? Code);
        """;

    private const string V2 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string? Code);
        """;

    [TestMethod]
    public void RepeatedValuesOfAKeyOnlyTheOldSchemaHasAreRefusedBeforeAnythingIsWrittenBack()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item(id, code) VALUES (1, 'a'), (2, 'b'), (3, NULL)");
        var migrator = pair.CutOver(SchemaFixture.Model(V2));
        pair.Execute(pair.NewPath, "INSERT INTO item(id, code) VALUES (4, 'a'), (5, NULL)");
        pair.Execute(pair.NewPath, "UPDATE item SET code = 'c' WHERE id = 2");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert(allowDataLoss: true));
        Assert.AreEqual(MigCode.DuplicateKey, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "item (code)");
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "refused before the pause: the new file keeps serving");
        CollectionAssert.AreEqual(new object?[] { "1|a", "2|b", "3|" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || coalesce(code, '') FROM item ORDER BY id").Select(r => r[0]).ToArray(), "nothing was written back");

        pair.Execute(pair.NewPath, "UPDATE item SET code = 'd' WHERE id = 4");
        migrator.Revert();
        CollectionAssert.AreEqual(new object?[] { "1|a", "2|c", "3|", "4|d", "5|" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || coalesce(code, '') FROM item ORDER BY id").Select(r => r[0]).ToArray());
    }

    /// <summary>An old unique key with a collation (a hand-written table): 'a' and 'A' repeat there though the new file's byte compare keeps them apart.</summary>
    [TestMethod]
    public void ValuesEqualUnderTheOldKeysCollationAreRefused()
    {
        using var pair = MigrationPair.Create("[Table(\"anchor\")] [PK(nameof(Id))] public sealed record Anchor(long Id);",
            "CREATE TABLE item(id INTEGER PRIMARY KEY, code TEXT, UNIQUE (code COLLATE NOCASE))",
            "INSERT INTO item(id, code) VALUES (1, 'a'), (2, 'b')");
        var migrator = pair.CutOver(SchemaFixture.Model(V2.Replace("[PK(nameof(Id))]", "[PK(nameof(Id))] [Unique(nameof(Code))]", StringComparison.Ordinal)));
        pair.Execute(pair.NewPath, "INSERT INTO item(id, code) VALUES (3, 'A')");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.DuplicateKey, refused.Code, refused.Message);
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "refused before the pause");
        pair.Execute(pair.NewPath, "UPDATE item SET code = 'c' WHERE id = 3");
        migrator.Revert();
        CollectionAssert.AreEqual(new object?[] { "1|a", "2|b", "3|c" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || code FROM item ORDER BY id").Select(r => r[0]).ToArray());
    }

    /// <summary>
    /// A partial unique index of the old file holds only the rows its condition selects: values may repeat among the
    /// others, and a repeat among those it selects is refused before the pause, then goes back once made unique.
    /// </summary>
    [TestMethod]
    public void RepeatedValuesOfAPartialUniqueIndexAreRefusedOnlyWhereItsConditionHolds()
    {
        using var pair = MigrationPair.Create("[Table(\"anchor\")] [PK(nameof(Id))] public sealed record Anchor(long Id);",
            "CREATE TABLE item(id INTEGER PRIMARY KEY, code TEXT, active INTEGER NOT NULL DEFAULT 1)",
            "CREATE UNIQUE INDEX item_live_code ON item(code) WHERE active = 1 AND code <> 'where ('",
            "INSERT INTO item(id, code, active) VALUES (1, 'a', 1), (2, 'b', 1), (3, 'a', 0)");
        var migrator = pair.CutOver(SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string? Code, long Active);
            """));
        pair.Execute(pair.NewPath, "INSERT INTO item(id, code, active) VALUES (4, 'a', 0), (5, 'b', 1), (6, 'where (', 1), (7, 'where (', 1)");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.DuplicateKey, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "item (code) must be unique in the old schema where active = 1");
        StringAssert.Contains(refused.Message, "'b' in 2 rows (rowids 2, 5)");
        Assert.DoesNotContain("'a'", refused.Message, "rows the condition leaves out may repeat");
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "refused before the pause: the new file keeps serving");
        Assert.AreEqual(3L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM item"), "nothing was written back");

        pair.Execute(pair.NewPath, "UPDATE item SET active = 0 WHERE id = 5");
        migrator.Revert();
        CollectionAssert.AreEqual(new object?[] { "1|a|1", "2|b|1", "3|a|0", "4|a|0", "5|b|0", "6|where (|1", "7|where (|1" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || code || '|' || active FROM item ORDER BY id").Select(r => r[0]).ToArray());
    }

    /// <summary>
    /// An old unique key with a column the new schema dropped: a row that goes back keeps its old value there and a new
    /// row takes the column's default, so only a new row that meets an old one under that default repeats.
    /// </summary>
    [TestMethod]
    public void AKeyWithAColumnOnlyTheOldSchemaHasIsCheckedWithTheValuesTheWriteBackLeaves()
    {
        using var pair = MigrationPair.Create("[Table(\"anchor\")] [PK(nameof(Id))] public sealed record Anchor(long Id);",
            "CREATE TABLE item(id INTEGER PRIMARY KEY, code TEXT, region TEXT NOT NULL DEFAULT 'eu', UNIQUE (code, region))",
            "INSERT INTO item(id, code, region) VALUES (1, 'a', 'eu'), (2, 'b', 'us')");
        var migrator = pair.CutOver(SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string? Code);
            """), allowDataLoss: true);
        pair.Execute(pair.NewPath, "INSERT INTO item(id, code) VALUES (3, 'b'), (4, 'a')");
        pair.Execute(pair.NewPath, "UPDATE item SET code = 'a' WHERE id = 2");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.DuplicateKey, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "item (code, region)");
        StringAssert.Contains(refused.Message, "'a', 'eu' in 2 rows (rowids 1, 4)");
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "refused before the pause");

        pair.Execute(pair.NewPath, "UPDATE item SET code = 'c' WHERE id = 4");
        migrator.Revert();
        CollectionAssert.AreEqual(new object?[] { "1|a|eu", "2|a|us", "3|b|eu", "4|c|eu" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || code || '|' || region FROM item ORDER BY id").Select(r => r[0]).ToArray());
    }

    /// <summary>
    /// The scratch copy compares as the old table does: a default written as <c>'0'</c> in an INTEGER column is 0, and a
    /// NOCASE column's condition ignores case (the index also keeps a trailing comment in its SQL, which must not end the check).
    /// </summary>
    [TestMethod]
    public void TheOldColumnsTypesAndCollationsDecideWhatRepeats()
    {
        using var pair = MigrationPair.Create("[Table(\"anchor\")] [PK(nameof(Id))] public sealed record Anchor(long Id);",
            "CREATE TABLE sub(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, tier INTEGER NOT NULL DEFAULT '0', UNIQUE (user_id, tier))",
            "CREATE TABLE acct(id INTEGER PRIMARY KEY, email TEXT NOT NULL, role TEXT NOT NULL COLLATE NOCASE)",
            "CREATE UNIQUE INDEX one_admin ON acct(email) WHERE role = 'admin' -- one admin per email",
            "INSERT INTO sub(id, user_id, tier) VALUES (1, 7, 0)",
            "INSERT INTO acct(id, email, role) VALUES (1, 'a@x', 'admin')");
        var migrator = pair.CutOver(SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Sub(long Id, long UserId);

            [PK(nameof(Id))]
            public sealed record Acct(long Id, string Email, string Role);
            """), allowDataLoss: true);
        pair.Execute(pair.NewPath, "INSERT INTO sub(id, user_id) VALUES (2, 7)");
        pair.Execute(pair.NewPath, "INSERT INTO acct(id, email, role) VALUES (2, 'a@x', 'Admin')");

        var refused = Assert.ThrowsExactly<MigOperationException>(() => migrator.Revert());
        Assert.AreEqual(MigCode.DuplicateKey, refused.Code, refused.Message);
        StringAssert.Contains(refused.Message, "sub (user_id, tier)");
        StringAssert.Contains(refused.Message, "7, 0 in 2 rows (rowids 1, 2)");
        StringAssert.Contains(refused.Message, "acct (email) must be unique in the old schema where role = 'admin'");
        StringAssert.Contains(refused.Message, "'a@x' in 2 rows (rowids 1, 2)");
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "refused before the pause");

        pair.Execute(pair.NewPath, "DELETE FROM sub WHERE id = 2");
        pair.Execute(pair.NewPath, "UPDATE acct SET email = 'b@x' WHERE id = 2");
        migrator.Revert();
        CollectionAssert.AreEqual(new object?[] { "1|a@x|admin", "2|b@x|Admin" },
            pair.Rows(pair.OldPath, "SELECT id || '|' || email || '|' || role FROM acct ORDER BY id").Select(r => r[0]).ToArray());
    }
}
