using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The online protocol (docs/hot-migration.md, The state machine) step by step on one thread:
/// capture, replay, pause, cutover, reset, archive, and every phase refused out of turn.
/// </summary>
[TestClass]
public sealed class OnlineProtocolTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name, double? Price, byte[]? Data, string Code);
        [PK(nameof(Id))]
        public sealed record Tag(long Id, string Label);
        public sealed record ItemTag(Item Item, Tag Tag);
        """;

    // A column rename, a TEXT -> INTEGER conversion and a new column with a default.
    private const string V2 = """
        [PK(nameof(Id))]
        [Default(nameof(Stock), "5")]
        public sealed record Item(long Id, [RenamedFrom("name")] string Title, double? Price, byte[]? Data, long Code, long Stock);
        [PK(nameof(Id))]
        public sealed record Tag(long Id, string Label);
        public sealed record ItemTag(Item Item, Tag Tag);
        """;

    private static readonly string[] Seed =
    [
        "INSERT INTO item VALUES (1, 'one', 1.5, x'01', '10'), (2, 'two', NULL, NULL, '20'), (3, 'three', 3.25, x'', '-30'), (4, 'four', 4.0, x'0404', '40')",
        "INSERT INTO tag VALUES (1, 'red'), (2, 'blue')",
        "INSERT INTO item_tag VALUES (1, 1), (2, 1), (3, 2), (2, 2)",
    ];

    private static readonly Lazy<SchemaModel> V2Model = new(() => SchemaFixture.Model(V2));

    private static MigrationPair Pair() => MigrationPair.Create(V1, Seed);

    private static void Write(MigrationPair pair, params string[] statements) => pair.WriteOld(statements);

    /// <summary>The old file's rows transformed as V2 says, computed here: name -> title, code parsed, stock 5.</summary>
    private static Dictionary<string, List<object?[]>> Expected(MigrationPair pair) => new()
    {
        ["item"] = [.. pair.Rows(pair.OldPath, "SELECT rowid, id, name, price, data, code FROM item ORDER BY rowid")
            .Select(r => Row(r[0], r[1], r[2], r[3], r[4], long.Parse((string)r[5]!, CultureInfo.InvariantCulture), 5L))],
        ["tag"] = pair.Rows(pair.OldPath, "SELECT rowid, id, label FROM tag ORDER BY rowid"),
        ["item_tag"] = pair.Rows(pair.OldPath, "SELECT rowid, item_id, tag_id FROM item_tag ORDER BY rowid"),
    };

    private static Dictionary<string, List<object?[]>> Actual(MigrationPair pair) => new()
    {
        ["item"] = pair.Rows(pair.NewPath, "SELECT rowid, id, title, price, data, code, stock FROM item ORDER BY rowid"),
        ["tag"] = pair.Rows(pair.NewPath, "SELECT rowid, id, label FROM tag ORDER BY rowid"),
        ["item_tag"] = pair.Rows(pair.NewPath, "SELECT rowid, item_id, tag_id FROM item_tag ORDER BY rowid"),
    };

    private static void AssertNewEqualsOldTransformed(MigrationPair pair)
    {
        var expected = Expected(pair);
        var actual = Actual(pair);
        foreach (var table in expected.Keys) AreEqual(expected[table], actual[table], table);
    }

    private static List<string> MigObjects(MigrationPair pair, string path) =>
        [.. pair.Rows(path, "SELECT type || ' ' || name FROM sqlite_schema WHERE name LIKE '\\_mig%' ESCAPE '\\' ORDER BY name").Select(r => (string)r[0]!)];

    /// <summary>The hashes of both files (null for a missing one), to show a refused call changed nothing.</summary>
    private static (string? Old, string? New) Hashes(MigrationPair pair) =>
        (File.Exists(pair.OldPath) ? MigrationPair.Hash(pair.OldPath) : null, File.Exists(pair.NewPath) ? MigrationPair.Hash(pair.NewPath) : null);

    private static void AssertRefused(MigrationPair pair, Action call, string because)
    {
        var before = Hashes(pair);
        var e = Assert.ThrowsExactly<MigOperationException>(call, because);
        Assert.AreEqual(MigCode.WrongPhase, e.Code, because + ": " + e.Message);
        Assert.AreEqual(before, Hashes(pair), because + ": a refused call changes neither file");
    }

    [TestMethod]
    public void CapturedWritesAreReplayedAndTheNewFileIsTheOldTransformed()
    {
        using var pair = Pair();
        var migrator = pair.Migrator(V2Model.Value);
        Assert.AreEqual("none", migrator.Status().Phase);

        migrator.Migrate(offline: false, allowDataLoss: false);

        Assert.AreEqual(Protocol.Recording, pair.Scalar(pair.OldPath, $"SELECT status FROM {Protocol.MarkerTable}"));
        Assert.AreEqual("wal", pair.Scalar(pair.OldPath, "PRAGMA journal_mode"));
        var objects = MigObjects(pair, pair.OldPath);
        CollectionAssert.IsSubsetOf(new[] { "table _migration_log", "table _migration_marker" }, objects);
        foreach (var table in new[] { "item", "tag", "item_tag" })
            foreach (var op in new[] { "insert", "update", "delete" })
                CollectionAssert.Contains(objects, $"trigger _mig_capture_{op}_{table}");
        Assert.AreEqual(Protocol.Migrating, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        CollectionAssert.Contains(pair.Tables(pair.NewPath), Protocol.IdMappingTable);
        Assert.AreEqual(0L, pair.Scalar(pair.OldPath, $"SELECT count(*) FROM {Protocol.LogTable}"));
        Assert.AreEqual("recording", migrator.Status().Phase);
        AssertNewEqualsOldTransformed(pair);

        Write(pair,
            "INSERT INTO item VALUES (10, 'ten', NULL, x'0102', '77')",
            "UPDATE item SET name = 'uno', price = NULL, data = x'FF00' WHERE id = 1");
        Write(pair,
            "UPDATE item SET data = NULL, price = 9.5 WHERE id = 2",
            "UPDATE item SET id = 100 WHERE id = 4",
            "DELETE FROM item_tag WHERE item_id = 3",
            "DELETE FROM item WHERE id = 3");
        Write(pair,
            "INSERT INTO item_tag VALUES (10, 2), (100, 1)",
            "UPDATE item_tag SET tag_id = 2 WHERE rowid = 1",
            "DELETE FROM item_tag WHERE rowid = 2",
            "INSERT INTO item VALUES (11, 'gone', 1.0, x'11', '1')",
            "DELETE FROM item WHERE id = 11",
            "INSERT INTO tag VALUES (3, 'green')");
        // One entry per row a statement touched, and one more for the rowid an update moved a row from.
        Assert.AreEqual(14L, pair.Scalar(pair.OldPath, $"SELECT count(*) FROM {Protocol.LogTable}"));
        AreEqual([Row(4L), Row(100L)], pair.Rows(pair.OldPath, $"SELECT row_id FROM {Protocol.LogTable} WHERE operation = 'update' AND table_name = 'item' AND row_id IN (4, 100) ORDER BY row_id"));
        // The log holds references, never values: nothing a writer's SQLite renders can differ from what it stored.
        AreEqual([Row("id"), Row("txn_id"), Row("operation"), Row("table_name"), Row("row_id")], pair.Rows(pair.OldPath, $"SELECT name FROM pragma_table_info('{Protocol.LogTable}') ORDER BY cid"));
        Assert.AreEqual(4L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM item"), "nothing reaches the new file before drain");

        migrator.Drain();

        Assert.AreEqual(Protocol.Draining, pair.Scalar(pair.OldPath, $"SELECT status FROM {Protocol.MarkerTable}"));
        Assert.AreEqual("drained", migrator.Status().Phase);
        foreach (var write in new[] { "INSERT INTO tag VALUES (9, 'x')", "UPDATE tag SET label = 'y' WHERE id = 1", "DELETE FROM item_tag" })
        {
            var e = Assert.ThrowsExactly<SqliteException>(() => pair.Execute(pair.OldPath, write), write);
            StringAssert.Contains(e.Message, Protocol.WritesPausedMessage);
        }
        AssertNewEqualsOldTransformed(pair);

        migrator.Cutover();

        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        Assert.DoesNotContain(Protocol.IdMappingTable, pair.Tables(pair.NewPath));
        Assert.AreEqual("cut-over", migrator.Status().Phase);
        AssertNewEqualsOldTransformed(pair);
        AreEqual(
            [
                Row(1L, 1L, "uno", null, new byte[] { 0xFF, 0x00 }, 10L, 5L),
                Row(2L, 2L, "two", 9.5, null, 20L, 5L),
                Row(10L, 10L, "ten", null, new byte[] { 0x01, 0x02 }, 77L, 5L),
                Row(100L, 100L, "four", 4.0, new byte[] { 0x04, 0x04 }, 40L, 5L),
            ],
            Actual(pair)["item"], "and written out, so a bug in both sides cannot hide");
        AreEqual([Row(1L, 1L, 2L), Row(4L, 2L, 2L), Row(5L, 10L, 2L), Row(6L, 100L, 1L)], Actual(pair)["item_tag"]);
        AreEqual([Row("blob", "null"), Row("null", "real"), Row("blob", "null"), Row("blob", "real")],
            pair.Rows(pair.NewPath, "SELECT typeof(data), typeof(price) FROM item ORDER BY rowid"));
        Assert.IsEmpty(pair.Rows(pair.NewPath, "SELECT * FROM pragma_foreign_key_check"));
    }

    [TestMethod]
    public void ReplayingTheSameEntriesTwiceEndsIdentical()
    {
        using var pair = Pair();
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        Write(pair, "INSERT INTO item VALUES (10, 'ten', NULL, x'0102', '77')", "UPDATE item SET id = 50 WHERE id = 10");
        Write(pair, "UPDATE item SET id = 10, name = 'back' WHERE id = 50", "DELETE FROM item_tag WHERE rowid = 1");
        Write(pair, "INSERT INTO item_tag VALUES (10, 1)", "UPDATE item SET data = x'AB' WHERE id = 2", "DELETE FROM item WHERE id = 4");
        Write(pair, "INSERT INTO item VALUES (4, 'four again', NULL, NULL, '4')");

        migrator.Drain();
        var once = Actual(pair);
        var cutoff = (string)pair.Scalar(pair.NewPath, $"SELECT value FROM {Protocol.InfoTable} WHERE key = 'cutoff'")!;
        Assert.AreNotEqual(cutoff, pair.Scalar(pair.NewPath, $"SELECT value FROM {Protocol.InfoTable} WHERE key = 'checkpoint'"));

        pair.Execute(pair.NewPath, $"UPDATE {Protocol.InfoTable} SET value = @v WHERE key = 'checkpoint'", ("@v", cutoff));
        migrator.Drain();

        var twice = Actual(pair);
        foreach (var table in once.Keys) AreEqual(once[table], twice[table], table + " after replaying every entry again");
        AssertNewEqualsOldTransformed(pair);

        // And a Replayer run straight over the same entries a third time.
        pair.Execute(pair.NewPath, $"UPDATE {Protocol.InfoTable} SET value = @v WHERE key = 'checkpoint'", ("@v", cutoff));
        using (var target = DatabaseFile.Open(pair.NewPath))
        {
            SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
            using var replayer = new Replayer(target, Planner.Create(target, V2Model.Value, "old"));
            Assert.AreEqual(10L, replayer.Run(_ => { })); // 8 writes; two moved a row's rowid and logged it twice
        }
        var thrice = Actual(pair);
        foreach (var table in once.Keys) AreEqual(once[table], thrice[table], table + " after a third replay");

        migrator.Cutover();
        AssertNewEqualsOldTransformed(pair);
    }

    [TestMethod]
    public void ReplayingAnInsertAgainKeepsAFillThatDiffersPerEvaluation()
    {
        // An insert is replayed as INSERT OR REPLACE without looking for the row first, except
        // where a [DefaultExpr] fill would come out different the second time.
        using var pair = MigrationPair.Create("""
            [AutoIncPK(nameof(Id))]
            public sealed record Note(long Id, string Text);
            """, "INSERT INTO note(text) VALUES ('copied')");
        var migrator = pair.Migrator(SchemaFixture.Model("""
            [AutoIncPK(nameof(Id))]
            [DefaultExpr(nameof(Token), "lower(hex(randomblob(8)))")]
            public sealed record Note(long Id, string Text, string Token);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        Write(pair, "INSERT INTO note(text) VALUES ('captured')");
        migrator.Drain();
        var once = pair.Rows(pair.NewPath, "SELECT id, text, token FROM note ORDER BY id");

        var cutoff = (string)pair.Scalar(pair.NewPath, $"SELECT value FROM {Protocol.InfoTable} WHERE key = 'cutoff'")!;
        pair.Execute(pair.NewPath, $"UPDATE {Protocol.InfoTable} SET value = @v WHERE key = 'checkpoint'", ("@v", cutoff));
        migrator.Drain();

        AreEqual(once, pair.Rows(pair.NewPath, "SELECT id, text, token FROM note ORDER BY id"), "the captured row keeps the token its first replay gave it");
        Assert.HasCount(2, once);
    }

    [TestMethod]
    public void AWritersReplaceIsReplayedAsTheWriterResolvedIt()
    {
        // REPLACE deletes the rows it conflicts with without firing their delete triggers,
        // so the log holds the new row but not the deletion.
        const string schema = """
            [PK(nameof(Code))]
            public sealed record Country(string Code, string Name);
            [PK(nameof(Id))]
            [Unique(nameof(Email))]
            public sealed record User(long Id, string Email, string? Nick);
            """;
        using var pair = MigrationPair.Create(schema,
            "INSERT INTO country VALUES ('se', 'Sweden'), ('at', 'Austria')",
            "INSERT INTO user VALUES (1, 'a@x', 'a'), (2, 'b@x', 'b'), (3, 'c@x', 'c')");
        var migrator = pair.Migrator(SchemaFixture.Model(schema));
        migrator.Migrate(offline: false, allowDataLoss: false);

        Write(pair,
            "INSERT OR REPLACE INTO country VALUES ('se', 'Sverige')",
            "REPLACE INTO user VALUES (5, 'a@x', 'five')",
            "UPDATE OR REPLACE user SET email = 'c@x' WHERE id = 2");
        migrator.Drain();
        migrator.Cutover();

        foreach (var sql in new[] { "SELECT rowid, * FROM country ORDER BY rowid", "SELECT rowid, * FROM user ORDER BY rowid" })
            AreEqual(pair.Rows(pair.OldPath, sql), pair.Rows(pair.NewPath, sql), sql);
        AreEqual([Row("at", "Austria"), Row("se", "Sverige")], pair.Rows(pair.NewPath, "SELECT code, name FROM country ORDER BY code"));
        AreEqual([Row(2L, "c@x", "b"), Row(5L, "a@x", "five")], pair.Rows(pair.NewPath, "SELECT id, email, nick FROM user ORDER BY id"));
    }

    [TestMethod]
    public void OnlineANewNotNullColumnNeedsADefaultEvenOnAnEmptyTable()
    {
        // Offline the empty table is fine (MigrateOfflineTests); online, the old service may insert rows meanwhile.
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name);
            """);
        var migrator = pair.Migrator(SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name, long Age);
            """));
        var oldHash = MigrationPair.Hash(pair.OldPath);

        var error = migrator.Plan(online: true).Errors.Single();
        Assert.AreEqual("MIG0043", error.Code);
        StringAssert.Contains(error.Message, "[Default(nameof(Age)");
        StringAssert.Contains(error.Message, "-p:MigOffline=true");
        Assert.IsEmpty(migrator.Plan(online: false).Errors);
        Assert.AreEqual("MIG0043", Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false)).Code);
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath), "refused before the capture was installed");
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void OnlineANullableColumnBecomingNotNullNeedsADefaultEvenWithoutNulls()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string? Name);
            """,
            "INSERT INTO student VALUES (1, 'Ann')");
        var migrator = pair.Migrator(SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name);
            """));

        var error = migrator.Plan(online: true).Errors.Single();
        Assert.AreEqual("MIG0043", error.Code);
        StringAssert.Contains(error.Message, "may write NULL");
        StringAssert.Contains(error.Message, "[Default(nameof(Name)");
        Assert.IsEmpty(migrator.Plan(online: false).Errors, "offline nothing can write a NULL meanwhile");
        Assert.AreEqual("MIG0043", Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false)).Code);
        Assert.IsFalse(File.Exists(pair.NewPath));

        // With a default, a NULL written while recording is replayed as the default.
        using var withDefault = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string? Name);
            """,
            "INSERT INTO student VALUES (1, 'Ann')");
        var m = withDefault.Migrator(SchemaFixture.Model("""
            [PK(nameof(Id))]
            [Default(nameof(Name), "'nobody'")]
            public sealed record Student(long Id, string Name);
            """));
        m.Migrate(offline: false, allowDataLoss: false);
        Write(withDefault, "INSERT INTO student VALUES (2, NULL)", "UPDATE student SET name = NULL WHERE id = 1");
        m.Drain();
        m.Cutover();
        AreEqual([Row(1L, "nobody"), Row(2L, "nobody")], withDefault.Rows(withDefault.NewPath, "SELECT id, name FROM student ORDER BY id"));
    }

    [TestMethod]
    public void EveryPhaseOutOfTurnIsRefusedAndChangesNothing()
    {
        using var pair = Pair();
        var migrator = pair.Migrator(V2Model.Value);

        AssertRefused(pair, migrator.Drain, "Drain before Migrate");
        AssertRefused(pair, () => migrator.Cutover(), "Cutover before Migrate");
        AssertRefused(pair, () => migrator.Verify(), "Verify before Migrate");
        AssertRefused(pair, () => migrator.ArchiveOld(null), "ArchiveOld before Migrate");

        migrator.Migrate(offline: false, allowDataLoss: false);
        Write(pair, "INSERT INTO tag VALUES (3, 'green')");

        AssertRefused(pair, () => migrator.Cutover(), "Cutover before Drain");
        AssertRefused(pair, () => migrator.Migrate(offline: false, allowDataLoss: false), "Migrate twice");
        AssertRefused(pair, () => migrator.Migrate(offline: true, allowDataLoss: false), "offline Migrate during an online one");
        AssertRefused(pair, () => migrator.ArchiveOld(null), "ArchiveOld while recording");

        migrator.Drain();

        AssertRefused(pair, () => migrator.Migrate(offline: false, allowDataLoss: false), "Migrate while draining");
        AssertRefused(pair, () => migrator.ArchiveOld(null), "ArchiveOld before Cutover");

        migrator.Cutover();

        AssertRefused(pair, migrator.Reset, "Reset after Cutover");
        AssertRefused(pair, migrator.Drain, "Drain after Cutover");
        AssertRefused(pair, () => migrator.Cutover(), "Cutover twice");
        AssertRefused(pair, () => migrator.Migrate(offline: false, allowDataLoss: false), "Migrate after Cutover");
        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        AssertNewEqualsOldTransformed(pair);
    }

    [TestMethod]
    public void OfflineMigrateTwiceIsRefused()
    {
        using var pair = Pair();
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: true, allowDataLoss: false);
        AssertRefused(pair, () => migrator.Migrate(offline: true, allowDataLoss: false), "offline Migrate twice");
        AssertRefused(pair, () => migrator.Migrate(offline: false, allowDataLoss: false), "online Migrate onto a finished new file");
        AssertRefused(pair, migrator.Drain, "Drain after an offline Migrate");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ResetBeforeCutoverRestoresTheOldSchemaAndDeletesTheNewFile(bool afterDrain)
    {
        using var pair = Pair();
        var schemaBefore = pair.Schema(pair.OldPath);
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        Write(pair, "INSERT INTO tag VALUES (3, 'green')", "DELETE FROM item_tag WHERE rowid = 4");
        if (afterDrain) migrator.Drain();
        var dataBefore = pair.Rows(pair.OldPath, "SELECT rowid, * FROM item_tag ORDER BY rowid");

        migrator.Reset();

        Assert.IsFalse(File.Exists(pair.NewPath));
        Assert.IsFalse(pair.Files().Any(f => f.StartsWith("app-new.db", StringComparison.Ordinal)), "no WAL or journal of the new file either");
        Assert.AreEqual(string.Join("\n", schemaBefore), string.Join("\n", pair.Schema(pair.OldPath)), "every _mig trigger and table is gone, nothing else changed");
        AreEqual(dataBefore, pair.Rows(pair.OldPath, "SELECT rowid, * FROM item_tag ORDER BY rowid"), "the writes made meanwhile stay");
        Assert.AreEqual("green", pair.Scalar(pair.OldPath, "SELECT label FROM tag WHERE id = 3"));
        Write(pair, "INSERT INTO tag VALUES (4, 'free')", "UPDATE item SET name = 'again' WHERE id = 1");
        Assert.AreEqual("none", migrator.Status().Phase);

        // A reset migration can start over.
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        AssertNewEqualsOldTransformed(pair);
    }

    [TestMethod]
    public void ResetSwitchesAnOldFileBackToTheJournalModeItHad()
    {
        using var pair = Pair();
        Assert.AreEqual("delete", pair.Scalar(pair.OldPath, "PRAGMA journal_mode = DELETE"), "an old service without WAL");
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        Assert.AreEqual("wal", pair.Scalar(pair.OldPath, "PRAGMA journal_mode"), "the copy needs WAL to block no writer");

        migrator.Reset();

        Assert.AreEqual("delete", pair.Scalar(pair.OldPath, "PRAGMA journal_mode"));
        Assert.IsFalse(pair.Files().Any(f => f.StartsWith("app-old.db-", StringComparison.Ordinal)), "no -wal or -shm left: " + string.Join(", ", pair.Files()));
        StringAssert.Contains(pair.Log[^1], "journal mode 'delete' again");
    }

    [TestMethod]
    public void ResetLeavesAFileThatAnotherConnectionHoldsInWalAndSaysSo()
    {
        using var pair = Pair();
        pair.Scalar(pair.OldPath, "PRAGMA journal_mode = DELETE");
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        using var service = MigrationPair.Open(pair.OldPath);
        MigrationPair.Rows(service, "SELECT count(*) FROM item"); // the old service, connected

        migrator.Reset();

        Assert.AreEqual("wal", pair.Scalar(pair.OldPath, "PRAGMA journal_mode"));
        StringAssert.Contains(pair.Log[^1], "left in WAL mode (it was 'delete'; another connection has it open");
        Assert.AreEqual("none", migrator.Status().Phase);
    }

    [TestMethod]
    public void ResetLeavesTheAutoIncrementCountersAsTheyWere()
    {
        const string schema = """
            [AutoIncPK(nameof(Id))]
            public sealed record Order(long Id, string What);
            """;
        using var pair = MigrationPair.Create(schema, "INSERT INTO \"order\"(what) VALUES ('a'), ('b')");
        var schemaBefore = pair.Schema(pair.OldPath);
        var migrator = pair.Migrator(SchemaFixture.Model(schema));
        migrator.Migrate(offline: false, allowDataLoss: false);
        Write(pair, "INSERT INTO \"order\"(what) VALUES ('c')");

        migrator.Reset();

        Assert.AreEqual(string.Join("\n", schemaBefore), string.Join("\n", pair.Schema(pair.OldPath)));
        AreEqual([Row("order", 3L)], pair.Rows(pair.OldPath, "SELECT name, seq FROM sqlite_sequence"), "the log's counter is gone, the table's is kept");
    }

    [TestMethod]
    public void ArchiveOldAfterCutoverRetiresTheOldFile()
    {
        using var pair = Pair();
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        var data = pair.Rows(pair.OldPath, "SELECT rowid, * FROM item ORDER BY rowid");

        migrator.ArchiveOld(null);

        Assert.IsEmpty(pair.Rows(pair.OldPath, "SELECT name FROM sqlite_schema WHERE type = 'trigger'"), "no capture and no guard is left");
        Assert.DoesNotContain(Protocol.LogTable, pair.Tables(pair.OldPath));
        Assert.DoesNotContain(Protocol.MarkerTable, pair.Tables(pair.OldPath));
        Assert.DoesNotContain(Protocol.OldInfoTable, pair.Tables(pair.OldPath));
        Assert.AreEqual(Protocol.Retired, pair.Scalar(pair.OldPath, $"SELECT status FROM {Protocol.StatusTable}"));
        AreEqual(data, pair.Rows(pair.OldPath, "SELECT rowid, * FROM item ORDER BY rowid"));
        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        Assert.AreEqual("done", migrator.Status().Phase);
    }

    [TestMethod]
    public void ArchiveOldAfterCutoverMovesTheOldFileAside()
    {
        using var pair = Pair();
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        var newHash = MigrationPair.Hash(pair.NewPath);
        var archive = Directory.CreateDirectory(Path.Combine(pair.Directory, "archive")).FullName;

        migrator.ArchiveOld(archive);

        Assert.IsFalse(File.Exists(pair.OldPath));
        CollectionAssert.AreEqual(new[] { "app-new.db" }, pair.Files().ToArray(), "the old file, its WAL and its lock are gone from here");
        var moved = Path.Combine(archive, "app-old.db");
        CollectionAssert.AreEqual(new[] { "app-old.db" }, Directory.GetFiles(archive).Select(Path.GetFileName).ToArray());
        Assert.AreEqual(Protocol.Retired, pair.Scalar(moved, $"SELECT status FROM {Protocol.StatusTable}"));
        Assert.IsEmpty(pair.Rows(moved, "SELECT name FROM sqlite_schema WHERE type = 'trigger'"));
        Assert.AreEqual(4L, pair.Scalar(moved, "SELECT count(*) FROM item"));
        Assert.AreEqual(4L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM item"));
        Assert.AreNotEqual(newHash, MigrationPair.Hash(pair.NewPath), "the new file records the archive in its audit trail");
        Assert.AreEqual("MigArchiveOld", pair.Scalar(pair.NewPath, $"SELECT operation FROM {Protocol.AuditTable} ORDER BY id DESC LIMIT 1"));
    }

    [TestMethod]
    public void AKeyViolationOnlineCommitsNothingAndLeavesACopyToReset()
    {
        const string schema = """
            [PK(nameof(Id))]
            public sealed record Employee(long Id, string Name);
            [PK(nameof(Id))]
            [Index(nameof(Employee))]
            public sealed record Badge(long Id, Employee Employee);
            """;
        using var pair = MigrationPair.Create(schema,
            "INSERT INTO employee VALUES (1, 'a')",
            "INSERT INTO badge VALUES (1, 1), (2, 99)");
        var migrator = pair.Migrator(SchemaFixture.Model(schema));
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false));
        Assert.AreEqual("MIG0048", e.Code);
        StringAssert.Contains(e.Message, "badge rowid 2 references a missing employee row");

        // The check runs inside the copy's transaction: no rows, no indexes, no cutoff, so
        // nothing downstream mistakes the file for a finished copy.
        Assert.AreEqual("copy-incomplete", migrator.Status().Phase);
        Assert.IsNull(pair.Scalar(pair.NewPath, $"SELECT value FROM {Protocol.InfoTable} WHERE key = 'cutoff'"));
        Assert.AreEqual(0L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM badge"));
        Assert.AreEqual(0L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'"));
        Assert.AreEqual(MigCode.WrongPhase, Assert.ThrowsExactly<MigOperationException>(() => migrator.Drain()).Code);

        migrator.Reset();
        Assert.IsFalse(File.Exists(pair.NewPath));
        Assert.AreEqual("none", migrator.Status().Phase);
    }
}
