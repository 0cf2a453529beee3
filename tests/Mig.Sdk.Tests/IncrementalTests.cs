using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// The schema compile is incremental: no change, no work; any change to the set
/// of inputs, work. Each build writes a detailed file log next to the project,
/// which says whether MSBuild ran or skipped _MigCompileSchemaCore.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class IncrementalTests
{
    private const string Core = "_MigCompileSchemaCore";
    private const string CompiledMessage = "Mig: schema "; // printed by the tool when it compiles the schema

    /// <summary>A MigScript build with a detailed log; returns the hash and the log.</summary>
    private static (string Hash, string Sql, string Log) Build(Consumer consumer)
    {
        var log = consumer.PathOf($"build-{Guid.NewGuid():N}.log");
        var item = consumer.Build("-t:MigScript", "-getTargetResult:MigScript", $"-flp:logfile={log};verbosity=detailed").SingleItem("MigScript");
        return (item["SchemaHash"], File.ReadAllText(item.Identity), File.ReadAllText(log));
    }

    private static void AssertCompiled(string log)
    {
        AssertLog(log, $"Building target \"{Core}\" completely", expected: true);
        AssertLog(log, CompiledMessage, expected: true);
    }

    /// <summary>Whether the log has a line with <paramref name="text"/>; on failure shows Mig's lines, not the whole log.</summary>
    private static void AssertLog(string log, string text, bool expected)
    {
        if (log.Contains(text, StringComparison.Ordinal) == expected) return;
        var migLines = log.Split('\n').Where(l => l.Contains("Mig", StringComparison.Ordinal)).Select(l => l.Trim());
        Assert.Fail($"The build log should {(expected ? "" : "not ")}contain '{text}'. Its lines about Mig:\n{string.Join("\n", migLines)}");
    }

    [TestMethod]
    public void AnUnchangedSchemaIsNotCompiledAgain()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var first = Build(consumer);
        AssertCompiled(first.Log);
        var model = consumer.MigIntermediateDir + "model.json";
        var modelTime = File.GetLastWriteTimeUtc(model);

        var second = Build(consumer);

        AssertLog(second.Log, $"Skipping target \"{Core}\" because all output files are up-to-date", expected: true);
        AssertLog(second.Log, CompiledMessage, expected: false);
        Assert.AreEqual(modelTime, File.GetLastWriteTimeUtc(model), "model.json should not be written again.");
        Assert.AreEqual(first.Hash, second.Hash);
        Assert.AreEqual(first.Sql, second.Sql);
    }

    [TestMethod]
    public void DeletingObjCompilesAgain()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var first = Build(consumer);
        consumer.Delete("obj");

        var second = Build(consumer);

        AssertCompiled(second.Log);
        Assert.IsTrue(File.Exists(consumer.MigIntermediateDir + "model.json"));
        Assert.AreEqual(first.Hash, second.Hash);
    }

    [TestMethod]
    public void RemovingOneOfTwoSchemaFilesCompilesAgain()
    {
        // Timestamps cannot show a removed input: the remaining file is older than
        // the outputs. Only the inputs cache (the list of schema files) can.
        using var consumer = Consumer.Create(files: [("Schema/School.cs", Schemas.Student), ("Schema/Room.cs", Schemas.Room)]);
        var first = Build(consumer);
        Assert.Contains("CREATE TABLE room(", first.Sql);

        consumer.Delete("Schema/Room.cs");
        var second = Build(consumer);

        AssertCompiled(second.Log);
        Assert.DoesNotContain("CREATE TABLE room(", second.Sql);
        Assert.Contains("CREATE TABLE student(", second.Sql);
        Assert.AreNotEqual(first.Hash, second.Hash);
    }

    [TestMethod]
    public void AFailedCompileIsNotRememberedAsSuccess()
    {
        // A failed compile must leave no outputs that a later build would take as up to date.
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        Build(consumer);
        consumer.Write("Schema/School.cs", Schemas.Student.Replace("nameof(Email)", "\"Mail\"", StringComparison.Ordinal));
        var broken = consumer.Build("-t:MigScript");
        broken.AssertFailed();
        Assert.Contains("error MIG0001", broken.Output);

        var again = consumer.Build("-t:MigScript");

        again.AssertFailed();
        Assert.Contains("error MIG0001", again.Output);
    }
}
