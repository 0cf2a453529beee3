namespace Mig.Schema;

/// <summary>
/// The names of generated query methods (docs/dsl.md, Generated queries): a schema rule,
/// because the reflector reports collisions with them; the emitter uses the same names.
/// </summary>
internal static class QueryNames
{
    /// <summary>The insert every table gets.</summary>
    public const string Insert = "InsertAsync";

    /// <summary>The insert of many rows every table gets.</summary>
    public const string InsertMany = "InsertManyAsync";

    /// <summary>The count every table and view gets.</summary>
    public const string Count = "CountAsync";

    /// <summary>The method name of a query attribute: <c>SelectByNameAgeOrderByNameDescAsync</c>.</summary>
    public static string MethodName(QueryModel query)
    {
        var props = string.Concat(query.Properties);
        return query.Kind switch
        {
            QueryKind.InsertOrIgnore => "InsertOrIgnoreAsync",
            QueryKind.SelectAll => "SelectAllAsync",
            QueryKind.SelectBy => $"SelectBy{props}{OrderBySuffix(query.OrderBy)}Async",
            QueryKind.SelectOneBy => $"SelectOneBy{props}{OrderBySuffix(query.OrderBy)}Async",
            QueryKind.SelectLike => $"Select{props}Like{OrderBySuffix(query.OrderBy)}Async",
            QueryKind.SelectByOrInsert => $"SelectBy{props}OrInsertAsync",
            QueryKind.UpdateBy => $"UpdateBy{props}Async",
            QueryKind.DeleteBy => $"DeleteBy{props}Async",
            QueryKind.Upsert => "UpsertAsync",
            QueryKind.CountBy => $"CountBy{props}Async",
            QueryKind.SelectPage => $"SelectPageBy{props}{OrderBySuffix(query.OrderBy)}Async",
            QueryKind.SelectRange => $"Select{props}Between{OrderBySuffix(query.OrderBy)}Async",
            QueryKind.SelectIn => $"SelectBy{props}In{OrderBySuffix(query.OrderBy)}Async",
            _ => throw new ArgumentOutOfRangeException(nameof(query)),
        };
    }

    /// <summary>Every method name a table or view gets, with the query it comes from (null for the ones every table or view gets).</summary>
    public static IEnumerable<(string Name, QueryModel? Query)> All(IReadOnlyList<QueryModel> queries, bool isTable) =>
        (isTable ? [(Insert, (QueryModel?)null), (InsertMany, null)] : Array.Empty<(string, QueryModel?)>())
            .Append((Count, null))
            .Concat(queries.Select(q => (MethodName(q), (QueryModel?)q)));

    private static string OrderBySuffix(IReadOnlyList<OrderTerm> terms) =>
        terms.Count == 0 ? "" : "OrderBy" + string.Concat(terms.Select(t => t.Property + (t.Descending ? "Desc" : "Asc")));
}
