using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// What a project that uses Mig.Sdk evaluates to, with MSBuild loaded in this
/// process: the SDK's defaults, the user's overrides, and both ways of naming
/// the SDK. The SDK package comes from the run's isolated NuGet cache, which the
/// priming `dotnet restore` in [AssemblyInitialize] filled (and NUGET_PACKAGES is
/// set in this process, where MSBuild's NuGet SDK resolver reads it).
/// </summary>
[TestClass]
[TestCategory("Evaluation")]
public sealed class EvaluationTests
{
    private static readonly (string, string)[] SchemaFiles =
    [
        ("Schema/Student.cs", Schemas.Student),
        ("Schema/More/Room.cs", Schemas.Room),
        ("Program.cs", "System.Console.WriteLine();\n"),
    ];

    private static string Project(string form, string properties = "", string items = "") => form switch
    {
        "additive" => ProjectXml.Additive(properties, items),
        "project-sdk" => ProjectXml.ProjectSdk(properties, items),
        _ => throw new ArgumentException(form, nameof(form)),
    };

    private static EvaluatedProject Evaluate(Consumer consumer, IReadOnlyDictionary<string, string>? globalProperties = null) =>
        Evaluator.Evaluate(consumer.ProjectPath, globalProperties, "MigSchema", "PackageReference");

    [TestMethod]
    [DataRow("additive")]
    [DataRow("project-sdk")]
    public void Defaults(string form)
    {
        using var consumer = Consumer.Create("SchoolApp", Project(form), SchemaFiles);
        // Restored, as an IDE evaluates it (NuGet's generated props imported). The other
        // tests evaluate unrestored projects: the SDK itself is already in the isolated cache.
        var restore = consumer.Restore();
        Assert.AreEqual(0, restore.ExitCode, restore.ToString());
        var project = Evaluate(consumer);

        Assert.AreEqual("true", project.Property("UsingMigSdk"));
        Assert.AreEqual(consumer.PathOf("obj/project.assets.json"), project.Property("ProjectAssetsFile"));
        Assert.IsTrue(File.Exists(project.Property("ProjectAssetsFile")));
        Assert.AreEqual("true", project.Property("UsingMicrosoftNETSdk"), "Mig.Sdk must bring or sit on Microsoft.NET.Sdk.");
        // The SDK was resolved from the run's isolated cache, not the user's.
        StringAssert.StartsWith(project.Property("MigToolAssembly"), Path.Combine(TestRun.NuGetPackages, "mig.sdk", TestRun.MigVersion.ToLowerInvariant()) + Path.DirectorySeparatorChar);
        Assert.IsTrue(File.Exists(project.Property("MigToolAssembly")), "The tool assembly the targets run should exist.");

        CollectionAssert.AreEquivalent(
            new[] { consumer.PathOf("Schema/Student.cs"), consumer.PathOf("Schema/More/Room.cs") },
            project.ItemsOf("MigSchema").Select(i => i.FullPath).ToArray(),
            "MigSchema should be Schema/**/*.cs and nothing else.");

        Assert.AreEqual("schoolapp", project.Property("MigDatabaseName"));
        Assert.AreEqual("true", project.Property("EnableDefaultMigSchemaItems"));
        Assert.AreEqual("true", project.Property("MigReferenceCore"));
        Assert.AreEqual("true", project.Property("MigGenerateQueries"));
        Assert.AreEqual("false", project.Property("MigOffline"));
        Assert.AreEqual("false", project.Property("MigAllowDataLoss"));

        var core = project.ItemsOf("PackageReference").Where(i => i.Include == "Mig.Core").ToList();
        Assert.HasCount(1, core, "The SDK should bring exactly one Mig.Core reference.");
        Assert.AreEqual(TestRun.MigVersion, core[0].Meta("Version"));
        Assert.AreEqual("true", core[0].Meta("IsImplicitlyDefined"));

        Assert.AreEqual(consumer.Directory + Path.DirectorySeparatorChar, project.Property("_MigDatabaseDir"));
        Assert.AreEqual(consumer.MigIntermediateDir, project.Property("_MigIntermediateDir"));
        Assert.AreEqual(consumer.MigIntermediateDir + "schema.sql", project.Property("_MigScriptPath"));
    }

    [TestMethod]
    public void OnlyTheProjectSdkFormImportsMicrosoftNetSdkItself()
    {
        using var additive = Consumer.Create("Additive", ProjectXml.Additive(), SchemaFiles);
        using var projectSdk = Consumer.Create("ProjectSdk", ProjectXml.ProjectSdk(), SchemaFiles);
        Assert.AreEqual("", Evaluate(additive).Property("_MigImportsNetSdk"));
        Assert.AreEqual("true", Evaluate(projectSdk).Property("_MigImportsNetSdk"));
    }

    [TestMethod]
    [DataRow("additive")]
    [DataRow("project-sdk")]
    public void MigDatabaseNameSetInTheProject(string form)
    {
        using var consumer = Consumer.Create("SchoolApp", Project(form, "<MigDatabaseName>campus</MigDatabaseName>"), SchemaFiles);
        Assert.AreEqual("campus", Evaluate(consumer).Property("MigDatabaseName"));
    }

    [TestMethod]
    public void ExplicitSchemaItemsReplaceTheDefaultGlob()
    {
        using var consumer = Consumer.Create("SchoolApp",
            ProjectXml.Additive("<EnableDefaultMigSchemaItems>false</EnableDefaultMigSchemaItems>", """<MigSchema Include="Model/Db.cs" />"""),
            [.. SchemaFiles, ("Model/Db.cs", Schemas.Room)]);
        var project = Evaluate(consumer);
        Assert.AreEqual("false", project.Property("EnableDefaultMigSchemaItems"));
        CollectionAssert.AreEqual(new[] { consumer.PathOf("Model/Db.cs") }, project.ItemsOf("MigSchema").Select(i => i.FullPath).ToArray());
    }

    [TestMethod]
    public void RelativeMigDatabaseDirInTheProjectIsNormalizedAgainstTheProject()
    {
        using var consumer = Consumer.Create("SchoolApp", ProjectXml.Additive("<MigDatabaseDir>data/../dbs</MigDatabaseDir>"), SchemaFiles);
        var project = Evaluate(consumer);
        Assert.AreEqual("data/../dbs", project.Property("MigDatabaseDir"), "The public property keeps what the user wrote.");
        Assert.AreEqual(consumer.PathOf("dbs") + Path.DirectorySeparatorChar, project.Property("_MigDatabaseDir"));
    }

    [TestMethod]
    public void RelativeGlobalPropertiesAreNormalizedAgainstTheProject()
    {
        // As from a pipeline: dotnet build -p:MigDatabaseDir=... -p:MigScriptPath=... -p:MigIntermediateDir=...
        using var consumer = Consumer.Create("SchoolApp", ProjectXml.Additive(), SchemaFiles);
        var project = Evaluate(consumer, new Dictionary<string, string>
        {
            ["MigDatabaseDir"] = "dbs",
            ["MigScriptPath"] = "sql/./schema.sql",
            ["MigIntermediateDir"] = "obj/mig-cache",
        });
        Assert.AreEqual(consumer.PathOf("dbs") + Path.DirectorySeparatorChar, project.Property("_MigDatabaseDir"));
        Assert.AreEqual(consumer.PathOf("sql/schema.sql"), project.Property("_MigScriptPath"));
        Assert.AreEqual(consumer.PathOf("obj/mig-cache") + Path.DirectorySeparatorChar, project.Property("_MigIntermediateDir"));
        Assert.AreEqual(consumer.PathOf("obj/mig-cache/model.json"), project.Property("MigModelFile"));
    }

    [TestMethod]
    public void AbsoluteMigDatabaseDirIsKept()
    {
        var elsewhere = Path.Combine(TestRun.Root, "elsewhere");
        using var consumer = Consumer.Create("SchoolApp", ProjectXml.Additive($"<MigDatabaseDir>{elsewhere}</MigDatabaseDir>"), SchemaFiles);
        Assert.AreEqual(elsewhere + Path.DirectorySeparatorChar, Evaluate(consumer).Property("_MigDatabaseDir"));
    }

    [TestMethod]
    [DataRow("additive")]
    [DataRow("project-sdk")]
    public void MigReferenceCoreFalseRemovesThePackageReference(string form)
    {
        using var consumer = Consumer.Create("SchoolApp", Project(form, "<MigReferenceCore>false</MigReferenceCore>"), SchemaFiles);
        var project = Evaluate(consumer);
        Assert.AreEqual("false", project.Property("MigReferenceCore"));
        Assert.IsFalse(project.ItemsOf("PackageReference").Any(i => i.Include == "Mig.Core"),
            "No Mig.Core reference expected; found: " + string.Join(", ", project.ItemsOf("PackageReference").Select(i => i.Include)));
    }

    [TestMethod]
    public void UserSettingsOfTheSwitchesWin()
    {
        using var consumer = Consumer.Create("SchoolApp", ProjectXml.Additive("""
            <MigGenerateQueries>false</MigGenerateQueries>
            <MigOffline>true</MigOffline>
            <MigAllowDataLoss>true</MigAllowDataLoss>
            """), SchemaFiles);
        var project = Evaluate(consumer);
        Assert.AreEqual("false", project.Property("MigGenerateQueries"));
        Assert.AreEqual("true", project.Property("MigOffline"));
        Assert.AreEqual("true", project.Property("MigAllowDataLoss"));
    }
}
