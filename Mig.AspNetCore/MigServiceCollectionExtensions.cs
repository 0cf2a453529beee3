using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mig.AspNetCore;

/// <summary>Registers the app's <see cref="MigDatabase"/>.</summary>
public static class MigServiceCollectionExtensions
{
    /// <summary>The connection string (<c>ConnectionStrings:Mig</c>) a database path may come from.</summary>
    public const string ConnectionStringName = "Mig";

    /// <summary>The configuration section <see cref="MigWebOptions"/> is bound from.</summary>
    public const string SectionName = "Mig";

    /// <summary>
    /// Registers one <see cref="MigDatabase"/> for the app's lifetime (a singleton, disposed with
    /// the host), observed by Mig's logs and metrics. The file is <c>Mig:Path</c>, else
    /// <c>ConnectionStrings:Mig</c>, else <paramref name="defaultPath"/> (pass the generated
    /// <c>MigSchemaInfo.DatabaseFileName</c>); it is opened when the host starts, so a missing
    /// file stops the app at start with its path.
    /// </summary>
    public static IServiceCollection AddMigDatabase(this IServiceCollection services, string? defaultPath = null, Action<MigWebOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MigWebOptions>().BindConfiguration(SectionName);
        if (configure is not null) options.Configure(configure);
        services.AddMetrics();
        services.AddSingleton<MigTelemetry>();
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<MigWebOptions>>().Value;
            var path = ResolvePath(settings.Path, provider.GetService<IConfiguration>()?.GetConnectionString(ConnectionStringName), defaultPath,
                provider.GetService<IHostEnvironment>()?.ContentRootPath);
            return new MigDatabase(path, new MigDatabaseOptions
            {
                BusyTimeout = settings.BusyTimeout,
                MaxConnections = settings.MaxConnections,
                MaxIdleConnections = settings.MaxConnections,
                Observer = provider.GetRequiredService<MigTelemetry>(),
            });
        });
        services.AddHostedService<MigDatabaseStartup>();
        return services;
    }

    /// <summary>The first of the configured path, the connection string and the default, as a full path.</summary>
    internal static string ResolvePath(string? configured, string? connectionString, string? defaultPath, string? contentRoot)
    {
        var path = !string.IsNullOrWhiteSpace(configured) ? configured
            : !string.IsNullOrWhiteSpace(connectionString) ? DataSource(connectionString)
            : !string.IsNullOrWhiteSpace(defaultPath) ? defaultPath
            : throw new InvalidOperationException(
                $"AddMigDatabase has no database path: set {SectionName}:Path or ConnectionStrings:{ConnectionStringName} in the configuration, or pass MigSchemaInfo.DatabaseFileName to AddMigDatabase.");
        return System.IO.Path.GetFullPath(path, contentRoot ?? Environment.CurrentDirectory);
    }

    // "Data Source=x.db" (SQLite's own form) or a bare path.
    private static string DataSource(string connectionString) =>
        connectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(connectionString).DataSource is { Length: > 0 } source ? source
                : throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} names no Data Source.")
            : connectionString;
}
