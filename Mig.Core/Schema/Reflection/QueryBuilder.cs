using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using static Mig.Schema.RecordShape;

namespace Mig.Schema;

/// <summary>
/// Builds the queries a table or view's attributes request and checks them: the
/// properties they name, their OrderBy (parsed here, once, into <see cref="OrderTerm"/>s),
/// what a table can support, and the generated method names.
/// </summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal sealed class QueryBuilder(ReflectedSchema schema)
{
    private List<SchemaError> Errors => schema.Errors;

    /// <summary>The valid queries of a record, in attribute order; the invalid ones are reported and left out.</summary>
    public List<QueryModel> Build(Type type, IReadOnlyList<PropertyInfo> properties, bool isView)
    {
        var result = new List<QueryModel>();
        foreach (var q in type.GetCustomAttributes<QueryAttribute>())
        {
            var kind = KindOf(q);
            var attr = kind.ToString();
            if (isView && kind is not (QueryKind.SelectAll or QueryKind.SelectBy or QueryKind.SelectOneBy or QueryKind.SelectLike
                or QueryKind.CountBy or QueryKind.SelectPage or QueryKind.SelectRange or QueryKind.SelectIn))
            {
                Errors.Add(new(MigCode.InvalidQuery, $"[{attr}] on view {type.Name}: views are read-only; use a select attribute.", Type: type.FullName, Attribute: attr));
                continue;
            }
            if (isView && kind == QueryKind.SelectPage)
            {
                Errors.Add(new(MigCode.InvalidPageKey,
                    $"[SelectPage] on view {type.Name}: a view declares no key, so nothing says that {q.Properties.FirstOrDefault()} tells its rows apart, and a page after a value shared by several rows would skip some of them. Page the table the rows come from (by its key or a [Unique] property).",
                    Type: type.FullName, Attribute: attr, Argument: q.Properties.FirstOrDefault()));
                continue;
            }
            var ok = true;
            foreach (var p in q.Properties)
                if (!properties.Any(x => x.Name == p)) { Errors.Add(ReflectedSchema.MissingProperty(type, attr, p)); ok = false; }
            if (kind is QueryKind.SelectBy or QueryKind.SelectOneBy or QueryKind.SelectByOrInsert or QueryKind.UpdateBy or QueryKind.DeleteBy or QueryKind.CountBy
                && q.Properties.Length == 0)
            {
                Errors.Add(new(MigCode.InvalidAttribute, $"[{attr}] on {type.Name} names no property.", Type: type.FullName, Attribute: attr));
                ok = false;
            }
            var order = Order(type, attr, q.OrderBy, properties);
            if (ok && order is not null && Fits(type, kind, q.Properties, order, properties)) result.Add(new QueryModel(kind, q.Properties, order));
        }
        return result;
    }

    /// <summary>
    /// Whether the properties suit the kind (reported when not): a count has no order; a page is
    /// ordered by its key alone, which is not null; a page or a range needs a value whose stored
    /// form orders like the value itself (<see cref="TypeMapping.UnorderedBecause"/>).
    /// </summary>
    private bool Fits(Type type, QueryKind kind, IReadOnlyList<string> names, List<OrderTerm> order, IReadOnlyList<PropertyInfo> properties)
    {
        var attr = kind.ToString();
        if (kind == QueryKind.CountBy && order.Count > 0)
        {
            Errors.Add(new(MigCode.InvalidAttribute, $"[CountBy] on {type.Name}: a count has no order; remove OrderBy.", Type: type.FullName, Attribute: attr, Argument: names.FirstOrDefault()));
            return false;
        }
        // These change or match one row by its key: an order would be accepted and do nothing.
        if (kind is (QueryKind.UpdateBy or QueryKind.DeleteBy or QueryKind.Upsert or QueryKind.InsertOrIgnore or QueryKind.SelectByOrInsert) && order.Count > 0)
        {
            Errors.Add(new(MigCode.InvalidAttribute, $"[{attr}] on {type.Name}: OrderBy has no effect here (the statement writes or matches rows regardless of order); remove OrderBy.",
                Type: type.FullName, Attribute: attr, Argument: names.FirstOrDefault()));
            return false;
        }
        if (kind is not (QueryKind.SelectPage or QueryKind.SelectRange)) return true;
        var name = names[0];
        var property = properties.First(p => p.Name == name);
        if (kind == QueryKind.SelectPage && order.Any(t => t.Property != name))
        {
            Errors.Add(new(MigCode.InvalidPageKey,
                $"[SelectPage] on {type.Name}: a page is in the order of its key {name}, so OrderBy may only give its direction (\"{name}\" or \"{name} DESC\"), not order by {order.First(t => t.Property != name).Property}.",
                Type: type.FullName, Attribute: attr, Argument: name));
            return false;
        }
        var what = kind == QueryKind.SelectPage ? "a page" : "a range";
        var valueType = Unwrap(property.PropertyType);
        if (schema.Tables.ContainsKey(valueType))
        {
            Errors.Add(new(MigCode.UnorderedColumn,
                $"[{attr}] on {type.Name}.{name}: {name} is a reference to the record {valueType.Name}, which has no order, so {what} over it means nothing. Use a value property (a [References(typeof({valueType.Name}))] key property holds the key as a value).",
                Type: type.FullName, Attribute: attr, Argument: name));
            return false;
        }
        if (TypeMapping.KindOf(valueType) is not { } valueKind) return true; // the type error is reported with the columns
        if (EnumStorage.ByName(property, valueType)) valueKind = ValueKind.EnumName;
        var why = valueType.IsEnum && Enum.GetUnderlyingType(valueType) == typeof(ulong)
            ? "an enum over ulong stores its values above long.MaxValue as negative numbers"
            : TypeMapping.UnorderedBecause(valueKind);
        if (why is not null)
        {
            Errors.Add(new(MigCode.UnorderedColumn,
                $"[{attr}] on {type.Name}.{name}: {why}, so {what} over the stored values would not be {what} of the values. Use a type whose stored form orders like its values (integers, double, string, DateTime, DateOnly, TimeOnly, Guid), for example a DateTime in UTC or a long of ticks.",
                Type: type.FullName, Attribute: attr, Argument: name));
            return false;
        }
        if (kind == QueryKind.SelectPage && schema.IsNullable(property))
        {
            Errors.Add(new(MigCode.InvalidPageKey,
                $"[SelectPage] on {type.Name}.{name}: {name} is nullable, and rows whose key is NULL have no place after any key, so no page would return them. Page by a NOT NULL key.",
                Type: type.FullName, Attribute: attr, Argument: name));
            return false;
        }
        return true;
    }

    private static QueryKind KindOf(QueryAttribute q) => q switch
    {
        InsertOrIgnoreAttribute => QueryKind.InsertOrIgnore,
        SelectAllAttribute => QueryKind.SelectAll,
        SelectByAttribute => QueryKind.SelectBy,
        SelectOneByAttribute => QueryKind.SelectOneBy,
        SelectLikeAttribute => QueryKind.SelectLike,
        SelectByOrInsertAttribute => QueryKind.SelectByOrInsert,
        UpdateByAttribute => QueryKind.UpdateBy,
        DeleteByAttribute => QueryKind.DeleteBy,
        CountByAttribute => QueryKind.CountBy,
        SelectPageAttribute => QueryKind.SelectPage,
        SelectRangeAttribute => QueryKind.SelectRange,
        SelectInAttribute => QueryKind.SelectIn,
        _ => QueryKind.Upsert,
    };

    /// <summary>The ordering terms of an OrderBy (<c>"Name DESC, Age"</c>), or null when a term is reported as wrong.</summary>
    private List<OrderTerm>? Order(Type type, string attr, string? orderBy, IReadOnlyList<PropertyInfo> properties)
    {
        var order = new List<OrderTerm>();
        var ok = true;
        foreach (var term in (orderBy ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parsed = ParseOrderTerm(term);
            if (parsed is null)
            {
                Errors.Add(new(MigCode.InvalidAttribute, $"[{attr}] on {type.Name}: OrderBy term '{term}' must be '<Property>', '<Property> ASC' or '<Property> DESC'.", Type: type.FullName, Attribute: attr, Argument: term));
                ok = false;
            }
            else if (!properties.Any(x => x.Name == parsed.Property))
            {
                Errors.Add(ReflectedSchema.MissingProperty(type, attr, parsed.Property));
                ok = false;
            }
            else order.Add(parsed);
        }
        return ok ? order : null;
    }

    /// <summary>One OrderBy term (<c>Name</c>, <c>Name ASC</c>, <c>Name desc</c>), or null when it is malformed.</summary>
    private static OrderTerm? ParseOrderTerm(string term)
    {
        var parts = term.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1) return new OrderTerm(parts[0], Descending: false);
        if (parts.Length != 2) return null;
        if (parts[1].Equals("ASC", StringComparison.OrdinalIgnoreCase)) return new OrderTerm(parts[0], Descending: false);
        if (parts[1].Equals("DESC", StringComparison.OrdinalIgnoreCase)) return new OrderTerm(parts[0], Descending: true);
        return null;
    }

    /// <summary>
    /// Reports queries a table cannot support: an upsert without a key, an update with nothing to set,
    /// LIKE on a non-string, a page by a key that is not unique, a list of composite keys.
    /// </summary>
    public void CheckTableQueries(Type type, List<QueryModel> queries, IReadOnlyList<string> key, IReadOnlyList<IReadOnlyList<string>> uniques, string? autoKey,
        Dictionary<string, List<PropertyColumn>> columnsByProp, List<ColumnModel> columns)
    {
        foreach (var q in queries)
        {
            var attr = q.Kind.ToString();
            if (q.Kind is QueryKind.SelectPage or QueryKind.SelectIn && columnsByProp.TryGetValue(q.Properties[0], out var own))
                CheckOneColumn(type, q, key, uniques, own);
            if (q.Kind == QueryKind.Upsert && key.Count == 0)
                Errors.Add(new(MigCode.InvalidQuery, $"[Upsert] on {type.Name} needs a primary key to detect the conflict; add [PK(...)] or remove [Upsert].", Type: type.FullName, Attribute: attr));
            if (q.Kind == QueryKind.UpdateBy)
            {
                // The update sets every other column except an AUTOINCREMENT key, which
                // identifies the row and is never written; with none left it would be no SQL.
                var named = q.Properties.SelectMany(p => columnsByProp.TryGetValue(p, out var c) ? c : []).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                if (!columns.Any(c => !named.Contains(c.Name) && c.Name != autoKey))
                    Errors.Add(new(MigCode.InvalidQuery,
                        $"[UpdateBy] on {type.Name} names every column{(autoKey is not null && !named.Contains(autoKey) ? " but the AUTOINCREMENT key, which an update never sets" : "")}, so there is nothing left to update.",
                        Type: type.FullName, Attribute: attr, Argument: q.Properties.FirstOrDefault()));
            }
            if (q.Kind == QueryKind.SelectLike && q.Properties.Count == 1 && columnsByProp.TryGetValue(q.Properties[0], out var like) && like[0].Kind != ValueKind.String)
                Errors.Add(new(MigCode.InvalidQuery, $"[SelectLike] on {type.Name}.{q.Properties[0]}: LIKE needs a string property.", Type: type.FullName, Attribute: attr, Argument: q.Properties[0]));
        }
    }

    /// <summary>A page key must be the primary key or a one-column unique; a list holds one value per row.</summary>
    private void CheckOneColumn(Type type, QueryModel q, IReadOnlyList<string> key, IReadOnlyList<IReadOnlyList<string>> uniques, List<PropertyColumn> own)
    {
        var name = q.Properties[0];
        var attr = q.Kind.ToString();
        if (q.Kind == QueryKind.SelectIn && own.Count > 1)
        {
            Errors.Add(new(MigCode.UnlistableProperty,
                $"[SelectIn] on {type.Name}.{name}: {name} refers by a composite key ({string.Join(", ", own.Select(c => c.Name))}), and a list holds one value per row. Select by each key with [SelectBy], or list one of its columns.",
                Type: type.FullName, Attribute: attr, Argument: name));
        }
        if (q.Kind != QueryKind.SelectPage) return;
        bool Is(IReadOnlyList<string> columns) => own.Count == 1 && columns.Count == 1 && SqlNameComparer.Same(columns[0], own[0].Name);
        if (!Is(key) && !uniques.Any(Is))
        {
            var why = key.Count > 1 && key.Any(k => SqlNameComparer.Same(k, own[0].Name))
                ? $"{name} is one column of the composite primary key ({string.Join(", ", key)}), so several rows may share it"
                : $"{name} is neither the primary key nor [Unique], so several rows may share a value";
            Errors.Add(new(MigCode.InvalidPageKey,
                $"[SelectPage] on {type.Name}.{name}: {why}, and a page that ends inside a run of equal keys would skip the rest of the run. Page by the primary key, or declare [Unique(nameof({name}))].",
                Type: type.FullName, Attribute: attr, Argument: name));
        }
    }

    /// <summary>
    /// Generated methods are static extension members; a member the record declares
    /// with the same name would silently win at call sites, and two attributes with
    /// one name would not compile. Both are schema errors.
    /// </summary>
    public void CheckNames(Type type, List<QueryModel> queries, bool isTable)
    {
        var declared = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, query) in QueryNames.All(queries, isTable))
        {
            var attr = query?.Kind.ToString();
            var arg = query?.Properties.FirstOrDefault();
            if (declared.Contains(name))
                Errors.Add(new(MigCode.QueryNameCollision,
                    $"{type.Name} declares a member named {name}, which would hide the generated {(query is null ? name : "[" + attr + "]")} method at call sites. Rename the member{(query is null ? "" : " or remove the attribute")}.",
                    Type: type.FullName, Member: name, Attribute: attr, Argument: arg));
            if (!seen.Add(name))
                Errors.Add(new(MigCode.QueryNameCollision,
                    $"Two query attributes on {type.Name} both generate {name}; remove one or give it a different OrderBy.",
                    Type: type.FullName, Attribute: attr, Argument: arg));
        }
    }
}
