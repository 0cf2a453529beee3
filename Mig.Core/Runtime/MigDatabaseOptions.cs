namespace Mig;

/// <summary>How a <see cref="MigDatabase"/> opens and pools its connections.</summary>
public sealed class MigDatabaseOptions
{
    /// <summary>
    /// How long a call waits before it fails with <c>SqliteException</c> (SQLITE_BUSY): for the
    /// write lock while another connection writes, for a free connection while
    /// <see cref="MaxConnections"/> are in use, and to switch the file to WAL on first use.
    /// These waits block no thread and end with <see cref="OperationCanceledException"/> as soon
    /// as the call's token fires.
    /// </summary>
    /// <remarks>
    /// 30 s by default, Microsoft.Data.Sqlite's own: writers queue for one lock, and on a busy
    /// disk each commit's sync can take a second or more, so a few seconds fail writes that
    /// would have succeeded. Lower it where failing fast matters more than waiting. A statement
    /// inside a transaction waits only on a file that cannot be served in WAL mode, and then
    /// through Microsoft.Data.Sqlite's retries, which count whole seconds and block the thread.
    /// </remarks>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connections open at once, idle and in use (16 by default). A call beyond it waits, without
    /// blocking a thread, for one to be returned. Each connection keeps its own page cache (about
    /// 2 MB when full) and prepared commands; SQLite runs one writer at a time anyway, so more
    /// connections only add concurrent readers. A callback that calls the same
    /// <see cref="MigDatabase"/> again holds one connection while it waits for another.
    /// </summary>
    public int MaxConnections { get; init; } = 16;

    /// <summary>Idle connections kept open for reuse (at most <see cref="MaxConnections"/>); more may be open while busy.</summary>
    public int MaxIdleConnections { get; init; } = 16;

    /// <summary>
    /// Told of marker changes, refused writes, not-ready calls and each call's end (for logs and
    /// metrics; Mig.AspNetCore sets one). None by default: then the calls read no clock for it.
    /// </summary>
    public MigDatabaseObserver? Observer { get; init; }
}
