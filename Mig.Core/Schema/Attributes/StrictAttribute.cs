namespace Mig;

/// <summary>Makes the table a SQLite <c>STRICT</c> table: every value must have its column's type (SQLite 3.37 or later).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class StrictAttribute : Attribute;
