using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// MIG0053: old rows that would share a value of a key the new table makes unique (a new
/// [Unique], a new primary key, a key from a plain column, a unique column filled from one default).
/// The copy would fail on them, and Mig does not choose which row survives. Values are compared as the
/// copy writes them; rows with a NULL in the key are exempt, as UNIQUE lets NULLs repeat.
/// </summary>
internal static class DuplicateKeyCheck
{
    /// <summary>
    /// The error for <paramref name="key"/> (the plans of its columns) of <paramref name="table"/>, or null when
    /// no value repeats. No scan when the old file already keeps a subset of the key's copied columns unique.
    /// With <paramref name="back"/> (MigRevert's check) <paramref name="table"/> is the old table and <paramref name="source"/>
    /// the new file's table its rows go back from, and <paramref name="collations"/> the old key's (NOCASE and RTRIM
    /// compare as the old index does; the new file's own unique keys compare bytes, so they spare no scan then).
    /// </summary>
    public static PlanError? Find(SqliteConnection connection, string schema, TableModel table, OldTable source, IReadOnlyList<ColumnPlan> key, bool back = false, IReadOnlyList<string>? collations = null)
    {
        string Collate(int i) => collations?[i].ToUpperInvariant() is "NOCASE" or "RTRIM" ? " COLLATE " + collations[i].ToUpperInvariant() : "";
        var copied = key.Where(p => p.Fill == FillKind.Copy).Select(p => p.Source!).ToHashSet(SqlNameComparer.Instance);
        if (key.Select((_, i) => Collate(i)).All(c => c.Length == 0) && source.UniqueKeys.Any(u => u.All(copied.Contains))) return null;
        var values = key.Select((p, i) => Copier.ValueExpression(p, p.Source is null ? "NULL" : SqlIdentifier.Quote(p.Source)) + Collate(i)).ToList();
        var from = $"{schema}.{SqlIdentifier.Quote(source.Name)}";
        var grouped = $"SELECT {string.Join(", ", values.Select((v, i) => $"{v} AS k{i}"))}, count(*) AS n, min(rowid) AS first " +
                      $"FROM {from} WHERE {string.Join(" AND ", values.Select(v => $"{v} IS NOT NULL"))} " +
                      $"GROUP BY {string.Join(", ", values.Select((_, i) => $"k{i}"))} HAVING count(*) > 1";
        var groups = SqliteFile.Scalar(connection, $"SELECT count(*) FROM ({grouped})");
        if (groups == 0) return null;
        var sample = Samples(connection, from, values, grouped);
        var names = string.Join(", ", key.Select(p => p.Column.Name));
        var sources = string.Join(", ", key.Select(p => p.Source is null ? $"{p.Column.Name} ({p.Reason})" : $"{source.Name}.{p.Source}"));
        var finding = $"{table.Name} ({names}) must be unique in the {(back ? "old schema" : "new schema")}, but {groups.ToString(CultureInfo.InvariantCulture)} value(s) repeat in the {(back ? "new file's rows it goes back from" : "old rows it comes from")} ({sources}): " +
                      $"{string.Join("; ", sample)}{(groups > sample.Count ? "; ..." : "")}";
        return new PlanError(MigCode.DuplicateKey,
            $"{finding}. Mig does not choose which row survives, and -p:MigAllowDataLoss=true does not apply; nothing was changed. " +
            $"Make these rows unique in the old file (or delete the extra ones), or drop the new key from {Planner.ShortName(table.ClrType)}; then run MigPlan again.") { Finding = finding };
    }

    /// <summary>The three most repeated values, each with how many rows hold it and up to five of their rowids.</summary>
    private static List<string> Samples(SqliteConnection connection, string from, List<string> values, string grouped)
    {
        var sample = new List<string>();
        var repeated = new List<(object[] Values, string Shown, long Rows)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT {string.Join(", ", values.Select((_, i) => $"k{i}, quote(k{i})"))}, n FROM ({grouped}) ORDER BY n DESC, first LIMIT 3";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                repeated.Add(([.. values.Select((_, i) => r.GetValue(2 * i))], string.Join(", ", values.Select((_, i) => r.GetString(2 * i + 1))), r.GetInt64(2 * values.Count)));
        }
        foreach (var (keyValues, shown, rows) in repeated)
        {
            // A few rowids per value, not all of them: a million rows may share one default.
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT rowid FROM {from} WHERE {string.Join(" AND ", values.Select((v, i) => $"{v} = @k{i}"))} ORDER BY rowid LIMIT 6";
            for (var i = 0; i < keyValues.Length; i++) cmd.Parameters.AddWithValue($"@k{i}", keyValues[i]);
            var rowids = new List<string>();
            using (var r = cmd.ExecuteReader())
                while (r.Read()) rowids.Add(r.GetInt64(0).ToString(CultureInfo.InvariantCulture));
            sample.Add($"{shown} in {rows.ToString(CultureInfo.InvariantCulture)} rows (rowids {string.Join(", ", rowids.Take(5))}{(rowids.Count > 5 ? ", ..." : "")})");
        }
        return sample;
    }
}
