namespace Mig;

/// <summary>Foreign key action <c>ON DELETE CASCADE</c> for a reference property.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class OnDeleteCascadeAttribute(string property) : Attribute
{
    /// <summary>The reference property.</summary>
    public string Property { get; } = property;
}
