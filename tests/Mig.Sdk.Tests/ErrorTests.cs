using System.Text.RegularExpressions;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// A schema problem fails the build with a canonical MSBuild error at the schema
/// file and line (what IDEs and CI annotate), and changes no database.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class ErrorTests
{
    /// <summary>1-based line and column of the first occurrence of <paramref name="marker"/>.</summary>
    private static (int Line, int Column) Position(string source, string marker)
    {
        var lines = source.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf(marker, StringComparison.Ordinal);
            if (column >= 0) return (i + 1, column + 1);
        }
        throw new ArgumentException($"'{marker}' is not in the source.", nameof(marker));
    }

    private static void AssertCanonicalError(DotNetResult build, string file, int line, int column, string code)
    {
        var canonical = $"{file}({line},{column}): error {code}: ";
        Assert.Contains(canonical, build.Output, $"Expected the canonical error '{canonical}'.\n{build}");
        // One error with a code, not also ToolTask's generic "exited with code 1".
        Assert.DoesNotContain("MSB6006", build.Output);
    }

    [TestMethod]
    public void AnAttributeNamingAMissingPropertyIsMig0001AtItsLineAndNoDatabaseIsCreated()
    {
        const string bad = """
            using Mig;

            namespace SchoolApp.Schema;

            [AutoIncPK(nameof(Id))]
            [Unique("Nope")]
            public sealed record Student(long Id, string Name);
            """;
        using var consumer = Consumer.Create(files: [("Schema/School.cs", Schemas.Room), ("Schema/Bad.cs", bad)]);
        var dir = consumer.NewFolder("data");

        var build = consumer.Build("-t:MigInit", "-p:MigDatabaseDir=" + dir);

        build.AssertFailed();
        var (line, column) = Position(bad, "Unique(\"Nope\")");
        AssertCanonicalError(build, consumer.PathOf("Schema/Bad.cs"), line, column, "MIG0001");
        Assert.Contains("Nope", build.Output);
        Assert.IsEmpty(Directory.GetFileSystemEntries(dir), "No database (and no temp file) may be created.");
        Assert.IsFalse(File.Exists(consumer.MigIntermediateDir + "model.json"), "No model is cached for a broken schema.");
    }

    [TestMethod]
    public void ACSharpErrorInASchemaFileIsMig0014AtItsLine()
    {
        const string bad = """
            using Mig;

            namespace SchoolApp.Schema;

            [AutoIncPK(nameof(Id))]
            public sealed record Student(long Id, Strin Name);
            """;
        using var consumer = Consumer.Create(files: [("Schema/School.cs", Schemas.Room), ("Schema/Bad.cs", bad)]);

        var build = consumer.Build("-t:MigScript");

        build.AssertFailed();
        var (line, column) = Position(bad, "Strin Name");
        AssertCanonicalError(build, consumer.PathOf("Schema/Bad.cs"), line, column, "MIG0014");
        Assert.MatchesRegex(new Regex(@"error MIG0014: .*CS0246.*Strin"), build.Output);
    }
}
