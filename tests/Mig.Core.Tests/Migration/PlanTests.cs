using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;

namespace Mig.Core.Tests.Migration;

/// <summary>MigPlan: what it says, and that it changes nothing.</summary>
[TestClass]
public sealed class PlanTests
{
    /// <summary>Also the v1 of RevertTests' renames and conversions.</summary>
    internal const string V1 = """
        [PK(nameof(Id))]
        public sealed record Student(long Id, string Name, string? Note, double Score);
        [PK(nameof(Id))]
        public sealed record Old(long Id);
        public sealed record Link(Student Student, string Label);
        """;

    private const string V2 = """
        [PK(nameof(Id))]
        [RenamedFrom("student")]
        [Default(nameof(Level), "1")]
        public sealed record Learner(long Id, [RenamedFrom("name")] string FullName, long Score, long Level, string? Email);
        public sealed record Link([RenamedFrom("student_id")] Learner Learner, string Label);
        """;

    [TestMethod]
    public void PlanChangesNothingInTheOldFile()
    {
        using var pair = MigrationPair.Create(V1,
            "INSERT INTO student VALUES (1, 'Ann', 'n', 2.0), (2, 'Bob', NULL, 2.5)",
            "INSERT INTO old VALUES (1), (2), (3)",
            "INSERT INTO link VALUES (1, 'a'), (2, 'b')");
        var before = MigrationPair.Hash(pair.OldPath);
        var files = pair.Files();
        var migrator = pair.Migrator(SchemaFixture.Model(V2));

        migrator.Plan(online: true);
        migrator.Plan(online: false);

        Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath), "not one byte of the old file changed");
        // A read-only reader of a WAL file leaves SQLite's empty -wal and -shm behind (the live
        // service has them anyway); the hash above covers the -wal, so it holds no frame.
        CollectionAssert.AreEqual(files, pair.Files().Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).ToList(),
            "no new file and no lock file");
        Assert.AreEqual(0L, File.Exists(pair.OldPath + "-wal") ? new FileInfo(pair.OldPath + "-wal").Length : 0L);
    }

    [TestMethod]
    public void PlanSaysWhatMatchesWhyAndWhatIsLost()
    {
        using var pair = MigrationPair.Create(V1,
            "INSERT INTO student VALUES (1, 'Ann', 'n', 2.0), (2, 'Bob', NULL, 2.5)",
            "INSERT INTO old VALUES (1), (2), (3)",
            "INSERT INTO link VALUES (1, 'a'), (2, 'b')");

        var plan = pair.Migrator(SchemaFixture.Model(V2)).Plan();

        var learner = plan.Tables.Single(t => t.Table.Name == "learner");
        Assert.AreEqual("student", learner.Source!.Name);
        Assert.AreEqual(2L, learner.Source.RowCount);
        CollectionAssert.AreEqual(
            new[] { "id <- id Copy", "full_name <- name Copy", "score <- score Convert", "level <-  Default", "email <-  Null" },
            learner.Columns.Select(c => $"{c.Column.Name} <- {c.Source} {c.Fill}").ToArray());
        var link = plan.Tables.Single(t => t.Table.Name == "link");
        Assert.AreEqual("student_id", link.Columns.Single(c => c.Column.Name == "learner_id").Source);
        Assert.AreEqual("old", plan.DroppedTables.Single().Name);
        CollectionAssert.AreEquivalent(new[] { "old.:3", "student.note:1", "student.score:1" },
            plan.Losses.Select(l => $"{l.Table}.{l.Column}:{l.Rows}").ToArray());
        StringAssert.Contains(plan.Losses.Single(l => l.Column == "score").What, "rowids 2");
        Assert.IsEmpty(plan.Errors);

        var report = string.Join("\n", pair.Log);
        StringAssert.Contains(report, "table learner <- student ([RenamedFrom(\"student\")], 2 rows)");
        StringAssert.Contains(report, "full_name: <- name, [RenamedFrom(\"name\")]");
        StringAssert.Contains(report, "level: new column, [Default] 1");
        StringAssert.Contains(report, "table old: dropped (3 rows)");
        StringAssert.Contains(report, "DATA LOSS: table old is dropped with its 3 rows");
        StringAssert.Contains(report, "MigMigrate refuses it without -p:MigAllowDataLoss=true");
    }

    [TestMethod]
    public void TheBundlesPlanFilesHoldTheJsonOfJsonAndSqlThatCopiesAsTheCopyDoes()
    {
        using var pair = MigrationPair.Create(V1,
            "INSERT INTO student VALUES (1, 'Ann', 'n', 2.0), (2, 'Bob', NULL, 2.5)",
            "INSERT INTO link VALUES (1, 'a'), (2, 'b')");
        var v2 = SchemaFixture.Model(V2);
        var bundle = Path.Combine(pair.Directory, "bundle");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, MigCommandLine.ModelFileName), SchemaModelJson.Serialize(v2));
        File.WriteAllText(Path.Combine(bundle, MigCommandLine.SettingsFileName), """{"databaseName": "school"}""");
        var (json, sql) = (Path.Combine(pair.Directory, "review", "plan.json"), Path.Combine(pair.Directory, "review", "plan.sql"));
        string Mig(params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.AreEqual(0, MigCommandLine.Run(["plan", "--database", pair.OldPath, .. args], bundle, stdout, stderr), stderr.ToString());
            return stdout.ToString();
        }

        StringAssert.Contains(Mig("--plan-file", json, "--plan-sql", sql), "level: new column, [Default] 1", "the plan is printed as without the files");
        Assert.AreEqual(Mig("--json").Trim(), File.ReadAllText(json).Trim(), "the plan file holds what --json prints");

        // The review SQL, run with the old file attached as the copy attaches it, copies what the copy copies.
        var review = Path.Combine(pair.Directory, "review.db");
        using (var c = new SqliteConnection($"Data Source={review};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"ATTACH DATABASE '{pair.OldPath}' AS old;\n" + File.ReadAllText(sql);
            cmd.ExecuteNonQuery();
        }
        pair.Migrator(v2).Migrate(offline: true, allowDataLoss: true);
        foreach (var query in new[] { "SELECT * FROM learner ORDER BY id", "SELECT rowid, * FROM link ORDER BY rowid", "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name NOT LIKE '!_%' ESCAPE '!' ORDER BY name" })
            RowAssert.AreEqual(pair.Rows(pair.NewPath, query), pair.Rows(review, query), query);

        using var stderr = new StringWriter();
        Assert.AreEqual(1, MigCommandLine.Run(["plan", "--database", Path.Combine(pair.Directory, "gone.db"), "--plan-file", json, "--plan-sql", sql], bundle, TextWriter.Null, stderr));
        StringAssert.Contains(stderr.ToString(), "MIG0047");
        Assert.IsFalse(File.Exists(json) || File.Exists(sql), "a refused plan leaves no earlier plan's files behind");
    }

    [TestMethod]
    public void PlanOfAMissingOldFileIsMig0047()
    {
        using var pair = MigrationPair.Create(V1);
        File.Delete(pair.OldPath);
        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(SchemaFixture.Model(V2)).Plan());
        Assert.AreEqual("MIG0047", e.Code);
    }

    [TestMethod]
    [DataRow("CREATE TABLE legacy(id INTEGER PRIMARY KEY, name TEXT) WITHOUT ROWID", "WITHOUT ROWID")]
    [DataRow("CREATE TABLE legacy(id INTEGER PRIMARY KEY, name TEXT, rowid INTEGER)", "a column named rowid")]
    // SQLite says which tables have no rowid, whatever options follow the declaration.
    [DataRow("CREATE TABLE legacy(id INTEGER PRIMARY KEY, name TEXT) WITHOUT ROWID, STRICT", "WITHOUT ROWID")]
    [DataRow("CREATE TABLE legacy(id INTEGER PRIMARY KEY, name TEXT) STRICT, WITHOUT ROWID", "WITHOUT ROWID")]
    [DataRow("CREATE TABLE legacy(id INTEGER PRIMARY KEY, name TEXT) WITHOUT ROWID; -- a comment", "WITHOUT ROWID")]
    [DataRow("CREATE TABLE legacy(id INTEGER PRIMARY KEY, name TEXT, RowId INTEGER)", "a column named RowId")]
    public void AnOldTableMigCannotFollowByRowIdIsRefusedBeforeAnythingChanges(string create, string why)
    {
        using var pair = MigrationPair.Create(V1, create, "INSERT INTO legacy(id, name) VALUES (1, 'a')");
        var migrator = pair.Migrator(SchemaFixture.Model(V1 + """
            [PK(nameof(Id))]
            public sealed record Legacy(long Id, string? Name);
            """));
        var before = MigrationPair.Hash(pair.OldPath);

        var error = migrator.Plan().Errors.Single();

        Assert.AreEqual(MigCode.NotFollowableByRowId, error.Code);
        StringAssert.Contains(error.Message, why);
        foreach (var offline in new[] { false, true })
        {
            var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline, allowDataLoss: true));
            Assert.AreEqual(MigCode.NotFollowableByRowId, e.Code, e.Message);
        }
        Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath));
        Assert.IsFalse(File.Exists(pair.NewPath));
    }
}
