using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// A project with two databases (MigSchema items with Database metadata), built from the packed SDK:
/// each gets its own file, model and MigSchemaInfo, and the migration targets act on the one chosen
/// with -p:MigDatabaseName.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class SeveralDatabasesTests
{
    private const string AuditItems = """<MigSchema Update="Schema/Audit/**/*.cs" Database="audit" />""";

    private const string AuditEvent = """
        using Mig;

        namespace SchoolApp.Audit;

        [AutoIncPK(nameof(Id))]
        public sealed record AuditEvent(long Id, string What);
        """;

    private const string AuditEventWithWho = """
        using Mig;

        namespace SchoolApp.Audit;

        [AutoIncPK(nameof(Id))]
        public sealed record AuditEvent(long Id, string What, string? Who);
        """;

    // Creates both files through their own MigSchemaInfo and writes one row into each.
    private const string Program = """
        using Mig;

        var school = await SchoolApp.Schema.MigSchemaInfo.UpgradeAsync(args[0]);
        var audit = await SchoolApp.Audit.MigSchemaInfo.UpgradeAsync(args[0]);
        await using (var db = new MigDatabase(school))
            await db.WriteAsync(async txn => { using var c = txn.Command("INSERT INTO student(name, email) VALUES ('Lin', 'lin@example.org')"); await c.ExecuteNonQueryAsync(); });
        await using (var db = new MigDatabase(audit))
            await db.WriteAsync(async txn => { using var c = txn.Command("INSERT INTO audit_event(what) VALUES ('enrolled Lin')"); await c.ExecuteNonQueryAsync(); });
        Console.WriteLine("school " + Path.GetFileName(school));
        Console.WriteLine("audit " + Path.GetFileName(audit));
        """;

    [TestMethod]
    public void EachDatabaseGetsItsOwnFileAndCodeAndTheTargetsActOnTheChosenOne()
    {
        using var app = Consumer.Create(project: ProjectXml.Additive("<OutputType>Exe</OutputType>", AuditItems),
            files: [("Schema/School.cs", Schemas.Student), ("Schema/Audit/AuditEvent.cs", AuditEvent), ("Program.cs", Program)]);
        var build = app.Build();
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.IsTrue(File.Exists(app.MigIntermediateDir + "schoolapp/Mig.g.cs") && File.Exists(app.MigIntermediateDir + "audit/Mig.g.cs"), "one generated file per database, each in its folder");

        var data = app.NewFolder("data");
        var run = Run(app.PathOf("bin/Debug/net10.0"), data);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var schoolFile = Path.Combine(data, Line(run.StdOut, "school "));
        var auditFile = Path.Combine(data, Line(run.StdOut, "audit "));
        StringAssert.StartsWith(Path.GetFileName(schoolFile), "schoolapp-");
        StringAssert.StartsWith(Path.GetFileName(auditFile), "audit-");
        CollectionAssert.AreEquivalent(new[] { "Ada", "Grace", "Lin" }, Column(schoolFile, "SELECT name FROM student"), "the project's database: its seeds and the app's row");
        CollectionAssert.AreEqual(new[] { "enrolled Lin" }, Column(auditFile, "SELECT what FROM audit_event"));
        Assert.IsEmpty(Column(schoolFile, "SELECT name FROM sqlite_master WHERE name = 'audit_event'"), "each file has its own database's tables only");
        Assert.IsEmpty(Column(auditFile, "SELECT name FROM sqlite_master WHERE name = 'student'"));

        var unchosen = app.Build("-t:MigPlan", "-p:MigDatabaseDir=data");
        unchosen.AssertFailed();
        Assert.Contains("error MIG0062: This project has several databases", unchosen.Output, "the code once, then the message");
        Assert.Contains("(schoolapp, audit)", unchosen.Output, "the message lists the databases");

        var misspelt = app.Build("-t:MigPlan", "-p:MigDatabaseName=Audit", "-p:MigDatabaseDir=data");
        misspelt.AssertFailed();
        Assert.Contains("error MIG0062: -p:MigDatabaseName=Audit differs only in case", misspelt.Output, "the code once, then the message");
        Assert.Contains("Spell it \"audit\"", misspelt.Output);

        var auditScript = app.Build("-t:MigScript", "-p:MigDatabaseName=audit", "-getTargetResult:MigScript").SingleItem("MigScript");
        var auditSql = File.ReadAllText(auditScript.Identity);
        Assert.Contains("audit_event", auditSql);
        Assert.DoesNotContain("student", auditSql);
        Assert.AreEqual(Path.GetFileName(auditFile), $"audit-{auditScript["SchemaHash"]}.db", "the target's hash is the one the app's MigSchemaInfo named its file with");
        var schoolSql = File.ReadAllText(app.Build("-t:MigScript", "-p:MigDatabaseName=schoolapp", "-getTargetResult:MigScript").SingleItem("MigScript").Identity);
        Assert.Contains("student", schoolSql);
        Assert.DoesNotContain("audit_event", schoolSql);

        // The bundle of one database: its own folder, schema and name.
        var built = app.Build("-t:MigBundle", "-p:MigDatabaseName=audit", "-getTargetResult:MigBundle").SingleItem("MigBundle");
        Assert.AreEqual(app.PathOf("bin/mig-bundle-audit"), Path.GetDirectoryName(built.Identity), "one bundle folder per database");
        var version = Bundle.CopyOf(built.Identity).Run(data, Bundle.RealDotnetRoot(), "--version");
        Assert.AreEqual(0, version.ExitCode, version.ToString());
        Assert.Contains($"schema {auditScript["SchemaHash"]} database audit", version.StdOut);

        // A migration of the audit database leaves the project's database alone.
        var schoolBytes = Bytes(schoolFile);
        app.Write("Schema/Audit/AuditEvent.cs", AuditEventWithWho);
        var migrate = app.Build("-t:MigMigrate", "-p:MigDatabaseName=audit", "-p:MigOffline=true", "-p:MigDatabaseDir=data");
        Assert.AreEqual(0, migrate.ExitCode, migrate.ToString());
        var newAudit = Directory.GetFiles(data, "audit-*.db").Single(f => f != auditFile);
        CollectionAssert.AreEqual(new[] { "enrolled Lin" }, Column(newAudit, "SELECT what FROM audit_event WHERE who IS NULL"));
        CollectionAssert.AreEqual(schoolBytes, Bytes(schoolFile), "the other database's file is untouched");
        Assert.HasCount(1, Directory.GetFiles(data, "schoolapp-*.db"), "no file of the other database was made");
    }

    [TestMethod]
    public void TwoDatabasesInOneNamespaceOrADatabaseNamedAsTheProjectsAreRefused()
    {
        using var app = Consumer.Create(project: ProjectXml.Additive(items: AuditItems),
            files: [("Schema/School.cs", Schemas.Student), ("Schema/Audit/AuditEvent.cs", AuditEvent.Replace("SchoolApp.Audit", "SchoolApp.Schema", StringComparison.Ordinal))]);
        var shared = app.Build();
        shared.AssertFailed();
        Assert.Contains("error MIG0063", shared.Output);
        Assert.Contains("SchoolApp.Schema", shared.Output, "the message names the namespace");
        Assert.DoesNotContain("CS0101", shared.Output, "refused before the compiler sees two MigSchemaInfo classes");

        app.Write(app.Name + ".csproj", ProjectXml.Additive(items: """<MigSchema Update="Schema/Audit/**/*.cs" Database="schoolapp" />"""));
        var named = app.Build();
        named.AssertFailed();
        Assert.Contains("error MIG0068: MigSchema items have Database=", named.Output, "the code once, then the message");
    }

    private static ProcessResult Run(string output, string data)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = output };
        psi.ArgumentList.Add(Path.Combine(output, "SchoolApp.dll"));
        psi.ArgumentList.Add(data);
        return ProcessRunner.Run(psi, TimeSpan.FromMinutes(2));
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    private static string[] Column(string path, string sql)
    {
        using var db = new SqliteFile(path);
        return [.. db.Rows(sql).Select(r => (string)r[0]!)];
    }

    private static byte[] Bytes(string path)
    {
        SqliteConnection.ClearAllPools();
        return File.ReadAllBytes(path);
    }
}
