namespace Mig;

// The attributes a schema is written with (docs/dsl.md), one per file in this folder.
// Properties are named by their C# name so `nameof` works; Mig maps them to
// snake_case columns. Positional record parameters carry attributes to the
// parameter by default, so every member-level attribute also targets parameters.

/// <summary>Primary key assigned by the application; several names make a composite key.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class PKAttribute(params string[] properties) : Attribute
{
    /// <summary>The key's properties, in key order.</summary>
    public string[] Properties { get; } = properties;
}
