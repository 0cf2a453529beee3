using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mig.AspNetCore;

/// <summary>
/// Creates the <see cref="MigDatabase"/> when the host starts: a missing file (or no path) stops
/// the app at start rather than failing its first request. Opens nothing: a file a migration is
/// still building starts the app, which answers 503 until cutover.
/// </summary>
internal sealed class MigDatabaseStartup(MigDatabase database, ILogger<MigDatabase> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        MigTelemetry.Serving(logger, database);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
