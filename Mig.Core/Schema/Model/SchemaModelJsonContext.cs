using System.Text.Json.Serialization;

namespace Mig.Schema;

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true,
    Converters = [typeof(StorageValueConverter)])]
[JsonSerializable(typeof(SchemaModel))]
internal sealed partial class SchemaModelJsonContext : JsonSerializerContext;
