namespace Mig;

/// <summary>A unique constraint on one column, or on several together.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class UniqueAttribute(params string[] properties) : Attribute
{
    /// <summary>The constrained properties.</summary>
    public string[] Properties { get; } = properties;

    /// <summary>
    /// Unique only among rows where this SQL expression is true: a partial unique index
    /// <c>ux_&lt;table&gt;_&lt;columns&gt;</c> instead of a table constraint.
    /// </summary>
    public string? Where { get; set; }
}
