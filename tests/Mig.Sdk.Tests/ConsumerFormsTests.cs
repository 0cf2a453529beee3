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
