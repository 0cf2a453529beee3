using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>The ways a user's project may be set up, built for real with MigScript.</summary>
[TestClass]
[TestCategory("Build")]
public sealed class ConsumerFormsTests
{
    private static string Sql(Consumer consumer)
    {
        var item = consumer.Build("-t:MigScript", "-getTargetResult:MigScript").SingleItem("MigScript");
        return File.ReadAllText(item.Identity);
    }

    [TestMethod]
    public void MigSdkAsTheProjectSdk()
    {
        using var consumer = Consumer.Create(project: ProjectXml.ProjectSdk(), files: ("Schema/School.cs", Schemas.Student));
        Assert.Contains("CREATE TABLE student(", Sql(consumer));
    }

    [TestMethod]
    public void TargetFrameworksPluralRunsTheTargetsInAFrameworksBuild()
    {
        // With <TargetFrameworks>, `dotnet build -t:X` runs X in the outer build, which
        // has none of Microsoft.Common's targets (ResolveReferences: MSB4057).
        var project = ProjectXml.Additive().Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net10.0</TargetFrameworks>", StringComparison.Ordinal);
        using var consumer = Consumer.Create(project: project, files: ("Schema/School.cs", Schemas.Student));
        consumer.NewFolder("data");

        var script = consumer.Build("-t:MigScript", "-getTargetResult:MigScript").SingleItem("MigScript");
        Assert.AreEqual(consumer.MigIntermediateDir + "schema.sql", script.Identity, "The net10.0 build's script.");
        Assert.Contains("CREATE TABLE student(", File.ReadAllText(script.Identity));

        var init = consumer.Build("-t:MigInit", "-p:MigDatabaseDir=data", "-getTargetResult:MigInit").SingleItem("MigInit");
        Assert.AreEqual(consumer.PathOf($"data/schoolapp-{script["SchemaHash"]}.db"), init.Identity);
        Assert.AreEqual(script["SchemaHash"], init["SchemaHash"]);
        using var db = new SqliteFile(init.Identity);
        Assert.AreEqual("ready", db.Scalar("SELECT status FROM _migration_status"));
    }

    [TestMethod]
    public void CentralPackageManagementNeedsNoVersionForMigCore()
    {
        // The SDK's Mig.Core reference is implicit, so a project under central package
        // management restores without a <PackageVersion Include="Mig.Core" />.
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        consumer.Write("Directory.Packages.props", """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        Assert.Contains("CREATE TABLE student(", Sql(consumer));
    }
}
