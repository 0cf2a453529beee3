using System.ComponentModel;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig;

/// <summary>
/// The engine behind the generated <c>MigSchemaInfo.UpgradeAsync</c>: apps call that method, which
/// passes the schema model compiled into the app (so nothing needs Roslyn or the SDK at run time).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MigUpgrade
{
    /// <summary>
    /// Brings <paramref name="directory"/> to the schema of <paramref name="modelJson"/>: creates the
    /// database file when there is none, returns the current schema's file when it is ready, or migrates
    /// the one older file offline into it and archives the old file. One process at a time per folder.
    /// </summary>
    /// <param name="directory">The folder of the database files.</param>
    /// <param name="databaseName">The stem of the file names (<c>name-hash.db</c>).</param>
    /// <param name="schemaHash">The hash the generated code was built with; checked against the model.</param>
    /// <param name="modelJson">The compiled schema model.</param>
    /// <param name="options">Archive folder, data loss, lock timeout, log; null for the defaults.</param>
    /// <param name="cancellationToken">Stops waiting for another process's upgrade; a migration that started runs to its end.</param>
    /// <returns>The path of the current schema's file, ready to open.</returns>
    /// <exception cref="MigMigrationException">Refused or failed, with its MIG code; the files are as they were.</exception>
    public static Task<string> UpgradeAsync(string directory, string databaseName, string schemaHash, string modelJson, MigUpgradeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(databaseName);
        ArgumentException.ThrowIfNullOrEmpty(modelJson);
        options ??= new MigUpgradeOptions();
        var model = SchemaModelJson.Deserialize(modelJson);
        var hash = SchemaHash.Compute(model);
        if (hash != schemaHash)
            throw new MigMigrationException(MigCode.Internal, $"The schema model compiled into the app has hash {hash}, its code says {schemaHash}. Rebuild the app.");
        // The engine is synchronous SQLite work; off the caller's thread so an app's startup can await it.
        return Task.Run(() => Translate(() => new UpgradeStep(model, hash, databaseName, options).Run(directory, cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// The engine's messages name the SDK's switch; an app that upgrades itself has no -p: to pass, so a
    /// refusal names the option that accepts the loss instead.
    /// </summary>
    private static string ForApp(string message) =>
        message.Replace("-p:MigAllowDataLoss=true", "MigUpgradeOptions.AllowDataLoss = true", StringComparison.Ordinal);

    /// <summary>Every refusal as <see cref="MigMigrationException"/> with the code the targets would print.</summary>
    private static string Translate(Func<string> upgrade)
    {
        try
        {
            return upgrade();
        }
        catch (MigOperationException e)
        {
            throw new MigMigrationException(e.Code, ForApp(e.Message), e);
        }
        catch (DatabaseCreationException e)
        {
            throw new MigMigrationException(e.Code, e.Message, e);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            var (code, message) = SqliteFailures.Explain(e);
            throw new MigMigrationException(code, message, e);
        }
    }
}
