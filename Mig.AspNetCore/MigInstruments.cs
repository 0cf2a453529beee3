using System.Diagnostics.Metrics;

namespace Mig.AspNetCore;

/// <summary>
/// The instruments of the meter <see cref="MigMetrics.MeterName"/>, one set per app (a singleton): every
/// database's <see cref="MigTelemetry"/> records into them with its own <c>mig.database</c> tag.
/// </summary>
internal sealed class MigInstruments
{
    public MigInstruments(IMeterFactory meters)
    {
        var meter = meters.Create(MigMetrics.MeterName);
        Transactions = meter.CreateCounter<long>(MigMetrics.Transactions, "{transaction}", "Calls of WriteAsync/ReadAsync that ended, by database, kind (read, write) and outcome (committed, failed, writes_paused, not_ready).");
        RefusedWrites = meter.CreateCounter<long>(MigMetrics.RefusedWrites, "{write}", "Writes refused because a migration drains the file (MigWritesPausedException), by database.");
        NotReady = meter.CreateCounter<long>(MigMetrics.NotReady, "{call}", "Calls refused because a migration is still building the file (MigDatabaseNotReadyException), by database and status.");
        Duration = meter.CreateHistogram<double>(MigMetrics.Duration, "s", "Time of a WriteAsync/ReadAsync call, waits included, by database, kind and outcome.");
    }

    public Counter<long> Transactions { get; }

    public Counter<long> RefusedWrites { get; }

    public Counter<long> NotReady { get; }

    public Histogram<double> Duration { get; }
}
