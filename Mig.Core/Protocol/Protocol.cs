namespace Mig;

/// <summary>
/// Names and states of Mig's bookkeeping tables (hot-migration.md), defined once
/// for the runtime and the migration engine. Mig recognises its own objects by
/// their exact names (<see cref="IsReserved"/>), never by a prefix: a user table
/// called <c>_migrations</c> is the user's, and is copied like any other.
/// </summary>
internal static class Protocol
{
    /// <summary>New database: whether it may be served ('migrating' or 'ready').</summary>
    public const string StatusTable = "_migration_status";
    /// <summary>New database: key/value facts about the file (schema hash, Mig version, creation time).</summary>
    public const string InfoTable = "_mig_info";
    /// <summary>Status value of a database that is being built by a migration.</summary>
    public const string Migrating = "migrating";
    /// <summary>Status value of a database that may be served.</summary>
    public const string Ready = "ready";
    /// <summary>Status value of an old database after cutover and MigArchiveOld: never served again.</summary>
    public const string Retired = "retired";

    /// <summary>
    /// Old database: the capture state ('recording' or 'draining') and
    /// <c>txn_seq</c>, the number the capture triggers stamp on log rows as their
    /// <c>txn_id</c>. A write transaction through <see cref="MigDatabase"/> bumps it
    /// first (it holds SQLite's single write lock, so the number is its own), which
    /// groups that transaction's log rows for an atomic replay.
    /// </summary>
    public const string MarkerTable = "_migration_marker";
    /// <summary>Marker value while writes are captured.</summary>
    public const string Recording = "recording";
    /// <summary>Marker value while writes are refused and the log is replayed.</summary>
    public const string Draining = "draining";
    /// <summary>Old database: the captured writes.</summary>
    public const string LogTable = "_migration_log";
    /// <summary>The text of the guard triggers' RAISE(ABORT, ...) while draining.</summary>
    public const string WritesPausedMessage = "mig: writes are paused for a migration";

    /// <summary>Old database: facts about the migration in progress (the new file, the schema hash, the captured tables).</summary>
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

    /// <summary>The bookkeeping DDL of a database Mig creates, with its status.</summary>
    public static IReadOnlyList<string> NewDatabaseStatements(string status) =>
    [
        $"CREATE TABLE {StatusTable}(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL)",
        $"INSERT INTO {StatusTable}(id, status) VALUES (0, '{status}')",
        $"CREATE TABLE {InfoTable}(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ];

    /// <summary>The marker table of an old database under migration.</summary>
    public static string CreateMarkerTable =>
        $"CREATE TABLE {MarkerTable}(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL, txn_seq INTEGER NOT NULL DEFAULT 0)";
}
