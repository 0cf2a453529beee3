using System.Diagnostics.CodeAnalysis;
using System.Reflection;

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
            if (isView && kind is not (QueryKind.SelectAll or QueryKind.SelectBy or QueryKind.SelectOneBy or QueryKind.SelectLike))
            {
                Errors.Add(new(MigCode.InvalidQuery, $"[{attr}] on view {type.Name}: views are read-only; use a select attribute.", Type: type.FullName, Attribute: attr));
                continue;
            }
            var ok = true;
            foreach (var p in q.Properties)
                if (!properties.Any(x => x.Name == p)) { Errors.Add(ReflectedSchema.MissingProperty(type, attr, p)); ok = false; }
            if (kind is QueryKind.SelectBy or QueryKind.SelectOneBy or QueryKind.SelectByOrInsert or QueryKind.UpdateBy or QueryKind.DeleteBy
                && q.Properties.Length == 0)
            {
                Errors.Add(new(MigCode.InvalidAttribute, $"[{attr}] on {type.Name} names no property.", Type: type.FullName, Attribute: attr));
                ok = false;
            }
            var order = Order(type, attr, q.OrderBy, properties);
            if (ok && order is not null) result.Add(new QueryModel(kind, q.Properties, order));
        }
        return result;
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

    /// <summary>Reports queries a table cannot support: an upsert without a key, an update with nothing to set, LIKE on a non-string.</summary>
    public void CheckTableQueries(Type type, List<QueryModel> queries, bool hasKey, string? autoKey, Dictionary<string, List<PropertyColumn>> columnsByProp, List<ColumnModel> columns)
    {
        foreach (var q in queries)
        {
            var attr = q.Kind.ToString();
            if (q.Kind == QueryKind.Upsert && !hasKey)
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
                    $"{type.Name} declares a member named {name}, which would hide the generated {(query is null ? "insert" : "[" + attr + "]")} method at call sites. Rename the member{(query is null ? "" : " or remove the attribute")}.",
                    Type: type.FullName, Member: name, Attribute: attr, Argument: arg));
            if (!seen.Add(name))
                Errors.Add(new(MigCode.QueryNameCollision,
                    $"Two query attributes on {type.Name} both generate {name}; remove one or give it a different OrderBy.",
                    Type: type.FullName, Attribute: attr, Argument: arg));
        }
    }
}
