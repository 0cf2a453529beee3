namespace Mig;

/// <summary>
/// Writes are paused because this database is being drained into a new one
/// (docs/hot-migration.md). Reads still work. A web handler maps this to 503 with
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
