namespace Mig.Migration;

/// <summary>
/// Named points inside long operations where a test can stop the process for
/// real: with <c>MIG_FAULT_PAUSE_AT=&lt;name&gt;</c> in the environment, the
/// operation prints <c>MIG_FAULT_PAUSED &lt;name&gt;</c> when it gets there and
/// waits to be killed. The fault tests kill the tool process at each point and
/// check that MigStatus explains the state and a rerun or MigReset recovers.
/// Without the variable this does nothing.
/// </summary>
public static class FaultPoint
{
    /// <summary>After MigMigrate installed capture on the old file, before the new file exists.</summary>
    public const string Captured = "captured";
    /// <summary>Inside the copy's transaction, after the first chunk of a table with rows.</summary>
    public const string Copy = "copy";
    /// <summary>At the end of the copy's transaction (indexes built, keys checked), just before it commits.</summary>
    public const string CopyCommit = "copy-commit";
    /// <summary>During drain, after the first replay batch has committed.</summary>
    public const string Drain = "drain";
    /// <summary>During cutover, after verification, inside the transaction that marks the file ready.</summary>
    public const string Cutover = "cutover";

    /// <summary>MigArchiveOld, between retiring the old file and removing its capture (one transaction since they must not be split).</summary>
    public const string Archive = "archive";

    private static readonly string? PauseAt = Environment.GetEnvironmentVariable("MIG_FAULT_PAUSE_AT");

    /// <summary>Pauses forever here when the environment asks for it.</summary>
    public static void Reached(string name)
    {
        if (PauseAt != name) return;
        Console.WriteLine($"MIG_FAULT_PAUSED {name}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
}
