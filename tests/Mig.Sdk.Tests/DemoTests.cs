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
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = Repo.Root };
        psi.ArgumentList.Add(Path.Combine("eng", "demo.sh"));
        ChildEnvironment.Apply(psi.Environment, DotNetOptions.Default);
        psi.Environment["MIG_DEMO_DIR"] = Path.Combine(TestRun.Root, "demo");
        psi.Environment["MIG_DEMO_PACKED"] = "1";

        var result = ProcessRunner.Run(psi, TimeSpan.FromMinutes(10));
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

    [GeneratedRegex(@"committed while MigMigrate copied and recorded, before the drain: (?<app>-?\d+) app transactions, (?<raw>-?\d+) raw inserts")]
    private static partial Regex WhileRecording();

    [GeneratedRegex(@"app writer: \d+ students committed, \d+ deleted -> expected (?<expected>\d+), new file has (?<have>\d+)")]
    private static partial Regex AppCount();
}
