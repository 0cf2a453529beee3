using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Other tools' bookkeeping is not the schema (issue 12): Litestream's tables, and those named by
/// MigIgnoreTable / --ignore-table, are never planned, copied, captured, guarded or verified, and
/// writes to them are never refused, while the user's tables migrate as always.
/// </summary>
[TestClass]
public sealed class IgnoredTableTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name);
        """;

    private const string V2 = """
        [PK(nameof(Id))]
        [Default(nameof(Stock), "5")]
        public sealed record Item(long Id, string Name, long Stock);
        """;

    // Litestream 0.3's own tables as it creates them, and another replication tool's log.
    private static readonly string[] OtherTools =
    [
        "CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)",
        "CREATE TABLE _litestream_lock (id INTEGER)",
        "INSERT INTO _litestream_seq (id, seq) VALUES (1, 1)",
        "INSERT INTO _litestream_lock (id) VALUES (1)",
        "CREATE TABLE __marmot__log (id INTEGER PRIMARY KEY, payload TEXT)",
        "CREATE INDEX __marmot__log_payload ON __marmot__log(payload)",
        "INSERT INTO __marmot__log VALUES (1, 'a'), (2, 'b')",
        "INSERT INTO item VALUES (1, 'one'), (2, 'two')",
    ];

    private const string LitestreamWrite = "INSERT INTO _litestream_seq (id, seq) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET seq = seq + 1";

    private static List<string> OtherToolsTables(MigrationPair pair, string path) =>
        [.. pair.Tables(path).Where(t => t.StartsWith("_litestream", StringComparison.Ordinal) || t.StartsWith("__marmot__", StringComparison.Ordinal))];

    [TestMethod]
    public void LitestreamsTablesAreLeftAloneThroughAnOnlineMigration()
    {
        using var pair = MigrationPair.Create(V1, OtherTools[..4]);
        pair.Execute(pair.OldPath, "INSERT INTO item VALUES (1, 'one')");
        var migrator = pair.Migrator(SchemaFixture.Model(V2));

        var plan = migrator.Plan();
        Assert.IsEmpty(plan.Losses, string.Join("\n", pair.Log));
        Assert.IsEmpty(plan.Errors);
        Assert.IsEmpty(plan.DroppedTables);
        CollectionAssert.AreEquivalent(new[] { "_litestream_lock", "_litestream_seq" }, plan.Ignored.ToList());

        migrator.Migrate(offline: false, allowDataLoss: false);
        Assert.IsEmpty(pair.Rows(pair.OldPath, "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name LIKE '\\_litestream%' ESCAPE '\\'"), "no capture trigger on Litestream's tables");
        pair.WriteOld(LitestreamWrite, "INSERT INTO item VALUES (3, 'three')");

        migrator.Drain();
        Assert.AreEqual(1, pair.Execute(pair.OldPath, LitestreamWrite), "Litestream's checkpoint write goes on while writes are paused");
        Assert.AreEqual(1, pair.Execute(pair.OldPath, "DELETE FROM _litestream_lock"));
        var refused = Assert.ThrowsExactly<SqliteException>(() => pair.Execute(pair.OldPath, "INSERT INTO item VALUES (4, 'four')"));
        StringAssert.Contains(refused.Message, Protocol.WritesPausedMessage);

        migrator.Cutover();
        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        Assert.IsEmpty(OtherToolsTables(pair, pair.NewPath));
        AreEqual([Row(1L, "one", 5L), Row(3L, "three", 5L)], pair.Rows(pair.NewPath, "SELECT id, name, stock FROM item ORDER BY id"));
        Assert.AreEqual(3L, pair.Scalar(pair.OldPath, "SELECT seq FROM _litestream_seq"), "Litestream's rows are its own: untouched");
        Assert.DoesNotContain(migrator.Status().Tables.Select(t => t.Table).ToList(), "_litestream_seq");
    }

    [TestMethod]
    public void TablesNamedByIgnoreTableAreLeftAloneByTheBundle()
    {
        using var pair = MigrationPair.Create(V1, OtherTools);
        var bundle = Bundle(pair);
        string Mig(params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.AreEqual(0, MigCommandLine.Run([args[0], "--database", pair.OldPath, "--new-database", pair.NewPath, .. args[1..]], bundle, stdout, stderr), stderr.ToString() + stdout);
            return stdout.ToString() + stderr;
        }

        var plan = Mig("plan", "--ignore-table", "__marmot__%", "--ignore-table", "nothing_here");
        Assert.DoesNotContain("DATA LOSS", plan, plan);
        Assert.DoesNotContain("dropped", plan, plan);
        Assert.DoesNotContain("ERROR", plan, plan);
        StringAssert.Contains(plan, "table __marmot__log: ignored");
        StringAssert.Contains(plan, "table _litestream_seq: ignored");
        StringAssert.Contains(Mig("plan", "--json", "--ignore-table", "__marmot__%"), "\"ignoredTables\": [\n    \"__marmot__log\",");

        Mig("migrate", "--ignore-table", "__marmot__%");
        pair.WriteOld(LitestreamWrite, "INSERT INTO __marmot__log VALUES (3, 'c')", "UPDATE item SET name = 'uno' WHERE id = 1");

        // Not told again: the ignored tables were recorded in the old file when capture was installed.
        Mig("drain");
        pair.Execute(pair.OldPath, LitestreamWrite);
        pair.Execute(pair.OldPath, "INSERT INTO __marmot__log VALUES (4, 'd')");
        var refused = Assert.ThrowsExactly<SqliteException>(() => pair.Execute(pair.OldPath, "UPDATE item SET name = 'x'"));
        StringAssert.Contains(refused.Message, Protocol.WritesPausedMessage);

        Mig("verify");
        Mig("cutover", "--ignore-table", "__marmot__%");
        Assert.IsEmpty(OtherToolsTables(pair, pair.NewPath));
        AreEqual([Row(1L, "uno", 5L), Row(2L, "two", 5L)], pair.Rows(pair.NewPath, "SELECT id, name, stock FROM item ORDER BY id"));
        Assert.AreEqual(4L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM __marmot__log"));
    }

    [TestMethod]
    public void WithoutIgnoreTableAnotherToolsTableIsStillADroppedTable()
    {
        using var pair = MigrationPair.Create(V1, OtherTools);
        var plan = pair.Migrator(SchemaFixture.Model(V2)).Plan();
        Assert.AreEqual("__marmot__log", plan.DroppedTables.Single().Name, "only Litestream's tables are known without being named");
        Assert.AreEqual(MigCode.DataLoss, Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(SchemaFixture.Model(V2)).Migrate(offline: false, allowDataLoss: false)).Code);
    }

    [TestMethod]
    public void ASchemaThatDeclaresAnIgnoredTableIsMig0058()
    {
        using var pair = MigrationPair.Create(V1, OtherTools);
        var v2 = SchemaFixture.Model(V2);
        var migrator = new Migrator(v2, SchemaHash.Compute(v2), pair.OldPath, pair.NewPath, pair.Log.Add) { Ignored = IgnoredTables.From(["__marmot__%", "ITEM"]) };
        var plan = migrator.Plan();
        Assert.AreEqual(MigCode.IgnoredTableDeclared, plan.Errors.Single().Code);
        Assert.AreEqual(MigCode.IgnoredTableDeclared, Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: true)).Code);
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    [DataRow("__marmot__log", "__marmot__%", true)]
    [DataRow("__MARMOT__Log", "__marmot__%", true)]
    [DataRow("xxmarmotxxlog", "__marmot__%", true, DisplayName = "_ is any one character in a LIKE pattern")]
    [DataRow("marmot_log", "__marmot__%", false)]
    [DataRow("my_table", "my_table", true)]
    [DataRow("MY_TABLE", "my_table", true)]
    [DataRow("myXtable", "my_table", false, DisplayName = "an entry without % is an exact name")]
    [DataRow("É", "é", false, DisplayName = "only ASCII letters fold, as SQLite compares")]
    [DataRow("éa", "_a%", true, DisplayName = "_ is one code point")]
    [DataRow("_litestream_seq", "unrelated", true, DisplayName = "Litestream's tables are always ignored")]
    [DataRow("_LITESTREAM_LOCK", "unrelated", true)]
    [DataRow("_litestream_seqs", "unrelated", false)]
    [DataRow("anything", "%", true)]
    public void IgnoredNamesMatchAsSqliteDoes(string table, string entry, bool ignored) =>
        Assert.AreEqual(ignored, IgnoredTables.From([entry]).Ignores(table));

    private static string Bundle(MigrationPair pair)
    {
        var bundle = Path.Combine(pair.Directory, "bundle");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, MigCommandLine.ModelFileName), SchemaModelJson.Serialize(SchemaFixture.Model(V2)));
        File.WriteAllText(Path.Combine(bundle, MigCommandLine.SettingsFileName), """{"databaseName": "app"}""");
        return bundle;
    }
}
