using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// MigGenerate through real builds: an ordinary `dotnet build` writes Mig.g.cs and
/// compiles calls to it; an unchanged build does no Mig work and starts no tool
/// process; a schema edit regenerates; turning generation off removes it.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class GenerateTests
{
    private const string Program = """
        using Mig;
        using SchoolApp.Schema;

        await using var db = new MigDatabase(args[0]);
        var all = await db.ReadAsync(txn => Student.SelectAllAsync(txn));
        System.Console.WriteLine($"{all.Count} students, schema {MigSchemaInfo.Hash}");
        """;

    private static readonly string App = ProjectXml.Additive("<OutputType>Exe</OutputType>");

    private static string Schema(string extraColumn = "", string extraQuery = "") => $$"""
        using Mig;

        namespace SchoolApp.Schema;

        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Email))]
        [SelectAll{{extraQuery}}]
        public sealed record Student(long Id, string Name, string Email{{extraColumn}});
        """;

    private static (DotNetResult Result, string Log) Build(Consumer consumer, params string[] extra)
    {
        var log = consumer.PathOf($"build-{Guid.NewGuid():N}.log");
        var result = consumer.Build([.. extra, $"-flp:logfile={log};verbosity=detailed"]);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        return (result, File.ReadAllText(log));
    }

    [TestMethod]
    public void ABuildGeneratesQueriesThatTheAppCompilesAgainst()
    {
        using var consumer = Consumer.Create(project: App, files: [("Schema/School.cs", Schema()), ("Program.cs", Program)]);
        var (_, log) = Build(consumer);
        var generated = consumer.Read("obj/Debug/net10.0/Mig/Mig.g.cs");
        StringAssert.Contains(generated, "public static class StudentQueries");
        // A long signature is written one parameter per line.
        StringAssert.Matches(generated, new System.Text.RegularExpressions.Regex(@"SelectAllAsync\(\s*global::Mig\.MigTransaction txn,"));
        StringAssert.Contains(generated, $"public const string Hash = \"{consumer.Read("obj/Debug/net10.0/Mig/schema.hash").Trim()}\"");
        StringAssert.Contains(log, "Mig: generated queries for 1 tables");
    }

    [TestMethod]
    public void AnUnchangedBuildDoesNoMigWorkAndStartsNoProcess()
    {
        using var consumer = Consumer.Create(project: App, files: [("Schema/School.cs", Schema()), ("Program.cs", Program)]);
        Build(consumer);
        var generated = consumer.PathOf("obj/Debug/net10.0/Mig/Mig.g.cs");
        var stamp = File.GetLastWriteTimeUtc(generated);

        var (_, log) = Build(consumer);

        StringAssert.Contains(log, "Skipping target \"_MigCompileSchemaCore\" because all output files are up-to-date");
        StringAssert.Contains(log, "Skipping target \"_MigGenerateCore\" because all output files are up-to-date");
        Assert.DoesNotContain("Mig.Tasks.dll\" @", log, "no tool process should start");
        Assert.DoesNotContain("Mig: generated", log);
        Assert.AreEqual(stamp, File.GetLastWriteTimeUtc(generated));
    }

    [TestMethod]
    public void ASchemaEditRegeneratesAndTheNewMethodCompiles()
    {
        using var consumer = Consumer.Create(project: App, files: [("Schema/School.cs", Schema()), ("Program.cs", Program)]);
        Build(consumer);
        consumer.Write("Schema/School.cs", Schema(", long Age", ", SelectBy(nameof(Age))"));
        consumer.Write("Program.cs", Program + "\nawait db.ReadAsync(txn => Student.SelectByAgeAsync(txn, 20));\n");

        var (_, log) = Build(consumer);

        StringAssert.Contains(log, "Mig: generated queries");
        StringAssert.Matches(consumer.Read("obj/Debug/net10.0/Mig/Mig.g.cs"), new System.Text.RegularExpressions.Regex(@"SelectByAgeAsync\(\s*global::Mig\.MigTransaction txn,\s*long age,"));
    }

    [TestMethod]
    public void DeletingObjRegenerates()
    {
        using var consumer = Consumer.Create(project: App, files: [("Schema/School.cs", Schema()), ("Program.cs", Program)]);
        Build(consumer);
        consumer.Delete("obj");
        Build(consumer);
        Assert.IsTrue(File.Exists(consumer.PathOf("obj/Debug/net10.0/Mig/Mig.g.cs")));
    }

    [TestMethod]
    public void GenerationCanBeTurnedOff()
    {
        using var consumer = Consumer.Create(project: ProjectXml.Additive("<OutputType>Exe</OutputType><MigGenerateQueries>false</MigGenerateQueries>"),
            files: [("Schema/School.cs", Schema()), ("Program.cs", "System.Console.WriteLine(new SchoolApp.Schema.Student(1, \"a\", \"b\"));")]);
        Build(consumer);
        Assert.IsFalse(File.Exists(consumer.PathOf("obj/Debug/net10.0/Mig/Mig.g.cs")));
    }

    [TestMethod]
    public void AQueryNameCollisionFailsTheBuildAtTheMember()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", """
            using Mig;
            namespace SchoolApp.Schema;
            [AutoIncPK(nameof(Id))]
            [SelectAll]
            public sealed record Student(long Id, string Name)
            {
                public static int SelectAllAsync() => 0;
            }
            """));
        var result = consumer.Build();
        result.AssertFailed();
        StringAssert.Contains(result.Output, consumer.PathOf("Schema/School.cs") + "(4,2): error MIG0020");
    }
}
