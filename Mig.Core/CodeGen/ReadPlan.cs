using Mig.Schema;

namespace Mig.CodeGen;

/// <summary>
/// How to read whole records of a table in one query: the table and every table
/// its record-typed references embed, joined along the foreign keys (the schema
/// has no cycle of those, so the chain ends), with the index of each selected
/// column. A nullable reference is a LEFT JOIN and reads as null when the
/// referenced key is NULL; a record is never returned half filled.
/// </summary>
internal sealed class ReadPlan
{
    private readonly List<string> select = [];
    private readonly List<string> joins = [];
    private int aliases;

    public ReadPlan(SchemaModel model, TableModel table)
    {
        Root = Build(model, table, NextAlias(), nullable: false);
        From = $"{SqlIdentifier.Quote(table.Name)} {Root.Alias}";
    }

    public Node Root { get; }

    /// <summary><c>t0.id, t0.name, t1.id ...</c></summary>
    public string SelectList => string.Join(", ", select);

    /// <summary><c>student t0 JOIN course t1 ON ...</c></summary>
    public string FromClause => From + string.Concat(joins.Select(j => " " + j));

    private string From { get; }

    /// <summary>The qualified SQL of a root column, for WHERE and ORDER BY.</summary>
    public string RootColumn(string column) => $"{Root.Alias}.{SqlIdentifier.Quote(column)}";

    private string NextAlias() => "t" + aliases++;

    private Node Build(SchemaModel model, TableModel table, string alias, bool nullable)
    {
        var node = new Node(table, alias, nullable);
        foreach (var property in table.Columns.Select(c => c.Property).Distinct())
        {
            var columns = table.Columns.Where(c => c.Property == property).ToList();
            var fk = table.ForeignKeys.FirstOrDefault(f => f.Property == property && f.Embedded);
            if (fk is null)
            {
                node.Values[property] = (columns[0], select.Count);
                select.Add($"{alias}.{SqlIdentifier.Quote(columns[0].Name)}");
                continue;
            }
            var target = model.FindTable(fk.ReferencedTable)!;
            var childNullable = nullable || !columns[0].NotNull;
            var childAlias = NextAlias();
            var on = string.Join(" AND ", fk.Columns.Select((c, i) =>
                $"{alias}.{SqlIdentifier.Quote(c)} = {childAlias}.{SqlIdentifier.Quote(fk.ReferencedColumns[i])}"));
            joins.Add($"{(childNullable ? "LEFT JOIN" : "JOIN")} {SqlIdentifier.Quote(target.Name)} {childAlias} ON {on}");
            node.Children[property] = (Build(model, target, childAlias, childNullable), !columns[0].NotNull);
        }
        return node;
    }

    /// <summary>One table in the plan: its selected values and embedded children, by property.</summary>
    internal sealed class Node(TableModel table, string alias, bool nullable)
    {
        public TableModel Table { get; } = table;
        public string Alias { get; } = alias;
        public bool Nullable { get; } = nullable;
        public Dictionary<string, (ColumnModel Column, int Index)> Values { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, (Node Node, bool PropertyNullable)> Children { get; } = new(StringComparer.Ordinal);

        /// <summary>The index of a column that is NULL exactly when a LEFT JOIN found no row: the first key column.</summary>
        public int KeyIndex()
        {
            var key = Table.PrimaryKey[0];
            var column = Table.FindColumn(key)!;
            return Values.TryGetValue(column.Property, out var v)
                ? v.Index
                : Children[column.Property].Node.KeyIndex();
        }
    }
}
