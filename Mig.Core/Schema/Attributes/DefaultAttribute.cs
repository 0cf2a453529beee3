namespace Mig;

/// <summary>A literal SQL default, written verbatim after <c>DEFAULT</c> (quote text: <c>"'n/a'"</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class DefaultAttribute(string property, string value) : Attribute
{
    /// <summary>The property that gets the default.</summary>
    public string Property { get; } = property;
    /// <summary>The SQL literal.</summary>
    public string Value { get; } = value;
}
