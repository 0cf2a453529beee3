using Microsoft.Data.Sqlite;

namespace Mig.AspNetCore.Tests;

/// <summary>
/// A database file made by hand, in the states a migration leaves a file in: a table
/// <c>item(id, name)</c>; for an old file the marker table Mig's migration adds, for a new file
/// its status table (docs/hot-migration.md). Lives in a temp folder of its own.
/// </summary>
internal sealed class TestFile : IDisposable
{
    private TestFile(string directory) => (Directory, Path) = (directory, System.IO.Path.Combine(directory, "app.db"));

    public string Directory { get; }
    public string Path { get; }

    /// <summary>A file that serves; <paramref name="status"/> non-null makes it a migration's new file with that status.</summary>
    public static TestFile Create(string? status = null)
    {
        var file = new TestFile(System.IO.Directory.CreateTempSubdirectory("mig-aspnetcore-").FullName);
        file.Execute("CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        if (status is not null)
        {
            file.Execute("CREATE TABLE _migration_status(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL)");
            file.Execute($"INSERT INTO _migration_status VALUES (0, '{status}')");
        }
        return file;
    }

    /// <summary>Sets the old-file marker ('recording', 'draining') as a migration does.</summary>
    public void SetMarker(string marker)
    {
        Execute("CREATE TABLE IF NOT EXISTS _migration_marker(id INTEGER PRIMARY KEY CHECK (id = 0), status TEXT NOT NULL, txn_seq INTEGER NOT NULL DEFAULT 0)");
        Execute($"INSERT INTO _migration_marker(id, status) VALUES (0, '{marker}') ON CONFLICT(id) DO UPDATE SET status = excluded.status");
    }

    public void SetStatus(string status) => Execute($"UPDATE _migration_status SET status = '{status}'");

    public long Count()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM item";
        return (long)cmd.ExecuteScalar()!;
    }

    public void Execute(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection($"Data Source={Path};Pooling=False");
        c.Open();
        return c;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
