using Microsoft.AspNetCore.Builder;

namespace Mig.AspNetCore;

/// <summary>Adds Mig's middleware.</summary>
public static class MigApplicationBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="MigWritesPausedException"/> (a migration drains the file) and
    /// <see cref="MigDatabaseNotReadyException"/> (a migration still builds it) thrown by later
    /// middleware and endpoints to 503 with <c>Retry-After</c> (<see cref="MigWebOptions.RetryAfter"/>)
    /// and a problem-details body. Add it before the endpoints, after an exception handler.
    /// </summary>
    public static IApplicationBuilder UseMigWritePause(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<MigWritePauseMiddleware>();
    }
}
