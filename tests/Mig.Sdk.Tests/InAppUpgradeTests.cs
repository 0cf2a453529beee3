using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// An app that owns its file upgrades it when it starts (the generated <c>MigSchemaInfo.UpgradeAsync</c>),
/// run as a real process built from the packed SDK at three schema versions.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class InAppUpgradeTests
{
    // The app: upgrade the folder on start, then add a student or list them, through MigDatabase.
    private const string Program = """
        using Mig;
        using SchoolApp.Schema;

        try
        {
            var path = await MigSchemaInfo.UpgradeAsync(args[0], new MigUpgradeOptions { Log = line => Console.Error.WriteLine(line) });
            Console.WriteLine("file " + Path.GetFileName(path));
            await using var db = new MigDatabase(path);
            if (args[1] == "add")
                await db.WriteAsync(async txn => { using var cmd = txn.Command("INSERT INTO student(name, email) VALUES ($n, $e)", p => { p.Parameters.AddWithValue("$n", args[2]); p.Parameters.AddWithValue("$e", args[3]); }); await cmd.ExecuteNonQueryAsync(); });
            else
                await db.ReadAsync(async txn => { using var cmd = txn.Command("SELECT name FROM student ORDER BY id"); using var r = await cmd.ExecuteReaderAsync(); while (await r.ReadAsync()) Console.WriteLine("student " + r.GetString(0)); });
            return 0;
        }
        catch (MigMigrationException e)
        {
            Console.WriteLine("refused " + e.Code);
            Console.Error.WriteLine(e.Message);
            return 3;
        }
        """;

    // v3 drops Email, which holds data: a loss the upgrade must refuse.
    private const string StudentWithoutEmail = """
        using Mig;

        namespace SchoolApp.Schema;

        [AutoIncPK(nameof(Id))]
        [Default(nameof(Age), "7")]
        public sealed record Student(long Id, string Name, long Age);
        """;

    private static ProcessResult RunApp(string output, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = output };
        psi.ArgumentList.Add(Path.Combine(output, "SchoolApp.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return ProcessRunner.Run(psi, TimeSpan.FromMinutes(2));
    }

    private static Process StartApp(string output, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(output, "SchoolApp.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    private static void Succeeded(ProcessResult r, string what) =>
        Assert.AreEqual(0, r.ExitCode, $"{what}\n--- stdout\n{r.StdOut}\n--- stderr\n{r.StdErr}");

    /// <summary>Builds the app at the schema given and copies its output aside (the next build overwrites bin/).</summary>
    private static string BuildApp(Consumer app, string schema, string version)
    {
        app.Write("Schema/School.cs", schema);
        var build = app.Build();
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var output = app.PathOf("app-" + version);
        CopyFolder(app.PathOf("bin/Debug/net10.0"), output);
        return output;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    private static string[] Files(string dir) => [.. Directory.GetFiles(dir).Select(Path.GetFileName).Where(f => !f!.EndsWith(".miglock", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!];

    private static string Hash(string path)
    {
        SqliteConnection.ClearAllPools();
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
    }

    [TestMethod]
    public void AnAppCreatesItsFileUpgradesItOnStartAndRefusesALossLeavingBothFiles()
    {
        using var app = Consumer.Create(project: ProjectXml.Additive("<OutputType>Exe</OutputType>"), files: ("Program.cs", Program));
        var v1 = BuildApp(app, Schemas.Student, "v1");
        var v2 = BuildApp(app, Schemas.StudentWithAgeDefault, "v2");
        var v3 = BuildApp(app, StudentWithoutEmail, "v3");
        var data = app.NewFolder("data");
        var twin = app.NewFolder("twin");

        var created = RunApp(v1, data, "add", "Lin", "lin@example.org");
        Succeeded(created, "v1 creates its file");
        var v1File = created.StdOut.Split('\n')[0]["file ".Length..].Trim();
        Succeeded(RunApp(v1, data, "add", "Bo", "bo@example.org"), "v1 writes again");
        CopyFolder(data, twin);

        var upgraded = RunApp(v2, data, "list");
        Succeeded(upgraded, "v2 upgrades on start");
        var v2File = upgraded.StdOut.Split('\n')[0]["file ".Length..].Trim();
        Assert.AreNotEqual(v1File, v2File);
        StringAssert.Contains(upgraded.StdOut, "student Ada\nstudent Grace\nstudent Lin\nstudent Bo", "v2 reads v1's rows (seeds included)");
        CollectionAssert.AreEqual(new[] { v2File }, Files(data));
        Assert.IsTrue(File.Exists(Path.Combine(data, "archive", v1File)), "the v1 file is archived");

        var v2Hash = Hash(Path.Combine(data, v2File));
        var refused = RunApp(v3, data, "list");
        Assert.AreEqual(3, refused.ExitCode, refused.StdOut + refused.StdErr);
        StringAssert.Contains(refused.StdOut, "refused MIG0042");
        StringAssert.Contains(refused.StdErr, "email");
        Assert.AreEqual(v2Hash, Hash(Path.Combine(data, v2File)), "v3's refusal leaves the v2 file as it was");
        CollectionAssert.AreEqual(new[] { v2File }, Files(data), "and makes no v3 file");

        // Two v2 processes start at once on the v1 folder's twin: one migrates, the other waits and opens the result.
        var both = new[] { StartApp(v2, twin, "list"), StartApp(v2, twin, "list") };
        var results = both.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync(), p)).ToArray();
        foreach (var (_, _, p) in results) Assert.IsTrue(p.WaitForExit(TimeSpan.FromMinutes(2)));
        foreach (var (o, e, p) in results) Assert.AreEqual(0, p.ExitCode, o.Result + e.Result);
        Assert.AreEqual(1, results.Count(r => r.Err.Result.Contains("is ready", StringComparison.Ordinal)), "exactly one migrated:\n" + string.Join("\n---\n", results.Select(r => r.Err.Result)));
        foreach (var (o, _, _) in results) StringAssert.Contains(o.Result, "student Lin\nstudent Bo");
        CollectionAssert.AreEqual(new[] { v2File }, Files(twin));
    }
}
