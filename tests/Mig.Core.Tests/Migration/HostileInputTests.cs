using Mig.Migration;
using Mig.Schema;
using Mig.Sql;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The hardening cases, each a member of a class of inputs that once lost data silently or wedged
/// a migration: Mig's names taken by prefix, values rendered by another writer's SQLite, names a
/// sanitiser collides, table kinds read from text, seeds that overwrote data, schema changes under
/// the capture, and REPLACE's silent deletes. The oracle is always the same: after cutover the new
/// file holds the old file's values byte for byte (<see cref="ValueDump"/>), or Mig refused with a
/// code before changing anything.
/// </summary>
[TestClass]
public sealed class HostileInputTests
{
    private const string Values = """
        [PK(nameof(Id))]
        public sealed record Val(long Id, double? R, string? T, byte[]? B);
        """;

    // v2 adds a table, so the schema (and the file) changes while val is copied as it is.
    private static readonly Lazy<SchemaModel> ValuesV2 = new(() => SchemaFixture.Model(Values + """
        [PK(nameof(Id))]
        public sealed record Extra(long Id);
        """));

    private static readonly string[] ValColumns = ["id", "r", "t", "b"];

    /// <summary>Drains, cuts over and asserts each table's values equal byte for byte in both files.</summary>
    private static void DrainCutoverAndCompare(MigrationPair pair, Migrator migrator, params (string Table, string[] Columns)[] tables)
    {
        migrator.Drain();
        migrator.Cutover();
        foreach (var (table, columns) in tables)
        {
            var old = ValueDump.Of(pair.OldPath, table, columns);
            var @new = ValueDump.Of(pair.NewPath, table, columns);
            CollectionAssert.AreEqual(old, @new, $"{table}: old\n{string.Join("\n", old)}\nnew\n{string.Join("\n", @new)}");
        }
    }

    [TestMethod]
    public void ValuesAnOlderSqliteWritesWhileRecordingArriveBitForBit()
    {
        using var pair = MigrationPair.Create(Values, "INSERT INTO val VALUES (100, 0.1, 'before', x'00')");
        var migrator = pair.Migrator(ValuesV2.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);

        // The shell's SQLite prints REALs with 15 digits and infinity as Inf; its length limit
        // stands for a large value: a row image (hex, JSON escapes) was up to 6x the value.
        Sqlite3Shell.Run(pair.OldPath, """
            .limit length 20000
            INSERT INTO val VALUES (1, 0.30000000000000004, CAST(X'63FE64' AS TEXT), NULL);
            INSERT INTO val VALUES (2, 1e999, 'inf', x'');
            INSERT INTO val VALUES (3, -1e999, '', zeroblob(15000));
            INSERT INTO val VALUES (4, 4.9406564584124654e-324, char(0) || 'nul inside', NULL);
            INSERT INTO val VALUES (5, 1.7976931348623157e308, printf('%.*c', 15000, 'x'), NULL);
            INSERT INTO val VALUES (6, -0.0, replace(printf('%.*c', 3000, 'x'), 'x', char(1)), NULL);
            INSERT INTO val VALUES (7, 0.1 + 0.2, CAST(X'FFFEFD' AS TEXT), randomblob(12000));
            UPDATE val SET r = 2.2250738585072014e-308, t = CAST(X'C0AF' AS TEXT) WHERE id = 100;
            """);

        DrainCutoverAndCompare(pair, migrator, ("val", ValColumns));
        // And not just equal to each other: the values are the ones written.
        Assert.AreEqual(0.30000000000000004, (double)pair.Scalar(pair.NewPath, "SELECT r FROM val WHERE id = 1")!);
        Assert.AreEqual(double.PositiveInfinity, (double)pair.Scalar(pair.NewPath, "SELECT r FROM val WHERE id = 2")!);
        Assert.AreEqual("63FE64", (string)pair.Scalar(pair.NewPath, "SELECT hex(t) FROM val WHERE id = 1")!);
    }

    [TestMethod]
    public void ALargeValueWrittenWhileRecordingDoesNotFailTheWritersStatement()
    {
        using var pair = MigrationPair.Create(Values);
        var migrator = pair.Migrator(ValuesV2.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);

        // Without capture this statement succeeds under the limit; capture must not make it fail.
        var result = Sqlite3Shell.TryRun(pair.OldPath, """
            .limit length 10000
            INSERT INTO val VALUES (1, NULL, NULL, randomblob(9000));
            INSERT INTO val VALUES (2, NULL, printf('%.*c', 9000, char(7)), NULL);
            """);
        Assert.AreEqual(0, result.ExitCode, result.Error);

        DrainCutoverAndCompare(pair, migrator, ("val", ValColumns));
    }

    [TestMethod]
    public void TablesWhoseNamesOnlyStartLikeMigsAreCopiedCapturedAndVerified()
    {
        const string v1 = """
            [Table("_migrations")]
            [PK(nameof(Version))]
            public sealed record AppliedMigration(long Version, string Name);
            [Table("_Mighty")]
            [PK(nameof(Id))]
            public sealed record Mighty(long Id, string Name);
            [Table("_mig")]
            [PK(nameof(Id))]
            public sealed record MigLike(long Id, string Name);
            """;
        using var pair = MigrationPair.Create(v1,
            "INSERT INTO _migrations VALUES (1, 'a'), (2, 'b'), (3, 'c')",
            "INSERT INTO _Mighty VALUES (1, 'x')",
            "INSERT INTO _mig VALUES (1, 'y')",
            // A user's own trigger whose name starts like Mig's: Mig must never drop it.
            "CREATE TRIGGER _mig_capture_user AFTER INSERT ON _Mighty BEGIN UPDATE _Mighty SET name = name || '!' WHERE id = NEW.id; END");
        var v2 = SchemaFixture.Model(v1 + """
            [PK(nameof(Id))]
            public sealed record Extra(long Id);
            """);
        var plan = pair.Migrator(v2).Plan();
        Assert.IsEmpty(plan.DroppedTables);
        CollectionAssert.AreEquivalent(new[] { "_migrations", "_Mighty", "_mig", "extra" }, plan.Tables.Select(t => t.Table.Name).ToArray());

        var migrator = pair.Migrator(v2);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("INSERT INTO _migrations VALUES (4, 'd')", "INSERT INTO _Mighty VALUES (2, 'z')", "UPDATE _mig SET name = 'w'");
        DrainCutoverAndCompare(pair, migrator, ("_migrations", ["version", "name"]), ("_Mighty", ["id", "name"]), ("_mig", ["id", "name"]));
        AreEqual([Row(1L, "x"), Row(2L, "z!")], pair.Rows(pair.NewPath, "SELECT id, name FROM _Mighty ORDER BY id"));

        migrator.ArchiveOld(null);
        Assert.AreEqual(1L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = '_mig_capture_user'"), "the user's trigger is still there");
    }

    [TestMethod]
    public void ResetDropsOnlyTheTriggersMigCreated()
    {
        using var pair = MigrationPair.Create(Values,
            "CREATE TRIGGER _mig_guard_mine BEFORE DELETE ON val BEGIN SELECT 1; END",
            "CREATE TRIGGER \"_mig_capture_insert_val \" AFTER INSERT ON val BEGIN SELECT 1; END");
        var before = pair.Schema(pair.OldPath);
        var migrator = pair.Migrator(ValuesV2.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Reset();
        CollectionAssert.AreEqual(before, pair.Schema(pair.OldPath));
    }

    [TestMethod]
    [DataRow("_mig_info")]
    [DataRow("_MIGRATION_LOG")]
    [DataRow("_id_mapping")]
    [DataRow("_mig_audit")]
    public void ASchemaThatDeclaresANameMigReservesIsRefusedAtItsLine(string name)
    {
        var source = $$"""
            [Table("{{name}}")]
            [PK(nameof(Id))]
            public sealed record Bookkeeping(long Id);
            """;
        var d = SchemaFixture.Error(source);
        Assert.AreEqual(MigCode.DuplicateName, d.Code, d.ToString());
        StringAssert.Contains(d.Message, "reserves");
        Assert.AreEqual(SchemaFixture.LineOf(source, "record Bookkeeping"), d.Line, d.ToString());
    }

    [TestMethod]
    public void NamesASanitiserWouldMakeEqualAreCapturedApart()
    {
        const string v1 = """
            [Table("a-b")]
            [PK(nameof(Id))]
            public sealed record Dash(long Id, string V);
            [Table("a b")]
            [PK(nameof(Id))]
            public sealed record Space(long Id, string V);
            [Table("用户")]
            [PK(nameof(Id))]
            public sealed record User(long Id, string V);
            [Table("订单")]
            [PK(nameof(Id))]
            public sealed record Order(long Id, string V);
            [Table("mig_o")]
            [PK(nameof(Id))]
            public sealed record AliasO(long Id, string V);
            [Table("MIG_K")]
            [PK(nameof(Id))]
            public sealed record AliasK(long Id, string V);
            """;
        using var pair = MigrationPair.Create(v1, "INSERT INTO \"a-b\" VALUES (1, 'dash')", "INSERT INTO \"a b\" VALUES (1, 'space')");
        var migrator = pair.Migrator(SchemaFixture.Model(v1 + """
            [PK(nameof(Id))]
            public sealed record Extra(long Id);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("INSERT INTO \"a-b\" VALUES (2, 'd2')", "UPDATE \"a b\" SET v = 's1'", "INSERT INTO 用户 VALUES (1, 'u')", "INSERT INTO 订单 VALUES (7, 'o')",
            // Named like the aliases replay uses inside its correlated subqueries.
            "INSERT INTO mig_o VALUES (1, 'x'), (2, 'y')", "INSERT INTO mig_k VALUES (1, 'x')", "UPDATE mig_o SET v = 'z' WHERE id = 1", "DELETE FROM mig_o WHERE id = 2");
        DrainCutoverAndCompare(pair, migrator, ("a-b", ["id", "v"]), ("a b", ["id", "v"]), ("用户", ["id", "v"]), ("订单", ["id", "v"]), ("mig_o", ["id", "v"]), ("MIG_K", ["id", "v"]));
    }

    [TestMethod]
    public void NamesThatDifferOnlyInNonAsciiCaseAreTwoTablesAsInSqlite()
    {
        // SQLite folds the case of ASCII letters only: "É" and "é" are two tables, "Ä" and "ä" two columns.
        const string v1 = """
            [Table("É")]
            [PK(nameof(Id))]
            public sealed record Upper(long Id, [Column("Ä")] string? A, [Column("ä")] string? B);
            [Table("é")]
            [PK(nameof(Id))]
            public sealed record Lower(long Id, [Column("Ä")] string? A, [Column("ä")] string? B);
            """;
        using var pair = MigrationPair.Create(v1, "INSERT INTO \"É\" VALUES (1, 'upper A', 'upper a')", "INSERT INTO \"é\" VALUES (1, 'lower A', 'lower a')");
        var migrator = pair.Migrator(SchemaFixture.Model(v1 + """
            [PK(nameof(Id))]
            public sealed record Extra(long Id);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("UPDATE \"é\" SET \"ä\" = 'lower a, changed'", "INSERT INTO \"É\" VALUES (2, 'upper 2', NULL)", "DELETE FROM \"é\" WHERE id = 1", "INSERT INTO \"é\" VALUES (3, NULL, 'lower 3')");
        DrainCutoverAndCompare(pair, migrator, ("É", ["id", "Ä", "ä"]), ("é", ["id", "Ä", "ä"]));
        AreEqual([Row(1L, "upper A", "upper a"), Row(2L, "upper 2", null)], pair.Rows(pair.NewPath, "SELECT id, \"Ä\", \"ä\" FROM \"É\" ORDER BY id"));
        AreEqual([Row(3L, null, "lower 3")], pair.Rows(pair.NewPath, "SELECT id, \"Ä\", \"ä\" FROM \"é\" ORDER BY id"));
    }

    [TestMethod]
    public void AnIntegerPrimaryKeyDescIsNotTheRowIdAndWritesStillLand()
    {
        const string v1 = """
            [PK(nameof(Id))]
            public sealed record Other(long Id);
            """;
        // "INTEGER PRIMARY KEY DESC" as a column constraint is SQLite's documented quirk: not a rowid alias.
        using var pair = MigrationPair.Create(v1, "CREATE TABLE legacy(id INTEGER PRIMARY KEY DESC, name TEXT)",
            "INSERT INTO legacy(id, name) VALUES (30, 'c'), (10, 'a'), (20, 'b')");
        AreEqual([Row(1L, 30L), Row(2L, 10L), Row(3L, 20L)], pair.Rows(pair.OldPath, "SELECT rowid, id FROM legacy ORDER BY rowid"));
        var migrator = pair.Migrator(SchemaFixture.Model(v1 + """
            [PK(nameof(Id))]
            public sealed record Legacy(long Id, string? Name);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("UPDATE legacy SET name = 'bb' WHERE id = 20", "DELETE FROM legacy WHERE id = 10", "INSERT INTO legacy(id, name) VALUES (5, 'e')");
        migrator.Drain();
        migrator.Cutover();
        AreEqual(pair.Rows(pair.OldPath, "SELECT id, name FROM legacy ORDER BY id"), pair.Rows(pair.NewPath, "SELECT id, name FROM legacy ORDER BY id"));
        AreEqual([Row(5L, "e"), Row(20L, "bb"), Row(30L, "c")], pair.Rows(pair.NewPath, "SELECT id, name FROM legacy ORDER BY id"));
    }

    [TestMethod]
    public void ASeededRowTheUserEditedKeepsTheUsersValue()
    {
        const string v1 = """
            [PK(nameof(Id))]
            public sealed record Role(long Id, string Name);
            public static class Seeds
            {
                public static readonly Role[] Roles = [new(1, "admin")];
            }
            """;
        using var pair = MigrationPair.Create(v1, "UPDATE role SET name = 'administrator' WHERE id = 1");
        var migrator = pair.Migrator(SchemaFixture.Model(v1.Replace("[new(1, \"admin\")]", "[new(1, \"admin\"), new(2, \"teacher\")]", StringComparison.Ordinal) + """
            [PK(nameof(Id))]
            public sealed record Extra(long Id);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("INSERT INTO role VALUES (3, 'guest')");
        migrator.Drain();
        migrator.Cutover();
        AreEqual([Row(1L, "administrator"), Row(2L, "teacher"), Row(3L, "guest")], pair.Rows(pair.NewPath, "SELECT id, name FROM role ORDER BY id"));
    }

    private const string RoleV1 = """
        [PK(nameof(Id))]
        [Unique(nameof(Name))]
        public sealed record Role(long Id, string Name);
        """;

    private static readonly Lazy<SchemaModel> RoleV2 = new(() => SchemaFixture.Model("""
        [PK(nameof(Id))]
        [Unique(nameof(Name))]
        [Default(nameof(Level), "0")]
        public sealed record Role(long Id, string Name, long Level);
        public static class Seeds
        {
            public static readonly Role[] Roles = [new(2, "admin", 9)];
        }
        """));

    [TestMethod]
    [DataRow("INSERT INTO role(name) VALUES ('temp'); DELETE FROM role WHERE name = 'temp'", DisplayName = "a row takes the seed's rowid and goes again")]
    [DataRow("INSERT INTO role(id, name) VALUES (10, 'admin')", DisplayName = "the old service writes the seed's unique value")]
    [DataRow("INSERT INTO role(name) VALUES ('guest')", DisplayName = "the old service takes the seed's key")]
    public void SeedsAreWrittenWhenNothingCanDisplaceThemAnyMore(string whileRecording)
    {
        using var pair = MigrationPair.Create(RoleV1, "INSERT INTO role(id, name) VALUES (1, 'user')");
        var migrator = pair.Migrator(RoleV2.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld(whileRecording.Split("; "));
        migrator.Drain();
        migrator.Cutover();
        // Every old row as it is (level from its default), and the seed only where its key and name were free.
        var expected = pair.Rows(pair.OldPath, "SELECT id, name, 0 FROM role ORDER BY id");
        if (!expected.Any(r => (long)r[0]! == 2 || (string)r[1]! == "admin")) expected = [.. expected.Append(Row(2L, "admin", 9L)).OrderBy(r => (long)r[0]!)];
        AreEqual(expected, pair.Rows(pair.NewPath, "SELECT id, name, level FROM role ORDER BY id"));
    }

    [TestMethod]
    public void AnAutoIncrementCounterMovedWhileRecordingIsCarriedAtTheDrain()
    {
        const string v1 = """
            [AutoIncPK(nameof(Id))]
            public sealed record Ticket(long Id, string V);
            """;
        using var pair = MigrationPair.Create(v1, "INSERT INTO ticket(v) VALUES ('a'), ('b')");
        var migrator = pair.Migrator(SchemaFixture.Model(v1 + """
            [PK(nameof(Id))]
            public sealed record Extra(long Id);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("INSERT INTO ticket(v) VALUES ('c'), ('d')", "DELETE FROM ticket WHERE id > 2");
        migrator.Drain();
        migrator.Cutover();
        Assert.AreEqual(4L, pair.Scalar(pair.NewPath, "SELECT seq FROM sqlite_sequence WHERE name = 'ticket'"));
        pair.Execute(pair.NewPath, "INSERT INTO ticket(v) VALUES ('e')");
        Assert.AreEqual(5L, pair.Scalar(pair.NewPath, "SELECT max(id) FROM ticket"), "ids 3 and 4 were handed out by the old file; AUTOINCREMENT never gives them again");
    }

    [TestMethod]
    public void VerifyDoesNotExemptASeededRowThatReplayGotWrong()
    {
        const string v1 = """
            [PK(nameof(Id))]
            public sealed record Role(long Id, string Name);
            public static class Seeds
            {
                public static readonly Role[] Roles = [new(1, "admin")];
            }
            """;
        using var pair = MigrationPair.Create(v1);
        var migrator = pair.Migrator(SchemaFixture.Model(v1 + """
            [PK(nameof(Id))]
            public sealed record Extra(long Id);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        pair.Execute(pair.NewPath, "UPDATE role SET name = 'tampered' WHERE id = 1");
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Cutover());
        Assert.AreEqual(MigCode.VerifyFailed, e.Code, e.Message);
    }

    [TestMethod]
    [DataRow("DROP TABLE val")]
    [DataRow("ALTER TABLE val ADD COLUMN note TEXT")]
    [DataRow("ALTER TABLE val RENAME TO val2")]
    [DataRow("CREATE TABLE newcomer(x)")]
    [DataRow("DROP TRIGGER \"_mig_capture_update_val\"")]
    [DataRow("CREATE UNIQUE INDEX val_t ON val(t)")]
    public void ASchemaChangeOfTheOldFileWhileRecordingIsRefusedBeforeWritesPause(string change)
    {
        using var pair = MigrationPair.Create(Values, "INSERT INTO val VALUES (1, 1.5, 'a', NULL)");
        var migrator = pair.Migrator(ValuesV2.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("INSERT INTO val VALUES (2, 2.5, 'b', NULL)");
        pair.Execute(pair.OldPath, change);

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Drain());
        Assert.AreEqual(MigCode.OldSchemaChanged, e.Code, e.Message);
        Assert.AreEqual(Protocol.Recording, pair.Scalar(pair.OldPath, $"SELECT status FROM {Protocol.MarkerTable}"), "writes were not paused");
        var verify = Assert.ThrowsExactly<MigOperationException>(() => migrator.Verify());
        Assert.AreEqual(MigCode.OldSchemaChanged, verify.Code);
        migrator.Reset();
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void ASchemaChangeAfterWritesPausedIsRefusedAtCutover()
    {
        using var pair = MigrationPair.Create(Values, "INSERT INTO val VALUES (1, 1.5, 'a', NULL)");
        var migrator = pair.Migrator(ValuesV2.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        pair.Execute(pair.OldPath, "ALTER TABLE val ADD COLUMN note TEXT");
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Cutover());
        Assert.AreEqual(MigCode.OldSchemaChanged, e.Code, e.Message);
        Assert.AreEqual(Protocol.Migrating, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
    }

    [TestMethod]
    [DataRow("INSERT OR REPLACE INTO person(id, email) VALUES (2, 'x@a')", DisplayName = "INSERT OR REPLACE")]
    [DataRow("INSERT INTO person(id, email) VALUES (2, 'x@a') ON CONFLICT DO NOTHING; UPDATE OR REPLACE person SET email = 'x@a' WHERE id = 3", DisplayName = "UPDATE OR REPLACE")]
    [DataRow("REPLACE INTO person(id, email) VALUES (1, 'q@a')", DisplayName = "REPLACE on the key")]
    public void RowsAReplaceDeletesWithoutATriggerAreDeletedInTheNewFileToo(string replace)
    {
        const string v1 = """
            [PK(nameof(Id))]
            [Unique(nameof(Email))]
            public sealed record Person(long Id, string Email);
            """;
        using var pair = MigrationPair.Create(v1, "INSERT INTO person VALUES (1, 'x@a'), (3, 'z@a')");
        var migrator = pair.Migrator(SchemaFixture.Model(v1 + """
            [PK(nameof(Id))]
            public sealed record Extra(long Id);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        // The REPLACE deletes a row silently; a later write moves the value that conflicted away,
        // so nothing in the replay of the touched rows alone would conflict with the stale row.
        foreach (var statement in replace.Split("; "))
            Sqlite3Shell.Run(pair.OldPath, statement + ";");
        pair.WriteOld("UPDATE person SET email = 'moved-' || email");
        DrainCutoverAndCompare(pair, migrator, ("person", ["id", "email"]));
    }

    [TestMethod]
    [DataRow("CREATE TABLE person(id INTEGER PRIMARY KEY, email TEXT, UNIQUE (email COLLATE NOCASE))", DisplayName = "UNIQUE with a collation")]
    [DataRow("CREATE TABLE person(id INTEGER PRIMARY KEY, email TEXT COLLATE NOCASE UNIQUE)", DisplayName = "a column's collation")]
    [DataRow("CREATE TABLE person(id INT PRIMARY KEY, email TEXT); CREATE UNIQUE INDEX person_email ON person(email COLLATE NOCASE) WHERE email IS NOT NULL", DisplayName = "partial index with a collation, key not the rowid")]
    public void AReplaceThroughAKeyWithACollationDeletesInTheNewFileToo(string create)
    {
        const string v1 = """
            [PK(nameof(Id))]
            public sealed record Other(long Id);
            """;
        using var pair = MigrationPair.Create(v1, [.. create.Split("; "), "INSERT INTO person VALUES (1, 'ada@example.org'), (2, 'bo@example.org')"]);
        var migrator = pair.Migrator(SchemaFixture.Model(v1 + """
            [PK(nameof(Id))]
            public sealed record Person(long Id, string? Email);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        // 'ADA@...' equals 'ada@...' only under NOCASE: the REPLACE deletes row 1 without a trigger.
        Sqlite3Shell.Run(pair.OldPath, "INSERT OR REPLACE INTO person VALUES (3, 'ADA@example.org'); UPDATE person SET email = 'ada.l@example.org' WHERE id = 3;");
        migrator.Drain();
        migrator.Cutover();
        AreEqual(pair.Rows(pair.OldPath, "SELECT id, email FROM person ORDER BY id"), pair.Rows(pair.NewPath, "SELECT id, email FROM person ORDER BY id"));
        AreEqual([Row(2L, "bo@example.org"), Row(3L, "ada.l@example.org")], pair.Rows(pair.NewPath, "SELECT id, email FROM person ORDER BY id"));
    }

    private const string Other = """
        [PK(nameof(Id))]
        public sealed record Other(long Id);
        """;

    [TestMethod]
    public void AReplaceThatMakesARowEnterAPartialUniqueIndexIsLogged()
    {
        using var pair = MigrationPair.Create(Other, "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, active INT)", "CREATE UNIQUE INDEX t_k ON t(k) WHERE active = 1",
            "INSERT INTO t VALUES (1, 'x', 1), (2, 'x', 0)");
        var migrator = pair.Migrator(SchemaFixture.Model(Other + """
            [PK(nameof(Id))]
            public sealed record T(long Id, string? K, long? Active);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        // The key k does not change; row 2 enters the index and row 1 goes without a trigger.
        Sqlite3Shell.Run(pair.OldPath, "UPDATE OR REPLACE t SET active = 1 WHERE id = 2;");
        DrainCutoverAndCompare(pair, migrator, ("t", ["id", "k", "active"]));
        AreEqual([Row(2L, "x", 1L)], pair.Rows(pair.NewPath, "SELECT id, k, active FROM t"));
    }

    [TestMethod]
    public void GeneratedColumnsAreCopiedAndReplayedAsTheirValues()
    {
        using var pair = MigrationPair.Create(Other, "CREATE TABLE g(id INTEGER PRIMARY KEY, a INT, b INT AS (a * 2) STORED, c INT AS (a + 1) VIRTUAL)",
            "INSERT INTO g(id, a) VALUES (1, 10), (2, 20)");
        var migrator = pair.Migrator(SchemaFixture.Model(Other + """
            [PK(nameof(Id))]
            public sealed record G(long Id, long? A, long? B, long? C);
            """));
        var plan = migrator.Plan();
        Assert.IsEmpty(plan.Losses, string.Join("; ", plan.Losses.Select(l => l.What)));
        CollectionAssert.AreEqual(new[] { "b", "c" }, plan.Tables.Single(t => t.Table.Name == "g").Columns.Where(c => c.Column.Name is "b" or "c").Select(c => c.Source).ToArray(), "the plan copies the generated values");
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("UPDATE g SET a = 11 WHERE id = 1", "INSERT INTO g(id, a) VALUES (3, 30)");
        DrainCutoverAndCompare(pair, migrator, ("g", ["id", "a", "b", "c"]));
        AreEqual([Row(1L, 11L, 22L, 12L), Row(2L, 20L, 40L, 21L), Row(3L, 30L, 60L, 31L)], pair.Rows(pair.NewPath, "SELECT id, a, b, c FROM g ORDER BY id"));
    }

    [TestMethod]
    public void DroppingAGeneratedColumnLosesNothing()
    {
        using var pair = MigrationPair.Create(Other, "CREATE TABLE g(id INTEGER PRIMARY KEY, a INT, b INT AS (a * 2) STORED)", "INSERT INTO g(id, a) VALUES (1, 10)");
        var plan = pair.Migrator(SchemaFixture.Model(Other + """
            [PK(nameof(Id))]
            public sealed record G(long Id, long? A);
            """)).Plan();
        Assert.IsEmpty(plan.Losses, string.Join("; ", plan.Losses.Select(l => l.What)));
    }

    [TestMethod]
    public void AnUntypedColumnBecomingTypedIsAConversionTheValuesOfWhichArePlanned()
    {
        using var pair = MigrationPair.Create(Other, "CREATE TABLE u(id INTEGER PRIMARY KEY, n, s)", "INSERT INTO u VALUES (1, '7', 5), (2, '007', 6)");
        var v2 = SchemaFixture.Model(Other + """
            [PK(nameof(Id))]
            public sealed record U(long Id, long? N, string? S);
            """);
        var migrator = pair.Migrator(v2);
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false));
        Assert.AreEqual(MigCode.DataLoss, e.Code, e.Message);
        StringAssert.Contains(e.Message, "rowids 2", "'007' does not survive INTEGER; '7' does");
        migrator.Migrate(offline: false, allowDataLoss: true);
        pair.WriteOld("INSERT INTO u VALUES (3, '8', 7)");
        migrator.Drain();
        migrator.Cutover(allowDataLoss: true);
        AreEqual([Row(1L, 7L, "5"), Row(2L, 7L, "6"), Row(3L, 8L, "7")], pair.Rows(pair.NewPath, "SELECT id, n, s FROM u ORDER BY id"));
    }

    [TestMethod]
    public void AnEmptyOldTableWhoseNewIntegerKeyIsNeitherItsRowIdNorItsKeyIsRefusedOnline()
    {
        using var pair = MigrationPair.Create(Other, "CREATE TABLE e(id INTEGER PRIMARY KEY, code INT)");
        var migrator = pair.Migrator(SchemaFixture.Model(Other + """
            [PK(nameof(Code))]
            public sealed record E(long Code, long? Id);
            """));
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false));
        Assert.AreEqual(MigCode.AmbiguousMatch, e.Code, e.Message);
        Assert.IsFalse(File.Exists(pair.NewPath));
        migrator.Migrate(offline: true, allowDataLoss: false);
    }

    [TestMethod]
    public void ANullFilledFromANonDeterministicDefaultExprVerifies()
    {
        const string v1 = """
            [PK(nameof(Id))]
            public sealed record Doc(long Id, string? Token);
            """;
        using var pair = MigrationPair.Create(v1, "INSERT INTO doc VALUES (1, NULL), (2, 'kept')");
        var migrator = pair.Migrator(SchemaFixture.Model("""
            [PK(nameof(Id))]
            [DefaultExpr(nameof(Token), "lower(hex(randomblob(8)))")]
            public sealed record Doc(long Id, string Token);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("INSERT INTO doc VALUES (3, NULL)", "UPDATE doc SET token = 'set' WHERE id = 2");
        migrator.Drain();
        migrator.Cutover();
        Assert.AreEqual(0L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM doc WHERE token IS NULL"));
        AreEqual([Row(2L, "set")], pair.Rows(pair.NewPath, "SELECT id, token FROM doc WHERE id = 2"));
    }

    [TestMethod]
    public void AUniqueIndexOnAnExpressionIsRefusedOnlineBeforeAnythingChanges()
    {
        using var pair = MigrationPair.Create(Values, "CREATE UNIQUE INDEX val_lower ON val(lower(t))");
        var before = MigrationPair.Hash(pair.OldPath);
        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(ValuesV2.Value).Migrate(offline: false, allowDataLoss: false));
        Assert.AreEqual(MigCode.NotFollowableByRowId, e.Code, e.Message);
        Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath));
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void AHandWrittenLogEntryThatNamesNoRowIsACodedAuditedError()
    {
        using var pair = MigrationPair.Create(Values);
        var migrator = pair.Migrator(ValuesV2.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, $"INSERT INTO {Protocol.LogTable}(txn_id, operation, table_name, row_id) VALUES (0, 'insert', 'val', 'not a rowid')");
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Drain());
        Assert.AreEqual(MigCode.UnreadableEntry, e.Code, e.Message);
        StringAssert.Contains(e.Message, "entry 1");
        var status = migrator.Status();
        Assert.AreEqual($"failed {MigCode.UnreadableEntry}", status.Audit[^1].Result);
    }
}
