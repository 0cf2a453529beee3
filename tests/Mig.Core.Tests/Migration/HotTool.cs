using System.Diagnostics;
using System.Text;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The Mig tool (Mig.Tasks.dll from the test output folder, or Mig.FaultHost.dll to
/// stop at a fault point) as a real process on
/// the same dotnet host, with its stdout collected line by line so a test can
/// wait for a fault point's <c>MIG_FAULT_PAUSED</c> line instead of sleeping.
/// </summary>
internal sealed class HotTool : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly Process process;
    private readonly List<string> lines = [];
    private bool exited;

    private HotTool(Process process) => this.process = process;

    /// <summary>The dotnet host running the tests, so the tool runs on the same runtime.</summary>
    public static string Host
    {
        get
        {
            var self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        }
    }

    /// <summary>Starts the tool with <paramref name="arguments"/>; with <paramref name="pauseAt"/> it stops at that fault point and waits to be killed.</summary>
    public static HotTool Start(IEnumerable<string> arguments, string? pauseAt = null)
    {
        var info = new ProcessStartInfo(Host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        // The shipped tool has no fault switch; the fault host is the same tool with a listener.
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, pauseAt is null ? "Mig.Tasks.dll" : "Mig.FaultHost.dll"));
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment.Remove("MIG_FAULT_PAUSE_AT");
        if (pauseAt is not null) info.Environment["MIG_FAULT_PAUSE_AT"] = pauseAt;
        var tool = new HotTool(new Process { StartInfo = info });
        tool.process.OutputDataReceived += (_, e) => tool.Add(e.Data);
        tool.process.ErrorDataReceived += (_, e) => tool.Add(e.Data is null ? null : "stderr: " + e.Data);
        tool.process.Start();
        tool.process.BeginOutputReadLine();
        tool.process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>Runs the tool to its end; returns the exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments)
    {
        using var tool = Start(arguments);
        return tool.WaitForExit();
    }

    public int Id => process.Id;

    /// <summary>Everything printed so far.</summary>
    public string Output
    {
        get { lock (lines) return string.Join("\n", lines); }
    }

    private void Add(string? line)
    {
        lock (lines)
        {
            if (line is null) exited = true; // one of the two streams closed
            else lines.Add(line);
            Monitor.PulseAll(lines);
        }
    }

    /// <summary>Waits until the tool prints <c>MIG_FAULT_PAUSED &lt;name&gt;</c>; fails with its output if it ends or takes too long instead.</summary>
    public void WaitForPause(string name) => WaitFor(l => l == "MIG_FAULT_PAUSED " + name, $"pause at '{name}'");

    /// <summary>Waits until the tool prints a line that contains <paramref name="text"/>.</summary>
    public void WaitForLine(string text) => WaitFor(l => l.Contains(text, StringComparison.Ordinal), $"print '{text}'");

    private void WaitFor(Func<string, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        lock (lines)
        {
            while (!lines.Any(match))
            {
                var left = deadline - DateTime.UtcNow;
                if (exited || left <= TimeSpan.Zero)
                    Assert.Fail($"The tool did not {what} ({(exited ? "it ended" : "timed out")}). Output:\n{string.Join("\n", lines)}");
                Monitor.Wait(lines, left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Kills the tool and everything it started, for real, and waits until it is gone.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public (int ExitCode, string Output) WaitForExit()
    {
        if (!process.WaitForExit(Patience))
        {
            Kill();
            Assert.Fail("The tool did not finish in time. Output:\n" + Output);
        }
        process.WaitForExit(); // drains the redirected streams
        return (process.ExitCode, Output);
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) Kill();
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        process.Dispose();
    }

    /// <summary>A summary of a tool run for assertion messages.</summary>
    public static string Show((int ExitCode, string Output) run)
    {
        var sb = new StringBuilder();
        sb.Append("exit ").Append(run.ExitCode).Append(", output:\n").Append(run.Output);
        return sb.ToString();
    }
}
