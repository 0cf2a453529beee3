using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

/// <summary>A column as <c>PRAGMA table_info</c> reports it.</summary>
internal sealed record DbColumn(string Name, string Type, bool NotNull, string? Default, int Pk);

/// <summary>A foreign key column pair as <c>PRAGMA foreign_key_list</c> reports it.</summary>
internal sealed record DbForeignKey(int Id, int Seq, string Table, string From, string To, string OnDelete);

/// <summary>An index as <c>PRAGMA index_list</c> reports it, with its columns from <c>PRAGMA index_info</c>.</summary>
internal sealed record DbIndex(string Name, bool Unique, string Origin, IReadOnlyList<string> Columns);

/// <summary>
/// A real SQLite file made by <see cref="DatabaseCreator"/> in a temp directory of
/// its own, opened for read-back with foreign keys enforced. Disposing deletes it all.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    public string Directory { get; }
    public string Path { get; }
    public SqliteConnection Connection { get; }

    private TestDatabase(string directory, string path)
    {
        Directory = directory;
        Path = path;
        // No pooling, so closing really closes the file and the directory can go.
        Connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = true }.ToString());
        Connection.Open();
    }

    /// <summary>Every temp directory the tests made, so the run can check none is left.</summary>
    public static ConcurrentBag<string> Made { get; } = [];

    /// <summary>A new empty temp directory for a test.</summary>
    public static string NewDirectory()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mig-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        Made.Add(dir);
        return dir;
    }

    /// <summary>Creates the database of a model and opens it.</summary>
    public static TestDatabase Create(SchemaModel model)
    {
        var dir = NewDirectory();
        var path = System.IO.Path.Combine(dir, "test.db");
        try
        {
            DatabaseCreator.Create(model, path, SchemaHash.Compute(model));
        }
        catch
        {
            System.IO.Directory.Delete(dir, recursive: true);
            throw;
        }
        return new TestDatabase(dir, path);
    }

    /// <summary>Compiles a schema and creates its database.</summary>
    public static TestDatabase Create(string source, out SchemaModel model)
    {
        model = SchemaFixture.Model(source);
        return Create(model);
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    /// <summary>Every row, every value as SQLite returns it (long, double, string, byte[] or null).</summary>
    public List<object?[]> Rows(string sql, params (string Name, object? Value)[] parameters) => SqlRows.Read(Connection, sql, parameters);

    public IReadOnlyList<DbColumn> Columns(string table) =>
        [.. Rows("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@t) ORDER BY cid", ("@t", table))
            .Select(r => new DbColumn((string)r[0]!, (string)r[1]!, (long)r[2]! != 0, (string?)r[3], (int)(long)r[4]!))];

    public DbColumn Column(string table, string column) =>
        Columns(table).SingleOrDefault(c => c.Name == column)
        ?? throw new AssertFailedException($"{table} has no column {column}: {string.Join(", ", Columns(table).Select(c => c.Name))}");

    public IReadOnlyList<DbForeignKey> ForeignKeys(string table) =>
        [.. Rows("SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(@t) ORDER BY id, seq", ("@t", table))
            .Select(r => new DbForeignKey((int)(long)r[0]!, (int)(long)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!))];

    public IReadOnlyList<DbIndex> Indexes(string table) =>
        [.. Rows("SELECT name, \"unique\", origin FROM pragma_index_list(@t)", ("@t", table))
            .Select(r => new DbIndex((string)r[0]!, (long)r[1]! != 0, (string)r[2]!,
                [.. Rows("SELECT name FROM pragma_index_info(@i) ORDER BY seqno", ("@i", (string)r[0]!)).Select(c => (string)c[0]!)]))];

    /// <summary>The SQL SQLite stored for a table, index or view, or null.</summary>
    public string? SchemaSql(string name) => (string?)Scalar("SELECT sql FROM sqlite_schema WHERE name = @n", ("@n", name));

    /// <summary>The type ('table', 'index', 'view') of a schema object, or null when there is none.</summary>
    public string? ObjectType(string name) => (string?)Scalar("SELECT type FROM sqlite_schema WHERE name = @n", ("@n", name));

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters) => SqlRows.Command(Connection, sql, parameters);

    public void Dispose()
    {
        Connection.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
