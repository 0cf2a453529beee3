using Mig.Migration;
using Mig.Schema;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The record transfer (records and index entries moved as stored) must build exactly the file the
/// ordinary column-by-column copy builds. Each case migrates two identical old files, one with the
/// transfer and one without, and compares every stored value (storage class and bytes), the tables
/// and indexes SQLite describes, the AUTOINCREMENT counters, and integrity_check. The old files are
/// hostile: sparse, negative and extreme rowids, values of another storage class than the column's,
/// invalid UTF-8, records bigger than a page, records missing trailing columns (an old ALTER TABLE ADD
/// COLUMN), and old indexes whose form differs from the new ones.
/// </summary>
[TestClass]
public sealed class RecordTransferTests
{
    private const string V1 = """
        [AutoIncPK(nameof(Id))]
        [Index(nameof(Sku))]
        public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note);
        """;

    /// <summary>Rows no application would write, all legal in a non-STRICT SQLite table.</summary>
    private const string HostileRows = """
        INSERT INTO item(id, sku, qty, price, note) VALUES
          (-9223372036854775808, 'min rowid', 9223372036854775807, -0.0, NULL),
          (-5, 'negative', -9223372036854775808, 1.7976931348623157e308, ''),
          (3, 'nul' || char(0) || 'inside', 'not a number', 'text in REAL', CAST(x'ff00fe' AS TEXT)),
          (1000000, 'gap', 4.5, 12, x'00010203'),
          (1000001, '😀 emoji', 0, 4.9e-324, replace(hex(zeroblob(40000)), '0', 'é')),
          (9223372036854775806, 'near max', 1, 2, 'last');
        INSERT INTO item(sku, qty, price, note) VALUES ('after max', 1, 1, NULL);
        """;

    public static IEnumerable<object[]> Cases() =>
    [
        ["unchanged table", V1, HostileRows, V1, true],
        ["a column renamed, one added at the end", V1, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Code))]
            [Default(nameof(Stock), "5")]
            public sealed record Item(long Id, [RenamedFrom("sku")] string Code, long Qty, double Price, string? Note, long Stock);
            """, true],
        ["a nullable column added at the end", V1, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note, string? Extra);
            """, true],
        ["old records lack a column added by hand, same default", V1, HostileRows + "ALTER TABLE item ADD COLUMN extra INTEGER NOT NULL DEFAULT 7; INSERT INTO item(id, sku, qty, price, extra) VALUES (42, 'has extra', 1, 1, 9);", """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            [Default(nameof(Extra), "7")]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note, long Extra);
            """, true],
        // Rows without the field read the OLD default (7); a transfer would make them read 8. SQLite refuses to transfer.
        ["old records lack a column added by hand, new default differs", V1, HostileRows + "ALTER TABLE item ADD COLUMN extra INTEGER NOT NULL DEFAULT 7; INSERT INTO item(id, sku, qty, price, extra) VALUES (42, 'has extra', 1, 1, 9);", """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            [Default(nameof(Extra), "8")]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note, long Extra);
            """, false],
        ["old index NOCASE, DESC, partial and on an expression", V1, HostileRows + """
            DROP INDEX ix_item_sku; CREATE INDEX ix_item_sku ON item(sku COLLATE NOCASE);
            CREATE INDEX old_desc ON item(qty DESC); CREATE INDEX old_partial ON item(price) WHERE price > 0; CREATE INDEX old_expr ON item(lower(note));
            """, """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            [Index(nameof(Qty))]
            [Index(nameof(Price))]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note);
            """, true],
        ["a unique constraint the old table keeps too", """
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Sku))]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note);
            """, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Sku))]
            [Default(nameof(Stock), "0")]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note, long Stock);
            """, true],
        // No old index can prove the values unique: SQLite refuses, the ordinary copy checks them.
        ["a new unique constraint", V1, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Sku))]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note);
            """, false],
        ["a nullable column becomes NOT NULL with a default", V1, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            [Default(nameof(Note), "'none'")]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string Note);
            """, false],
        ["a column changes type", V1, "INSERT INTO item(sku, qty, price) VALUES ('a', 1, 2.5), ('b', -7, 0);", """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            public sealed record Item(long Id, string Sku, double Qty, double Price, string? Note);
            """, false],
        ["a column added in the middle", V1, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            [Default(nameof(Stock), "0")]
            public sealed record Item(long Id, string Sku, long Stock, long Qty, double Price, string? Note);
            """, false],
        ["a column dropped", V1, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            public sealed record Item(long Id, string Sku, long Qty, double Price);
            """, false],
        ["a column added with a [DefaultExpr]", V1, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            [DefaultExpr(nameof(Stamp), "abs(-4)")]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note, long Stamp);
            """, false],
        // ALTER TABLE cannot add a column whose default is an expression to a table with rows: the transfer is taken back.
        ["a column added with a [Default] ALTER TABLE refuses", V1, HostileRows, """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            [Default(nameof(Stock), "(1 + 1)")]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note, long Stock);
            """, false],
        // STRICT checks every value's type; SQLite refuses to transfer unchecked records into it.
        ["the table becomes STRICT", V1, "INSERT INTO item(id, sku, qty, price, note) VALUES (-3, 'a', 1, 2.5, NULL), (7, 'b', -7, 0, 'x');", """
            [AutoIncPK(nameof(Id))]
            [Index(nameof(Sku))]
            [Strict]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note);
            """, false],
    ];

    private const string TagV1 = """
        [PK(nameof(Code))]
        [Index(nameof(Qty))]
        public sealed record Tag(string Code, long Qty, string? Note);
        """;

    // Without an INTEGER PRIMARY KEY the rowid is the table's own: it must come over as it was (replay finds rows by it).
    private const string TagRows = """
        INSERT INTO tag(rowid, code, qty, note) VALUES
          (-9223372036854775808, 'min rowid', 9223372036854775807, NULL),
          (7, 'nul' || char(0) || 'inside', 'not a number', x'00ff'),
          (1000000, '😀', 4.5, replace(hex(zeroblob(40000)), '0', 'é')),
          (9223372036854775807, 'max rowid', -1, 'last');
        """;

    public static IEnumerable<object[]> KeyCases() =>
    [
        ["a TEXT key, a column renamed, one added", TagV1, TagRows, """
            [PK(nameof(Code))]
            [Index(nameof(Amount))]
            [Default(nameof(Extra), "3")]
            public sealed record Tag(string Code, [RenamedFrom("qty")] long Amount, string? Note, long Extra);
            """, true],
        ["a TEXT key, rowids 1..n", TagV1, "INSERT INTO tag(code, qty) VALUES ('a', 1), ('b', 2), ('c', 3);", TagV1, true],
        ["a composite key, a nullable column added", """
            [PK(nameof(A), nameof(B))]
            public sealed record Pair(long A, string B, double W);
            """, "INSERT INTO pair(rowid, a, b, w) VALUES (-4, 1, 'x', 0.5), (3, 1, 'y', 'w'), (8000000000, -9223372036854775808, '', -0.0);", """
            [PK(nameof(A), nameof(B))]
            public sealed record Pair(long A, string B, double W, string? Note);
            """, true],
        // The old records hold NULL where the INTEGER PRIMARY KEY is (its value is the rowid): they cannot serve a table whose key is not the rowid.
        ["the INTEGER PRIMARY KEY becomes part of a composite key", V1, HostileRows, """
            [PK(nameof(Id), nameof(Sku))]
            [Index(nameof(Sku))]
            public sealed record Item(long Id, string Sku, long Qty, double Price, string? Note);
            """, false],
    ];

    public static string CaseName(System.Reflection.MethodInfo _, object?[]? data) => (string)data![0]!;

    [TestMethod]
    [DynamicData(nameof(Cases), DynamicDataDisplayName = nameof(CaseName))]
    [DynamicData(nameof(KeyCases), DynamicDataDisplayName = nameof(CaseName))]
    public void TheTransferBuildsTheFileTheOrdinaryCopyBuilds(string name, string v1, string oldSql, string v2, bool transfers)
    {
        var model = SchemaFixture.Model(v2);
        using var transferred = MigrationPair.Create(v1, oldSql);
        using var copied = MigrationPair.Create(v1, oldSql);

        var plan = transferred.Migrator(model).Plan(online: false);
        transferred.Migrator(model).Migrate(offline: true, allowDataLoss: true);
        RecordTransfer.Enabled = false;
        try
        {
            copied.Migrator(model).Migrate(offline: true, allowDataLoss: true);
        }
        finally
        {
            RecordTransfer.Enabled = true;
        }

        Assert.AreEqual(transfers, transferred.Log.Any(l => l.Contains("records transferred as stored", StringComparison.Ordinal)), name + ": " + string.Join("\n", transferred.Log));
        // The plan says so beforehand wherever Mig's rules allow it (SQLite may still decline: then it says "otherwise").
        if (transfers) Assert.IsTrue(transferred.Log.Any(l => l.Contains("can move as stored", StringComparison.Ordinal)), name + ": the plan names the transfer");
        // The JSON plan (-p:MigPlanFile, mig plan --json) predicts what the text plan does.
        var said = transferred.Log.Any(l => l.Contains("can move as stored", StringComparison.Ordinal));
        using (var json = System.Text.Json.JsonDocument.Parse(PlanJson.Serialize(plan)))
            Assert.AreEqual(said ? "as-stored" : "value-by-value", json.RootElement.GetProperty("tables").EnumerateArray().Single().GetProperty("copy").GetString(), name + ": the JSON plan's copy");
        Assert.IsFalse(copied.Log.Any(l => l.Contains("records transferred", StringComparison.Ordinal)), "the switch turns the transfer off");
        foreach (var table in model.Tables)
            CollectionAssert.AreEqual(ValueDump.Of(copied.NewPath, table.Name, [.. table.Columns.Select(c => c.Name)]),
                ValueDump.Of(transferred.NewPath, table.Name, [.. table.Columns.Select(c => c.Name)]), $"{name}: values of {table.Name}");
        CollectionAssert.AreEqual(Describe(copied, copied.NewPath), Describe(transferred, transferred.NewPath), name + ": tables and indexes");
        Assert.AreEqual("ok", transferred.Scalar(transferred.NewPath, "PRAGMA integrity_check"), name);
    }

    /// <summary>A database as SQLite describes it, text aside: columns, indexes and their keys, counters.</summary>
    private static List<string> Describe(MigrationPair pair, string path) =>
    [
        .. pair.Rows(path, "SELECT m.name, x.cid, x.name, x.type, x.\"notnull\", x.dflt_value, x.pk, x.hidden FROM sqlite_schema m, pragma_table_xinfo(m.name) x WHERE m.type = 'table' ORDER BY m.name, x.cid").Select(RowAssert.Show),
        .. pair.Rows(path, "SELECT m.name, l.name, l.\"unique\", l.origin, l.partial, x.seqno, x.cid, x.\"desc\", x.coll FROM sqlite_schema m, pragma_index_list(m.name) l, pragma_index_xinfo(l.name) x WHERE m.type = 'table' AND x.key = 1 ORDER BY m.name, l.name, x.seqno").Select(RowAssert.Show),
        .. (Equals(pair.Scalar(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'"), 0L) ? [] : pair.Rows(path, "SELECT name, seq FROM sqlite_sequence ORDER BY name").Select(RowAssert.Show)),
        .. pair.Rows(path, "SELECT type, name, tbl_name FROM sqlite_schema WHERE type <> 'table' ORDER BY name").Select(RowAssert.Show),
    ];
}
