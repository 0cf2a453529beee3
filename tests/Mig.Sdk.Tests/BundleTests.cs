using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// The migration bundle (`dotnet build -t:MigBundle`) as a server runs it: copied away from the
/// project, with a .NET runtime and no SDK, or self-contained with no .NET at all.
/// </summary>
[TestClass]
[TestCategory("Bundle")]
public sealed class BundleTests
{
    /// <summary>The machine's own runtime identifier: a self-contained bundle for it runs here.</summary>
    private static string Rid => System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;

    /// <summary>The runtime's native library, present only in a self-contained bundle.</summary>
    private static string CoreClr =>
        OperatingSystem.IsWindows() ? "coreclr.dll" : OperatingSystem.IsMacOS() ? "libcoreclr.dylib" : "libcoreclr.so";

    private static long Count(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False;Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private static void Succeeded(ProcessResult r, string what) =>
        Assert.AreEqual(0, r.ExitCode, $"{what}\n--- stdout\n{r.StdOut}\n--- stderr\n{r.StdErr}");

    private static JsonElement Json(ProcessResult r)
    {
        using var doc = JsonDocument.Parse(r.StdOut);
        return doc.RootElement.Clone();
    }

    [TestMethod]
    public void ABundleRunsAWholeHotMigrationUnderALiveWriterWithOnlyTheRuntime()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var data = consumer.NewFolder("data");
        var old = consumer.Build("-t:MigInit", $"-p:MigDatabaseDir={data}", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;
        consumer.Write("Schema/School.cs", Schemas.StudentWithAgeDefault);
        var built = consumer.Build("-t:MigBundle", "-getTargetResult:MigBundle").SingleItem("MigBundle");
        Assert.AreEqual(consumer.PathOf("bin/mig-bundle/mig"), built.Identity);
        var bundle = Bundle.CopyOf(built.Identity);
        var dotnet = Bundle.RuntimeOnlyDotnet();
        Assert.IsFalse(Directory.Exists(Path.Combine(dotnet, "sdk")), "the runtime-only root has no SDK");
        var server = Path.Combine(TestRun.Root, "server-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(server);
        ProcessResult Mig(params string[] args) => bundle.Run(server, dotnet, args);

        var version = Mig("--version");
        Succeeded(version, "--version");
        StringAssert.StartsWith(version.StdOut, $"Mig {TestRun.MigVersion} schema {built["SchemaHash"]}");
        Succeeded(bundle.RunWithMuxer(server, dotnet, "--version"), "the runtime-only root's own dotnet runs it too");
        StringAssert.Contains(Mig("--help").StdOut, "archive-old");
        StringAssert.Contains(Mig("--help").StdOut, "revert       MigRevert");
        var wrong = Mig("plan", "--database", old, "--no-such-option");
        Assert.AreEqual(2, wrong.ExitCode, wrong.StdErr);
        StringAssert.Contains(wrong.StdErr, "mig : error MIG0090:");

        var plan = Mig("plan", "--database", old);
        Succeeded(plan, "plan");
        StringAssert.Contains(plan.StdOut, "age: new column, [Default] 7");
        var planJson = Mig("plan", "--database", old, "--json");
        Succeeded(planJson, "plan --json");
        var age = Json(planJson).GetProperty("tables")[0].GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("column").GetString() == "age");
        Assert.AreEqual("default", age.GetProperty("fill").GetString());

        // The old service keeps writing through the whole online copy and afterwards, until drain.
        using var stop = new CancellationTokenSource();
        var started = new ManualResetEventSlim();
        var writer = Task.Run(() => Write(old, started, stop.Token));
        Assert.IsTrue(started.Wait(TimeSpan.FromSeconds(30)), "the writer started");
        var migrate = Mig("migrate", "--database", old);
        Succeeded(migrate, "migrate");
        StringAssert.Contains(migrate.StdOut, "Mig: phase recording.");
        StringAssert.Contains(migrate.StdErr, "Mig: capturing writes on", "progress goes to stderr");
        Thread.Sleep(500);
        var statusFile = Path.Combine(server, "status.json");
        var recording = Mig("status", "--database", old, "--json", "--status-file", statusFile);
        Succeeded(recording, "status --json");
        Assert.AreEqual("recording", Json(recording).GetProperty("phase").GetString());
        Assert.AreEqual(recording.StdOut.Trim(), File.ReadAllText(statusFile).Trim(), "--json prints what --status-file writes");
        stop.Cancel();
        var written = writer.Result;
        Assert.IsGreaterThan(0L, written, "the writer wrote while recording");

        var catchUp = Mig("catch-up", "--database", old);
        Succeeded(catchUp, "catch-up");
        StringAssert.Contains(catchUp.StdErr, "Mig: caught up: replayed ");
        StringAssert.Contains(Mig("status", "--database", old).StdOut, "catch-up 0 pending; replay ");
        Succeeded(Mig("drain", "--database", old, "--force-pause"), "drain");
        var cutover = Mig("cutover", "--database", old);
        Succeeded(cutover, "cutover");
        StringAssert.Contains(cutover.StdOut, "Mig: phase cut-over.");
        var fresh = Json(Mig("status", "--database", old, "--json")).GetProperty("newPath").GetString()!;
        Assert.AreEqual(2 + written, Count(fresh, "SELECT count(*) FROM student"), "every row the writer committed is in the new file");
        Assert.AreEqual(2 + written, Count(fresh, "SELECT count(*) FROM student WHERE age = 7"));

        var archive = Directory.CreateDirectory(Path.Combine(server, "archive")).FullName;
        var archived = Mig("archive-old", "--database", old, "--archive-to", archive);
        Succeeded(archived, "archive-old");
        Assert.IsFalse(File.Exists(old), "the old file moved to the archive");
        Assert.HasCount(1, Directory.GetFiles(archive, "*.db"));
        var done = Mig("status", "--database-dir", data, "--json");
        Succeeded(done, "status after archive");
        Assert.AreEqual("done", Json(done).GetProperty("phase").GetString());
        var again = Mig("drain", "--database-dir", data);
        Assert.AreEqual(1, again.ExitCode);
        StringAssert.Contains(again.StdErr, "mig : error MIG0047:", "the same code as MigDrain");
    }

    /// <summary>Inserts students one by one until cancelled; returns how many committed.</summary>
    private static long Write(string db, ManualResetEventSlim started, CancellationToken stop)
    {
        long committed = 0;
        using var c = new SqliteConnection($"Data Source={db};Pooling=False;Default Timeout=30");
        c.Open();
        while (!stop.IsCancellationRequested)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO student(name, email) VALUES ($n, $e)";
            cmd.Parameters.AddWithValue("$n", $"writer {committed}");
            cmd.Parameters.AddWithValue("$e", $"w{committed}@example.org");
            cmd.ExecuteNonQuery();
            committed++;
            started.Set();
            Thread.Sleep(5);
        }
        return committed;
    }

    [TestMethod]
    public void ASelfContainedBundleRunsWithNoDotnetAtAll()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        var built = consumer.Build("-t:MigBundle", "-p:SelfContained=true", $"-p:RuntimeIdentifier={Rid}", "-getTargetResult:MigBundle").SingleItem("MigBundle");
        var bundle = Bundle.CopyOf(built.Identity);
        Assert.IsTrue(File.Exists(Path.Combine(bundle.Directory, CoreClr)), "the runtime is in the bundle");
        var server = Directory.CreateDirectory(Path.Combine(TestRun.Root, "bare-" + Guid.NewGuid().ToString("N")[..8])).FullName;

        var init = bundle.Run(server, dotnetRoot: null, "init", "--database-dir", server);
        Succeeded(init, "init");
        var status = bundle.Run(server, dotnetRoot: null, "status", "--database-dir", server, "--json");
        Succeeded(status, "status with no dotnet on PATH and no DOTNET_ROOT");
        Assert.AreEqual("done", Json(status).GetProperty("phase").GetString());
        Assert.AreEqual(built["SchemaHash"], Json(status).GetProperty("schemaHash").GetString());
    }

    [TestMethod]
    public void ABundleFolderKeepsWhatMigDidNotWrite()
    {
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schemas.Student));
        // A deployment folder that already holds the operator's own files.
        var deploy = consumer.NewFolder("deploy");
        var keep = Path.Combine(deploy, "keep.txt");
        File.WriteAllText(keep, "the operator's");

        consumer.Build("-t:MigBundle", $"-p:MigBundleDir={deploy}", "-p:SelfContained=true", $"-p:RuntimeIdentifier={Rid}");
        Assert.IsTrue(File.Exists(Path.Combine(deploy, CoreClr)), "a self-contained bundle carries the runtime");
        consumer.Build("-t:MigBundle", $"-p:MigBundleDir={deploy}");

        Assert.AreEqual("the operator's", File.ReadAllText(keep), "a file Mig did not write is kept");
        Assert.IsFalse(File.Exists(Path.Combine(deploy, CoreClr)), "the previous bundle's runtime is gone: the framework-dependent bundle must not run on a stale one");
        Assert.IsTrue(File.Exists(Path.Combine(deploy, OperatingSystem.IsWindows() ? "mig.exe" : "mig")), "the new bundle is there");
    }
}
