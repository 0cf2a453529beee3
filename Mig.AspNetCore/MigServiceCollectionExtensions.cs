using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
    /// file stops the app at start with its path. Calling it again adds <paramref name="configure"/>
    /// and registers nothing more (with another <paramref name="defaultPath"/>: InvalidOperationException).
    /// </summary>
    public static IServiceCollection AddMigDatabase(this IServiceCollection services, string? defaultPath = null, Action<MigWebOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MigWebOptions>().BindConfiguration(SectionName);
        if (configure is not null) options.Configure(configure);
        if (MigDatabaseRegistration.AlreadyAdded(services, null, defaultPath)) return services;
        services.AddMetrics();
        services.TryAddSingleton<MigInstruments>();
        services.AddSingleton(provider => Create(provider, provider.GetRequiredService<IOptions<MigWebOptions>>().Value, ConnectionStringName, defaultPath, MigMetrics.DefaultDatabase));
        services.AddSingleton<IHostedService>(provider => new MigDatabaseStartup(provider.GetRequiredService<MigDatabase>(), provider.GetRequiredService<ILogger<MigDatabase>>()));
        return services;
    }

    /// <summary>
    /// One of several databases (a project with several, docs/msbuild.md "Several databases in one project"):
    /// a keyed <see cref="MigDatabase"/> (<c>[FromKeyedServices("audit")] MigDatabase audit</c>), for the app's
    /// lifetime, observed by Mig's logs and metrics. The file is <c>Mig:Databases:&lt;name&gt;:Path</c>, else
    /// <c>ConnectionStrings:&lt;name&gt;</c>, else <paramref name="defaultPath"/> (that database's
    /// <c>MigSchemaInfo.DatabaseFileName</c>); the other settings come from <c>Mig:Databases:&lt;name&gt;</c>.
    /// <c>AddMigHealthCheck("mig-audit", database: "audit")</c> checks it. The write pause middleware covers every database.
    /// Its metrics carry the tag <c>mig.database</c> = <paramref name="name"/>. Calling it again with the same name adds
    /// <paramref name="configure"/> and registers nothing more (with another <paramref name="defaultPath"/>: InvalidOperationException).
    /// </summary>
    public static IServiceCollection AddKeyedMigDatabase(this IServiceCollection services, string name, string? defaultPath = null, Action<MigWebOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = services.AddOptions<MigWebOptions>(name).BindConfiguration($"{SectionName}:Databases:{name}");
        if (configure is not null) options.Configure(configure);
        if (MigDatabaseRegistration.AlreadyAdded(services, name, defaultPath)) return services;
        services.AddMetrics();
        services.TryAddSingleton<MigInstruments>();
        services.AddKeyedSingleton(name, (provider, _) => Create(provider, provider.GetRequiredService<IOptionsMonitor<MigWebOptions>>().Get(name), name, defaultPath, name));
        services.AddSingleton<IHostedService>(provider => new MigDatabaseStartup(provider.GetRequiredKeyedService<MigDatabase>(name), provider.GetRequiredService<ILogger<MigDatabase>>()));
        return services;
    }

    private static MigDatabase Create(IServiceProvider provider, MigWebOptions settings, string connectionStringName, string? defaultPath, string metricsName)
    {
        var path = ResolvePath(settings.Path, provider.GetService<IConfiguration>()?.GetConnectionString(connectionStringName), defaultPath,
            provider.GetService<IHostEnvironment>()?.ContentRootPath);
        return new MigDatabase(path, new MigDatabaseOptions
        {
            BusyTimeout = settings.BusyTimeout,
            MaxConnections = settings.MaxConnections,
            MaxIdleConnections = settings.MaxConnections,
            Observer = new MigTelemetry(provider.GetRequiredService<ILogger<MigDatabase>>(), provider.GetRequiredService<MigInstruments>(), metricsName),
        });
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
