using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// [MigrateFrom] in migrations: the copy and the replay of captured writes fill the new column from the
/// old row, verification compares it, the plan shows it, and what it cannot fill is refused with nothing changed.
/// </summary>
[TestClass]
public sealed class MigrateFromMigrationTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Person(long Id, string FirstName, string? LastName, long Age);
        """;

    private const string Expression = "first_name || ' ' || last_name";

    private const string V2 = """
        [PK(nameof(Id))]
        public sealed record Person(long Id, string FirstName, string? LastName,
            [MigrateFrom("first_name || ' ' || last_name")] string Name, long Age);
        """;

    private static readonly Lazy<SchemaModel> V2Model = new(() => SchemaFixture.Model(V2));

    /// <summary>What every new row must hold: the expression over the old row as the old file has it now.</summary>
    private const string Expected = $"SELECT id, first_name, {Expression}, age FROM person ORDER BY id";

    [TestMethod]
    public void TheCopyFillsTheNewColumnFromTheOldRowAndThePlanSaysSo()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO person VALUES (1, 'Ann', 'Lee', 30), (2, 'Bob', 'Ray', 40)");
        var migrator = pair.Migrator(V2Model.Value);
        var plan = migrator.Plan(online: false);
        Assert.IsEmpty(plan.Errors);
        Assert.IsEmpty(plan.Losses);
        var name = plan.Tables.Single().Columns.Single(c => c.Column.Name == "name");
        Assert.AreEqual(FillKind.Computed, name.Fill);
        StringAssert.Contains(string.Join("\n", pair.Log), $"    name: new column, [MigrateFrom] {Expression}");
        var json = PlanJson.Serialize(plan);
        StringAssert.Contains(json, "\"fill\": \"migrate-from\"");
        using (var doc = System.Text.Json.JsonDocument.Parse(json))
        {
            var column = doc.RootElement.GetProperty("tables")[0].GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("column").GetString() == "name");
            Assert.AreEqual($"new column, [MigrateFrom] {Expression}", column.GetProperty("reason").GetString());
            Assert.AreEqual(Expression, column.GetProperty("migrateFrom").GetString());
        }

        migrator.Migrate(offline: true, allowDataLoss: false);

        AreEqual([Row(1L, "Ann", "Ann Lee", 30L), Row(2L, "Bob", "Bob Ray", 40L)],
            pair.Rows(pair.NewPath, "SELECT id, first_name, name, age FROM person ORDER BY id"));
    }

    [TestMethod]
    public void ReplayRecomputesRowsTheOldServiceAndTheSqlite3ShellWriteWhileRecording()
    {
        using var pair = MigrationPair.Create(V1);
        pair.WriteOld([.. Enumerable.Range(1, 200).Select(i => $"INSERT INTO person VALUES ({i}, 'f{i}', 'l{i}', {i})")]);
        var migrator = pair.Migrator(V2Model.Value);
        using var writers = new SourceWriters(pair.OldPath);

        migrator.Migrate(offline: false, allowDataLoss: false);
        writers.WaitForCommitsAfter(DateTime.UtcNow, raw: 60, shell: 4);
        migrator.Drain();
        writers.Stop();
        migrator.Cutover();

        Assert.IsGreaterThan(0, writers.Updates, "source columns changed while recording");
        AreEqual(pair.Rows(pair.OldPath, Expected), pair.Rows(pair.NewPath, "SELECT id, first_name, name, age FROM person ORDER BY id"),
            "every new row's name is the expression over its old row, whichever writer changed it");
    }

    [TestMethod]
    public void VerifyFindsAComputedValueThatDiffersFromTheExpression()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO person VALUES (1, 'Ann', 'Lee', 30), (2, 'Bob', 'Ray', 40)");
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        pair.Execute(pair.NewPath, "UPDATE person SET name = 'Ann Lee ' WHERE id = 1");

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Verify());

        Assert.AreEqual(MigCode.VerifyFailed, e.Code, e.Message);
        StringAssert.Contains(e.Message, "name");
        var cut = Assert.ThrowsExactly<MigOperationException>(() => migrator.Cutover());
        Assert.AreEqual(MigCode.VerifyFailed, cut.Code);
    }

    [TestMethod]
    public void NullForANotNullColumnIsRefusedWithItsRowidsAndNothingChanges()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO person VALUES (1, 'Ann', 'Lee', 30), (2, 'Bob', NULL, 40), (5, 'Cy', NULL, 1)");
        var before = MigrationPair.Hash(pair.OldPath);
        var plan = pair.Migrator(V2Model.Value).Plan(online: false);
        var error = plan.Errors.Single();
        Assert.AreEqual(MigCode.NotNullWithoutDefault, error.Code);
        StringAssert.Contains(error.Message, "gives NULL for 2 row(s) of person (rowids 2, 5)");

        foreach (var offline in new[] { true, false })
        {
            var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(V2Model.Value).Migrate(offline, allowDataLoss: true));
            Assert.AreEqual(MigCode.NotNullWithoutDefault, e.Code, e.Message);
            Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath), "the old file is untouched");
            Assert.IsFalse(File.Exists(pair.NewPath), "no new file");
        }

        // A [Default] fills the rows the expression leaves NULL, as it does for a column that becomes NOT NULL.
        var withDefault = SchemaFixture.Model("""
            [PK(nameof(Id))]
            [Default(nameof(Name), "'(unknown)'")]
            public sealed record Person(long Id, string FirstName, string? LastName,
                [MigrateFrom("first_name || ' ' || last_name")] string Name, long Age);
            """);
        var migrator = pair.Migrator(withDefault);
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        AreEqual([Row(1L, "Ann Lee"), Row(2L, "(unknown)"), Row(5L, "(unknown)")], pair.Rows(pair.NewPath, "SELECT id, name FROM person ORDER BY id"));
    }

    [TestMethod]
    public void AWriteWhileRecordingThatMakesTheExpressionNullStopsTheDrainWithACode()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO person VALUES (1, 'Ann', 'Lee', 30)");
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "UPDATE person SET last_name = NULL WHERE id = 1");

        var errors = new List<string>();
        var request = new MigrationRequest("drain", "app") { Database = pair.OldPath, NewDatabase = pair.NewPath };
        var exit = CommandFailures.Run(() => "test", m => m, errors.Add,
            () => MigrationVerbs.Run(request, V2Model.Value, new CommandOutput(_ => { }, _ => { }, errors.Add)));

        Assert.AreEqual(1, exit);
        StringAssert.Contains(errors.Last(), $"error {MigCode.NotNullWithoutDefault}: ");
        StringAssert.Contains(errors.Last(), "[MigrateFrom]");
        AreEqual([Row(1L, "Ann Lee")], pair.Rows(pair.NewPath, "SELECT id, name FROM person"), "nothing of the failed batch was replayed");

        // What the message advises: reset, correct the row, migrate again.
        migrator.Reset();
        pair.Execute(pair.OldPath, "UPDATE person SET last_name = 'Moe' WHERE id = 1");
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        AreEqual([Row(1L, "Ann Moe")], pair.Rows(pair.NewPath, "SELECT id, name FROM person"));
    }

    [TestMethod]
    public void AColumnTheOldTableLacksIsMig0061AndNothingChanges()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO person VALUES (1, 'Ann', 'Lee', 30)");
        var before = MigrationPair.Hash(pair.OldPath);
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Person(long Id, string FirstName, string? LastName, [MigrateFrom("first_name || surname")] string? Name, long Age);
            """);

        var plan = pair.Migrator(v2).Plan();

        var error = plan.Errors.Single();
        Assert.AreEqual(MigCode.MigrateFromUnknownColumn, error.Code);
        StringAssert.Contains(error.Message, "no such column: surname");
        StringAssert.Contains(error.Message, "id, first_name, last_name, age");
        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(v2).Migrate(offline: false, allowDataLoss: true));
        Assert.AreEqual(MigCode.MigrateFromUnknownColumn, e.Code, e.Message);
        Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath));
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void AValueThatDoesNotSurviveTheColumnsTypeIsALossWithRowids()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO person VALUES (1, 'Ann', '7', 30), (2, 'Bob', 'x', 40)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Person(long Id, string FirstName, string? LastName, [MigrateFrom("last_name")] long? Code, long Age);
            """);
        var plan = pair.Migrator(v2).Plan(online: false);
        var loss = plan.Losses.Single();
        StringAssert.Contains(loss.What, "1 value(s) of [MigrateFrom] last_name for person.code do not survive -> INTEGER (rowids 2)");
        Assert.AreEqual(MigCode.DataLoss, Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(v2).Migrate(offline: true, allowDataLoss: false)).Code);

        pair.Migrator(v2).Migrate(offline: true, allowDataLoss: true);
        AreEqual([Row(1L, 7L), Row(2L, 0L)], pair.Rows(pair.NewPath, "SELECT id, code FROM person ORDER BY id"), "converted as a conversion converts");
    }

    [TestMethod]
    public void ASecondMigrationCopiesTheColumnAndDoesNotRecomputeIt()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO person VALUES (1, 'Ann', 'Lee', 30)");
        var first = pair.Migrator(V2Model.Value);
        first.Migrate(offline: true, allowDataLoss: false);
        // Served by the new schema, the name is now the application's data: it may differ from the expression.
        pair.Execute(pair.NewPath, "UPDATE person SET first_name = 'Anna', name = 'Dr. Ann Lee' WHERE id = 1");

        var v3 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Person(long Id, string FirstName, string? LastName,
                [MigrateFrom("first_name || ' ' || last_name")] string Name, long Age, string? Email);
            """);
        var third = Path.Combine(pair.Directory, "app-v3.db");
        var second = new Migrator(v3, Mig.Sql.SchemaHash.Compute(v3), pair.NewPath, third, pair.Log.Add);
        var plan = second.Plan(online: false);

        var name = plan.Tables.Single().Columns.Single(c => c.Column.Name == "name");
        Assert.AreEqual(FillKind.Copy, name.Fill);
        Assert.AreEqual("same name; [MigrateFrom] not used", name.Reason);
        StringAssert.Contains(string.Join("\n", pair.Log), "    name: <- name, same name; [MigrateFrom] not used");
        second.Migrate(offline: true, allowDataLoss: false);
        AreEqual([Row(1L, "Anna", "Dr. Ann Lee")], pair.Rows(third, "SELECT id, first_name, name FROM person"));
    }

    [TestMethod]
    public void ReplayThroughIdMappingRecomputesToo()
    {
        // An old INT PRIMARY KEY (not the rowid) becomes the new INTEGER PRIMARY KEY: replay goes entry by entry.
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Other(long Id);
            """,
            "CREATE TABLE person(id INT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT, age INTEGER NOT NULL)",
            "INSERT INTO person(rowid, id, first_name, last_name, age) VALUES (10, 1, 'Ann', 'Lee', 30), (11, 2, 'Bob', 'Ray', 40)");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Person(long Id, string FirstName, string? LastName,
                [MigrateFrom("first_name || ' ' || last_name")] string Name, long Age);
            """);
        var migrator = pair.Migrator(v2);
        Assert.IsTrue(migrator.Plan().Tables.Single(t => t.Table.Name == "person").RowIdChanges);
        migrator.Migrate(offline: false, allowDataLoss: true);
        pair.Execute(pair.OldPath, "UPDATE person SET last_name = 'Moe' WHERE id = 1");
        pair.Execute(pair.OldPath, "INSERT INTO person(id, first_name, last_name, age) VALUES (3, 'Cy', 'Dee', 5)");
        pair.Execute(pair.OldPath, "DELETE FROM person WHERE id = 2");
        migrator.Drain();
        migrator.Cutover(allowDataLoss: true);

        AreEqual([Row(1L, "Ann Moe"), Row(3L, "Cy Dee")], pair.Rows(pair.NewPath, "SELECT id, name FROM person ORDER BY id"));
    }

    private const string HostileV1 = """
        [Table("order"), PK(nameof(Id))]
        public sealed record Order(long Id, [Column("first name")] string First, [Column("select")] string Select,
            [Column("quo\"te")] string Quote, [Column("row_id")] long RowId);
        """;

    // "name" is new and computed; "first name" stays, so old and new share column names.
    private const string HostileV2 = """
        [Table("order"), PK(nameof(Id))]
        public sealed record Order(long Id, [Column("first name")] string First, [Column("select")] string Select,
            [Column("quo\"te")] string Quote, [Column("row_id")] long RowId,
            [Column("mig_o"), MigrateFrom("\"first name\" || '|' || \"select\" || '|' || \"quo\"\"te\" || '|' || row_id")] string Name);
        """;

    [TestMethod]
    public void HostileNamesInTheExpressionAreTheOldRowsColumnsInCopyReplayAndVerify()
    {
        using var pair = MigrationPair.Create(HostileV1, "INSERT INTO \"order\" VALUES (1, 'a b', 'sel', 'q''x', 7), (2, 'c', 'd', 'e', 8)");
        var v2 = SchemaFixture.Model(HostileV2);
        var migrator = pair.Migrator(v2);
        Assert.IsEmpty(migrator.Plan().Errors);
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "UPDATE \"order\" SET \"first name\" = 'changed', row_id = 9 WHERE id = 1");
        pair.Execute(pair.OldPath, "INSERT INTO \"order\" VALUES (3, 'new', 's', 'q', 10)");
        pair.Execute(pair.OldPath, "DELETE FROM \"order\" WHERE id = 2");
        Sqlite3Shell.Run(pair.OldPath, ".timeout 5000\nUPDATE \"order\" SET \"select\" = 'shell' WHERE id = 3;\n");
        migrator.Drain();
        migrator.Cutover();

        AreEqual([Row(1L, "changed|sel|q'x|9"), Row(3L, "new|shell|q|10")], pair.Rows(pair.NewPath, "SELECT id, mig_o FROM \"order\" ORDER BY id"));
    }

    /// <summary>A raw connection and the sqlite3 shell changing the expression's source columns until the drain refuses them.</summary>
    private sealed class SourceWriters : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task raw;
        private readonly Task shell;
        private readonly List<DateTime> rawCommits = [];
        private readonly List<DateTime> shellCommits = [];
        public int Updates;

        public SourceWriters(string path)
        {
            raw = Task.Run(() => Raw(path));
            shell = Task.Run(() => Shell(path));
        }

        private void Raw(string path)
        {
            var random = new Random(11);
            using var c = MigrationPair.Open(path);
            var next = 1000;
            while (!stop.IsCancellationRequested)
            {
                using var cmd = c.CreateCommand();
                var id = random.Next(1, 200);
                cmd.CommandText = random.Next(4) switch
                {
                    0 => $"INSERT INTO person VALUES ({next++}, 'n{next}', 'm{next}', 1)",
                    1 => $"DELETE FROM person WHERE id = {id}",
                    2 => $"UPDATE person SET last_name = 'L{random.Next()}' WHERE id = {id}",
                    _ => $"UPDATE person SET first_name = 'F{random.Next()}' WHERE id = {id}",
                };
                try { cmd.ExecuteNonQuery(); }
                catch (SqliteException e) when (e.Message.Contains(Protocol.WritesPausedMessage, StringComparison.Ordinal)) { return; }
                lock (rawCommits) rawCommits.Add(DateTime.UtcNow);
                Interlocked.Increment(ref Updates);
                Thread.Sleep(2);
            }
        }

        private void Shell(string path)
        {
            var round = 0;
            while (!stop.IsCancellationRequested)
            {
                round++;
                var script = $".timeout 5000\nBEGIN;\nUPDATE person SET first_name = 'shell{round}' WHERE id % 7 = {round % 7};\n" +
                             $"INSERT INTO person VALUES ({100_000 + round}, 'sh', 'ell{round}', 2);\nCOMMIT;\n";
                if (Sqlite3Shell.TryRun(path, script).ExitCode != 0) return; // refused: writes are paused
                lock (shellCommits) shellCommits.Add(DateTime.UtcNow);
                Thread.Sleep(20);
            }
        }

        public void WaitForCommitsAfter(DateTime since, int raw, int shell)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                int r, s;
                lock (rawCommits) r = rawCommits.Count(t => t > since);
                lock (shellCommits) s = shellCommits.Count(t => t > since);
                if (r >= raw && s >= shell) return;
                Thread.Sleep(20);
            }
            Assert.Fail("the writers did not commit while recording");
        }

        public void Stop()
        {
            stop.Cancel();
            Task.WaitAll(raw, shell);
        }

        public void Dispose()
        {
            stop.Cancel();
            try { Task.WaitAll(raw, shell); } catch (AggregateException) { }
            stop.Dispose();
        }
    }
}
