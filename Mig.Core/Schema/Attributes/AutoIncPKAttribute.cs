namespace Mig;

/// <summary>Integer primary key that SQLite assigns (<c>INTEGER PRIMARY KEY AUTOINCREMENT</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class AutoIncPKAttribute(string property) : Attribute
{
    /// <summary>The key property.</summary>
    public string Property { get; } = property;
}
