namespace Mig.Schema;

/// <summary>A column.</summary>
/// <param name="Name">SQL name.</param>
/// <param name="Property">The C# property it comes from.</param>
/// <param name="Type">Storage class.</param>
/// <param name="Kind">The C# value type (for a reference column: the referenced key's).</param>
/// <param name="ClrType">Full C# type name of the value (the enum's name for enums).</param>
/// <param name="NotNull">False for nullable C# types.</param>
/// <param name="Default">Literal default, verbatim SQL.</param>
/// <param name="DefaultExpression">Expression default, without parentheses.</param>
/// <param name="RenamedFrom">Declared previous column name.</param>
/// <param name="ReferencedColumn">For a column of a reference property: the referenced key column it holds.</param>
internal sealed record ColumnModel(
    string Name,
    string Property,
    SqlType Type,
    ValueKind Kind,
    string ClrType,
    bool NotNull,
    string? Default,
    string? DefaultExpression,
    string? RenamedFrom,
    string? ReferencedColumn)
{
    /// <summary>The column's CHECK constraints ([Check] on the property, and the names of an enum stored by name), SQL expressions.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    /// <summary>
    /// [MigrateFrom]: the SQL expression over the old table's columns that fills this column in the
    /// migration that adds it. Not part of the schema hash: it says how to migrate, not what the file holds.
    /// </summary>
    public string? MigrateFrom { get; init; }
}
