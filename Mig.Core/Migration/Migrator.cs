using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// Runs the phases of a hot migration between one old file and the new file of
/// the current schema (hot-migration.md): plan, migrate (online or offline),
/// drain, verify, cut over, reset, archive. Each phase checks that it is its
/// turn, takes the pair's lock, leaves a state <see cref="Status"/> explains,
/// and records itself in the new file's audit trail.
/// </summary>
internal sealed class Migrator(SchemaModel model, string hash, string oldPath, string newPath, Action<string> log)
{
#pragma warning disable CS1591 // the codes are listed with their meaning in the README
    public const string WrongPhaseCode = "MIG0040";
    public const string LockedCode = "MIG0041";
    public const string DataLossCode = "MIG0042";
    public const string VerifyFailedCode = "MIG0045";
    public const string NoOldDatabaseCode = "MIG0047";
    public const string ForeignKeyCode = "MIG0048";
    public const string BusyCode = "MIG0049";
    public const string WrongPairCode = "MIG0044";
    public const string NotOursCode = "MIG0046";
#pragma warning restore CS1591

    private const string AcceptedLossesKey = "accepted_losses";
    // Resolved (symlinks, "..", relative): one file has one spelling in the lock, the records and the checks.
    private readonly string oldPath = PathResolver.Resolve(oldPath);
    private readonly string newPath = PathResolver.Resolve(newPath);

    /// <summary>How long a switch to WAL waits for other connections' transactions on the file to end (MIG0049 after).</summary>
    public TimeSpan BusyPatience { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The plan, printed; changes nothing (the old file is opened read-only).</summary>
    public MigrationPlan Plan(bool online = true)
    {
        RequireOld();
        using var c = OpenReadOnly(oldPath);
        var plan = Planner.Create(c, model, "main", online);
        foreach (var line in PlanReport.Lines(plan)) log(line);
        return plan;
    }

    /// <summary>Phase 1: build the new file and copy; online it installs capture first and leaves the old file recording.</summary>
    public void Migrate(bool offline, bool allowDataLoss)
    {
        RequireOld();
        using var _ = OperationLock.Acquire(oldPath, offline ? "MigMigrate offline" : "MigMigrate");
        MigrationPlan plan;
        var again = false;
        using (var old = DatabaseFile.Open(oldPath))
        {
            var record = RecordedPair.Read(old);
            if (record.OwnStatus == Protocol.Migrating)
                throw Phase($"{oldPath} is itself a migration's unfinished new file (status 'migrating'); it cannot be the source of another. Finish or reset that migration first.");
            if (record.Retired)
                throw Phase($"{oldPath} is retired: MigArchiveOld retired it after a cutover{(record.NewDatabase is null ? "" : $" to {record.NewDatabase}")}, and it is never migrated again. Set -p:MigDatabase to the live database.");
            if (PathResolver.Same(oldPath, newPath))
                throw Phase($"{oldPath} is already this schema's file (schema {hash}); there is nothing to migrate.");
            if (record.Marker is { } marker)
            {
                CheckRecordedNew(record, "MigMigrate");
                if (record.CutOverAt is not null) throw Phase("MigMigrate: " + CutOverAdvice(record));
                if (offline)
                    throw Phase($"A hot migration is in progress on {oldPath} (marker '{marker}', new file {record.NewDatabase}); an offline migration cannot run beside it. Run MigStatus: finish that migration, or abandon it with MigReset.");
                if (record.SchemaHash is { } recorded && recorded != hash)
                    throw new MigOperationException(WrongPairCode,
                        $"A migration to schema {recorded} is in progress on {oldPath} (new file {record.NewDatabase}); this checkout's schema is {hash}. Nothing was changed. " +
                        "Finish that migration from a checkout of its schema, or abandon it with MigReset (from any checkout), then MigMigrate here.");
                PrepareCopyAgain(marker);
                again = true;
            }
            else if (File.Exists(newPath))
            {
                throw NewPathTaken();
            }
            plan = Planner.Create(old, model, "main", online: !offline);
            foreach (var line in PlanReport.Lines(plan, allowDataLoss)) log(line);
            if (plan.Errors.Count > 0)
                throw new MigOperationException(plan.Errors[0].Code, "The migration plan cannot run: " + string.Join(" ", plan.Errors.Select(e => e.Message)) +
                    (again ? " The capture stays installed: fix this, then MigMigrate again, or MigReset to abandon." : ""));
            if (plan.Losses.Count > 0 && !allowDataLoss)
                throw new MigOperationException(DataLossCode,
                    $"The plan loses data: {string.Join("; ", plan.Losses.Select(l => l.What))}. {(again ? "No copy was made (the capture stays installed)" : "Nothing was changed")}. If that is intended, run again with -p:MigAllowDataLoss=true; if a column or table was renamed, declare it with [RenamedFrom].");
            if (!offline && !again)
            {
                var journalModeBefore = SqliteFile.JournalMode(old);
                UseWal(old, "The copy needs the old file in WAL mode so that it blocks no writer; nothing was changed. " +
                    "Run MigMigrate again when no long transaction is open on the old file, or switch it yourself at a quiet moment (PRAGMA journal_mode = WAL; the old service keeps working).");
                Capture.Install(old, [.. plan.Tables.Where(t => t.Source is not null).Select(t => t.Source!)], newPath, hash, journalModeBefore);
                log($"Mig: capturing writes on {oldPath} (marker '{Protocol.Recording}').");
                FaultPoint.Reached(FaultPoint.Captured);
            }
        }

        var building = offline ? Path.Combine(Path.GetDirectoryName(newPath)!, $".{Path.GetFileName(newPath)}.{Environment.ProcessId}.tmp") : newPath;
        var done = false;
        try
        {
            using (var target = DatabaseFile.Open(building, create: true))
            {
                Copier.CreateSchema(target, model, hash, oldPath);
                // What the operator accepted to lose, so cutover can tell it from losses that writes made while recording add.
                if (plan.Losses.Count > 0)
                    Bookkeeping.SetInfo(target, AcceptedLossesKey, string.Join("\n", plan.Losses.Select(Verifier.LossKey).Distinct()));
                SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(oldPath)} AS old");
                var started = DateTime.UtcNow;
                var rows = plan.Tables.Where(t => t.Source is not null).Sum(t => t.Source!.RowCount);
                // The status and the audit entry go into the copy's own commit: each separate
                // commit costs an fsync (and, after the WAL switch, a checkpoint when the file
                // closes). Offline the file turns ready with its data; it is the temporary file
                // until the rename, and a failure after this deletes it.
                var (_, violations) = Copier.Copy(target, plan, model, online: !offline, ReportCopy, log, (txn, cutoff) =>
                {
                    if (offline)
                    {
                        SqliteFile.Execute(target, $"DROP TABLE {Protocol.IdMappingTable}", txn);
                        SqliteFile.Execute(target, $"UPDATE {Protocol.StatusTable} SET status = '{Protocol.Ready}' WHERE id = 0", txn);
                    }
                    Bookkeeping.Audit(target, offline ? "MigMigrate offline" : "MigMigrate", hash, "ok",
                        $"copied about {rows} rows from {oldPath} in {(DateTime.UtcNow - started).TotalSeconds:F1} s; cutoff {cutoff}", txn);
                });
                if (violations.Count > 0)
                    throw new MigOperationException(ForeignKeyCode,
                        $"The copied data breaks foreign keys of the new schema: {string.Join("; ", violations)}. Nothing was committed to the new file. " +
                        (offline ? "The old file is untouched. Fix the data in the old file or the schema, then MigMigrate again."
                                 : "Fix the data in the old file, then MigMigrate again (it copies again; the capture keeps recording); to change the schema instead, MigReset first."));
                SqliteFile.Execute(target, "DETACH DATABASE old");
                var clock = Stopwatch.StartNew();
                if (offline)
                    DatabaseFile.UseWal(target, BusyPatience);
                else
                    SwitchCopiedFileToWal(target);
                log(Copier.Step("switched the new file to WAL", clock));
            }
            if (offline)
            {
                SqliteConnection.ClearAllPools();
                File.Move(building, newPath, overwrite: false);
                log($"Mig: {newPath} is ready. The old file is untouched; point the service at the new file.");
            }
            else
            {
                log($"Mig: copied into {newPath} (status '{Protocol.Migrating}'). The old service keeps serving and its writes are captured; run MigDrain when you are ready to switch.");
            }
            done = true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: rows the plan did not see (written after it, online)
        {
            var code = e.Message.Contains("NOT NULL", StringComparison.Ordinal) ? MigrationCodes.NotNullWithoutDefaultCode : MigrationCodes.DuplicateKeyCode;
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
    /// MigMigrate again on a pair whose copy never committed (killed, or refused by a key the old data
    /// breaks): the capture stays, and the unfinished copy is deleted so it can be built again. The new
    /// copy reads its cutoff in its own snapshot, so replay starts after what it copied; log entries
    /// before it are already in the copy. Refuses with the advice of the phase when the copy is complete.
    /// </summary>
    private void PrepareCopyAgain(string marker)
    {
        if (!File.Exists(newPath))
        {
            log($"Mig: {newPath} is missing (an earlier MigMigrate stopped before it copied); copying now. The capture on {oldPath} stays: writes made meanwhile are in its log.");
            DatabaseFile.Delete(newPath); // a journal or WAL left without its file must not be taken for the new file's
            return;
        }
        var facts = NewFileFacts.Read(newPath);
        if (facts.Status == Protocol.Ready && PathResolver.Same(facts.OldDatabase, oldPath))
            throw Phase($"{newPath} is already cut over (status 'ready'); there is nothing to migrate. Run MigArchiveOld to clean up the old file.");
        if (facts.Cutoff is not null && facts.Status == Protocol.Migrating && PathResolver.Same(facts.OldDatabase, oldPath))
            throw Phase(marker == Protocol.Recording
                ? $"The copy into {newPath} is complete and the old file's writes are captured; there is nothing to migrate again. Continue with MigDrain when ready to switch (then MigCutover), or abandon with MigReset."
                : $"{oldPath} is draining (writes are paused) and the copy into {newPath} is complete. Continue with MigDrain (it resumes where it stopped), then MigCutover; or MigReset to abandon (the old service writes again).");
        if (!facts.IsUnfinishedCopyOf(oldPath, recordedByOld: true))
            throw new MigOperationException(NotOursCode,
                $"{newPath} is the new file {oldPath} records, but the file there is not this migration's unfinished copy ({facts.Describe()}). Mig deletes only its own copy; nothing was changed. " +
                "Move that file away, then MigMigrate again (it copies again); or MigReset to abandon the migration.");
        log($"Mig: the earlier copy into {newPath} did not finish (no cutoff); deleting it and copying again. The capture on {oldPath} stays: writes made meanwhile are in its log and replayed after the new copy's cutoff.");
        DatabaseFile.Delete(newPath);
    }

    /// <summary>MigMigrate with no migration recorded on the old file, but a file at the new path: say what it is and what to do; never overwrite or delete it.</summary>
    private MigOperationException NewPathTaken()
    {
        var facts = NewFileFacts.Read(newPath);
        var fromThisOld = PathResolver.Same(facts.OldDatabase, oldPath);
        if (facts.Status == Protocol.Ready)
            return Phase(fromThisOld
                ? $"{newPath} was already migrated from {oldPath} and is ready; there is nothing to migrate. Point the service at it."
                : $"{newPath} already exists and is ready (a database of this schema). If it is the live database, there is nothing to migrate; set -p:MigDatabase to it. Mig does not overwrite it.");
        if (facts.Status == Protocol.Retired)
            return new MigOperationException(NotOursCode, RetiredNewFile());
        if (facts.Status == Protocol.Migrating && fromThisOld)
            return Phase($"{newPath} is the unfinished new file of an abandoned migration of {oldPath} (the old file records no migration any more). Run MigReset (it deletes that file), then MigMigrate.");
        return new MigOperationException(NotOursCode,
            $"{newPath} exists and is not a file of a migration of {oldPath} ({facts.Describe()}). Mig neither overwrites nor deletes it; nothing was changed. Move it away, or choose another path with -p:MigNewDatabase, then MigMigrate.");
    }

    private string RetiredNewFile() =>
        $"{newPath} is a retired database (an old file MigArchiveOld retired after an earlier cutover), and its name is this schema's file name. " +
        "Mig neither overwrites nor deletes it; nothing was changed. Move it away (keep it as a backup), or choose another path with -p:MigNewDatabase, then MigMigrate.";

    /// <summary>Refuses (MIG0044) a new path that is not the one the old file records: every operation acts on the recorded pair.</summary>
    private void CheckRecordedNew(RecordedPair record, string operation)
    {
        if (record.NewDatabase is { } recorded && !PathResolver.Same(recorded, newPath))
            throw new MigOperationException(WrongPairCode,
                $"{operation}: {oldPath} records {(record.Retired ? "that it was retired for" : "a migration into")} {recorded} (schema {record.SchemaHash ?? "?"}), not {newPath}. Nothing was changed. " +
                $"Operations act on the recorded pair: run {operation} with -p:MigNewDatabase={recorded}, or without -p:MigNewDatabase (the tool then takes the recorded file).");
    }

    /// <summary>Refuses (MIG0044) a schema that is not the one the old file's migration builds, for the operations that use the schema.</summary>
    private void CheckRecordedSchema(RecordedPair record, string operation)
    {
        if (record.SchemaHash is { } recorded && recorded != hash)
            throw new MigOperationException(WrongPairCode,
                $"{operation}: the migration on {oldPath} builds schema {recorded} into {record.NewDatabase}; this checkout's schema is {hash}. Nothing was changed. " +
                (record.CutOverAt is not null
                    ? "That migration is cut over; MigStatus and MigArchiveOld work from any checkout."
                    : $"Run {operation} from a checkout of schema {recorded}; to abandon that migration instead, run MigReset (from any checkout)."));
    }

    /// <summary>The new file must be built from this old file: a new file of another old file (a copy, a restored backup) is not this pair's.</summary>
    private void CheckNewBuiltFromOld(SqliteConnection target, string operation)
    {
        if (Bookkeeping.Info(target, "old_database") is { } recordedOld && !PathResolver.Same(recordedOld, oldPath))
            throw new MigOperationException(WrongPairCode,
                $"{operation}: {newPath} was built from {recordedOld}, not from {oldPath}. Nothing was changed. Run {operation} with -p:MigDatabase={recordedOld}; " +
                $"for {oldPath}, choose another -p:MigNewDatabase (MigStatus -p:MigDatabase={oldPath} shows its state).");
    }

    /// <summary>What to do once the old file records a cutover, by the state of the new file.</summary>
    private string CutOverAdvice(RecordedPair record)
    {
        var where = record.NewDatabase ?? newPath;
        var head = $"{oldPath} records a cutover to {where} (at {record.CutOverAt}). The new file may serve writes from then on, so the old file is never written again by a migration step. ";
        if (!File.Exists(where))
            return head + $"{where} is missing: put it back where it was (it may have been moved or renamed), then run MigStatus. The old file stays paused.";
        var facts = NewFileFacts.Read(where);
        return facts.Status == Protocol.Ready
            ? head + "To clean up the old file, run MigArchiveOld; to go back, restore a backup (writes made to the new file since cutover are in the new file only)."
            : head + "The cutover did not finish (the new file is not ready yet): run MigCutover again to finish it.";
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
            DatabaseFile.UseWal(target, BusyPatience);
        }
        catch (MigOperationException e) when (e.Code == BusyCode)
        {
            log($"Mig: warning: {e.Message} The copy is committed; the new file stays in journal mode '{SqliteFile.JournalMode(target)}' until MigCutover switches it to WAL.");
        }
    }

    /// <summary>Switches a file to WAL, or throws MIG0049 with what the caller's operation needs to say.</summary>
    private void UseWal(SqliteConnection c, string consequence)
    {
        try
        {
            DatabaseFile.UseWal(c, BusyPatience);
        }
        catch (MigOperationException e) when (e.Code == BusyCode)
        {
            throw new MigOperationException(BusyCode, e.Message + " " + consequence, e);
        }
    }

    private void ReportCopy(CopyProgress p)
    {
        if (p.Copied == 0 && p.Total > 0) return;
        log(string.Create(CultureInfo.InvariantCulture,
            $"Mig: copy {p.Table}: {p.Copied}/{p.Total} rows, {p.RowsPerSecond:F0} rows/s, ETA {p.Eta.TotalSeconds:F0} s"));
    }

    /// <summary>Phase 2: refuse writes on the old file and replay the captured writes into the new one. Resumable.</summary>
    public void Drain()
    {
        RequireOld();
        using var _ = OperationLock.Acquire(oldPath, "MigDrain");
        RequirePair("MigDrain", usesSchema: true);
        RequireCopied("MigDrain");
        using var target = DatabaseFile.Open(newPath);
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(oldPath)} AS old");
        // Map before pausing writes: everything from here to the end of replay is the write-unavailable window.
        var plan = Planner.Create(target, model, "old", analyze: false);
        if (Capture.Marker(target, "old") == Protocol.Recording)
        {
            using (var old = DatabaseFile.Open(oldPath))
                Capture.StartDraining(old);
            log($"Mig: {oldPath} is draining: writes are refused from now on (MigWritesPausedException in the old service).");
        }
        var started = DateTime.UtcNow;
        long applied;
        // Each replay commit carries its own checkpoint, so a commit that a power failure takes back is
        // replayed again from the log, which the old file keeps: in WAL mode they need no fsync of their own
        // (synchronous NORMAL keeps the file consistent, it may only lose the latest commits). The audit
        // entry below commits with FULL, and its fsync makes every earlier commit durable before
        // "Drain complete" is printed. Not in rollback-journal mode, where NORMAL is weaker.
        var walOnly = SqliteFile.JournalMode(target) == "wal";
        if (walOnly) SqliteFile.Execute(target, "PRAGMA main.synchronous = NORMAL");
        try
        {
            using var replayer = new Replayer(target, plan);
            applied = replayer.Run(p => log(string.Create(CultureInfo.InvariantCulture, $"Mig: replayed {p.Applied}/{p.Pending} captured writes ({(p.Elapsed.TotalSeconds > 0 ? p.Applied / p.Elapsed.TotalSeconds : 0):F0}/s)")));
        }
        catch (MigOperationException e)
        {
            // MigStatus reads the audit trail: without this it would only say "run MigDrain", which stops again.
            SqliteFile.Execute(target, "PRAGMA main.synchronous = FULL");
            Bookkeeping.Audit(target, "MigDrain", hash, "failed " + e.Code, e.Message);
            throw;
        }
        SqliteFile.Execute(target, "PRAGMA main.synchronous = FULL");
        using (var txn = target.BeginTransaction(deferred: true))
        {
            Copier.Finish(target, txn, plan, model);
            txn.Commit();
        }
        SqliteFile.Execute(target, "DETACH DATABASE old");
        Bookkeeping.Audit(target, "MigDrain", hash, "ok", $"replayed {applied} captured writes in {(DateTime.UtcNow - started).TotalSeconds:F2} s");
        log("Mig: Drain complete. Run MigCutover when ready.");
    }

    /// <summary>
    /// Compares old and new: row counts, keys, content, and data loss nobody accepted (MIG0042, unless
    /// <paramref name="allowDataLoss"/>); throws MIG0045 on any other difference.
    /// </summary>
    public VerifyResult Verify(bool allowDataLoss = false)
    {
        RequireOld();
        using var _ = OperationLock.Acquire(oldPath, "MigVerify");
        RequirePair("MigVerify", usesSchema: true);
        return VerifyLocked("MigVerify", allowDataLoss);
    }

    private VerifyResult VerifyLocked(string operation, bool allowDataLoss)
    {
        RequireCopied(operation);
        using var target = DatabaseFile.Open(newPath);
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(oldPath)} AS old");
        // Analysed: the losses are those of the old file as it is now, writes made while recording included.
        var plan = Planner.Create(target, model, "old", analyze: true);
        var online = Capture.Marker(target, "old") is not null;
        var accepted = (Bookkeeping.Info(target, AcceptedLossesKey) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = Verifier.Run(target, plan, model, online, accepted);
        SqliteFile.Execute(target, "DETACH DATABASE old");
        foreach (var t in result.Tables)
            log($"Mig: verify {t.Table}: old {t.OldRows} rows, new {t.NewRows} rows{(t.Missing + t.Different == 0 ? ", content equal" : $", {t.Missing} missing/changed, {t.Different} extra")}");
        if (allowDataLoss && result.Losses.Count > 0)
        {
            foreach (var l in result.Losses) log($"Mig: DATA LOSS accepted by -p:MigAllowDataLoss=true: {l.What}");
            result = result with { Losses = [] };
        }
        var failure = result.DuplicateKeys.Count > 0 ? MigrationCodes.DuplicateKeyCode : result.OnlyLosses ? DataLossCode : VerifyFailedCode;
        Bookkeeping.Audit(target, operation, hash, result.Ok ? "ok" : $"failed {failure}", string.Join("; ", result.Problems()));
        if (result.DuplicateKeys.Count > 0)
            throw new MigOperationException(MigrationCodes.DuplicateKeyCode,
                $"Writes made while the migration recorded repeat values of a key the new schema makes unique: {string.Join("; ", result.DuplicateKeys)}. " +
                "The new file cannot hold both rows, and Mig does not choose which survives. Nothing was cut over. " +
                "Run MigReset (the old service writes again), make those rows unique in the old file (or drop the key from the schema), then MigMigrate again." +
                (result.Problems().Count() > result.DuplicateKeys.Count ? " Also found: " + string.Join("; ", result.Problems().Where(p => !p.StartsWith("duplicate key: ", StringComparison.Ordinal))) + "." : ""));
        if (result.OnlyLosses)
            throw new MigOperationException(DataLossCode,
                $"Writes made while the migration recorded would be lost: {string.Join("; ", result.Losses.Select(l => l.What))}. The migration accepted no such loss when it started. Nothing was cut over. " +
                $"To accept the loss, run {operation.Split(' ')[0]} again with -p:MigAllowDataLoss=true; to keep the data, run MigReset (the old service writes again) and change the schema.");
        if (!result.Ok)
            throw new MigOperationException(VerifyFailedCode, "Verification failed: " + string.Join("; ", result.Problems()) + ". Nothing was cut over.");
        log("Mig: verified: every copied table matches, foreign keys hold, nothing pending, no data lost that was not accepted.");
        return result;
    }

    /// <summary>
    /// Phase 3: after a complete drain and a clean verification, mark the new file ready. Loss that
    /// writes made while recording add (MIG0042) is cut over only with <paramref name="allowDataLoss"/>.
    /// </summary>
    public void Cutover(bool allowDataLoss = false)
    {
        RequireOld();
        using var _ = OperationLock.Acquire(oldPath, "MigCutover");
        var record = RequirePair("MigCutover", usesSchema: true);
        if (record.Marker == Protocol.Recording)
            throw Phase("The old file is still recording; run MigDrain first (it pauses writes and replays them), then MigCutover.");
        if (record.Marker is null)
            throw Phase(record.Retired ? $"{oldPath} is retired (MigArchiveOld ran); its migration was cut over long ago. Nothing to do." : $"{oldPath} has no migration in progress; run MigMigrate first.");
        VerifyLocked("MigCutover verify", allowDataLoss);
        using var target = DatabaseFile.Open(newPath);
        if (SqliteFile.JournalMode(target) != "wal")
            UseWal(target, "The new file must be in WAL mode before it serves; nothing was cut over. " +
                "Close what holds the new file (nothing should serve it before cutover) and run MigCutover again.");
        // The old file learns first that it is handed over: from now on MigReset refuses, even if the new
        // file is later missing, moved or renamed (it may have served writes). A kill before the new file
        // commits 'ready' leaves a cutover that MigCutover finishes when run again.
        if (record.CutOverAt is null)
        {
            using var old = DatabaseFile.Open(oldPath);
            using var cmd = old.CreateCommand();
            cmd.CommandText = $"INSERT INTO {Protocol.OldInfoTable}(key, value) VALUES (@k, @v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            cmd.Parameters.AddWithValue("@k", OldInfoKeys.CutOverAt);
            cmd.Parameters.AddWithValue("@v", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            cmd.ExecuteNonQuery();
        }
        using (var txn = target.BeginTransaction(deferred: false))
        {
            SqliteFile.Execute(target, $"DROP TABLE IF EXISTS {Protocol.IdMappingTable}", txn);
            SqliteFile.Execute(target, $"UPDATE {Protocol.StatusTable} SET status = '{Protocol.Ready}' WHERE id = 0", txn);
            Bookkeeping.SetInfo(target, "cut_over_at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
            FaultPoint.Reached(FaultPoint.Cutover);
            txn.Commit();
        }
        Bookkeeping.Audit(target, "MigCutover", hash, "ok", "status ready");
        log($"Mig: cut over. {newPath} is ready and serves on its next call; move traffic to the new service. The old file keeps refusing writes; run MigArchiveOld to clean it up.");
    }

    /// <summary>
    /// Abandons a migration that has not cut over: the old file as it was, the new file gone. Acts on
    /// the pair the old file records; deletes only this migration's unfinished copy, never a file that
    /// is ready, retired or built from another old file, and never after the old file recorded a cutover.
    /// </summary>
    public void Reset()
    {
        RequireOld();
        using var _ = OperationLock.Acquire(oldPath, "MigReset");
        string? journal = null;
        var deleteNew = false;
        using (var old = DatabaseFile.Open(oldPath))
        {
            var record = RecordedPair.Read(old);
            CheckRecordedNew(record, "MigReset");
            if (record.CutOverAt is not null) throw Phase("MigReset: " + CutOverAdvice(record));
            if (record.Retired)
                throw Phase($"{oldPath} is retired (MigArchiveOld ran after its cutover); there is no migration to reset. To go back, restore a backup.");
            if (File.Exists(newPath))
            {
                var facts = NewFileFacts.Read(newPath);
                if (facts.Status == Protocol.Ready)
                    throw Phase($"{newPath} is cut over and ready; MigReset would discard the live database. To go back, restore from a backup; to clean up the old file, run MigArchiveOld.");
                if (facts.Status == Protocol.Retired)
                    throw new MigOperationException(NotOursCode, $"MigReset: {RetiredNewFile()}");
                if (!facts.IsUnfinishedCopyOf(oldPath, recordedByOld: record.NewDatabase is not null))
                    throw new MigOperationException(facts.OldDatabase is not null && !PathResolver.Same(facts.OldDatabase, oldPath) ? WrongPairCode : NotOursCode,
                        $"MigReset: {newPath} is not the unfinished new file of a migration of {oldPath} ({facts.Describe()}); MigReset deletes only that. Nothing was changed." +
                        (facts.OldDatabase is not null ? $" If it belongs to {facts.OldDatabase}, run MigReset -p:MigDatabase={facts.OldDatabase} to abandon that migration." : " Move it away if it is in the way."));
                deleteNew = true;
            }
            if (record.Marker is not null)
            {
                var before = Capture.Info(old, "journal_mode_before");
                Capture.Remove(old);
                if (before is not null && before != "wal") journal = RestoreJournalMode(old, before);
            }
        }
        if (deleteNew) DatabaseFile.Delete(newPath);
        log($"Mig: reset. {oldPath} is as the old service expects (no capture, writes allowed){journal}; " + (deleteNew ? $"{newPath} is deleted." : $"there was no new file at {newPath}."));
    }

    /// <summary>
    /// Switches the old file back to the journal mode it had before MigMigrate; says what happened.
    /// Leaving WAL needs the file to itself: with the old service still connected it stays in WAL,
    /// which every SQLite reader and writer handles.
    /// </summary>
    private static string RestoreJournalMode(SqliteConnection old, string mode)
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

    /// <summary>
    /// After cutover: retire the old file and take Mig's bookkeeping out of it (one transaction, so a
    /// kill never leaves it unretired without guards), or also move it to <paramref name="archiveTo"/>
    /// (see <see cref="ArchiveCopy"/>: every committed page goes along, whatever holds the -wal).
    /// </summary>
    public void ArchiveOld(string? archiveTo)
    {
        RequireOld();
        string detail;
        using (var _ = OperationLock.Acquire(oldPath, "MigArchiveOld"))
        {
            using (var old = DatabaseFile.Open(oldPath))
            {
                var record = RecordedPair.Read(old);
                CheckRecordedNew(record, "MigArchiveOld");
                if (!record.Retired)
                {
                    if (record.Marker is null)
                        throw Phase($"{oldPath} has no migration to clean up (no capture, not retired). MigArchiveOld runs after MigCutover.");
                    if (record.CutOverAt is not null && !File.Exists(newPath))
                        throw Phase("MigArchiveOld: " + CutOverAdvice(record));
                    if (!File.Exists(newPath))
                        throw Phase($"The migration has not cut over and its new file {newPath} is missing; MigArchiveOld runs after MigCutover. Run MigStatus (MigMigrate again copies, MigReset abandons).");
                    using (var target = DatabaseFile.Open(newPath))
                    {
                        CheckNewBuiltFromOld(target, "MigArchiveOld");
                        if (Bookkeeping.Status(target) != Protocol.Ready)
                            throw Phase(record.CutOverAt is not null
                                ? "MigArchiveOld: " + CutOverAdvice(record)
                                : "The migration has not cut over; MigArchiveOld runs after MigCutover (to abandon a migration, run MigReset).");
                    }
                    Retire(old);
                }
                else if (string.IsNullOrEmpty(archiveTo))
                {
                    log($"Mig: {oldPath} is already retired; nothing to do (-p:MigArchiveTo=<folder> moves it aside).");
                    return;
                }
                // A passive checkpoint folds what it can into the main file; in place nothing needs more (the -wal stays with it).
                SqliteFile.Execute(old, "PRAGMA wal_checkpoint(PASSIVE)");
            }
            SqliteConnection.ClearAllPools();
            detail = string.IsNullOrEmpty(archiveTo) ? $"removed the capture from {oldPath} and marked it retired" : ArchiveCopy(archiveTo);
            if (File.Exists(newPath))
                using (var target = DatabaseFile.Open(newPath)) Bookkeeping.Audit(target, "MigArchiveOld", hash, "ok", detail);
            log($"Mig: {detail}.");
        }
        if (!string.IsNullOrEmpty(archiveTo))
            foreach (var f in new[] { oldPath + ".miglock", oldPath + ".miglock.info" }) if (File.Exists(f)) File.Delete(f);
    }

    /// <summary>
    /// Retired first, capture removed second, one commit: a service still pointed at the file refuses
    /// every call instead of writing where nobody reads, and a kill before the commit leaves the file
    /// as it was (guarded), which MigArchiveOld finishes when run again.
    /// </summary>
    private void Retire(SqliteConnection old)
    {
        using var txn = old.BeginTransaction(deferred: false);
        SqliteFile.Execute(old, $"CREATE TABLE IF NOT EXISTS {Protocol.StatusTable}(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL)", txn);
        SqliteFile.Execute(old, $"INSERT INTO {Protocol.StatusTable}(id, status) VALUES (0, '{Protocol.Retired}') ON CONFLICT(id) DO UPDATE SET status = excluded.status", txn);
        // What it was retired for, so later operations on this file still know its pair.
        SqliteFile.Execute(old, $"CREATE TABLE IF NOT EXISTS {Protocol.InfoTable}(key TEXT PRIMARY KEY, value TEXT NOT NULL)", txn);
        Bookkeeping.SetInfo(old, InfoKeys.RetiredFor, newPath, txn);
        Bookkeeping.SetInfo(old, "retired_at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
        FaultPoint.Reached(FaultPoint.Archive);
        Capture.Remove(old, txn);
        txn.Commit();
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
        var dest = Directory.Exists(archiveTo) ? Path.Combine(archiveTo, Path.GetFileName(oldPath)) : Path.GetFullPath(archiveTo);
        if (File.Exists(dest))
            throw new MigOperationException(NotOursCode,
                $"The archive {dest} already exists; Mig does not overwrite it. {oldPath} is retired and clean in place, and stays there. " +
                "If that archive is from an earlier MigArchiveOld that was stopped before it removed the old file, check it and keep one of the two; otherwise choose another -p:MigArchiveTo or move that file, then MigArchiveOld again.");
        var tmp = Path.Combine(Path.GetDirectoryName(dest)!, $".{Path.GetFileName(dest)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var holder = DatabaseFile.Open(oldPath))
            using (var hold = holder.BeginTransaction(deferred: false))
            {
                using (var source = DatabaseFile.Open(oldPath))
                using (var archive = DatabaseFile.Open(tmp, create: true))
                {
                    source.BackupDatabase(archive);
                    // One self-contained file: an archive has no business with -wal and -shm files.
                    SqliteFile.Execute(archive, "PRAGMA journal_mode = DELETE");
                    if (SqliteFile.Scalar(archive, "SELECT count(*) FROM pragma_quick_check WHERE quick_check <> 'ok'") != 0)
                        throw new MigOperationException(VerifyFailedCode, $"The archive written to {tmp} does not pass SQLite's quick_check; it was deleted and {oldPath} stays in place (retired). Run MigArchiveOld again.");
                    foreach (var table in TableNames(source))
                    {
                        var name = SqlIdentifier.Quote(table);
                        var (inOld, inArchive) = (SqliteFile.Scalar(source, $"SELECT count(*) FROM {name}"), SqliteFile.Scalar(archive, $"SELECT count(*) FROM {name}"));
                        if (inOld != inArchive)
                            throw new MigOperationException(VerifyFailedCode, $"The archive holds {inArchive} rows of {table}, the old file {inOld}; it was deleted and {oldPath} stays in place (retired). Run MigArchiveOld again.");
                    }
                }
                using (var stream = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
                File.Move(tmp, dest, overwrite: false);
                // Still under the write transaction: nothing committed after the archive's snapshot.
                try
                {
                    foreach (var f in new[] { oldPath, oldPath + "-wal", oldPath + "-shm" }) if (File.Exists(f)) File.Delete(f);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    log($"Mig: warning: archived to {dest}, but {oldPath} could not be removed ({e.Message}); it is retired. Remove it (with its -wal and -shm) once nothing holds it.");
                }
                hold.Rollback();
            }
            return $"archived {oldPath} to {dest} (every committed row, its -wal included) and removed it from its folder";
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            DatabaseFile.Delete(tmp);
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

    /// <summary>The state of both files and what to run next.</summary>
    public StatusReport Status() => StatusReport.Read(model, hash, oldPath, newPath);

    private void RequireOld()
    {
        if (!File.Exists(oldPath))
            throw new MigOperationException(NoOldDatabaseCode, $"The old database {oldPath} does not exist. Set -p:MigDatabase=<path> to the live database (for a first database, run MigInit).");
    }

    /// <summary>Reads the old file's record and refuses what contradicts it (another new file, another schema, a cutover already recorded).</summary>
    private RecordedPair RequirePair(string operation, bool usesSchema)
    {
        RecordedPair record;
        using (var old = DatabaseFile.Open(oldPath)) record = RecordedPair.Read(old);
        CheckRecordedNew(record, operation);
        if (usesSchema) CheckRecordedSchema(record, operation);
        if (record.CutOverAt is not null && operation != "MigCutover")
        {
            var ready = File.Exists(newPath) && NewFileFacts.Read(newPath).Status == Protocol.Ready;
            throw Phase($"{operation}: " + (ready ? $"{newPath} is already cut over (status 'ready'); nothing to do. MigArchiveOld cleans up the old file." : CutOverAdvice(record)));
        }
        return record;
    }

    private void RequireCopied(string operation)
    {
        RecordedPair record;
        using (var old = DatabaseFile.Open(oldPath)) record = RecordedPair.Read(old);
        if (!File.Exists(newPath) && record.CutOverAt is not null)
            throw Phase($"{operation}: " + CutOverAdvice(record));
        if (!File.Exists(newPath))
            throw Phase(record.Marker is not null
                ? $"{operation}: there is no new file {newPath}: an earlier MigMigrate stopped before it copied. Run MigMigrate again (it copies; the capture stays), or MigReset to abandon."
                : $"{operation}: there is no new file {newPath} and no migration in progress on {oldPath}; run MigMigrate first.");
        using var target = DatabaseFile.Open(newPath);
        CheckNewBuiltFromOld(target, operation);
        var status = Bookkeeping.Status(target);
        if (status == Protocol.Ready)
            throw Phase($"{operation}: {newPath} is already cut over (status 'ready'); nothing to do. MigArchiveOld cleans up the old file.");
        if (status == Protocol.Retired)
            throw new MigOperationException(NotOursCode, $"{operation}: {RetiredNewFile()}");
        if (Bookkeeping.Info(target, "cutoff") is null)
            throw Phase(record.Marker is not null
                ? $"{operation}: the copy into {newPath} did not finish (no cutoff recorded). Run MigMigrate again (it copies again; the capture keeps recording), or MigReset to abandon."
                : $"{operation}: {newPath} is an unfinished copy and {oldPath} records no migration. Run MigReset (it deletes that file), then MigMigrate.");
        if (record.Marker is null && operation != "MigVerify")
            throw Phase($"{operation}: {oldPath} is not being recorded; {newPath} is left over from a migration that was reset or made offline. Run MigReset (it deletes a left-over unfinished file), then MigMigrate.");
    }

    private static MigOperationException Phase(string message) => new(WrongPhaseCode, message);

    private static SqliteConnection OpenReadOnly(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        return c;
    }
}
