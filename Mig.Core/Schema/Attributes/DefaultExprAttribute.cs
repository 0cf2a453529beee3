namespace Mig;

/// <summary>An expression default, written as <c>DEFAULT (expression)</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class DefaultExprAttribute(string property, string expression) : Attribute
{
    /// <summary>The property that gets the default.</summary>
    public string Property { get; } = property;
    /// <summary>The SQL expression, without the parentheses.</summary>
    public string Expression { get; } = expression;
}
