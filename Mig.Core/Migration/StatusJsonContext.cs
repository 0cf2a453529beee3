using System.Text.Json.Serialization;

namespace Mig.Migration;

/// <summary>The JSON of <see cref="StatusReport"/>, its serializer generated at build time.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
