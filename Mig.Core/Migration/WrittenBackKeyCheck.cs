using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mig.Migration;

/// <summary>
/// MigRevert's check of an old unique key that the new file's rows alone do not decide: a partial unique index
/// (only the rows its condition selects must differ) or a key with a column only the old schema has (a row that
/// goes back keeps its old value there, a new one takes the column's default). The check builds the old table as
/// the write-back will leave it, in a scratch table of the connection's temp schema whose columns have the old
/// columns' declared types and collations (so values are stored, compared and tested as the old table would:
/// <c>DEFAULT '0'</c> in an INTEGER column is 0, a NOCASE column's condition ignores case), and applies the index's
/// own condition and collations to it.
/// </summary>
internal static class WrittenBackKeyCheck
{
    private const string Scratch = "temp.\"mig written back\"";

    /// <summary>
    /// What repeats in <paramref name="key"/> of <paramref name="back"/>'s old table once written back, or null when
    /// nothing does (or the index's condition cannot be read apart from its table: the verification after the pause
    /// stays the backstop). <paramref name="c"/> has the old file as main and the new file attached as <c>old</c>;
    /// <paramref name="from"/> is the revert's checkpoint (log entries after it are still to be written back).
    /// </summary>
    public static string? Find(SqliteConnection c, TablePlan back, ConflictKey key, long from)
    {
        var table = back.Table.Name;
        string? condition = null;
        if (key.Partial)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT sql FROM main.sqlite_schema WHERE type = 'index' AND name = @i";
            cmd.Parameters.AddWithValue("@i", key.Index);
            condition = cmd.ExecuteScalar() is string sql ? IndexCondition.Of(sql) : null;
            if (condition is null) return null;
        }
        try
        {
            Fill(c, back, from);
            // The rows under the table's own name: a condition may name its columns with it. A line break after the
            // condition ends a trailing -- comment SQLite keeps in the index's text.
            var grouped = $"SELECT {string.Join(" || ', ' || ", key.Columns.Select(k => $"quote({SqlIdentifier.Quote(k.Name)})"))} AS shown, count(*) AS n, " +
                          $"group_concat(rowid, ', ' ORDER BY rowid) AS rowids FROM {Scratch} AS {SqlIdentifier.Quote(table)} " +
                          $"WHERE {string.Join(" AND ", key.Columns.Select(k => $"{SqlIdentifier.Quote(k.Name)} IS NOT NULL"))}" +
                          (condition is null ? "" : $" AND ({condition}\n)") +
                          $" GROUP BY {string.Join(", ", key.Columns.Select(k => SqlIdentifier.Quote(k.Name) + " COLLATE " + k.Collation))} HAVING count(*) > 1";
            var samples = new List<string>();
            long groups = 0;
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = $"SELECT shown, n, rowids, count(*) OVER () FROM ({grouped}) ORDER BY n DESC LIMIT 3";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    groups = r.GetInt64(3);
                    var rowids = r.GetString(2).Split(", ");
                    samples.Add($"{r.GetString(0)} in {r.GetInt64(1).ToString(CultureInfo.InvariantCulture)} rows (rowids {string.Join(", ", rowids.Take(5))}{(rowids.Length > 5 ? ", ..." : "")})");
                }
            }
            if (groups == 0) return null;
            return $"{table} ({string.Join(", ", key.Columns.Select(k => k.Name))}) must be unique in the old schema{(condition is null ? "" : $" where {condition}")}, " +
                   $"but {groups.ToString(CultureInfo.InvariantCulture)} value(s) would repeat once the new file's rows go back: {string.Join("; ", samples)}{(groups > samples.Count ? "; ..." : "")}";
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && condition is not null)
        {
            return null; // a condition that names what the scratch table lacks (a generated column, a function of the application's)
        }
        finally
        {
            SqliteFile.Execute(c, $"DROP TABLE IF EXISTS {Scratch}");
        }
    }

    /// <summary>
    /// The old table as the write-back leaves it, in the scratch table: each of the new file's rows mapped back under its
    /// rowid. A column only the old schema has keeps the old row's value, except where the row is new: no old row, or a
    /// rowid the log deleted that is in use again (<see cref="Replayer"/> does the same).
    /// </summary>
    private static void Fill(SqliteConnection c, TablePlan back, long from)
    {
        var table = back.Table.Name;
        var columns = back.Columns.Select(p => SqlIdentifier.Quote(p.Column.Name) + Declared(c, table, p.Column.Name)).ToList();
        SqliteFile.Execute(c, $"DROP TABLE IF EXISTS {Scratch}");
        SqliteFile.Execute(c, $"CREATE TABLE {Scratch}({string.Join(", ", columns)})");
        var reinserted = $"n.rowid IN (SELECT row_id FROM old.{Protocol.LogTable} WHERE id > {from.ToString(CultureInfo.InvariantCulture)} AND operation = 'delete' AND table_name = {Capture.Literal(back.Source!.Name)})";
        string Value(ColumnPlan p) => p.Source is not null
            ? Copier.ValueExpression(p, "n." + SqlIdentifier.Quote(p.Source))
            : $"CASE WHEN o.rowid IS NULL OR {reinserted} THEN {Copier.ValueExpression(p, "NULL")} ELSE o.{SqlIdentifier.Quote(p.Column.Name)} END";
        SqliteFile.Execute(c,
            $"INSERT INTO {Scratch}(rowid, {string.Join(", ", back.Columns.Select(p => SqlIdentifier.Quote(p.Column.Name)))}) " +
            $"SELECT n.rowid, {string.Join(", ", back.Columns.Select(Value))} FROM old.{SqlIdentifier.Quote(back.Source!.Name)} AS n LEFT JOIN main.{SqlIdentifier.Quote(table)} AS o ON o.rowid = n.rowid");
    }

    /// <summary>The old column's declared type and collation, as SQLite reads them from its table (no constraint: the scratch table only stores and compares).</summary>
    private static string Declared(SqliteConnection c, string table, string column)
    {
        if (raw.sqlite3_table_column_metadata(c.Handle, "main", table, column, out string? type, out string? collation, out _, out _, out _) != raw.SQLITE_OK) return "";
        return (string.IsNullOrEmpty(type) ? "" : " " + type) + (string.IsNullOrEmpty(collation) || collation.Equals("BINARY", StringComparison.OrdinalIgnoreCase) ? "" : " COLLATE " + SqlIdentifier.Quote(collation));
    }
}
