using System.Diagnostics;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The system <c>sqlite3</c> shell as another writer: another process, and an older SQLite
/// than Mig's own (3.40 on Debian 12), which renders values its own way.
/// </summary>
internal static class Sqlite3Shell
{
    /// <summary>Runs <paramref name="script"/> on <paramref name="path"/>; fails the test on a non-zero exit.</summary>
    public static string Run(string path, string script)
    {
        var result = TryRun(path, script);
        Assert.AreEqual(0, result.ExitCode, $"sqlite3 failed: {result.Error}\nscript:\n{script}");
        return result.Output;
    }

    /// <summary>Runs <paramref name="script"/> on <paramref name="path"/> and returns what happened.</summary>
    public static (int ExitCode, string Output, string Error) TryRun(string path, string script, bool bail = true)
    {
        using var p = Process.Start(new ProcessStartInfo("sqlite3", bail ? ["-bail", path] : [path])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("sqlite3 did not start");
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("sqlite3 did not finish within 60 s");
        }
        return (p.ExitCode, output.Result, error.Result);
    }

    /// <summary>The shell's SQLite version, e.g. "3.40.1".</summary>
    public static string Version() => Run(":memory:", "SELECT sqlite_version();").Trim();
}
