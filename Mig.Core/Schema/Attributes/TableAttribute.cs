namespace Mig;

/// <summary>Overrides the table name, to match an existing database.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class TableAttribute(string name) : Attribute
{
    /// <summary>The SQL table name.</summary>
    public string Name { get; } = name;
}
