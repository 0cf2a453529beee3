namespace Mig;

/// <summary>A foreign key on a key-typed property (<c>long? ManagerId</c>) that does not embed the record: for self-references, trees and cycles.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class ReferencesAttribute(Type table) : Attribute
{
    /// <summary>The referenced table record.</summary>
    public Type Table { get; } = table;
}
