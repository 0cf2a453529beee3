using System.Globalization;
using System.Text.Json;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// The state of a migration (MigStatus): each file's bookkeeping, the phase it
/// adds up to, and the next thing to run. It reports on the pair the old file records (the
/// operations act on that pair), and says so when the caller named another new file or schema.
/// It opens both files read-only, except to let SQLite roll back a killed writer's hot journal
/// (<see cref="DatabaseFile.OpenForReading"/>), so it answers after a kill at any point.
/// </summary>
internal sealed record StatusReport(
    string Phase,
    string Next,
    string? Live,
    string SchemaHash,
    string OldPath,
    bool OldExists,
    string? OldMarker,
    long? LogEntries,
    long? LastLogId,
    string NewPath,
    bool NewExists,
    string? NewStatus,
    string? NewSchemaHash,
    long? Cutoff,
    long? Checkpoint,
    long? Pending,
    double? ReplayRate,
    double? WriteRate,
    double? EstimatedPauseSeconds,
    long? IdMappingRows,
    string? CutOverAt,
    IReadOnlyList<TableCount> Tables,
    IReadOnlyList<AuditEntry> Audit)
{
    /// <summary>Reads the state of the pair; tables of other tools (<paramref name="ignored"/>, and those recorded) are not counted.</summary>
    public static StatusReport Read(SchemaModel model, string hash, string oldPath, string newPath, IgnoredTables? ignored = null)
    {
        string? marker = null; long? logEntries = null, lastLog = null;
        RecordedPair? record = null;
        var oldCounts = new Dictionary<string, long>(SqlNameComparer.Instance);
        var oldExists = File.Exists(oldPath);
        var notes = new List<string>();
        if (oldExists)
        {
            oldPath = PathResolver.Resolve(oldPath);
            using var old = DatabaseFile.OpenForReading(oldPath);
            record = RecordedPair.Read(old);
            marker = record.Marker;
            if (SqliteFile.TableExists(old, null, Protocol.LogTable))
            {
                logEntries = SqliteFile.Scalar(old, $"SELECT count(*) FROM {Protocol.LogTable}");
                lastLog = SqliteFile.Scalar(old, $"SELECT coalesce(max(id), 0) FROM {Protocol.LogTable}");
            }
            ignored = (ignored ?? IgnoredTables.Default).With(Capture.RecordedIgnored(old));
            foreach (var t in Introspector.Tables(old, ignored: ignored)) oldCounts[t.Name] = t.RowCount;
            if (record.NewDatabase is { } recorded && !PathResolver.Same(recorded, newPath))
            {
                notes.Add($"{oldPath} records {recorded} as its new file, not {newPath}; this report is about the recorded pair, and operations naming {newPath} are refused (MIG0044).");
                newPath = recorded;
            }
            if (record.SchemaHash is { } h && h != hash && marker is not null)
                notes.Add($"The migration builds schema {h}; this checkout's schema is {hash}: MigMigrate, MigDrain, MigVerify and MigCutover refuse here (MIG0044), run them from a checkout of {h}. " +
                          "MigStatus, MigReset (before cutover) and MigArchiveOld (after) work from any checkout.");
        }
        newPath = PathResolver.Resolve(newPath);
        var newExists = File.Exists(newPath);
        var (status, newHash, newOld, cutoff, checkpoint, mapping, newCounts, audit) = newExists ? ReadNew(newPath, ignored ?? IgnoredTables.Default) : NewFile.Missing;
        long? pending = lastLog is not null && checkpoint is not null ? Math.Max(0, lastLog.Value - checkpoint.Value) : null;
        var (replayRate, writeRate) = newExists ? ReadRates(newPath) : (null, null);
        // While recording: the pause MigDrain would make; once paused there is no estimate to make.
        var pause = marker == Protocol.Recording ? CatchUp.EstimatedPause(pending, replayRate, writeRate) : null;
        var names = model.Tables.Select(t => t.Name).Concat(oldCounts.Keys).Distinct(SqlNameComparer.Instance).Order(StringComparer.Ordinal);
        var tables = names.Select(n => new TableCount(n, oldCounts.TryGetValue(n, out var o) ? o : null, newCounts.TryGetValue(n, out var c) ? c : null)).ToList();
        var fromThisOld = newOld is null || PathResolver.Same(newOld, oldPath);
        // A revert records its start before it pauses the new file: a kill in between leaves the new file taking writes.
        var newPaused = newExists && status == Protocol.Ready && record?.RevertStartedAt is not null && NewMarker(newPath) == Protocol.Draining;
        var (phase, next) = Decide(oldPath, newPath, oldExists, record, newExists, status, newOld, fromThisOld, cutoff, pending, newPaused);
        // The state alone cannot tell "run MigDrain" from "MigDrain stopped on a write it cannot replay".
        if (phase is not ("done" or "cut-over" or "new-path-taken") && audit.Count > 0 && audit[^1].Result.StartsWith("failed", StringComparison.Ordinal))
            next = $"The last {audit[^1].Operation} {audit[^1].Result}: {audit[^1].Detail} Otherwise: {next}";
        if (notes.Count > 0) next = string.Join(" ", notes) + " " + next;
        return new StatusReport(phase, next, LiveFile(phase, status, oldPath, oldExists, newPath), hash, oldPath, oldExists, marker, logEntries, lastLog, newPath, newExists, status, newHash,
            cutoff, checkpoint, pending, replayRate, writeRate, pause, mapping, record?.CutOverAt, tables, audit)
        {
            RevertLog = newExists && status == Protocol.Ready ? ReadRevertLog(newPath) : null,
        };
    }

    /// <summary>
    /// After cutover, until MigArchiveOld: how many writes the new file has captured for MigRevert (null when it captures none).
    /// </summary>
    public long? RevertLog { get; init; }

    private static long? ReadRevertLog(string newPath)
    {
        using var target = DatabaseFile.OpenForReading(newPath);
        return RevertStep.Captures(target) && SqliteFile.TableExists(target, null, Protocol.LogTable)
            ? SqliteFile.Scalar(target, $"SELECT count(*) FROM {Protocol.LogTable}")
            : null;
    }

    /// <summary>What the new file says of itself: its bookkeeping, row counts and audit trail.</summary>
    private sealed record NewFile(string? Status, string? SchemaHash, string? OldDatabase, long? Cutoff, long? Checkpoint, long? IdMappingRows,
        Dictionary<string, long> Counts, List<AuditEntry> Audit)
    {
        public static NewFile Missing => new(null, null, null, null, null, null, new(SqlNameComparer.Instance), []);
    }

    /// <summary>The rates the last catch-up measured, or nulls when none ran.</summary>
    private static (double? Replay, double? Write) ReadRates(string newPath)
    {
        using var target = DatabaseFile.OpenForReading(newPath);
        return (ParseDouble(Bookkeeping.Info(target, InfoKeys.ReplayRate)), ParseDouble(Bookkeeping.Info(target, InfoKeys.WriteRate)));
    }

    /// <summary>The new file's capture marker ('revertible', or 'draining' while a revert pauses its writes).</summary>
    private static string? NewMarker(string newPath)
    {
        using var target = DatabaseFile.OpenForReading(newPath);
        return Capture.Marker(target);
    }

    private static NewFile ReadNew(string newPath, IgnoredTables ignored)
    {
        long? mapping = null;
        var counts = new Dictionary<string, long>(SqlNameComparer.Instance);
        var audit = new List<AuditEntry>();
        using var target = DatabaseFile.OpenForReading(newPath);
        var status = Bookkeeping.Status(target);
        var hash = Bookkeeping.Info(target, InfoKeys.SchemaHash);
        var old = Bookkeeping.Info(target, InfoKeys.OldDatabase);
        var cutoff = ParseLong(Bookkeeping.Info(target, InfoKeys.Cutoff));
        var checkpoint = ParseLong(Bookkeeping.Info(target, InfoKeys.Checkpoint));
        if (SqliteFile.TableExists(target, null, Protocol.IdMappingTable))
            mapping = SqliteFile.Scalar(target, $"SELECT count(*) FROM {Protocol.IdMappingTable}");
        foreach (var t in Introspector.Tables(target, ignored: ignored)) counts[t.Name] = t.RowCount;
        if (SqliteFile.TableExists(target, null, Protocol.AuditTable))
        {
            using var cmd = target.CreateCommand();
            cmd.CommandText = $"SELECT at, operation, schema_hash, result, detail FROM {Protocol.AuditTable} ORDER BY id";
            using var r = cmd.ExecuteReader();
            while (r.Read()) audit.Add(new AuditEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));
        }
        return new NewFile(status, hash, old, cutoff, checkpoint, mapping, counts, audit);
    }

    private static (string Phase, string Next) Decide(string oldPath, string newPath, bool oldExists, RecordedPair? record, bool newExists,
        string? status, string? newOld, bool fromThisOld, long? cutoff, long? pending, bool newPaused)
    {
        var marker = record?.Marker;
        var cutOverAt = record?.CutOverAt;
        if (record?.RevertTo is { } revertTo)
            return ("revertible", $"{oldPath} is the live new file of a migration from {revertTo}, which MigRevert can still revert. To migrate this file again, end that migration first: MigArchiveOld -p:MigDatabase={revertTo}.");
        // The file named as old is this schema's own (-p:MigDatabase names it, or a folder holds only it): nothing to migrate, whatever it was built from.
        if (newExists && status == Protocol.Ready && marker is null && PathResolver.Same(oldPath, newPath))
            return ("done", $"Nothing to do: {newPath} is this schema's database, and it is live.");
        // A file at the new path that no migration of this old file made: name it, never advise deleting it.
        if (newExists && status == Protocol.Retired)
            return ("new-path-taken", $"{newPath} is a retired database (an old file MigArchiveOld retired after an earlier cutover) and takes this schema's file name. " +
                "Mig neither overwrites nor deletes it: move it away (keep it as a backup) or choose another -p:MigNewDatabase, then MigMigrate.");
        // Only against an old file that is there: with none (archived, or none found), a ready new file is simply live.
        if (newExists && oldExists && !fromThisOld)
            return ("new-path-taken", $"{newPath} was built from {newOld}, not from {oldPath}; Mig neither overwrites nor deletes it. " +
                $"For that migration, run MigStatus -p:MigDatabase={newOld}; to migrate {oldPath}, " +
                (marker is null ? "choose another -p:MigNewDatabase." : "move that file away (then MigMigrate copies again), or abandon with MigReset."));
        if (newExists && status == Protocol.Reverted)
            return marker is not null
                ? ("reverting", $"MigRevert took {newPath} out of service but was stopped before {oldPath} took writes again: run MigRevert again to finish (MigReset no longer applies).")
                : ("reverted", $"Nothing to do: {oldPath} is live again and {newPath} is out of service (status 'reverted'), kept as the revert left it. Move it away before migrating to its schema again.");
        if (newExists && status == Protocol.Ready && record?.RevertStartedAt is not null && marker is not null)
            return ("reverting", newPaused
                ? $"A revert is in progress (since {record.RevertStartedAt}): writes to {newPath} are paused. Run MigRevert again to finish it, or MigReset to cancel it (the new file takes writes again)."
                : $"A revert started at {record.RevertStartedAt} but stopped before it paused writes: {newPath} still takes writes and serves. Run MigRevert again to resume it (it pauses writes, then writes them back), or MigReset to cancel it.");
        if (newExists && status == Protocol.Ready)
            return marker is null ? ("done", "Nothing to do: the new file is live" + (!oldExists ? "." : record?.Retired == true ? "; the old file is retired (delete or keep it)." : "; the old file is clean (delete or keep it)."))
                                  : ("cut-over", "Move traffic to the new service; then MigArchiveOld cleans up the old file (and ends the possibility to revert). To go back to the old file with what the new file served since cutover, run MigRevert.");
        if (!oldExists) return ("no-old-database", "Set -p:MigDatabase to the live database, or run MigInit for a first database.");
        if (marker is null)
            return newExists ? ("stale-new-file", "The new file is an unfinished copy of this old file, which records no migration any more (a MigReset that stopped half-way): run MigReset (it deletes that file), then MigMigrate.")
                             : ("none", "Run MigPlan to see what a migration would do, then MigMigrate.");
        if (cutOverAt is not null && !newExists)
            return ("new-file-missing", $"The old file records a cutover to {newPath} at {cutOverAt}, but that file is missing: put it back where it was (it may have been moved or renamed). " +
                "The old file stays paused; MigReset does not apply after a cutover (the new file may have served writes).");
        if (!newExists) return ("broken", "The old file records writes but the new file is missing (MigMigrate stopped before it copied): run MigMigrate again (it copies; the capture stays, so writes made meanwhile are kept), or MigReset to abandon.");
        if (cutoff is null) return ("copy-incomplete", "The copy did not finish (MigMigrate was stopped or failed during it; no cutoff): run MigMigrate again (it deletes the unfinished copy and copies again; the capture keeps recording), or MigReset to abandon.");
        if (marker == Protocol.Recording) return ("recording", "The copy is done and writes are captured. Deploy the new service (it waits for cutover); run MigDrain when ready to switch.");
        if (cutOverAt is not null)
            return (pending > 0 ? "draining" : "drained", $"MigCutover was interrupted after the old file recorded it ({cutOverAt}): run MigCutover again to finish it. MigReset no longer applies.");
        return pending > 0 ? ("draining", $"Writes are paused and {pending} captured writes are not replayed yet: run MigDrain (it resumes where it stopped).")
                           : ("drained", "Every captured write is replayed: run MigCutover.");
    }

    /// <summary>
    /// The file the service should use now, and so the replica to restore: the new file once it is
    /// ready (cut over, done, archived), and also when the old file records a cutover to it that is
    /// missing now (it must be put back), and while a revert has not taken it out of service yet; otherwise the old
    /// file, which stays the live one through recording, draining, a vetoed or unfinished cutover, after MigReset
    /// and once a revert took the new file out of service. Null when neither is.
    /// </summary>
    private static string? LiveFile(string phase, string? status, string oldPath, bool oldExists, string newPath) =>
        phase is "cut-over" or "done" or "new-file-missing" || (phase == "reverting" && status == Protocol.Ready) ? newPath : oldExists ? oldPath : null;

    /// <summary>The report for people.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"Mig status: {Phase}";
        yield return $"  schema  {SchemaHash}";
        yield return $"  old     {OldPath}{(OldExists ? "" : " (missing)")}: marker {OldMarker ?? "none"}" +
                     (LogEntries is null ? "" : $", log {LogEntries} entries (last id {LastLogId})") + (CutOverAt is null ? "" : $", cut over at {CutOverAt}");
        yield return $"  new     {NewPath}{(NewExists ? "" : " (missing)")}" +
                     (NewExists ? $": status {NewStatus ?? "none"}, schema {NewSchemaHash ?? "?"}, cutoff {Show(Cutoff)}, checkpoint {Show(Checkpoint)}, pending {Show(Pending)}, _id_mapping {Show(IdMappingRows)}" : "");
        yield return $"  live    {Live ?? "none (no database to serve from)"}";
        if (OldMarker == Protocol.Recording && Pending is not null) yield return "  catch-up " + CatchUpLine();
        if (RevertLog is { } revert) yield return $"  revert  {revert} writes of the new file captured since cutover (MigRevert writes them back into the old file; MigArchiveOld ends this)";
        foreach (var t in Tables) yield return $"  {t.Table,-28} old {Show(t.OldRows),10}   new {Show(t.NewRows),10}";
        foreach (var a in Audit) yield return $"  audit {a.At} {a.Operation}: {a.Result} {a.Detail}";
        yield return $"  next: {Next}";
    }

    private string CatchUpLine()
    {
        if (ReplayRate is null) return $"{Pending} pending; replay rate not measured yet (MigCatchUp measures it and keeps the backlog small)";
        var rates = string.Create(CultureInfo.InvariantCulture, $"{Pending} pending; replay {ReplayRate:F0}/s, the old service adding {WriteRate ?? 0:F0}/s at the last catch-up");
        return EstimatedPauseSeconds is { } pause
            ? rates + string.Create(CultureInfo.InvariantCulture, $"; MigDrain would pause writes for about {pause:F2} s of replay (plus its own commits)")
            : rates + "; writes outpaced replay: MigDrain would not pause (MIG0064) without -p:MigForcePause=true";
    }

    /// <summary>The report as JSON for pipelines.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StatusJsonContext.Default.StatusReport);

    private static string Show(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static long? ParseLong(string? s) => s is null ? null : long.Parse(s, CultureInfo.InvariantCulture);

    private static double? ParseDouble(string? s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
