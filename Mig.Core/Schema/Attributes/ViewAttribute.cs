namespace Mig;

/// <summary>Marks a record as a view whose SQL is synthesised from its <see cref="JoinAttribute"/>s.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class ViewAttribute : Attribute;
