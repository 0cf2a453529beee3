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
