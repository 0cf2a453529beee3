using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Online migrations where a table's key is kept but its rowid is not (docs/hot-migration.md, `_id_mapping`,
/// and <see cref="IdMapping"/>): an old <c>INT PRIMARY KEY</c> (not a rowid alias) and an old numeric
/// <c>TEXT PRIMARY KEY</c> become INTEGER PRIMARY KEYs, with child tables referencing them, and
/// writes captured meanwhile are followed through <c>_id_mapping</c>.
/// </summary>
[TestClass]
public sealed class IdMappingTests
{
    // Country and City come from the model (country.code TEXT NOT NULL PRIMARY KEY); product and
    // review are written by hand, as a legacy app would: "INT" makes id a key but not the rowid.
    private const string V1 = """
        [PK(nameof(Code))]
        public sealed record Country(string Code, string Name);
        [PK(nameof(Id))]
        public sealed record City(long Id, string Name, Country Country);
        """;

    private const string V2 = """
        [PK(nameof(Code))]
        public sealed record Country(long Code, string Name);
        [PK(nameof(Id))]
        public sealed record City(long Id, string Name, Country Country);
        [PK(nameof(Id))]
        public sealed record Product(long Id, string Name);
        [PK(nameof(Id))]
        public sealed record Review(long Id, Product Product, long Stars);
        """;

    // Rowids and keys disagree, and some are swapped (rowid 1 holds key 2, rowid 2 holds key 1),
    // so a write replayed at the old rowid would land on another row.
    private static readonly string[] Seed =
    [
        "CREATE TABLE product(id INT PRIMARY KEY, name TEXT NOT NULL)",
        "CREATE TABLE review(id INTEGER PRIMARY KEY, product_id INT NOT NULL REFERENCES product(id), stars INTEGER NOT NULL)",
        "INSERT INTO country(rowid, code, name) VALUES (1, '10', 'Alpha'), (2, '20', 'Beta'), (20, '2', 'Two')",
        "INSERT INTO city VALUES (1, 'A-town', '10'), (2, 'B-town', '20')",
        "INSERT INTO product(rowid, id, name) VALUES (1, 2, 'two'), (2, 1, 'one'), (3, 30, 'thirty'), (5, 5, 'five')",
        "INSERT INTO review VALUES (1, 2, 5), (2, 30, 4)",
    ];

    private static readonly Lazy<SchemaModel> V2Model = new(() => SchemaFixture.Model(V2));

    private static void Write(MigrationPair pair, params string[] statements) => pair.WriteOld(statements);

    /// <summary>Inserts, value updates, key changes, a rowid change, deletes, a key reused at another rowid, a REPLACE.</summary>
    private static void CapturedWrites(MigrationPair pair)
    {
        Write(pair,
            "INSERT INTO product(id, name) VALUES (7, 'seven')", // rowid 6
            "UPDATE product SET name = 'TWO' WHERE id = 2");
        Write(pair,
            "UPDATE product SET id = 70 WHERE id = 7",
            "UPDATE product SET rowid = 100 WHERE id = 1",
            "INSERT INTO review(product_id, stars) VALUES (70, 3)");
        Write(pair,
            "DELETE FROM review WHERE product_id = 30",
            "DELETE FROM product WHERE id = 30",
            "INSERT INTO product(rowid, id, name) VALUES (3, 3, 'three')",
            "UPDATE product SET id = 5000 WHERE id = 5",
            "INSERT INTO product(rowid, id, name) VALUES (50, 5, 'five again')");
        Write(pair,
            "INSERT INTO country VALUES ('30', 'Gamma')", // rowid 21
            "UPDATE country SET name = 'Alfa' WHERE code = '10'",
            "UPDATE country SET code = '200' WHERE code = '2'",
            "DELETE FROM city WHERE id = 2",
            "DELETE FROM country WHERE code = '20'",
            "INSERT INTO city VALUES (3, 'C-town', '30')");
        // REPLACE deletes rowid 1 (key '10') without its delete trigger; the log only shows rowid 40.
        Write(pair, "INSERT OR REPLACE INTO country(rowid, code, name) VALUES (40, '10', 'Alpha again')");
    }

    private static Dictionary<string, List<object?[]>> Actual(MigrationPair pair) => new()
    {
        ["country"] = pair.Rows(pair.NewPath, "SELECT rowid, code, name FROM country ORDER BY rowid"),
        ["city"] = pair.Rows(pair.NewPath, "SELECT rowid, id, name, country_code FROM city ORDER BY rowid"),
        ["product"] = pair.Rows(pair.NewPath, "SELECT rowid, id, name FROM product ORDER BY rowid"),
        ["review"] = pair.Rows(pair.NewPath, "SELECT rowid, id, product_id, stars FROM review ORDER BY rowid"),
    };

    /// <summary>The old file's rows as the new file must hold them, computed from the old file: the rowid is the key.</summary>
    private static Dictionary<string, List<object?[]>> ExpectedFromOld(MigrationPair pair) => new()
    {
        ["country"] = pair.Rows(pair.OldPath, "SELECT CAST(code AS INTEGER), CAST(code AS INTEGER), name FROM country ORDER BY 1"),
        ["city"] = pair.Rows(pair.OldPath, "SELECT rowid, id, name, CAST(country_code AS INTEGER) FROM city ORDER BY rowid"),
        ["product"] = pair.Rows(pair.OldPath, "SELECT id, id, name FROM product ORDER BY id"),
        ["review"] = pair.Rows(pair.OldPath, "SELECT rowid, id, product_id, stars FROM review ORDER BY rowid"),
    };

    private static void AssertNewEqualsOld(MigrationPair pair, string when)
    {
        var expected = ExpectedFromOld(pair);
        var actual = Actual(pair);
        foreach (var table in expected.Keys) AreEqual(expected[table], actual[table], $"{table} {when}");
    }

    private static List<object?[]> Mapping(MigrationPair pair) =>
        pair.Rows(pair.NewPath, $"SELECT table_name, old_id, new_id FROM {Protocol.IdMappingTable} ORDER BY table_name, old_id");

    private static void ResetCheckpoint(MigrationPair pair, string value) =>
        pair.Execute(pair.NewPath, $"UPDATE {Protocol.InfoTable} SET value = @v WHERE key = 'checkpoint'", ("@v", value));

    private static string Cutoff(MigrationPair pair) =>
        (string)pair.Scalar(pair.NewPath, $"SELECT value FROM {Protocol.InfoTable} WHERE key = 'cutoff'")!;

    [TestMethod]
    public void KeysThatBecomeTheRowIdAreFollowedThroughTheMappingOnline()
    {
        using var pair = MigrationPair.Create(V1, Seed);
        var migrator = pair.Migrator(V2Model.Value);

        var plan = migrator.Plan(online: true);
        Assert.IsEmpty(plan.Errors, string.Join("; ", plan.Errors.Select(e => e.Message)));
        CollectionAssert.AreEquivalent(new[] { "country", "product" }, plan.Tables.Where(t => t.RowIdChanges).Select(t => t.Table.Name).ToArray());
        Assert.IsTrue(pair.Log.Any(l => l.Contains("rowid: becomes the key code", StringComparison.Ordinal)), "MigPlan says so: " + string.Join("\n", pair.Log));

        migrator.Migrate(offline: false, allowDataLoss: false);

        // The copy: every key kept as the new rowid, the mapping only where the rowid changed.
        AssertNewEqualsOld(pair, "after the copy");
        AreEqual(
            [
                Row("country", 1L, 10L), Row("country", 2L, 20L), Row("country", 20L, 2L),
                Row("product", 1L, 2L), Row("product", 2L, 1L), Row("product", 3L, 30L),
            ],
            Mapping(pair), "_id_mapping after the copy: rowid 5 of product keeps its number and has no entry");
        Assert.AreEqual(6L, migrator.Status().IdMappingRows);

        CapturedWrites(pair);
        migrator.Drain();

        AssertNewEqualsOld(pair, "after drain");
        AreEqual(
            [
                Row("country", 20L, 200L), Row("country", 21L, 30L), Row("country", 40L, 10L),
                Row("product", 1L, 2L), Row("product", 5L, 5000L), Row("product", 6L, 70L), Row("product", 50L, 5L), Row("product", 100L, 1L),
            ],
            Mapping(pair), "_id_mapping after drain: moved rows, reused keys, the REPLACE's silent delete and the identity row 3 all accounted for");
        var status = migrator.Status();
        Assert.AreEqual(8L, status.IdMappingRows);
        Assert.IsTrue(status.Lines().Any(l => l.Contains("_id_mapping 8", StringComparison.Ordinal)), string.Join("\n", status.Lines()));

        migrator.Cutover();

        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        Assert.DoesNotContain(Protocol.IdMappingTable, pair.Tables(pair.NewPath));
        AssertNewEqualsOld(pair, "after cutover");
        var actual = Actual(pair);
        AreEqual([Row(10L, 10L, "Alpha again"), Row(30L, 30L, "Gamma"), Row(200L, 200L, "Two")], actual["country"], "country, written out");
        AreEqual([Row(1L, 1L, "A-town", 10L), Row(3L, 3L, "C-town", 30L)], actual["city"], "city, written out");
        AreEqual(
            [Row(1L, 1L, "one"), Row(2L, 2L, "TWO"), Row(3L, 3L, "three"), Row(5L, 5L, "five again"), Row(70L, 70L, "seven"), Row(5000L, 5000L, "five")],
            actual["product"], "product, written out");
        AreEqual([Row(1L, 1L, 2L, 5L), Row(3L, 3L, 70L, 3L)], actual["review"], "review, written out");
        Assert.IsEmpty(pair.Rows(pair.NewPath, "SELECT * FROM pragma_foreign_key_check"));
        Assert.AreEqual("integer", pair.Scalar(pair.NewPath, "SELECT DISTINCT typeof(country_code) FROM city"));
    }

    [TestMethod]
    public void ReplayingTheEntriesAgainConvergesAndVerifySeesALostOrChangedWrite()
    {
        using var pair = MigrationPair.Create(V1, Seed);
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        CapturedWrites(pair);
        migrator.Drain();
        var once = Actual(pair);
        var mapping = Mapping(pair);
        var cutoff = Cutoff(pair);
        var last = (long)pair.Scalar(pair.OldPath, $"SELECT max(id) FROM {Protocol.LogTable}")!;

        // Every entry again, then from each point in the middle (a crash anywhere resumes there).
        var starts = new List<long> { long.Parse(cutoff, System.Globalization.CultureInfo.InvariantCulture) };
        for (var id = starts[0] + 1; id < last; id++) starts.Add(id);
        foreach (var start in starts)
        {
            ResetCheckpoint(pair, start.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using (var target = DatabaseFile.Open(pair.NewPath))
            {
                SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
                using var replayer = new Replayer(target, Planner.Create(target, V2Model.Value, "old", analyze: false));
                Assert.AreEqual(last - start, replayer.Run(_ => { }));
            }
            var again = Actual(pair);
            foreach (var table in once.Keys) AreEqual(once[table], again[table], $"{table} after replaying from log id {start}");
            AreEqual(mapping, Mapping(pair), $"_id_mapping after replaying from log id {start}");
        }
        migrator.Verify();

        // A lost write to a table whose rowids changed shows, and so does a changed one.
        pair.Execute(pair.NewPath, "DELETE FROM product WHERE id = 70");
        pair.Execute(pair.NewPath, "UPDATE country SET name = 'Gamma?' WHERE code = 30");
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Verify());
        Assert.AreEqual(MigCode.VerifyFailed, e.Code);
        StringAssert.Contains(e.Message, "product: 1 old row(s) missing or changed");
        StringAssert.Contains(e.Message, "country: 1 old row(s) missing or changed in the new file, 1 new row(s) not in the old file (columns differing: name)");

        // A row at the right key but under a wrong mapping shows too: replay would have followed it.
        ResetCheckpoint(pair, cutoff);
        migrator.Drain();
        migrator.Verify();
        pair.Execute(pair.NewPath, $"UPDATE {Protocol.IdMappingTable} SET new_id = 2 WHERE table_name = 'product' AND old_id = 100");
        StringAssert.Contains(Assert.ThrowsExactly<MigOperationException>(() => migrator.Verify()).Message, "product:");
    }

    [TestMethod]
    public void ACapturedKeyThatDoesNotConvertStopsTheDrainAndSaysWhich()
    {
        using var pair = MigrationPair.Create(V1, Seed);
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        Write(pair, "UPDATE product SET name = 'TWO' WHERE id = 2");
        Write(pair, "INSERT INTO country(rowid, code, name) VALUES (77, 'x1', 'Nowhere')", "UPDATE product SET name = 'ONE' WHERE id = 1");

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Drain());

        Assert.AreEqual(MigCode.UnconvertibleKey, e.Code);
        StringAssert.Contains(e.Message, "country (rowid 77)");
        StringAssert.Contains(e.Message, "code = 'x1'");
        StringAssert.Contains(e.Message, "MigReset");
        AreEqual([Row(1L, "one"), Row(2L, "two")], pair.Rows(pair.NewPath, "SELECT id, name FROM product WHERE id IN (1, 2) ORDER BY id"),
            "the batch that holds it is rolled back with the checkpoint, so a rerun stops at the same write");
        Assert.AreEqual(0L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM country WHERE name = 'Nowhere'"));
        var status = migrator.Status();
        Assert.AreEqual("draining", status.Phase);
        Assert.AreEqual(3L, status.Pending);
        Assert.AreEqual(MigCode.UnconvertibleKey, Assert.ThrowsExactly<MigOperationException>(() => migrator.Drain()).Code, "a rerun stops again");

        migrator.Reset();
        Write(pair, "DELETE FROM country WHERE code = 'x1'");
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void ANullKeyInAnIntPrimaryKeyStopsTheDrainToo()
    {
        using var pair = MigrationPair.Create(V1, Seed);
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        Write(pair, "INSERT INTO product(rowid, id, name) VALUES (9, NULL, 'no key')"); // SQLite allows it in a non-rowid key

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Drain());

        Assert.AreEqual(MigCode.UnconvertibleKey, e.Code);
        StringAssert.Contains(e.Message, "product (rowid 9) has the key id = NULL");
    }

    [TestMethod]
    public void AnIntegerPrimaryKeyFromAColumnThatIsNotTheOldKeyIsStillRefusedOnline()
    {
        // Not unique in the old file, so a captured write could not be placed without guessing.
        using var pair = MigrationPair.Create(V1,
            "CREATE TABLE part(code TEXT NOT NULL PRIMARY KEY, number INT NOT NULL)",
            "INSERT INTO part VALUES ('a', 1), ('b', 2)");
        var migrator = pair.Migrator(SchemaFixture.Model("""
            [PK(nameof(Code))]
            public sealed record Country(string Code, string Name);
            [PK(nameof(Id))]
            public sealed record City(long Id, string Name, Country Country);
            [PK(nameof(Number))]
            public sealed record Part(string Code, long Number);
            """));

        var online = migrator.Plan(online: true);
        var error = online.Errors.Single();
        Assert.AreEqual(MigCode.AmbiguousMatch, error.Code);
        StringAssert.Contains(error.Message, "part.number");
        Assert.IsEmpty(migrator.Plan(online: false).Errors);
        Assert.AreEqual(MigCode.AmbiguousMatch, Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false)).Code);
    }

    // Extension tables (docs/dsl.md): the key is also a foreign key to the base row. SQLite makes an
    // INTEGER PRIMARY KEY the rowid all the same, so a legacy INT key (product_detail) and a TEXT key
    // of numbers (country_flag, as Mig made it) change rowids like their base tables do.
    private const string ExtensionV1 = """
        [PK(nameof(Code))]
        public sealed record Country(string Code, string Name);
        public abstract record CountryOpt
        {
            public sealed record WithFlag(Country Country, string Flag) : CountryOpt;
        }
        """;

    private const string ExtensionV2 = """
        [PK(nameof(Code))]
        public sealed record Country(long Code, string Name);
        public abstract record CountryOpt
        {
            public sealed record WithFlag(Country Country, string Flag) : CountryOpt;
        }
        [PK(nameof(Id))]
        public sealed record Product(long Id, string Name);
        public abstract record ProductOpt
        {
            public sealed record WithDetail(Product Product, string Detail) : ProductOpt;
        }
        """;

    private static readonly string[] ExtensionSeed =
    [
        "CREATE TABLE product(id INT PRIMARY KEY, name TEXT NOT NULL)",
        "CREATE TABLE product_detail(product_id INT NOT NULL PRIMARY KEY REFERENCES product(id), detail TEXT NOT NULL)",
        "INSERT INTO country(rowid, code, name) VALUES (1, '10', 'Alpha'), (2, '20', 'Beta'), (20, '2', 'Two')",
        "INSERT INTO country_flag(rowid, country_code, flag) VALUES (1, '20', 'b'), (2, '10', 'a'), (3, '2', 'two')",
        "INSERT INTO product(rowid, id, name) VALUES (1, 2, 'two'), (2, 1, 'one'), (3, 30, 'thirty'), (5, 5, 'five')",
        "INSERT INTO product_detail(rowid, product_id, detail) VALUES (1, 2, 'd2'), (2, 1, 'd1'), (3, 30, 'd30')",
    ];

    private static void AssertExtensionsEqualOld(MigrationPair pair, string when)
    {
        AreEqual(pair.Rows(pair.OldPath, "SELECT CAST(country_code AS INTEGER), CAST(country_code AS INTEGER), flag FROM country_flag ORDER BY 1"),
            pair.Rows(pair.NewPath, "SELECT rowid, country_code, flag FROM country_flag ORDER BY rowid"), $"country_flag {when}");
        AreEqual(pair.Rows(pair.OldPath, "SELECT product_id, product_id, detail FROM product_detail ORDER BY 1"),
            pair.Rows(pair.NewPath, "SELECT rowid, product_id, detail FROM product_detail ORDER BY rowid"), $"product_detail {when}");
        AreEqual(pair.Rows(pair.OldPath, "SELECT id, id, name FROM product ORDER BY 1"),
            pair.Rows(pair.NewPath, "SELECT rowid, id, name FROM product ORDER BY rowid"), $"product {when}");
    }

    [TestMethod]
    public void ExtensionTablesWhoseKeyIsAlsoAForeignKeyAreFollowedThroughTheMappingToo()
    {
        using var pair = MigrationPair.Create(ExtensionV1, ExtensionSeed);
        var migrator = pair.Migrator(SchemaFixture.Model(ExtensionV2));
        migrator.Migrate(offline: false, allowDataLoss: false);
        AssertExtensionsEqualOld(pair, "after the copy");

        Write(pair,
            "UPDATE product_detail SET detail = 'D2' WHERE product_id = 2",
            "INSERT INTO product_detail(product_id, detail) VALUES (5, 'd5')"); // rowid 4
        Write(pair,
            "DELETE FROM product_detail WHERE product_id = 30",
            "UPDATE product_detail SET product_id = 30 WHERE product_id = 1",
            "INSERT OR REPLACE INTO product_detail(rowid, product_id, detail) VALUES (1, 1, 'd1 again')"); // replaces key 2 silently
        Write(pair,
            "UPDATE country_flag SET flag = 'A' WHERE country_code = '10'",
            "DELETE FROM country_flag WHERE country_code = '20'",
            "INSERT OR REPLACE INTO country_flag(country_code, flag) VALUES ('2', 'two again')");
        migrator.Drain();
        AssertExtensionsEqualOld(pair, "after drain");
        migrator.Cutover();
        AssertExtensionsEqualOld(pair, "after cutover");
        AreEqual([Row(1L, "d1 again"), Row(5L, "d5"), Row(30L, "d1")], pair.Rows(pair.NewPath, "SELECT product_id, detail FROM product_detail ORDER BY rowid"), "product_detail, written out");
        AreEqual([Row(2L, "two again"), Row(10L, "A")], pair.Rows(pair.NewPath, "SELECT country_code, flag FROM country_flag ORDER BY rowid"), "country_flag, written out");
        Assert.IsEmpty(pair.Rows(pair.NewPath, "SELECT * FROM pragma_foreign_key_check"));

        var plan = migrator.Plan(online: true);
        CollectionAssert.AreEquivalent(new[] { "country", "country_flag", "product", "product_detail" },
            plan.Tables.Where(t => t.RowIdChanges).Select(t => t.Table.Name).ToArray());
    }

    [TestMethod]
    public void AnExtensionTableWhoseKeyIsTheRowIdAlreadyKeepsIt()
    {
        // As Mig creates it: product_detail(product_id INTEGER NOT NULL PRIMARY KEY, ...) is the rowid.
        using var pair = MigrationPair.Create(ExtensionV2);
        pair.Execute(pair.OldPath, "INSERT INTO product(id, name) VALUES (1, 'one'), (7, 'seven')");
        pair.Execute(pair.OldPath, "INSERT INTO product_detail(product_id, detail) VALUES (7, 'd7'), (1, 'd1')");
        var migrator = pair.Migrator(SchemaFixture.Model(ExtensionV2 + "[PK(nameof(Id))] public sealed record Tag(long Id, string Name);"));
        var plan = migrator.Plan(online: true);
        Assert.IsEmpty(plan.Errors, string.Join("; ", plan.Errors.Select(e => e.Message)));
        var detail = plan.Tables.Single(t => t.Table.Name == "product_detail");
        Assert.IsTrue(detail.RowIdAliasFromSource, "the key carries the old rowid");
        Assert.IsFalse(detail.RowIdChanges);
        migrator.Migrate(offline: false, allowDataLoss: false);
        Write(pair, "DELETE FROM product_detail WHERE product_id = 1", "UPDATE product_detail SET product_id = 1, detail = 'moved' WHERE product_id = 7");
        migrator.Drain();
        Assert.AreEqual(0L, migrator.Status().IdMappingRows);
        migrator.Cutover();
        AreEqual([Row(1L, 1L, "moved")], pair.Rows(pair.NewPath, "SELECT rowid, product_id, detail FROM product_detail"));
    }

    /// <summary>Old keys that are not integers: what a TEXT or INT key can hold that no INTEGER rowid can.</summary>
    private static readonly string[] BadKeySeed =
    [
        "CREATE TABLE product(id INT PRIMARY KEY, name TEXT NOT NULL)",
        "CREATE TABLE review(id INTEGER PRIMARY KEY, product_id INT NOT NULL REFERENCES product(id), stars INTEGER NOT NULL)",
        "INSERT INTO country(rowid, code, name) VALUES (1, '10', 'Alpha'), (2, '007', 'Bond'), (3, 'x1', 'Nowhere')",
        "INSERT INTO product(rowid, id, name) VALUES (1, 2, 'two'), (2, 'abc', 'letters'), (3, 1.5, 'half'), (4, NULL, 'no key'), (5, 5, 'five')",
    ];

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void KeysThatCannotBecomeTheRowIdAreAPlanErrorAndNothingChanges(bool offline)
    {
        using var pair = MigrationPair.Create(V1, BadKeySeed);
        var migrator = pair.Migrator(V2Model.Value);
        var oldHash = MigrationPair.Hash(pair.OldPath);

        var plan = migrator.Plan(online: !offline);
        var errors = plan.Errors.Where(e => e.Code == MigCode.UnconvertibleKey).Select(e => e.Message).ToList();
        Assert.HasCount(2, errors, string.Join("\n", plan.Errors.Select(e => $"{e.Code} {e.Message}")));
        var product = errors.Single(m => m.Contains("product.id", StringComparison.Ordinal));
        StringAssert.Contains(product, "3 row(s)");
        StringAssert.Contains(product, "rowid 2: 'abc', rowid 3: 1.5, rowid 4: NULL");
        var country = errors.Single(m => m.Contains("country.code", StringComparison.Ordinal));
        StringAssert.Contains(country, "rowid 2: '007', rowid 3: 'x1'");
        StringAssert.Contains(country, "Correct");
        Assert.IsFalse(plan.Errors.Any(e => e.Code == MigCode.NotNullWithoutDefault), "a NULL key is this error, not a missing default");
        Assert.IsFalse(plan.Losses.Any(l => l.Column == "code"), "and not a data loss that -p:MigAllowDataLoss=true could accept");

        foreach (var allow in new[] { false, true })
        {
            var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline, allowDataLoss: allow));
            Assert.AreEqual(MigCode.UnconvertibleKey, e.Code);
            StringAssert.Contains(e.Message, "rowid 2: 'abc'");
        }
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath), "refused: the old file is untouched");
        Assert.IsFalse(File.Exists(pair.NewPath));
        Assert.IsEmpty(System.IO.Directory.GetFiles(pair.Directory, "*.tmp*"));
        Assert.AreEqual("none", migrator.Status().Phase);
    }

    [TestMethod]
    public void OfflineTheKeysBecomeTheRowIdsWithoutAMapping()
    {
        using var pair = MigrationPair.Create(V1, Seed);
        pair.Migrator(V2Model.Value).Migrate(offline: true, allowDataLoss: false);

        AssertNewEqualsOld(pair, "offline");
        Assert.DoesNotContain(Protocol.IdMappingTable, pair.Tables(pair.NewPath));
    }

    [TestMethod]
    public void AfterCutoverTheMappingIsGoneAndVerifyComparesByKeyValue()
    {
        // After cutover the mapping is dropped; a verification then compares by key value.
        using var pair = MigrationPair.Create(V1, Seed);
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        CapturedWrites(pair);
        migrator.Drain();
        migrator.Cutover();

        using var target = DatabaseFile.Open(pair.NewPath);
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
        var result = Verifier.Run(target, Planner.Create(target, V2Model.Value, "old", analyze: false), V2Model.Value, online: true, acceptedLosses: new HashSet<string>());
        Assert.IsTrue(result.Ok, string.Join("; ", result.Problems()));
        SqliteFile.Execute(target, "DELETE FROM country WHERE code = 200");
        result = Verifier.Run(target, Planner.Create(target, V2Model.Value, "old", analyze: false), V2Model.Value, online: true, acceptedLosses: new HashSet<string>());
        Assert.AreEqual(1L, result.Tables.Single(t => t.Table == "country").Missing);
        SqliteConnection.ClearAllPools();
    }
}
