namespace Mig;

/// <summary>How a <see cref="MigDatabase"/> opens and pools its connections.</summary>
public sealed class MigDatabaseOptions
{
    /// <summary>How long a statement waits for another writer's lock before it fails (SQLite busy_timeout).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Idle connections kept open for reuse; more may be open while busy.</summary>
    public int MaxIdleConnections { get; init; } = 16;
}
