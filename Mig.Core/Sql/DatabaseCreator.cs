using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Sql;

/// <summary>A database file Mig refuses to create, with the code and advice to show.</summary>
internal sealed class MigOperationException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Stable <c>MIGnnnn</c> code.</summary>
    public string Code { get; } = code;
}

/// <summary>
/// Creates a database file from a model (MigInit, and the first step of a
/// migration). The file is built under a temporary name and moved into place
/// only when complete, so a crash or an error never leaves a half-built file
/// under the real name, and an existing file is never overwritten.
/// </summary>
internal static class DatabaseCreator
{
    /// <summary>MigInit found a file already at the path.</summary>
    public const string ExistsCode = "MIG0030";
    /// <summary>The file could not be written (directory missing, permissions, disk).</summary>
    public const string IoCode = "MIG0031";

    /// <summary>Creates <paramref name="path"/> with tables, indexes, views, seeds and the given status.</summary>
    public static void Create(SchemaModel model, string path, string hash, string status = Protocol.Ready)
    {
        path = Path.GetFullPath(path);
        if (File.Exists(path))
            throw new MigOperationException(ExistsCode,
                $"{path} already exists; MigInit never overwrites a database. Use it as it is, delete it if it holds nothing you need, or change the schema to get a new file name.");
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir))
            throw new MigOperationException(IoCode, $"The directory {dir} does not exist. Create it or set MigDatabaseDir.");

        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            // Built with a rollback journal (faster to load) and switched to WAL before it is served.
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString()))
            {
                connection.Open();
                using (var txn = connection.BeginTransaction())
                {
                    SchemaWriter.CreateObjects(connection, model);
                    SchemaWriter.WriteSeeds(connection, model);
                    foreach (var sql in Protocol.NewDatabaseStatements(status)) Execute(connection, sql);
                    using var info = connection.CreateCommand();
                    info.CommandText = $"INSERT INTO {Protocol.InfoTable}(key, value) VALUES ('schema_hash', @hash), ('created_at', @at), ('mig_version', @version)";
                    info.Parameters.AddWithValue("@hash", hash);
                    info.Parameters.AddWithValue("@at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                    info.Parameters.AddWithValue("@version", typeof(DatabaseCreator).Assembly.GetName().Version?.ToString() ?? "");
                    info.ExecuteNonQuery();
                    txn.Commit();
                }
                Execute(connection, "PRAGMA journal_mode = WAL");
            }
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException e) when (File.Exists(path) && File.Exists(temp))
        {
            // The move found a file that another process created meanwhile; ours is still the temp file.
            throw new MigOperationException(ExistsCode, $"{path} appeared while it was being created; nothing was overwritten. Run MigInit again if it should be replaced.", e);
        }
        catch (IOException e)
        {
            throw new MigOperationException(IoCode, $"Cannot write {path}: {e.Message}. Check the disk and the directory.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new MigOperationException(IoCode, $"Cannot write {path}: {e.Message}. Check the directory's permissions.", e);
        }
        finally
        {
            foreach (var f in new[] { temp, temp + "-journal", temp + "-wal", temp + "-shm" })
                if (File.Exists(f)) File.Delete(f);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
