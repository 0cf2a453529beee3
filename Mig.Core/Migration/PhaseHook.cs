using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// The operator's command that runs after each step of a migration (<c>-p:MigHook</c>, bundle
/// <c>--hook</c>), to register the new file with a replication tool or to wait until its replica is
/// complete. It runs through <c>/bin/sh -c</c> (<c>cmd /c</c> on Windows) in the current directory,
/// with MIG_PHASE, MIG_OLD_DATABASE, MIG_NEW_DATABASE and MIG_STATUS_FILE (the MigStatus JSON of the
/// pair, written for it) in its environment; what it prints is shown line by line as it comes. The
/// <c>verified</c> hook runs inside MigCutover, after verification and before anything is marked: a
/// non-zero exit vetoes the cutover (MIG0059). Any other hook runs after its step completed: a non-zero
/// exit fails the command, saying that the step itself is done (MIG0060).
/// </summary>
internal sealed class PhaseHook(string command)
{
    /// <summary>After an online MigMigrate: the copy is done and the old file records writes.</summary>
    public const string Recording = "recording";
    /// <summary>After an offline MigMigrate: the new file is built, copied and ready.</summary>
    public const string Copied = "copied";
    /// <summary>After MigDrain: writes are paused and every captured write is replayed.</summary>
    public const string Drained = "drained";
    /// <summary>Inside MigCutover, after verification, before the new file is marked ready: the gate.</summary>
    public const string Verified = "verified";
    /// <summary>After MigCutover: the new file is ready and serves.</summary>
    public const string Ready = "ready";
    /// <summary>After MigArchiveOld: the old file is retired (or archived and removed).</summary>
    public const string Archived = "archived";
    /// <summary>After MigReset: the migration is abandoned and the new file deleted.</summary>
    public const string Reset = "reset";
    /// <summary>After MigRevert: the old file takes writes again and the new file is out of service.</summary>
    public const string Reverted = "reverted";

    private const int TailLines = 20;
    private const int MaxLineLength = 300;

    /// <summary>The command as the operator wrote it.</summary>
    public string Command { get; } = command;

    /// <summary>A hook for <paramref name="command"/>, or null when it is empty (no hook).</summary>
    public static PhaseHook? For(string? command) => string.IsNullOrWhiteSpace(command) ? null : new PhaseHook(command);

    /// <summary>
    /// The gate of MigCutover: runs the <c>verified</c> hook, records it in the new file's audit trail,
    /// and throws MIG0059 when it fails. Nothing is marked yet, so a veto leaves the pair as MigDrain left it.
    /// </summary>
    public void Gate(MigrationContext pair, SqliteConnection target)
    {
        var run = Run(Verified, pair);
        Bookkeeping.Audit(target, "MigCutover hook", pair.Hash, run.Ok ? "ok" : $"failed {MigCode.HookVetoed}", run.Describe(Command));
        if (run.Ok) return;
        throw new MigOperationException(MigCode.HookVetoed,
            $"MigCutover was vetoed: {run.Describe(Command)}. Nothing was cut over: the new file {pair.NewPath} is not marked ready, and {pair.OldPath} is as MigDrain left it " +
            "(writes paused; MigReset still applies). Run MigCutover again when the hook passes (it verifies again and runs the hook again), or MigReset to abandon the migration.");
    }

    /// <summary>
    /// Runs the hook after <paramref name="operation"/> completed, leaving <paramref name="phase"/>, and throws
    /// MIG0060 when it fails, recorded in the new file's audit trail when that file is there (MigStatus then
    /// names it). A hook that passes leaves no trace in the files: the step's last write stays the last one,
    /// so a 'ready' hook that waited for the new file's replica leaves it complete.
    /// </summary>
    public void AfterStep(MigrationContext pair, string operation, string phase)
    {
        var run = Run(phase, pair);
        if (run.Ok) return;
        var code = MigCode.HookFailed;
        if (File.Exists(pair.NewPath))
            using (var target = DatabaseFile.Open(pair.NewPath))
                Bookkeeping.Audit(target, operation + " hook", pair.Hash, $"failed {code}", run.Describe(Command));
        throw new MigOperationException(code,
            $"{operation} completed (phase {phase}), but {run.Describe(Command)}. The step is not undone; MigStatus shows the state. " +
            $" Do by hand what the hook was to do (or fix it and run it yourself with MIG_PHASE={phase}), then go on.");
    }

    /// <summary>Runs the command for <paramref name="phase"/> with the pair's status written for it; returns how it ended.</summary>
    private HookRun Run(string phase, MigrationContext pair)
    {
        var statusFile = Path.Combine(Path.GetTempPath(), $"mig-status-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.json");
        File.WriteAllText(statusFile, StatusReport.Read(pair.Model, pair.Hash, pair.OldPath, pair.NewPath, pair.Ignored).ToJson());
        pair.Log($"Mig: running the {phase} hook: {Command}");
        try
        {
            var run = Execute(phase, pair, statusFile);
            pair.Log(run.StartFailure is null ? $"Mig: the {phase} hook exited with code {run.ExitCode}." : $"Mig: the {phase} hook could not be started: {run.StartFailure}");
            return run;
        }
        finally
        {
            File.Delete(statusFile);
        }
    }

    private HookRun Execute(string phase, MigrationContext pair, string statusFile)
    {
        var info = Shell();
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.StandardOutputEncoding = Encoding.UTF8;
        info.StandardErrorEncoding = Encoding.UTF8;
        info.Environment["MIG_PHASE"] = phase;
        info.Environment["MIG_OLD_DATABASE"] = pair.OldPath;
        info.Environment["MIG_NEW_DATABASE"] = pair.NewPath;
        info.Environment["MIG_STATUS_FILE"] = statusFile;
        var tail = new Queue<string>();
        void Line(string? line)
        {
            if (line is null) return;
            lock (tail)
            {
                // One writer at a time: the two streams report on their own threads.
                pair.Log($"Mig: hook {phase}: {line}");
                tail.Enqueue(line.Length > MaxLineLength ? line[..MaxLineLength] + "..." : line);
                if (tail.Count > TailLines) tail.Dequeue();
            }
        }
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new HookRun(phase, -1, [], $"{info.FileName}: {e.Message}");
        }
        process.StandardInput.Close(); // a hook that reads its input gets end of file, never a wait for a terminal
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit(); // without a timeout it also waits until both streams are read to their end
        lock (tail) return new HookRun(phase, process.ExitCode, [.. tail], null);
    }

    /// <summary><c>/bin/sh -c command</c>, or on Windows <c>cmd /d /s /c "command"</c> (/s: cmd takes what is inside the outer quotes as written).</summary>
    private ProcessStartInfo Shell()
    {
        if (!OperatingSystem.IsWindows()) return new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", Command } };
        var cmd = Environment.GetEnvironmentVariable("ComSpec") is { Length: > 0 } comSpec ? comSpec : "cmd.exe";
        return new ProcessStartInfo(cmd) { Arguments = $"/d /s /c \"{Command}\"" };
    }
}
