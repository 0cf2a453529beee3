using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// Replays captured writes while the old service keeps writing (MigCatchUp, and MigDrain before it
/// pauses writes; docs/hot-migration.md). Early replay is safe because the new file is not served
/// and each replayed row is made equal to its current old version: a row written again after its
/// batch's snapshot has a log entry above the checkpoint, which a later pass (at the latest the
/// drain's paused tail) replays. Passes of at most <see cref="PassEntries"/> entries each end with a
/// durable commit of the checkpoint and the measured rates, then the old file's log loses what is replayed.
/// <para>
/// <paramref name="revert"/>: the other way round, for MigRevert before it pauses the new file: the new
/// service's captured writes into the old file (not served during a revert). The new file's log is
/// not trimmed then: the revert's loss check (after the pause) reads every row the log names since
/// cutover, and a loss written during the catch-up would otherwise go back unseen.
/// </para>
/// </summary>
internal sealed class CatchUp(MigrationContext pair, SqliteConnection target, Replayer replayer, bool revert = false)
{
    /// <summary>MigDrain pauses writes once at most this many entries are pending: one replay batch, tens of milliseconds.</summary>
    public const long TailEntries = 1000;
    private const long PassEntries = 10_000;
    // Passes in a row whose backlog did not shrink before catch-up concludes that writes outpace replay.
    private const int Strikes = 3;

    /// <summary>
    /// Replays in passes until at most <see cref="TailEntries"/> entries are pending (at least one pass
    /// when <paramref name="atLeastOnce"/>), or until the backlog stops shrinking.
    /// </summary>
    public CatchUpResult Run(bool atLeastOnce)
    {
        var clock = Stopwatch.StartNew();
        var replaying = TimeSpan.Zero;
        long applied = 0, arrived = 0, trimmed = 0;
        var strikes = 0;
        var walOnly = SqliteFile.JournalMode(target) == "wal";
        var pending = Pending();
        double replayRate = 0, writeRate = 0;
        for (var pass = 0; (pending > TailEntries || (atLeastOnce && pass == 0 && pending > 0)) && strikes < Strikes; pass++)
        {
            var started = clock.Elapsed;
            // The checkpoint of each batch needs no fsync of its own: the pass's last commit below is
            // FULL and its fsync covers the batches before it (in WAL mode; otherwise every commit is FULL).
            if (walOnly) SqliteFile.Execute(target, "PRAGMA main.synchronous = NORMAL");
            var n = replayer.Run(_ => { }, PassEntries, FaultPoint.CatchUp);
            replaying += clock.Elapsed - started;
            applied += n;
            var now = Pending();
            arrived += Math.Max(0, now - (pending - n));
            replayRate = replaying.TotalSeconds > 0 ? applied / replaying.TotalSeconds : 0;
            writeRate = clock.Elapsed.TotalSeconds > 0 ? arrived / clock.Elapsed.TotalSeconds : 0;
            // A pass of a few entries measures its fixed costs more than replay: it keeps the rates measured before.
            var checkpoint = revert ? replayer.CommitDurably() : CommitDurably(applied >= TailEntries ? (replayRate, writeRate) : null);
            // Only what that durable commit covers leaves the old file: a crash never loses an entry
            // the new file does not hold.
            if (!revert) trimmed += LogTrimmer.Trim(pair.OldPath, checkpoint);
            if (pending > TailEntries) strikes = now >= pending ? strikes + 1 : 0;
            pending = now;
            var (served, into) = revert ? ("new", "old") : ("old", "new");
            var trim = revert ? "." : string.Create(CultureInfo.InvariantCulture, $"; {trimmed} replayed entries removed from the old file's log.");
            pair.Log(string.Create(CultureInfo.InvariantCulture,
                $"Mig: caught up {applied} captured writes into the {into} file without pausing writes ({replayRate:F0}/s); {pending} pending, the {served} service adding {writeRate:F0}/s{trim}"));
        }
        return new CatchUpResult(applied, pending, replayRate, writeRate, strikes >= Strikes, trimmed);
    }

    /// <summary>
    /// The tail replay's share of the pause MigDrain would make now, in seconds, from the rates a
    /// catch-up measured; null when it cannot tell, or would not pause (writes outpace replay).
    /// </summary>
    public static double? EstimatedPause(long? pending, double? replayRate, double? writeRate)
    {
        if (pending is null || replayRate is not > 0) return null;
        if (writeRate >= replayRate && pending > TailEntries) return null;
        return Math.Min(pending.Value, TailEntries) / replayRate.Value;
    }

    /// <summary>
    /// Runs a catch-up or replay step and records a refusal in the audit trail before it is thrown:
    /// MigStatus reads it there, and without it would only say "run it again", which stops again.
    /// </summary>
    public static T Audited<T>(SqliteConnection target, MigrationContext pair, string operation, Func<T> step, bool writesPaused = false)
    {
        try
        {
            return step();
        }
        catch (MigOperationException e)
        {
            Failed(target, pair, operation, e);
            throw;
        }
        // A captured write that breaks the new schema is a refusal like any other: in the audit trail, so that
        // MigStatus's next step starts with it instead of "run MigDrain" (which fails the same way).
        catch (SqliteException e) when (SqliteFailures.ReplayRefusal(e, writesPaused) is { } refused)
        {
            Failed(target, pair, operation, refused);
            throw refused;
        }
    }

    private static void Failed(SqliteConnection target, MigrationContext pair, string operation, MigOperationException e)
    {
        SqliteFile.Execute(target, "PRAGMA main.synchronous = FULL");
        Bookkeeping.Audit(target, operation, pair.Hash, "failed " + e.Code, e.Message);
    }

    private long Pending() =>
        SqliteFile.Scalar(target, $"SELECT count(*) FROM old.{Protocol.LogTable} WHERE id > {replayer.Checkpoint().ToString(CultureInfo.InvariantCulture)}");

    /// <summary>
    /// Records the rates (when measured over enough entries) with a FULL commit, which makes every earlier
    /// replay commit durable; returns the checkpoint it covers.
    /// </summary>
    private long CommitDurably((double Replay, double Write)? rates)
    {
        SqliteFile.Execute(target, "PRAGMA main.synchronous = FULL");
        using var txn = MainWriteTransaction.Begin(target, Protocol.InfoTable);
        if (rates is (var replay, var write))
        {
            Bookkeeping.SetInfo(target, InfoKeys.ReplayRate, replay.ToString("F0", CultureInfo.InvariantCulture), txn);
            Bookkeeping.SetInfo(target, InfoKeys.WriteRate, write.ToString("F0", CultureInfo.InvariantCulture), txn);
            Bookkeeping.SetInfo(target, InfoKeys.RatesMeasuredAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
        }
        // Without rates the commit still syncs the checkpoint: a fact rewritten with its own value.
        else Bookkeeping.SetInfo(target, InfoKeys.Checkpoint, Bookkeeping.Info(target, InfoKeys.Checkpoint, txn: txn) ?? "0", txn);
        var checkpoint = long.Parse(Bookkeeping.Info(target, InfoKeys.Checkpoint, txn: txn) ?? "0", CultureInfo.InvariantCulture);
        txn.Commit();
        return checkpoint;
    }
}
