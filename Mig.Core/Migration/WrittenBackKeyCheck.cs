using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// MigRevert's check of an old unique key that the new file's rows alone do not decide: a partial unique index
/// (only the rows its condition selects must differ) or a key with a column only the old schema has (a row that
/// goes back keeps its old value there, a new one takes the column's default). The check reads the old table as
/// the write-back will leave it: each of the new file's rows mapped back, joined by rowid to the old file's row for
/// the columns only the old schema has, and applies the index's own condition, in the old column names, to it.
/// </summary>
internal static class WrittenBackKeyCheck
{
    private const string RowIdColumn = "\"mig written back rowid\"";

    /// <summary>
    /// What repeats in <paramref name="key"/> of <paramref name="back"/>'s old table once written back, or null when
    /// nothing does. <paramref name="c"/> has the old file as main and the new file attached as <c>old</c>.
    /// </summary>
    public static string? Find(SqliteConnection c, TablePlan back, ConflictKey key)
    {
        var table = back.Table.Name;
        string? condition = null;
        if (key.Partial)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT sql FROM main.sqlite_schema WHERE type = 'index' AND name = @i";
            cmd.Parameters.AddWithValue("@i", key.Index);
            condition = cmd.ExecuteScalar() is string sql ? IndexCondition.Of(sql) : null;
            if (condition is null) return null; // not a condition Mig can read: the verification after the pause still compares every row
        }
        var image = string.Join(", ", back.Columns.Select(p => $"{Value(p)} AS {SqlIdentifier.Quote(p.Column.Name)}"));
        var rows = $"SELECT n.rowid AS {RowIdColumn}, {image} FROM old.{SqlIdentifier.Quote(back.Source!.Name)} AS n LEFT JOIN main.{SqlIdentifier.Quote(table)} AS o ON o.rowid = n.rowid";
        var keys = key.Columns.Select(k => SqlIdentifier.Quote(k.Name) + " COLLATE " + k.Collation).ToList();
        // The rows under the table's own name: a condition may name its columns with it.
        var grouped = $"WITH w AS ({rows}) SELECT {string.Join(" || ', ' || ", key.Columns.Select(k => $"quote({SqlIdentifier.Quote(k.Name)})"))} AS shown, count(*) AS n, " +
                      $"group_concat({RowIdColumn}, ', ' ORDER BY {RowIdColumn}) AS rowids FROM w AS {SqlIdentifier.Quote(table)} WHERE {string.Join(" AND ", key.Columns.Select(k => $"{SqlIdentifier.Quote(k.Name)} IS NOT NULL"))}" +
                      (condition is null ? "" : $" AND ({condition})") +
                      $" GROUP BY {string.Join(", ", keys)} HAVING count(*) > 1";
        var samples = new List<string>();
        long groups = 0;
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"SELECT shown, n, rowids, count(*) OVER () FROM ({grouped}) ORDER BY n DESC LIMIT 3";
            try
            {
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    groups = r.GetInt64(3);
                    var rowids = r.GetString(2).Split(", ");
                    samples.Add($"{r.GetString(0)} in {r.GetInt64(1).ToString(CultureInfo.InvariantCulture)} rows (rowids {string.Join(", ", rowids.Take(5))}{(rowids.Length > 5 ? ", ..." : "")})");
                }
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 1 && condition is not null)
            {
                return null; // a condition that reads differently outside its table: the verification after the pause still compares every row
            }
        }
        if (groups == 0) return null;
        return $"{table} ({string.Join(", ", key.Columns.Select(k => k.Name))}) must be unique in the old schema{(condition is null ? "" : $" where {condition}")}, " +
               $"but {groups.ToString(CultureInfo.InvariantCulture)} value(s) would repeat once the new file's rows go back: {string.Join("; ", samples)}{(groups > samples.Count ? "; ..." : "")}";
    }

    /// <summary>The value a column of the old table will hold: from the new file's row, or for a column only the old schema has, the old row's (its default for a row the old file lacks).</summary>
    private static string Value(ColumnPlan p) => p.Source is not null
        ? Copier.ValueExpression(p, "n." + SqlIdentifier.Quote(p.Source))
        : $"CASE WHEN o.rowid IS NULL THEN {Copier.ValueExpression(p, "NULL")} ELSE o.{SqlIdentifier.Quote(p.Column.Name)} END";
}
