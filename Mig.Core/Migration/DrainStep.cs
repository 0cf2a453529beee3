using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// MigDrain, phase 2 (docs/hot-migration.md): refuse writes on the old file and replay the captured
/// writes into the new one; at the end, the AUTOINCREMENT counters and the seeds. Resumable: each
/// replay batch commits with its checkpoint, and a drain run again goes on from there.
/// </summary>
internal sealed class DrainStep(MigrationContext pair)
{
    private readonly PhaseChecks checks = new(pair);

    /// <summary>Runs the phase.</summary>
    public void Run()
    {
        checks.RequireOld();
        using var _ = OperationLock.Acquire(pair.OldPath, "MigDrain");
        checks.RequirePair("MigDrain", usesSchema: true);
        checks.RequireCopied("MigDrain");
        using var target = DatabaseFile.Open(pair.NewPath);
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
        // Map before pausing writes: everything from here to the end of replay is the write-unavailable window.
        var plan = Planner.Create(target, pair.Model, "old", analyze: false, ignored: pair.IgnoredWithRecorded(target, "old"));
        if (Capture.Marker(target, "old") == Protocol.Recording)
        {
            using (var old = DatabaseFile.Open(pair.OldPath))
                Capture.StartDraining(old);
            pair.Log($"Mig: {pair.OldPath} is draining: writes are refused from now on (MigWritesPausedException in the old service).");
        }
        var started = DateTime.UtcNow;
        var applied = Replay(target, plan);
        using (var txn = target.BeginTransaction(deferred: true))
        {
            Copier.Finish(target, txn, plan, pair.Model);
            txn.Commit();
        }
        SqliteFile.Execute(target, "DETACH DATABASE old");
        Bookkeeping.Audit(target, "MigDrain", pair.Hash, "ok", $"replayed {applied} captured writes in {(DateTime.UtcNow - started).TotalSeconds:F2} s");
        pair.Log("Mig: Drain complete. Run MigCutover when ready.");
    }

    /// <summary>
    /// Replays every captured write after the checkpoint; returns how many. A refusal is recorded in
    /// the audit trail before it is thrown: MigStatus reads it there, and without it would only say
    /// "run MigDrain", which stops again.
    /// </summary>
    private long Replay(SqliteConnection target, MigrationPlan plan)
    {
        long applied;
        // Each replay commit carries its own checkpoint, so a commit that a power failure takes back is
        // replayed again from the log, which the old file keeps: in WAL mode they need no fsync of their own
        // (synchronous NORMAL keeps the file consistent, it may only lose the latest commits). The audit
        // entry of the drain commits with FULL, and its fsync makes every earlier commit durable before
        // "Drain complete" is printed. Not in rollback-journal mode, where NORMAL is weaker.
        var walOnly = SqliteFile.JournalMode(target) == "wal";
        if (walOnly) SqliteFile.Execute(target, "PRAGMA main.synchronous = NORMAL");
        try
        {
            using var replayer = new Replayer(target, plan);
            applied = replayer.Run(p => pair.Log(string.Create(CultureInfo.InvariantCulture, $"Mig: replayed {p.Applied}/{p.Pending} captured writes ({(p.Elapsed.TotalSeconds > 0 ? p.Applied / p.Elapsed.TotalSeconds : 0):F0}/s)")));
        }
        catch (MigOperationException e)
        {
            SqliteFile.Execute(target, "PRAGMA main.synchronous = FULL");
            Bookkeeping.Audit(target, "MigDrain", pair.Hash, "failed " + e.Code, e.Message);
            throw;
        }
        SqliteFile.Execute(target, "PRAGMA main.synchronous = FULL");
        return applied;
    }
}
