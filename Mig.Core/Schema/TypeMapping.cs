namespace Mig.Schema;

/// <summary>
/// The type mapping of docs/dsl.md: which C# types a column can hold, the value kind
/// each becomes and the SQLite storage class that kind is stored as. A schema
/// rule, so the reflector checks properties with it and DDL, code generation and
/// migrations name storage classes from it.
/// </summary>
internal static class TypeMapping
{
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

    /// <summary>The storage class a value kind maps to.</summary>
    public static SqlType StorageType(ValueKind kind) => kind switch
    {
        ValueKind.Int64 or ValueKind.Int32 or ValueKind.Int16 or ValueKind.Byte or ValueKind.Boolean or ValueKind.Enum => SqlType.Integer,
        ValueKind.Double or ValueKind.Single => SqlType.Real,
        ValueKind.Bytes => SqlType.Blob,
        _ => SqlType.Text,
    };

    /// <summary>SQL keyword of a storage class.</summary>
    public static string Keyword(SqlType type) => type switch
    {
        SqlType.Integer => "INTEGER",
        SqlType.Real => "REAL",
        SqlType.Blob => "BLOB",
        _ => "TEXT",
    };
}
