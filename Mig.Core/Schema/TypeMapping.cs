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

    /// <summary>
    /// Why the stored form of a kind does not order like its C# values, or null when it does,
    /// so that a range or a page over the stored form is the range or page of the values
    /// ([SelectRange], [SelectPage]). Integers, bool and enums are INTEGER and doubles REAL;
    /// text compares byte by byte (SQLite's BINARY: code point order), which is the value order
    /// of fixed-width forms: DateOnly <c>yyyy-MM-dd</c>, TimeOnly <c>HH:mm:ss.fffffff</c>, a
    /// Guid's lower-case hex (field by field, as <see cref="Guid.CompareTo(Guid)"/>), and a
    /// DateTime's <c>O</c> form up to its Kind suffix (the range binds bounds that cover every
    /// suffix, see <c>MigValue.ToDbFrom</c>, so it compares ticks as DateTime does).
    /// </summary>
    public static string? UnorderedBecause(ValueKind kind) => kind switch
    {
        ValueKind.Decimal => "a decimal is stored as text of varying length (\"10.5\" sorts before \"9\")",
        ValueKind.TimeSpan => "a TimeSpan is stored as text of varying length with a sign (1 day, \"1.00:00:00\", sorts before 10 hours, \"10:00:00\")",
        ValueKind.DateTimeOffset => "a DateTimeOffset is stored as its local time and offset, which do not sort by instant (10:00+02:00 is an hour before 09:00+00:00 but sorts after it)",
        ValueKind.Bytes => "a byte[] is a BLOB, which has no order of values",
        ValueKind.EnumName => "an enum stored by name ([StoreAsText]) sorts by its names, not by its values",
        _ => null,
    };
}
