using System.Reflection;

namespace Mig.Schema;

/// <summary>
/// One column a property becomes. <see cref="Path"/> walks from the property to the
/// value (Course.Student.Id for a reference); <see cref="ReferencedColumn"/> is the
/// referenced key column for a column of a reference property.
/// </summary>
internal sealed record PropertyColumn(string Name, SqlType Type, ValueKind Kind, string ClrType, PropertyInfo[] Path, string? ReferencedColumn);
