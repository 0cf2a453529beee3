using Microsoft.Data.Sqlite;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// [StoreAsText] as a user of the packed SDK meets it: a hot migration of an enum column from its
/// integer to its name through the targets (the plan shows the conversion and the loss of a value
/// with no member; refused until accepted; a write while recording converted by replay), and the
/// build error for a [Flags] enum stored by name.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class EnumTextTargetTests
{
    private const string AsInteger = """
        using Mig;

        namespace SchoolApp.Schema;

        public enum Level { Beginner, Intermediate, Advanced }

        [AutoIncPK(nameof(Id))]
        public sealed record Student(long Id, string Name, Level Level, Level? Goal);
        """;

    private static DotNetResult Mig(Consumer consumer, string data, string target, params string[] extra) =>
        consumer.Build([$"-t:{target}", $"-p:MigDatabaseDir={data}", .. extra]);

    private static List<string> Rows(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read()) rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    [TestMethod]
    public void AnEnumMovesFromItsIntegerToItsNameThroughTheTargets()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", AsInteger));
        var data = consumer.NewFolder("data");
        var old = Mig(consumer, data, "MigInit", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;
        Rows(old, "INSERT INTO student(name, level, goal) VALUES ('Ada', 2, NULL), ('Lin', 0, 9)");

        consumer.Write("Schema/School.cs", AsInteger.Replace("public enum Level", "[StoreAsText]\npublic enum Level", StringComparison.Ordinal));
        var plan = Mig(consumer, data, "MigPlan");
        Assert.AreEqual(0, plan.ExitCode, plan.ToString());
        StringAssert.Contains(plan.Output, "level: <- level, same name, converted: integer -> enum name (Level)");
        StringAssert.Contains(plan.Output, "DATA LOSS: 1 value(s) of student.goal name no member of Level and become NULL");
        StringAssert.Contains(plan.Output, "rowid 2: 9");

        var refused = Mig(consumer, data, "MigMigrate");
        refused.AssertFailed();
        StringAssert.Contains(refused.Output, "error MIG0042", refused.ToString());

        Assert.AreEqual(0, Mig(consumer, data, "MigMigrate", "-p:MigAllowDataLoss=true").ExitCode);
        Rows(old, "INSERT INTO student(name, level, goal) VALUES ('Mo', 1, 2)"); // the old service, while recording
        Assert.AreEqual(0, Mig(consumer, data, "MigDrain").ExitCode);
        var cutover = Mig(consumer, data, "MigCutover", "-p:MigAllowDataLoss=true");
        Assert.AreEqual(0, cutover.ExitCode, cutover.ToString());

        var fresh = Mig(consumer, data, "MigStatus", "-getTargetResult:MigStatus").SucceededWith("MigStatus").Single(i => i.Identity == "MigStatus")["NewPath"];
        CollectionAssert.AreEqual(new[] { "1|Ada|Advanced|NULL", "2|Lin|Beginner|NULL", "3|Mo|Intermediate|Advanced" },
            Rows(fresh, "SELECT id, name, level, goal FROM student ORDER BY id"));
    }

    [TestMethod]
    public void AFlagsEnumStoredByNameIsMig0026AtItsLine()
    {
        const string bad = """
            using System;
            using Mig;

            namespace SchoolApp.Schema;

            [Flags, StoreAsText]
            public enum Days { None = 0, Monday = 1, Tuesday = 2 }

            [AutoIncPK(nameof(Id))]
            public sealed record Student(long Id, string Name, Days Days);
            """;
        using var consumer = Consumer.Create(files: ("Schema/School.cs", bad));
        var build = consumer.Build();
        build.AssertFailed();
        StringAssert.Contains(build.Output, "School.cs(10,");
        StringAssert.Contains(build.Output, "error MIG0026");
    }
}
