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
    [TestMethod]
    public void PackNeedsNoUnzipAndShipsTheTasks()
    {
        var bin = Path.Combine(TestRun.Root, "no-unzip-bin");
        Directory.CreateDirectory(bin);
        // A command that is not there: bash reports 127 for a missing command, so does this.
        foreach (var tool in new[] { "unzip", "zipinfo" })
        {
            var path = Path.Combine(bin, tool);
            File.WriteAllText(path, "#!/bin/sh\necho \"$0: command not found\" >&2\nexit 127\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = Repo.Root };
        psi.ArgumentList.Add(Path.Combine("eng", "pack.sh"));
        ChildEnvironment.Apply(psi.Environment, DotNetOptions.Default);
        psi.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        // pack.sh evicts the packed version from NUGET_PACKAGES: not from the run's primed cache.
        psi.Environment["NUGET_PACKAGES"] = Path.Combine(TestRun.Root, "pack-test-packages");

        var result = ProcessRunner.Run(psi, TimeSpan.FromMinutes(5));

        Assert.AreEqual(0, result.ExitCode, result.StdOut + "\n" + result.StdErr);
        StringAssert.Contains(result.StdOut, "Mig.Sdk." + TestRun.MigVersion + ".nupkg");
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(Repo.PackagesDir, $"Mig.Sdk.{TestRun.MigVersion}.nupkg"));
        Assert.IsTrue(package.Entries.Any(e => e.FullName == "tools/net10.0/Mig.Tasks.dll"), "the SDK ships its tasks");
    }
}
