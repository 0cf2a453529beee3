using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// MigDrain, phase 2 (docs/hot-migration.md): first catch up without pausing (<see cref="CatchUp"/>)
/// until the backlog is a short tail, then refuse writes on the old file and replay that tail into
/// the new one; at the end, the AUTOINCREMENT counters and the seeds. When writes outpace replay it
/// refuses to pause (MIG0064) unless told to. Resumable: each replay batch commits with its
/// checkpoint, and a drain run again goes on from there.
/// </summary>
internal sealed class DrainStep(MigrationContext pair)
{
    private readonly PhaseChecks checks = new(pair);

    /// <summary>
    /// Runs the phase; <paramref name="forcePause"/> pauses even when writes outpace replay;
    /// <paramref name="cutoverNext"/> when MigSwitch cuts over right after (only the last line differs).
    /// </summary>
    public void Run(bool forcePause = false, bool cutoverNext = false)
    {
        checks.RequireOld();
        using var _ = OperationLock.Acquire(pair.OldPath, "MigDrain");
        checks.RequirePair("MigDrain", usesSchema: true);
        checks.RequireCopied("MigDrain");
        using var target = DatabaseFile.Open(pair.NewPath);
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
        // Map before pausing writes: everything from the pause to the end of replay is the write-unavailable window.
        var plan = Planner.Create(target, pair.Model, "old", analyze: false, ignored: pair.IgnoredWithRecorded(target, "old"));
        long applied = 0;
        var started = DateTime.UtcNow;
        using (var replayer = new Replayer(target, plan))
        {
            if (Capture.Marker(target, "old") == Protocol.Recording)
            {
                // Before the catch-up, whose last passes then take in what was written while this scanned.
                CatchUp.Audited(target, pair, "MigDrain", () => { RequireNewKeysUnique(target); return 0; });
                applied += CatchUpFirst(target, replayer, forcePause);
                using (var old = DatabaseFile.Open(pair.OldPath))
                    Capture.StartDraining(old);
                pair.Log($"Mig: {pair.OldPath} is draining: writes are refused from now on (MigWritesPausedException in the old service).");
            }
            applied += CatchUp.Audited(target, pair, "MigDrain", () => Replay(target, replayer), writesPaused: true);
        }
        using (var txn = MainWriteTransaction.Begin(target, Protocol.InfoTable))
        {
            Copier.Finish(target, txn, plan, pair.Model);
            txn.Commit();
        }
        SqliteFile.Execute(target, "DETACH DATABASE old");
        Bookkeeping.Audit(target, "MigDrain", pair.Hash, "ok", $"replayed {applied} captured writes in {(DateTime.UtcNow - started).TotalSeconds:F2} s");
        pair.Log(cutoverNext ? "Mig: Drain complete. Cutting over (MigSwitch)." : "Mig: Drain complete. Run MigCutover when ready.");
    }

    /// <summary>
    /// Replays while the old service still writes, until the tail is short; refuses (MIG0064, writes
    /// not paused, the replay so far kept) when writes outpace replay, unless <paramref name="forcePause"/>.
    /// </summary>
    private long CatchUpFirst(SqliteConnection target, Replayer replayer, bool forcePause)
    {
        var caught = CatchUp.Audited(target, pair, "MigDrain", () => new CatchUp(pair, target, replayer).Run(atLeastOnce: false));
        if (!caught.FallingBehind)
        {
            pair.Log($"Mig: {caught.Pending} captured writes pending: pausing writes on {pair.OldPath} (after the write in flight, if any).");
            return caught.Applied;
        }
        var rates = string.Create(CultureInfo.InvariantCulture,
            $"the old service adds {caught.WriteRate:F0} captured writes/s and replay follows at {caught.ReplayRate:F0}/s; {caught.Pending} are pending");
        var pause = caught.ReplayRate > 0 ? string.Create(CultureInfo.InvariantCulture, $"about {caught.Pending / caught.ReplayRate:F1} s") : "as long as replaying them takes";
        if (forcePause)
        {
            pair.Log($"Mig: writes outpace replay ({rates}); pausing anyway (forced): the pause lasts {pause}.");
            return caught.Applied;
        }
        var e = new MigOperationException(MigCode.WritesOutpaceReplay,
            $"MigDrain did not pause writes: {rates}, and the backlog stopped shrinking. The replay so far is kept and the old service writes as before. " +
            $"Run MigDrain when writes are quieter (MigCatchUp meanwhile keeps the backlog small), or pause now with -p:MigForcePause=true (mig drain --force-pause): writes are then refused for {pause}.");
        Bookkeeping.Audit(target, "MigDrain", pair.Hash, "failed " + e.Code, e.Message);
        throw e;
    }

    /// <summary>
    /// Refuses (MIG0053) before the pause when writes made while recording repeat a value of a key the new schema makes
    /// unique: MigCutover could never take the pair, so pausing would only cost the old service its writes. The same
    /// check as the cutover's verification; it stays the backstop for a repeat written between this check and the pause
    /// (this one runs before the catch-up, so the pause's tail does not grow by the time it takes).
    /// </summary>
    private void RequireNewKeysUnique(SqliteConnection target)
    {
        var plan = Planner.Create(target, pair.Model, "old", analyze: true, ignored: pair.IgnoredWithRecorded(target, "old"));
        var repeats = plan.Errors.Where(e => e.Code == MigCode.DuplicateKey).Select(e => e.Finding ?? e.Message).ToList();
        if (repeats.Count == 0) return;
        throw new MigOperationException(MigCode.DuplicateKey,
            $"Writes made while the migration recorded repeat values of a key the new schema makes unique: {string.Join("; ", repeats)}. " +
            "The new file cannot hold both rows and Mig does not choose which survives, so MigCutover could not take this migration: writes were not paused. " +
            "Run MigReset (the old file keeps every write), make those rows unique in the old file (or drop the key from the schema), then MigMigrate again.");
    }

    /// <summary>Replays every captured write after the checkpoint with writes paused; returns how many.</summary>
    private long Replay(SqliteConnection target, Replayer replayer)
    {
        // Each replay commit carries its own checkpoint, so a commit that a power failure takes back is
        // replayed again from the log, which the old file keeps: in WAL mode they need no fsync of their own
        // (synchronous NORMAL keeps the file consistent, it may only lose the latest commits). The audit
        // entry of the drain commits with FULL, and its fsync makes every earlier commit durable before
        // "Drain complete" is printed. Not in rollback-journal mode, where NORMAL is weaker.
        var walOnly = SqliteFile.JournalMode(target) == "wal";
        if (walOnly) SqliteFile.Execute(target, "PRAGMA main.synchronous = NORMAL");
        var applied = replayer.Run(p => pair.Log(string.Create(CultureInfo.InvariantCulture, $"Mig: replayed {p.Applied}/{p.Pending} captured writes ({(p.Elapsed.TotalSeconds > 0 ? p.Applied / p.Elapsed.TotalSeconds : 0):F0}/s)")));
        SqliteFile.Execute(target, "PRAGMA main.synchronous = FULL");
        return applied;
    }
}
