using System.Diagnostics;
using System.Text;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>What a finished process printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed);

/// <summary>Runs a process to its end with a timeout, capturing both streams.</summary>
internal static class ProcessRunner
{
    public static ProcessResult Run(ProcessStartInfo psi, TimeSpan timeout)
    {
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.StandardOutputEncoding = Encoding.UTF8;
        psi.StandardErrorEncoding = Encoding.UTF8;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {psi.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout}.\n{Tail(stdout)}\n{Tail(stderr)}");
        }
        // The streams close when every process holding them has exited. MSBuild's
        // worker nodes do not inherit them, but never hang the run on a surprise.
        if (!Task.WaitAll([stdout, stderr], TimeSpan.FromMinutes(1)))
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} exited but another process still holds its output streams: "
                + string.Join("; ", MarkedProcesses.Find(TestRun.Marker, exact: false).Select(MarkedProcesses.Describe)) + $"\n{Tail(stdout)}\n{Tail(stderr)}");
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    private static string Tail(Task<string> text) => text.IsCompletedSuccessfully ? text.Result : "(output not complete)";
}
