using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// How many rows of a table match a condition, and the first five of them, for the plan's and the
/// checks' messages: "3 row(s) ... (rowids 4, 9, 12)" or "(rowid 4: 'abc', rowid 9: X'00')".
/// </summary>
/// <param name="Count">Matching rows.</param>
/// <param name="Sample">Up to five of them in rowid order, as text.</param>
internal sealed record RowSample(long Count, IReadOnlyList<string> Sample)
{
    private const int Size = 5;

    /// <summary>The rowids (or <paramref name="rowid"/>, a column that holds them) of the rows of <paramref name="from"/> where <paramref name="where"/> holds.</summary>
    public static RowSample RowIds(SqliteConnection connection, string from, string where, string rowid = "rowid") =>
        Read(connection, from, where, $"SELECT {rowid} FROM {from} WHERE {where} ORDER BY 1 LIMIT {Size}", r => r.GetInt64(0).ToString(CultureInfo.InvariantCulture));

    /// <summary>"rowid r: value" (the value as SQL, <c>quote()</c>) of the rows where <paramref name="where"/> holds.</summary>
    public static RowSample Values(SqliteConnection connection, string from, string where, string value) =>
        Read(connection, from, where, $"SELECT rowid, quote({value}) FROM {from} WHERE {where} ORDER BY rowid LIMIT {Size}",
            r => $"rowid {r.GetInt64(0).ToString(CultureInfo.InvariantCulture)}: {r.GetString(1)}");

    /// <summary>The sample as a list, with "..." when there are more rows than it shows.</summary>
    public string List => string.Join(", ", Sample) + (Count > Sample.Count ? ", ..." : "");

    /// <summary>"rowids 4, 9, ..." for a <see cref="RowIds"/> sample.</summary>
    public string RowIdList => "rowids " + List;

    private static RowSample Read(SqliteConnection connection, string from, string where, string sampleSql, Func<SqliteDataReader, string> text)
    {
        var count = SqliteFile.Scalar(connection, $"SELECT count(*) FROM {from} WHERE {where}");
        var sample = new List<string>();
        if (count == 0) return new RowSample(0, sample);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sampleSql;
        using var r = cmd.ExecuteReader();
        while (r.Read()) sample.Add(text(r));
        return new RowSample(count, sample);
    }
}
