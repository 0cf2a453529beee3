using System.Diagnostics;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// eng/pack.sh on a machine that has only what a fresh CI machine is sure to have. A CI run
/// once failed because its check of the package called <c>unzip</c>, which is not there.
/// </summary>
[TestClass]
[TestCategory("Pack")]
public sealed class PackScriptTests
{
    // What eng/pack.sh reads. It runs on a copy: packing the repository itself would restore and
    // rebuild Mig.Core and Mig.Tasks under the feet of the test run that is building them.
    private static readonly string[] PackInputs = ["Mig.Core", "Mig.Tasks", "Mig.Sdk", "Mig.AspNetCore", "eng", "Directory.Build.props", "Directory.Packages.props", "nuget.config", "global.json"];

    [TestMethod]
    public void PackNeedsNoUnzipAndShipsTheTasks()
    {
        var copy = Path.Combine(TestRun.Root, "pack-copy");
        foreach (var input in PackInputs) CopySources(Path.Combine(Repo.Root, input), Path.Combine(copy, input));
        var bin = Path.Combine(TestRun.Root, "no-unzip-bin");
        Directory.CreateDirectory(bin);
        // A command that is not there: bash reports 127 for a missing command, so does this.
        foreach (var tool in new[] { "unzip", "zipinfo" })
        {
            var path = Path.Combine(bin, tool);
            File.WriteAllText(path, "#!/bin/sh\necho \"$0: command not found\" >&2\nexit 127\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = copy };
        psi.ArgumentList.Add(Path.Combine("eng", "pack.sh"));
        ChildEnvironment.Apply(psi.Environment, DotNetOptions.Default);
        psi.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        // The user's package folder, as a pack from a terminal uses (restores are no-ops there); pack.sh
        // evicts only Mig's dev version from it, never the run's isolated cache.
        psi.Environment.Remove("NUGET_PACKAGES");

        var result = ProcessRunner.Run(psi, TimeSpan.FromMinutes(5));

        Assert.AreEqual(0, result.ExitCode, result.StdOut + "\n" + result.StdErr);
        StringAssert.Contains(result.StdOut, "Mig.Sdk." + TestRun.MigVersion + ".nupkg");
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(copy, "artifacts", "packages", $"Mig.Sdk.{TestRun.MigVersion}.nupkg"));
        Assert.IsTrue(package.Entries.Any(e => e.FullName == "tools/net10.0/Mig.Tasks.dll"), "the SDK ships its tasks");
    }

    private static void CopySources(string from, string to)
    {
        if (File.Exists(from))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            return;
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
            CopySources(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
