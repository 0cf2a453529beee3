namespace Mig;

/// <summary>
/// Names and states of Mig's bookkeeping tables (docs/hot-migration.md), defined once
/// for the runtime and the migration engine. Mig recognises its own tables and indexes by
/// their exact names (<see cref="IsReserved"/>), never by a prefix: a user table
/// called <c>_migrations</c> is the user's, and is copied like any other. The keys of
/// the key/value tables are in <see cref="InfoKeys"/> and <see cref="OldInfoKeys"/>.
/// </summary>
internal static class Protocol
{
    /// <summary>New database (and an old one MigArchiveOld retired): whether it may be served ('migrating', 'ready' or 'retired').</summary>
    public const string StatusTable = "_migration_status";
    /// <summary>
    /// Key/value facts about the file (<see cref="InfoKeys"/>): its schema hash and creation time;
    /// the Mig version in a file MigInit made; the old file, copy cutoff and replay checkpoint in a
    /// file a migration builds; the new file in an old file MigArchiveOld retired.
    /// </summary>
    public const string InfoTable = "_mig_info";
    /// <summary>Status value of a database that is being built by a migration.</summary>
    public const string Migrating = "migrating";
    /// <summary>Status value of a database that may be served.</summary>
    public const string Ready = "ready";
    /// <summary>Status value of an old database after cutover and MigArchiveOld: never served again.</summary>
    public const string Retired = "retired";
    /// <summary>Status value of a new database MigRevert took out of service: the old file is live again, and this one is never served.</summary>
    public const string Reverted = "reverted";

    /// <summary>
    /// Old database: the capture state ('recording' or 'draining') and
    /// <c>txn_seq</c>, the number the capture triggers stamp on log rows as their
    /// <c>txn_id</c>. While recording, a write transaction through <c>MigDatabase</c>
    /// bumps it first (it holds SQLite's single write lock, so the number is its own), which
    /// tells that transaction's log rows apart. Replay does not need it: it converges in any grouping.
    /// </summary>
    public const string MarkerTable = "_migration_marker";
    /// <summary>Marker value while writes are captured.</summary>
    public const string Recording = "recording";
    /// <summary>
    /// Marker value of a NEW file from cutover until MigArchiveOld: its writes are captured so that MigRevert can write
    /// them back into the old file. The runtime serves such a file as one without a marker (it is not being migrated).
    /// </summary>
    public const string Revertible = "revertible";
    /// <summary>Marker value while writes are refused and the log is replayed.</summary>
    public const string Draining = "draining";
    /// <summary>Old database: the captured writes.</summary>
    public const string LogTable = "_migration_log";
    /// <summary>The text of the guard triggers' RAISE(ABORT, ...) while draining.</summary>
    public const string WritesPausedMessage = "mig: writes are paused for a migration";

    /// <summary>Old database: facts about the migration in progress (<see cref="OldInfoKeys"/>: the new file, the schema hash, the captured tables).</summary>
    public const string OldInfoTable = "_mig_old_info";
    /// <summary>New database: old rowid -> new rowid of rows whose key became the rowid.</summary>
    public const string IdMappingTable = "_id_mapping";
    /// <summary>New database: one row per operation run against the pair of files.</summary>
    public const string AuditTable = "_mig_audit";
    /// <summary>New database: the index of <see cref="IdMappingTable"/> by new rowid.</summary>
    public const string IdMappingIndex = "_mig_id_mapping_new_id";

    /// <summary>
    /// Every table and index name Mig creates in a database file. A schema may not declare them
    /// (MIG0006), and only they are left out when Mig reads a file's tables. SQLite compares
    /// names without regard to ASCII case, and so does this.
    /// </summary>
    public static IReadOnlyList<string> ReservedNames { get; } =
        [StatusTable, InfoTable, MarkerTable, LogTable, OldInfoTable, IdMappingTable, AuditTable, IdMappingIndex];

    /// <summary>True when <paramref name="name"/> is one of <see cref="ReservedNames"/> (exactly, ignoring ASCII case as SQLite does).</summary>
    public static bool IsReserved(string name)
    {
        foreach (var r in ReservedNames)
            if (SqlNameComparer.Same(r, name)) return true;
        return false;
    }

    private const string StatusColumns = "(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL)";
    // The columns of every key/value table of Mig's (InfoTable, OldInfoTable).
    private const string KeyValueColumns = "(key TEXT PRIMARY KEY, value TEXT NOT NULL)";

    /// <summary>The status table of a file that has none yet.</summary>
    public const string CreateStatusTableIfMissing = $"CREATE TABLE IF NOT EXISTS {StatusTable}{StatusColumns}";
    /// <summary>The info table of a file that has none yet.</summary>
    public const string CreateInfoTableIfMissing = $"CREATE TABLE IF NOT EXISTS {InfoTable}{KeyValueColumns}";
    /// <summary>The old-info table of an old database under migration.</summary>
    public const string CreateOldInfoTable = $"CREATE TABLE {OldInfoTable}{KeyValueColumns}";

    /// <summary>The bookkeeping DDL of a database Mig creates, with its status.</summary>
    public static IReadOnlyList<string> NewDatabaseStatements(string status) =>
    [
        $"CREATE TABLE {StatusTable}{StatusColumns}",
        $"INSERT INTO {StatusTable}(id, status) VALUES (0, '{status}')",
        $"CREATE TABLE {InfoTable}{KeyValueColumns}",
    ];

    /// <summary>Sets the status of a file that has its status row.</summary>
    public static string SetStatus(string status) => $"UPDATE {StatusTable} SET status = '{status}' WHERE id = 0";

    /// <summary>The marker table of an old database under migration.</summary>
    public static string CreateMarkerTable =>
        $"CREATE TABLE {MarkerTable}(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL, txn_seq INTEGER NOT NULL DEFAULT 0)";

    /// <summary>The database file name of a schema: <c>&lt;name&gt;-&lt;hash&gt;.db</c>.</summary>
    public static string DatabaseFileName(string databaseName, string hash) => $"{databaseName}-{hash}.db";
}
