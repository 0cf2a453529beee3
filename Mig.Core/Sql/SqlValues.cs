using System.Globalization;
using Mig.Schema;

namespace Mig.Sql;

/// <summary>
/// Converts C# values to what SQLite stores for them (dsl.md, Type mapping) and back.
/// Text forms are invariant and round-trip exactly: decimals keep their scale,
/// DateTime keeps its Kind, DateTimeOffset its offset.
/// </summary>
internal static class SqlValues
{
    /// <summary>The storage value (null, long, double, string or byte[]) of a C# value of this kind.</summary>
    public static object? ToStorage(object? value, ValueKind kind) => value switch
    {
        null => null,
        _ => kind switch
        {
            ValueKind.Int64 or ValueKind.Int32 or ValueKind.Int16 or ValueKind.Byte or ValueKind.Enum
                => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ValueKind.Boolean => (bool)value ? 1L : 0L,
            ValueKind.String => (string)value,
            ValueKind.Double or ValueKind.Single => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            ValueKind.Decimal => ((decimal)value).ToString(CultureInfo.InvariantCulture),
            ValueKind.Bytes => (byte[])value,
            ValueKind.DateTime => ((DateTime)value).ToString("O", CultureInfo.InvariantCulture),
            ValueKind.DateTimeOffset => ((DateTimeOffset)value).ToString("O", CultureInfo.InvariantCulture),
            ValueKind.DateOnly => ((DateOnly)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ValueKind.TimeOnly => ((TimeOnly)value).ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
            ValueKind.TimeSpan => ((TimeSpan)value).ToString("c", CultureInfo.InvariantCulture),
            ValueKind.Guid => ((Guid)value).ToString("D"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        },
    };
}
