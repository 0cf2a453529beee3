using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// A table as SQLite describes it (columns, keys, unique constraints, foreign keys, STRICT), compared
/// with the table <see cref="Ddl.CreateTable"/> makes from the model in a scratch database: proof that a
/// table built another way (<see cref="RecordTransfer"/>) is the model's table whatever its text says.
/// </summary>
internal static class TableShape
{
    /// <summary>Whether <c>main.<paramref name="table"/></c> on <paramref name="c"/> is the model's table.</summary>
    public static bool Same(SqliteConnection c, SqliteTransaction txn, TableModel table)
    {
        using var scratch = new SqliteConnection("Data Source=:memory:;Pooling=False");
        scratch.Open();
        SqliteFile.Execute(scratch, Ddl.CreateTable(table));
        return Describe(scratch, null, table.Name) == Describe(c, txn, table.Name);
    }

    private static string Describe(SqliteConnection c, SqliteTransaction? txn, string table)
    {
        var lines = new List<string>();
        void Read(string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = txn;
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("@t", table);
            using var r = cmd.ExecuteReader();
            while (r.Read()) lines.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        Read("SELECT type, ncol, wr, strict FROM pragma_table_list WHERE schema = 'main' AND name = @t");
        Read("SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(@t, 'main') ORDER BY cid");
        Read("SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete, match FROM pragma_foreign_key_list(@t, 'main') ORDER BY id, seq");
        // Constraint indexes only ('u', 'pk'); CREATE INDEX ones ('c') are compared by name elsewhere and built apart.
        Read("SELECT l.name, l.\"unique\", l.origin, l.partial, x.seqno, x.cid, x.\"desc\", x.coll FROM pragma_index_list(@t, 'main') l, pragma_index_xinfo(l.name, 'main') x " +
             "WHERE l.origin <> 'c' AND x.key = 1 ORDER BY l.name, x.seqno");
        return string.Join("\n", lines);
    }
}
