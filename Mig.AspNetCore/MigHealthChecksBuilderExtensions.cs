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
    /// <param name="builder">The app's health checks.</param>
    /// <param name="name">The check's name in the report.</param>
    /// <param name="tags">The check's tags.</param>
    /// <param name="database">The name a database was registered with (<c>AddKeyedMigDatabase(name, ...)</c>); null: the app's one database.</param>
    public static IHealthChecksBuilder AddMigHealthCheck(this IHealthChecksBuilder builder, string name = "mig", IEnumerable<string>? tags = null, string? database = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name,
            provider => new MigHealthCheck(database is null ? provider.GetRequiredService<MigDatabase>() : provider.GetRequiredKeyedService<MigDatabase>(database)),
            HealthStatus.Unhealthy, tags));
    }
}
