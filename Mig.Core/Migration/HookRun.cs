namespace Mig.Migration;

/// <summary>How one run of the operator's hook ended (<see cref="PhaseHook"/>).</summary>
/// <param name="Phase">The MIG_PHASE it ran for.</param>
/// <param name="ExitCode">Its exit code; -1 when it could not be started.</param>
/// <param name="Tail">The last lines it printed (standard output and error, in the order they came).</param>
/// <param name="StartFailure">Why it could not be started, or null.</param>
internal sealed record HookRun(string Phase, int ExitCode, IReadOnlyList<string> Tail, string? StartFailure)
{
    /// <summary>True when the hook ran and exited 0.</summary>
    public bool Ok => StartFailure is null && ExitCode == 0;

    /// <summary>How it ended, with its last output quoted on one line, for an error message and the audit trail.</summary>
    public string Describe(string command)
    {
        if (StartFailure is not null) return $"the {Phase} hook `{command}` could not be started: {StartFailure}";
        var output = Tail.Count == 0 ? "it printed nothing" : $"its output: \"{string.Join(" | ", Tail)}\"";
        return $"the {Phase} hook `{command}` exited with code {ExitCode}; {output}";
    }
}
