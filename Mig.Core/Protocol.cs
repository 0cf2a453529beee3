namespace Mig;

/// <summary>
/// Names and states of Mig's bookkeeping tables (hot-migration.md), defined once
/// for the runtime and the migration engine. Everything Mig adds to a database
/// starts with <c>_mig</c>, so it never collides with a schema table.
/// </summary>
public static class Protocol
{
    /// <summary>New database: whether it may be served ('migrating' or 'ready').</summary>
    public const string StatusTable = "_migration_status";
    /// <summary>New database: key/value facts about the file (schema hash, Mig version, creation time).</summary>
    public const string InfoTable = "_mig_info";
    /// <summary>Status value of a database that is being built by a migration.</summary>
    public const string Migrating = "migrating";
    /// <summary>Status value of a database that may be served.</summary>
    public const string Ready = "ready";

    /// <summary>The bookkeeping DDL of a database Mig creates, with its status.</summary>
    public static IReadOnlyList<string> NewDatabaseStatements(string status) =>
    [
        $"CREATE TABLE {StatusTable}(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL)",
        $"INSERT INTO {StatusTable}(id, status) VALUES (0, '{status}')",
        $"CREATE TABLE {InfoTable}(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ];
}
