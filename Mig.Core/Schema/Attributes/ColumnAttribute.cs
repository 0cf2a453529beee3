namespace Mig;

/// <summary>Overrides the column name, to match an existing database.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class ColumnAttribute(string name) : Attribute
{
    /// <summary>The SQL column name.</summary>
    public string Name { get; } = name;
}
