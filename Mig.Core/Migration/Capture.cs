using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// The old file's side of a hot migration: the marker, the log, and triggers that
/// record which row of which table every write touched, inside the writer's own
/// transaction, so every writer is captured, Mig's runtime or not (docs/hot-migration.md,
/// rule 1). The log holds references (table, rowid), never values: replay reads each
/// touched row from the old file itself, so no value passes through the writer's
/// SQLite (whose version may render a REAL with fewer digits), through text (which
/// would turn invalid UTF-8 into U+FFFD) or through a size limit (a row image of a
/// large BLOB could fail the writer's own statement). Guards refuse writes while
/// draining. Every object here has an exact name recorded in <see cref="Protocol.OldInfoTable"/>,
/// and <see cref="Remove(SqliteConnection)"/> drops exactly those.
/// </summary>
internal static class Capture
{
    private static readonly string[] Operations = ["insert", "update", "delete"];
    // Capture's triggers by kind and operation; "conflict" ones exist only on tables with unique keys.
    private static readonly (string Kind, string Op)[] CaptureKinds =
        [("capture", "insert"), ("capture", "update"), ("capture", "delete"), ("conflict", "insert"), ("conflict", "update")];

    /// <summary>Installs marker ('recording'), log and capture triggers in one transaction.</summary>
    /// <param name="old">The old file.</param>
    /// <param name="tables">The tables to capture.</param>
    /// <param name="newDatabase">The new file, for MigStatus.</param>
    /// <param name="schemaHash">The new schema's hash.</param>
    /// <param name="journalModeBefore">The old file's journal mode before Mig switched it to WAL, so MigReset can switch it back.</param>
    /// <param name="ignored">Other tools' tables: never guarded, left out of the schema fingerprint, recorded for the later steps.</param>
    public static void Install(SqliteConnection old, IReadOnlyList<OldTable> tables, string newDatabase, string schemaHash, string journalModeBefore, IgnoredTables ignored)
    {
        using var txn = old.BeginTransaction(deferred: false);
        Install(old, txn, tables, newDatabase, schemaHash, journalModeBefore, ignored);
        txn.Commit();
    }

    /// <summary>
    /// <see cref="Install(SqliteConnection, IReadOnlyList{OldTable}, string, string, string, IgnoredTables)"/> inside the
    /// caller's transaction. <paramref name="pairKey"/> is the key the other file of the pair is recorded under, and
    /// <paramref name="marker"/> the marker's first value: a new file that captures its writes for MigRevert records the
    /// old file as <see cref="OldInfoKeys.RevertTo"/> and is <see cref="Protocol.Revertible"/>.
    /// </summary>
    public static void Install(SqliteConnection old, SqliteTransaction txn, IReadOnlyList<OldTable> tables, string newDatabase, string schemaHash, string journalModeBefore,
        IgnoredTables ignored, string pairKey = OldInfoKeys.NewDatabase, string marker = Protocol.Recording)
    {
        SqliteFile.Execute(old, Protocol.CreateMarkerTable, txn);
        SqliteFile.Execute(old, $"INSERT INTO {Protocol.MarkerTable}(id, status, txn_seq) VALUES (0, '{marker}', 0)", txn);
        // AUTOINCREMENT would create sqlite_sequence in a file that had none, and SQLite never lets
        // it be dropped, so Remove could not give the file back as it was. Without it ids still only
        // grow: log rows are never deleted, only the whole table is dropped.
        var autoIncrement = SqliteFile.TableExists(old, txn, "sqlite_sequence") ? " AUTOINCREMENT" : "";
        SqliteFile.Execute(old, $"CREATE TABLE {Protocol.LogTable}(id INTEGER PRIMARY KEY{autoIncrement}, txn_id INTEGER NOT NULL, operation TEXT NOT NULL, table_name TEXT NOT NULL, row_id INTEGER NOT NULL)", txn);
        SqliteFile.Execute(old, Protocol.CreateOldInfoTable, txn);
        foreach (var t in tables)
            foreach (var sql in CaptureTriggers(t)) SqliteFile.Execute(old, sql, txn);
        var names = tables.Select(t => t.Name).ToList();
        SetInfo(old, txn, pairKey, newDatabase);
        SetInfo(old, txn, OldInfoKeys.SchemaHash, schemaHash);
        SetInfo(old, txn, OldInfoKeys.StartedAt, DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        SetInfo(old, txn, OldInfoKeys.JournalModeBefore, journalModeBefore);
        SetInfo(old, txn, OldInfoKeys.CapturedTables, JsonList(names));
        SetInfo(old, txn, OldInfoKeys.IgnoredTables, JsonList(ignored.Patterns));
        // Every table is guarded while draining, captured or not (one the new schema drops, too):
        // "writes are refused" holds for the whole file, except other tools' tables (Litestream must go
        // on checkpointing). Virtual tables take no triggers.
        SetInfo(old, txn, OldInfoKeys.GuardedTables, JsonList(Introspector.Tables(old, countRows: false, ignored: ignored).Where(t => t.Kind == "table").Select(t => t.Name)));
        // Read after the triggers exist, in the same transaction: the schema capture was made for.
        SetInfo(old, txn, OldInfoKeys.SchemaAtInstall, Fingerprint(old, txn, "main", names, ignored));
        RowIdRenumbering.Record(old, txn);
    }

    /// <summary>
    /// The capture triggers of a table. Each logs the rowid the write touched; an update that
    /// changes the rowid logs the old one too, so replay removes the row from where it was.
    /// <para>
    /// A REPLACE (INSERT OR REPLACE, UPDATE OR REPLACE, an upsert's REPLACE) deletes the rows whose
    /// unique values it takes without firing their delete triggers. The "conflict" triggers log
    /// those rows before the write: for each unique key, the rows that hold the new values (one
    /// index lookup). Without a REPLACE the write either finds none or fails and takes the entry
    /// with it; an entry too many is harmless, as replay makes a logged row what it is in the old file.
    /// </para>
    /// </summary>
    public static IEnumerable<string> CaptureTriggers(OldTable t)
    {
        var name = SqlIdentifier.Quote(t.Name);
        var seq = $"(SELECT txn_seq FROM {Protocol.MarkerTable} WHERE id = 0)";
        string Log(string op, string rowid, string? when = null) =>
            $"INSERT INTO {Protocol.LogTable}(txn_id, operation, table_name, row_id) SELECT {seq}, '{op}', {Literal(t.Name)}, {rowid}{(when is null ? "" : " WHERE " + when)};";
        yield return $"CREATE TRIGGER {TriggerName("capture", "insert", t.Name)} AFTER INSERT ON {name} BEGIN {Log("insert", "NEW.rowid")} END";
        yield return $"CREATE TRIGGER {TriggerName("capture", "update", t.Name)} AFTER UPDATE ON {name} BEGIN {Log("update", "NEW.rowid")} {Log("update", "OLD.rowid", "OLD.rowid IS NOT NEW.rowid")} END";
        yield return $"CREATE TRIGGER {TriggerName("capture", "delete", t.Name)} AFTER DELETE ON {name} BEGIN {Log("delete", "OLD.rowid")} END";
        if (t.ConflictKeys.Count == 0) yield break;
        string Conflicts(bool update) => string.Concat(t.ConflictKeys.Select(key =>
        {
            var match = string.Join(" AND ", key.Columns.Select(k => $"c.{SqlIdentifier.Quote(k.Name)} = NEW.{SqlIdentifier.Quote(k.Name)} COLLATE {SqlIdentifier.Quote(k.Collation)}"));
            // An update can only conflict through a key it changes, except on a partial index,
            // which the row may enter by a change to its condition's columns.
            var changed = !update ? "" : $" AND c.rowid IS NOT OLD.rowid" +
                (key.Partial ? "" : $" AND ({string.Join(" OR ", key.Columns.Select(k => $"NEW.{SqlIdentifier.Quote(k.Name)} IS NOT OLD.{SqlIdentifier.Quote(k.Name)}"))})");
            return $"INSERT INTO {Protocol.LogTable}(txn_id, operation, table_name, row_id) SELECT {seq}, 'replace', {Literal(t.Name)}, c.rowid FROM {name} AS c WHERE {match}{changed};";
        }));
        yield return $"CREATE TRIGGER {TriggerName("conflict", "insert", t.Name)} BEFORE INSERT ON {name} BEGIN {Conflicts(update: false)} END";
        yield return $"CREATE TRIGGER {TriggerName("conflict", "update", t.Name)} BEFORE UPDATE ON {name} BEGIN {Conflicts(update: true)} END";
    }

    /// <summary>
    /// Sets 'draining' and installs guards that refuse every write to a captured table, in one write
    /// transaction; refuses (MIG0070, nothing changed) when the old file's tables changed since capture began.
    /// </summary>
    public static void StartDraining(SqliteConnection old)
    {
        // BEGIN IMMEDIATE waits (busy timeout) for the writer in flight; every write
        // that commits before it is in the log, and none can commit after it.
        using var txn = old.BeginTransaction(deferred: false);
        RequireUnchangedSchema(old, "main", txn);
        SqliteFile.Execute(old, $"UPDATE {Protocol.MarkerTable} SET status = '{Protocol.Draining}' WHERE id = 0", txn);
        foreach (var table in Names(old, OldInfoKeys.GuardedTables, "main", txn))
            foreach (var op in Operations)
                SqliteFile.Execute(old, $"CREATE TRIGGER IF NOT EXISTS {TriggerName("guard", op, table)} BEFORE {op.ToUpperInvariant()} ON {SqlIdentifier.Quote(table)} BEGIN SELECT RAISE(ABORT, '{Protocol.WritesPausedMessage}'); END", txn);
        RowIdRenumbering.Record(old, txn);
        txn.Commit();
    }

    /// <summary>
    /// Undoes <see cref="StartDraining"/> in one transaction: the guards go and the marker is <paramref name="marker"/> again,
    /// so writes are allowed and still captured (MigReset cancelling a revert in progress gives the new file back its writes).
    /// </summary>
    public static void Resume(SqliteConnection c, string marker)
    {
        using var txn = c.BeginTransaction(deferred: false);
        foreach (var table in Names(c, OldInfoKeys.GuardedTables, "main", txn))
            foreach (var op in Operations)
                SqliteFile.Execute(c, $"DROP TRIGGER IF EXISTS {TriggerName("guard", op, table)}", txn);
        SqliteFile.Execute(c, $"UPDATE {Protocol.MarkerTable} SET status = '{marker}' WHERE id = 0", txn);
        RowIdRenumbering.Record(c, txn);
        txn.Commit();
    }

    /// <summary>Removes every trigger, table and marker Mig added, in one transaction: the file is as the old service expects.</summary>
    public static void Remove(SqliteConnection old)
    {
        using var txn = old.BeginTransaction(deferred: false);
        Remove(old, txn);
        txn.Commit();
    }

    /// <summary>
    /// Removes Mig's capture inside the caller's transaction: exactly the triggers Mig created for the
    /// tables it recorded (never a user's trigger, whatever its name), then Mig's tables.
    /// </summary>
    public static void Remove(SqliteConnection old, SqliteTransaction txn)
    {
        foreach (var table in CapturedTables(old, "main", txn))
            foreach (var (kind, op) in CaptureKinds)
                SqliteFile.Execute(old, $"DROP TRIGGER IF EXISTS {TriggerName(kind, op, table)}", txn);
        foreach (var table in Names(old, OldInfoKeys.GuardedTables, "main", txn))
            foreach (var op in Operations)
                SqliteFile.Execute(old, $"DROP TRIGGER IF EXISTS {TriggerName("guard", op, table)}", txn);
        SqliteFile.Execute(old, $"DROP TABLE IF EXISTS {Protocol.LogTable}", txn);
        SqliteFile.Execute(old, $"DROP TABLE IF EXISTS {Protocol.MarkerTable}", txn);
        SqliteFile.Execute(old, $"DROP TABLE IF EXISTS {Protocol.OldInfoTable}", txn);
        // AUTOINCREMENT left a row for the log in sqlite_sequence; the old file did not have it.
        if (SqliteFile.TableExists(old, txn, "sqlite_sequence"))
            SqliteFile.Execute(old, $"DELETE FROM sqlite_sequence WHERE name = '{Protocol.LogTable}'", txn);
    }

    /// <summary>The tables whose writes are captured, as recorded at install.</summary>
    public static IReadOnlyList<string> CapturedTables(SqliteConnection old, string schema = "main", SqliteTransaction? txn = null) =>
        Names(old, OldInfoKeys.CapturedTables, schema, txn);

    /// <summary>
    /// The ignored tables recorded at install (Litestream's and the user's); none when nothing is recorded:
    /// a capture installed before Mig knew of ignored tables guarded and fingerprinted every table.
    /// </summary>
    public static IgnoredTables RecordedIgnored(SqliteConnection old, string schema = "main", SqliteTransaction? txn = null) =>
        Info(old, OldInfoKeys.IgnoredTables, schema, txn) is null ? IgnoredTables.None : IgnoredTables.From(Names(old, OldInfoKeys.IgnoredTables, schema, txn));

    private static List<string> Names(SqliteConnection old, string key, string schema, SqliteTransaction? txn)
    {
        if (Info(old, key, schema, txn) is not { } json) return [];
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>Names as a JSON array: any character a table name may hold survives (a newline, a quote).</summary>
    private static string JsonList(IEnumerable<string> names)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var n in names) w.WriteStringValue(n);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Refuses (MIG0070) when a table of the old file, or one of Mig's capture triggers, is not as it
    /// was when capture was installed: a table dropped, created, altered or renamed by the old service,
    /// or a trigger dropped. Writes made across such a change may not be in the log, or not be
    /// replayable, so nothing built on the log can be trusted.
    /// </summary>
    public static void RequireUnchangedSchema(SqliteConnection c, string schema = "main", SqliteTransaction? txn = null)
    {
        var recorded = Info(c, OldInfoKeys.SchemaAtInstall, schema, txn);
        if (recorded is null) return;
        var captured = CapturedTables(c, schema, txn);
        var now = Fingerprint(c, txn, schema, captured, RecordedIgnored(c, schema, txn));
        if (now == recorded)
        {
            RowIdRenumbering.Require(c, schema, txn, captured);
            return;
        }
        var before = recorded.Split('\n').ToHashSet(StringComparer.Ordinal);
        var after = now.Split('\n').ToHashSet(StringComparer.Ordinal);
        var changes = before.Except(after).Select(l => "was: " + l).Concat(after.Except(before).Select(l => "now: " + l)).Take(6).ToList();
        throw new MigOperationException(MigCode.OldSchemaChanged,
            $"The old file's schema changed while the migration recorded ({string.Join("; ", changes)}). " +
            "Writes made across that change may be missing from the log or not fit the plan, so the new file cannot be trusted; nothing was paused, replayed or cut over by this step. " +
            "Run MigReset (the old service writes as before), then MigPlan and MigMigrate again; change the old file's schema only when no migration is in progress.");
    }

    /// <summary>
    /// The old file's tables (their CREATE statements) and Mig's capture triggers for
    /// <paramref name="captured"/>, one line each in a fixed order; "missing" for a trigger that is gone.
    /// </summary>
    private static string Fingerprint(SqliteConnection c, SqliteTransaction? txn, string schema, IReadOnlyList<string> captured, IgnoredTables ignored)
    {
        var lines = new List<string>();
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = txn;
            // Indexes too: a unique index made while recording is one a REPLACE could delete through unseen.
            // Other tools' tables and their indexes come and go as those tools please (Litestream creates its own at start).
            cmd.CommandText = $"SELECT type, name, coalesce(sql, ''), tbl_name FROM {schema}.sqlite_schema WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                if (!Protocol.IsReserved(r.GetString(1)) && !ignored.Ignores(r.GetString(3))) lines.Add($"{r.GetString(0)} {r.GetString(1)}: {r.GetString(2)}");
        }
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = txn;
            cmd.CommandText = $"SELECT sql FROM {schema}.sqlite_schema WHERE type = 'trigger' AND name = @n";
            var n = cmd.Parameters.Add("@n", SqliteType.Text);
            foreach (var table in captured)
                foreach (var (kind, op) in CaptureKinds)
                {
                    n.Value = TriggerNameText(kind, op, table);
                    lines.Add($"trigger {n.Value}: {cmd.ExecuteScalar() as string ?? "missing"}");
                }
        }
        return string.Join("\n", lines);
    }

    /// <summary>The marker of the old file, or null when no migration touches it.</summary>
    public static string? Marker(SqliteConnection old, string schema = "main")
    {
        if (!SqliteFile.TableExists(old, null, Protocol.MarkerTable, schema)) return null;
        using var cmd = old.CreateCommand();
        cmd.CommandText = $"SELECT status FROM {schema}.{Protocol.MarkerTable} WHERE id = 0";
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>A value from the old file's migration facts.</summary>
    public static string? Info(SqliteConnection old, string key, string schema = "main", SqliteTransaction? txn = null)
    {
        if (!SqliteFile.TableExists(old, txn, Protocol.OldInfoTable, schema)) return null;
        using var cmd = old.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = $"SELECT value FROM {schema}.{Protocol.OldInfoTable} WHERE key = @k";
        cmd.Parameters.AddWithValue("@k", key);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>
    /// A trigger's name carries the table's name exactly (quoted), so two tables never share one:
    /// a sanitised name would make <c>a-b</c> and <c>a b</c>, or any two names in another script, collide.
    /// </summary>
    private static string TriggerName(string kind, string op, string table) => SqlIdentifier.Quote(TriggerNameText(kind, op, table));

    private static string TriggerNameText(string kind, string op, string table) => $"_mig_{kind}_{op}_{table}";

    private static void SetInfo(SqliteConnection c, SqliteTransaction txn, string key, string value) => Bookkeeping.SetFact(c, Protocol.OldInfoTable, key, value, txn);

    internal static string Literal(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
}
