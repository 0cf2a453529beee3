using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Mig.AspNetCore;

/// <summary>
/// Answers a request whose handler met a migration with 503 and a problem-details body:
/// <see cref="MigWritesPausedException"/> (the old file is drained; retry after cutover) and
/// <see cref="MigDatabaseNotReadyException"/> (the new file is not ready yet), both with
/// <c>Retry-After</c>. A response that has already started cannot be changed: the exception
/// goes on to the server, which aborts it.
/// </summary>
internal sealed class MigWritePauseMiddleware(RequestDelegate next, IOptions<MigWebOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && Find(e) is { } migration)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            var seconds = Math.Max(1, (int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var (title, status) = migration switch
            {
                MigDatabaseNotReadyException notReady => ("The database is not ready yet", notReady.Status),
                _ => ("Writes are paused for a database migration", (string?)null),
            };
            var extensions = new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds };
            if (status is not null) extensions["databaseStatus"] = status;
            await Results.Problem(detail: migration.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: title, extensions: extensions)
                .ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    // The handler may have wrapped it (an AggregateException, its own exception type).
    private static Exception? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is MigWritesPausedException or MigDatabaseNotReadyException) return e;
        return null;
    }
}
