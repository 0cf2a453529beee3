namespace Mig.Migration;

/// <summary>How a new column gets its values.</summary>
internal enum FillKind
{
    /// <summary>Copied from an old column of the same storage class.</summary>
    Copy,
    /// <summary>Copied from an old column with <c>CAST</c> to the new storage class.</summary>
    Convert,
    /// <summary>Copied from an old column of an enum's other stored form (integer or name), through its members (<see cref="EnumConversion"/>).</summary>
    EnumConvert,
    /// <summary>A new column filled from its literal <c>[Default]</c>.</summary>
    Default,
    /// <summary>A new column filled by evaluating its <c>[DefaultExpr]</c> per row.</summary>
    DefaultExpression,
    /// <summary>A new nullable column without a default: NULL.</summary>
    Null,
    /// <summary>A new column filled by evaluating its <c>[MigrateFrom]</c> expression on the old row (<see cref="ComputedFill"/>).</summary>
    Computed,
}
