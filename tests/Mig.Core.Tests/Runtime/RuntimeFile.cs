using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Runtime;

/// <summary>
/// A small database file for runtime tests, made by hand rather than by a schema so the
/// journal mode and the status are whatever the test needs: a table <c>item(id, name)</c>
/// and <c>_migration_status</c>. Lives in a temp directory of its own; disposing deletes it.
/// </summary>
internal sealed class RuntimeFile : IDisposable
{
    private RuntimeFile(string directory) =>
        (Directory, Path) = (directory, System.IO.Path.Combine(directory, "app.db"));

    public string Directory { get; }
    public string Path { get; }

    /// <summary>Creates the file with <paramref name="status"/>, in WAL or in rollback ('delete') mode.</summary>
    public static RuntimeFile Create(string status, bool wal)
    {
        var file = new RuntimeFile(TestDatabase.NewDirectory());
        using var c = file.Open(create: true);
        Execute(c, "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        foreach (var sql in Protocol.NewDatabaseStatements(status)) Execute(c, sql);
        Execute(c, wal ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE");
        return file;
    }

    /// <summary>A plain unpooled connection, as another program would open the file; no busy timeout.</summary>
    public SqliteConnection Open(bool create = false)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 1,
        }.ToString());
        c.Open();
        Execute(c, "PRAGMA busy_timeout = 0");
        return c;
    }

    /// <summary>The file's journal mode as a fresh connection reads it.</summary>
    public string JournalMode()
    {
        using var c = Open();
        return Scalar(c, "PRAGMA journal_mode")!.ToString()!;
    }

    public long Count()
    {
        using var c = Open();
        return (long)Scalar(c, "SELECT count(*) FROM item")!;
    }

    public static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    /// <summary>Inserts one row in the transaction of a <see cref="MigDatabase"/> call.</summary>
    public static Task InsertAsync(MigTransaction txn, string name)
    {
        using var cmd = txn.Connection.CreateCommand();
        cmd.CommandText = "INSERT INTO item(name) VALUES (@n)";
        cmd.Parameters.AddWithValue("@n", name);
        cmd.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    /// <summary>The journal mode seen inside a <see cref="MigDatabase"/> call.</summary>
    public static Task<string> JournalModeAsync(MigTransaction txn)
    {
        using var cmd = txn.Connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        return Task.FromResult((string)cmd.ExecuteScalar()!);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
