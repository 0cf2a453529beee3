namespace Mig;

/// <summary>Foreign key action <c>ON DELETE SET NULL</c>; the reference property must be nullable.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class OnDeleteSetNullAttribute(string property) : Attribute
{
    /// <summary>The reference property.</summary>
    public string Property { get; } = property;
}
