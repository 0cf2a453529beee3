using System.Text;
using Mig.Schema;

namespace Mig.Sql;

/// <summary>The CREATE SQL a model becomes (docs/dsl.md). Model order is creation order.</summary>
internal static class Ddl
{
    /// <summary>Every statement of the schema, in order: each table with its indexes, then the views.</summary>
    public static IReadOnlyList<string> Statements(SchemaModel model)
    {
        var result = new List<string>();
        foreach (var table in model.Tables)
        {
            result.Add(CreateTable(table));
            result.AddRange(table.Indexes.Select(ix => CreateIndex(table, ix)));
        }
        result.AddRange(model.Views.Select(CreateView));
        return result;
    }

    /// <summary>The whole schema as one script, statements separated by blank lines.</summary>
    public static string Script(SchemaModel model) =>
        string.Join("\n\n", Statements(model).Select(s => s + ";")) + "\n";

    /// <summary><c>CREATE TABLE</c> with column constraints inline and table constraints after.</summary>
    public static string CreateTable(TableModel table)
    {
        var lines = table.Columns.Select(c => ColumnDefinition(table, c)).ToList();
        if (table.PrimaryKey.Count > 1) lines.Add($"PRIMARY KEY ({SqlIdentifier.List(table.PrimaryKey)})");
        foreach (var u in table.Uniques.Where(u => u.Count > 1)) lines.Add($"UNIQUE ({SqlIdentifier.List(u)})");
        foreach (var check in table.Checks) lines.Add($"CHECK ({check})");
        foreach (var fk in table.ForeignKeys)
        {
            var action = fk.OnDelete switch
            {
                OnDelete.Cascade => " ON DELETE CASCADE",
                OnDelete.SetNull => " ON DELETE SET NULL",
                _ => "",
            };
            lines.Add($"FOREIGN KEY ({SqlIdentifier.List(fk.Columns)}) REFERENCES {SqlIdentifier.Quote(fk.ReferencedTable)}({SqlIdentifier.List(fk.ReferencedColumns)}){action}");
        }
        return $"CREATE TABLE {SqlIdentifier.Quote(table.Name)}(\n  {string.Join(",\n  ", lines)}\n){(table.Strict ? " STRICT" : "")}";
    }

    /// <summary>One column of <see cref="CreateTable"/>: name, type and column constraints (also what <c>ALTER TABLE ADD COLUMN</c> takes).</summary>
    public static string ColumnDefinition(TableModel table, ColumnModel c)
    {
        var singleKey = table.PrimaryKey.Count == 1 ? table.PrimaryKey[0] : null;
        var sb = new StringBuilder();
        sb.Append(SqlIdentifier.Quote(c.Name)).Append(' ').Append(TypeMapping.Keyword(c.Type));
        var isKey = c.Name == singleKey;
        // An INTEGER PRIMARY KEY is the rowid and can never be NULL, so NOT NULL
        // would only be noise there; every other key column states it, because
        // SQLite lets a TEXT primary key hold NULL otherwise.
        var rowid = isKey && c.Type == SqlType.Integer && !table.ForeignKeys.Any(f => f.Columns.Contains(c.Name, StringComparer.Ordinal));
        if (c.NotNull && !rowid) sb.Append(" NOT NULL");
        if (isKey) sb.Append(" PRIMARY KEY");
        if (isKey && table.AutoIncrement) sb.Append(" AUTOINCREMENT");
        if (table.Uniques.Any(u => u.Count == 1 && u[0] == c.Name)) sb.Append(" UNIQUE");
        if (c.Default is not null) sb.Append(" DEFAULT ").Append(c.Default);
        if (c.DefaultExpression is not null) sb.Append(" DEFAULT (").Append(c.DefaultExpression).Append(')');
        foreach (var check in c.Checks) sb.Append(" CHECK (").Append(check).Append(')');
        return sb.ToString();
    }

    /// <summary><c>CREATE INDEX</c>.</summary>
    public static string CreateIndex(TableModel table, IndexModel index) =>
        $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {SqlIdentifier.Quote(index.Name)} ON {SqlIdentifier.Quote(table.Name)}({SqlIdentifier.List(index.Columns)})" +
        (index.Where is null ? "" : $" WHERE {index.Where}");

    /// <summary><c>CREATE VIEW</c>.</summary>
    public static string CreateView(ViewModel view) =>
        $"CREATE VIEW {SqlIdentifier.Quote(view.Name)} AS\n{view.Sql}";

    /// <summary>
    /// The seed upsert of a table: <c>INSERT ... ON CONFLICT(key) DO UPDATE</c>, never
    /// <c>INSERT OR REPLACE</c>, whose delete would cascade to the seeded row's children.
    /// Parameters are <c>@p0</c>, <c>@p1</c>... in column order.
    /// </summary>
    /// <summary>
    /// The seed insert of a migration: a row whose key (or any unique value) the copied data already
    /// holds is left as it is, since those rows are the user's data now; returns the rowid of a row it inserted.
    /// </summary>
    public static string SeedInsertMissing(TableModel table)
    {
        var cols = table.Columns.Select(c => c.Name).ToList();
        return $"INSERT INTO {SqlIdentifier.Quote(table.Name)}({SqlIdentifier.List(cols)}) VALUES ({string.Join(", ", cols.Select((_, i) => "@p" + i))}) " +
               "ON CONFLICT DO NOTHING RETURNING rowid";
    }

    /// <summary>The seed upsert of a table: insert, or update the row with the same key.</summary>
    public static string SeedUpsert(TableModel table)
    {
        var cols = table.Columns.Select(c => c.Name).ToList();
        var rest = cols.Where(c => !table.PrimaryKey.Contains(c, StringComparer.Ordinal)).ToList();
        var update = rest.Count == 0
            ? "DO NOTHING"
            : "DO UPDATE SET " + string.Join(", ", rest.Select(c => $"{SqlIdentifier.Quote(c)} = excluded.{SqlIdentifier.Quote(c)}"));
        return $"INSERT INTO {SqlIdentifier.Quote(table.Name)}({SqlIdentifier.List(cols)}) VALUES ({string.Join(", ", cols.Select((_, i) => "@p" + i))}) " +
               $"ON CONFLICT({SqlIdentifier.List(table.PrimaryKey)}) {update}";
    }
}
