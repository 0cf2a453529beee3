using Mig.Schema;

namespace Mig.CodeGen;

/// <summary>
/// One column a property filters on or writes: its SQL, its name, and how to get its value
/// (<see cref="Value"/>, bound as <c>MigValue.ToDb(Value)</c>, or <see cref="Bound"/> when set).
/// </summary>
internal sealed record FilterColumn(string Sql, string Column, SqlType Type, ValueKind Kind, bool NotNull, string Value)
{
    /// <summary>The expression bound instead of <c>MigValue.ToDb(Value)</c>, for a value in another form (a range's bound, a list).</summary>
    public string? Bound { get; init; }
}
