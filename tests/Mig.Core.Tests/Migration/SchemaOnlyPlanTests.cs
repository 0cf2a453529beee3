using System.Text.Json;
using Mig.Migration;
using Mig.Schema;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// <c>MigPlan -p:MigPlanFrom=previous.sql</c> / <c>mig plan --plan-from</c>: a plan against the previous
/// schema's SQL (MigScript's output) with no production file, where every change that loses data when
/// the tables hold any is listed and, unaccepted, an error, so a pipeline can fail the pull request.
/// </summary>
[TestClass]
public sealed class SchemaOnlyPlanTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Pupil(long Id, string Name, string Note, long Score);
        [PK(nameof(Id))]
        public sealed record Log(long Id, string Line);
        """;

    private readonly List<string> folders = [];

    [TestCleanup]
    public void DeleteFolders()
    {
        foreach (var dir in folders) Directory.Delete(dir, recursive: true);
    }

    /// <summary>Writes V1's script, then plans <paramref name="v2"/> against it; returns the exit code and what was printed.</summary>
    private (int Exit, List<string> Lines) Plan(string v2, bool allowDataLoss = false, string? script = null, string? planFile = null)
    {
        var dir = TestDatabase.NewDirectory();
        folders.Add(dir);
        var previous = Path.Combine(dir, "previous.sql");
        File.WriteAllText(previous, script ?? SchemaVerbs.Script(SchemaFixture.Model(V1)));
        var lines = new List<string>();
        var request = new MigrationRequest("plan", "app") { PlanFrom = previous, AllowDataLoss = allowDataLoss, PlanFile = planFile is null ? null : Path.Combine(dir, planFile) };
        var exit = CommandFailures.Run(() => "test", m => m, lines.Add, () => MigrationVerbs.Run(request, SchemaFixture.Model(v2), new CommandOutput(lines.Add, lines.Add, lines.Add)));
        return (exit, lines);
    }

    [TestMethod]
    public void AnAddedColumnWithADefaultPlansCleanWithoutAnyDatabase()
    {
        var (exit, lines) = Plan("""
            [PK(nameof(Id))]
            [Default(nameof(Age), "7")]
            public sealed record Pupil(long Id, string Name, string Note, long Score, long Age);
            [PK(nameof(Id))]
            public sealed record Log(long Id, string Line);
            """);
        Assert.AreEqual(0, exit, string.Join("\n", lines));
        CollectionAssert.Contains(lines, "    age: new column, [Default] 7");
        CollectionAssert.Contains(lines, "  The plan keeps every row and value.");
    }

    [TestMethod]
    public void ADroppedColumnIsAnErrorUntilAcceptedAndARenameIsNot()
    {
        const string dropsNote = """
            [PK(nameof(Id))]
            public sealed record Pupil(long Id, string Name, long Score);
            [PK(nameof(Id))]
            public sealed record Log(long Id, string Line);
            """;
        var (exit, lines) = Plan(dropsNote);
        Assert.AreEqual(1, exit, string.Join("\n", lines));
        Assert.IsTrue(lines.Any(l => l.StartsWith($"  ERROR {MigCode.DataLoss}: ", StringComparison.Ordinal) && l.Contains("column pupil.note is dropped", StringComparison.Ordinal)), string.Join("\n", lines));

        var (accepted, acceptedLines) = Plan(dropsNote, allowDataLoss: true);
        Assert.AreEqual(0, accepted, string.Join("\n", acceptedLines));
        CollectionAssert.Contains(acceptedLines, "  DATA LOSS: column pupil.note is dropped, with every value it holds");

        var (renamed, renamedLines) = Plan("""
            [PK(nameof(Id))]
            public sealed record Pupil(long Id, string Name, [property: RenamedFrom("note")] string Remark, long Score);
            [PK(nameof(Id))]
            public sealed record Log(long Id, string Line);
            """);
        Assert.AreEqual(0, renamed, string.Join("\n", renamedLines));
    }

    [TestMethod]
    public void ADroppedTableAndAConversionArePossibleLossesInTheJson()
    {
        var (exit, lines) = Plan("""
            [PK(nameof(Id))]
            public sealed record Pupil(long Id, string Name, string Note, string Score);
            """, planFile: "plan.json");
        Assert.AreEqual(1, exit, string.Join("\n", lines));
        CollectionAssert.Contains(lines, "  DATA LOSS: table log is dropped, with every row it holds");
        Assert.IsTrue(lines.Any(l => l.StartsWith("  DATA LOSS: pupil.score is converted", StringComparison.Ordinal)), string.Join("\n", lines));
        var json = File.ReadAllText(Path.Combine(folders[0], "plan.json"));
        using var doc = JsonDocument.Parse(json);
        Assert.AreEqual(2, doc.RootElement.GetProperty("losses").GetArrayLength(), json);
        Assert.AreEqual(MigCode.DataLoss, doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetString(), json);
    }

    [TestMethod]
    public void AColumnComputedByMigrateFromIsAPossibleLossAsAConversionIs()
    {
        var (exit, lines) = Plan("""
            [PK(nameof(Id))]
            public sealed record Pupil(long Id, string Name, string Note, long Score, [MigrateFrom("score * 1.5")] long Weighted);
            [PK(nameof(Id))]
            public sealed record Log(long Id, string Line);
            """);
        Assert.AreEqual(1, exit, string.Join("\n", lines));
        Assert.IsTrue(lines.Any(l => l.StartsWith("  DATA LOSS: pupil.weighted is computed from pupil by [MigrateFrom] score * 1.5: results that do not survive INTEGER are lost, and a NULL result stops MigMigrate", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsTrue(lines.Any(l => l.StartsWith($"  ERROR {MigCode.DataLoss}: ", StringComparison.Ordinal)), string.Join("\n", lines));

        var (accepted, acceptedLines) = Plan("""
            [PK(nameof(Id))]
            public sealed record Pupil(long Id, string Name, string Note, long Score, [MigrateFrom("score * 1.5")] long Weighted);
            [PK(nameof(Id))]
            public sealed record Log(long Id, string Line);
            """, allowDataLoss: true);
        Assert.AreEqual(0, accepted, string.Join("\n", acceptedLines));
    }

    [TestMethod]
    public void AMissingOrBrokenPreviousSchemaIsRefusedWithMig0072()
    {
        var dir = TestDatabase.NewDirectory();
        folders.Add(dir);
        var lines = new List<string>();
        var request = new MigrationRequest("plan", "app") { PlanFrom = Path.Combine(dir, "nope.sql") };
        var exit = CommandFailures.Run(() => "test", m => m, lines.Add, () => MigrationVerbs.Run(request, SchemaFixture.Model(V1), new CommandOutput(lines.Add, lines.Add, lines.Add)));
        Assert.AreEqual(1, exit);
        StringAssert.Contains(string.Join("\n", lines), MigCode.PlanFromUnreadable);

        var (broken, brokenLines) = Plan(V1, script: "CREATE TABLE oops (");
        Assert.AreEqual(1, broken);
        StringAssert.Contains(string.Join("\n", brokenLines), MigCode.PlanFromUnreadable);
    }
}
