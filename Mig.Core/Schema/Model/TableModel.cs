namespace Mig.Schema;

/// <summary>A table: a record type, or one case of an extension union.</summary>
/// <param name="Name">SQL name.</param>
/// <param name="ClrType">Full C# name of the record (nested types with '+').</param>
/// <param name="Columns">Columns in declaration order; a composite-key reference contributes several.</param>
/// <param name="PrimaryKey">Key column names in key order; empty for a keyless table.</param>
/// <param name="AutoIncrement">Whether the single integer key is AUTOINCREMENT.</param>
/// <param name="Uniques">Unique constraints, each a list of column names.</param>
/// <param name="Indexes">Secondary indexes.</param>
/// <param name="ForeignKeys">Foreign keys, one per reference property.</param>
/// <param name="RenamedFrom">Declared previous table name, for migrations.</param>
/// <param name="ExtensionOf">For an extension case: the C# name of the union base type.</param>
/// <param name="Queries">Query methods requested by attributes.</param>
internal sealed record TableModel(
    string Name,
    string ClrType,
    IReadOnlyList<ColumnModel> Columns,
    IReadOnlyList<string> PrimaryKey,
    bool AutoIncrement,
    IReadOnlyList<IReadOnlyList<string>> Uniques,
    IReadOnlyList<IndexModel> Indexes,
    IReadOnlyList<ForeignKeyModel> ForeignKeys,
    string? RenamedFrom,
    string? ExtensionOf,
    IReadOnlyList<QueryModel> Queries)
{
    /// <summary>The column with this SQL name, or null.</summary>
    public ColumnModel? FindColumn(string name) =>
        Columns.FirstOrDefault(c => SqlNameComparer.Same(c.Name, name));

    /// <summary>The properties the record's primary constructor takes, in order; the rest are settable.</summary>
    public IReadOnlyList<string> ConstructorProperties { get; init; } = [];

    /// <summary>The table's CHECK constraints ([Check] on the record), SQL expressions.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    /// <summary>A STRICT table ([Strict]).</summary>
    public bool Strict { get; init; }
}
