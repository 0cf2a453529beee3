using System.Text.Json;

namespace Mig.Schema;

/// <summary>
/// Reads and writes the model as JSON. The build caches the reflected model in
/// obj/ so later targets (script, init, generate, migrations) share it without
/// loading the schema assembly again.
/// </summary>
internal static class SchemaModelJson
{
    /// <summary>The model as indented JSON.</summary>
    public static string Serialize(SchemaModel model) => JsonSerializer.Serialize(model, SchemaModelJsonContext.Default.SchemaModel);

    /// <summary>The model from JSON written by <see cref="Serialize"/>.</summary>
    public static SchemaModel Deserialize(string json) =>
        JsonSerializer.Deserialize(json, SchemaModelJsonContext.Default.SchemaModel)
        ?? throw new JsonException("The model file is empty.");
}
