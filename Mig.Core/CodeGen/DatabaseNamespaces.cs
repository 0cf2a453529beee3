using Mig.Schema;

namespace Mig.CodeGen;

/// <summary>
/// Several databases in one project: each database's code goes into the namespaces of its own schema
/// types, with a <c>MigSchemaInfo</c> in each, so two databases must not share a namespace.
/// </summary>
internal static class DatabaseNamespaces
{
    /// <summary>The error text when this model shares a namespace with another database's model, else null.</summary>
    /// <param name="modelPath">This database's model file (skipped among <paramref name="allModelPaths"/>).</param>
    /// <param name="model">This database's model.</param>
    /// <param name="allModelPaths">The model files of every database of the project.</param>
    /// <param name="load">Reads a model file.</param>
    public static string? Shared(string modelPath, SchemaModel model, IEnumerable<string> allModelPaths, Func<string, SchemaModel> load)
    {
        var mine = Of(model);
        foreach (var other in allModelPaths)
        {
            if (string.Equals(Path.GetFullPath(other), Path.GetFullPath(modelPath), StringComparison.Ordinal) || !File.Exists(other)) continue;
            var both = mine.Intersect(Of(load(other)), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (both.Count == 0) continue;
            var names = string.Join(", ", both.Select(n => n.Length == 0 ? "(the global namespace)" : n));
            return $"The databases of {DatabaseOf(modelPath)} and {DatabaseOf(other)} both have schema types in namespace {names}; "
                + "each database's generated code (and its MigSchemaInfo) goes into its types' namespaces, so each database's schema needs namespaces of its own. "
                + "Move one database's records into another namespace.";
        }
        return null;
    }

    private static HashSet<string> Of(SchemaModel model) =>
        model.Tables.Select(t => QueryEmitter.Namespace(t.ClrType))
            .Concat(model.Views.Select(v => QueryEmitter.Namespace(v.ClrType)))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The database a model file belongs to: its folder is named after it (obj/.../Mig/&lt;database&gt;/model.json).</summary>
    private static string DatabaseOf(string modelPath) =>
        $"\"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(modelPath)))}\"";
}
