using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// The README's main command, run as a newcomer runs it: `bash eng/demo.sh` (a
/// hot migration of the School sample under two live writers). Only the pack is
/// skipped, because the run already packed, and the scratch folder is the run's.
/// </summary>
[TestClass]
[TestCategory("Demo")]
public sealed partial class DemoTests
{
    [TestMethod]
    public void TheDemoMigratesUnderLiveWritesAndLosesNothing()
    {
        var result = RunDemo(Repo.Root, Path.Combine(TestRun.Root, "demo"));
        var output = result.StdOut + "\n" + result.StdErr;

        Assert.AreEqual(0, result.ExitCode, output);
        // The unpermitted MigMigrate was refused for the dropped column before anything changed.
        StringAssert.Contains(output, "MIG0042", output);
        // It was a hot migration: both writers committed while the copy ran and the capture recorded.
        var during = WhileRecording().Match(output);
        Assert.IsTrue(during.Success, output);
        Assert.IsGreaterThan(0, int.Parse(during.Groups["app"].Value, CultureInfo.InvariantCulture), output);
        Assert.IsGreaterThan(0, int.Parse(during.Groups["raw"].Value, CultureInfo.InvariantCulture), output);
        // The ledger check against the new file, and the new file is the one serving.
        var app = AppCount().Match(output);
        Assert.IsTrue(app.Success, output);
        Assert.AreEqual(app.Groups["expected"].Value, app.Groups["have"].Value, output);
        StringAssert.Contains(output, "status of the new file: ready", output);
        StringAssert.Contains(output, "lost writes: 0", output);
    }

    /// <summary>
    /// A step that should succeed fails: the demo stops there, exits non-zero and names the step.
    /// The demo runs from a copy of the repository's demo files whose v2 schema adds a NOT NULL
    /// column without a default to a table with rows, which the plan refuses (MIG0043); the
    /// script itself is the repository's, unchanged.
    /// </summary>
    [TestMethod]
    public void TheDemoStopsAndNamesTheStepWhenAStepFails()
    {
        var copy = Path.Combine(TestRun.Root, "demo-sabotaged");
        CopyDemoFiles(copy);
        var v2 = Path.Combine(copy, "eng", "demo", "School.v2.cs");
        var schema = File.ReadAllText(v2);
        const string Default = "[Default(nameof(Credits), \"0\")]";
        Assert.Contains(Default, schema, "the demo's v2 schema fills Credits from a default; this test removes it");
        File.WriteAllText(v2, schema.Replace(Default, "", StringComparison.Ordinal));

        var demo = Path.Combine(copy, "artifacts", "demo");
        var result = RunDemo(copy, demo);
        var output = result.StdOut + "\n" + result.StdErr;

        Assert.AreNotEqual(0, result.ExitCode, output);
        // The plan refused the new column, and the demo says that MigPlan is the step that failed ...
        StringAssert.Contains(output, "MIG0043", output);
        StringAssert.Contains(result.StdErr, "demo.sh: step failed: MigPlan", output);
        // ... and went no further.
        Assert.DoesNotContain("== MigMigrate without permission", output, output);
        Assert.DoesNotContain("== MigCutover", output, output);
        // The writers it had started were told to stop.
        Assert.IsTrue(File.Exists(Path.Combine(demo, "stop")), output);
    }

    /// <summary>Runs eng/demo.sh of <paramref name="root"/> (packages already packed) in <paramref name="demoDir"/>.</summary>
    private static ProcessResult RunDemo(string root, string demoDir)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = root };
        psi.ArgumentList.Add(Path.Combine("eng", "demo.sh"));
        ChildEnvironment.Apply(psi.Environment, DotNetOptions.Default);
        psi.Environment["MIG_DEMO_DIR"] = demoDir;
        psi.Environment["MIG_DEMO_PACKED"] = "1";
        return ProcessRunner.Run(psi, TimeSpan.FromMinutes(10));
    }

    /// <summary>
    /// What eng/demo.sh reads from the repository, copied to <paramref name="copy"/>: the script
    /// and its v2 schema, the samples (without build output), global.json and the packed packages.
    /// </summary>
    private static void CopyDemoFiles(string copy)
    {
        if (Directory.Exists(copy)) Consumer.DeleteDirectory(copy);
        void CopyFile(string relative)
        {
            var target = Path.Combine(copy, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(Repo.Root, relative), target);
        }
        CopyFile("global.json");
        CopyFile(Path.Combine("eng", "demo.sh"));
        foreach (var dir in new[] { Path.Combine("eng", "demo"), "samples" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, dir), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Repo.Root, file);
                var parts = relative.Split(Path.DirectorySeparatorChar);
                if (parts.Contains("bin") || parts.Contains("obj") || file.EndsWith(".db", StringComparison.Ordinal) || file.Contains(".db-", StringComparison.Ordinal)) continue;
                CopyFile(relative);
            }
        foreach (var file in Directory.EnumerateFiles(Repo.PackagesDir))
            CopyFile(Path.GetRelativePath(Repo.Root, file));
    }

    [GeneratedRegex(@"committed while MigMigrate copied and recorded, before the drain: (?<app>-?\d+) app transactions, (?<raw>-?\d+) raw inserts")]
    private static partial Regex WhileRecording();

    [GeneratedRegex(@"app writer: \d+ students committed, \d+ deleted -> expected (?<expected>\d+), new file has (?<have>\d+)")]
    private static partial Regex AppCount();
}
