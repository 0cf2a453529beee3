namespace Mig;

/// <summary>A unique constraint on one column, or on several together.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class UniqueAttribute(params string[] properties) : Attribute
{
    /// <summary>The constrained properties.</summary>
    public string[] Properties { get; } = properties;
}
