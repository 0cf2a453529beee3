namespace Mig.MigrationBenchmarks;

/// <summary>
/// The v1 -> v2 change written out by hand, as an engineer would write the copy
/// without Mig: the baselines (floors) use this, Mig derives its own plan from the
/// schema types. Each pair is (new column, SQL of its value over the old row).
/// </summary>
internal static class Mapping
{
    public static readonly (string Table, (string Column, string OldValue)[] Columns)[] Tables =
    [
        ("customer", [("id", "id"), ("full_name", "name"), ("email", "email"), ("tier", "tier"), ("credit", "0")]),
        ("customer_order", [("id", "id"), ("customer_id", "customer_id"), ("placed_at", "placed_at"), ("state", "status"), ("channel", "'web'")]),
        ("order_line", [("id", "id"), ("order_id", "order_id"), ("sku", "sku"), ("quantity", "quantity"), ("price", "price"), ("discount", "0")]),
    ];

    /// <summary>The set-based copy of one table: <c>INSERT INTO main.t(cols) SELECT values FROM old.t</c>.</summary>
    public static string CopySql((string Table, (string Column, string OldValue)[] Columns) t) =>
        $"INSERT INTO main.{t.Table}({string.Join(", ", t.Columns.Select(c => c.Column))}) SELECT {string.Join(", ", t.Columns.Select(c => c.OldValue))} FROM old.{t.Table}";

    /// <summary>
    /// The set-based replay of one table's captured writes after <paramref name="cutoff"/>, as an
    /// engineer would write it for this log (which names rows, not values): delete the logged
    /// rows the old file no longer has, then upsert the logged rows it has by key from the old
    /// file (new-only columns keep their value on update and take their default on insert).
    /// Exact for this workload: the key is the rowid.
    /// </summary>
    public static IEnumerable<string> ReplaySql((string Table, (string Column, string OldValue)[] Columns) t, long cutoff)
    {
        var copied = t.Columns.Where(c => !c.OldValue.StartsWith('\'') && c.OldValue != "0").ToList();
        var set = copied.Where(c => c.Column != "id").Select(c => $"{c.Column} = excluded.{c.Column}");
        var logged = $"SELECT row_id FROM old._migration_log WHERE id > {cutoff} AND table_name = '{t.Table}'";
        yield return $"DELETE FROM main.{t.Table} WHERE id IN ({logged}) AND id NOT IN (SELECT id FROM old.{t.Table} WHERE id IN ({logged}))";
        yield return $"INSERT INTO main.{t.Table}({string.Join(", ", copied.Select(c => c.Column))}) " +
                     $"SELECT {string.Join(", ", copied.Select(c => c.OldValue))} FROM old.{t.Table} WHERE id IN ({logged}) " +
                     $"ON CONFLICT(id) DO UPDATE SET {string.Join(", ", set)}";
    }

    /// <summary>
    /// What a content check after drain needs at least, as one engineer would write it: every copied
    /// column of every row compared both ways (EXCEPT), new-only columns left out as Mig's verify
    /// leaves them, and one anti-join per foreign key. Each statement returns a count that must be 0.
    /// </summary>
    public static IEnumerable<string> CompareSql()
    {
        foreach (var (table, columns) in Tables)
        {
            var copied = columns.Where(c => !c.OldValue.StartsWith('\'') && c.OldValue != "0").ToList();
            var oldSide = $"SELECT {string.Join(", ", copied.Select(c => c.OldValue))} FROM old.{table}";
            var newSide = $"SELECT {string.Join(", ", copied.Select(c => c.Column))} FROM main.{table}";
            yield return $"SELECT count(*) FROM ({oldSide} EXCEPT {newSide})";
            yield return $"SELECT count(*) FROM ({newSide} EXCEPT {oldSide})";
        }
        yield return "SELECT count(*) FROM main.customer_order o LEFT JOIN main.customer c ON c.id = o.customer_id WHERE c.id IS NULL";
        yield return "SELECT count(*) FROM main.order_line l LEFT JOIN main.customer_order o ON o.id = l.order_id WHERE o.id IS NULL";
    }
}
