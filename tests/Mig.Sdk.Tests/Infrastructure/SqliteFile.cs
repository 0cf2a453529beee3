using Microsoft.Data.Sqlite;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>A database file the build created, opened to read it back (foreign keys on, no pooling).</summary>
internal sealed class SqliteFile : IDisposable
{
    public SqliteFile(string path)
    {
        Assert.IsTrue(File.Exists(path), $"The database {path} should exist.");
        Connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite, // never create: the build must have made it
            Pooling = false,
            ForeignKeys = true,
        }.ToString());
        Connection.Open();
    }

    public SqliteConnection Connection { get; }

    /// <summary>Names of the schema objects of a type ('table', 'index', 'view'), without SQLite's own.</summary>
    public IReadOnlyList<string> Names(string type) =>
        [.. Rows("SELECT name FROM sqlite_master WHERE type = @p0 AND name NOT LIKE 'sqlite_%' ORDER BY name", type).Select(r => (string)r[0]!)];

    /// <summary>Every row of a query, values as SQLite returns them (long, double, string, byte[], null).</summary>
    public IReadOnlyList<object?[]> Rows(string sql, params object[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public object? Scalar(string sql, params object[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    public int Execute(string sql, params object[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, object[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++) command.Parameters.AddWithValue("@p" + i, parameters[i]);
        return command;
    }

    public void Dispose() => Connection.Dispose();
}
