using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// Reads the schema of an existing file from the file itself (sqlite_schema and
/// pragmas), never from C# types: the old file is the truth about the old data.
/// Mig's own bookkeeping (the exact names of <see cref="Protocol.ReservedNames"/>, nothing else)
/// and SQLite's (<c>sqlite_*</c>, a prefix SQLite reserves) are left out, and so are other tools'
/// (<see cref="IgnoredTables"/>): every step that reads the old file's tables from here never sees them.
/// </summary>
internal static class Introspector
{
    /// <summary>
    /// The user tables of the database open on <paramref name="connection"/>, in schema <paramref name="schema"/>.
    /// Counting rows scans every table, so callers on the write-paused path pass <paramref name="countRows"/> false (RowCount is then -1).
    /// The tables <paramref name="ignored"/> names (none when null) are left out, and added to <paramref name="leftOut"/> when given.
    /// </summary>
    public static IReadOnlyList<OldTable> Tables(SqliteConnection connection, string schema = "main", bool countRows = true, IgnoredTables? ignored = null, ICollection<string>? leftOut = null)
    {
        var names = Names(connection, schema, ignored ?? IgnoredTables.None, leftOut);
        var result = new List<OldTable>();
        foreach (var (name, kind, withoutRowId) in names)
        {
            var columns = new List<(int Pk, OldColumn Column)>();
            using (var cmd = connection.CreateCommand())
            {
                // table_xinfo, not table_info: generated columns (hidden 2 VIRTUAL, 3 STORED) are columns
                // whose values a new plain column of the same name takes; 1 is a virtual table's hidden column.
                cmd.CommandText = $"SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(@t, @s) WHERE hidden <> 1 ORDER BY cid";
                cmd.Parameters.AddWithValue("@t", name);
                cmd.Parameters.AddWithValue("@s", schema);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    columns.Add((r.GetInt32(4), new OldColumn(r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, r.IsDBNull(3) ? null : r.GetString(3)) { Generated = r.GetInt64(5) >= 2 }));
            }
            long count = -1;
            if (countRows)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = $"SELECT count(*) FROM {schema}.{SqlIdentifier.Quote(name)}";
                try
                {
                    count = (long)cmd.ExecuteScalar()!;
                }
                catch (SqliteException) when (kind == "virtual")
                {
                    count = 1; // a module this SQLite lacks: the rows cannot be counted, so assume there are some
                }
            }
            IReadOnlyList<string> primaryKey = [.. columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Column.Name)];
            var indexes = UniqueIndexes(connection, schema, name);
            var uniqueKeys = indexes.Keys;
            var pkIndex = indexes.PrimaryKeyIndex;
            if (primaryKey.Count > 0) uniqueKeys.Insert(0, primaryKey);
            // A single-column INTEGER primary key of a rowid table is the rowid unless SQLite built an
            // index for it (origin 'pk'): that is the INTEGER PRIMARY KEY DESC quirk, and any other type.
            var alias = kind == "table" && !withoutRowId && primaryKey.Count == 1 && !pkIndex
                && string.Equals(columns.First(c => c.Column.Name == primaryKey[0]).Column.DeclaredType, "INTEGER", StringComparison.OrdinalIgnoreCase)
                ? primaryKey[0] : null;
            result.Add(new OldTable(name, [.. columns.Select(c => c.Column)], primaryKey, withoutRowId, count) { UniqueKeys = uniqueKeys, Kind = kind, RowIdAlias = alias, ConflictKeys = indexes.ConflictKeys, ExpressionUniqueIndexes = indexes.ExpressionIndexes });
        }
        return result;
    }

    /// <summary>The user tables' names and kinds, without Mig's, SQLite's and the ignored ones.</summary>
    private static List<(string Name, string Kind, bool WithoutRowId)> Names(SqliteConnection connection, string schema, IgnoredTables ignored, ICollection<string>? leftOut)
    {
        // pragma table_list (SQLite 3.37) knows each table's kind: WITHOUT ROWID and virtual tables are
        // recognised by SQLite itself, whatever options follow in the declaration (", STRICT").
        var names = new List<(string Name, string Kind, bool WithoutRowId)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, type, wr FROM pragma_table_list WHERE schema = @s AND type IN ('table', 'virtual', 'shadow') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
            cmd.Parameters.AddWithValue("@s", schema);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (Protocol.IsReserved(r.GetString(0))) continue;
                if (ignored.Ignores(r.GetString(0))) leftOut?.Add(r.GetString(0));
                else names.Add((r.GetString(0), r.GetString(1), r.GetInt64(2) != 0));
            }
        }
        return names;
    }

    private sealed record IndexFacts(List<IReadOnlyList<string>> Keys, bool PrimaryKeyIndex, List<ConflictKey> ConflictKeys, List<string> ExpressionIndexes);

    private static IndexFacts UniqueIndexes(SqliteConnection connection, string schema, string table)
    {
        var indexes = new List<(string Name, bool Partial)>();
        var pkIndex = false;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, origin, partial FROM pragma_index_list(@t, @s) WHERE \"unique\" = 1";
            cmd.Parameters.AddWithValue("@t", table);
            cmd.Parameters.AddWithValue("@s", schema);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                indexes.Add((r.GetString(0), r.GetInt64(2) != 0));
                if (r.GetString(1) == "pk") pkIndex = true;
            }
        }
        var facts = new IndexFacts([], pkIndex, [], []);
        foreach (var (index, partial) in indexes)
        {
            using var cmd = connection.CreateCommand();
            // An expression column has no name (cid -2): such an index says nothing about plain column values.
            cmd.CommandText = "SELECT name, coll FROM pragma_index_xinfo(@i, @s) WHERE key = 1 ORDER BY seqno";
            cmd.Parameters.AddWithValue("@i", index);
            cmd.Parameters.AddWithValue("@s", schema);
            var columns = new List<KeyColumn>();
            var plain = true;
            using (var r = cmd.ExecuteReader())
                while (r.Read())
                {
                    if (r.IsDBNull(0)) plain = false;
                    else columns.Add(new KeyColumn(r.GetString(0), r.IsDBNull(1) ? "BINARY" : r.GetString(1)));
                }
            if (!plain) { facts.ExpressionIndexes.Add(index); continue; }
            if (columns.Count == 0) continue;
            facts.ConflictKeys.Add(new ConflictKey(columns, partial) { Index = index });
            if (!partial) facts.Keys.Add([.. columns.Select(c => c.Name)]);
        }
        return facts;
    }
}
