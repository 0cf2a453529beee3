using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// The foreign keys of the old file, as the old file itself declares them (Mig has no model of the old schema),
/// checked after MigRevert wrote the new file's rows back: the new schema may have dropped a key, or rows were
/// written on the new file with foreign keys off, and the replay writes with keys off too. Only keys the revert
/// can have broken are checked: those whose child or parent table it writes to (a key between tables it never
/// writes is as the old service left it). One anti-join per key, as <see cref="Copier.ForeignKeyViolations"/> does for the new file,
/// rather than <c>pragma foreign_key_check</c>, which probes parents in random order and is slow on big tables.
/// </summary>
internal static class OldForeignKeys
{
    private const int Shown = 10;

    /// <summary>A key of the old file: child table and columns, parent table and the columns they reference.</summary>
    private sealed record Key(string Child, IReadOnlyList<string> Columns, string Parent, IReadOnlyList<string> ParentColumns);

    /// <summary>
    /// The old tables the revert writes to: every one the inverse plan gives rows back to. Not the tables the new
    /// file's log names: the revert's catch-up trims the entries it replayed, so after a resumed or long revert the
    /// log no longer holds all the tables written.
    /// </summary>
    public static HashSet<string> WrittenTables(MigrationPlan inverse) =>
        inverse.Tables.Select(t => t.Table.Name).ToHashSet(SqlNameComparer.Instance);

    /// <summary>Up to ten rows of the old file (main on <paramref name="c"/>) whose key to or from a table in <paramref name="written"/> points nowhere, as text.</summary>
    public static IReadOnlyList<string> Violations(SqliteConnection c, IReadOnlySet<string> written)
    {
        var result = new List<string>();
        foreach (var key in Declared(c).Where(k => written.Contains(k.Child) || written.Contains(k.Parent)))
        {
            var present = string.Join(" AND ", key.Columns.Select(col => $"c.{SqlIdentifier.Quote(col)} IS NOT NULL"));
            var match = string.Join(" AND ", key.Columns.Select((col, i) => $"p.{SqlIdentifier.Quote(key.ParentColumns[i])} = c.{SqlIdentifier.Quote(col)}"));
            var values = string.Join(" || ', ' || ", key.Columns.Select(col => $"{Capture.Literal(col + " = ")} || quote(c.{SqlIdentifier.Quote(col)})"));
            using var cmd = c.CreateCommand();
            // A matched parent key is never NULL (= never matches NULL): a NULL parent column means no parent.
            cmd.CommandText = $"SELECT {(WithoutRowId(c, key.Child) ? "NULL" : "c.rowid")}, {values} FROM main.{SqlIdentifier.Quote(key.Child)} c " +
                              $"LEFT JOIN main.{SqlIdentifier.Quote(key.Parent)} p ON {match} WHERE {present} AND p.{SqlIdentifier.Quote(key.ParentColumns[0])} IS NULL LIMIT {Shown - result.Count}";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                result.Add($"{key.Child} {(r.IsDBNull(0) ? "row" : "rowid " + r.GetInt64(0).ToString(CultureInfo.InvariantCulture))} ({r.GetString(1)}) references a missing {key.Parent} row ({string.Join(", ", key.ParentColumns)})");
            if (result.Count >= Shown) break;
        }
        return result;
    }

    /// <summary>
    /// Every foreign key the old file declares. A key whose parent table is missing or whose columns do not match it
    /// (SQLite's "foreign key mismatch") is the old schema's own error, there before the revert: it is left out.
    /// </summary>
    private static List<Key> Declared(SqliteConnection c)
    {
        var rows = new List<(string Child, long Id, string Parent, string From, string? To)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT t.name, k.id, k.\"table\", k.\"from\", k.\"to\" FROM main.sqlite_schema t JOIN pragma_foreign_key_list(t.name, 'main') k " +
                              "WHERE t.type = 'table' ORDER BY t.name, k.id, k.seq";
            using var r = cmd.ExecuteReader();
            while (r.Read()) rows.Add((r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));
        }
        var keys = new List<Key>();
        foreach (var g in rows.GroupBy(k => (k.Child, k.Id)))
        {
            var parent = g.First().Parent;
            if (!SqliteFile.TableExists(c, null, parent)) continue;
            var to = g.All(k => k.To is not null) ? g.Select(k => k.To!).ToList() : PrimaryKey(c, parent);
            if (to.Count != g.Count()) continue;
            keys.Add(new Key(g.Key.Child, [.. g.Select(k => k.From)], parent, to));
        }
        return keys;
    }

    /// <summary>The primary key columns of an old table, which a key naming no columns references.</summary>
    private static List<string> PrimaryKey(SqliteConnection c, string table)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_table_info(@t, 'main') WHERE pk > 0 ORDER BY pk";
        cmd.Parameters.AddWithValue("@t", table);
        using var r = cmd.ExecuteReader();
        var columns = new List<string>();
        while (r.Read()) columns.Add(r.GetString(0));
        return columns;
    }

    private static bool WithoutRowId(SqliteConnection c, string table)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = @t";
        cmd.Parameters.AddWithValue("@t", table);
        return cmd.ExecuteScalar() is long wr && wr != 0;
    }
}
