using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Mig.Schema;

/// <summary>
/// Turns the types of a compiled schema assembly into a <see cref="SchemaModel"/>
/// (docs/dsl.md). Reads attributes by type identity, so the schema assembly must bind
/// to the same Mig.Core as this one. Runs seed getters, which is why it runs in
/// the short-lived tool process and never inside an MSBuild node. The work is
/// split by concern: <see cref="TypeClassifier"/>, <see cref="ReferenceCycles"/>,
/// <see cref="ColumnResolver"/> (columns and keys), <see cref="TableBuilder"/>,
/// <see cref="QueryBuilder"/>, <see cref="ViewBuilder"/> and <see cref="SeedBuilder"/>;
/// errors are reported in the order this class runs them.
/// </summary>
[RequiresUnreferencedCode(Why)]
internal static class SchemaReflector
{
    /// <summary>Why reflection over a schema is safe: it never runs in a trimmed app.</summary>
    internal const string Why = "Reads a schema assembly by reflection; it runs in the build's tool process, never in a trimmed app.";

    /// <summary>Builds the model from all exported types of a schema assembly.</summary>
    public static SchemaBuildResult Reflect(Assembly schemaAssembly) => Reflect(schemaAssembly.GetExportedTypes());

    /// <summary>Builds the model from these types; anything that is not a table, view, union or seed holder is ignored.</summary>
    public static SchemaBuildResult Reflect(IEnumerable<Type> types)
    {
        var schema = new ReflectedSchema();
        var errors = schema.Errors;
        var classifier = new TypeClassifier(schema);
        foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
            classifier.Classify(type);

        foreach (var table in schema.Tables.Values) table.Properties.AddRange(RecordShape.MappedProperties(table.Type));
        if (!ReferenceCycles.Check(schema)) return new SchemaBuildResult(null, errors);

        var resolver = new ColumnResolver(schema);
        var queries = new QueryBuilder(schema);
        var tableBuilder = new TableBuilder(schema, resolver, queries);
        var tableModels = new List<TableModel>();
        foreach (var table in schema.Tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var model = tableBuilder.Build(table);
            if (model is not null) tableModels.Add(model);
        }
        var viewBuilder = new ViewBuilder(schema, queries);
        var viewModels = classifier.Views.Select(v => viewBuilder.Build(v, tableModels)).OfType<ViewModel>().ToList();
        CheckDuplicateNames(errors, tableModels, viewModels);
        if (errors.Count > 0) return new SchemaBuildResult(null, errors);

        var ordered = ForeignKeyOrder.Sort(tableModels);
        var seedBuilder = new SeedBuilder(schema, resolver);
        var seeds = classifier.SeedHolders.SelectMany(h => seedBuilder.Build(h, ordered)).ToList();
        var tableRank = ordered.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        seeds = [.. seeds.OrderBy(s => tableRank[s.Table]).ThenBy(s => s.Source, StringComparer.Ordinal)];
        if (errors.Count > 0) return new SchemaBuildResult(null, errors);
        return new SchemaBuildResult(new SchemaModel(ordered, [.. viewModels.OrderBy(v => v.Synthesised ? 0 : 1).ThenBy(v => v.Name, StringComparer.Ordinal)], seeds)
            { Enums = [.. schema.Enums.Values] }, errors);
    }

    /// <summary>Reports SQL names that Mig reserves, and tables, views and indexes that share one.</summary>
    private static void CheckDuplicateNames(List<SchemaError> errors, List<TableModel> tableModels, List<ViewModel> viewModels)
    {
        var names = tableModels.Select(t => (t.Name, t.ClrType)).Concat(viewModels.Select(v => (v.Name, v.ClrType)))
            .Concat(tableModels.SelectMany(t => t.Indexes.Select(i => (i.Name, t.ClrType))));
        foreach (var (name, owner) in names.Where(n => Protocol.IsReserved(n.Name)))
            errors.Add(new(MigCode.DuplicateName,
                $"The SQL name '{name}' ({owner[(owner.LastIndexOfAny(['.', '+']) + 1)..]}) is one Mig reserves for its own bookkeeping ({string.Join(", ", Protocol.ReservedNames)}). Rename the type or give it [Table(\"...\")].",
                Type: owner));
        foreach (var group in names.GroupBy(n => n.Name, SqlNameComparer.Instance).Where(g => g.Count() > 1))
        {
            var owners = group.Select(g => g.ClrType).Distinct().ToList();
            errors.Add(new(MigCode.DuplicateName,
                $"The SQL name '{group.Key}' is used {group.Count()} times ({string.Join(", ", owners.Select(o => o[(o.LastIndexOfAny(['.', '+']) + 1)..]))}). Rename a type or give it [Table(\"...\")].",
                Type: group.Last().ClrType));
        }
    }
}
