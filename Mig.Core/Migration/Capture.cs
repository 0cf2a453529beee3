using System.Text;
using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// The old file's side of a hot migration: the marker, the log, and triggers
/// that append the full row image of every write to the log inside the
/// writer's own transaction, so every writer is captured, Mig's runtime or not
/// (hot-migration.md, rule 1). Guards refuse writes while draining. Everything
/// here is named <c>_mig*</c> and <see cref="Remove"/> takes it all away again.
/// </summary>
public static class Capture
{
    /// <summary>Old-file table of facts about the migration (the new file, the schema hash).</summary>
    public const string OldInfoTable = "_mig_old_info";

    private const int JsonArgsPerCall = 100; // SQLite allows 127 function arguments by default: 50 pairs a call

    /// <summary>Installs marker ('recording'), log and capture triggers in one transaction.</summary>
    /// <param name="old">The old file.</param>
    /// <param name="tables">The tables to capture.</param>
    /// <param name="newDatabase">The new file, for MigStatus.</param>
    /// <param name="schemaHash">The new schema's hash.</param>
    /// <param name="journalModeBefore">The old file's journal mode before Mig switched it to WAL, so MigReset can switch it back.</param>
    public static void Install(SqliteConnection old, IReadOnlyList<OldTable> tables, string newDatabase, string schemaHash, string journalModeBefore)
    {
        using var txn = old.BeginTransaction(deferred: false);
        Execute(old, txn, Protocol.CreateMarkerTable);
        Execute(old, txn, $"INSERT INTO {Protocol.MarkerTable}(id, status, txn_seq) VALUES (0, '{Protocol.Recording}', 0)");
        // AUTOINCREMENT would create sqlite_sequence in a file that had none, and SQLite never lets
        // it be dropped, so Remove could not give the file back as it was. Without it ids still only
        // grow: log rows are never deleted, only the whole table is dropped.
        var autoIncrement = TableExists(old, txn, "sqlite_sequence") ? " AUTOINCREMENT" : "";
        Execute(old, txn, $"CREATE TABLE {Protocol.LogTable}(id INTEGER PRIMARY KEY{autoIncrement}, txn_id INTEGER NOT NULL, ordering INTEGER NOT NULL, operation TEXT NOT NULL, table_name TEXT NOT NULL, row_data TEXT NOT NULL)");
        Execute(old, txn, $"CREATE TABLE {OldInfoTable}(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        using (var info = old.CreateCommand())
        {
            info.Transaction = txn;
            info.CommandText = $"INSERT INTO {OldInfoTable}(key, value) VALUES ('new_database', @db), ('schema_hash', @hash), ('started_at', @at), ('journal_mode_before', @journal)";
            info.Parameters.AddWithValue("@journal", journalModeBefore);
            info.Parameters.AddWithValue("@db", newDatabase);
            info.Parameters.AddWithValue("@hash", schemaHash);
            info.Parameters.AddWithValue("@at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            info.ExecuteNonQuery();
        }
        foreach (var t in tables)
            foreach (var sql in CaptureTriggers(t)) Execute(old, txn, sql);
        txn.Commit();
    }

    /// <summary>
    /// The three capture triggers of a table. The row image is JSON of every column
    /// plus the rowid; a BLOB becomes {"$blob": hex} because json_object refuses BLOBs.
    /// An update also records the old rowid, so a changed key moves the row.
    /// </summary>
    public static IEnumerable<string> CaptureTriggers(OldTable t)
    {
        var name = SqlIdentifier.Quote(t.Name);
        string Log(string op, string image) =>
            $"INSERT INTO {Protocol.LogTable}(txn_id, ordering, operation, table_name, row_data) VALUES ((SELECT txn_seq FROM {Protocol.MarkerTable} WHERE id = 0), 0, '{op}', {Literal(t.Name)}, {image});";
        yield return $"CREATE TRIGGER {TriggerName("capture", t.Name, "insert")} AFTER INSERT ON {name} BEGIN {Log("insert", Image(t, "NEW", includeOldRowId: false))} END";
        yield return $"CREATE TRIGGER {TriggerName("capture", t.Name, "update")} AFTER UPDATE ON {name} BEGIN {Log("update", Image(t, "NEW", includeOldRowId: true))} END";
        yield return $"CREATE TRIGGER {TriggerName("capture", t.Name, "delete")} AFTER DELETE ON {name} BEGIN {Log("delete", "json_object('_rowid_', OLD.rowid)")} END";
    }

    private static string Image(OldTable t, string row, bool includeOldRowId)
    {
        var pairs = new List<string> { $"'_rowid_', {row}.rowid" };
        if (includeOldRowId) pairs.Add("'_old_rowid_', OLD.rowid");
        foreach (var c in t.Columns)
        {
            var v = $"{row}.{SqlIdentifier.Quote(c.Name)}";
            pairs.Add($"{Literal(c.Name)}, CASE typeof({v}) WHEN 'blob' THEN json_object('$blob', hex({v})) ELSE {v} END");
        }
        // Wide tables exceed SQLite's argument limit in one call: merge objects of 50 pairs.
        var chunks = pairs.Chunk(JsonArgsPerCall / 2).Select(c => $"json_object({string.Join(", ", c)})").ToList();
        return chunks.Count == 1 ? chunks[0] : chunks.Skip(1).Aggregate(chunks[0], (acc, next) => $"json_patch({acc}, {next})");
    }

    /// <summary>Sets 'draining' and installs guards that refuse every write to a data table, in one write transaction.</summary>
    public static void StartDraining(SqliteConnection old, IReadOnlyList<OldTable> tables)
    {
        // BEGIN IMMEDIATE waits (busy timeout) for the writer in flight; every write
        // that commits before it is in the log, and none can commit after it.
        using var txn = old.BeginTransaction(deferred: false);
        Execute(old, txn, $"UPDATE {Protocol.MarkerTable} SET status = '{Protocol.Draining}' WHERE id = 0");
        foreach (var t in tables)
            foreach (var op in new[] { "insert", "update", "delete" })
                Execute(old, txn, $"CREATE TRIGGER IF NOT EXISTS {TriggerName("guard", t.Name, op)} BEFORE {op.ToUpperInvariant()} ON {SqlIdentifier.Quote(t.Name)} BEGIN SELECT RAISE(ABORT, '{Protocol.WritesPausedMessage}'); END");
        txn.Commit();
    }

    /// <summary>Removes every trigger, table and marker Mig added, in one transaction: the file is as the old service expects.</summary>
    public static void Remove(SqliteConnection old)
    {
        using var txn = old.BeginTransaction(deferred: false);
        RemoveInTransaction(old, txn);
        txn.Commit();
    }

    /// <summary>Removes what <see cref="Remove(SqliteConnection)"/> removes inside the caller's transaction (MigArchiveOld retires the file in the same commit).</summary>
    public static void RemoveInTransaction(SqliteConnection old, SqliteTransaction txn)
    {
        var triggers = new List<string>();
        using (var cmd = old.CreateCommand())
        {
            cmd.Transaction = txn;
            cmd.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '\\_mig\\_%' ESCAPE '\\'";
            using var r = cmd.ExecuteReader();
            while (r.Read()) triggers.Add(r.GetString(0));
        }
        foreach (var t in triggers) Execute(old, txn, $"DROP TRIGGER {SqlIdentifier.Quote(t)}");
        Execute(old, txn, $"DROP TABLE IF EXISTS {Protocol.LogTable}");
        Execute(old, txn, $"DROP TABLE IF EXISTS {Protocol.MarkerTable}");
        Execute(old, txn, $"DROP TABLE IF EXISTS {OldInfoTable}");
        // AUTOINCREMENT left a row for the log in sqlite_sequence; the old file did not have it.
        if (TableExists(old, txn, "sqlite_sequence"))
            Execute(old, txn, $"DELETE FROM sqlite_sequence WHERE name = '{Protocol.LogTable}'");
    }

    /// <summary>The marker of the old file, or null when no migration touches it.</summary>
    public static string? Marker(SqliteConnection old, string schema = "main")
    {
        if (!TableExists(old, null, Protocol.MarkerTable, schema)) return null;
        using var cmd = old.CreateCommand();
        cmd.CommandText = $"SELECT status FROM {schema}.{Protocol.MarkerTable} WHERE id = 0";
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>A value from the old file's migration facts.</summary>
    public static string? Info(SqliteConnection old, string key, string schema = "main")
    {
        if (!TableExists(old, null, OldInfoTable, schema)) return null;
        using var cmd = old.CreateCommand();
        cmd.CommandText = $"SELECT value FROM {schema}.{OldInfoTable} WHERE key = @k";
        cmd.Parameters.AddWithValue("@k", key);
        return cmd.ExecuteScalar() as string;
    }

    internal static bool TableExists(SqliteConnection c, SqliteTransaction? txn, string table, string schema = "main")
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = $"SELECT count(*) FROM {schema}.sqlite_schema WHERE type = 'table' AND name = @n";
        cmd.Parameters.AddWithValue("@n", table);
        return (long)cmd.ExecuteScalar()! > 0;
    }

    private static string TriggerName(string kind, string table, string op)
    {
        var safe = new StringBuilder();
        foreach (var ch in table) safe.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '_');
        return SqlIdentifier.Quote($"_mig_{kind}_{safe}_{op}");
    }

    internal static string Literal(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void Execute(SqliteConnection c, SqliteTransaction? txn, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
