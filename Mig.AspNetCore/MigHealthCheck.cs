using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mig.AspNetCore;

/// <summary>
/// Runs an empty read (which reads the markers when the file changed) and reports: Healthy
/// while the file serves, Degraded while a migration records or drains it (data <c>phase</c>:
/// <c>recording</c>, <c>draining</c>), Unhealthy while it is not ready (data <c>phase</c>:
/// <c>not-ready</c>, <c>status</c>: the file's status). Health endpoints answer 503 only for
/// Unhealthy, so a load balancer sends traffic to a v2 app as soon as cutover makes its file ready.
/// </summary>
internal sealed class MigHealthCheck(MigDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.ReadAsync(_ => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
        }
        catch (MigDatabaseNotReadyException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e, Data(database, "not-ready", e.Status));
        }
        return database.Marker switch
        {
            null => HealthCheckResult.Healthy($"{database.Path} serves", Data(database, "serving", null)),
            var marker => HealthCheckResult.Degraded(
                marker == "draining"
                    ? $"{database.Path} is drained by a migration: writes are refused until the new file serves"
                    : $"{database.Path} is being migrated: its writes are recorded for the new file",
                null, Data(database, marker, null)),
        };
    }

    private static Dictionary<string, object> Data(MigDatabase database, string phase, string? status)
    {
        var data = new Dictionary<string, object> { ["phase"] = phase, ["path"] = database.Path };
        if (status is not null) data["status"] = status;
        return data;
    }
}
