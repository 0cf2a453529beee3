using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>An index of an old table as SQLite describes it: what the record transfer needs to know whether its entries fit a new index.</summary>
/// <param name="Name">Its name in the old file.</param>
/// <param name="Unique">A UNIQUE index (a constraint's or a CREATE UNIQUE INDEX).</param>
/// <param name="Partial">Has a WHERE clause.</param>
/// <param name="Keys">Each key column: its position in the table (-2 for an expression), DESC, collation.</param>
internal sealed record OldIndex(string Name, bool Unique, bool Partial, IReadOnlyList<(long Cid, bool Desc, string Collation)> Keys)
{
    /// <summary>The indexes of <paramref name="table"/> in the file attached as <c>old</c>.</summary>
    public static IReadOnlyList<OldIndex> ReadAll(SqliteConnection c, SqliteTransaction txn, string table)
    {
        var list = new List<(string Name, bool Unique, bool Partial)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = txn;
            cmd.CommandText = "SELECT name, \"unique\", partial FROM pragma_index_list(@t, 'old')";
            cmd.Parameters.AddWithValue("@t", table);
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add((r.GetString(0), r.GetInt64(1) != 0, r.GetInt64(2) != 0));
        }
        var result = new List<OldIndex>();
        foreach (var (name, unique, partial) in list)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = txn;
            cmd.CommandText = "SELECT cid, \"desc\", coalesce(coll, '') FROM pragma_index_xinfo(@i, 'old') WHERE key = 1 ORDER BY seqno";
            cmd.Parameters.AddWithValue("@i", name);
            var keys = new List<(long, bool, string)>();
            using (var r = cmd.ExecuteReader())
                while (r.Read()) keys.Add((r.GetInt64(0), r.GetInt64(1) != 0, r.GetString(2)));
            result.Add(new OldIndex(name, unique, partial, keys));
        }
        return result;
    }

    /// <summary>
    /// Whether this index holds the entries <paramref name="index"/> of the new table needs, given that the
    /// table's columns keep their positions: the same columns in order, ascending, BINARY, same uniqueness, no WHERE.
    /// </summary>
    public bool Matches(IndexModel index, TablePlan table)
    {
        if (Partial || index.Where is not null || Unique != index.Unique || Keys.Count != index.Columns.Count) return false;
        for (var k = 0; k < Keys.Count; k++)
        {
            var position = table.Table.Columns.ToList().FindIndex(col => col.Name == index.Columns[k]);
            if (Keys[k].Cid != position || Keys[k].Desc || !string.Equals(Keys[k].Collation, "BINARY", StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }
}
