using Mig.Schema;

namespace Mig.CodeGen;

/// <summary>
/// Writes <c>MigSchemaInfo</c>: the schema's hash and file name, and the compiled schema model with
/// <c>UpgradeAsync</c>, so an app can create or upgrade its own file at start with nothing but the
/// runtime package (no Roslyn, no SDK, no model file beside it).
/// </summary>
internal static class SchemaInfoEmitter
{
    public static void Emit(CodeWriter w, SchemaModel model, string hash, string databaseName)
    {
        w.Line("/// <summary>The identity of the schema this code was generated from, and the upgrade of a database folder to it.</summary>");
        w.Open("public static class MigSchemaInfo");
        w.Line("/// <summary>The schema hash: the same hash names the database file of this schema.</summary>");
        w.Line($"public const string Hash = {QueryEmitter.Literal(hash)};");
        w.Line("/// <summary>The stem of the database file names (MigDatabaseName).</summary>");
        w.Line($"public const string DatabaseName = {QueryEmitter.Literal(databaseName)};");
        w.Line("/// <summary>The database file of this schema: <c>&lt;name&gt;-&lt;hash&gt;.db</c>; a service opens this file by default.</summary>");
        w.Line($"public const string DatabaseFileName = {QueryEmitter.Literal(Protocol.DatabaseFileName(databaseName, hash))};");
        w.Line();
        EmitUpgrade(w);
        w.Line();
        EmitModel(w, model);
        w.Close();
    }

    private static void EmitUpgrade(CodeWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// For an app that is the only writer of its file: creates this schema's file in <paramref name=\"directory\"/>");
        w.Line("/// when there is none, returns it when it is ready, or migrates the one older file into it offline and");
        w.Line("/// archives the old file (docs/in-app-upgrade.md). One process at a time; the others wait.");
        w.Line("/// </summary>");
        w.Line("/// <returns>The path of this schema's file, ready to open with <see cref=\"global::Mig.MigDatabase\"/>.</returns>");
        w.Line("/// <exception cref=\"global::Mig.MigMigrationException\">Refused (e.g. MIG0042, the plan loses data) or failed; the files are as they were.</exception>");
        w.Line("public static global::System.Threading.Tasks.Task<string> UpgradeAsync(");
        w.Indent();
        w.Line("string directory,");
        w.Line("global::Mig.MigUpgradeOptions? options = null,");
        w.Line("global::System.Threading.CancellationToken cancellationToken = default) =>");
        w.Line("global::Mig.MigUpgrade.UpgradeAsync(directory, DatabaseName, Hash, Model, options, cancellationToken);");
        w.Outdent();
    }

    /// <summary>The model as a constant of one literal per JSON line, so a reviewer reads it as JSON.</summary>
    private static void EmitModel(CodeWriter w, SchemaModel model)
    {
        w.Line("/// <summary>The compiled schema model (JSON) the upgrade builds and migrates the file from.</summary>");
        w.Line("private const string Model =");
        w.Indent();
        var lines = SchemaModelJson.Serialize(model).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
            w.Line(QueryEmitter.Literal(i < lines.Length - 1 ? lines[i] + "\n" : lines[i]) + (i < lines.Length - 1 ? " +" : ";"));
        w.Outdent();
    }
}
