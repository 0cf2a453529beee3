namespace Mig.Schema;

/// <summary>The C# type a column maps from, so generated code and seeds convert values exactly.</summary>
internal enum ValueKind
{
    /// <summary>Int64.</summary>
    Int64,
    /// <summary>Int32.</summary>
    Int32,
    /// <summary>Int16.</summary>
    Int16,
    /// <summary>Byte.</summary>
    Byte,
    /// <summary>Boolean.</summary>
    Boolean,
    /// <summary>Any enum, stored as its integer value.</summary>
    Enum,
    /// <summary>An enum stored by its member's name ([StoreAsText]).</summary>
    EnumName,
    /// <summary>String.</summary>
    String,
    /// <summary>Double.</summary>
    Double,
    /// <summary>Single.</summary>
    Single,
    /// <summary>Decimal.</summary>
    Decimal,
    /// <summary>byte[].</summary>
    Bytes,
    /// <summary>DateTime.</summary>
    DateTime,
    /// <summary>DateTimeOffset.</summary>
    DateTimeOffset,
    /// <summary>DateOnly.</summary>
    DateOnly,
    /// <summary>TimeOnly.</summary>
    TimeOnly,
    /// <summary>TimeSpan.</summary>
    TimeSpan,
    /// <summary>Guid.</summary>
    Guid,
}
