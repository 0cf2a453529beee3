using System.Reflection;

namespace Mig.Schema;

/// <summary>A property of a view record and the column it becomes.</summary>
internal sealed record ViewProperty(PropertyInfo Property, string Column, ValueKind Kind, bool NotNull);
