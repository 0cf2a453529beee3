using Mig.Migration;
using Mig.Schema;
using Mig.Sql;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Every case of the copy plan (the Planner; MigPlan prints it) run
/// offline on real files, with the exact rows of the new file read back with SQL
/// and their storage classes checked.
/// </summary>
[TestClass]
public sealed class MigrateOfflineTests
{
    /// <summary>Plans and migrates offline; checks what every offline migration must leave.</summary>
    private static MigrationPlan MigrateOffline(MigrationPair pair, SchemaModel v2, bool allowDataLoss = false)
    {
        var oldHash = MigrationPair.Hash(pair.OldPath);
        var migrator = pair.Migrator(v2);
        var plan = migrator.Plan(online: false);
        migrator.Migrate(offline: true, allowDataLoss);
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath), "an offline migration leaves the old file byte-identical");
        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        Assert.DoesNotContain(Protocol.IdMappingTable, pair.Tables(pair.NewPath));
        Assert.AreEqual("ok", pair.Scalar(pair.NewPath, $"SELECT group_concat(result) FROM {Protocol.AuditTable} WHERE operation = 'MigMigrate offline'"));
        Assert.AreEqual("wal", pair.Scalar(pair.NewPath, "PRAGMA journal_mode"));
        CollectionAssert.AreEqual(new[] { "app-new.db", "app-old.db" }, pair.Files().Where(f => !f.EndsWith(".miglock", StringComparison.Ordinal)).ToArray(),
            "no temp, journal or WAL file is left");
        return plan;
    }

    private static TablePlan Table(MigrationPlan plan, string name) => plan.Tables.Single(t => t.Table.Name == name);

    private static ColumnPlan Column(MigrationPlan plan, string table, string column) => Table(plan, table).Columns.Single(c => c.Column.Name == column);

    [TestMethod]
    public void SameNameCopyKeepsEveryValueAndItsStorageClass()
    {
        const string schema = """
            [PK(nameof(Id))]
            public sealed record Thing(long Id, string Name, double Score, byte[] Data, long? Amount, string? Note, double? Ratio, byte[]? Extra);
            """;
        using var pair = MigrationPair.Create(schema,
            "INSERT INTO thing VALUES (3, 'a', 1.5, x'00FF', 7, NULL, NULL, x'')",
            "INSERT INTO thing VALUES (7, 'b''q', -2.0, x'', NULL, 'n', 0.25, NULL)",
            "INSERT INTO thing VALUES (42, '', 1e300, x'DEADBEEF', -9223372036854775808, 'é', NULL, x'01')");

        var plan = MigrateOffline(pair, SchemaFixture.Model(schema));

        Assert.AreEqual("same name", Table(plan, "thing").Reason);
        Assert.IsTrue(Table(plan, "thing").Columns.All(c => c.Fill == FillKind.Copy && c.Reason == "same name" && c.Source == c.Column.Name));
        Assert.IsEmpty(plan.Losses);
        Assert.IsEmpty(plan.Errors);
        AreEqual(
            [
                Row(3L, "a", 1.5, new byte[] { 0x00, 0xFF }, 7L, null, null, Array.Empty<byte>()),
                Row(7L, "b'q", -2.0, Array.Empty<byte>(), null, "n", 0.25, null),
                Row(42L, "", 1e300, new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, long.MinValue, "é", null, new byte[] { 0x01 }),
            ],
            pair.Rows(pair.NewPath, "SELECT id, name, score, data, amount, note, ratio, extra FROM thing ORDER BY id"));
        AreEqual(
            [
                Row("blob", "integer", "null", "null", "blob"),
                Row("blob", "null", "text", "real", "null"),
                Row("blob", "integer", "text", "null", "blob"),
            ],
            pair.Rows(pair.NewPath, "SELECT typeof(data), typeof(amount), typeof(note), typeof(ratio), typeof(extra) FROM thing ORDER BY id"),
            "a BLOB stays a BLOB (the empty one too), a NULL stays NULL");
    }

    [TestMethod]
    public void TableRenameIsDeclaredWithRenamedFromOnTheType()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Pupil(long Id, string Name);
            """,
            "INSERT INTO pupil VALUES (1, 'Ann'), (5, 'Bob')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            [RenamedFrom("pupil")]
            public sealed record Student(long Id, string Name);
            """);

        var plan = MigrateOffline(pair, v2);

        Assert.AreEqual("pupil", Table(plan, "student").Source!.Name);
        Assert.AreEqual("[RenamedFrom(\"pupil\")]", Table(plan, "student").Reason);
        Assert.IsEmpty(plan.DroppedTables);
        Assert.IsEmpty(plan.Losses);
        AreEqual([Row(1L, "Ann"), Row(5L, "Bob")], pair.Rows(pair.NewPath, "SELECT id, name FROM student ORDER BY id"));
        Assert.DoesNotContain("pupil", pair.Tables(pair.NewPath));
    }

    [TestMethod]
    public void ColumnRenameIsDeclaredWithRenamedFromOnTheProperty()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name, long Age);
            """,
            "INSERT INTO student VALUES (1, 'Ann', 20), (2, 'Bob', 31)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, [RenamedFrom("name")] string FullName, long Age);
            """);

        var plan = MigrateOffline(pair, v2);

        var fullName = Column(plan, "student", "full_name");
        Assert.AreEqual("name", fullName.Source);
        Assert.AreEqual(FillKind.Copy, fullName.Fill);
        Assert.AreEqual("[RenamedFrom(\"name\")]", fullName.Reason);
        Assert.IsEmpty(plan.Losses);
        Assert.IsEmpty(plan.Suggestions);
        AreEqual([Row(1L, "Ann", 20L), Row(2L, "Bob", 31L)], pair.Rows(pair.NewPath, "SELECT id, full_name, age FROM student ORDER BY id"));
    }

    [TestMethod]
    public void NewColumnsAreFilledFromTheirDefaultLiterals()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string Name);
            """,
            "INSERT INTO item VALUES (1, 'a'), (2, 'b')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            [Default(nameof(Active), "1")]
            [Default(nameof(State), "'new'")]
            [Default(nameof(Weight), "2.5")]
            [Default(nameof(Rank), "-3")]
            public sealed record Item(long Id, string Name, bool Active, string State, double Weight, long? Rank);
            """);

        var plan = MigrateOffline(pair, v2);

        Assert.AreEqual(FillKind.Default, Column(plan, "item", "active").Fill);
        Assert.AreEqual(FillKind.Default, Column(plan, "item", "rank").Fill, "a nullable column with a default takes the default, not NULL");
        Assert.IsNull(Column(plan, "item", "state").Source);
        AreEqual(
            [Row(1L, "a", 1L, "new", 2.5, -3L), Row(2L, "b", 1L, "new", 2.5, -3L)],
            pair.Rows(pair.NewPath, "SELECT id, name, active, state, weight, rank FROM item ORDER BY id"));
    }

    [TestMethod]
    public void NewColumnsAreFilledByEvaluatingTheirDefaultExpressions()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Item(long Id);
            """,
            "INSERT INTO item VALUES (1), (2)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            [DefaultExpr(nameof(Code), "'abc' || 'd'")]
            [DefaultExpr(nameof(Answer), "6 * 7")]
            [DefaultExpr(nameof(Day), "strftime('%Y-%m-%d', '2024-02-29', '+1 day')")]
            [DefaultExpr(nameof(Year), "strftime('%Y', 'now')")]
            public sealed record Item(long Id, string Code, long Answer, string Day, string Year);
            """);

        var plan = MigrateOffline(pair, v2);

        Assert.AreEqual(FillKind.DefaultExpression, Column(plan, "item", "code").Fill);
        var rows = pair.Rows(pair.NewPath, "SELECT id, code, answer, day, year, typeof(answer) FROM item ORDER BY id");
        Assert.HasCount(2, rows);
        foreach (var row in rows)
        {
            Assert.AreEqual("abcd", row[1], "the expression is evaluated, not stored as its text");
            Assert.AreEqual(42L, row[2]);
            Assert.AreEqual("2024-03-01", row[3]);
            var year = int.Parse((string)row[4]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.IsLessThanOrEqualTo(1, Math.Abs(year - DateTime.UtcNow.Year), $"strftime('%Y', 'now') gave {row[4]}");
            Assert.AreEqual("integer", row[5]);
        }
    }

    [TestMethod]
    public void NewNullableColumnWithoutDefaultIsNull()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Item(long Id);
            """,
            "INSERT INTO item VALUES (1), (2)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string? Note, long? Count, byte[]? Data);
            """);

        var plan = MigrateOffline(pair, v2);

        Assert.AreEqual(FillKind.Null, Column(plan, "item", "note").Fill);
        AreEqual([Row(1L, "null", "null", "null"), Row(2L, "null", "null", "null")],
            pair.Rows(pair.NewPath, "SELECT id, typeof(note), typeof(count), typeof(data) FROM item ORDER BY id"));
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void NewNotNullColumnWithoutDefaultOnATableWithRowsIsAPlanError(bool offline)
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name);
            """,
            "INSERT INTO student VALUES (1, 'Ann'), (2, 'Bob')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name, long Age);
            """);
        var oldHash = MigrationPair.Hash(pair.OldPath);
        var migrator = pair.Migrator(v2);

        var plan = migrator.Plan(online: !offline);
        var error = plan.Errors.Single();
        Assert.AreEqual("MIG0043", error.Code);
        StringAssert.Contains(error.Message, "student.age");
        StringAssert.Contains(error.Message, "2 row(s)");
        StringAssert.Contains(error.Message, "Add [Default(nameof(Age)", "the error says how to fix it");

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline, allowDataLoss: true));
        Assert.AreEqual("MIG0043", e.Code);
        StringAssert.Contains(e.Message, "[Default(");
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath));
        Assert.IsFalse(File.Exists(pair.NewPath));
        Assert.IsFalse(pair.Files().Any(f => f.EndsWith(".tmp", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void NewNotNullColumnWithoutDefaultIsAllowedOnAnEmptyTable()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name);
            """);
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name, long Age);
            """);

        var plan = MigrateOffline(pair, v2);

        Assert.IsEmpty(plan.Errors);
        Assert.AreEqual(0L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM student"));
        Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT \"notnull\" FROM pragma_table_info('student') WHERE name = 'age'"));
    }

    [TestMethod]
    public void NullableBecomingNotNullTakesTheDefaultWhereTheOldValueIsNull()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record User(long Id, string? Nick, long? Level);
            """,
            "INSERT INTO user VALUES (1, 'ann', 3), (2, NULL, NULL), (3, 'carl', NULL)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            [Default(nameof(Nick), "'anon'")]
            [DefaultExpr(nameof(Level), "10 + 1")]
            public sealed record User(long Id, string Nick, long Level);
            """);

        var plan = MigrateOffline(pair, v2);

        Assert.IsEmpty(plan.Errors);
        Assert.AreEqual(FillKind.Copy, Column(plan, "user", "nick").Fill);
        AreEqual([Row(1L, "ann", 3L), Row(2L, "anon", 11L), Row(3L, "carl", 11L)],
            pair.Rows(pair.NewPath, "SELECT id, nick, level FROM user ORDER BY id"));
    }

    [TestMethod]
    public void NullableBecomingNotNullWithoutDefaultIsAPlanErrorWhenNullsArePresent()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record User(long Id, string? Nick);
            """,
            "INSERT INTO user VALUES (1, 'ann'), (2, NULL), (3, NULL)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record User(long Id, string Nick);
            """);
        var migrator = pair.Migrator(v2);

        var error = migrator.Plan().Errors.Single();
        Assert.AreEqual("MIG0043", error.Code);
        StringAssert.Contains(error.Message, "2 row(s)");
        StringAssert.Contains(error.Message, "[Default(nameof(Nick)");
        Assert.AreEqual("MIG0043", Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: true, allowDataLoss: true)).Code);
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void TypeConversionsThatSurviveAreCast()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string Code, long Number, long Small, double Whole, double Half, string Decimal);
            """,
            "INSERT INTO item VALUES (1, '12', 5, 3, 2.0, 1.5, '2.25')",
            "INSERT INTO item VALUES (2, '-7', -3, -4, -8.0, -0.75, '-10')",
            "INSERT INTO item VALUES (3, '0', 9223372036854775807, 0, 0.0, 1e20, '0.5')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, long Code, string Number, double Small, long Whole, string Half, double Decimal);
            """);

        var plan = MigrateOffline(pair, v2);

        Assert.IsEmpty(plan.Losses, string.Join("; ", plan.Losses.Select(l => l.What)));
        Assert.AreEqual(FillKind.Convert, Column(plan, "item", "code").Fill);
        StringAssert.Contains(Column(plan, "item", "code").Reason, "TEXT -> INTEGER");
        AreEqual(
            [
                Row(1L, 12L, "5", 3.0, 2L, "1.5", 2.25),
                Row(2L, -7L, "-3", -4.0, -8L, "-0.75", -10.0),
                Row(3L, 0L, "9223372036854775807", 0.0, 0L, "1.0e+20", 0.5),
            ],
            pair.Rows(pair.NewPath, "SELECT id, code, number, small, whole, half, decimal FROM item ORDER BY id"));
    }

    [TestMethod]
    public void LossyConversionsAreDataLossWithTheirRowIdsAndRefused()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, double Amount, string Code);
            """,
            "INSERT INTO item VALUES (10, 2.0, '12')",
            "INSERT INTO item VALUES (20, 1.5, 'abc')",
            "INSERT INTO item VALUES (30, 3.0, '7')",
            "INSERT INTO item VALUES (40, -0.5, '12abc')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, long Amount, long Code);
            """);
        var oldHash = MigrationPair.Hash(pair.OldPath);
        var migrator = pair.Migrator(v2);

        var plan = migrator.Plan();
        Assert.HasCount(2, plan.Losses);
        var amount = plan.Losses.Single(l => l.Column == "amount");
        Assert.AreEqual("item", amount.Table);
        Assert.AreEqual(2L, amount.Rows);
        StringAssert.Contains(amount.What, "rowids 20, 40");
        var code = plan.Losses.Single(l => l.Column == "code");
        Assert.AreEqual(2L, code.Rows);
        StringAssert.Contains(code.What, "rowids 20, 40");
        Assert.IsTrue(pair.Log.Any(l => l.Contains("DATA LOSS", StringComparison.Ordinal)), "MigPlan lists the loss");

        foreach (var offline in new[] { false, true })
        {
            var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline, allowDataLoss: false));
            Assert.AreEqual("MIG0042", e.Code);
            StringAssert.Contains(e.Message, "item.amount");
            Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath), "refused: the old file is untouched");
            Assert.IsFalse(File.Exists(pair.NewPath), "refused: no new file");
        }

        MigrateOffline(pair, v2, allowDataLoss: true);
        AreEqual([Row(10L, 2L, 12L), Row(20L, 1L, 0L), Row(30L, 3L, 7L), Row(40L, 0L, 12L)],
            pair.Rows(pair.NewPath, "SELECT id, amount, code FROM item ORDER BY id"), "allowed: SQLite's CAST, as the plan said");
    }

    [TestMethod]
    public void DroppedColumnWithDataIsDataLossWithItsCount()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string Name, string? Note, string? Empty);
            """,
            "INSERT INTO item VALUES (1, 'a', 'x', NULL), (2, 'b', NULL, NULL), (3, 'c', 'z', NULL)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string Name);
            """);
        var oldHash = MigrationPair.Hash(pair.OldPath);
        var migrator = pair.Migrator(v2);

        var loss = migrator.Plan().Losses.Single();
        Assert.AreEqual(("item", "note", 2L), (loss.Table, loss.Column, loss.Rows), "a column of NULLs loses nothing");
        StringAssert.Contains(loss.What, "2 non-null value(s)");
        Assert.AreEqual("MIG0042", Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: true, allowDataLoss: false)).Code);
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath));
        Assert.IsFalse(File.Exists(pair.NewPath));

        MigrateOffline(pair, v2, allowDataLoss: true);
        AreEqual([Row(1L, "a"), Row(2L, "b"), Row(3L, "c")], pair.Rows(pair.NewPath, "SELECT * FROM item ORDER BY id"));
    }

    [TestMethod]
    public void DroppedTableWithRowsIsDataLossWithItsCount()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string Name);
            [PK(nameof(Id))]
            public sealed record Event(long Id, string What);
            [PK(nameof(Id))]
            public sealed record Unused(long Id);
            """,
            "INSERT INTO item VALUES (1, 'a')",
            "INSERT INTO event VALUES (1, 'x'), (2, 'y'), (3, 'z'), (9, 'w')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Item(long Id, string Name);
            """);
        var oldHash = MigrationPair.Hash(pair.OldPath);
        var migrator = pair.Migrator(v2);

        var plan = migrator.Plan();
        CollectionAssert.AreEquivalent(new[] { "event", "unused" }, plan.DroppedTables.Select(t => t.Name).ToArray());
        var loss = plan.Losses.Single();
        Assert.AreEqual(("event", (string?)null, 4L), (loss.Table, loss.Column, loss.Rows), "an empty dropped table loses nothing");
        StringAssert.Contains(loss.What, "4 rows");
        Assert.AreEqual("MIG0042", Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false)).Code);
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath));
        Assert.IsFalse(File.Exists(pair.NewPath));

        MigrateOffline(pair, v2, allowDataLoss: true);
        Assert.DoesNotContain("event", pair.Tables(pair.NewPath));
        Assert.DoesNotContain("unused", pair.Tables(pair.NewPath));
        AreEqual([Row(1L, "a")], pair.Rows(pair.NewPath, "SELECT * FROM item"));
    }

    [TestMethod]
    public void AVanishedAndANewColumnOfOneTypeAreASuggestionButADropAndAnAdd()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name);
            [PK(nameof(Id))]
            public sealed record Pupil(long Id, long Age);
            """,
            "INSERT INTO student VALUES (1, 'Ann'), (2, 'Bob')",
            "INSERT INTO pupil VALUES (1, 10)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string? FullName);
            [PK(nameof(Id))]
            public sealed record Learner(long Id, long Age);
            """);

        var plan = pair.Migrator(v2).Plan();

        var column = plan.Suggestions.Single(s => s.Contains("student.name", StringComparison.Ordinal));
        StringAssert.Contains(column, "[RenamedFrom(\"name\")]");
        StringAssert.Contains(column, "Student.FullName");
        var table = plan.Suggestions.Single(s => s.Contains("pupil", StringComparison.Ordinal));
        StringAssert.Contains(table, "[RenamedFrom(\"pupil\")]");
        StringAssert.Contains(table, "Learner");
        Assert.IsNull(Column(plan, "student", "full_name").Source, "a suggestion is not a match");
        Assert.AreEqual(FillKind.Null, Column(plan, "student", "full_name").Fill);
        Assert.IsNull(Table(plan, "learner").Source);
        CollectionAssert.AreEquivalent(new[] { "student.name", "pupil." },
            plan.Losses.Select(l => $"{l.Table}.{l.Column}").ToArray());

        MigrateOffline(pair, v2, allowDataLoss: true);
        AreEqual([Row(1L, null), Row(2L, null)], pair.Rows(pair.NewPath, "SELECT id, full_name FROM student ORDER BY id"));
        Assert.AreEqual(0L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM learner"));
    }

    [TestMethod]
    public void KeysAndTheRowIdsOfKeylessTablesArePreserved()
    {
        const string schema = """
            [PK(nameof(Id))]
            public sealed record Item(long Id, string Name);
            [PK(nameof(Code))]
            public sealed record Country(string Code, string Name);
            [PK(nameof(Year), nameof(Seq))]
            public sealed record Entry(long Year, long Seq, string Text);
            public sealed record ItemTag(Item Item, string Label);
            """;
        using var pair = MigrationPair.Create(schema,
            "INSERT INTO item VALUES (1000, 'c'), (5, 'a'), (77, 'b')",
            "INSERT INTO country VALUES ('se', 'Sweden'), ('at', 'Austria')",
            "INSERT INTO entry VALUES (2024, 2, 'y'), (2023, 9, 'x')",
            "INSERT INTO item_tag(rowid, item_id, label) VALUES (1, 5, 'p'), (2, 5, 'q'), (3, 77, 'r'), (9, 1000, 's'), (4, 77, 't')",
            "DELETE FROM item_tag WHERE rowid = 3");
        var before = new[] { "item", "country", "entry", "item_tag" }.ToDictionary(t => t, t => pair.Rows(pair.OldPath, $"SELECT rowid, * FROM {t} ORDER BY rowid"));

        MigrateOffline(pair, SchemaFixture.Model(schema));

        foreach (var (table, rows) in before)
            AreEqual(rows, pair.Rows(pair.NewPath, $"SELECT rowid, * FROM {table} ORDER BY rowid"), table);
        AreEqual([Row(1L, 5L, "p"), Row(2L, 5L, "q"), Row(4L, 77L, "t"), Row(9L, 1000L, "s")],
            pair.Rows(pair.NewPath, "SELECT rowid, item_id, label FROM item_tag ORDER BY rowid"));
    }

    [TestMethod]
    public void AnAutoIncrementKeyIsNeverReusedAfterTheCopy()
    {
        const string schema = """
            [AutoIncPK(nameof(Id))]
            public sealed record Order(long Id, string What);
            """;
        using var pair = MigrationPair.Create(schema,
            "INSERT INTO \"order\"(what) VALUES ('a'), ('b'), ('c'), ('d')",
            "DELETE FROM \"order\" WHERE id IN (3, 4)");
        Assert.AreEqual(4L, pair.Scalar(pair.OldPath, "SELECT seq FROM sqlite_sequence WHERE name = 'order'"));

        MigrateOffline(pair, SchemaFixture.Model(schema));

        pair.Execute(pair.NewPath, "INSERT INTO \"order\"(what) VALUES ('e')");
        AreEqual([Row(1L, "a"), Row(2L, "b"), Row(5L, "e")], pair.Rows(pair.NewPath, "SELECT id, what FROM \"order\" ORDER BY id"),
            "ids 3 and 4 were handed out by the old file; AUTOINCREMENT promises they never come back");
    }

    [TestMethod]
    public void SeedsAddOnlyRowsTheCopiedDataLacks()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Role(long Id, string Name);
            """,
            "INSERT INTO role VALUES (1, 'administrator'), (5, 'guest')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Role(long Id, string Name);
            public static class Seeds
            {
                public static readonly Role[] Roles = [new(1, "admin"), new(2, "teacher")];
            }
            """);

        MigrateOffline(pair, v2);

        // Row 1 is the user's data now (maybe edited since it was seeded): the seed does not overwrite it.
        AreEqual([Row(1L, "administrator"), Row(2L, "teacher"), Row(5L, "guest")], pair.Rows(pair.NewPath, "SELECT id, name FROM role ORDER BY id"));
    }

    [TestMethod]
    public void ANewTableStartsEmptyAndIndexesExistAfterTheCopy()
    {
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name, string Email);
            """,
            "INSERT INTO student VALUES (1, 'Ann', 'ann@x'), (2, 'Bob', 'bob@x')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            [Unique(nameof(Email))]
            [Index(nameof(Name))]
            public sealed record Student(long Id, string Name, string Email);
            [PK(nameof(Id))]
            [Index(nameof(Student), nameof(Text))]
            public sealed record Remark(long Id, Student Student, string Text);
            """);

        var plan = MigrateOffline(pair, v2);

        Assert.IsNull(Table(plan, "remark").Source);
        Assert.AreEqual(0L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM remark"));
        AreEqual([Row("ix_remark_student_id_text"), Row("ix_student_name")],
            pair.Rows(pair.NewPath, "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"));
        Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM pragma_index_list('student') WHERE \"unique\" = 1"));
        Assert.AreEqual("ok", pair.Scalar(pair.NewPath, "PRAGMA integrity_check"), "the indexes hold the copied rows");
        Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT id FROM student INDEXED BY ix_student_name WHERE name = 'Ann'"));
    }

    [TestMethod]
    public void EveryRowIsCopiedWhateverItsRowid()
    {
        // The copy walks rowid ranges by arithmetic: a dense run of several chunks, then the
        // extremes of the rowid space, negatives, and gaps far wider than a chunk.
        const string schema = """
            [PK(nameof(Id))]
            public sealed record Thing(long Id, string Name);
            """;
        using var pair = MigrationPair.Create(schema,
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 120000) INSERT INTO thing SELECT i, 'd' || i FROM s",
            "INSERT INTO thing VALUES (-9223372036854775808, 'min'), (-9223372036854775807, 'min+1'), (-5, 'neg'), (0, 'zero')",
            "INSERT INTO thing VALUES (1000000000000, 'far'), (1000000000001, 'far+1'), (4611686018427387904, 'half'), (9223372036854775807, 'max')",
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000) INSERT INTO thing SELECT 2000000000000 + i * 1000003, 's' || i FROM s");
        var expected = pair.Rows(pair.OldPath, "SELECT id, name FROM thing ORDER BY id");

        MigrateOffline(pair, SchemaFixture.Model(schema));

        Assert.HasCount(123008, expected);
        AreEqual(expected, pair.Rows(pair.NewPath, "SELECT id, name FROM thing ORDER BY id"));
    }

    [TestMethod]
    public void ForeignKeysAreCheckedOnceAfterTheCopy()
    {
        const string schema = """
            [PK(nameof(Id))]
            public sealed record Employee(long Id, string Name, [References(typeof(Employee))] long? ManagerId);
            [PK(nameof(Id))]
            public sealed record Badge(long Id, Employee Employee);
            """;
        // Rowid order puts children before their parents, and 1 and 3 manage each other.
        using var pair = MigrationPair.Create(schema,
            "INSERT INTO employee VALUES (1, 'a', 3), (2, 'b', 1), (3, 'c', 1)",
            "INSERT INTO badge VALUES (1, 3), (2, 2)");

        MigrateOffline(pair, SchemaFixture.Model(schema));
        AreEqual([Row(1L, 3L), Row(2L, 1L), Row(3L, 1L)], pair.Rows(pair.NewPath, "SELECT id, manager_id FROM employee ORDER BY id"));

        // A broken reference in the old file (written with foreign keys off) stops the migration.
        using var broken = MigrationPair.Create(schema,
            "INSERT INTO employee VALUES (1, 'a', NULL)",
            "INSERT INTO badge VALUES (1, 1), (2, 99)");
        var oldHash = MigrationPair.Hash(broken.OldPath);
        var e = Assert.ThrowsExactly<MigOperationException>(() => broken.Migrator(SchemaFixture.Model(schema)).Migrate(offline: true, allowDataLoss: false));
        Assert.AreEqual("MIG0048", e.Code);
        StringAssert.Contains(e.Message, "badge rowid 2 references a missing employee row");
        Assert.AreEqual(oldHash, MigrationPair.Hash(broken.OldPath));
        CollectionAssert.AreEqual(new[] { "app-old.db" }, broken.Files().Where(f => !f.EndsWith(".miglock", StringComparison.Ordinal)).ToArray(),
            "no new file and no half-built temp file");
    }
}
