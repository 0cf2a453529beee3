using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Sql;

/// <summary>
/// Creates a database file from a model (MigInit; a migration builds its new file
/// its own way). The file is built under a temporary name and moved into
/// place only when complete, so a crash or an error never leaves a half-built file
/// under the real name, and an existing file is never overwritten. Refusals and
/// failures are <see cref="DatabaseCreationException"/>s.
/// </summary>
internal static class DatabaseCreator
{
    /// <summary>Creates <paramref name="path"/> with tables, indexes, views, seeds and the given status.</summary>
    public static void Create(SchemaModel model, string path, string hash, string status = Protocol.Ready)
    {
        path = Path.GetFullPath(path);
        if (File.Exists(path))
            throw new DatabaseCreationException(MigCode.DatabaseExists,
                $"{path} already exists; MigInit never overwrites a database. Use it as it is, delete it if it holds nothing you need, or change the schema to get a new file name.");
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir))
            throw new DatabaseCreationException(MigCode.DatabaseNotWritable, $"The directory {dir} does not exist. Create it or set MigDatabaseDir.");

        TempFiles.RemoveLeftOver(path);
        var temp = TempFiles.Unique(path);
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
                    foreach (var sql in Protocol.NewDatabaseStatements(status)) SqliteFile.Execute(connection, sql, txn);
                    using var info = connection.CreateCommand();
                    info.CommandText = $"INSERT INTO {Protocol.InfoTable}(key, value) VALUES ('{InfoKeys.SchemaHash}', @hash), ('{InfoKeys.CreatedAt}', @at), ('{InfoKeys.MigVersion}', @version)";
                    info.Parameters.AddWithValue("@hash", hash);
                    info.Parameters.AddWithValue("@at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                    info.Parameters.AddWithValue("@version", typeof(DatabaseCreator).Assembly.GetName().Version?.ToString() ?? "");
                    info.ExecuteNonQuery();
                    txn.Commit();
                }
                // Nobody else has the temporary file: the switch cannot be busy.
                SqliteFile.Execute(connection, "PRAGMA journal_mode = WAL");
            }
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException e) when (File.Exists(path) && File.Exists(temp))
        {
            // The move found a file that another process created meanwhile; ours is still the temp file.
            throw new DatabaseCreationException(MigCode.DatabaseExists, $"{path} appeared while it was being created; nothing was overwritten. Run MigInit again if it should be replaced.", e);
        }
        catch (IOException e)
        {
            throw new DatabaseCreationException(MigCode.DatabaseNotWritable, $"Cannot write {path}: {e.Message}. Check the disk and the directory.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DatabaseCreationException(MigCode.DatabaseNotWritable, $"Cannot write {path}: {e.Message}. Check the directory's permissions.", e);
        }
        finally
        {
            foreach (var f in new[] { temp, temp + "-journal", temp + "-wal", temp + "-shm" })
                if (File.Exists(f)) File.Delete(f);
        }
    }
}
