namespace Mig;

/// <summary>Declares that a table or column used to have another name. Migrations never guess renames.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class RenamedFromAttribute(string oldName) : Attribute
{
    /// <summary>The previous SQL name of the table or column.</summary>
    public string OldName { get; } = oldName;
}
