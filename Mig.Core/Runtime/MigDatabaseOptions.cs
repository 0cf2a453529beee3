namespace Mig;

/// <summary>How a <see cref="MigDatabase"/> opens and pools its connections.</summary>
public sealed class MigDatabaseOptions
{
    /// <summary>
    /// How long a statement waits for another writer's lock before it fails with SQLITE_BUSY
    /// (SQLite's busy_timeout, and Microsoft.Data.Sqlite's retries, which count whole seconds:
    /// a wait under a second may last up to one).
    /// </summary>
    /// <remarks>
    /// 30 s by default, Microsoft.Data.Sqlite's own: writers queue for one lock, and on a busy
    /// disk each commit's sync can take a second or more, so a few seconds fail writes that
    /// would have succeeded. Lower it where failing fast matters more than waiting.
    /// </remarks>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle connections kept open for reuse; more may be open while busy.</summary>
    public int MaxIdleConnections { get; init; } = 16;
}
