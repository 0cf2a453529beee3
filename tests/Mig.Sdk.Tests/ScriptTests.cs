using System.Text.RegularExpressions;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// MigScript through real `dotnet build` processes: the item it returns, the SQL
/// it writes, and how the schema hash follows edits.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed partial class ScriptTests
{
    private const string Target = "MigScript";
    private static readonly string[] ScriptArgs = ["-t:" + Target, "-getTargetResult:" + Target];

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex HashPattern();

    /// <summary>Runs MigScript and returns its item and the SQL file's text.</summary>
    private static (TargetItem Item, string Sql) Script(Consumer consumer, params string[] extra)
    {
        var item = consumer.Build([.. ScriptArgs, .. extra]).SingleItem(Target);
        Assert.IsTrue(File.Exists(item.Identity), $"MigScript returned {item.Identity}, which does not exist.");
        return (item, File.ReadAllText(item.Identity));
    }

    [TestMethod]
    public void MigScriptReturnsTheScriptFileWithTheSchemaHash()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var (item, sql) = Script(consumer);

        Assert.AreEqual(consumer.MigIntermediateDir + "schema.sql", item.Identity);
        StringAssert.StartsWith(item["DefiningProjectFullPath"], TestRun.NuGetPackages + Path.DirectorySeparatorChar,
            "The targets should come from the freshly packed SDK in the run's isolated NuGet cache.");
        var hash = item["SchemaHash"];
        Assert.MatchesRegex(HashPattern(), hash);
        Assert.AreEqual(hash, File.ReadAllText(consumer.MigIntermediateDir + "schema.hash").Trim(), "The returned hash is the cached schema hash.");
        StringAssert.StartsWith(sql, $"-- Mig schema {hash}:");
        Assert.Contains("""
            CREATE TABLE student(
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              name TEXT NOT NULL,
              email TEXT NOT NULL UNIQUE
            );
            """.ReplaceLineEndings("\n"), sql);
    }

    [TestMethod]
    public void RelativeMigScriptPathIsTheProjectsPath()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var (item, sql) = Script(consumer, "-p:MigScriptPath=sql/school.sql");
        Assert.AreEqual(consumer.PathOf("sql/school.sql"), item.Identity);
        Assert.Contains("CREATE TABLE student(", sql);
    }

    [TestMethod]
    public void AddingAColumnChangesTheHashAndTheSql()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var (before, sqlBefore) = Script(consumer);
        Assert.DoesNotContain("age", sqlBefore);

        consumer.Write("Schema/School.cs", Schemas.StudentWithAge);
        var (after, sqlAfter) = Script(consumer);

        Assert.AreNotEqual(before["SchemaHash"], after["SchemaHash"], "A new column is a new schema.");
        Assert.Contains("  age INTEGER NOT NULL\n);", sqlAfter);
        StringAssert.StartsWith(sqlAfter, $"-- Mig schema {after["SchemaHash"]}:");
    }

    [TestMethod]
    public void WhitespaceAndCommentEditsKeepTheHash()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var (before, sqlBefore) = Script(consumer);

        var edited = "// The school.\n\n" + Schemas.Student
            .Replace("public sealed record Student(", "/* a student */\npublic   sealed record Student(\n    ", StringComparison.Ordinal)
            .Replace(", string Email)", ",\n    string Email) // with an e-mail\n", StringComparison.Ordinal);
        Assert.AreNotEqual(Schemas.Student, edited);
        consumer.Write("Schema/School.cs", edited);
        var build = consumer.Build([.. ScriptArgs, "-flp:logfile=mig.log;verbosity=detailed"]);
        var after = build.SingleItem(Target);

        // The edit was seen (the schema was compiled again) and made no difference.
        Assert.IsTrue(consumer.Read("mig.log").Contains("Mig: schema ", StringComparison.Ordinal), "The edited schema file should have been compiled again.");
        Assert.AreEqual(before["SchemaHash"], after["SchemaHash"]);
        Assert.AreEqual(sqlBefore, File.ReadAllText(after.Identity));
    }
}
