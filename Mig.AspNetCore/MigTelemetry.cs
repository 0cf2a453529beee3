using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Mig.AspNetCore;

/// <summary>
/// The observer of the app's <see cref="MigDatabase"/>: logs marker changes and refused calls
/// through ILogger, and counts through the meter <see cref="MigMetrics.MeterName"/>, which
/// OpenTelemetry's <c>AddMeter("Mig")</c> or <c>dotnet-counters</c> pick up.
/// </summary>
internal sealed partial class MigTelemetry : MigDatabaseObserver
{
    private readonly ILogger logger;
    private readonly Counter<long> transactions;
    private readonly Counter<long> refusedWrites;
    private readonly Counter<long> notReady;
    private readonly Histogram<double> duration;
    // Refused calls come by the thousand during a drain: each is logged at Debug, and the first
    // of a run at Warning, so the log says when refusals began without one line per request.
    private int refusing;

    public MigTelemetry(ILogger<MigDatabase> logger, IMeterFactory meters)
    {
        this.logger = logger;
        var meter = meters.Create(MigMetrics.MeterName);
        transactions = meter.CreateCounter<long>(MigMetrics.Transactions, "{transaction}", "Calls of WriteAsync/ReadAsync that ended, by kind (read, write) and outcome (committed, failed, writes_paused, not_ready).");
        refusedWrites = meter.CreateCounter<long>(MigMetrics.RefusedWrites, "{write}", "Writes refused because a migration drains the file (MigWritesPausedException).");
        notReady = meter.CreateCounter<long>(MigMetrics.NotReady, "{call}", "Calls refused because a migration is still building the file (MigDatabaseNotReadyException), by status.");
        duration = meter.CreateHistogram<double>(MigMetrics.Duration, "s", "Time of a WriteAsync/ReadAsync call, waits included, by kind and outcome.");
    }

    public void Serving(MigDatabase database) => LogServing(logger, database.Path);

    public override void MarkerChanged(MigDatabase database, string? previous, string? current)
    {
        LogMarker(logger, database.Path, previous ?? "none", current ?? "none");
        if (current is null) Interlocked.Exchange(ref refusing, 0);
    }

    public override void WriteRefused(MigDatabase database, MigWritesPausedException exception)
    {
        refusedWrites.Add(1);
        if (Interlocked.Exchange(ref refusing, 1) == 0) LogFirstRefusal(logger, database.Path);
        else LogRefusal(logger, database.Path);
    }

    public override void NotReady(MigDatabase database, MigDatabaseNotReadyException exception)
    {
        notReady.Add(1, new KeyValuePair<string, object?>("mig.status", exception.Status));
        LogNotReady(logger, database.Path, exception.Status);
    }

    public override void TransactionEnded(MigDatabase database, bool write, TimeSpan duration, Exception? error)
    {
        var kind = new KeyValuePair<string, object?>("mig.transaction.kind", write ? "write" : "read");
        var outcome = new KeyValuePair<string, object?>("mig.transaction.outcome", error switch
        {
            null => "committed",
            MigWritesPausedException => "writes_paused",
            MigDatabaseNotReadyException => "not_ready",
            _ => "failed",
        });
        transactions.Add(1, kind, outcome);
        this.duration.Record(duration.TotalSeconds, kind, outcome);
        if (error is null && write) Volatile.Write(ref refusing, 0);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Mig serves {Path}")]
    private static partial void LogServing(ILogger logger, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Migration marker of {Path} changed from {Previous} to {Current}")]
    private static partial void LogMarker(ILogger logger, string path, string previous, string current);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Writes to {Path} are refused: a migration drains it (503 with Retry-After until the new file serves)")]
    private static partial void LogFirstRefusal(ILogger logger, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "A write to {Path} was refused: a migration drains it")]
    private static partial void LogRefusal(ILogger logger, string path);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Path} is not ready to serve (status {Status})")]
    private static partial void LogNotReady(ILogger logger, string path, string status);
}
