namespace Mig.AspNetCore;

/// <summary>The names of Mig's metrics (System.Diagnostics.Metrics), for dashboards and OpenTelemetry's <c>AddMeter</c>.</summary>
public static class MigMetrics
{
    /// <summary>The meter: <c>Mig</c>.</summary>
    public const string MeterName = "Mig";

    /// <summary>
    /// The tag every measurement carries: the database's name, <c>default</c> for the one
    /// <c>AddMigDatabase</c> registers, the key for each <c>AddKeyedMigDatabase</c>.
    /// </summary>
    public const string DatabaseTag = "mig.database";

    /// <summary>The <see cref="DatabaseTag"/> of the database <c>AddMigDatabase</c> registers.</summary>
    public const string DefaultDatabase = "default";

    /// <summary>Counter of ended calls; tags <c>mig.transaction.kind</c> (read, write) and <c>mig.transaction.outcome</c> (committed, failed, writes_paused, not_ready).</summary>
    public const string Transactions = "mig.transactions";

    /// <summary>Counter of writes refused while a migration drains the file.</summary>
    public const string RefusedWrites = "mig.writes.refused";

    /// <summary>Counter of calls refused while the file is not ready; tag <c>mig.status</c>.</summary>
    public const string NotReady = "mig.not_ready";

    /// <summary>Histogram of call durations in seconds, waits included; same tags as <see cref="Transactions"/>.</summary>
    public const string Duration = "mig.transaction.duration";
}
