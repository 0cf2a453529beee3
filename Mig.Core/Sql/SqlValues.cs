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

    /// <summary>The storage class a value kind maps to.</summary>
    public static SqlType StorageType(ValueKind kind) => kind switch
    {
        ValueKind.Int64 or ValueKind.Int32 or ValueKind.Int16 or ValueKind.Byte or ValueKind.Boolean or ValueKind.Enum => SqlType.Integer,
        ValueKind.Double or ValueKind.Single => SqlType.Real,
        ValueKind.Bytes => SqlType.Blob,
        _ => SqlType.Text,
    };

    /// <summary>The value kind of a C# type (already unwrapped from Nullable), or null when Mig cannot store it.</summary>
    public static ValueKind? KindOf(Type type)
    {
        if (type.IsEnum) return ValueKind.Enum;
        if (type == typeof(long)) return ValueKind.Int64;
        if (type == typeof(int)) return ValueKind.Int32;
        if (type == typeof(short)) return ValueKind.Int16;
        if (type == typeof(byte)) return ValueKind.Byte;
        if (type == typeof(bool)) return ValueKind.Boolean;
        if (type == typeof(string)) return ValueKind.String;
        if (type == typeof(double)) return ValueKind.Double;
        if (type == typeof(float)) return ValueKind.Single;
        if (type == typeof(decimal)) return ValueKind.Decimal;
        if (type == typeof(byte[])) return ValueKind.Bytes;
        if (type == typeof(DateTime)) return ValueKind.DateTime;
        if (type == typeof(DateTimeOffset)) return ValueKind.DateTimeOffset;
        if (type == typeof(DateOnly)) return ValueKind.DateOnly;
        if (type == typeof(TimeOnly)) return ValueKind.TimeOnly;
        if (type == typeof(TimeSpan)) return ValueKind.TimeSpan;
        if (type == typeof(Guid)) return ValueKind.Guid;
        return null;
    }

    /// <summary>SQL keyword of a storage class.</summary>
    public static string Keyword(SqlType type) => type switch
    {
        SqlType.Integer => "INTEGER",
        SqlType.Real => "REAL",
        SqlType.Blob => "BLOB",
        _ => "TEXT",
    };
}
