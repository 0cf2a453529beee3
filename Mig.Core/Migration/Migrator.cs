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
public sealed class Migrator(SchemaModel model, string hash, string oldPath, string newPath, Action<string> log)
{
#pragma warning disable CS1591 // the codes are listed with their meaning in the README
    public const string WrongPhaseCode = "MIG0040";
    public const string LockedCode = "MIG0041";
    public const string DataLossCode = "MIG0042";
    public const string VerifyFailedCode = "MIG0045";
    public const string NoOldDatabaseCode = "MIG0047";
    public const string ForeignKeyCode = "MIG0048";
    public const string BusyCode = "MIG0049";
#pragma warning restore CS1591

    private const string AcceptedLossesKey = "accepted_losses";
    private readonly string oldPath = Path.GetFullPath(oldPath);
    private readonly string newPath = Path.GetFullPath(newPath);

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
        using (var old = NewDatabase.Open(oldPath))
        {
            if (NewDatabase.Status(old) == Protocol.Migrating)
                throw Phase($"{oldPath} is itself a migration's unfinished new file (status 'migrating'); it cannot be the source of another. Finish or reset that migration first.");
            if (Capture.Marker(old) is { } marker)
                throw Phase($"A migration is already in progress on {oldPath} (marker '{marker}', new file {Capture.Info(old, "new_database")}). Run MigStatus; continue with MigDrain and MigCutover, or abandon it with MigReset.");
            if (File.Exists(newPath))
                throw Phase($"{newPath} already exists. If it is a finished database of this schema, there is nothing to migrate; if it is left over, run MigReset or delete it.");
            plan = Planner.Create(old, model, "main", online: !offline);
            foreach (var line in PlanReport.Lines(plan, allowDataLoss)) log(line);
            if (plan.Errors.Count > 0)
                throw new MigOperationException(plan.Errors[0].Code, "The migration plan cannot run: " + string.Join(" ", plan.Errors.Select(e => e.Message)));
            if (plan.Losses.Count > 0 && !allowDataLoss)
                throw new MigOperationException(DataLossCode,
                    $"The plan loses data: {string.Join("; ", plan.Losses.Select(l => l.What))}. Nothing was changed. If that is intended, run again with -p:MigAllowDataLoss=true; if a column or table was renamed, declare it with [RenamedFrom].");
            if (!offline)
            {
                var journalModeBefore = NewDatabase.JournalMode(old);
                UseWal(old, "The copy needs the old file in WAL mode so that it blocks no writer; nothing was changed. " +
                    "Run MigMigrate again when no long transaction is open on the old file, or switch it yourself at a quiet moment (PRAGMA journal_mode = WAL; the old service keeps working).");
                Capture.Install(old, [.. plan.Tables.Where(t => t.Source is not null).Select(t => t.Source!)], newPath, hash, journalModeBefore);
                log($"Mig: capturing writes on {oldPath} (marker '{Protocol.Recording}').");
            }
        }

        var building = offline ? Path.Combine(Path.GetDirectoryName(newPath)!, $".{Path.GetFileName(newPath)}.{Environment.ProcessId}.tmp") : newPath;
        var done = false;
        try
        {
            using (var target = NewDatabase.Open(building, create: true))
            {
                Copier.CreateSchema(target, model, hash, oldPath);
                // What the operator accepted to lose, so cutover can tell it from losses that writes made while recording add.
                if (plan.Losses.Count > 0)
                    NewDatabase.SetInfo(target, AcceptedLossesKey, string.Join("\n", plan.Losses.Select(Verifier.LossKey).Distinct()));
                NewDatabase.Execute(target, $"ATTACH DATABASE {Capture.Literal(oldPath)} AS old");
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
                        NewDatabase.Execute(target, $"DROP TABLE {NewDatabase.IdMappingTable}", txn);
                        NewDatabase.Execute(target, $"UPDATE {Protocol.StatusTable} SET status = '{Protocol.Ready}' WHERE id = 0", txn);
                    }
                    NewDatabase.Audit(target, offline ? "MigMigrate offline" : "MigMigrate", hash, "ok",
                        $"copied about {rows} rows from {oldPath} in {(DateTime.UtcNow - started).TotalSeconds:F1} s; cutoff {cutoff}", txn);
                });
                if (violations.Count > 0)
                    throw new MigOperationException(ForeignKeyCode,
                        $"The copied data breaks foreign keys of the new schema: {string.Join("; ", violations)}. Nothing was committed to the new file. Fix the data in the old file or the schema; then MigReset and MigMigrate again.");
                NewDatabase.Execute(target, "DETACH DATABASE old");
                var clock = Stopwatch.StartNew();
                if (offline)
                    NewDatabase.UseWal(target, BusyPatience);
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
            var code = e.Message.Contains("NOT NULL", StringComparison.Ordinal) ? Planner.NotNullWithoutDefaultCode : Planner.DuplicateKeyCode;
            throw new MigOperationException(code,
                $"The copy breaks a constraint of the new schema ({e.Message}); nothing was committed to the new file. " +
                (offline ? "The old file is untouched. Run MigPlan to see which rows, fix them in the old file or change the schema, then MigMigrate again."
                         : "Rows written after the plan break it. Run MigReset (the old file takes writes as before), MigPlan to see which rows, fix them or the schema, then MigMigrate again."), e);
        }
        finally
        {
            if (!done && offline) NewDatabase.Delete(building);
        }
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
            NewDatabase.UseWal(target, BusyPatience);
        }
        catch (MigOperationException e) when (e.Code == BusyCode)
        {
            log($"Mig: warning: {e.Message} The copy is committed; the new file stays in journal mode '{NewDatabase.JournalMode(target)}' until MigCutover switches it to WAL.");
        }
    }

    /// <summary>Switches a file to WAL, or throws MIG0049 with what the caller's operation needs to say.</summary>
    private void UseWal(SqliteConnection c, string consequence)
    {
        try
        {
            NewDatabase.UseWal(c, BusyPatience);
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
        RequireCopied("MigDrain");
        using var target = NewDatabase.Open(newPath);
        NewDatabase.Execute(target, $"ATTACH DATABASE {Capture.Literal(oldPath)} AS old");
        // Map before pausing writes: everything from here to the end of replay is the write-unavailable window.
        var plan = Planner.Create(target, model, "old", analyze: false);
        if (Capture.Marker(target, "old") == Protocol.Recording)
        {
            using (var old = NewDatabase.Open(oldPath))
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
        var walOnly = NewDatabase.JournalMode(target) == "wal";
        if (walOnly) NewDatabase.Execute(target, "PRAGMA main.synchronous = NORMAL");
        try
        {
            using var replayer = new Replayer(target, plan);
            applied = replayer.Run(p => log(string.Create(CultureInfo.InvariantCulture, $"Mig: replayed {p.Applied}/{p.Pending} captured writes ({(p.Elapsed.TotalSeconds > 0 ? p.Applied / p.Elapsed.TotalSeconds : 0):F0}/s)")));
        }
        catch (MigOperationException e)
        {
            // MigStatus reads the audit trail: without this it would only say "run MigDrain", which stops again.
            NewDatabase.Execute(target, "PRAGMA main.synchronous = FULL");
            NewDatabase.Audit(target, "MigDrain", hash, "failed " + e.Code, e.Message);
            throw;
        }
        NewDatabase.Execute(target, "DETACH DATABASE old");
        NewDatabase.Execute(target, "PRAGMA main.synchronous = FULL");
        NewDatabase.Audit(target, "MigDrain", hash, "ok", $"replayed {applied} captured writes in {(DateTime.UtcNow - started).TotalSeconds:F2} s");
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
        return VerifyLocked("MigVerify", allowDataLoss);
    }

    private VerifyResult VerifyLocked(string operation, bool allowDataLoss)
    {
        RequireCopied(operation);
        using var target = NewDatabase.Open(newPath);
        NewDatabase.Execute(target, $"ATTACH DATABASE {Capture.Literal(oldPath)} AS old");
        // Analysed: the losses are those of the old file as it is now, writes made while recording included.
        var plan = Planner.Create(target, model, "old", analyze: true);
        var online = Capture.Marker(target, "old") is not null;
        var accepted = (NewDatabase.Info(target, AcceptedLossesKey) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = Verifier.Run(target, plan, model, online, accepted);
        NewDatabase.Execute(target, "DETACH DATABASE old");
        foreach (var t in result.Tables)
            log($"Mig: verify {t.Table}: old {t.OldRows} rows, new {t.NewRows} rows{(t.Missing + t.Different == 0 ? ", content equal" : $", {t.Missing} missing/changed, {t.Different} extra")}");
        if (allowDataLoss && result.Losses.Count > 0)
        {
            foreach (var l in result.Losses) log($"Mig: DATA LOSS accepted by -p:MigAllowDataLoss=true: {l.What}");
            result = result with { Losses = [] };
        }
        var failure = result.DuplicateKeys.Count > 0 ? Planner.DuplicateKeyCode : result.OnlyLosses ? DataLossCode : VerifyFailedCode;
        NewDatabase.Audit(target, operation, hash, result.Ok ? "ok" : $"failed {failure}", string.Join("; ", result.Problems()));
        if (result.DuplicateKeys.Count > 0)
            throw new MigOperationException(Planner.DuplicateKeyCode,
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
        using (var old = NewDatabase.Open(oldPath))
        {
            var marker = Capture.Marker(old);
            if (marker == Protocol.Recording)
                throw Phase("The old file is still recording; run MigDrain first (it pauses writes and replays them), then MigCutover.");
            if (marker is null)
                throw Phase($"{oldPath} has no migration in progress; run MigMigrate first.");
        }
        VerifyLocked("MigCutover verify", allowDataLoss);
        using var target = NewDatabase.Open(newPath);
        if (NewDatabase.JournalMode(target) != "wal")
            UseWal(target, "The new file must be in WAL mode before it serves; nothing was cut over. " +
                "Close what holds the new file (nothing should serve it before cutover) and run MigCutover again.");
        using (var txn = target.BeginTransaction(deferred: false))
        {
            NewDatabase.Execute(target, $"DROP TABLE IF EXISTS {NewDatabase.IdMappingTable}", txn);
            NewDatabase.Execute(target, $"UPDATE {Protocol.StatusTable} SET status = '{Protocol.Ready}' WHERE id = 0", txn);
            NewDatabase.SetInfo(target, "cut_over_at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
            FaultPoint.Reached(FaultPoint.Cutover);
            txn.Commit();
        }
        NewDatabase.Audit(target, "MigCutover", hash, "ok", "status ready");
        log($"Mig: cut over. {newPath} is ready and serves on its next call; move traffic to the new service. The old file keeps refusing writes; run MigArchiveOld to clean it up.");
    }

    /// <summary>Abandons a migration that has not cut over: the old file as it was, the new file gone.</summary>
    public void Reset()
    {
        RequireOld();
        using var _ = OperationLock.Acquire(oldPath, "MigReset");
        if (File.Exists(newPath))
        {
            using var target = NewDatabase.Open(newPath);
            if (NewDatabase.Status(target) == Protocol.Ready)
                throw Phase($"{newPath} is cut over and ready; MigReset would discard the live database. To go back, restore from a backup; to clean up the old file, run MigArchiveOld.");
        }
        string? journal = null;
        using (var old = NewDatabase.Open(oldPath))
        {
            if (Capture.Marker(old) is not null)
            {
                var before = Capture.Info(old, "journal_mode_before");
                Capture.Remove(old);
                if (before is not null && before != "wal") journal = RestoreJournalMode(old, before);
            }
        }
        NewDatabase.Delete(newPath);
        log($"Mig: reset. {oldPath} is as the old service expects (no capture, writes allowed){journal}; {newPath} is deleted.");
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

    /// <summary>After cutover: take Mig's bookkeeping out of the old file, or move the old file to <paramref name="archiveTo"/>.</summary>
    public void ArchiveOld(string? archiveTo)
    {
        RequireOld();
        using (var _ = OperationLock.Acquire(oldPath, "MigArchiveOld"))
        {
            if (!File.Exists(newPath))
                throw Phase($"{newPath} does not exist; there is nothing to archive for.");
            using (var target = NewDatabase.Open(newPath))
            {
                if (NewDatabase.Status(target) != Protocol.Ready)
                    throw Phase("The migration has not cut over; MigArchiveOld runs after MigCutover (to abandon a migration, run MigReset).");
            }
            using (var old = NewDatabase.Open(oldPath))
            {
                if (Capture.Marker(old) is not null) Capture.Remove(old);
                // Retired: a service still pointed at it refuses every call instead of
                // writing where nobody reads, and it is never taken for the live file again.
                NewDatabase.Execute(old, $"CREATE TABLE IF NOT EXISTS {Protocol.StatusTable}(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL)");
                NewDatabase.Execute(old, $"INSERT INTO {Protocol.StatusTable}(id, status) VALUES (0, '{Protocol.Retired}') ON CONFLICT(id) DO UPDATE SET status = excluded.status");
                NewDatabase.Execute(old, "PRAGMA wal_checkpoint(TRUNCATE)");
            }
            SqliteConnection.ClearAllPools();
            string detail;
            if (!string.IsNullOrEmpty(archiveTo))
            {
                var dest = Directory.Exists(archiveTo) ? Path.Combine(archiveTo, Path.GetFileName(oldPath)) : Path.GetFullPath(archiveTo);
                File.Move(oldPath, dest, overwrite: false);
                foreach (var f in new[] { oldPath + "-wal", oldPath + "-shm" }) if (File.Exists(f)) File.Delete(f);
                detail = $"moved {oldPath} to {dest}";
            }
            else detail = $"removed the capture from {oldPath} and marked it retired";
            using (var target = NewDatabase.Open(newPath)) NewDatabase.Audit(target, "MigArchiveOld", hash, "ok", detail);
            log($"Mig: {detail}.");
        }
        if (!string.IsNullOrEmpty(archiveTo))
            foreach (var f in new[] { oldPath + ".miglock", oldPath + ".miglock.info" }) if (File.Exists(f)) File.Delete(f);
    }

    /// <summary>The state of both files and what to run next.</summary>
    public StatusReport Status() => StatusReport.Read(model, hash, oldPath, newPath);

    private void RequireOld()
    {
        if (!File.Exists(oldPath))
            throw new MigOperationException(NoOldDatabaseCode, $"The old database {oldPath} does not exist. Set -p:MigDatabase=<path> to the live database (for a first database, run MigInit).");
    }

    private void RequireCopied(string operation)
    {
        if (!File.Exists(newPath))
            throw Phase($"{operation}: there is no new file {newPath}; run MigMigrate first.");
        using var target = NewDatabase.Open(newPath);
        var status = NewDatabase.Status(target);
        if (status == Protocol.Ready)
            throw Phase($"{operation}: {newPath} is already cut over (status 'ready'); nothing to do. MigArchiveOld cleans up the old file.");
        if (NewDatabase.Info(target, "cutoff") is null)
            throw Phase($"{operation}: the copy into {newPath} did not finish (no cutoff recorded). Run MigReset, then MigMigrate again.");
        using var old = NewDatabase.Open(oldPath);
        if (Capture.Marker(old) is null && operation != "MigVerify")
            throw Phase($"{operation}: {oldPath} is not being recorded; the new file was not made by an online MigMigrate from it. Run MigReset, then MigMigrate.");
    }

    private static MigOperationException Phase(string message) => new(WrongPhaseCode, message);

    private static SqliteConnection OpenReadOnly(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        return c;
    }
}
