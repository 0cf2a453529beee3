using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>A table as it is in an existing database file.</summary>
public sealed record OldTable(string Name, IReadOnlyList<OldColumn> Columns, IReadOnlyList<string> PrimaryKey, bool WithoutRowId, long RowCount);

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
            result.Add(new OldTable(name, [.. columns.Select(c => c.Column)],
                [.. columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Column.Name)], withoutRowId, count));
        }
        return result;
    }
}
