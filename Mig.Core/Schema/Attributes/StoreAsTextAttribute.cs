namespace Mig;

/// <summary>
/// Stores an enum by its member's name instead of its integer value: a TEXT column with a CHECK
/// that allows only the enum's names. On an enum type it applies to every property of that type;
/// on one property (<c>[property: StoreAsText]</c> on a positional parameter) to that column only.
/// A <c>[Flags]</c> enum cannot be stored by name: a combination of flags has no single name.
/// </summary>
[AttributeUsage(AttributeTargets.Enum | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class StoreAsTextAttribute : Attribute;
