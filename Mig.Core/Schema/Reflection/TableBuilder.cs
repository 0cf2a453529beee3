using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using static Mig.Schema.RecordShape;

namespace Mig.Schema;

/// <summary>Builds the model of one table: columns, key, defaults, delete actions, foreign keys, constraints and queries.</summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal sealed class TableBuilder(ReflectedSchema schema, ColumnResolver resolver, QueryBuilder queryBuilder)
{
    private List<SchemaError> Errors => schema.Errors;

    /// <summary>The table's model, or null when it has an error (reported).</summary>
    public TableModel? Build(TableInfo table)
    {
        var type = table.Type;
        var before = Errors.Count;
        if (table.Properties.Count == 0)
        {
            // SQLite has no table without columns; without this the DDL fails later as a bare syntax error.
            Errors.Add(new(MigCode.NoColumns,
                $"{type.Name} has no properties, so its table would have no columns. Add its columns as properties (for example {type.Name}(long Id, string Name)), or remove it from the schema.",
                Type: type.FullName));
            return null;
        }
        var key = resolver.KeyOf(type);
        var defaults = Defaults(table);
        var onDelete = DeleteActions(table);
        var columnsByProp = new Dictionary<string, List<PropertyColumn>>(StringComparer.Ordinal);
        var columns = new List<ColumnModel>();
        var fks = new List<ForeignKeyModel>();
        foreach (var prop in table.Properties)
            AddProperty(table, prop, defaults, onDelete, columnsByProp, columns, fks);

        var uniques = new List<IReadOnlyList<string>>();
        var indexes = new List<IndexModel>();
        foreach (var u in type.GetCustomAttributes<UniqueAttribute>())
        {
            // SQLite's UNIQUE constraint has no WHERE: a partial one is a unique index.
            if (ResolveColumns(table, "Unique", u.Properties, columnsByProp) is not { } cols) continue;
            if (u.Where is null) uniques.Add(cols);
            else indexes.Add(new IndexModel(Naming.UniqueIndex(table.Name, cols), cols) { Unique = true, Where = u.Where });
        }
        foreach (var ix in type.GetCustomAttributes<IndexAttribute>())
            if (ResolveColumns(table, "Index", ix.Properties, columnsByProp) is { } cols)
                indexes.Add(new IndexModel(Naming.Index(table.Name, cols), cols) { Where = ix.Where });

        var queries = queryBuilder.Build(type, table.Properties, isView: false);
        var autoKey = type.GetCustomAttribute<AutoIncPKAttribute>() is not null ? key?.FirstOrDefault()?.Name : null;
        queryBuilder.CheckTableQueries(type, queries, [.. key?.Select(k => k.Name) ?? []], uniques, autoKey, columnsByProp, columns);
        queryBuilder.CheckNames(type, queries, isTable: true);
        if (Errors.Count > before) return null;
        return new TableModel(table.Name, type.FullName!, columns, [.. key?.Select(k => k.Name) ?? []],
            type.GetCustomAttribute<AutoIncPKAttribute>() is not null, uniques, indexes, fks,
            type.GetCustomAttribute<RenamedFromAttribute>()?.OldName, table.Union?.FullName, queries)
        {
            ConstructorProperties = ConstructorProperties(type),
            Checks = [.. type.GetCustomAttributes<CheckAttribute>().Select(c => c.Expression)],
            Strict = type.GetCustomAttribute<StrictAttribute>() is not null,
        };
    }

    private Dictionary<string, (string? Literal, string? Expr)> Defaults(TableInfo table)
    {
        var defaults = new Dictionary<string, (string? Literal, string? Expr)>(StringComparer.Ordinal);
        foreach (var d in table.Type.GetCustomAttributes<DefaultAttribute>())
            if (CheckProperty(table, "Default", d.Property)) defaults[d.Property] = (d.Value, null);
        foreach (var d in table.Type.GetCustomAttributes<DefaultExprAttribute>())
            if (CheckProperty(table, "DefaultExpr", d.Property)) defaults[d.Property] = (null, d.Expression);
        return defaults;
    }

    private Dictionary<string, OnDelete> DeleteActions(TableInfo table)
    {
        var type = table.Type;
        var onDelete = new Dictionary<string, OnDelete>(StringComparer.Ordinal);
        foreach (var a in type.GetCustomAttributes<OnDeleteCascadeAttribute>())
            if (CheckProperty(table, "OnDeleteCascade", a.Property)) onDelete[a.Property] = OnDelete.Cascade;
        foreach (var a in type.GetCustomAttributes<OnDeleteSetNullAttribute>())
        {
            if (!CheckProperty(table, "OnDeleteSetNull", a.Property)) continue;
            onDelete[a.Property] = OnDelete.SetNull;
            var prop = table.Properties.First(p => p.Name == a.Property);
            if (!schema.IsNullable(prop))
                Errors.Add(new(MigCode.InvalidDeleteAction,
                    $"[OnDeleteSetNull] on {type.Name}.{a.Property} needs a nullable property ({FriendlyName(Unwrap(prop.PropertyType))}?): SQLite cannot set a NOT NULL column to NULL.",
                    Type: type.FullName, Member: a.Property, Attribute: "OnDeleteSetNull", Argument: a.Property));
        }
        return onDelete;
    }

    /// <summary>Adds the columns of one property and, for a reference, its foreign key.</summary>
    private void AddProperty(TableInfo table, PropertyInfo prop, Dictionary<string, (string? Literal, string? Expr)> defaults,
        Dictionary<string, OnDelete> onDelete, Dictionary<string, List<PropertyColumn>> columnsByProp, List<ColumnModel> columns, List<ForeignKeyModel> fks)
    {
        var type = table.Type;
        var cols = resolver.ColumnsOf(table, prop, reportErrors: true);
        if (cols is null) return;
        columnsByProp[prop.Name] = cols;
        var notNull = !schema.IsNullable(prop);
        defaults.TryGetValue(prop.Name, out var dflt);
        var renamed = MemberAttribute<RenamedFromAttribute>(prop)?.OldName;
        string[] checks = [.. MemberAttributes<CheckAttribute>(prop).Select(c => c.Expression)];
        var refType = Unwrap(prop.PropertyType);
        foreach (var c in cols.Where(c => Naming.HidesRowId(c.Name)))
            // Such a column hides SQLite's own rowid, which migrations copy, capture and replay by.
            Errors.Add(new(MigCode.DuplicateName,
                $"{type.Name}.{prop.Name} becomes the column '{c.Name}', which would hide the table's rowid (SQLite's name for it), which migrations copy and replay by. Rename the property or give it [Column(\"...\")].",
                Type: type.FullName, Member: prop.Name));
        var migrateFrom = MigrateFromRules.Read(type, prop, cols.Count, renamed, Errors);
        foreach (var c in cols)
            columns.Add(new ColumnModel(c.Name, prop.Name, c.Type, c.Kind, c.ClrType, notNull, dflt.Literal, dflt.Expr,
                cols.Count == 1 ? renamed : null, c.ReferencedColumn) { Checks = [.. EnumChecks(type, prop, c, dflt.Literal), .. checks], MigrateFrom = migrateFrom });

        onDelete.TryGetValue(prop.Name, out var action);
        if (schema.Tables.TryGetValue(refType, out var referenced))
        {
            fks.Add(new ForeignKeyModel(prop.Name, [.. cols.Select(c => c.Name)], referenced.Name,
                [.. cols.Select(c => c.ReferencedColumn!)], action, Embedded: true));
        }
        else if (MemberAttribute<ReferencesAttribute>(prop) is { } references)
        {
            var fk = ExplicitReference(table, prop, references.Table, cols[0], action);
            if (fk is not null) fks.Add(fk);
        }
        else if (action != OnDelete.NoAction)
        {
            Errors.Add(new(MigCode.InvalidDeleteAction,
                $"{type.Name}.{prop.Name} is not a reference, so a delete action does not apply. Put it on a record-typed or [References] property.",
                Type: type.FullName, Member: prop.Name, Attribute: action == OnDelete.Cascade ? "OnDeleteCascade" : "OnDeleteSetNull", Argument: prop.Name));
        }
    }

    /// <summary>
    /// The CHECK of an enum stored by name (its own column; a reference to a key stored by name is
    /// checked by the foreign key), with its [Default] checked against the names.
    /// </summary>
    private IEnumerable<string> EnumChecks(Type type, PropertyInfo prop, PropertyColumn c, string? literal)
    {
        if (c.Kind != ValueKind.EnumName || c.ReferencedColumn is not null) return [];
        var e = schema.Enums[c.ClrType];
        if (literal is not null && EnumStorage.CheckDefault(type, prop.Name, literal, e) is { } error) Errors.Add(error);
        return [EnumStorage.Check(c.Name, e)];
    }

    private ForeignKeyModel? ExplicitReference(TableInfo table, PropertyInfo prop, Type target, PropertyColumn column, OnDelete action)
    {
        if (!schema.Tables.TryGetValue(target, out var referenced))
        {
            Errors.Add(new(MigCode.InexpressibleForeignKey,
                $"[References(typeof({target.Name}))] on {table.Type.Name}.{prop.Name}: {target.Name} is not a table of this schema.",
                Type: table.Type.FullName, Member: prop.Name, Attribute: "References"));
            return null;
        }
        var key = resolver.KeyOf(target);
        if (key is null)
        {
            Errors.Add(new(MigCode.ReferenceWithoutKey,
                $"{table.Type.Name}.{prop.Name} references {target.Name}, which has no primary key. Add [PK(...)] or [AutoIncPK(...)] to {target.Name}.",
                Type: table.Type.FullName, Member: prop.Name, Attribute: "References"));
            return null;
        }
        if (key.Count != 1)
        {
            Errors.Add(new(MigCode.InexpressibleForeignKey,
                $"{table.Type.Name}.{prop.Name} is one column but {target.Name} has a composite key ({string.Join(", ", key.Select(k => k.Name))}). Reference the record itself ({target.Name} {prop.Name}) to get one column per key column.",
                Type: table.Type.FullName, Member: prop.Name, Attribute: "References"));
            return null;
        }
        if (key[0].Type != column.Type)
        {
            Errors.Add(new(MigCode.InexpressibleForeignKey,
                $"{table.Type.Name}.{prop.Name} is {TypeMapping.Keyword(column.Type)} but the key of {target.Name} is {TypeMapping.Keyword(key[0].Type)}; give the property the key's type.",
                Type: table.Type.FullName, Member: prop.Name, Attribute: "References"));
            return null;
        }
        return new ForeignKeyModel(prop.Name, [column.Name], referenced.Name, [key[0].Name], action, Embedded: false);
    }

    private bool CheckProperty(TableInfo table, string attribute, string property)
    {
        if (table.Properties.Any(p => p.Name == property)) return true;
        Errors.Add(ReflectedSchema.MissingProperty(table.Type, attribute, property));
        return false;
    }

    private List<string>? ResolveColumns(TableInfo table, string attribute, string[] properties, Dictionary<string, List<PropertyColumn>> columnsByProp)
    {
        if (properties is null || properties.Length == 0 || properties.Any(p => p is null))
        {
            Errors.Add(new(MigCode.InvalidAttribute, $"[{attribute}] on {table.Type.Name} names no property (or a null one).", Type: table.Type.FullName, Attribute: attribute));
            return null;
        }
        var result = new List<string>();
        foreach (var p in properties)
        {
            if (!CheckProperty(table, attribute, p)) return null;
            if (!columnsByProp.TryGetValue(p, out var cols)) return null; // its type error is already reported
            result.AddRange(cols.Select(c => c.Name));
        }
        return result;
    }
}
