using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// The hot-migration targets as an operator or a pipeline runs them: real
/// `dotnet build -t:Mig...` processes on a consumer, a real database, the state
/// read back through -getTargetResult:MigStatus and MigStatusFile.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class MigrationTargetTests
{
    private static DotNetResult Mig(Consumer consumer, string data, string target, params string[] extra) =>
        consumer.Build([$"-t:{target}", $"-p:MigDatabaseDir={data}", .. extra]);

    private static TargetItem Status(Consumer consumer, string data) =>
        Mig(consumer, data, "MigStatus", "-getTargetResult:MigStatus").SucceededWith("MigStatus").Single(i => i.Identity == "MigStatus");

    private static void Exec(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long Count(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False;Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    [TestMethod]
    public void AHotMigrationThroughTheTargetsKeepsEveryWrite()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var data = consumer.NewFolder("data");
        var old = Mig(consumer, data, "MigInit", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;
        Exec(old, "INSERT INTO student(name, email) VALUES ('Lin', 'lin@example.org')");
        Assert.AreEqual("done", Status(consumer, data)["Phase"], "before a schema change the current schema's file is the live one");

        consumer.Write("Schema/School.cs", Schemas.StudentWithAgeDefault);
        Assert.AreEqual("none", Status(consumer, data)["Phase"]);
        var before = File.ReadAllBytes(old);
        var plan = Mig(consumer, data, "MigPlan");
        Assert.AreEqual(0, plan.ExitCode, plan.ToString());
        StringAssert.Contains(plan.Output, "age: new column, [Default] 7");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(old), "MigPlan changes nothing");

        var migrate = Mig(consumer, data, "MigMigrate");
        Assert.AreEqual(0, migrate.ExitCode, migrate.ToString());
        Exec(old, "INSERT INTO student(name, email) VALUES ('Mo', 'mo@example.org'); UPDATE student SET name = 'Ada L.' WHERE id = 1");
        var statusFile = consumer.PathOf("status.json");
        var recording = Mig(consumer, data, "MigStatus", "-getTargetResult:MigStatus", $"-p:MigStatusFile={statusFile}")
            .SucceededWith("MigStatus");
        var main = recording.Single(i => i.Identity == "MigStatus");
        Assert.AreEqual("recording", main["Phase"]);
        Assert.AreEqual("2", main["Pending"]);
        StringAssert.Contains(main["Next"], "MigDrain");
        Assert.AreEqual("4", recording.Single(i => i.Identity == "student")["OldRows"]);
        StringAssert.Contains(File.ReadAllText(statusFile), "\"phase\": \"recording\"");

        // MigCatchUp replays while recording and trims the old file's log; MigStatus then has a rate.
        var catchUp = Mig(consumer, data, "MigCatchUp");
        Assert.AreEqual(0, catchUp.ExitCode, catchUp.ToString());
        StringAssert.Contains(catchUp.Output, "Mig: caught up: replayed 2 captured writes");
        Exec(old, "INSERT INTO student(name, email) VALUES ('Pat', 'pat@example.org')");
        var caughtUp = Status(consumer, data);
        Assert.AreEqual("recording", caughtUp["Phase"]);
        Assert.AreEqual("1", caughtUp["Pending"]);
        Assert.AreEqual(1L, Count(old, "SELECT count(*) FROM _migration_log WHERE id <= (SELECT max(id) - 1 FROM _migration_log)"), "the replayed entries left the log but the newest");
        var forced = Mig(consumer, data, "MigDrain", "-p:MigForcePause=true");
        Assert.AreEqual(0, forced.ExitCode, forced.ToString());
        Assert.AreEqual("drained", Status(consumer, data)["Phase"]);
        Assert.AreEqual("drained", Status(consumer, data)["Phase"]);
        var cutover = Mig(consumer, data, "MigCutover");
        Assert.AreEqual(0, cutover.ExitCode, cutover.ToString());
        var status = Status(consumer, data);
        Assert.AreEqual("cut-over", status["Phase"]);
        var fresh = status["NewPath"];
        Assert.AreEqual(5L, Count(fresh, "SELECT count(*) FROM student"));
        Assert.AreEqual(1L, Count(fresh, "SELECT count(*) FROM student WHERE id = 1 AND name = 'Ada L.' AND age = 7"));
        Assert.AreEqual(1L, Count(fresh, "SELECT count(*) FROM student WHERE email = 'mo@example.org'"));

        Assert.AreEqual(0, Mig(consumer, data, "MigArchiveOld").ExitCode);
        Assert.AreEqual("done", Status(consumer, data)["Phase"]);
    }

    [TestMethod]
    public void CutoverRefusesALossAddedWhileRecordingUntilMigSwitchAcceptsIt()
    {
        const string withNotes = """
            using Mig;

            namespace SchoolApp.Schema;

            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Email))]
            public sealed record Student(long Id, string Name, string Email);

            [AutoIncPK(nameof(Id))]
            public sealed record Note(long Id, string Text);
            """;
        using var consumer = Consumer.Create(files: ("Schema/School.cs", withNotes));
        var data = consumer.NewFolder("data");
        var old = Mig(consumer, data, "MigInit", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;
        consumer.Write("Schema/School.cs", Schemas.Student);
        Assert.AreEqual(0, Mig(consumer, data, "MigMigrate").ExitCode, "note is empty: dropping it loses nothing yet");
        Exec(old, "INSERT INTO note(text) VALUES ('written while recording')");
        Assert.AreEqual(0, Mig(consumer, data, "MigDrain").ExitCode);

        var refused = Mig(consumer, data, "MigCutover");
        refused.AssertFailed();
        StringAssert.Contains(refused.Output, "error MIG0042", refused.ToString());
        StringAssert.Contains(refused.Output, "table note is dropped with its 1 rows");
        Assert.AreEqual("drained", Status(consumer, data)["Phase"]);

        // MigSwitch (drain, then cutover, in one tool process) takes the same properties: the drain has nothing left to do.
        var accepted = Mig(consumer, data, "MigSwitch", "-p:MigAllowDataLoss=true");
        Assert.AreEqual(0, accepted.ExitCode, accepted.ToString());
        StringAssert.Contains(accepted.Output, "Drain complete. Cutting over (MigSwitch).");
        StringAssert.Contains(accepted.Output, "DATA LOSS accepted by -p:MigAllowDataLoss=true: table note is dropped with its 1 rows");
        Assert.AreEqual("cut-over", Status(consumer, data)["Phase"]);
    }

    [TestMethod]
    public void EveryWrongPhaseIsRefusedWithItsCodeAndMigRevertGoesBack()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var data = consumer.NewFolder("data");
        var old = Mig(consumer, data, "MigInit", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;
        consumer.Write("Schema/School.cs", Schemas.StudentWithAgeDefault.Replace("long Age", "long? Age", StringComparison.Ordinal));

        void Refused(string target, string code, string why)
        {
            var r = Mig(consumer, data, target);
            r.AssertFailed();
            StringAssert.Contains(r.Output, $"error {code}", why + "\n" + r);
        }

        Refused("MigDrain", "MIG0040", "drain before migrate");
        Refused("MigCutover", "MIG0040", "cutover before migrate");
        Assert.AreEqual(0, Mig(consumer, data, "MigMigrate").ExitCode);
        Refused("MigMigrate", "MIG0040", "migrate twice");
        Refused("MigCutover", "MIG0040", "cutover before drain");
        Refused("MigArchiveOld", "MIG0040", "archive before cutover");
        Refused("MigRevert", "MIG0040", "revert before cutover");
        Assert.AreEqual(0, Mig(consumer, data, "MigDrain").ExitCode);
        Assert.AreEqual(0, Mig(consumer, data, "MigCutover").ExitCode);
        Refused("MigReset", "MIG0040", "reset after cutover");
        Refused("MigDrain", "MIG0040", "drain after cutover");
        Assert.IsTrue(File.Exists(old));

        // After cutover MigRevert goes back: the old file takes writes again, the new one is out of service.
        Exec(Status(consumer, data)["NewPath"], "INSERT INTO student(name, email) VALUES ('Kim', 'kim@example.org')");
        var revert = Mig(consumer, data, "MigRevert");
        Assert.AreEqual(0, revert.ExitCode, revert.ToString());
        StringAssert.Contains(revert.Output, "Mig: reverted.");
        Assert.AreEqual(1L, Count(old, "SELECT count(*) FROM student WHERE email = 'kim@example.org'"), "the new service's write is in the old file");
        Assert.AreEqual(0L, Count(old, "SELECT count(*) FROM sqlite_schema WHERE name = '_migration_marker'"), "the old file takes writes again");
        Assert.AreEqual("reverted", Status(consumer, data)["Phase"]);
    }

    [TestMethod]
    public void MigPlanWritesThePlanAsJsonAndTheCopySqlForReviewEvenWithErrors()
    {
        // Email is dropped with data (a loss), Age comes from its default, Nick has no default
        // but rows to fill (MIG0043, an error), and the index is built after the copy.
        const string v2 = """
            using Mig;

            namespace SchoolApp.Schema;

            [AutoIncPK(nameof(Id))]
            [Default(nameof(Age), "7")]
            [Index(nameof(Name))]
            public sealed record Student(long Id, string Name, long Age, string Nick);
            """;
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var data = consumer.NewFolder("data");
        var old = Mig(consumer, data, "MigInit", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;
        consumer.Write("Schema/School.cs", v2);

        var plan = Mig(consumer, data, "MigPlan", "-p:MigPlanFile=review/plan.json", "-p:MigPlanSql=review/plan.sql");
        plan.AssertFailed();
        StringAssert.Contains(plan.Output, "error MIG0043", plan.ToString());
        StringAssert.Contains(plan.Output, "age: new column, [Default] 7", "the plan is still printed");

        using var json = JsonDocument.Parse(File.ReadAllText(consumer.PathOf("review/plan.json")));
        var root = json.RootElement;
        Assert.IsFalse(root.GetProperty("runs").GetBoolean());
        Assert.AreEqual("MIG0043", root.GetProperty("errors")[0].GetProperty("code").GetString());
        var student = root.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "student");
        Assert.AreEqual("student", student.GetProperty("source").GetString());
        var age = student.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("column").GetString() == "age");
        Assert.AreEqual("default", age.GetProperty("fill").GetString());
        var loss = root.GetProperty("losses").EnumerateArray().Single();
        Assert.AreEqual("email", loss.GetProperty("column").GetString());
        Assert.AreEqual(2, loss.GetProperty("rows").GetInt64());

        var sql = File.ReadAllText(consumer.PathOf("review/plan.sql"));
        StringAssert.StartsWith(sql, "-- Mig plan SQL for schema");
        StringAssert.Contains(sql, "FOR REVIEW");
        StringAssert.Contains(sql, "ERROR MIG0043");
        StringAssert.Contains(sql, "INSERT INTO main.student(id, name, age, nick) SELECT id, name, 7, NULL FROM old.student;");
        var statements = sql.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal)).Aggregate("", (a, l) => a + l + "\n")
            .Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var creates = statements.Where(s => s.StartsWith("CREATE ", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(creates.Any(s => s.StartsWith("CREATE INDEX", StringComparison.Ordinal)), sql);
        using var fresh = new SqliteConnection("Data Source=:memory:");
        fresh.Open();
        foreach (var create in creates)
        {
            using var cmd = fresh.CreateCommand();
            cmd.CommandText = create;
            cmd.ExecuteNonQuery();
        }
        Assert.AreEqual(0L, Count(old, "SELECT count(*) FROM sqlite_master WHERE name = 'ix_student_name'"), "the old file is untouched");
    }

    [TestMethod]
    public void MigrateWithoutAnOldDatabaseSaysWhatToDo()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var data = consumer.NewFolder("data");
        var r = Mig(consumer, data, "MigMigrate");
        r.AssertFailed();
        StringAssert.Contains(r.Output, "error MIG0047");
        StringAssert.Contains(r.Output, "MigInit");
    }

    [TestMethod]
    public void MigIgnoreTableItemsReachEveryStep()
    {
        // Another tool's table in the live file (a pattern item, % written as %25 in MSBuild) and
        // Litestream's (known without an item): no loss, no guard, not in the new file.
        using var consumer = Consumer.Create(
            project: ProjectXml.Additive(items: "<MigIgnoreTable Include=\"__marmot__%25\" />"),
            files: ("Schema/School.cs", Schemas.Student));
        var data = consumer.NewFolder("data");
        var old = Mig(consumer, data, "MigInit", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;
        Exec(old, "CREATE TABLE __marmot__log(id INTEGER PRIMARY KEY, change TEXT); INSERT INTO __marmot__log(change) VALUES ('x')");
        Exec(old, "CREATE TABLE _litestream_seq(id INTEGER PRIMARY KEY, seq INTEGER); INSERT INTO _litestream_seq(seq) VALUES (1)");
        consumer.Write("Schema/School.cs", Schemas.StudentWithAgeDefault);

        var plan = Mig(consumer, data, "MigPlan");
        Assert.AreEqual(0, plan.ExitCode, plan.ToString());
        StringAssert.Contains(plan.Output, "__marmot__log: ignored", plan.ToString());
        Assert.IsFalse(plan.Output.Contains("DATA LOSS", StringComparison.Ordinal), plan.ToString());
        var migrate = Mig(consumer, data, "MigMigrate");
        Assert.AreEqual(0, migrate.ExitCode, migrate.ToString());
        var drain = Mig(consumer, data, "MigDrain");
        Assert.AreEqual(0, drain.ExitCode, drain.ToString());
        // Writes are paused for the schema's tables only.
        Exec(old, "INSERT INTO __marmot__log(change) VALUES ('during drain')");
        Exec(old, "UPDATE _litestream_seq SET seq = seq + 1");
        var cutover = Mig(consumer, data, "MigCutover");
        Assert.AreEqual(0, cutover.ExitCode, cutover.ToString());

        var newFile = Status(consumer, data)["NewPath"];
        Assert.AreEqual(0L, Scalar(newFile, "SELECT count(*) FROM sqlite_schema WHERE name IN ('__marmot__log', '_litestream_seq')"));
        Assert.AreEqual(2L, Scalar(old, "SELECT count(*) FROM __marmot__log"));
    }

    [TestMethod]
    public void MigHookRunsAfterEachTargetAndAFailingVerifiedHookVetoesTheCutover()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var data = consumer.NewFolder("data");
        var old = Mig(consumer, data, "MigInit", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;
        consumer.Write("Schema/School.cs", Schemas.StudentWithAgeDefault);
        // A real script: each run appends its phase, files and directory; it fails at a phase named by a file.
        consumer.Write("hook.sh", """
            printf '%s|%s|%s|%s\n' "$MIG_PHASE" "$MIG_OLD_DATABASE" "$MIG_NEW_DATABASE" "$(pwd)" >> runs.txt
            grep -o '"live": "[^"]*"' "$MIG_STATUS_FILE"
            if [ -f "fail-$MIG_PHASE" ]; then echo "error: the replica is behind"; exit 4; fi
            """);
        var hook = "-p:MigHook=sh hook.sh";

        var migrate = Mig(consumer, data, "MigMigrate", hook);
        Assert.AreEqual(0, migrate.ExitCode, migrate.ToString());
        StringAssert.Contains(migrate.Output, $"Mig: hook recording: \"live\": \"{old}\"", migrate.ToString());
        var newFile = Status(consumer, data)["NewPath"];
        Assert.AreEqual(0, Mig(consumer, data, "MigDrain", hook).ExitCode);

        consumer.Write("fail-verified", "");
        var vetoed = Mig(consumer, data, "MigCutover", hook);
        vetoed.AssertFailed();
        StringAssert.Contains(vetoed.Output, "error MIG0059: MigCutover was vetoed: the verified hook `sh hook.sh` exited with code 4", vetoed.ToString());
        StringAssert.Contains(vetoed.Output, "error: the replica is behind", "the hook's output is quoted");
        StringAssert.Contains(vetoed.Output, "Mig: hook verified: error: the replica is behind", "the hook's output is shown as it comes");
        Assert.IsFalse(vetoed.Output.Split('\n').Any(l => l.Contains("error", StringComparison.Ordinal) && !l.Contains("MIG0059", StringComparison.Ordinal) && !l.Contains("Mig: hook verified:", StringComparison.Ordinal) && !l.Contains("Error(s)", StringComparison.Ordinal)),
            "the hook's own 'error:' line is not taken for an MSBuild error:\n" + vetoed);
        var status = Status(consumer, data);
        Assert.AreEqual("drained", status["Phase"]);
        Assert.AreEqual("migrating", status["NewStatus"]);
        Assert.AreEqual(old, status["Live"]);

        consumer.Delete("fail-verified");
        var cutover = Mig(consumer, data, "MigCutover", hook);
        Assert.AreEqual(0, cutover.ExitCode, cutover.ToString());
        Assert.AreEqual(newFile, Status(consumer, data)["Live"]);
        var runs = File.ReadAllLines(consumer.PathOf("runs.txt")).Select(l => l.Split('|')).ToList();
        Assert.AreEqual("recording, drained, verified, verified, ready", string.Join(", ", runs.Select(r => r[0])));
        Assert.IsTrue(runs.All(r => r[1] == old && r[2] == newFile), string.Join("\n", runs.Select(r => string.Join("|", r))));
        Assert.IsTrue(runs.All(r => r[3] == consumer.Directory.TrimEnd('/')), "the hook runs in the project's directory: " + runs[0][3]);
    }

    private static long Scalar(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }
}
