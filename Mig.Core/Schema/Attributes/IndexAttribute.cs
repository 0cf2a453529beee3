namespace Mig;

/// <summary>A secondary index named <c>ix_&lt;table&gt;_&lt;columns&gt;</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class IndexAttribute(params string[] properties) : Attribute
{
    /// <summary>The indexed properties, in index order.</summary>
    public string[] Properties { get; } = properties;

    /// <summary>A partial index: only rows where this SQL expression is true are indexed.</summary>
    public string? Where { get; set; }
}
