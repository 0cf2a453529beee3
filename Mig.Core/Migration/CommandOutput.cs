namespace Mig.Migration;

/// <summary>
/// Where a command's lines go. The tool sends both to stdout (MSBuild shows them); the bundle sends
/// progress to stderr and results (a plan, a status, the final state) to stdout, so a script can
/// read stdout alone.
/// </summary>
/// <param name="Progress">What a step is doing, line by line.</param>
/// <param name="Result">What the command answers: plan and status lines, or their JSON.</param>
/// <param name="Error">Error diagnostics (<c>origin : error MIGnnnn: message</c>).</param>
internal sealed record CommandOutput(Action<string> Progress, Action<string> Result, Action<string> Error)
{
    /// <summary>After an operation succeeded: the state it left (the bundle prints it; the tool does not).</summary>
    public Action<StatusReport>? Finished { get; init; }

    /// <summary>Everything to standard output, as the tool behind the targets prints it.</summary>
    public static CommandOutput Console { get; } = new(System.Console.WriteLine, System.Console.WriteLine, System.Console.WriteLine);
}
