using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// MigCutover, phase 3 (docs/hot-migration.md): after a complete drain and a clean verification,
/// and the operator's <c>verified</c> hook (<see cref="PhaseHook.Gate"/>), the old file records the
/// handover first, then the new file turns ready in one commit.
/// </summary>
internal sealed class CutoverStep(MigrationContext pair)
{
    private readonly PhaseChecks checks = new(pair);

    /// <summary>
    /// Runs the phase. Loss that writes made while recording add (MIG0042) is cut over only with
    /// <paramref name="allowDataLoss"/>.
    /// </summary>
    public void Run(bool allowDataLoss)
    {
        checks.RequireOld();
        using var _ = OperationLock.Acquire(pair.OldPath, "MigCutover");
        var record = checks.RequirePair("MigCutover", usesSchema: true);
        if (record.Marker == Protocol.Recording)
            throw PhaseChecks.WrongPhase("The old file is still recording; run MigDrain first (it pauses writes and replays them), then MigCutover.");
        if (record.Marker is null)
            throw PhaseChecks.WrongPhase(record.Retired ? $"{pair.OldPath} is retired (MigArchiveOld ran); its migration was cut over long ago. Nothing to do." : $"{pair.OldPath} has no migration in progress; run MigMigrate first.");
        new VerifyStep(pair).Locked("MigCutover verify", allowDataLoss);
        using var target = DatabaseFile.Open(pair.NewPath);
        if (SqliteFile.JournalMode(target) != "wal")
            pair.UseWal(target, "The new file must be in WAL mode before it serves; nothing was cut over. " +
                "Close what holds the new file (nothing should serve it before cutover) and run MigCutover again.");
        // The operator's gate (a replica of the new file complete, say): a veto leaves everything as MigDrain left it.
        pair.Hook?.Gate(pair, target);
        // The old file learns first that it is handed over: from now on MigReset refuses, even if the new
        // file is later missing, moved or renamed (it may have served writes). A kill before the new file
        // commits 'ready' leaves a cutover that MigCutover finishes when run again.
        if (record.CutOverAt is null)
        {
            using var old = DatabaseFile.Open(pair.OldPath);
            Bookkeeping.SetFact(old, Protocol.OldInfoTable, OldInfoKeys.CutOverAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), null);
        }
        MarkReady(target, pair);
        Bookkeeping.Audit(target, "MigCutover", pair.Hash, "ok", "status ready");
        pair.Log($"Mig: cut over. {pair.NewPath} is ready and serves on its next call; move traffic to the new service. The old file keeps refusing writes; run MigArchiveOld to clean it up.");
    }

    /// <summary>
    /// One commit: nothing replays into the new file any more (the id mapping goes), it serves from now on, and
    /// every write it serves is captured for MigRevert (<see cref="RevertStep"/>) from its first one until MigArchiveOld.
    /// </summary>
    private static void MarkReady(SqliteConnection target, MigrationContext pair)
    {
        using var txn = target.BeginTransaction(deferred: false);
        SqliteFile.Execute(target, $"DROP TABLE IF EXISTS {Protocol.IdMappingTable}", txn);
        if (Capture.Marker(target) is null) RevertStep.InstallCapture(target, txn, pair);
        SqliteFile.Execute(target, Protocol.SetStatus(Protocol.Ready), txn);
        Bookkeeping.SetInfo(target, InfoKeys.CutOverAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
        FaultPoint.Reached(FaultPoint.Cutover);
        txn.Commit();
    }
}
