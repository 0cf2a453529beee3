using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Every value of a table exactly as stored: the storage class and the bytes (a REAL's IEEE bits,
/// a TEXT's UTF-8 bytes read through CAST AS BLOB, so invalid UTF-8 is not repaired on the way),
/// one line per row in rowid order. Two dumps are equal only if the files hold the same values.
/// </summary>
internal static class ValueDump
{
    public static List<string> Of(string path, string table, IReadOnlyList<string> columns, bool withRowId = true)
    {
        using var c = MigrationPair.Open(path);
        return Of(c, "main", table, columns, withRowId);
    }

    public static List<string> Of(SqliteConnection c, string schema, string table, IReadOnlyList<string> columns, bool withRowId = true)
    {
        using var cmd = c.CreateCommand();
        var select = columns.Select(col =>
        {
            var q = Quote(col);
            return $"typeof({q}), CASE typeof({q}) WHEN 'text' THEN CAST({q} AS BLOB) ELSE {q} END";
        });
        cmd.CommandText = $"SELECT rowid, {string.Join(", ", select)} FROM {schema}.{Quote(table)} ORDER BY rowid";
        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read())
        {
            var line = new StringBuilder(withRowId ? r.GetInt64(0).ToString(CultureInfo.InvariantCulture) : "");
            for (var i = 0; i < columns.Count; i++)
            {
                var type = r.GetString(1 + 2 * i);
                var v = 2 + 2 * i;
                line.Append(" | ").Append(type).Append(':').Append(type switch
                {
                    "null" => "",
                    "integer" => r.GetInt64(v).ToString(CultureInfo.InvariantCulture),
                    "real" => BitConverter.DoubleToInt64Bits(r.GetDouble(v)).ToString("X16", CultureInfo.InvariantCulture),
                    _ => Convert.ToHexString((byte[])r.GetValue(v)),
                });
            }
            lines.Add(line.ToString());
        }
        return lines;
    }

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
