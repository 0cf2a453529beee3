namespace Mig.AspNetCore;

/// <summary>
/// Settings of <see cref="MigServiceCollectionExtensions.AddMigDatabase"/>, bound from the
/// configuration section <c>Mig</c> (<c>Mig:Path</c>, <c>Mig:RetryAfter</c>, ...) and then
/// from the <c>configure</c> callback.
/// </summary>
public sealed class MigWebOptions
{
    /// <summary>
    /// The database file. When unset: the connection string <c>ConnectionStrings:Mig</c> (a path,
    /// or <c>Data Source=path</c>), else the default path given to AddMigDatabase (usually the
    /// generated <c>MigSchemaInfo.DatabaseFileName</c>). A relative path is taken from the
    /// content root.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>The <c>Retry-After</c> a paused write or a not-ready call answers with (5 s by default).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>See <see cref="MigDatabaseOptions.BusyTimeout"/> (30 s by default).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>See <see cref="MigDatabaseOptions.MaxConnections"/> (16 by default).</summary>
    public int MaxConnections { get; set; } = 16;
}
