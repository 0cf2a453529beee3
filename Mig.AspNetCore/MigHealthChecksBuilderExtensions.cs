using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mig.AspNetCore;

/// <summary>Adds Mig's health check.</summary>
public static class MigHealthChecksBuilderExtensions
{
    /// <summary>
    /// The health of the app's <see cref="MigDatabase"/> (registered by AddMigDatabase): Healthy
    /// when it serves, Degraded while a migration records or drains it (the phase in the data),
    /// Unhealthy while the file is not ready. Map it with <c>app.MapHealthChecks("/health")</c>.
    /// </summary>
    public static IHealthChecksBuilder AddMigHealthCheck(this IHealthChecksBuilder builder, string name = "mig", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, provider => new MigHealthCheck(provider.GetRequiredService<MigDatabase>()), HealthStatus.Unhealthy, tags));
    }
}
