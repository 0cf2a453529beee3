using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mig.Schema;

/// <summary>
/// Seed values keep their storage class through JSON: an integer stays an
/// integer even when a REAL would print the same, and BLOBs are tagged.
/// </summary>
internal sealed class StorageValueConverter : JsonConverter<object>
{
    public override bool HandleNull => true;

    public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("A seed value must be null or a tagged object.");
        reader.Read();
        var tag = reader.GetString();
        reader.Read();
        object value = tag switch
        {
            "i" => reader.GetInt64(),
            "r" => reader.TokenType == JsonTokenType.String ? double.Parse(reader.GetString()!, CultureInfo.InvariantCulture) : reader.GetDouble(),
            "t" => reader.GetString()!,
            "b" => reader.GetBytesFromBase64(),
            _ => throw new JsonException($"Unknown seed value tag '{tag}'."),
        };
        reader.Read();
        return value;
    }

    public override void Write(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        if (value is null) { writer.WriteNullValue(); return; }
        writer.WriteStartObject();
        switch (value)
        {
            case long l: writer.WriteNumber("i", l); break;
            // SQLite stores infinities as REAL, but a JSON number cannot hold one.
            case double d when !double.IsFinite(d): writer.WriteString("r", d.ToString(CultureInfo.InvariantCulture)); break;
            case double d: writer.WriteNumber("r", d); break;
            case string s: writer.WriteString("t", s); break;
            case byte[] b: writer.WriteBase64String("b", b); break;
            default: throw new JsonException($"Not a storage value: {value.GetType()}");
        }
        writer.WriteEndObject();
    }
}
