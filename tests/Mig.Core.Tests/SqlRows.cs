using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests;

/// <summary>
/// Reading a query back as plain values, for every test that checks what a file holds
/// (<see cref="TestDatabase"/>, <see cref="Migration.MigrationPair"/>).
/// </summary>
internal static class SqlRows
{
    /// <summary>Every row of <paramref name="sql"/>, every value as SQLite stores it (long, double, string, byte[] or null).</summary>
    public static List<object?[]> Read(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(c, sql, parameters);
        using var reader = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>A command with named parameters; a null value binds NULL.</summary>
    public static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }
}
