using Microsoft.Extensions.Logging;

namespace Mig.AspNetCore;

/// <summary>
/// The observer of one of the app's <see cref="MigDatabase"/>s: logs marker changes and refused
/// calls through ILogger, and counts through the meter <see cref="MigMetrics.MeterName"/> (which
/// OpenTelemetry's <c>AddMeter("Mig")</c> or <c>dotnet-counters</c> pick up), every measurement
/// tagged <c>mig.database</c> with the database's name.
/// </summary>
internal sealed partial class MigTelemetry(ILogger<MigDatabase> logger, MigInstruments instruments, string name) : MigDatabaseObserver
{
    private readonly KeyValuePair<string, object?> tag = new(MigMetrics.DatabaseTag, name);
    // Refused calls come by the thousand during a drain: each is logged at Debug, and the first
    // of a run at Warning, so the log says when refusals began without one line per request.
    private int refusing;

    /// <summary>Logs, at start, the file the app serves.</summary>
    public static void Serving(ILogger logger, MigDatabase database) => LogServing(logger, database.Path);

    public override void MarkerChanged(MigDatabase database, string? previous, string? current)
    {
        LogMarker(logger, database.Path, previous ?? "none", current ?? "none");
        if (current is null) Interlocked.Exchange(ref refusing, 0);
    }

    public override void WriteRefused(MigDatabase database, MigWritesPausedException exception)
    {
        instruments.RefusedWrites.Add(1, tag);
        if (Interlocked.Exchange(ref refusing, 1) == 0) LogFirstRefusal(logger, database.Path);
        else LogRefusal(logger, database.Path);
    }

    public override void NotReady(MigDatabase database, MigDatabaseNotReadyException exception)
    {
        instruments.NotReady.Add(1, tag, new KeyValuePair<string, object?>("mig.status", exception.Status));
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
        instruments.Transactions.Add(1, tag, kind, outcome);
        instruments.Duration.Record(duration.TotalSeconds, tag, kind, outcome);
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
