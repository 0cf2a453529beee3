using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>Row counts of one table in both files.</summary>
public sealed record TableCount(string Table, long? OldRows, long? NewRows);

/// <summary>One row of the audit trail.</summary>
public sealed record AuditEntry(string At, string Operation, string SchemaHash, string Result, string Detail);

/// <summary>
/// The state of a migration (MigStatus): each file's bookkeeping, the phase it
/// adds up to, and the next thing to run. Read-only: it opens both files read-only.
/// </summary>
public sealed record StatusReport(
    string Phase,
    string Next,
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
    long? IdMappingRows,
    IReadOnlyList<TableCount> Tables,
    IReadOnlyList<AuditEntry> Audit)
{
    /// <summary>Reads the state of the pair.</summary>
    public static StatusReport Read(SchemaModel model, string hash, string oldPath, string newPath)
    {
        string? marker = null; long? logEntries = null, lastLog = null;
        var oldCounts = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var oldExists = File.Exists(oldPath);
        if (oldExists)
        {
            using var old = OpenReadOnly(oldPath);
            marker = Capture.Marker(old);
            if (Capture.TableExists(old, null, Protocol.LogTable))
            {
                logEntries = NewDatabase.Scalar(old, $"SELECT count(*) FROM {Protocol.LogTable}");
                lastLog = NewDatabase.Scalar(old, $"SELECT coalesce(max(id), 0) FROM {Protocol.LogTable}");
            }
            foreach (var t in Introspector.Tables(old)) oldCounts[t.Name] = t.RowCount;
        }
        string? status = null, newHash = null; long? cutoff = null, checkpoint = null, mapping = null;
        var newCounts = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var audit = new List<AuditEntry>();
        var newExists = File.Exists(newPath);
        if (newExists)
        {
            using var target = OpenReadOnly(newPath);
            status = NewDatabase.Status(target);
            newHash = NewDatabase.Info(target, "schema_hash");
            cutoff = ParseLong(NewDatabase.Info(target, "cutoff"));
            checkpoint = ParseLong(NewDatabase.Info(target, "checkpoint"));
            if (Capture.TableExists(target, null, NewDatabase.IdMappingTable))
                mapping = NewDatabase.Scalar(target, $"SELECT count(*) FROM {NewDatabase.IdMappingTable}");
            foreach (var t in Introspector.Tables(target)) newCounts[t.Name] = t.RowCount;
            if (Capture.TableExists(target, null, NewDatabase.AuditTable))
            {
                using var cmd = target.CreateCommand();
                cmd.CommandText = $"SELECT at, operation, schema_hash, result, detail FROM {NewDatabase.AuditTable} ORDER BY id";
                using var r = cmd.ExecuteReader();
                while (r.Read()) audit.Add(new AuditEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));
            }
        }
        long? pending = lastLog is not null && checkpoint is not null ? Math.Max(0, lastLog.Value - checkpoint.Value) : null;
        var names = model.Tables.Select(t => t.Name).Concat(oldCounts.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        var tables = names.Select(n => new TableCount(n, oldCounts.TryGetValue(n, out var o) ? o : null, newCounts.TryGetValue(n, out var c) ? c : null)).ToList();
        var (phase, next) = Decide(oldExists, marker, newExists, status, cutoff, pending);
        // The state alone cannot tell "run MigDrain" from "MigDrain stopped on a write it cannot replay".
        if (phase is not ("done" or "cut-over") && audit.Count > 0 && audit[^1].Result.StartsWith("failed", StringComparison.Ordinal))
            next = $"The last {audit[^1].Operation} {audit[^1].Result}: {audit[^1].Detail} Otherwise: {next}";
        return new StatusReport(phase, next, hash, oldPath, oldExists, marker, logEntries, lastLog, newPath, newExists, status, newHash,
            cutoff, checkpoint, pending, mapping, tables, audit);
    }

    private static (string Phase, string Next) Decide(bool oldExists, string? marker, bool newExists, string? status, long? cutoff, long? pending)
    {
        if (newExists && status == Protocol.Ready)
            return marker is null ? ("done", "Nothing to do: the new file is live" + (oldExists ? "; the old file is clean (delete or keep it)." : "."))
                                  : ("cut-over", "Move traffic to the new service; then MigArchiveOld cleans up the old file.");
        if (!oldExists) return ("no-old-database", "Set -p:MigDatabase to the live database, or run MigInit for a first database.");
        if (marker is null)
            return newExists ? ("stale-new-file", "The new file exists but the old file is not recording: run MigReset (deletes the new file), then MigMigrate.")
                             : ("none", "Run MigPlan to see what a migration would do, then MigMigrate.");
        if (!newExists) return ("broken", "The old file records writes but the new file is missing (the copy crashed early): run MigReset, then MigMigrate.");
        if (cutoff is null) return ("copy-incomplete", "The copy did not finish (the process stopped during it): run MigReset, then MigMigrate.");
        if (marker == Protocol.Recording) return ("recording", "The copy is done and writes are captured. Deploy the new service (it waits for cutover); run MigDrain when ready to switch.");
        return pending > 0 ? ("draining", $"Writes are paused and {pending} captured writes are not replayed yet: run MigDrain (it resumes where it stopped).")
                           : ("drained", "Every captured write is replayed: run MigCutover.");
    }

    /// <summary>The report for people.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"Mig status: {Phase}";
        yield return $"  schema  {SchemaHash}";
        yield return $"  old     {OldPath}{(OldExists ? "" : " (missing)")}: marker {OldMarker ?? "none"}" +
                     (LogEntries is null ? "" : $", log {LogEntries} entries (last id {LastLogId})");
        yield return $"  new     {NewPath}{(NewExists ? "" : " (missing)")}" +
                     (NewExists ? $": status {NewStatus ?? "none"}, schema {NewSchemaHash ?? "?"}, cutoff {Show(Cutoff)}, checkpoint {Show(Checkpoint)}, pending {Show(Pending)}, _id_mapping {Show(IdMappingRows)}" : "");
        foreach (var t in Tables) yield return $"  {t.Table,-28} old {Show(t.OldRows),10}   new {Show(t.NewRows),10}";
        foreach (var a in Audit) yield return $"  audit {a.At} {a.Operation}: {a.Result} {a.Detail}";
        yield return $"  next: {Next}";
    }

    /// <summary>The report as JSON for pipelines.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StatusJsonContext.Default.StatusReport);

    private static string Show(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static long? ParseLong(string? s) => s is null ? null : long.Parse(s, CultureInfo.InvariantCulture);

    private static SqliteConnection OpenReadOnly(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        return c;
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
