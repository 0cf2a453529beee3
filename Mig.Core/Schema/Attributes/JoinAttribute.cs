namespace Mig;

/// <summary>One join of a synthesised view; the condition is the foreign key between the two tables.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class JoinAttribute(Type left, Type right) : Attribute
{
    /// <summary>The table on the left of the join.</summary>
    public Type Left { get; } = left;
    /// <summary>The table on the right of the join.</summary>
    public Type Right { get; } = right;
}
