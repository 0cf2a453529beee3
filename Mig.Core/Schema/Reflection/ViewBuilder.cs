using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using static Mig.Schema.RecordShape;

namespace Mig.Schema;

/// <summary>
/// Builds the model of a view: a [ViewSql] view as written, a [View] view by
/// resolving its joins along foreign keys and each property to one joined column.
/// </summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal sealed class ViewBuilder(ReflectedSchema schema, QueryBuilder queryBuilder)
{
    private List<SchemaError> Errors => schema.Errors;

    /// <summary>The view's model, or null when it has an error (reported).</summary>
    public ViewModel? Build(Type type, List<TableModel> tableModels)
    {
        var before = Errors.Count;
        var name = type.GetCustomAttribute<TableAttribute>()?.Name ?? Naming.ToSnakeCase(type.Name);
        var props = MappedProperties(type).ToList();
        if (props.Count == 0)
        {
            Errors.Add(new(MigCode.NoColumns,
                $"View {type.Name} has no properties, so it would have no columns. Add the columns it shows as properties, or remove it from the schema.",
                Type: type.FullName));
            return null;
        }
        if (type.GetCustomAttribute<PKAttribute>() is not null || type.GetCustomAttribute<AutoIncPKAttribute>() is not null)
            Errors.Add(new(MigCode.InvalidKey, $"View {type.Name} cannot have a primary key; remove [PK]/[AutoIncPK].", Type: type.FullName, Attribute: type.GetCustomAttribute<PKAttribute>() is not null ? "PK" : "AutoIncPK"));
        var columns = Columns(type, props);
        var queries = queryBuilder.Build(type, props, isView: true);
        queryBuilder.CheckNames(type, queries, isTable: false);
        if (type.GetCustomAttribute<ViewSqlAttribute>() is { } viewSql)
        {
            if (Errors.Count > before) return null;
            return new ViewModel(name, type.FullName!, [.. columns.Select(c => new ViewColumnModel(c.Column, c.Property.Name, TypeMapping.StorageType(c.Kind), c.Kind, ClrName(c.Property), c.NotNull, null, null))],
                viewSql.Sql.Trim().TrimEnd(';'), Synthesised: false, queries)
            { ConstructorProperties = ConstructorProperties(type) };
        }

        var joins = type.GetCustomAttributes<JoinAttribute>().ToList();
        if (joins.Count == 0)
        {
            Errors.Add(new(MigCode.InvalidView, $"View {type.Name} has no [Join(typeof(A), typeof(B))]; add the joins or use [ViewSql(\"SELECT ...\")].", Type: type.FullName, Attribute: "View"));
            return null;
        }
        var sql = new ViewSqlBuilder();
        var joined = Join(type, joins, tableModels, sql);
        if (joined is null) return null;
        var viewColumns = new List<ViewColumnModel>();
        foreach (var column in columns)
        {
            if (Resolve(type, joined, column) is not (var t, var c)) continue;
            sql.Column(t.Name, c.Name, column.Column);
            // A joined enum is read in the form its table stores it, whatever the view property says.
            var kind = column.Kind is ValueKind.Enum or ValueKind.EnumName && c.Kind is ValueKind.Enum or ValueKind.EnumName ? c.Kind : column.Kind;
            viewColumns.Add(new ViewColumnModel(column.Column, column.Property.Name, c.Type, kind, ClrName(column.Property), column.NotNull, t.Name, c.Name));
        }
        if (Errors.Count > before) return null;
        return new ViewModel(name, type.FullName!, viewColumns, sql.ToString(), Synthesised: true, queries)
        { ConstructorProperties = ConstructorProperties(type) };
    }

    /// <summary>The properties that hold one column value each; the others are reported.</summary>
    private List<ViewProperty> Columns(Type type, List<PropertyInfo> props)
    {
        var columns = new List<ViewProperty>();
        foreach (var p in props)
        {
            var kind = TypeMapping.KindOf(Unwrap(p.PropertyType));
            if (kind is null)
            {
                Errors.Add(new(MigCode.UnsupportedType,
                    $"{type.Name}.{p.Name} has type {FriendlyName(p.PropertyType)}; a view property holds one column value (long, string, decimal, ...).",
                    Type: type.FullName, Member: p.Name));
                continue;
            }
            var stored = EnumStorage.KindOf(schema, type, p, Unwrap(p.PropertyType), kind.Value, reportErrors: true);
            if (stored is null) continue;
            columns.Add(new ViewProperty(p, MemberAttribute<ColumnAttribute>(p)?.Name ?? Naming.ToSnakeCase(p.Name), stored.Value, !schema.IsNullable(p)));
        }
        return columns;
    }

    /// <summary>The joined tables in join order, the joins written to <paramref name="sql"/>; null when a join is reported as wrong.</summary>
    private List<TableModel>? Join(Type type, List<JoinAttribute> joins, List<TableModel> tableModels, ViewSqlBuilder sql)
    {
        var byType = tableModels.ToDictionary(t => t.ClrType, StringComparer.Ordinal);
        var joined = new List<TableModel>();
        foreach (var join in joins)
        {
            if (!byType.TryGetValue(join.Left.FullName!, out var left) || !byType.TryGetValue(join.Right.FullName!, out var right))
            {
                var notTable = byType.ContainsKey(join.Left.FullName!) ? join.Right : join.Left;
                Errors.Add(new(MigCode.JoinWithoutForeignKey, $"[Join] on view {type.Name}: {notTable.Name} is not a table of this schema.", Type: type.FullName, Attribute: "Join", Argument: notTable.Name));
                return null;
            }
            if (ConnectingKey(type, join, left, right) is not (var fromT, var toT, var fk)) return null;
            var on = ViewSqlBuilder.On(fromT.Name, fk, toT.Name);
            if (joined.Count == 0)
            {
                sql.From(left.Name, right.Name, on);
                joined.Add(left);
                joined.Add(right);
                continue;
            }
            var hasLeft = joined.Contains(left);
            var hasRight = joined.Contains(right);
            if (hasLeft == hasRight)
            {
                var why = hasLeft ? "both tables are already joined" : "neither table is joined yet";
                Errors.Add(new(MigCode.InvalidView,
                    $"[Join(typeof({join.Left.Name}), typeof({join.Right.Name}))] on view {type.Name}: {why}; each join after the first must add one new table to the ones before it.",
                    Type: type.FullName, Attribute: "Join", Argument: join.Left.Name));
                return null;
            }
            var added = hasLeft ? right : left;
            sql.Join(added.Name, on);
            joined.Add(added);
        }
        return joined;
    }

    /// <summary>The one foreign key between the two tables, in either direction; none or several is reported.</summary>
    private (TableModel From, TableModel To, ForeignKeyModel Fk)? ConnectingKey(Type type, JoinAttribute join, TableModel left, TableModel right)
    {
        var candidates = left.ForeignKeys.Where(f => f.ReferencedTable == right.Name).Select(f => (From: left, To: right, Fk: f))
            .Concat(right.ForeignKeys.Where(f => f.ReferencedTable == left.Name && left != right).Select(f => (From: right, To: left, Fk: f))).ToList();
        if (candidates.Count == 1) return candidates[0];
        var why = candidates.Count == 0 ? "no foreign key connects them" : $"{candidates.Count} foreign keys connect them ({string.Join(", ", candidates.Select(c => c.From.Name + "." + string.Join("+", c.Fk.Columns)))})";
        Errors.Add(new(MigCode.JoinWithoutForeignKey,
            $"[Join(typeof({join.Left.Name}), typeof({join.Right.Name}))] on view {type.Name}: {why}. A synthesised join needs exactly one; use [ViewSql] otherwise.",
            Type: type.FullName, Attribute: "Join", Argument: join.Left.Name));
        return null;
    }

    /// <summary>
    /// The joined column a view property shows, or null (reported). A table-name prefix
    /// wins (StudentName -> student.name); otherwise the column name must be found in
    /// exactly one joined table (Title -> course.title).
    /// </summary>
    private (TableModel Table, ColumnModel Column)? Resolve(Type type, List<TableModel> joined, ViewProperty column)
    {
        var (prop, colName, kind) = (column.Property, column.Column, column.Kind);
        var prefixed = joined.Where(t => colName.StartsWith(t.Name + "_", StringComparison.Ordinal) && t.FindColumn(colName[(t.Name.Length + 1)..]) is not null)
            .Select(t => (Table: t, Column: t.FindColumn(colName[(t.Name.Length + 1)..])!)).ToList();
        var plain = joined.Where(t => t.FindColumn(colName) is not null).Select(t => (Table: t, Column: t.FindColumn(colName)!)).ToList();
        var matches = prefixed.Count > 0 ? prefixed : plain;
        if (matches.Count == 0)
        {
            Errors.Add(new(MigCode.UnresolvedViewColumn,
                $"View {type.Name}.{prop.Name} ({colName}) matches no column of {string.Join(", ", joined.Select(t => t.Name))}. Name it <table><Column> (e.g. StudentName) or after a column of one joined table.",
                Type: type.FullName, Member: prop.Name));
            return null;
        }
        if (matches.Count > 1)
        {
            Errors.Add(new(MigCode.AmbiguousViewColumn,
                $"View {type.Name}.{prop.Name} ({colName}) matches {string.Join(" and ", matches.Select(m => m.Table.Name + "." + m.Column.Name))}. Prefix it with the table name (e.g. {ToPascal(matches[0].Table.Name)}{prop.Name}) or use [ViewSql].",
                Type: type.FullName, Member: prop.Name));
            return null;
        }
        var (t, c) = matches[0];
        // An enum property shows an enum column in either form: it is read as the column stores it.
        var bothEnums = kind is ValueKind.Enum or ValueKind.EnumName && c.Kind is ValueKind.Enum or ValueKind.EnumName;
        if (c.Type != TypeMapping.StorageType(kind) && !bothEnums)
        {
            Errors.Add(new(MigCode.UnresolvedViewColumn,
                $"View {type.Name}.{prop.Name} is {TypeMapping.Keyword(TypeMapping.StorageType(kind))} but {t.Name}.{c.Name} is {TypeMapping.Keyword(c.Type)}; give the property the column's type.",
                Type: type.FullName, Member: prop.Name));
            return null;
        }
        return (t, c);
    }

    private static string ToPascal(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(s => char.ToUpperInvariant(s[0]) + s[1..]));
}
