using System.Diagnostics;

namespace Mig.Core.Tests.Runtime;

/// <summary>
/// Another process holding a lock on a file: the <c>sqlite3</c> shell, kept alive on its
/// standard input, as a copy, a backup or another service would hold it.
/// </summary>
internal sealed class Sqlite3Holder : IDisposable
{
    private readonly Process process;

    private Sqlite3Holder(Process process) => this.process = process;

    /// <summary>Starts the shell on <paramref name="path"/> and returns once <paramref name="sql"/> (for example <c>BEGIN IMMEDIATE;</c>) holds its lock.</summary>
    public static Sqlite3Holder Hold(string path, string sql)
    {
        var process = Process.Start(new ProcessStartInfo("sqlite3", ["-batch", path])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start sqlite3");
        var holder = new Sqlite3Holder(process);
        try
        {
            // .bail: a statement that fails (the lock not taken) ends the shell instead of pretending to hold it.
            holder.Run(".bail on\n.timeout 5000\n" + sql);
        }
        catch
        {
            holder.Dispose();
            throw;
        }
        return holder;
    }

    /// <summary>Runs SQL in the shell and waits until it has run.</summary>
    public void Run(string sql)
    {
        process.StandardInput.WriteLine(sql);
        process.StandardInput.WriteLine("SELECT 'mig-test-done';");
        process.StandardInput.Flush();
        while (process.StandardOutput.ReadLine() is { } line)
            if (line == "mig-test-done") return;
        throw new InvalidOperationException("sqlite3 ended: " + process.StandardError.ReadToEnd());
    }

    public void Dispose()
    {
        try
        {
            process.StandardInput.WriteLine(".quit");
            process.StandardInput.Close();
            if (!process.WaitForExit(5000)) process.Kill();
        }
        catch (IOException)
        {
            // The shell has already ended.
        }
        process.Dispose();
    }
}
