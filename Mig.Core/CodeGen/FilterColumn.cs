using Mig.Schema;

namespace Mig.CodeGen;

/// <summary>One column a property filters on or writes: its SQL, its name, and how to get its value.</summary>
internal sealed record FilterColumn(string Sql, string Column, SqlType Type, ValueKind Kind, bool NotNull, string Value);
