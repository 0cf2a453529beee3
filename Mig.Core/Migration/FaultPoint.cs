namespace Mig.Migration;

/// <summary>
/// Named points inside long operations. The engine announces each one to
/// <see cref="Listener"/>; nothing listens in the shipped tool. The fault tests
/// run the tool through their own host (tests/Mig.FaultHost), which listens,
/// stops the process at one point and lets the test kill it there for real, to
/// check that MigStatus explains the state and a rerun or MigReset recovers.
/// </summary>
internal static class FaultPoint
{
    /// <summary>After MigMigrate installed capture on the old file, before the new file exists.</summary>
    public const string Captured = "captured";
    /// <summary>Inside the copy's transaction, after the first chunk of a table with rows.</summary>
    public const string Copy = "copy";
    /// <summary>At the end of the copy's transaction (indexes built, keys checked), just before it commits.</summary>
    public const string CopyCommit = "copy-commit";
    /// <summary>During catch-up (MigCatchUp, or MigDrain before it pauses writes), after each replay batch has committed.</summary>
    public const string CatchUp = "catch-up";
    /// <summary>During drain, after the first replay batch has committed.</summary>
    public const string Drain = "drain";
    /// <summary>During cutover, after verification, inside the transaction that marks the file ready.</summary>
    public const string Cutover = "cutover";
    /// <summary>MigArchiveOld, between retiring the old file and removing its capture (one transaction since they must not be split).</summary>
    public const string Archive = "archive";

    /// <summary>MigRevert, after the old file recorded that a revert started, before writes to the new file are paused.</summary>
    public const string RevertStart = "revert-start";
    /// <summary>MigRevert, after each batch of the new file's writes replayed into the old file has committed (writes to the new file are paused).</summary>
    public const string Revert = "revert";
    /// <summary>MigRevert, after the new file was taken out of service ('reverted'), before the old file takes writes again.</summary>
    public const string RevertFinish = "revert-finish";
    /// <summary>Called with the name of each point reached; null (nothing happens) unless a test host set it.</summary>
    public static Action<string>? Listener { get; set; }

    /// <summary>Announces that the operation got to <paramref name="name"/>.</summary>
    public static void Reached(string name) => Listener?.Invoke(name);
}
