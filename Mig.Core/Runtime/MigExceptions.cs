namespace Mig;

/// <summary>
/// Writes are paused because this database is being drained into a new one
/// (hot-migration.md). Reads still work. A web handler maps this to 503 with
/// Retry-After: the write will succeed against the new database after cutover.
/// </summary>
public sealed class MigWritesPausedException : Exception
{
    /// <summary>Creates the exception for a database file.</summary>
    public MigWritesPausedException(string database, Exception? inner = null)
        : base($"Writes to {database} are paused: it is being drained into a new database by a migration. Retry after cutover.", inner)
        => Database = database;

    /// <summary>The database file.</summary>
    public string Database { get; }
}

/// <summary>
/// This database is being built by a migration and may not be served yet. Calls
/// succeed, without a restart, as soon as cutover marks it ready.
/// </summary>
public sealed class MigDatabaseNotReadyException : Exception
{
    /// <summary>Creates the exception for a database file and its status.</summary>
    public MigDatabaseNotReadyException(string database, string status)
        : base($"{database} is not ready to serve (status '{status}'): a migration is building it. It serves after MigCutover.")
        => (Database, Status) = (database, status);

    /// <summary>The database file.</summary>
    public string Database { get; }
    /// <summary>The status found in the file.</summary>
    public string Status { get; }
}
