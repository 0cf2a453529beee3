using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// MigReset: abandons a migration that has not cut over, leaving the old file as it was and the new
/// file gone. Acts on the pair the old file records; deletes only this migration's unfinished copy,
/// never a file that is ready, retired or built from another old file, and never after the old
/// file recorded a cutover.
/// </summary>
internal sealed class ResetStep(MigrationContext pair)
{
    private readonly PhaseChecks checks = new(pair);

    /// <summary>Runs the operation.</summary>
    public void Run()
    {
        checks.RequireOld();
        using var _ = OperationLock.Acquire(pair.OldPath, "MigReset");
        string? journal = null;
        bool deleteNew;
        using (var old = DatabaseFile.Open(pair.OldPath))
        {
            var record = RecordedPair.Read(old);
            checks.CheckRecordedNew(record, "MigReset");
            if (record.CutOverAt is not null && record.RevertStartedAt is not null)
            {
                // A revert in progress is what MigReset undoes after a cutover: the new file serves again.
                new RevertStep(pair).Cancel(old, record);
                return;
            }
            if (record.CutOverAt is not null) throw PhaseChecks.WrongPhase("MigReset: " + checks.CutOverAdvice(record));
            if (record.Retired)
                throw PhaseChecks.WrongPhase($"{pair.OldPath} is retired (MigArchiveOld ran after its cutover); there is no migration to reset. To go back, restore a backup.");
            deleteNew = File.Exists(pair.NewPath);
            if (deleteNew) RequireUnfinishedCopy(record);
            if (record.Marker is not null)
            {
                var before = Capture.Info(old, OldInfoKeys.JournalModeBefore);
                Capture.Remove(old);
                if (before is not null && before != "wal") journal = RestoreJournalMode(old, before);
            }
        }
        if (deleteNew) DatabaseFile.Delete(pair.NewPath);
        pair.Log($"Mig: reset. {pair.OldPath} is as the old service expects (no capture, writes allowed){journal}; " + (deleteNew ? $"{pair.NewPath} is deleted." : $"there was no new file at {pair.NewPath}."));
    }

    /// <summary>Refuses to delete the file at the new path unless it is this migration's unfinished copy.</summary>
    private void RequireUnfinishedCopy(RecordedPair record)
    {
        var facts = NewFileFacts.Read(pair.NewPath);
        if (facts.Status == Protocol.Ready)
            throw PhaseChecks.WrongPhase($"{pair.NewPath} is cut over and ready; MigReset would discard the live database. To go back, restore from a backup; to clean up the old file, run MigArchiveOld.");
        if (facts.Status == Protocol.Retired)
            throw new MigOperationException(MigCode.FileInTheWay, $"MigReset: {checks.RetiredNewFile()}");
        if (!facts.IsUnfinishedCopyOf(pair.OldPath, recordedByOld: record.NewDatabase is not null))
            throw new MigOperationException(facts.OldDatabase is not null && !PathResolver.Same(facts.OldDatabase, pair.OldPath) ? MigCode.WrongPair : MigCode.FileInTheWay,
                $"MigReset: {pair.NewPath} is not the unfinished new file of a migration of {pair.OldPath} ({facts.Describe()}); MigReset deletes only that. Nothing was changed." +
                (facts.OldDatabase is not null ? $" If it belongs to {facts.OldDatabase}, run MigReset -p:MigDatabase={facts.OldDatabase} to abandon that migration." : " Move it away if it is in the way."));
    }


    /// <summary>
    /// Switches the old file back to the journal mode it had before MigMigrate (after MigReset, and after MigRevert); says what happened.
    /// Leaving WAL needs the file to itself: with the old service still connected it stays in WAL,
    /// which every SQLite reader and writer handles.
    /// </summary>
    internal static string RestoreJournalMode(SqliteConnection old, string mode)
    {
        if (mode is not ("delete" or "truncate" or "persist" or "memory" or "off")) return $", left in WAL (it was '{mode}')";
        try
        {
            using var cmd = old.CreateCommand();
            // A live service keeps its connection: do not wait for it to go away (the busy handler
            // and Microsoft.Data.Sqlite's retries would hold MigReset for half a minute).
            cmd.CommandText = "PRAGMA busy_timeout = 200";
            cmd.ExecuteNonQuery();
            cmd.CommandTimeout = 1;
            cmd.CommandText = $"PRAGMA journal_mode = {mode}";
            return cmd.ExecuteScalar() as string == mode
                ? $", journal mode '{mode}' again"
                : $", left in WAL mode (it was '{mode}'; another connection has it open: run PRAGMA journal_mode = {mode} when the service is stopped, if it matters)";
        }
        catch (SqliteException)
        {
            return $", left in WAL mode (it was '{mode}'; another connection has it open: run PRAGMA journal_mode = {mode} when the service is stopped, if it matters)";
        }
    }
}
