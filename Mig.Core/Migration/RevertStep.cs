using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using SQLitePCL;

namespace Mig.Migration;

/// <summary>
/// MigRevert (docs/hot-migration.md): after cutover, goes back to the old file without losing what the
/// new service wrote since. From cutover on, the new file captures its own writes with the same triggers
/// and log as the old file did (<see cref="InstallCapture"/>). A revert pauses writes on the new file,
/// replays its log into the old file through the plan turned round (<see cref="InversePlan"/>), verifies the
/// old file against the new one, takes the new file out of service ('reverted') and, last, gives the old file
/// back its writes (capture and guards removed): the old service writes again without a restart. Each part is
/// resumable after a kill (the replay commits its checkpoint into the old file with each batch); MigReset
/// cancels a revert until the new file is taken out of service; MigArchiveOld ends the possibility.
/// </summary>
internal sealed class RevertStep(MigrationContext pair)
{
    // sqlite.org/c3ref/c_dbconfig_defensive.html: SQLITE_DBCONFIG_ENABLE_TRIGGER.
    private const int EnableTrigger = 1003;
    private readonly PhaseChecks checks = new(pair);

    /// <summary>
    /// Installs, inside the cutover's commit, capture on every table of the new file (the old file is recorded as
    /// <see cref="OldInfoKeys.RevertTo"/>): nothing the new file serves can be written before it is captured.
    /// </summary>
    public static void InstallCapture(SqliteConnection target, SqliteTransaction txn, MigrationContext pair)
    {
        var tables = Introspector.Tables(target, "main", countRows: false, ignored: pair.Ignored).Where(t => t.Kind == "table").ToList();
        Capture.Install(target, txn, tables, pair.OldPath, pair.Hash, "wal", pair.Ignored, OldInfoKeys.RevertTo, Protocol.Revertible);
    }

    /// <summary>Whether a (ready) new file still captures its writes for MigRevert: from cutover until MigArchiveOld.</summary>
    public static bool Captures(SqliteConnection target) => Capture.Info(target, OldInfoKeys.RevertTo) is not null;

    /// <summary>Runs the operation; losses (MIG0042) are written back only with <paramref name="allowDataLoss"/>.</summary>
    public void Run(bool allowDataLoss)
    {
        checks.RequireOld();
        using var _ = OperationLock.Acquire(pair.OldPath, "MigRevert");
        if (RequireRevertible() is not { } record) return;
        using (var target = DatabaseFile.Open(pair.NewPath))
        {
            checks.CheckNewBuiltFromOld(target, "MigRevert");
            var status = Bookkeeping.Status(target);
            if (status != Protocol.Reverted)
            {
                if (status != Protocol.Ready) throw PhaseChecks.WrongPhase("MigRevert: " + checks.CutOverAdvice(record));
                if (!Captures(target))
                    throw new MigOperationException(MigCode.RevertEnded,
                        $"MigRevert: {pair.NewPath} does not capture its writes (MigArchiveOld removed the capture, or the cutover was made by a Mig without MigRevert), so what it served cannot be written back. " +
                        "Nothing was changed. To go back, restore a backup of the old file; writes made to the new file since cutover are in the new file only.");
                checks.CheckRecordedSchema(record, "MigRevert");
                Audited(target, () => WriteBack(target, record, allowDataLoss));
            }
        }
        FaultPoint.Reached(FaultPoint.RevertFinish);
        var journal = Reopen();
        using (var target = DatabaseFile.Open(pair.NewPath)) Bookkeeping.Audit(target, "MigRevert", pair.Hash, "ok", $"{pair.OldPath} takes writes again; {pair.NewPath} is reverted");
        pair.Log($"Mig: reverted. {pair.OldPath} takes writes again (the old service writes without a restart){journal}; {pair.NewPath} is out of service (status 'reverted': MigDatabaseNotReadyException) and kept as it was.");
    }

    /// <summary>
    /// The old file's record when there is a cutover to revert; null when this pair is already reverted (nothing to
    /// do). Refuses before cutover (MIG0040: MigReset is the tool then) and after MigArchiveOld (MIG0080).
    /// </summary>
    private RecordedPair? RequireRevertible()
    {
        RecordedPair record;
        using (var old = DatabaseFile.Open(pair.OldPath)) record = RecordedPair.Read(old);
        checks.CheckRecordedNew(record, "MigRevert");
        if (record.Retired)
            throw new MigOperationException(MigCode.RevertEnded,
                $"MigRevert: {pair.OldPath} is retired: MigArchiveOld ran after the cutover and ended the possibility to revert (the new file's writes are no longer captured). " +
                "Nothing was changed. To go back now, restore a backup of the old file; writes made to the new file since cutover are in the new file only.");
        if (record.CutOverAt is null)
        {
            if (File.Exists(pair.NewPath) && NewFileFacts.Read(pair.NewPath) is { Status: Protocol.Reverted } facts && PathResolver.Same(facts.OldDatabase, pair.OldPath))
            {
                pair.Log($"Mig: {pair.NewPath} is already reverted and {pair.OldPath} takes writes; nothing to do.");
                return null;
            }
            throw PhaseChecks.WrongPhase(record.Marker is null
                ? $"MigRevert: {pair.OldPath} records no migration, so there is nothing to revert. MigRevert goes back after a MigCutover; MigStatus shows the state."
                : $"MigRevert: the migration has not cut over: {pair.OldPath} is still the live file and {pair.NewPath} has never served. " +
                  "To abandon the migration, run MigReset (the old service writes again and the unfinished new file is deleted); MigRevert is for after MigCutover.");
        }
        if (!File.Exists(pair.NewPath)) throw PhaseChecks.WrongPhase("MigRevert: " + checks.CutOverAdvice(record));
        return record;
    }

    /// <summary>Records a refusal or failure in the new file's audit trail (MigStatus shows it), then lets it go on.</summary>
    private void Audited(SqliteConnection target, Action body)
    {
        try
        {
            body();
        }
        catch (MigOperationException e)
        {
            Bookkeeping.Audit(target, "MigRevert", pair.Hash, $"failed {e.Code}", e.Message);
            throw;
        }
    }

    /// <summary>
    /// Pause, replay, verify, retire the new file. Losses and rows the old schema cannot take are refused before
    /// the pause (nothing changed) and again once writes are paused (they may have been written in between).
    /// </summary>
    private void WriteBack(SqliteConnection target, RecordedPair record, bool allowDataLoss)
    {
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
        var forward = Planner.Create(target, pair.Model, "old", analyze: false, ignored: pair.IgnoredWithRecorded(target, "old"));
        SqliteFile.Execute(target, "DETACH DATABASE old");
        var inverse = InversePlan.Create(forward);
        using var c = OpenForReplay();
        RequireNoLoss(c, forward, inverse, allowDataLoss, paused: false);
        // Recorded before anything is written back, so a kill from here on is a revert in progress to MigStatus.
        if (record.RevertStartedAt is null)
            Bookkeeping.SetFact(c, $"main.{Protocol.OldInfoTable}", OldInfoKeys.RevertStartedAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), null);
        FaultPoint.Reached(FaultPoint.RevertStart);
        if (Capture.Marker(target) == Protocol.Revertible)
        {
            // What the new service wrote since cutover goes back while it keeps writing (the old file is not
            // served): the pause below covers only the tail, however long the new file served.
            using (var early = new Replayer(c, inverse, Protocol.OldInfoTable, OldInfoKeys.RevertCheckpoint))
                Refusing(c, inverse, paused: false, () => new CatchUp(pair, c, early, revert: true).Run(atLeastOnce: false));
            Capture.StartDraining(target);
            pair.Log($"Mig: {pair.NewPath} is paused: writes are refused from now on (MigWritesPausedException in the new service).");
        }
        var accepted = RequireNoLoss(c, forward, inverse, allowDataLoss, paused: true);
        WriteSeededRowsBack(target, forward);
        long applied;
        using (var replayer = new Replayer(c, inverse, Protocol.OldInfoTable, OldInfoKeys.RevertCheckpoint))
        {
            applied = Refusing(c, inverse, paused: true, () => replayer.Run(p => { if (p.Applied > 0) pair.Log($"Mig: revert replayed {p.Applied}/{p.Pending} writes of the new file into the old file"); }, faultPoint: FaultPoint.Revert));
            var last = SqliteFile.Scalar(c, $"SELECT coalesce(max(id), 0) FROM old.{Protocol.LogTable}");
            if (replayer.Checkpoint() < last)
                throw new MigOperationException(MigCode.VerifyFailed, $"MigRevert: {last - replayer.Checkpoint()} writes of the new file are not replayed although writes are paused. Run MigRevert again.");
        }
        CarrySequences(c, inverse);
        Verify(c, inverse, accepted);
        RequireOldKeysHold(c, inverse);
        c.Close();
        MarkReverted(target);
        pair.Log($"Mig: revert wrote {applied} captured writes of the new file back into the old file and verified it.");
    }

    /// <summary>
    /// Runs a replay into the old file. A row the old table refuses (a constraint only the old schema has: a CHECK, a STRICT
    /// type, NOT NULL) fails its batch, which rolls back: refused with MIG0081 (a row inserted after the first check without
    /// a value for an old NOT NULL column, as that check words it), not with SQLite's error out of the middle of the replay.
    /// </summary>
    private static T Refusing<T>(SqliteConnection c, MigrationPlan inverse, bool paused, Func<T> replay)
    {
        try
        {
            return replay();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            InversePlan.RequireInsertable(c, inverse);
            throw new MigOperationException(MigCode.RevertUnsupported,
                $"MigRevert cannot write back a row the new service wrote since cutover: the old table refuses it ({e.Message.Trim()}), a constraint only the old schema has. " +
                "The batch that met it was rolled back; -p:MigAllowDataLoss=true does not accept it. " +
                (paused
                    ? "Writes to the new file are paused and the old file stays paused too. Run MigReset (the new service writes again), change those rows through the new file so that the old schema takes them, then run MigRevert again."
                    : "The new file keeps serving. Change those rows through the new file so that the old schema takes them, then run MigRevert again."));
        }
    }

    /// <summary>
    /// The old file for the replay, with the new file attached as its source. Triggers are off on this one connection:
    /// the old file's guards keep refusing everyone else's writes until the revert is complete, and its own capture
    /// (the forward migration's log) records nothing of the replay.
    /// </summary>
    private SqliteConnection OpenForReplay()
    {
        var c = DatabaseFile.Open(pair.OldPath);
        try
        {
            raw.sqlite3_db_config(c.Handle, EnableTrigger, 0, out int _);
            SqliteFile.Execute(c, $"ATTACH DATABASE {Capture.Literal(pair.NewPath)} AS old");
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses (MIG0042) what writing back would lose, unless <paramref name="allowDataLoss"/>; returns the loss keys
    /// accepted (their columns are then not compared by the verification), and refuses (MIG0081) rows the old schema cannot take.
    /// </summary>
    private HashSet<string> RequireNoLoss(SqliteConnection c, MigrationPlan forward, MigrationPlan inverse, bool allowDataLoss, bool paused)
    {
        RequireRowIdsKept(c, inverse, paused);
        InversePlan.RequireInsertable(c, inverse);
        InversePlan.RequireKeysUnique(c, forward, inverse, paused);
        var losses = InversePlan.Losses(c, forward, inverse, table => Bookkeeping.Info(c, InfoKeys.SeededRows(table), "old") ?? "");
        if (losses.Count == 0) return [];
        if (!allowDataLoss)
            throw new MigOperationException(MigCode.DataLoss,
                $"MigRevert would lose data the new service wrote since cutover: {string.Join("; ", losses.Select(l => l.What))}. " +
                (paused
                    ? "Writes to the new file are paused and nothing was written back. To accept the loss, run MigRevert again with -p:MigAllowDataLoss=true (--allow-data-loss); to keep serving the new file, run MigReset (it cancels the revert and the new service writes again)."
                    : "Nothing was changed; the new file keeps serving. To accept the loss, run MigRevert again with -p:MigAllowDataLoss=true (--allow-data-loss)."));
        foreach (var l in losses) pair.Log($"Mig: DATA LOSS accepted by -p:MigAllowDataLoss=true: {l.What}");
        return losses.Select(Verifier.LossKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Refuses (MIG0083) an old file rebuilt by VACUUM since the drain paused it (a maintenance job that VACUUMs every
    /// file): the rows of a table with neither an INTEGER PRIMARY KEY nor an index may have new rowids, and the write-back
    /// names rows by rowid, so it would change the wrong rows of the old file.
    /// </summary>
    private static void RequireRowIdsKept(SqliteConnection c, MigrationPlan inverse, bool paused)
    {
        var exposed = RowIdRenumbering.Renumbered(c, "main", null, [.. inverse.Tables.Select(t => t.Table.Name)]);
        if (exposed.Count == 0) return;
        throw new MigOperationException(MigCode.OldFileRebuilt,
            $"MigRevert: the old file was rebuilt (VACUUM) after the drain paused it: SQLite may have given new rowids to the rows of {string.Join(", ", exposed)} " +
            "(no INTEGER PRIMARY KEY and no index), and the revert writes rows back by rowid, so it would change the wrong rows of the old file. " +
            (paused
                ? "Writes to the new file are paused; what the revert wrote back before its pause may have gone to renumbered rows. Run MigReset to cancel the revert (the new service writes again). "
                : "Nothing was changed; the new file keeps serving. ") +
            "This old file cannot take the new file's writes back. To go back to the old schema all the same: MigArchiveOld -p:MigArchiveTo=<folder> (it ends the possibility to revert and moves the old file away), " +
            "then migrate the new file to the old schema from a checkout of it (MigMigrate with -p:MigDatabase set to the new file).");
    }

    /// <summary>AUTOINCREMENT never hands out a key twice: the old file's counters go up to the new file's.</summary>
    private static void CarrySequences(SqliteConnection c, MigrationPlan inverse)
    {
        if (!SqliteFile.TableExists(c, null, "sqlite_sequence") || !SqliteFile.TableExists(c, null, "sqlite_sequence", "old")) return;
        using var txn = c.BeginTransaction(deferred: false);
        foreach (var t in inverse.Tables)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = txn;
            cmd.CommandText =
                "UPDATE main.sqlite_sequence SET seq = (SELECT max(seq) FROM old.sqlite_sequence WHERE name = @new) WHERE name = @old AND seq < (SELECT max(seq) FROM old.sqlite_sequence WHERE name = @new);" +
                "INSERT INTO main.sqlite_sequence(name, seq) SELECT @old, seq FROM (SELECT max(seq) AS seq FROM old.sqlite_sequence WHERE name = @new) " +
                "WHERE seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.sqlite_sequence WHERE name = @old) " +
                "AND EXISTS (SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = @old AND upper(sql) LIKE '%AUTOINCREMENT%')";
            cmd.Parameters.AddWithValue("@old", t.Table.Name);
            cmd.Parameters.AddWithValue("@new", t.Source!.Name);
            cmd.ExecuteNonQuery();
        }
        txn.Commit();
    }

    /// <summary>
    /// The rows a seed of the migration added to the new file (none of the old service's, so in no log) go back
    /// too: rows the new service wrote may reference them. Logged once, in the paused new file's log, as rows to replay.
    /// </summary>
    private static void WriteSeededRowsBack(SqliteConnection target, MigrationPlan forward)
    {
        using var txn = target.BeginTransaction(deferred: false);
        foreach (var t in forward.Tables.Where(t => t.Source is not null))
            if (Bookkeeping.Info(target, InfoKeys.SeededRows(t.Table.Name), txn: txn) is { Length: > 0 } ids)
                SqliteFile.Execute(target,
                    $"INSERT INTO {Protocol.LogTable}(txn_id, operation, table_name, row_id) SELECT 0, 'insert', {Capture.Literal(t.Table.Name)}, rowid FROM {SqlIdentifier.Quote(t.Table.Name)} " +
                    $"WHERE rowid IN ({ids}) AND NOT EXISTS (SELECT 1 FROM {Protocol.LogTable} WHERE txn_id = 0 AND operation = 'insert' AND table_name = {Capture.Literal(t.Table.Name)} AND row_id = {SqlIdentifier.Quote(t.Table.Name)}.rowid)", txn);
        txn.Commit();
    }

    /// <summary>
    /// The old file must now be the new file transformed back by the inverse plan, row by row and both ways (the comparison
    /// of MigCutover, turned round, on the replay's connection): the columns whose loss was accepted are not compared. Refuses
    /// (MIG0045) any difference; both files stay paused.
    /// </summary>
    private void Verify(SqliteConnection c, MigrationPlan inverse, HashSet<string> accepted)
    {
        var compared = inverse with
        {
            Tables = [.. inverse.Tables.Select(t => t with
            {
                Columns = [.. t.Columns.Select(col => col.Source is not null && accepted.Contains($"{t.Source!.Name}.{col.Source}") ? col with { Source = null, Fill = FillKind.Null } : col)],
            })],
        };
        // No model: the old file's foreign keys are the old schema's, which Mig does not know as a model.
        var result = Verifier.Run(c, compared, new SchemaModel([], [], []), online: false, new HashSet<string>());
        foreach (var t in result.Tables)
            pair.Log($"Mig: verify {t.Table}: new {t.OldRows} rows, old {t.NewRows} rows{(t.Missing + t.Different == 0 ? ", content equal" : $", {t.Missing} missing/changed, {t.Different} extra")}");
        if (!result.Ok)
            throw new MigOperationException(MigCode.VerifyFailed,
                "MigRevert: the old file does not match the new file after the writes were written back: " + string.Join("; ", result.Problems()) +
                ". Writes to the new file stay paused and the old file stays paused too. Every write is written back, so MigRevert again would only verify again: " +
                "run MigReset to cancel the revert (the new service writes again and keeps everything). The old file's rows named above now differ from the new file's, so a later MigRevert " +
                "fails the same way unless the new service rewrites them. To go back to the old schema all the same: MigArchiveOld -p:MigArchiveTo=<folder> (it ends the possibility to revert and moves the old file away), " +
                "then migrate the new file to the old schema from a checkout of it (MigMigrate with -p:MigDatabase set to the new file).");
    }

    /// <summary>
    /// Refuses (MIG0082) rows written back that break a foreign key the old file declares (the new schema dropped it,
    /// or rows were written on the new file with keys off): the old service would get a file its own schema calls
    /// broken. Both files stay paused, nothing is marked: MigReset cancels the revert, and a later MigRevert replays the
    /// fix made on the new file and checks again. MigAllowDataLoss does not let it through: a broken key is no loss the
    /// operator chose, and nothing written back can tell which side of the key is right.
    /// </summary>
    private static void RequireOldKeysHold(SqliteConnection c, MigrationPlan inverse)
    {
        var broken = OldForeignKeys.Violations(c, OldForeignKeys.WrittenTables(inverse));
        if (broken.Count == 0) return;
        throw new MigOperationException(MigCode.RevertBreaksForeignKey,
            $"MigRevert: the rows written back break foreign keys the old schema declares{(broken.Count >= 10 ? " (the first 10)" : "")}: {string.Join("; ", broken)}. " +
            "The new schema does not have these keys, or those rows were written on the new file with foreign keys off. Writes to the new file stay paused and the old file stays paused too " +
            "(-p:MigAllowDataLoss=true does not accept broken keys). Run MigReset to cancel the revert (the new service writes again); then make those rows whole through the new file " +
            "(give them their parent row back there, or delete or re-point them there; rows of a table only the old schema has can only get their parent back) and run MigRevert again: " +
            "it writes the fix back and checks again.");
    }

    /// <summary>
    /// One commit: the new file stops serving ('reverted'). From here the revert only goes forward. Its guards stay,
    /// so a writer that does not read the status (another program, the sqlite3 shell) is still refused rather than
    /// writing where nobody reads; its log stays with it as the record of what was written back.
    /// </summary>
    private void MarkReverted(SqliteConnection target)
    {
        using var txn = target.BeginTransaction(deferred: false);
        SqliteFile.Execute(target, Protocol.SetStatus(Protocol.Reverted), txn);
        Bookkeeping.SetInfo(target, InfoKeys.RevertedAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
        Bookkeeping.SetInfo(target, InfoKeys.RevertedTo, pair.OldPath, txn);
        txn.Commit();
    }

    /// <summary>
    /// One commit: the old file's capture, guards and migration facts go; the old service writes again. Then, as MigReset
    /// does, the journal mode it had before MigMigrate comes back when no other connection holds it; says what happened.
    /// </summary>
    private string Reopen()
    {
        using var old = DatabaseFile.Open(pair.OldPath);
        var before = Capture.Info(old, OldInfoKeys.JournalModeBefore);
        Capture.Remove(old);
        return before is not null && before != "wal" ? ResetStep.RestoreJournalMode(old, before) : "";
    }

    /// <summary>
    /// MigReset during a revert, before the new file is taken out of service: the new file takes writes again (its
    /// capture goes on) and the old file forgets the revert; what was already written back stays in the old file,
    /// which stays paused, and a later MigRevert goes on from its checkpoint.
    /// </summary>
    public void Cancel(SqliteConnection old, RecordedPair record)
    {
        if (!File.Exists(pair.NewPath)) throw PhaseChecks.WrongPhase("MigReset: " + checks.CutOverAdvice(record));
        using var target = DatabaseFile.Open(pair.NewPath);
        if (Bookkeeping.Status(target) == Protocol.Reverted)
            throw PhaseChecks.WrongPhase($"MigReset: the revert already took {pair.NewPath} out of service (status 'reverted'), so it cannot be cancelled any more. Run MigRevert to finish it: the old file then takes writes again.");
        if (Capture.Marker(target) == Protocol.Draining) Capture.Resume(target, Protocol.Revertible);
        SqliteFile.Execute(old, $"DELETE FROM {Protocol.OldInfoTable} WHERE key = '{OldInfoKeys.RevertStartedAt}'");
        Bookkeeping.Audit(target, "MigReset", pair.Hash, "ok", "cancelled the revert in progress; the new file takes writes again");
        pair.Log($"Mig: the revert is cancelled. {pair.NewPath} takes writes again (its writes are still captured; MigRevert can run again); {pair.OldPath} stays paused.");
    }
}
