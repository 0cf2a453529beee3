using System.Globalization;
using System.Text;
using Mig.Core.Tests.Migration;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// What a revert must leave, computed from the files' values (<see cref="ValueDump"/> cells: storage class and
/// bytes) by rules of its own rather than by Mig's queries: which new-file values only v2 can hold, and the old
/// file each successful revert must produce (rows as a set by key; copied and renamed columns byte for byte;
/// converted TEXT back to the INTEGER it spells; old-only columns kept where the row stayed, else NULL).
/// </summary>
internal static class RevertOracle
{
    /// <summary>Every table's rows by rowid, each a list of cells, in v1 (old file) or v2 (new file) columns.</summary>
    public static Dictionary<string, Dictionary<long, string[]>> Rows(string path, RevertShape shape, bool v2)
    {
        var result = new Dictionary<string, Dictionary<long, string[]>>();
        foreach (var t in shape.Tables)
        {
            var columns = (v2 ? t.New.Select(c => c.V2Name) : t.Old.Select(c => c.Name)).ToList();
            result[t.Name] = ValueDump.Of(path, v2 ? t.V2Name : t.Name, columns).Select(l => l.Split(" | ")).ToDictionary(c => long.Parse(c[0], CultureInfo.InvariantCulture), c => c[1..]);
        }
        return result;
    }

    /// <summary>Everything a refused operation must leave as it was: both files' rows, markers and statuses.</summary>
    public static string State(string oldPath, string newPath, RevertShape shape)
    {
        var b = new StringBuilder($"old marker {HotDb.Marker(oldPath)}; new marker {HotDb.Marker(newPath)}, status {HotDb.Status(newPath)}\n");
        foreach (var (path, v2) in new[] { (oldPath, false), (newPath, true) })
            foreach (var (table, rows) in Rows(path, shape, v2))
                foreach (var (rowid, cells) in rows.OrderBy(r => r.Key))
                    b.Append(table).Append(' ').Append(rowid).Append(": ").AppendJoin(" | ", cells).Append('\n');
        b.Append("extra ").AppendJoin(",", ExtraRows(newPath));
        return b.ToString();
    }

    private static List<string> ExtraRows(string newPath) => ValueDump.Of(newPath, RevertShape.ExtraTable, ["Id"]);

    /// <summary>What in the new file only v2 can hold (empty: nothing): rows of its new table, added columns off their fill, converted text that does not spell its integer.</summary>
    public static List<string> Losses(string newPath, RevertShape shape)
    {
        var losses = new List<string>();
        if (ExtraRows(newPath).Count > 0) losses.Add($"{ExtraRows(newPath).Count} rows in {RevertShape.ExtraTable}");
        var rows = Rows(newPath, shape, v2: true);
        foreach (var t in shape.Tables)
        {
            var columns = t.New.ToList();
            foreach (var (rowid, cells) in rows[t.Name])
                for (var i = 0; i < columns.Count; i++)
                {
                    var c = columns[i];
                    var kept = c.Role switch
                    {
                        "add" => cells[i] == (c.Kind == "INTEGER" ? "integer:" + RevertShape.AddedDefault : "null:"),
                        "conv" => Back(cells[i]) is not null,
                        _ => true,
                    };
                    if (!kept) losses.Add($"{t.Name}.{c.V2Name} rowid {rowid}: {cells[i]}");
                }
        }
        return losses;
    }

    /// <summary>After cutover: each table's rows, as a set by key, hold the same key and kept or renamed column values in both files (a hand-written table's rows move to the rowid their key gives).</summary>
    public static void AssertCopied(string oldPath, string newPath, RevertShape shape)
    {
        var olds = Rows(oldPath, shape, v2: false);
        var news = Rows(newPath, shape, v2: true);
        foreach (var t in shape.Tables)
        {
            static IEnumerable<string> Kept(Dictionary<long, string[]> rows, List<RevertShape.Column> columns) =>
                rows.Values.Select(cells => string.Join(" | ", columns.Select((c, i) => c.Role is "key" or "keep" or "rename" ? cells[i] : null).Where(x => x is not null)));
            var old = Kept(olds[t.Name], [.. t.Old]).Order(StringComparer.Ordinal).ToList();
            var seeded = news[t.Name].Where(r => t != shape.Seeded || r.Key != long.Parse(RevertShape.SeedKey, CultureInfo.InvariantCulture)).ToDictionary();
            var @new = Kept(seeded, [.. t.New]).Order(StringComparer.Ordinal).ToList();
            CollectionAssert.AreEqual(old, @new, StringComparer.Ordinal, $"{t.Name}: the new file after cutover differs from the old");
        }
    }

    /// <summary>The tables whose column unique in v1 only holds a non-null value twice in the new file (SQLite's own comparison, as its unique index would make it).</summary>
    public static List<string> Repeats(string newPath, RevertShape shape)
    {
        using var c = MigrationPair.Open(newPath);
        return [.. shape.Tables.Where(t => t.UniqueOld && Scalar(c, $"SELECT count(*) FROM (SELECT 1 FROM {HostileNames.Sql(t.V2Name)} WHERE {Unique(t)} IS NOT NULL GROUP BY {Unique(t)} HAVING count(*) > 1)") > 0).Select(t => t.Name)];
    }

    /// <summary>Deletes all but the first row of each repeated value, as the new service would to make them unique again.</summary>
    public static void MakeUnique(string newPath, RevertShape shape)
    {
        using var c = MigrationPair.Open(newPath);
        foreach (var t in shape.Tables.Where(t => t.UniqueOld))
            Scalar(c, $"DELETE FROM {HostileNames.Sql(t.V2Name)} WHERE {Unique(t)} IS NOT NULL AND rowid NOT IN (SELECT min(rowid) FROM {HostileNames.Sql(t.V2Name)} WHERE {Unique(t)} IS NOT NULL GROUP BY {Unique(t)})");
    }

    private static string Unique(RevertShape.Table t) => HostileNames.Sql(t.Columns[1].V2Name);

    private static long Scalar(Microsoft.Data.Sqlite.SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>The INTEGER cell a TEXT cell of a converted column goes back to, or null when it does not spell one exactly.</summary>
    private static string? Back(string cell)
    {
        if (cell is "null:" || cell.StartsWith("integer:", StringComparison.Ordinal)) return cell;
        if (!cell.StartsWith("text:", StringComparison.Ordinal)) return null;
        var bytes = Convert.FromHexString(cell["text:".Length..]);
        if (bytes.Any(b => b >= 0x80)) return null;
        var text = Encoding.ASCII.GetString(bytes);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v.ToString(CultureInfo.InvariantCulture) == text
            ? "integer:" + text : null;
    }

    /// <summary>
    /// Asserts the old file is the new file written back. <paramref name="before"/>: the old file's rows before the revert
    /// (for old-only columns). <paramref name="lossAccepted"/>: values of converted columns that do not spell an integer were
    /// accepted as lost (-p:MigAllowDataLoss), and go back as SQLite's CAST AS INTEGER makes them; otherwise there must be none.
    /// </summary>
    // Long: one pass over every table, row and column, each with its own rule and message.
    public static void AssertWrittenBack(string oldPath, string newPath, RevertShape shape, Dictionary<string, Dictionary<long, string[]>> before, bool lossAccepted)
    {
        var olds = Rows(oldPath, shape, v2: false);
        var news = Rows(newPath, shape, v2: true);
        foreach (var t in shape.Tables)
        {
            var (old, @new) = (olds[t.Name], news[t.Name]);
            var missing = @new.Keys.Except(old.Keys).ToList();
            var extra = old.Keys.Except(@new.Keys).ToList();
            if (missing.Count + extra.Count > 0)
                Assert.Fail($"{t.Name}: keys of the new file not written back: {string.Join(",", missing)}; keys the old file kept although the new file deleted them: {string.Join(",", extra)}");
            var oldColumns = t.Old.ToList();
            var newColumns = t.New.ToList();
            var casts = lossAccepted ? Casts(newPath, t) : null;
            foreach (var (rowid, cells) in old)
                for (var i = 0; i < oldColumns.Count; i++)
                {
                    var c = oldColumns[i];
                    var got = cells[i];
                    if (c.Role == "drop")
                    {
                        var kept = before[t.Name].TryGetValue(rowid, out var was) ? was[i] : "null:";
                        if (got != "null:" && got != kept)
                            Assert.Fail($"{t.Name}.{c.Name} (old only) rowid {rowid}: {Show(got)}, expected its value before the revert {Show(kept)} or NULL");
                        continue;
                    }
                    var source = @new[rowid][newColumns.IndexOf(c)];
                    var expected = c.Role == "conv" ? Back(source) ?? (casts is null ? $"(a loss: {source})" : casts[(rowid, c.V2Name)]) : source;
                    if (got != expected)
                        Assert.Fail($"{t.Name}.{c.Name} rowid {rowid}: the old file holds {Show(got)}, the new file {Show(source)}: expected {Show(expected)}");
                }
        }
    }

    /// <summary>What SQLite's CAST AS INTEGER makes of each value of the converted columns of <paramref name="t"/>.</summary>
    private static Dictionary<(long, string), string> Casts(string newPath, RevertShape.Table t)
    {
        var result = new Dictionary<(long, string), string>();
        using var c = MigrationPair.Open(newPath);
        foreach (var col in t.New.Where(x => x.Role == "conv"))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT rowid, CAST({HostileNames.Sql(col.V2Name)} AS INTEGER) FROM {HostileNames.Sql(t.V2Name)}";
            using var r = cmd.ExecuteReader();
            while (r.Read()) result[(r.GetInt64(0), col.V2Name)] = r.IsDBNull(1) ? "null:" : "integer:" + r.GetInt64(1).ToString(CultureInfo.InvariantCulture);
        }
        return result;
    }

    private static string Show(string cell) => cell.Length > 120 ? cell[..120] + "..." : cell;
}
