using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>The verbs that need only the model, no old file: init (MigInit) and script (MigScript).</summary>
internal static class SchemaVerbs
{
    /// <summary>init: a new database file for the schema, with seeds, ready to serve.</summary>
    public static int Init(SchemaModel model, string path, Action<string> result)
    {
        var database = Path.GetFullPath(path);
        DatabaseCreator.Create(model, database, SchemaHash.Compute(model));
        result($"Mig: created {database} ({model.Tables.Count} tables, {model.Views.Count} views, {model.Seeds.Sum(s => s.Rows.Count)} seed rows), status ready.");
        return 0;
    }

    /// <summary>The full CREATE SQL of the schema, headed by its hash.</summary>
    public static string Script(SchemaModel model) =>
        $"-- Mig schema {SchemaHash.Compute(model)}: generated from the schema types; do not edit.\n\n" + Ddl.Script(model);

    /// <summary>script: <see cref="Script(SchemaModel)"/> to a file.</summary>
    public static int WriteScript(SchemaModel model, string path, Action<string> result)
    {
        var output = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, Script(model));
        result($"Mig: wrote the schema SQL to {output}");
        return 0;
    }
}
