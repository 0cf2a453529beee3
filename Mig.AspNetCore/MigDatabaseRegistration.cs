using Microsoft.Extensions.DependencyInjection;

namespace Mig.AspNetCore;

/// <summary>
/// A marker in the service collection for each database registered (null key: <c>AddMigDatabase</c>),
/// so a second call for the same database adds its settings instead of a second instance and a
/// second start-up check (ASP.NET Core's <c>Add...</c> methods may be called more than once).
/// </summary>
internal sealed record MigDatabaseRegistration(string? Key, string? DefaultPath)
{
    /// <summary>
    /// True when the database <paramref name="key"/> is registered already; throws when that
    /// registration named another default path, which one database cannot have. Otherwise records it.
    /// </summary>
    public static bool AlreadyAdded(IServiceCollection services, string? key, string? defaultPath)
    {
        var earlier = services.Select(d => d.ImplementationInstance).OfType<MigDatabaseRegistration>().FirstOrDefault(r => r.Key == key);
        if (earlier is null)
        {
            services.AddSingleton(new MigDatabaseRegistration(key, defaultPath));
            return false;
        }
        if (defaultPath is not null && earlier.DefaultPath is not null && !string.Equals(earlier.DefaultPath, defaultPath, StringComparison.Ordinal))
        {
            var call = key is null ? "AddMigDatabase" : $"AddKeyedMigDatabase(\"{key}\")";
            throw new InvalidOperationException(
                $"{call} was called twice with different default paths ({earlier.DefaultPath}, then {defaultPath}); a database has one file. " +
                "Call it once, or register the other database with AddKeyedMigDatabase(name, path).");
        }
        return true;
    }
}
