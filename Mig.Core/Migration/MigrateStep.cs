using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// MigMigrate, phase 1 (docs/hot-migration.md): build the new file and copy the old data into it.
/// Online it first installs capture, and leaves the old file recording; offline it builds the
/// file under a temporary name and renames it ready. Steps, in order: check that the old file can
/// be a source now, plan (and refuse what the plan refuses), install capture, copy.
/// </summary>
internal sealed class MigrateStep(MigrationContext pair)
{
    private readonly PhaseChecks checks = new(pair);

    /// <summary>Runs the phase.</summary>
    public void Run(bool offline, bool allowDataLoss)
    {
        checks.RequireOld();
        using var _ = OperationLock.Acquire(pair.OldPath, offline ? "MigMigrate offline" : "MigMigrate");
        MigrationPlan plan;
        long pageSize;
        using (var old = DatabaseFile.Open(pair.OldPath))
        {
            var again = CheckSource(old, offline);
            plan = PlanOrRefuse(old, offline, allowDataLoss, again);
            pageSize = SqliteFile.Scalar(old, "PRAGMA page_size");
            if (!offline && !again) InstallCapture(old, plan);
        }
        Copy(plan, offline, pageSize);
    }

    /// <summary>
    /// Refuses an old file that cannot be the source now. Returns true when a migration of it is in
    /// progress whose copy is made again (the capture stays installed; see <see cref="PrepareCopyAgain"/>).
    /// </summary>
    private bool CheckSource(SqliteConnection old, bool offline)
    {
        var record = RecordedPair.Read(old);
        if (record.OwnStatus == Protocol.Migrating)
            throw PhaseChecks.WrongPhase($"{pair.OldPath} is itself a migration's unfinished new file (status 'migrating'); it cannot be the source of another. Finish or reset that migration first.");
        if (record.Retired)
            throw PhaseChecks.WrongPhase($"{pair.OldPath} is retired: MigArchiveOld retired it after a cutover{(record.NewDatabase is null ? "" : $" to {record.NewDatabase}")}, and it is never migrated again. Set -p:MigDatabase to the live database.");
        if (PathResolver.Same(pair.OldPath, pair.NewPath))
            throw PhaseChecks.WrongPhase($"{pair.OldPath} is already this schema's file (schema {pair.Hash}); there is nothing to migrate.");
        if (record.RevertTo is { } revertTo)
            throw PhaseChecks.WrongPhase($"{pair.OldPath} is the new file of a migration from {revertTo} that can still be reverted: it captures its writes for MigRevert. " +
                $"End that migration first with MigArchiveOld -p:MigDatabase={revertTo} (it ends the possibility to revert and removes this capture), then MigMigrate. Nothing was changed.");
        if (record.Marker is { } marker)
        {
            checks.CheckRecordedNew(record, "MigMigrate");
            if (record.CutOverAt is not null) throw PhaseChecks.WrongPhase("MigMigrate: " + checks.CutOverAdvice(record));
            if (offline)
                throw PhaseChecks.WrongPhase($"A hot migration is in progress on {pair.OldPath} (marker '{marker}', new file {record.NewDatabase}); an offline migration cannot run beside it. Run MigStatus: finish that migration, or abandon it with MigReset.");
            if (record.SchemaHash is { } recorded && recorded != pair.Hash)
                throw new MigOperationException(MigCode.WrongPair,
                    $"A migration to schema {recorded} is in progress on {pair.OldPath} (new file {record.NewDatabase}); this checkout's schema is {pair.Hash}. Nothing was changed. " +
                    "Finish that migration from a checkout of its schema, or abandon it with MigReset (from any checkout), then MigMigrate here.");
            PrepareCopyAgain(marker);
            return true;
        }
        if (File.Exists(pair.NewPath))
            throw NewPathTaken();
        return false;
    }

    /// <summary>The plan, printed; refuses one with errors, or with losses the operator did not accept.</summary>
    private MigrationPlan PlanOrRefuse(SqliteConnection old, bool offline, bool allowDataLoss, bool again)
    {
        var plan = Planner.Create(old, pair.Model, "main", online: !offline, ignored: pair.IgnoredWithRecorded(old, "main"));
        foreach (var line in PlanReport.Lines(plan, allowDataLoss)) pair.Log(line);
        if (plan.Errors.Count > 0)
            throw new MigOperationException(plan.Errors[0].Code, "The migration plan cannot run: " + string.Join(" ", plan.Errors.Select(e => e.Message)) +
                (again ? " The capture stays installed: fix this, then MigMigrate again, or MigReset to abandon." : ""));
        if (plan.Losses.Count > 0 && !allowDataLoss)
            throw new MigOperationException(MigCode.DataLoss,
                $"The plan loses data: {string.Join("; ", plan.Losses.Select(l => l.What))}. {(again ? "No copy was made (the capture stays installed)" : "Nothing was changed")}. If that is intended, run again with -p:MigAllowDataLoss=true; if a column or table was renamed, declare it with [RenamedFrom].");
        return plan;
    }

    /// <summary>Online: the old file to WAL (so the copy blocks no writer), then capture of every copied table.</summary>
    private void InstallCapture(SqliteConnection old, MigrationPlan plan)
    {
        var journalModeBefore = SqliteFile.JournalMode(old);
        pair.UseWal(old, "The copy needs the old file in WAL mode so that it blocks no writer; nothing was changed. " +
            "Run MigMigrate again when no long transaction is open on the old file, or switch it yourself at a quiet moment (PRAGMA journal_mode = WAL; the old service keeps working).");
        Capture.Install(old, [.. plan.Tables.Where(t => t.Source is not null).Select(t => t.Source!)], pair.NewPath, pair.Hash, journalModeBefore, pair.Ignored);
        pair.Log($"Mig: capturing writes on {pair.OldPath} (marker '{Protocol.Recording}').");
        FaultPoint.Reached(FaultPoint.Captured);
    }

    /// <summary>
    /// Builds the new file (offline under a temporary name, renamed when complete and deleted on any
    /// failure); a constraint the copy breaks is refused with the rows' advice.
    /// </summary>
    private void Copy(MigrationPlan plan, bool offline, long pageSize)
    {
        if (offline) TempFiles.RemoveLeftOver(pair.NewPath);
        var building = offline ? TempFiles.For(pair.NewPath) : pair.NewPath;
        var done = false;
        try
        {
            BuildNewFile(building, plan, offline, pageSize);
            if (offline)
            {
                SqliteConnection.ClearAllPools();
                File.Move(building, pair.NewPath, overwrite: false);
                pair.Log($"Mig: {pair.NewPath} is ready. The old file is untouched; point the service at the new file.");
            }
            else
            {
                pair.Log($"Mig: copied into {pair.NewPath} (status '{Protocol.Migrating}'). The old service keeps serving and its writes are captured; run MigDrain when you are ready to switch.");
            }
            done = true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: rows the plan did not see (written after it, online)
        {
            // Extended codes: 275 CHECK, 3091 DATATYPE (a STRICT column); the rest are keys or NOT NULL.
            var code = e.SqliteExtendedErrorCode switch
            {
                275 => MigCode.CheckViolated,
                3091 => MigCode.StrictTypeRefused,
                _ => e.Message.Contains("NOT NULL", StringComparison.Ordinal) ? MigCode.NotNullWithoutDefault : MigCode.DuplicateKey,
            };
            throw new MigOperationException(code,
                $"The copy breaks a constraint of the new schema ({e.Message}); nothing was committed to the new file. " +
                (offline ? "The old file is untouched. Run MigPlan to see which rows, fix them in the old file or change the schema, then MigMigrate again."
                         : "Rows written after the plan break it. Run MigPlan to see which rows and fix them in the old file, then MigMigrate again (it copies again; the capture keeps recording). " +
                           "To change the schema instead, or to let the old service work without capture meanwhile, run MigReset first."), e);
        }
        finally
        {
            if (!done && offline) DatabaseFile.Delete(building);
        }
    }

    /// <summary>
    /// Creates the schema in <paramref name="building"/> with the old file's page size, copies in one
    /// transaction, and switches the file to WAL.
    /// </summary>
    private void BuildNewFile(string building, MigrationPlan plan, bool offline, long pageSize)
    {
        using var target = DatabaseFile.Open(building, create: true);
        // The page size an operator chose for the old file (SQLite's default is 4096) is kept: the new
        // file replaces it for the same service. It takes effect with the first write (CreateSchema);
        // a file that already has pages (Litestream's tables) keeps its own.
        SqliteFile.Execute(target, "PRAGMA page_size = " + pageSize.ToString(CultureInfo.InvariantCulture));
        Copier.CreateSchema(target, pair.Model, pair.Hash, pair.OldPath);
        // What the operator accepted to lose, so cutover can tell it from losses that writes made while recording add.
        if (plan.Losses.Count > 0)
            Bookkeeping.SetInfo(target, InfoKeys.AcceptedLosses, string.Join("\n", plan.Losses.Select(Verifier.LossKey).Distinct()));
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
        var started = DateTime.UtcNow;
        var rows = plan.Tables.Where(t => t.Source is not null).Sum(t => t.Source!.RowCount);
        // The status and the audit entry go into the copy's own commit: each separate
        // commit costs an fsync (and, after the WAL switch, a checkpoint when the file
        // closes). Offline the file turns ready with its data; it is the temporary file
        // until the rename, and a failure after this deletes it.
        var (_, violations) = Copier.Copy(target, plan, pair.Model, online: !offline, ReportCopy, pair.Log, (txn, cutoff) =>
        {
            if (offline)
            {
                SqliteFile.Execute(target, $"DROP TABLE {Protocol.IdMappingTable}", txn);
                SqliteFile.Execute(target, Protocol.SetStatus(Protocol.Ready), txn);
            }
            Bookkeeping.Audit(target, offline ? "MigMigrate offline" : "MigMigrate", pair.Hash, "ok",
                $"copied about {rows} rows from {pair.OldPath} in {(DateTime.UtcNow - started).TotalSeconds:F1} s; cutoff {cutoff}", txn);
        });
        if (violations.Count > 0)
            throw new MigOperationException(MigCode.ForeignKeyBroken,
                $"The copied data breaks foreign keys of the new schema: {string.Join("; ", violations)}. Nothing was committed to the new file. " +
                (offline ? "The old file is untouched. Fix the data in the old file or the schema, then MigMigrate again."
                         : "Fix the data in the old file, then MigMigrate again (it copies again; the capture keeps recording); to change the schema instead, MigReset first."));
        SqliteFile.Execute(target, "DETACH DATABASE old");
        var clock = Stopwatch.StartNew();
        if (offline)
            DatabaseFile.UseWal(target, pair.BusyPatience);
        else
            SwitchCopiedFileToWal(target);
        pair.Log(Copier.Step("switched the new file to WAL", clock));
    }

    /// <summary>
    /// MigMigrate again on a pair whose copy never committed (killed, or refused by a key the old data
    /// breaks): the capture stays, and the unfinished copy is deleted so it can be built again. The new
    /// copy reads its cutoff in its own snapshot, so replay starts after what it copied; log entries
    /// before it are already in the copy. Refuses with the advice of the phase when the copy is complete.
    /// </summary>
    private void PrepareCopyAgain(string marker)
    {
        if (!File.Exists(pair.NewPath))
        {
            pair.Log($"Mig: {pair.NewPath} is missing (an earlier MigMigrate stopped before it copied); copying now. The capture on {pair.OldPath} stays: writes made meanwhile are in its log.");
            DatabaseFile.Delete(pair.NewPath); // a journal or WAL left without its file must not be taken for the new file's
            return;
        }
        var facts = NewFileFacts.Read(pair.NewPath);
        if (facts.Status == Protocol.Ready && PathResolver.Same(facts.OldDatabase, pair.OldPath))
            throw PhaseChecks.WrongPhase($"{pair.NewPath} is already cut over (status 'ready'); there is nothing to migrate. Run MigArchiveOld to clean up the old file.");
        if (facts.Cutoff is not null && facts.Status == Protocol.Migrating && PathResolver.Same(facts.OldDatabase, pair.OldPath))
            throw PhaseChecks.WrongPhase(marker == Protocol.Recording
                ? $"The copy into {pair.NewPath} is complete and the old file's writes are captured; there is nothing to migrate again. Continue with MigDrain when ready to switch (then MigCutover), or abandon with MigReset."
                : $"{pair.OldPath} is draining (writes are paused) and the copy into {pair.NewPath} is complete. Continue with MigDrain (it resumes where it stopped), then MigCutover; or MigReset to abandon (the old service writes again).");
        if (!facts.IsUnfinishedCopyOf(pair.OldPath, recordedByOld: true))
            throw new MigOperationException(MigCode.FileInTheWay,
                $"{pair.NewPath} is the new file {pair.OldPath} records, but the file there is not this migration's unfinished copy ({facts.Describe()}). Mig deletes only its own copy; nothing was changed. " +
                "Move that file away, then MigMigrate again (it copies again); or MigReset to abandon the migration.");
        pair.Log($"Mig: the earlier copy into {pair.NewPath} did not finish (no cutoff); deleting it and copying again. The capture on {pair.OldPath} stays: writes made meanwhile are in its log and replayed after the new copy's cutoff.");
        DatabaseFile.Delete(pair.NewPath);
    }

    /// <summary>MigMigrate with no migration recorded on the old file, but a file at the new path: say what it is and what to do; never overwrite or delete it.</summary>
    private MigOperationException NewPathTaken()
    {
        var facts = NewFileFacts.Read(pair.NewPath);
        var fromThisOld = PathResolver.Same(facts.OldDatabase, pair.OldPath);
        if (facts.Status == Protocol.Ready)
            return PhaseChecks.WrongPhase(fromThisOld
                ? $"{pair.NewPath} was already migrated from {pair.OldPath} and is ready; there is nothing to migrate. Point the service at it."
                : $"{pair.NewPath} already exists and is ready (a database of this schema). If it is the live database, there is nothing to migrate; set -p:MigDatabase to it. Mig does not overwrite it.");
        if (facts.Status == Protocol.Retired)
            return new MigOperationException(MigCode.FileInTheWay, checks.RetiredNewFile());
        if (facts.Status == Protocol.Reverted)
            return new MigOperationException(MigCode.FileInTheWay,
                $"{pair.NewPath} is the new file of an earlier migration that MigRevert took out of service (status 'reverted'), and its name is this schema's file name. " +
                "Mig neither overwrites nor deletes it; nothing was changed. Move it away (it holds what the new service wrote, all of it written back), or choose another path with -p:MigNewDatabase, then MigMigrate.");
        if (facts.Status == Protocol.Migrating && fromThisOld)
            return PhaseChecks.WrongPhase($"{pair.NewPath} is the unfinished new file of an abandoned migration of {pair.OldPath} (the old file records no migration any more). Run MigReset (it deletes that file), then MigMigrate.");
        return new MigOperationException(MigCode.FileInTheWay,
            $"{pair.NewPath} exists and is not a file of a migration of {pair.OldPath} ({facts.Describe()}). Mig neither overwrites nor deletes it; nothing was changed. Move it away, or choose another path with -p:MigNewDatabase, then MigMigrate.");
    }

    /// <summary>
    /// Online, the copy has committed: failing MigMigrate now would report a failure for a migration
    /// that is in place. Nobody should hold the new file yet; if someone does, it stays in rollback
    /// mode for now, which is correct, only slower for readers, and MigCutover switches it.
    /// </summary>
    private void SwitchCopiedFileToWal(SqliteConnection target)
    {
        try
        {
            DatabaseFile.UseWal(target, pair.BusyPatience);
        }
        catch (MigOperationException e) when (e.Code == MigCode.WalSwitchBusy)
        {
            pair.Log($"Mig: warning: {e.Message} The copy is committed; the new file stays in journal mode '{SqliteFile.JournalMode(target)}' until MigCutover switches it to WAL.");
        }
    }

    private void ReportCopy(CopyProgress p)
    {
        if (p.Copied == 0 && p.Total > 0) return;
        pair.Log(string.Create(CultureInfo.InvariantCulture,
            $"Mig: copy {p.Table}: {p.Copied}/{p.Total} rows, {p.RowsPerSecond:F0} rows/s, ETA {p.Eta.TotalSeconds:F0} s"));
    }
}
