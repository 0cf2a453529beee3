namespace Mig;

/// <summary>How the generated <c>MigSchemaInfo.UpgradeAsync</c> upgrades an app's own database file (docs/in-app-upgrade.md).</summary>
public sealed class MigUpgradeOptions
{
    /// <summary>Where the old file goes once its data is in the new one; default <c>archive/</c> in the database folder.</summary>
    public string? ArchiveDirectory { get; init; }

    /// <summary>Upgrade even when the plan loses data (rows or columns the new schema has no place for); otherwise MIG0042 and nothing changes.</summary>
    public bool AllowDataLoss { get; init; }

    /// <summary>How long to wait while another process upgrades the same folder (MIG0041 after); default 30 seconds.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives the upgrade's progress and the plan, line by line (for an app's log); none by default.</summary>
    public Action<string>? Log { get; init; }
}
