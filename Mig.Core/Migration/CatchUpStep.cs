using System.Globalization;

namespace Mig.Migration;

/// <summary>
/// MigCatchUp (docs/hot-migration.md): while the old file records, replay the backlog into the new
/// file without pausing writes, remove the replayed entries from the old file's log, and return, so
/// a long recording keeps a small backlog and MigDrain's pause stays short. The rates it measures are
/// kept in the new file for MigStatus's estimate of the pause.
/// </summary>
internal sealed class CatchUpStep(MigrationContext pair)
{
    private readonly PhaseChecks checks = new(pair);

    /// <summary>Runs the step.</summary>
    public CatchUpResult Run()
    {
        checks.RequireOld();
        using var _ = OperationLock.Acquire(pair.OldPath, "MigCatchUp");
        checks.RequirePair("MigCatchUp", usesSchema: true);
        checks.RequireCopied("MigCatchUp");
        using var target = DatabaseFile.Open(pair.NewPath);
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
        if (Capture.Marker(target, "old") is { } marker && marker != Protocol.Recording)
            throw PhaseChecks.WrongPhase($"MigCatchUp: writes on {pair.OldPath} are already paused (marker '{marker}'), and it only replays while they are recorded. " +
                // MigStatus's advice: after a drain that stopped on a write it cannot replay, "run MigDrain" would stop again.
                StatusReport.Read(pair.Model, pair.Hash, pair.OldPath, pair.NewPath, pair.Ignored).Next);
        var plan = Planner.Create(target, pair.Model, "old", analyze: false, ignored: pair.IgnoredWithRecorded(target, "old"));
        var started = DateTime.UtcNow;
        CatchUpResult result;
        using (var replayer = new Replayer(target, plan))
            result = CatchUp.Audited(target, pair, "MigCatchUp", () => new CatchUp(pair, target, replayer).Run(atLeastOnce: true));
        SqliteFile.Execute(target, "DETACH DATABASE old");
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"replayed {result.Applied} captured writes in {(DateTime.UtcNow - started).TotalSeconds:F2} s without pausing writes ({result.ReplayRate:F0}/s, the old service adding {result.WriteRate:F0}/s); {result.Pending} pending; {result.Trimmed} entries removed from the old file's log");
        Bookkeeping.Audit(target, "MigCatchUp", pair.Hash, "ok", summary);
        pair.Log("Mig: caught up: " + summary + ".");
        if (result.FallingBehind)
            pair.Log("Mig: writes outpace replay: the backlog did not shrink, so MigDrain would not pause now (MIG0064) without -p:MigForcePause=true. Drain when writes are quieter.");
        else if (CatchUp.EstimatedPause(result.Pending, result.ReplayRate, result.WriteRate) is { } pause)
            pair.Log(string.Create(CultureInfo.InvariantCulture, $"Mig: MigDrain would now pause writes for about {pause:F2} s of replay (plus its own commits). Run MigCatchUp again to stay there, MigDrain to switch."));
        return result;
    }
}
