using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>MigInit through real `dotnet build` processes, read back with Microsoft.Data.Sqlite.</summary>
[TestClass]
[TestCategory("Build")]
public sealed class InitTests
{
    private static readonly string[] InitArgs = ["-t:MigInit", "-getTargetResult:MigInit"];

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void MigInitCreatesTheDatabaseOfTheSchemaInMigDatabaseDir(bool relative)
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var dir = consumer.NewFolder("data");
        var item = consumer.Build([.. InitArgs, "-p:MigDatabaseDir=" + (relative ? "data" : dir)]).SingleItem("MigInit");

        var hash = item["SchemaHash"];
        Assert.AreEqual(Path.Combine(dir, $"schoolapp-{hash}.db"), item.Identity, "<MigDatabaseName>-<hash>.db in MigDatabaseDir");
        Assert.AreEqual("schoolapp", item["DatabaseName"]);
        Assert.AreEqual(hash, File.ReadAllText(consumer.MigIntermediateDir + "schema.hash").Trim());
        CollectionAssert.AreEqual(new[] { item.Identity }, Directory.GetFiles(dir), "Only the database, no temp or journal files.");

        using var db = new SqliteFile(item.Identity);
        CollectionAssert.IsSubsetOf(new[] { "student", "_migration_status", "_mig_info" }, db.Names("table").ToArray());
        Assert.AreEqual("ready", db.Scalar("SELECT status FROM _migration_status"));
        Assert.AreEqual(hash, db.Scalar("SELECT value FROM _mig_info WHERE key = 'schema_hash'"));
        var students = db.Rows("SELECT id, name, email FROM student ORDER BY id");
        Assert.HasCount(2, students);
        CollectionAssert.AreEqual(new object[] { 1L, "Ada", "ada@example.org" }, students[0]);
        CollectionAssert.AreEqual(new object[] { 2L, "Grace", "grace@example.org" }, students[1]);
    }

    [TestMethod]
    public void MigInitRefusesAnExistingFile()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var dir = consumer.NewFolder("data");
        var path = consumer.Build([.. InitArgs, "-p:MigDatabaseDir=" + dir]).SingleItem("MigInit").Identity;
        var bytes = File.ReadAllBytes(path);
        var written = File.GetLastWriteTimeUtc(path);

        var again = consumer.Build([.. InitArgs, "-p:MigDatabaseDir=" + dir]);

        again.AssertFailed();
        Assert.Contains("error MIG0030", again.Output);
        Assert.Contains(path, again.Output, "The error names the file.");
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(path), "The existing database must not change.");
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(dir), "No temp files left behind.");
    }

    [TestMethod]
    public void MigInitCreatesMigNewDatabaseWhenSet()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        consumer.NewFolder("custom");
        var item = consumer.Build([.. InitArgs, "-p:MigNewDatabase=custom/school.db"]).SingleItem("MigInit");

        Assert.AreEqual(consumer.PathOf("custom/school.db"), item.Identity);
        Assert.IsEmpty(Directory.GetFiles(consumer.Directory, "*.db"), "Nothing in MigDatabaseDir (the project folder) when MigNewDatabase is set.");
        using var db = new SqliteFile(item.Identity);
        Assert.AreEqual("ready", db.Scalar("SELECT status FROM _migration_status"));
        Assert.AreEqual(item["SchemaHash"], db.Scalar("SELECT value FROM _mig_info WHERE key = 'schema_hash'"));
    }
}
