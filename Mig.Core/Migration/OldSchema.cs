using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>A table as it is in an existing database file.</summary>
public sealed record OldTable(string Name, IReadOnlyList<OldColumn> Columns, IReadOnlyList<string> PrimaryKey, bool WithoutRowId, long RowCount)
{
    /// <summary>Column sets the old file keeps unique: the primary key and each full (not partial) unique index over plain columns.</summary>
    public IReadOnlyList<IReadOnlyList<string>> UniqueKeys { get; init; } = [];
}

/// <summary>A column as it is in an existing database file.</summary>
public sealed record OldColumn(string Name, string DeclaredType, bool NotNull, string? Default);

/// <summary>
/// Reads the schema of an existing file from the file itself (sqlite_schema and
/// pragmas), never from C# types: the old file is the truth about the old data.
/// Mig's own bookkeeping (<c>_mig*</c>) and SQLite's (<c>sqlite_*</c>) are left out.
/// </summary>
public static class Introspector
{
    /// <summary>
    /// The user tables of the database open on <paramref name="connection"/>, in schema <paramref name="schema"/>.
    /// Counting rows scans every table, so callers on the write-paused path pass <paramref name="countRows"/> false (RowCount is then -1).
    /// </summary>
    public static IReadOnlyList<OldTable> Tables(SqliteConnection connection, string schema = "main", bool countRows = true)
    {
        var names = new List<(string Name, string Sql)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT name, coalesce(sql, '') FROM {schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_mig%' ESCAPE '\\' ORDER BY name";
            using var r = cmd.ExecuteReader();
            while (r.Read()) names.Add((r.GetString(0), r.GetString(1)));
        }
        var result = new List<OldTable>();
        foreach (var (name, sql) in names)
        {
            var columns = new List<(int Pk, OldColumn Column)>();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@t, @s) ORDER BY cid";
                cmd.Parameters.AddWithValue("@t", name);
                cmd.Parameters.AddWithValue("@s", schema);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    columns.Add((r.GetInt32(4), new OldColumn(r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, r.IsDBNull(3) ? null : r.GetString(3))));
            }
            long count = -1;
            if (countRows)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = $"SELECT count(*) FROM {schema}.{SqlIdentifier.Quote(name)}";
                count = (long)cmd.ExecuteScalar()!;
            }
            var withoutRowId = sql.TrimEnd().TrimEnd(';').EndsWith("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase);
            IReadOnlyList<string> primaryKey = [.. columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Column.Name)];
            var uniqueKeys = UniqueIndexes(connection, schema, name);
            if (primaryKey.Count > 0) uniqueKeys.Insert(0, primaryKey);
            result.Add(new OldTable(name, [.. columns.Select(c => c.Column)], primaryKey, withoutRowId, count) { UniqueKeys = uniqueKeys });
        }
        return result;
    }

    private static List<IReadOnlyList<string>> UniqueIndexes(SqliteConnection connection, string schema, string table)
    {
        var names = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM pragma_index_list(@t, @s) WHERE \"unique\" = 1 AND partial = 0";
            cmd.Parameters.AddWithValue("@t", table);
            cmd.Parameters.AddWithValue("@s", schema);
            using var r = cmd.ExecuteReader();
            while (r.Read()) names.Add(r.GetString(0));
        }
        var keys = new List<IReadOnlyList<string>>();
        foreach (var index in names)
        {
            using var cmd = connection.CreateCommand();
            // An expression column has no name: such an index says nothing about plain column values.
            cmd.CommandText = "SELECT name FROM pragma_index_info(@i, @s) ORDER BY seqno";
            cmd.Parameters.AddWithValue("@i", index);
            cmd.Parameters.AddWithValue("@s", schema);
            var columns = new List<string>();
            var plain = true;
            using (var r = cmd.ExecuteReader())
                while (r.Read())
                {
                    if (r.IsDBNull(0)) plain = false;
                    else columns.Add(r.GetString(0));
                }
            if (plain && columns.Count > 0) keys.Add(columns);
        }
        return keys;
    }
}
