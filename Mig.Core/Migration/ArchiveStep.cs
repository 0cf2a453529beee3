using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// MigArchiveOld, after cutover: retire the old file and take Mig's bookkeeping out of it (one
/// transaction, so a kill never leaves it unretired without guards), or also move it to an archive
/// (<see cref="ArchiveCopy"/>: every committed page goes along, whatever holds the -wal).
/// </summary>
internal sealed class ArchiveStep(MigrationContext pair)
{
    private readonly PhaseChecks checks = new(pair);

    /// <summary>Runs the operation; with <paramref name="archiveTo"/> (a folder or a file) the old file is moved there.</summary>
    public void Run(string? archiveTo)
    {
        checks.RequireOld();
        string detail;
        using (var _ = OperationLock.Acquire(pair.OldPath, "MigArchiveOld"))
        {
            using (var old = DatabaseFile.Open(pair.OldPath))
            {
                var record = RecordedPair.Read(old);
                checks.CheckRecordedNew(record, "MigArchiveOld");
                if (!record.Retired)
                {
                    RequireCutOver(record);
                    Retire(old);
                }
                else if (string.IsNullOrEmpty(archiveTo))
                {
                    EndRevert();
                    pair.Log($"Mig: {pair.OldPath} is already retired; nothing to do (-p:MigArchiveTo=<folder> moves it aside).");
                    return;
                }
                // A passive checkpoint folds what it can into the main file; in place nothing needs more (the -wal stays with it).
                SqliteFile.Execute(old, "PRAGMA wal_checkpoint(PASSIVE)");
            }
            SqliteConnection.ClearAllPools();
            detail = string.IsNullOrEmpty(archiveTo) ? $"removed the capture from {pair.OldPath} and marked it retired" : ArchiveCopy(archiveTo);
            EndRevert();
            if (File.Exists(pair.NewPath))
                using (var target = DatabaseFile.Open(pair.NewPath)) Bookkeeping.Audit(target, "MigArchiveOld", pair.Hash, "ok", detail);
            pair.Log($"Mig: {detail}.");
        }
        if (!string.IsNullOrEmpty(archiveTo))
            foreach (var f in new[] { pair.OldPath + ".miglock", pair.OldPath + ".miglock.info" }) if (File.Exists(f)) File.Delete(f);
    }

    /// <summary>
    /// Archiving ends the possibility to revert: the new file's capture (its cost on every write since cutover) goes,
    /// after the old file is retired (a kill in between leaves it, and MigArchiveOld run again removes it).
    /// </summary>
    private void EndRevert()
    {
        if (!File.Exists(pair.NewPath)) return;
        using var target = DatabaseFile.Open(pair.NewPath);
        if (Bookkeeping.Status(target) == Protocol.Ready && RevertStep.Captures(target)) Capture.Remove(target);
    }

    /// <summary>Refuses (MIG0040) an old file whose migration has not cut over: its new file must be there, built from it, and ready.</summary>
    private void RequireCutOver(RecordedPair record)
    {
        if (record.RevertStartedAt is not null)
            throw PhaseChecks.WrongPhase($"MigArchiveOld: a revert to {pair.OldPath} is in progress (writes to {pair.NewPath} are paused). Finish it with MigRevert, or cancel it with MigReset (the new file takes writes again), then MigArchiveOld.");
        if (record.Marker is null)
            throw PhaseChecks.WrongPhase($"{pair.OldPath} has no migration to clean up (no capture, not retired). MigArchiveOld runs after MigCutover.");
        if (record.CutOverAt is not null && !File.Exists(pair.NewPath))
            throw PhaseChecks.WrongPhase("MigArchiveOld: " + checks.CutOverAdvice(record));
        if (!File.Exists(pair.NewPath))
            throw PhaseChecks.WrongPhase($"The migration has not cut over and its new file {pair.NewPath} is missing; MigArchiveOld runs after MigCutover. Run MigStatus (MigMigrate again copies, MigReset abandons).");
        using var target = DatabaseFile.Open(pair.NewPath);
        checks.CheckNewBuiltFromOld(target, "MigArchiveOld");
        if (Bookkeeping.Status(target) != Protocol.Ready)
            throw PhaseChecks.WrongPhase(record.CutOverAt is not null
                ? "MigArchiveOld: " + checks.CutOverAdvice(record)
                : "The migration has not cut over; MigArchiveOld runs after MigCutover (to abandon a migration, run MigReset).");
    }

    /// <summary>
    /// Retired first, capture removed second, one commit: a service still pointed at the file refuses
    /// every call instead of writing where nobody reads, and a kill before the commit leaves the file
    /// as it was (guarded), which MigArchiveOld finishes when run again.
    /// </summary>
    private void Retire(SqliteConnection old)
    {
        using var txn = old.BeginTransaction(deferred: false);
        MarkRetired(old, pair.NewPath, txn);
        FaultPoint.Reached(FaultPoint.Archive);
        Capture.Remove(old, txn);
        txn.Commit();
    }

    /// <summary>
    /// Marks <paramref name="old"/> retired for <paramref name="newPath"/> inside <paramref name="txn"/>: the
    /// runtime then refuses every call on it, and later operations still know its pair.
    /// </summary>
    public static void MarkRetired(SqliteConnection old, string newPath, SqliteTransaction txn)
    {
        SqliteFile.Execute(old, Protocol.CreateStatusTableIfMissing, txn);
        SqliteFile.Execute(old, $"INSERT INTO {Protocol.StatusTable}(id, status) VALUES (0, '{Protocol.Retired}') ON CONFLICT(id) DO UPDATE SET status = excluded.status", txn);
        SqliteFile.Execute(old, Protocol.CreateInfoTableIfMissing, txn);
        Bookkeeping.SetInfo(old, InfoKeys.RetiredFor, newPath, txn);
        Bookkeeping.SetInfo(old, InfoKeys.RetiredAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
    }

    /// <summary>
    /// Writes the archive with SQLite's backup API from the newest snapshot (the -wal included, so a
    /// reader holding an old snapshot, which blocks any checkpoint, costs nothing) while a write
    /// transaction on the old file keeps anything from committing after that snapshot. Only when the
    /// archive is on disk, checked and renamed into place are the old file and its -wal and -shm
    /// removed: everything they held is in the archive. Returns what was done.
    /// </summary>
    private string ArchiveCopy(string archiveTo)
    {
        var dest = Directory.Exists(archiveTo) ? Path.Combine(archiveTo, Path.GetFileName(pair.OldPath)) : Path.GetFullPath(archiveTo);
        if (File.Exists(dest))
            throw new MigOperationException(MigCode.FileInTheWay,
                $"The archive {dest} already exists; Mig does not overwrite it. {pair.OldPath} is retired and clean in place, and stays there. " +
                "If that archive is from an earlier MigArchiveOld that was stopped before it removed the old file, check it and keep one of the two; otherwise choose another -p:MigArchiveTo or move that file, then MigArchiveOld again.");
        TempFiles.RemoveLeftOver(dest);
        var tmp = TempFiles.For(dest);
        try
        {
            using (var holder = DatabaseFile.Open(pair.OldPath))
            using (var hold = holder.BeginTransaction(deferred: false))
            {
                using (var source = DatabaseFile.Open(pair.OldPath))
                using (var archive = DatabaseFile.Open(tmp, create: true))
                {
                    source.BackupDatabase(archive);
                    // One self-contained file: an archive has no business with -wal and -shm files.
                    SqliteFile.Execute(archive, "PRAGMA journal_mode = DELETE");
                    CheckArchive(source, archive, tmp);
                }
                using (var stream = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
                File.Move(tmp, dest, overwrite: false);
                // Still under the write transaction: nothing committed after the archive's snapshot.
                try
                {
                    foreach (var f in new[] { pair.OldPath, pair.OldPath + "-wal", pair.OldPath + "-shm" }) if (File.Exists(f)) File.Delete(f);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    pair.Log($"Mig: warning: archived to {dest}, but {pair.OldPath} could not be removed ({e.Message}); it is retired. Remove it (with its -wal and -shm) once nothing holds it.");
                }
                hold.Rollback();
            }
            return $"archived {pair.OldPath} to {dest} (every committed row, its -wal included) and removed it from its folder";
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            DatabaseFile.Delete(tmp);
        }
    }

    /// <summary>Refuses (MIG0045) an archive that fails SQLite's quick_check or holds another number of rows of any table than the old file.</summary>
    private void CheckArchive(SqliteConnection source, SqliteConnection archive, string tmp)
    {
        if (SqliteFile.Scalar(archive, "SELECT count(*) FROM pragma_quick_check WHERE quick_check <> 'ok'") != 0)
            throw new MigOperationException(MigCode.VerifyFailed, $"The archive written to {tmp} does not pass SQLite's quick_check; it was deleted and {pair.OldPath} stays in place (retired). Run MigArchiveOld again.");
        foreach (var table in TableNames(source))
        {
            var name = SqlIdentifier.Quote(table);
            var (inOld, inArchive) = (SqliteFile.Scalar(source, $"SELECT count(*) FROM {name}"), SqliteFile.Scalar(archive, $"SELECT count(*) FROM {name}"));
            if (inOld != inArchive)
                throw new MigOperationException(MigCode.VerifyFailed, $"The archive holds {inArchive} rows of {table}, the old file {inOld}; it was deleted and {pair.OldPath} stays in place (retired). Run MigArchiveOld again.");
        }
    }

    private static List<string> TableNames(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }
}
