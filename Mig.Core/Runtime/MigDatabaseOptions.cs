namespace Mig;

/// <summary>How a <see cref="MigDatabase"/> opens and pools its connections.</summary>
public sealed class MigDatabaseOptions
{
    /// <summary>
    /// How long a statement waits for another writer's lock before it fails with SQLITE_BUSY
    /// (SQLite's busy_timeout, and Microsoft.Data.Sqlite's retries, which count whole seconds:
    /// a wait under a second may last up to one).
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Idle connections kept open for reuse; more may be open while busy.</summary>
    public int MaxIdleConnections { get; init; } = 16;
}
