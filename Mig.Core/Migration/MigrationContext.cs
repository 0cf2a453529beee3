using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// What every phase of one operation works with: the schema the new file is built for, the
/// pair of files (resolved: one file has one spelling in the lock, the records and the checks),
/// where the operation reports, and how long a switch to WAL may wait.
/// </summary>
/// <param name="Model">The schema of the new file.</param>
/// <param name="Hash">Its hash.</param>
/// <param name="OldPath">The old file, resolved.</param>
/// <param name="NewPath">The new file, resolved.</param>
/// <param name="Log">Where messages for the operator go.</param>
/// <param name="BusyPatience">How long a switch to WAL waits for other connections' transactions on the file to end (MIG0049 after).</param>
internal sealed record MigrationContext(SchemaModel Model, string Hash, string OldPath, string NewPath, Action<string> Log, TimeSpan BusyPatience)
{
    /// <summary>Other tools' tables in the old file, as the operator names them (Litestream's always).</summary>
    public IgnoredTables Ignored { get; init; } = IgnoredTables.Default;

    /// <summary>The operator's command run after each step (MigHook, --hook), or null.</summary>
    public PhaseHook? Hook { get; init; }

    /// <summary>
    /// The ignored tables for a step on the old file attached as <paramref name="schema"/>: those named now and those
    /// recorded when capture was installed, so a later step that is not told again still leaves them alone.
    /// </summary>
    public IgnoredTables IgnoredWithRecorded(SqliteConnection c, string schema) => Ignored.With(Capture.RecordedIgnored(c, schema));

    /// <summary>Switches a file to WAL, or throws MIG0049 with what the caller's operation needs to say.</summary>
    public void UseWal(SqliteConnection c, string consequence)
    {
        try
        {
            DatabaseFile.UseWal(c, BusyPatience);
        }
        catch (MigOperationException e) when (e.Code == MigCode.WalSwitchBusy)
        {
            throw new MigOperationException(MigCode.WalSwitchBusy, e.Message + " " + consequence, e);
        }
    }
}
